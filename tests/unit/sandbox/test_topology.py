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

"""Unit tests of the sandbox's topology: sites, siblings, cells."""

import unittest

from geo_heat_sandbox import topology


class TopologyTest(unittest.TestCase):

    def test_every_site_has_compute_and_heat(self):
        sites = {(cloud, region) for family, _, cloud, region
                 in topology.SERVICES.values() if family == 'neutron'}
        for family in ('nova', 'placement', 'heat'):
            self.assertEqual(sites, {
                (cloud, region) for fam, _, cloud, region
                in topology.SERVICES.values() if fam == family}, family)
        self.assertEqual(['glance-a', 'glance-b'],
                         topology.services_of('glance'))

    def test_siblings(self):
        self.assertEqual('placement-r2',
                         topology.sibling('nova-r2', 'placement'))
        self.assertEqual('glance-a', topology.sibling('nova-r2', 'glance'))
        self.assertEqual('nova-b', topology.sibling('neutron-b', 'nova'))

    def test_region_one_has_two_cells_in_their_zones(self):
        self.assertEqual(
            {'cell1': ('nova-r1-cell1', 'az-cell1'),
             'cell2': ('nova-r1-cell2', 'az-cell2')},
            topology.NOVA_CELLS['nova-r1'])
        # Heat's cell mappings name the same zones and physical networks.
        for mapping in topology.CELL_MAPPINGS['heat-r1'].split(','):
            cell, zone, physnet = mapping.split(':')
            host, host_zone = topology.NOVA_CELLS['nova-r1'][cell]
            self.assertEqual(zone, host_zone)
            self.assertIn(physnet, topology.HOST_PHYSNETS[host])

    def test_regions_of(self):
        self.assertEqual(['RegionOne', 'RegionTwo'],
                         topology.regions_of('a'))
        self.assertEqual(['RegionOne'], topology.regions_of('b'))
