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

"""The repository's templates (templates/), ready for Heat's API.

The functional tests and the benchmark create stacks from them; the API
takes no get_file, so a VNF's instance template is put inline.
"""

import os

from heat.common import template_format
import yaml

from geo_heat_sandbox.services import compute
from geo_heat_sandbox.services import glance

# The sandbox distribution lives in sandbox/ of the repository.
DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'templates')
INSTANCE = os.path.join(DIRECTORY, 'vnf', 'instance.yaml')


def load(name):
    """A template of templates/ read with Heat's YAML loader (versions stay
    strings), without Heat's configuration."""
    with open(os.path.join(DIRECTORY, name)) as f:
        return yaml.load(f, Loader=template_format.yaml_loader)


def set_defaults(template, **defaults):
    """Give the template's parameters these defaults."""
    for name, value in defaults.items():
        template['parameters'][name]['default'] = value


def vnf(kind, **defaults):
    """georedundant-vnf-KIND.yaml with the instance template inline, the
    sandbox's image and flavor and the given parameter defaults."""
    template = load('georedundant-vnf-%s.yaml' % kind)
    with open(INSTANCE) as f:
        template['resources']['vnf']['properties']['instance_template'] = (
            f.read())
    defaults.setdefault('image', glance.IMAGE_NAME)
    defaults.setdefault('flavor', compute.FLAVOR['name'])
    set_defaults(template, **defaults)
    return template
