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

"""The HOT writer: exact where geo-heat writes, heat-translator's rendering
for heat-translator's resources."""

from heat.common import template_format
import testtools

from geo_heat.tosca import output


class OutputTest(testtools.TestCase):

    def test_dump_is_read_back_exactly_by_heat(self):
        values = {'range': '10:50', 'zone': '2020-01-01', 'bool': 'on',
                  'octal': '010', 'null': 'null', 'quote': "it's",
                  'text': "a: 'b'\nc: 10:50\n", 'int': 650, 'flag': True,
                  'version': '2013-05-23'}
        hot = dict(values, heat_template_version='2013-05-23')
        self.assertEqual(hot, template_format.parse(output.dump(hot)))

    def test_upstream_rendering_turns_reference_strings_into_maps(self):
        """What heat-translator's ETSI classes rely on its writer for."""
        self.assertEqual(
            {'server': {'properties': {
                'flavor': {'get_resource': 'VDU1_flavor'},
                'range': 650}}},
            output.as_upstream_writes({'server': {'properties': {
                'flavor': '{ get_resource: VDU1_flavor }',
                'range': '10:50'}}}))

    def test_upstream_rendering_keeps_its_literal_block_trick(self):
        """heat-translator writes scripts as '|\\n...' strings that its
        writer turns into literal blocks."""
        self.assertEqual(
            {'config': '#!/bin/bash\nansible-galaxy install role\n'},
            output.as_upstream_writes(
                {'config': '|\n#!/bin/bash\nansible-galaxy install role'}))
