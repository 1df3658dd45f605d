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

"""R7: what a planned switchover and a move of the backup site do while the
VNF runs, as the tenant.

- No two actives: during a planned switchover a watcher reads both
  servers' metadata every 0.2 s and never sees two with role=active: the
  former active instance is demoted before the new one is promoted. A
  former active site that answers with a refusal fails the switchover,
  naming the site, and the standby is not promoted.
- The backup site moves while the VNF runs (RegionTwo to cloud B cold,
  cell2 to RegionTwo warm; RegionTwo to cloud B warm once given up, below):
  the active server stays, the new standby site gets its link and its
  instance (cold: its reserved port only), and nothing is left at the
  former standby site.
- A site given up for good: RegionTwo (the standby's Heat, Nova and Neutron) is
  cut for the test's requests (unanswered, as if stopped; other tests go on
  there) until the stack is deleted; the tenant marks site_b lost, moves the
  standby to cloud B, and later deletes the stack: each completes in under a
  minute. Once RegionTwo is back, geo-heat-sweep removes what the VNF and its
  link left there, and nothing of the stack remains.
"""

import re
import threading
import time

from openstack import exceptions as sdk_exc

from geo_heat import definitions
from tests.functional import vnf
from tests.functional.resilience import test_lost_site


class RoleWatcher:
    """Reads the role in each server's metadata every `interval` seconds
    until stopped: the samples, one {side: role} per read, the last one
    read once stopped.

    A sample reads the servers one after the other, in the order given:
    the one to be promoted first. A promotion is not undone, so if it
    reads active and the other one, read later, does too, both were active
    at once; read the other way round, a sample straddling the switchover
    would see two actives that never ran together.
    """

    def __init__(self, test, servers, interval=0.2):
        self.test = test
        self.servers = servers
        self.interval = interval
        self.samples = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _sample(self):
        return {side: self.test.server(side, server_id).metadata.get('role')
                for side, server_id in self.servers.items()}

    def _watch(self):
        while not self.done.is_set():
            self.samples.append(self._sample())
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.thread.join()
        return self.samples + [self._sample()]


class NoTwoActivesTest(vnf.RedundantVNFTestCase):

    def test_planned_switchover_never_runs_two_actives(self):
        stack, template = self.deploy(mode='warm')
        out = self.outputs(stack)
        watcher = RoleWatcher(self, {
            'RegionTwo': out['standby']['server_id'],
            'RegionOne': out['active']['server_id']})
        self.update(stack, template, active='b')
        samples = watcher.stop()
        self.assertEqual({'RegionOne': 'active', 'RegionTwo': 'standby'},
                         samples[0])
        self.assertEqual({'RegionOne': 'standby', 'RegionTwo': 'active'},
                         samples[-1])
        self.assertEqual([], [sample for sample in samples
                              if list(sample.values()).count('active') > 1])


    def test_a_refusal_of_the_former_active_site_fails_the_switchover(self):
        stack, template = self.deploy(mode='warm')
        out = self.outputs(stack)
        # RegionOne's Heat refuses every change of site_a's instance stack.
        instance = r'/stacks/%s-vnf-[^/]*-site_a/' % re.escape(
            self.stack_names[stack.id])
        self.refuse_requests('heat-r1', 'PUT', instance)
        failed = self.update(stack, template, expect='FAILED', active='b')
        self.assertIn('site site_a (region RegionOne): failed to update '
                      'stack', failed.status_reason)
        self.assertIn('Conflict', failed.status_reason)
        self.assertEqual(
            ('active', 'standby'),
            (self.server('RegionOne', out['active']['server_id'])
             .metadata['role'],
             self.server('RegionTwo', out['standby']['server_id'])
             .metadata['role']))


def moved(template, kind, mode, context, **endpoint):
    """The template with its standby site moved to a new endpoint site_c
    (with its own link from site_a), as the update that moves it."""
    resources = template['resources']
    resources['site_c'] = {'type': 'OS::Geo::Endpoint', 'properties': dict(
        {'context': context, 'physical_network': 'physnet1'}, **endpoint)}
    link = resources.pop('replication_link')
    link['properties']['remote_endpoint'] = {'get_resource': 'site_c'}
    link['properties']['segmentation_range'] = MOVE_VLANS[kind]
    resources['link_c'] = link
    for name, output in template['outputs'].items():
        if output['value'].get('get_attr', [None])[0] == 'replication_link':
            output['value']['get_attr'][0] = 'link_c'
    resources['vnf']['properties'].update(
        active_endpoint={'get_resource': 'site_a'},
        standby_endpoint={'get_resource': 'site_c'},
        links=[{'get_resource': 'link_c'}])
    return template


# VLANs the new standby site's link draws from: RegionOne to cloud B, and
# cell1 (its own physical network) to RegionTwo.
MOVE_VLANS = {'regions': '3200:3249', 'cells': '195:199'}


