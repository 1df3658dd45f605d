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

"""Unit tests of the templates the functional tests and the benchmark use."""

import unittest

from geo_heat_sandbox.services import compute
from geo_heat_sandbox.services import glance
from geo_heat_sandbox import templates


class TemplatesTest(unittest.TestCase):

    def test_versions_stay_strings(self):
        self.assertEqual('2021-04-16', templates.load(
            'georedundant-regions.yaml')['heat_template_version'])

    def test_vnf_has_its_instance_template_inline(self):
        template = templates.vnf('regions', active='b')
        properties = template['resources']['vnf']['properties']
        with open(templates.INSTANCE) as f:
            self.assertEqual(f.read(), properties['instance_template'])
        parameters = template['parameters']
        self.assertEqual('b', parameters['active']['default'])
        self.assertEqual(glance.IMAGE_NAME, parameters['image']['default'])
        self.assertEqual(compute.FLAVOR['name'],
                         parameters['flavor']['default'])

    def test_set_defaults_refuses_an_unknown_parameter(self):
        template = templates.vnf('cells')
        self.assertRaises(KeyError, templates.set_defaults, template,
                          no_such_parameter=1)
