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

"""Translate a TOSCA template with geo-heat's types: heat-translator's own
translation, with geo-heat's classes in its type map."""

import os

from toscaparser import tosca_template
from translator.hot import tosca_translator
from translator.hot import translate_node_templates

from geo_heat.tosca import endpoint
from geo_heat.tosca import interconnect
from geo_heat.tosca import output
from geo_heat.tosca import redundant_vnf
from geo_heat.tosca import sol001

CLASSES = (endpoint.ToscaGeoEndpoint, interconnect.ToscaGeoInterconnect,
           redundant_vnf.ToscaGeoRedundantVNF)


def register():
    """Put geo-heat's translation classes into heat-translator's type map,
    read at translation time (it has no plugin hook; its installed tree is
    left alone)."""
    translate_node_templates.TOSCA_TO_HOT_TYPE.update(
        (cls.toscatype, cls) for cls in CLASSES)


def check_contained(path, source_dir, root):
    """Refuse a get_file path (relative to source_dir) that is absolute, a
    URL of a local file, or leaves root, directly or through a symbolic
    link: the client that creates the stack sends that file to Heat."""
    if path.startswith('file:') or os.path.isabs(path):
        raise sol001.TranslationError(
            'get_file path "%s" is not relative to the template' % path)
    real_root = os.path.realpath(root)
    full = os.path.realpath(os.path.join(source_dir, path))
    if os.path.commonpath([full, real_root]) != real_root:
        raise sol001.TranslationError(
            'get_file path "%s" leaves %s (the template\'s directory '
            'unless --files-root says otherwise)' % (path, root))


def rebase_files(value, source_dir, output_dir, root=None):
    """get_file paths are relative to the TOSCA template; make them
    relative to the HOT output, refusing any that leave root (default:
    the template's directory). URLs of remote files are left as they
    are."""
    root = root or source_dir
    if isinstance(value, dict):
        path = value.get('get_file')
        if len(value) == 1 and isinstance(path, str) and (
                '://' not in path or path.startswith('file:')):
            check_contained(path, source_dir, root)
            return {'get_file': os.path.relpath(
                os.path.join(source_dir, path), output_dir)}
        return {key: rebase_files(item, source_dir, output_dir, root)
                for key, item in value.items()}
    if isinstance(value, list):
        return [rebase_files(item, source_dir, output_dir, root)
                for item in value]
    return value


def translate(path, output_path='output.yaml', parameters=None,
              files_root=None):
    """{file name: HOT text}: the template for output_path, and the nested
    templates heat-translator writes beside it (scaling groups).

    get_file paths must stay in files_root (default: the template's
    directory).
    """
    register()
    parameters = parameters or {}
    tosca = tosca_template.ToscaTemplate(path, parameters, True)
    translator = tosca_translator.TOSCATranslator(tosca, parameters)
    name = os.path.basename(output_path)
    files = translator.translate_to_yaml_files_dict(name)
    hot_template = translator.hot_template
    hot_template.resources = sol001.georedundancy(tosca,
                                                  hot_template.resources)
    hot = rebase_files(
        output.template(hot_template,
                        translator.node_translator.hot_template_version),
        os.path.dirname(os.path.abspath(path)),
        os.path.dirname(os.path.abspath(output_path)),
        files_root and os.path.abspath(files_root))
    files[name] = output.dump(hot)
    return files
