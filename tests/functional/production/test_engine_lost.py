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

"""An engine worker killed (SIGKILL, by PID) while it drives a step of a
link create, of a VNF create or of a VNF switchover.

The step is held at the other side (its request hangs there), so the kill
lands mid-step; the worker that drives it is the one that logged the
resource's action. The worker's Heat then restarts (a new engine in each
worker): the stack is left in progress with its resource locked by a dead
engine, and the next update, finding that engine dead (Heat's liveness
check), steals the lock and converges. Nothing is duplicated on either
side, and the delete leaves nothing.
"""

import collections
import os
import re
import signal

from geo_heat import definitions
from tests.functional import base
from tests.functional.production import test_production
from tests.functional import vnf

import geo_heat_sandbox as sandbox

# Drawn from by no other test.
LINK_RANGE = (3300, 3349)


class EngineLostTest(test_production.Production, vnf.RedundantVNFTestCase):

    def driving_pid(self, offsets, verb, resource, stack_name):
        """The PID of the engine worker that last logged `verb` (creating,
        updating) of a resource of the stack since the offsets."""
        line = re.compile(r'^\S+ \S+ (\d+) INFO heat\.engine\.resource .* '
                          r'%s \w+ "%s" .*Stack "%s"' % (
                              verb, resource, re.escape(stack_name)))
        pids = []
        for name, offset in offsets.items():
            with open(sandbox.status(self.state_dir)['services'][name]['log'],
                      errors='replace') as log:
                log.seek(offset)
                pids.extend(int(m.group(1)) for m in map(line.match, log)
                            if m)
        self.assertTrue(pids, 'no engine logged %s %s' % (verb, resource))
        return pids[-1]

    def kill_engine_mid_step(self, held, offsets, verb, resource, stack):
        """Once the step is held, kill the worker that drives it; restart
        its Heat, the held request never answered. The test is alone from
        before the step (a wait for the others could outlast geo-heat's
        call_timeout, and the step fail by itself)."""
        self.wait_for(lambda: held.remaining() == 0, 'held request')
        pid = self.driving_pid(offsets, verb, resource,
                               self.stack_names[stack.id])
        os.kill(pid, signal.SIGKILL)
        held.disarm()
        self.stop_service('heat-r1')
        self.start_service('heat-r1')
        self.together()
        return pid

    def assertConverges(self, stack, template, action, endpoint):
        """The next update of the VNF whose `action` an engine's death cut
        short: the lock stolen, `endpoint` active and both instances where
        they belong. The outputs and both servers."""
        self.heat.update_stack(stack.id, template=template)
        self.wait(stack.id, 'UPDATE')
        self.assertLockStolen(stack, 'vnf', action)
        out = self.outputs(stack)
        self.assertEqual((endpoint, 'ACTIVE'),
                         (out['active']['endpoint'], out['status']))
        _, active = self.assertInstance(out, 'active')
        _, standby = self.assertInstance(out, 'standby')
        return out, active, standby

    def assertLockStolen(self, stack, resource, action):
        """Heat's liveness check found the engine dead and took over."""
        self.assertIn('Worker went down during resource %s' % action,
                      [e.resource_status_reason for e in
                       self.heat.stack_events(stack, resource_name=resource)])

    def create_cut_short(self, template, service, path, resource):
        """A stack of the template whose create of `resource` is cut short:
        its create request (POST `path`) at `service` held, the engine
        worker that drives it killed. The stack and its name."""
        name = self.stack_name()
        self.alone()
        held = self.hang_requests(service, 'POST', path, contains=name,
                                  count=1)
        offsets = self.log_offsets()
        stack = self.start_stack(template, name=name)
        self.kill_engine_mid_step(held, offsets, 'creating', resource, stack)
        return stack, name

    def test_link_create(self):
        template = base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                                  '%d:%d' % LINK_RANGE)
        stack, _ = self.create_cut_short(template, 'neutron-r2',
                                         r'/networks$', 'link')

        self.heat.update_stack(stack.id, template=template)
        self.wait(stack.id, 'UPDATE')
        self.assertLockStolen(stack, 'link', 'CREATE')
        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        for side, key in (('RegionOne', 'local_network_id'),
                          ('RegionTwo', 'remote_network_id')):
            (network,) = self.tagged_networks(stack.id, side)
            self.assertEqual((out[key], out['segmentation_id']),
                             (network.id, network.provider_segmentation_id))
        self.delete_stack(stack.id)

    def test_vnf_switchover(self):
        stack, template = self.deploy(mode='hot')
        out = self.outputs(stack)
        servers = {role: out[role]['server_id']
                   for role in ('active', 'standby')}
        self.alone()
        # The promotion of site b, after site a's demotion.
        held = self.hang_requests('heat-r2', 'PUT',
                                  re.escape(out['standby']['stack_id']),
                                  count=1)
        offsets = self.log_offsets()
        vnf.templates.set_defaults(template, active='b')
        self.heat.update_stack(stack.id, template=template)
        self.kill_engine_mid_step(held, offsets, 'updating', 'vnf', stack)

        out, active, standby = self.assertConverges(stack, template,
                                                    'UPDATE', 'site_b')
        self.assertEqual((servers['standby'], servers['active']),
                         (active.id, standby.id))
        roles = collections.Counter()
        for endpoint in ('site_a', 'site_b'):
            (server,) = self.servers_at(stack, endpoint)
            roles[server.metadata['role']] += 1
        self.assertEqual({'active': 1, 'standby': 1}, roles)
        for side in ('RegionOne', 'RegionTwo'):
            (network,) = self.tagged_networks(stack.id, side)
            self.assertEqual(out['segmentation_id'],
                             network.provider_segmentation_id)
        self.delete_stack(stack.id)

    def test_vnf_create(self):
        template = vnf.templates.vnf(self.KIND, mode='hot',
                                     segmentation_range=vnf.VLANS[self.KIND])
        # The standby instance's create at site b, after the active one's.
        stack, name = self.create_cut_short(template, 'heat-r2', r'/stacks$',
                                            'vnf')
        (cut_short,) = self.servers_at(stack, 'site_a')
        self.assertEqual('active', cut_short.metadata['role'])
        (cut_short_user,) = self.stack_users(name, 'vnf')

        # One instance per site, each on the one port of its address.
        out, active, standby = self.assertConverges(stack, template,
                                                    'CREATE', 'site_a')
        self.assertNotEqual(cut_short.id, active.id)
        for endpoint, server in (('site_a', active), ('site_b', standby)):
            self.assertEqual([server.id], [
                s.id for s in self.servers_at(stack, endpoint)])
        for side in ('RegionOne', 'RegionTwo'):
            self.assertEqual(1, len(list(self.connection(side).network.ports(
                tags=definitions.stack_tag(stack.id)))))
        (user,) = self.stack_users(name, 'vnf')
        self.assertNotEqual(cut_short_user, user)
        self.delete_stack(stack.id)
        self.assertEqual([], self.stack_users(name, 'vnf'))

    def stack_users(self, stack_name, resource):
        """The users Heat made in its stack user domain for a resource of
        the stack (it names them after the resource)."""
        identity = self.connection().identity
        domain = identity.find_domain('heat', ignore_missing=False)
        prefix = '%s-%s-' % (stack_name, resource)
        return [user.name for user in identity.users(domain_id=domain.id)
                if user.name.startswith(prefix)]
