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

"""geo-heat-watcher in the sandbox: the one `geo-heat-sandbox up` starts
(as the tenant, against RegionOne's Heat, cloud B through tenant-b, a round
every second, logging to <state>/logs/watcher.log) and single rounds
(--once) of the console script.

Until a VNF can fail over automatically, the watcher must find nothing to
do and say nothing. Once OS::Geo::RedundantVNF has the `failover`
property, the full path runs: RegionTwo's Nova and Neutron stop under an
active instance there, the watcher reports the site lost to the VNF's
signal URL, and the VNF promotes its standby without any stack update.
"""

import os
import subprocess
import sys
import time

import geo_heat_sandbox as sandbox
from geo_heat import watcher
from tests.functional import base
from tests.functional import vnf

WATCHER = os.path.join(os.path.dirname(sys.executable), 'geo-heat-watcher')
# Seconds the witness waits, confirming the loss itself, before it
# promotes (when the VNF has that property).
FAILOVER_AFTER = 5


def watcher_log(state_dir):
    return sandbox.status(state_dir)['watcher']['log']


def read_from(path, offset):
    with open(path, errors='replace') as log:
        log.seek(offset)
        return log.read()


class WatcherTest(vnf.RedundantVNFTestCase):

    def test_the_sandbox_watcher_runs_and_stays_quiet(self):
        info = sandbox.status(self.state_dir)['watcher']
        self.assertTrue(info['running'], info)
        offset = os.path.getsize(info['log'])
        time.sleep(3)  # three rounds
        self.assertTrue(sandbox.status(self.state_dir)['watcher']['running'])
        self.assertNotIn(watcher.SITE_LOST, read_from(info['log'], offset))
        self.assertNotIn('Traceback', read_from(info['log'], 0))

    def test_once_against_a_vnf_that_does_not_fail_over_automatically(self):
        """The watcher finds the VNF through Heat (its listing of every
        stack, nested ones included, and its resource show), leaves it
        alone and exits; the VNF got no signal."""
        stack, _template = self.deploy()
        path = '/stacks/%s/%s/resources/vnf' % (stack.name, stack.id)
        self.assertIn(path, list(watcher.resource_paths(self.heat)))
        shown = self.heat.get(path, params={
            'with_attr': list(watcher.ATTRIBUTES)}).json()['resource']
        self.assertEqual('site_a', shown['attributes']['active']['endpoint'])
        self.assertNotEqual(watcher.AUTOMATIC,
                            shown['attributes'].get('failover'))

        result = subprocess.run(
            [WATCHER, '--once', '--clouds-file',
             sandbox.clouds_yaml(self.state_dir), '--heat',
             'tenant:RegionOne', '--site-cloud', 'cloud-b=tenant-b'],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        # Other tests' automatic VNFs may be watched; this one is not.
        lines = result.stderr.splitlines()
        self.assertIn('watching Heat tenant:RegionOne every 2.0 s', lines[0])
        self.assertEqual([], [line for line in lines if stack.name in line])
        reasons = [e.resource_status_reason for e in
                   self.heat.stack_events(stack, resource_name='vnf')]
        self.assertEqual([], [r for r in reasons if 'geo-heat-watcher' in r])

    def test_sigterm_stops_it(self):
        proc = subprocess.Popen(
            [WATCHER, '--clouds-file', sandbox.clouds_yaml(self.state_dir),
             '--heat', 'tenant:RegionOne', '--interval', '1'],
            stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.stderr.close)
        self.addCleanup(proc.kill)
        self.assertIn('watching Heat', proc.stderr.readline())
        proc.terminate()
        self.assertEqual(0, proc.wait(timeout=30))
        self.assertIn('stopped', proc.stderr.read())


class WatcherFailoverTest(base.SandboxToItself, vnf.RedundantVNFTestCase):
    """The sandbox's watcher, as the tenant, against a warm VNF with
    automatic failover active in RegionTwo (the stack in RegionOne); alone
    once RegionTwo stops."""

    SERVICES = ('nova-r2', 'neutron-r2')

    def setUp(self):
        # Before the lock, so that a skip waits for nothing.
        self.schema = self.heat.get(
            '/resource_types/%s' % watcher.VNF_TYPE).json()
        if 'failover' not in self.schema['properties']:
            self.skipTest('needs the VNF witness')
        super().setUp()

    def active(self, stack):
        """The VNF's active instance, as its resource show has it (no
        live read of the sites)."""
        return self.heat.get('/stacks/%s/%s/resources/vnf' % (
            stack.name, stack.id)).json()['resource']['attributes']['active']

    def test_the_standby_is_promoted_without_a_stack_update(self):
        template = vnf.templates.vnf(self.KIND, mode='warm', active='b',
                                     segmentation_range=vnf.VLANS[self.KIND])
        properties = template['resources']['vnf']['properties']
        properties['failover'] = watcher.AUTOMATIC
        if 'failover_after' in self.schema['properties']:
            properties['failover_after'] = FAILOVER_AFTER
        stack = self.create_stack(template)
        out = self.outputs(stack)
        self.assertEqual('site_b', out['active']['endpoint'])
        standby = out['standby']['server_id']
        log = watcher_log(self.state_dir)
        offset = os.path.getsize(log)

        self.alone()
        for service in self.SERVICES:
            self.stop_service(service)

        def site_a_active():
            active = self.active(stack)
            return active if active['endpoint'] == 'site_a' else None

        promoted = self.wait_for(site_a_active, 'promotion of site_a')
        self.assertEqual(standby, promoted['server_id'])
        self.assertEqual('ACTIVE', self.server('RegionOne', standby).status)
        # No update: the signal did it.
        self.assertEqual('CREATE_COMPLETE',
                         self.heat.get_stack(stack.id).status)
        self.assertIn('signalled %s of site_b' % watcher.SITE_LOST,
                      read_from(log, offset))
