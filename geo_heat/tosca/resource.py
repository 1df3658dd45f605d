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

"""What geo-heat's translation classes share: a geo-heat template becomes
the OS::Geo:: resource with the same properties, values kept exactly as the
template gives them."""

from toscaparser import functions
from translator.hot.syntax import hot_resource


def hot_value(value):
    """A TOSCA value as HOT: get_input becomes get_param, anything else is
    kept as it is (property defaults are those of the HOT schema, so only
    what the template gives is written)."""
    if isinstance(value, functions.GetInput):
        return {'get_param': value.input_name}
    if isinstance(value, dict):
        if list(value) == ['get_input']:
            return {'get_param': value['get_input']}
        return {key: hot_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [hot_value(item) for item in value]
    return value


def get_resource(name):
    return {'get_resource': name}


def required_node(node, requirement):
    """The node template a requirement of `node` names, or None."""
    for item in node.requirements:
        if requirement in item:
            target = item[requirement]
            return target['node'] if isinstance(target, dict) else target
    return None


class GeoResource(hot_resource.HotResource):
    """A node or policy template of a geo-heat type."""

    # Set by each subclass: the TOSCA type (heat-translator's map key) and
    # the HOT type it becomes.
    toscatype = None
    hot_type = None
    # Properties naming one node template, or a list of them, which HOT
    # refers to by get_resource.
    references = ()
    list_references = ()

    def __init__(self, template, csar_dir=None):
        super().__init__(template, type=self.hot_type, csar_dir=csar_dir)

    def handle_properties(self):
        given = self.nodetemplate.entity_tpl.get('properties') or {}
        self.properties = {}
        for name, value in given.items():
            if name in self.references:
                self.properties[name] = get_resource(value)
            elif name in self.list_references:
                self.properties[name] = [get_resource(v) for v in value]
            else:
                self.properties[name] = hot_value(value)
