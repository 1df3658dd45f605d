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

"""R5 and R7: the active site of a georedundant VNF is lost, in every mode
and for every kind of site.

A VNF per mode (hot, warm and cold for regions; hot and cold for clouds,
warm and cold for cells, whose lifecycle test runs the third) is deployed
at once as the tenant, in RegionOne's Heat, and switched over to site b,
so that the site that fails is not the one whose Heat keeps the stacks.
Site b then fails:

- regions: RegionTwo is cut: its Heat, Nova, Neutron and Placement close
  the connection of every request made for the test's stacks, unanswered,
  as a lost datacenter's stopped services would (the other tests go on
  there);
- clouds: cloud B is cut the same way (its Glance and Keystone too);
- cells: cell2's compute host is forced down and disabled, as an operator
  marks the hosts of a lost datacenter (both cells share one Nova API, one
  Neutron and one Heat, which live on); the test then runs alone, since
  the other tests boot in cell2.

Monitoring runs stack check during the outage: it fails naming site b.
The failover back to site a then completes for each VNF, and rebuilds
nothing: every resource keeps its physical ID, the link its segmentation
ID, and hot and warm promote the server that was already there. A site
that cannot be reached is named as degraded, owing its fencing; once it
is back a check fences the former active instance (its ports down), then
demotes it (hot and warm keep it as the standby, with the new epoch; cold
deletes it), then brings its ports back, every resource keeping its
physical ID. One more update changes nothing.
Deleting the stacks leaves no server, port or network of them on any side.
"""

from tests.functional import base
from tests.functional import vnf

MODES = ('hot', 'warm', 'cold')


