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

"""R1: a side's Neutron or the local Heat goes away while a link is used.

Each case ends with an error that names the side, and once the service is
back, deleting the stack leaves nothing of it on any side (by tag, and by
name for networks a create could not tag).

To stop a request at a known step, the tests hold the write lock of
neutron-r2's database (sandbox.writes_held): its create and delete
requests then wait inside neutron-r2 until the test stops it there. The
links have a fixed segmentation ID so that no read of neutron-r2 (which
would wait too) comes first.
"""

import testscenarios

import geo_heat_sandbox as sandbox
from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios

REMOTE_DOWN = 'remote side (region RegionTwo): cannot reach Neutron to '


def link_to_region_two(segmentation_id):
    return base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                          link={'segmentation_id': segmentation_id})


class RemoteNeutronDownTest(base.FunctionalTestCase):
    """neutron-r2 (the remote side) stops before, during and after create."""

    EXCLUSIVE = True
    LOCK_PER_CLASS = True

    def test_down_before_create(self):
        self.stop_service('neutron-r2')
        stack = self.create_stack(link_to_region_two(195), expect='FAILED')
        self.assertIn('endpoint site_b (region RegionTwo) is unreachable',
                      stack.status_reason)
        self.start_service('neutron-r2')
        self.delete_stack(stack.id)

    def test_down_after_local_half_exists(self):
        with sandbox.writes_held('neutron-r2', self.state_dir):
            stack = self.start_stack(link_to_region_two(196))
            self.wait_for(lambda: self.tagged_networks(stack.id, 'RegionOne'),
                          'local network')
            self.stop_service('neutron-r2')
        stack = self.wait(stack.id, 'CREATE', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'create the vlan network',
                      stack.status_reason)
        # The local half was undone at once, not left for the delete.
        self.assertEqual([], self.tagged_networks(stack.id, 'RegionOne'))
        self.start_service('neutron-r2')
        self.delete_stack(stack.id)

    def test_down_during_delete(self):
        stack = self.create_stack(link_to_region_two(197))
        with sandbox.writes_held('neutron-r2', self.state_dir):
            self.heat.delete_stack(stack.id)
            self.wait_for(
                lambda: not self.tagged_networks(stack.id, 'RegionOne'),
                'local half deleted')
            self.stop_service('neutron-r2')
        stack = self.wait(stack.id, 'DELETE', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'look up the link networks',
                      stack.status_reason)
        self.start_service('neutron-r2')
        self.assertEqual(1, len(self.tagged_networks(stack.id, 'RegionTwo')))
        self.delete_stack(stack.id)

    def test_down_before_check(self):
        stack = self.create_stack(link_to_region_two(198))
        self.stop_service('neutron-r2')
        checked = self.action(stack, 'check', expect='FAILED')
        # The remote endpoint is checked first and names its region.
        self.assertIn('endpoint site_b (region RegionTwo) is unreachable',
                      checked.status_reason)
        self.start_service('neutron-r2')
        self.action(stack, 'check')
        self.delete_stack(stack.id)

    def test_down_during_check(self):
        stack = self.create_stack(link_to_region_two(198))
        with sandbox.writes_held('neutron-r2', self.state_dir):
            # The endpoints' check reads no database; the link's waits.
            self.heat.check_stack(stack)
            self.wait_for(lambda: self.resource(stack, 'site_b').status ==
                          'CHECK_COMPLETE', 'remote endpoint checked')
            self.stop_service('neutron-r2')
        self.wait(stack.id, 'CHECK', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'read network',
                      self.resource(stack, 'link').status_reason)
        self.start_service('neutron-r2')
        self.action(stack, 'check')
        self.delete_stack(stack.id)


