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

import json

import testtools

from geo_heat.link import model
from geo_heat.link import sides
from tests.unit import fakes

SITES = {'local': {'placement': {'region_name': 'RegionOne'}},
         'remote': {'placement': {'region_name': 'RegionTwo'}}}
STATE = {'cidr': '10.250.7.0/24', 'local_network_id': 'net-1',
         'remote_network_id': 'net-2', 'local_subnet_id': 'sub-1',
         'remote_subnet_id': 'sub-2'}


def record(sites=SITES, **state):
    """A link resource's data, as its create records it."""
    return {'sites': json.dumps(sites), 'state': json.dumps(dict(STATE,
                                                                 **state))}


class SideAtTest(testtools.TestCase):

    def test_each_site_has_its_network_and_subnet(self):
        one = sides.side_at(record(), {'region_name': 'RegionOne',
                                       'availability_zone': 'az'})
        two = sides.side_at(record(), {'region_name': 'RegionTwo'})
        self.assertEqual(model.LinkSide('net-1', 'sub-1', False), one)
        self.assertEqual(model.LinkSide('net-2', 'sub-2', False), two)

    def test_cells_share_one_network(self):
        cells = {'local': {'placement': {'cell': 'cell1'}},
                 'remote': {'placement': {'cell': 'cell2'}}}
        side = sides.side_at(record(cells, remote_network_id='net-1',
                                    remote_subnet_id='sub-1'),
                             {'cell': 'cell2'})
        self.assertEqual(model.LinkSide('net-1', 'sub-1', True), side)

    def test_a_link_elsewhere_or_not_built_is_none(self):
        self.assertIsNone(sides.side_at(record(),
                                        {'region_name': 'RegionThree'}))
        self.assertIsNone(sides.side_at({}, {'region_name': 'RegionOne'}))
        self.assertIsNone(sides.side_at(record(cidr=None),
                                        {'region_name': 'RegionOne'}))


class AddressRangesTest(testtools.TestCase):

    def test_the_pools_of_the_side_s_subnet(self):
        neutron = fakes.FakeNeutron()
        network = neutron.create_network()
        subnet = neutron.create_subnet(
            network.id, cidr='10.250.7.0/24', gateway_ip=None,
            allocation_pools=[{'start': '10.250.7.128',
                               'end': '10.250.7.254'}])
        self.assertEqual([('10.250.7.128', '10.250.7.254')],
                         sides.address_ranges(neutron, model.LinkSide(
                             network.id, subnet.id, False)))

    def test_a_routed_side_starts_after_its_router_s_gateway(self):
        neutron = fakes.FakeNeutron()
        network = neutron.create_network()
        subnet = neutron.create_subnet(network.id, cidr='10.250.7.128/25')
        self.assertEqual([('10.250.7.130', '10.250.7.254')],
                         sides.address_ranges(neutron, model.LinkSide(
                             network.id, subnet.id, False)))
