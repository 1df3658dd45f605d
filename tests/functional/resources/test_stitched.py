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

"""OS::Geo::Interconnect stitched by BGPVPN or IPsec, and auto.

As the tenant, RegionOne to RegionTwo and cloud A to cloud B: each side is
read in its own Neutron (as its admin), and delete leaves nothing of the
link on either side: networks, routers, BGPVPNs, VPNaaS objects.
"""

import testscenarios

from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios

PAIRS = {
    'regions': ({'region_name': 'RegionTwo'}, 'RegionTwo'),
    'clouds': ({'cloud': 'cloud-b'}, 'cloud-b'),
}
FLAVOURS = {
    'bgpvpn-l2': ('bgpvpn', {'bgpvpn_type': 'l2'}),
    'bgpvpn-l3': ('bgpvpn', {'bgpvpn_type': 'l3'}),
    'ipsec': ('ipsec', {}),
}


class StitchedTestCase(base.FunctionalTestCase):

    def assertNothingLeftAtCleanup(self, found):
        """After the stack's delete (registered later, so run first): no
        BGPVPN or IPsec connection with the link's description remains on
        the sides `found` lists."""
        def nothing_left():
            for side in found.get('sides', ()):
                bgpvpns, connections = self.objects_by_description(
                    side, found['description'])
                self.assertEqual([], bgpvpns + connections, side)

        self.addCleanup(nothing_left)

    def objects_by_description(self, side, description):
        net = self.connection(side).network
        return (list(net.bgpvpns(name=description)),
                list(net.vpn_ipsec_site_connections(description=description)))


class StitchedLinkTest(StitchedTestCase):

    scenarios = testscenarios.multiply_scenarios(
        [(name, {'flavour': name}) for name in FLAVOURS],
        [(name, {'pair': name}) for name in PAIRS])

    def setUp(self):
        super().setUp()
        self.remote_context, self.remote_side = PAIRS[self.pair]
        self.technology, self.link_props = FLAVOURS[self.flavour]

    def objects(self, network_id):
        description = self.connection('RegionOne').network.get_network(
            network_id).description
        return {side: self.objects_by_description(side, description)
                for side in ('RegionOne', self.remote_side)}, description

    def test_lifecycle(self):
        found = {}
        self.assertNothingLeftAtCleanup(found)
        stack = self.create_stack(base.two_sites(
            self.remote_context, self.technology, link=self.link_props))
        out = self.outputs(stack)
        self.assertEqual(('ACTIVE', self.technology),
                         (out['status'], out['technology']))
        objects, found['description'] = self.objects(
            out['local_network_id'])
        found['sides'] = list(objects)
        sides = {'RegionOne': 'local', self.remote_side: 'remote'}
        if self.technology == 'bgpvpn':
            self.check_bgpvpns(out, objects)
        else:
            self.check_connections(out, objects)
        for side, role in sides.items():
            network = self.connection(side).network.get_network(
                out[role + '_network_id'])
            # The tenant attaches to the link the operator built.
            self.assertIsNotNone(self.connection(side, 'tenant').network
                                 .find_network(network.id))
        self.action(stack, 'check')
        self.action(stack, 'suspend')
        self.action(stack, 'resume')
        self.assertEqual('ACTIVE', self.outputs(stack)['status'])
        self.update_in_place(stack, out, objects)

    def update_in_place(self, stack, out, objects):
        """A new name on both sides' networks (and routers), and for IPsec
        a new key on both connections, without rebuilding."""
        (before,) = objects[self.remote_side][1] or [None]
        name = self.stack_names[stack.id] + '-renamed'
        template = base.two_sites(self.remote_context, self.technology,
                                  link=dict(self.link_props, name=name,
                                            psk_rotation=1))
        self.heat.update_stack(stack, template=template)
        self.wait(stack.id, 'UPDATE')
        self.assertEqual(out['local_network_id'], self.resource(
            stack, 'link').physical_resource_id)
        for side, role in (('RegionOne', 'local'),
                           (self.remote_side, 'remote')):
            net = self.connection(side).network
            self.assertEqual(name, net.get_network(
                out[role + '_network_id']).name)
            if out[role + '_router_id']:
                self.assertEqual(name, net.get_router(
                    out[role + '_router_id']).name)
        if before is not None:
            after = [self.connection(side).network
                     .get_vpn_ipsec_site_connection(connections[0].id)
                     for side, (_b, connections) in objects.items()]
            self.assertEqual({after[0].psk}, {c.psk for c in after})
            self.assertNotEqual(before.psk, after[0].psk)
        self.action(stack, 'check')

    def check_bgpvpns(self, out, objects):
        routed = self.link_props['bgpvpn_type'] == 'l3'
        for side, (bgpvpns, _connections) in objects.items():
            (bgpvpn,) = bgpvpns
            self.assertEqual(([out['route_target']], self.link_props[
                'bgpvpn_type']), (bgpvpn.route_targets, bgpvpn.type))
            net = self.connection(side).network
            associations = (net.bgpvpn_router_associations(bgpvpn)
                            if routed else
                            net.bgpvpn_network_associations(bgpvpn))
            self.assertEqual(1, len(list(associations)))
        if routed:
            self.assertNotEqual(out['local_cidr'], out['remote_cidr'])
        else:
            self.assertIsNone(out['local_cidr'])

    def check_connections(self, out, objects):
        (local,), (remote,) = (connections for _bgpvpns, connections
                               in objects.values())
        self.assertEqual(('ACTIVE', 'ACTIVE'), (local.status, remote.status))
        self.assertEqual(local.psk, remote.psk)
        self.assertGreaterEqual(len(local.psk), 32)
        for side, connection in zip(objects, (remote, local)):
            # Each connection's peer is the other side's router gateway.
            routers = [r for r in self.connection(side).network.routers()
                       if r.id in (out['local_router_id'],
                                   out['remote_router_id'])]
            (router,) = routers
            gateway = router.external_gateway_info['external_fixed_ips'][0]
            self.assertEqual(gateway['ip_address'], connection.peer_address)


class AutoTest(StitchedTestCase):
    """auto picks the operator's first preference both sides allow."""

    def test_only_ipsec_between_region_two_and_cloud_b(self):
        stack = self.create_stack(base.two_sites(
            {'cloud': 'cloud-b'}, 'auto',
            local={'context': {'region_name': 'RegionTwo'}}))
        out = self.outputs(stack)
        self.assertEqual(('ipsec', 'ACTIVE'),
                         (out['technology'], out['status']))

    def test_bgpvpn_first_between_the_regions(self):
        stack = self.create_stack(base.two_sites(
            {'region_name': 'RegionTwo'}, 'auto'))
        self.assertEqual('bgpvpn', self.outputs(stack)['technology'])

    def test_refused_where_nothing_is_possible(self):
        self.assertRefused(
            base.two_sites({}, 'auto', local={'cell': 'cell1'},
                           remote={'cell': 'cell2'}),
            'resources.link.properties.technology', 'auto found none')
