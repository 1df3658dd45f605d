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

"""R1: a side's Neutron goes away while a link is used.

Each case ends with an error that names the side, and once the service is
back, deleting the stack leaves nothing of it on any side (by tag, and by
name for networks a create could not tag).

neutron-r2 goes away for the test's requests only (geo-heat passes the
test's request ID on to every site): it closes their connections,
unanswered and unprocessed, as a stopped service refuses them, while the
other tests go on there. To lose it at a known step, the test first holds
its requests there (they hang at neutron-r2, unprocessed) until the other
side has done its part; losing neutron-r2 then closes the held ones too.
The stack's own Heat engine dying mid-step is
tests/functional/production/test_engine_lost.py.
"""

import testscenarios

from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios

REMOTE_DOWN = 'remote side (region RegionTwo): cannot reach Neutron to '


def link_to_region_two(segmentation_id):
    return base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                          link={'segmentation_id': segmentation_id})


class RemoteNeutronDown(base.FunctionalTestCase):
    """neutron-r2 held and lost for the test's requests."""

    def lose_remote(self, held=None):
        """neutron-r2 is gone for the test's requests, held ones too."""
        self.cut_site('RegionTwo', services=('neutron-r2',))
        if held is not None:
            held.disarm()


class RemoteNeutronDownTest(RemoteNeutronDown):
    """neutron-r2 (the remote side) goes away before, during and after
    create."""

    def test_down_before_create(self):
        self.lose_remote()
        stack = self.create_stack(link_to_region_two(195), expect='FAILED')
        self.assertIn('endpoint site_b (region RegionTwo) is unreachable',
                      stack.status_reason)
        self.restore_site()
        self.delete_stack(stack.id)

    def test_down_after_local_half_exists(self):
        held = self.hold_requests('neutron-r2', 'POST', r'/v2\.0/networks$')
        stack = self.start_stack(link_to_region_two(196))
        self.wait_for(lambda: self.tagged_networks(stack.id, 'RegionOne'),
                      'local network')
        self.lose_remote(held)
        stack = self.wait(stack.id, 'CREATE', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'create the vlan network',
                      stack.status_reason)
        # The local half was undone at once, not left for the delete.
        self.assertEqual([], self.tagged_networks(stack.id, 'RegionOne'))
        self.restore_site()
        self.delete_stack(stack.id)

    def test_down_during_delete(self):
        stack = self.create_stack(link_to_region_two(197))
        held = self.hold_requests('neutron-r2', 'DELETE')
        self.heat.delete_stack(stack.id)
        self.wait_for(
            lambda: not self.tagged_networks(stack.id, 'RegionOne'),
            'local half deleted')
        self.lose_remote(held)
        stack = self.wait(stack.id, 'DELETE', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'delete network', stack.status_reason)
        self.restore_site()
        self.assertEqual(1, len(self.tagged_networks(stack.id, 'RegionTwo')))
        self.delete_stack(stack.id)

    def test_down_before_check(self):
        stack = self.create_stack(link_to_region_two(198))
        self.lose_remote()
        checked = self.action(stack, 'check', expect='FAILED')
        # The remote endpoint is checked first and names its region.
        self.assertIn('endpoint site_b (region RegionTwo) is unreachable',
                      checked.status_reason)
        self.restore_site()
        self.action(stack, 'check')
        self.delete_stack(stack.id)

    def test_down_during_check(self):
        stack = self.create_stack(link_to_region_two(199))
        # The endpoints' check reads Neutron's extensions; the link's
        # reads its network, and waits.
        held = self.hold_requests('neutron-r2', 'GET', r'/v2\.0/networks')
        self.heat.check_stack(stack)
        self.wait_for(lambda: self.resource(stack, 'site_b').status ==
                      'CHECK_COMPLETE', 'remote endpoint checked')
        self.lose_remote(held)
        self.wait(stack.id, 'CHECK', 'FAILED')
        self.assertIn(REMOTE_DOWN + 'read network',
                      self.resource(stack, 'link').status_reason)
        self.restore_site()
        self.action(stack, 'check')
        self.delete_stack(stack.id)


class StitchedRemoteNeutronDownTest(RemoteNeutronDown):
    """neutron-r2 goes away while a stitched link is deleted: the error
    names it, and a second delete once it is back leaves nothing on either
    side (networks, routers and VPNaaS objects by the stack's name,
    BGPVPNs and site connections by the link's description)."""

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
        held = self.hold_requests('neutron-r2', 'DELETE')
        self.heat.delete_stack(stack.id)
        self.wait_for(lambda: not self.stitching('RegionOne', description),
                      'local side unstitched')
        self.lose_remote(held)
        stack = self.wait(stack.id, 'DELETE', 'FAILED')
        self.assertIn(REMOTE_DOWN, stack.status_reason)
        self.restore_site()
        self.delete_stack(stack.id)
        for side in ('RegionOne', 'RegionTwo'):
            self.assertEqual([], self.stitching(side, description), side)


class QuotaTest(base.SandboxToItself, base.FunctionalTestCase):
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