class Failover:
    """The scenario, for a test case of a site kind that says how its site
    b fails and comes back."""

    # How site b is named, and whether its failure keeps the VNF from
    # reaching it (its Heat or Nova stops answering): then the VNF records
    # the site as degraded until a check finds it back.
    SITE_B = None
    UNREACHABLE = True
    # How stack check names site b while it is down.
    CHECK_FAILURE = 'endpoint site_b (%s) is unreachable'
    # The VNFs' modes, one VNF each.
    MODES = MODES

    def fail_site_b(self):
        raise NotImplementedError

    def restore_site_b(self):
        raise NotImplementedError

    def each(self, stacks, verb, expect='COMPLETE', **defaults):
        """Update (with these template defaults) or check every stack at
        once; wait for each, and return them by mode."""
        for stack, template in stacks.values():
            if verb == 'update':
                vnf.templates.set_defaults(template, **defaults)
                self.heat.update_stack(stack.id, template=template)
            else:
                self.heat.check_stack(stack.id)
        return {mode: self.wait(stack.id, verb.upper(), expect)
                for mode, (stack, _) in stacks.items()}

    def assertFailedOver(self, mode, out, former):
        """Site a is active; a hot or warm standby is the former active
        server, a cold one runs nothing."""
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertInstance(out, 'active')
        self.assertEqual(None if mode == 'cold' else former,
                         out['standby']['server_id'])

    def built(self, stack):
        """The physical ID of every resource, and the link's segment."""
        ids = {r.name: r.physical_resource_id
               for r in self.heat.resources(stack)}
        ids['segmentation_id'] = self.outputs(stack)['segmentation_id']
        return ids

    def servers(self, out):
        return {out[role]['endpoint']: out[role]['server_id']
                for role in ('active', 'standby')}

    def assertFencedThenDemoted(self, stack, mode, former):
        """The check fenced site b before it demoted its instance, and
        brought its ports back after; hot and warm keep the former active
        server as the standby, in the standby role, with the new epoch."""
        reasons = [e.resource_status_reason for e in
                   self.heat.stack_events(stack, resource_name='vnf')]
        fenced = 'site site_b (%s): fenced, ports on the links down' % (
            self.SITE_B)
        back = ('site site_b (%s): ports on the links up again, as the '
                'standby' % self.SITE_B)
        self.assertIn(fenced, reasons)
        self.assertIn(back, reasons)
        # Events come newest first.
        self.assertLess(reasons.index(back), reasons.index(fenced))
        out = self.outputs(stack)
        _, standby = self.assertInstance(out, 'standby',
                                         running=mode != 'cold')
        if standby is not None:
            self.assertEqual(former, standby.id)
            self.assertEqual(('standby', '3'), (standby.metadata['role'],
                                                standby.metadata['epoch']))

    def test_failover_in_every_mode(self):
        stacks = {}
        for mode in self.MODES:
            template = vnf.templates.vnf(
                self.KIND, mode=mode, segmentation_range=vnf.VLANS[self.KIND])
            stacks[mode] = (self.start_stack(template), template)
        for stack, _ in stacks.values():
            self.wait(stack.id, 'CREATE')
        self.each(stacks, 'update', active='b')
        built = {mode: self.built(stack)
                 for mode, (stack, _) in stacks.items()}
        servers = {mode: self.servers(self.outputs(stack))
                   for mode, (stack, _) in stacks.items()}

        self.fail_site_b()
        for checked in self.each(stacks, 'check', expect='FAILED').values():
            self.assertIn(self.CHECK_FAILURE % self.SITE_B,
                          checked.status_reason)
        self.each(stacks, 'update', active='a')
        for mode, (stack, _) in stacks.items():
            out = self.outputs(stack)
            self.assertEqual(built[mode], self.built(stack))
            if mode != 'cold':
                self.assertEqual(servers[mode]['site_a'],
                                 out['active']['server_id'])
            if self.UNREACHABLE:
                # Site b still owes its fencing and demotion.
                self.assertEqual('site_a', out['active']['endpoint'])
                self.assertInstance(out, 'active')
                self.assertTrue(out['standby']['owes_fencing'])
                self.assertIn('standby site site_b (%s) is degraded, owes '
                              'fencing' % self.SITE_B, out['status'])
            else:
                self.assertFailedOver(mode, out, servers[mode]['site_b'])
        for checked in self.each(stacks, 'check', expect='FAILED').values():
            self.assertIn(self.CHECK_FAILURE % self.SITE_B,
                          checked.status_reason)

        self.restore_site_b()
        self.each(stacks, 'check')
        for mode, (stack, _) in stacks.items():
            out = self.outputs(stack)
            self.assertEqual('ACTIVE', out['status'])
            self.assertFailedOver(mode, out, servers[mode]['site_b'])
            self.assertInstance(out, 'standby', running=mode != 'cold')
            if self.UNREACHABLE:
                self.assertFencedThenDemoted(stack, mode,
                                             servers[mode]['site_b'])
            if mode == 'cold':
                self.assertEqual([], self.servers_at(stack, 'site_b'))
            # The check fenced and demoted; it rebuilt nothing.
            self.assertEqual(built[mode], self.built(stack))
            servers[mode] = self.servers(out)

        # One more update rebuilds nothing.
        self.each(stacks, 'update', active='a')
        for mode, (stack, _) in stacks.items():
            self.assertEqual(built[mode], self.built(stack))
            self.assertEqual(servers[mode], self.servers(self.outputs(stack)))


class RegionFailoverTest(Failover, vnf.RedundantVNFTestCase):

    SITE_B = 'region RegionTwo'
    SIDE_B = 'RegionTwo'
    # Every service of the side (base.SITE_SERVICES).
    SERVICES = None

    def fail_site_b(self):
        self.cut_site(self.SIDE_B, self.SERVICES)

    def restore_site_b(self):
        self.restore_site()


class CloudFailoverTest(RegionFailoverTest):

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}
    SITE_B = 'cloud cloud-b, region RegionOne'
    SIDE_B = 'cloud-b'
    # Every service of cloud B, its Keystone too: the tokens geo-heat holds
    # for it may have expired (unit test: a site whose Keystone is gone).
    # A running spare and a stored one (the regions run all three modes).
    MODES = ('hot', 'cold')


class CellFailoverTest(base.SandboxToItself, Failover, vnf.LoseCell2,
                       vnf.RedundantVNFTestCase):

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True
    SITE_B = 'region RegionOne, cell cell2'
    UNREACHABLE = False
    CHECK_FAILURE = ('endpoint site_b (%s) is unavailable: Nova has no '
                     'enabled compute host in availability zone az-cell2')

    # A running spare and a stored one: for a cell that answers while its
    # hosts are down, hot fails over as warm does (the regions run all
    # three), and each VNF here keeps the other tests waiting.
    MODES = ('warm', 'cold')

    def fail_site_b(self):
        """Alone: the other tests boot in cell2."""
        self.alone()
        self.lose_cell2()

    def restore_site_b(self):
        self.restore_cell2()
        self.together()