class MoveStandby:
    """The standby site moves to site_c while a VNF in MODE runs."""

    NEW_SIDE = None
    CONTEXT = None
    MODE = None

    def test_move(self):
        mode = self.MODE
        stack, template = self.deploy(mode=mode)
        out = self.outputs(stack)
        active = out['active']['server_id']
        old_standby = self.servers_at(stack, 'site_b')
        self.assertEqual(mode != 'cold', bool(old_standby))
        self.SIDES = dict(self.SIDES, site_c=(self.NEW_SIDE, None))
        self.heat.update_stack(stack, template=moved(
            template, self.KIND, mode, self.CONTEXT))
        self.wait(stack.id, 'UPDATE')
        out = self.outputs(stack)
        self.assertEqual(('site_a', active),
                         (out['active']['endpoint'],
                          out['active']['server_id']))
        self.assertEqual('site_c', out['standby']['endpoint'])
        self.assertEqual('ACTIVE', out['status'])
        self.assertEqual([], self.servers_at(stack, 'site_b'))
        self.assertEqual(mode != 'cold',
                         bool(self.servers_at(stack, 'site_c')))
        # The VNF holds one port per site on the new link, nothing at the
        # former standby site; a former site elsewhere keeps nothing.
        side_b, _ = self.SIDES['site_b']
        ports = {side: len(list(self.connection(side).network.ports(
            tags=definitions.stack_tag(stack.id))))
            for side in {'RegionOne', side_b, self.NEW_SIDE}}
        self.assertEqual(dict.fromkeys(ports, 0) | {'RegionOne': 1,
                                                    self.NEW_SIDE: 1}, ports)
        if side_b not in ('RegionOne', self.NEW_SIDE):
            self.assertEqual([], [item for item in self.leftovers(stack.id)
                                  if item[0] == side_b])


class MoveRegionToCloudTest(MoveStandby, vnf.RedundantVNFTestCase):
    """RegionTwo to cloud B."""

    NEW_SIDE = 'cloud-b'
    CONTEXT = {'cloud': 'cloud-b', 'region_name': 'RegionOne'}
    # Warm moves this way in LostForGoodTest.
    MODE = 'cold'


class MoveCellToRegionTest(MoveStandby, vnf.RedundantVNFTestCase):
    """cell2 (RegionOne) to RegionTwo."""

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True
    NEW_SIDE = 'RegionTwo'
    CONTEXT = {'region_name': 'RegionTwo'}
    MODE = 'warm'


class LostForGoodTest(vnf.RedundantVNFTestCase):

    REGION_TWO = ('heat-r2', 'nova-r2', 'neutron-r2')
    sweep = test_lost_site.LostSiteTest.sweep

    def timed(self, stack, verb, template=None):
        """Seconds the stack update (or delete) took."""
        start = time.monotonic()
        if verb == 'update':
            self.heat.update_stack(stack, template=template)
        else:
            self.heat.delete_stack(stack.id)
        try:
            self.wait(stack.id, verb.upper())
        except sdk_exc.NotFoundException:
            pass  # deleted, and gone from the listing already
        return time.monotonic() - start

    def test_given_up_moved_deleted_then_swept(self):
        stack, template = self.deploy(mode='warm')
        out = self.outputs(stack)
        active = out['active']['server_id']
        left_stack = out['standby']['stack_id']
        self.cut_site('RegionTwo', services=self.REGION_TWO)

        template['resources']['site_b']['properties']['lost'] = True
        self.assertLess(self.timed(stack, 'update', template), 60)
        self.assertIn('standby site site_b (region RegionTwo) was given up',
                      self.outputs(stack)['status'])
        self.SIDES = dict(self.SIDES, site_c=('cloud-b', None))
        self.LINK = 'link_c'
        self.assertLess(self.timed(stack, 'update', moved(
            template, self.KIND, 'warm',
            {'cloud': 'cloud-b', 'region_name': 'RegionOne'})), 60)
        out = self.outputs(stack)
        self.assertEqual((active, 'site_c', 'ACTIVE'),
                         (out['active']['server_id'],
                          out['standby']['endpoint'], out['status']))
        self.assertInstance(out, 'standby')
        self.assertLess(self.timed(stack, 'delete'), 60)

        self.restore_site()
        left = self.leftovers(stack.id)
        self.assertNotEqual([], [item for item in left
                                 if item[0] == 'RegionTwo'])
        self.assertEqual([], [item for item in left
                              if item[0] != 'RegionTwo'])
        removed = self.sweep(stack.id, '--delete')
        self.assertIn('stack %s is gone' % stack.id, removed)
        self.assertIn(left_stack, removed)
        self.assertNothingLeft(stack.id)
