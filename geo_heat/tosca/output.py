#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""HOT text in which every geo-heat value is exact.

heat-translator's writer deletes every ``'`` from the YAML it dumps: its
ETSI translations write references as strings such as
``'{ get_resource: VDU1_flavor }'`` and rely on it to turn them into
mappings. A quoted ``"10:50"`` then comes out bare, and YAML 1.1 (Heat's
parser) reads ``10:50`` as the sexagesimal integer 650. Here each resource
heat-translator made is rendered as its writer renders it, and the rest
(geo-heat's resources, parameters, outputs, description) is dumped with
PyYAML's safe dumper, which quotes every string YAML would read otherwise.
"""

import collections

import yaml

GEO_TYPE_PREFIX = 'OS::Geo::'


class _UpstreamDumper(yaml.SafeDumper):
    """heat-translator's dumper: mappings in the order they were built."""


def _represent_map(dumper, data):
    return dumper.represent_dict(data.items())


_UpstreamDumper.add_representer(collections.OrderedDict, _represent_map)
_UpstreamDumper.add_representer(dict, _represent_map)


class _Dumper(_UpstreamDumper):
    """geo-heat's: also multi-line strings (instance templates) as blocks,
    and no anchors."""

    def ignore_aliases(self, data):
        return True


def _represent_str(dumper, data):
    style = '|' if '\n' in data else None
    return dumper.represent_scalar('tag:yaml.org,2002:str', data, style=style)


_Dumper.add_representer(str, _represent_str)


class _Loader(yaml.SafeLoader):
    """YAML as Heat reads it: timestamps (template versions) stay strings."""


_Loader.add_constructor('tag:yaml.org,2002:timestamp',
                        yaml.SafeLoader.construct_yaml_str)


def dump(data):
    return yaml.dump(data, Dumper=_Dumper, default_flow_style=False)


def load(text):
    return yaml.load(text, Loader=_Loader)


def as_upstream_writes(section):
    """A section as Heat reads it from heat-translator's writer (which
    also drops blank lines)."""
    text = yaml.dump(section, Dumper=_UpstreamDumper,
                     default_flow_style=False)
    return load(text.replace("'", '').replace('\n\n', '\n'))


def template(hot_template, version):
    """The HOT template as a mapping: geo-heat's resources exact, the
    others as heat-translator writes them."""
    resources = {}
    for rsrc in hot_template.resources:
        if rsrc.hide_resource:
            continue
        section = rsrc.get_dict_output()
        if not rsrc.type.startswith(GEO_TYPE_PREFIX):
            section = as_upstream_writes(section)
        resources.update(section)
    hot = {'heat_template_version': version}
    if hot_template.description:
        hot['description'] = hot_template.description
    for key, items in (('parameters', hot_template.parameters),
                       ('outputs', hot_template.outputs)):
        if items:
            hot[key] = {name: value for item in items
                        for name, value in item.get_dict_output().items()}
    hot['resources'] = resources
    return hot