class StitchedRemoteNeutronDownTest(base.FunctionalTestCase):
    """neutron-r2 stops while a stitched link is deleted: the error names
    it, and a second delete once it is back leaves nothing on either side
    (networks, routers and VPNaaS objects by the stack's name, BGPVPNs and
    site connections by the link's description)."""

    EXCLUSIVE = True
    LOCK_PER_CLASS = True

    scenarios = [('bgpvpn-l3', {'technology': 'bgpvpn',
                                'link': {'bgpvpn_type': 'l3'}}),
                 ('ipsec', {'technology': 'ipsec', 'link': {}})]

    def stitching(self, side, description):
        net = self.connection(side).network
        return (list(net.bgpvpns(name=description)) +
                list(net.vpn_ipsec_site_connections(description=description)))

    def test_down_during_delete(self):
        stack = self.create_stack(base.two_sites(
            {'region_name': 'RegionTwo'}, self.technology, link=self.link))
        description = self.connection('RegionOne').network.get_network(
            self.resource(stack, 'link').physical_resource_id).description
        self.assertNotEqual([], self.stitching('RegionTwo', description))
        with sandbox.writes_held('neutron-r2', self.state_dir):
            self.heat.delete_stack(stack.id)
            self.wait_for(
                lambda: not self.stitching('RegionOne', description),
                'local side unstitched')
            self.stop_service('neutron-r2')
        stack = self.wait(stack.id, 'DELETE', 'FAILED')
        self.assertIn(REMOTE_DOWN, stack.status_reason)
        self.start_service('neutron-r2')
        self.delete_stack(stack.id)
        for side in ('RegionOne', 'RegionTwo'):
            self.assertEqual([], self.stitching(side, description), side)


class LocalHeatRestartTest(base.FunctionalTestCase):
    """heat-r1 (the stack's own Heat) restarts in the middle of a create;
    the others wait until it is back."""

    EXCLUSIVE = True

    def test_restart_while_remote_network_is_created(self):
        with sandbox.writes_held('neutron-r2', self.state_dir):
            stack = self.start_stack(link_to_region_two(199))
            self.wait_for(lambda: self.tagged_networks(stack.id, 'RegionOne'),
                          'local network')
            self.stop_service('heat-r1')
        # neutron-r2 now commits the remote network, whose tag request
        # never comes: only its description says which link it belongs to.
        name = self.stack_names[stack.id]
        self.wait_for(lambda: [n for n in self.connection(
            'RegionTwo').network.networks() if n.name.startswith(name)],
            'remote network')
        self.start_service('heat-r1')
        self.together()
        # A convergence engine does not fail the stacks of an engine that
        # died; deleting the stack takes over its resources.
        self.delete_stack(stack.id)
        reasons = [e.resource_status_reason
                   for e in self.heat.stack_events(stack)]
        self.assertTrue(any('Worker went down' in (r or '') for r in reasons),
                        reasons)


class QuotaTest(base.FunctionalTestCase):
    """A full Neutron quota is not a taken segmentation ID."""

    EXCLUSIVE = True  # changes the link builder's quota in RegionTwo

    def test_quota_error_fails_at_once_naming_side_and_quota(self):
        admin = self.connection('RegionTwo').network
        builder = self.connection('RegionOne').identity.find_project(
            'service', ignore_missing=False)
        quota = admin.get_quota(builder.id)
        owned = len(list(admin.networks(project_id=builder.id)))
        admin.update_quota(builder.id, networks=owned)
        self.addCleanup(admin.update_quota, builder.id,
                        networks=quota.networks)
        before = self.neutron_requests(methods=('POST',),
                                       path='/v2.0/networks')
        stack = self.create_stack(base.two_sites(
            {'region_name': 'RegionTwo'}, 'vlan', '140:149'),
            expect='FAILED')
        reason = self.resource(stack, 'link').status_reason
        self.assertIn('remote side (region RegionTwo): quota exceeded for '
                      'network', reason)
        after = self.neutron_requests(methods=('POST',),
                                      path='/v2.0/networks')
        # One attempt on the side that refused, none retried elsewhere.
        self.assertEqual(1, after['neutron-r2'] - before['neutron-r2'])
        self.assertLessEqual(after['neutron-r1'] - before['neutron-r1'], 1)
