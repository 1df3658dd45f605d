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

"""Unit tests of the sandbox ML2 mechanism driver's binding decision."""

import unittest

from geo_heat_sandbox.drivers import ml2


def segment(network_type, physical_network=None):
    return {'id': network_type + str(physical_network),
            'network_type': network_type,
            'physical_network': physical_network}


class BindingDecisionTest(unittest.TestCase):

    def test_provider_segment_only_on_hosts_wired_to_it(self):
        cell2 = segment('vlan', 'physnet-cell2')
        self.assertIsNone(ml2.segment_to_bind(
            [cell2], frozenset(['physnet1', 'physnet-cell1'])))
        self.assertIs(cell2, ml2.segment_to_bind(
            [cell2], frozenset(['physnet1', 'physnet-cell2'])))
        self.assertIsNone(ml2.segment_to_bind(
            [segment('flat', 'physnet1')], frozenset()))

    def test_tunnels_bind_on_any_host(self):
        for network_type in ('vxlan', 'gre', 'geneve'):
            self.assertIsNotNone(ml2.segment_to_bind(
                [segment(network_type)], frozenset()))

    def test_first_bindable_segment_of_a_routed_network(self):
        cell1 = segment('vlan', 'physnet-cell1')
        self.assertIs(cell1, ml2.segment_to_bind(
            [segment('vlan', 'physnet-cell2'), cell1],
            frozenset(['physnet-cell1'])))
