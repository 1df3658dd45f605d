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

"""The day a datacenter is lost: its endpoint is given up for good.

A link RegionOne-RegionTwo is created as the tenant; RegionTwo's Neutron is
gone for good (cut for the test's requests: geo-heat's calls for its stack get
no answer there, as from a stopped Neutron). The operator marks site_b lost: a
stack check then passes (RegionOne only), and the stack delete completes at
once, without waiting for RegionTwo, naming what it left there. When RegionTwo
comes back, geo-heat-sweep (the operator's, with the sandbox's clouds) lists
the link's network there, then removes it.
"""

import os
import subprocess
import sys
import time

from openstack import exceptions as sdk_exc

import geo_heat_sandbox as sandbox
from tests.functional import base

SWEEP = os.path.join(os.path.dirname(sys.executable), 'geo-heat-sweep')


class LostSiteTest(base.FunctionalTestCase):

    def sweep(self, stack_id, *args):
        """geo-heat-sweep on RegionTwo, for what one stack of RegionOne's
        Heat left (the sandbox's admin), not what other tests have there;
        its output."""
        result = subprocess.run(
            [SWEEP, '--clouds-file', sandbox.operator_clouds_yaml(
                self.state_dir), '--clouds-file', sandbox.clouds_yaml(
                self.state_dir), '--site', 'cloud-a:RegionTwo',
             '--heat', 'sandbox:RegionOne', '--stack', stack_id, *args],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        return result.stdout

    def left_in_logs(self, network_id):
        """Lines of the sandbox's logs naming what a link left there."""
        lines = []
        for path in sandbox.logs(self.state_dir):
            with open(path, errors='replace') as log:
                lines += [line for line in log
                          if 'is lost; left there' in line and
                          network_id in line]
        return lines

    def test_delete_without_the_lost_site_then_sweep(self):
        template = base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                                  link={'segmentation_id': 194})
        stack = self.create_stack(template)
        remote_id = self.outputs(stack)['remote_network_id']

        self.cut_site('RegionTwo', services=('neutron-r2',))
        template['resources']['site_b']['properties']['lost'] = True
        self.heat.update_stack(stack, template=template)
        self.wait(stack.id, 'UPDATE')
        # Nothing asks RegionTwo any more: the check reads RegionOne only,
        # and the link's status names what it has in RegionTwo.
        self.action(stack, 'check')
        self.assertIn('remote side (region RegionTwo) is lost; left there: '
                      'network %s' % remote_id,
                      self.outputs(stack)['status'])
        start = time.monotonic()
        self.heat.delete_stack(stack.id)
        try:
            self.wait(stack.id, 'DELETE')
        except sdk_exc.NotFoundException:
            pass  # deleted, and gone from the listing already
        self.assertLess(time.monotonic() - start, 60)
        self.assertNotEqual([], self.left_in_logs(remote_id))
        self.assertEqual([], self.tagged_networks(stack.id, 'RegionOne'))

        self.restore_site()
        self.assertEqual([remote_id], [
            n.id for n in self.tagged_networks(stack.id, 'RegionTwo')])
        listed = self.sweep(stack.id)
        self.assertIn('would delete network %s' % remote_id, listed)
        self.assertIn('stack %s is gone' % stack.id, listed)
        self.assertEqual([remote_id], [
            n.id for n in self.tagged_networks(stack.id, 'RegionTwo')])
        removed = self.sweep(stack.id, '--delete')
        self.assertIn('deleted network %s' % remote_id, removed)
        self.assertNothingLeft(stack.id)


class LostValidationTest(base.FunctionalTestCase):

    def test_a_new_endpoint_cannot_be_lost(self):
        self.assertRefused(
            base.two_sites({'region_name': 'RegionTwo'},
                           remote={'lost': True}),
            'resources.site_b.properties.lost',
            'a new endpoint cannot be lost')
