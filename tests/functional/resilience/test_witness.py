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

"""R8: geo-heat as the witness. The tests play the guests (the fake virt
driver runs none): each instance's user_data holds what it needs to signal
its VNF (its site, the VNF's signal URL, its stack user), and the test
signals with exactly that, as the instance would; a monitor signals with
the tenant's token.

- Automatic failover, no stack update: the active site goes silent for
  the test's VNF (its Heat, Nova and Neutron never answer about the VNF's
  objects there); the standby reports peer-lost and geo-heat, which finds
  the active site silent itself, promotes it (a higher epoch); once the
  site is back a check fences and demotes the former active instance. A
  cold VNF fails over the same way on an Alertmanager webhook (its spare
  in cloud B, see README on trusts), and its spare starts with the
  configuration the active instance last reported. Cells: a lost cell
  (its compute host disabled and down) is what promotes, not before.
- A peer-lost while the active site answers and its server is ACTIVE is a
  cut replication link: no promotion, and status says so.
- A stale epoch, an unknown action, the wrong sender: refused with an
  event, nothing changed; another project cannot signal at all.
- Warm: a reported configuration reaches the standby's metadata. Hot: a
  standby out of sync refuses a switchover, unless forced. Cold: a
  switchover asked by signal starts the spare with the configuration the
  active instance reported.
"""

import base64
import json
import re

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from openstack import exceptions as sdk_exc

from tests.functional import base
from tests.functional import vnf

AUTOMATIC = {'failover': 'automatic', 'failover_after': 0}


class Guest:
    """An instance, with what it was given at boot (its user_data)."""

    def __init__(self, test, side, server_id):
        server = test.connection(side).compute.get_server(server_id)
        given = json.loads(base64.b64decode(server.user_data))
        self.site = given['site']
        self.url = given['signal_url']
        credentials = given['credentials']
        self.session = ks_session.Session(auth=v3.Password(
            auth_url=credentials['auth_url'],
            user_id=credentials['user_id'],
            password=credentials['password'],
            project_id=credentials['project_id']))

    def signal(self, action, epoch, **fields):
        self.session.post(self.url, json=dict(
            action=action, instance=self.site, epoch=epoch, **fields))


class WitnessTestCase(vnf.RedundantVNFTestCase):

    def deploy(self, **defaults):
        defaults.setdefault('failover', 'automatic')
        defaults.setdefault('failover_after', 0)
        return super().deploy(**defaults)

    def guest(self, out, role):
        instance = out[role]
        side, _ = self.SIDES[instance['endpoint']]
        return Guest(self, side, instance['server_id'])

    def monitor(self, stack, body):
        """A monitor's signal, with the tenant's token."""
        sdk_exc.raise_from_response(self.heat.post(
            self.outputs(stack)['signal_url'], json=body))

    def signal_event(self, stack, fragment):
        """The VNF's first event whose reason holds `fragment`, once
        there (signals run after Heat answered them)."""
        def find():
            for event in self.heat.stack_events(stack, resource_name='vnf'):
                if fragment in (event.resource_status_reason or ''):
                    return event
            return None
        return self.wait_for(find, 'event "%s"' % fragment)

    # Each side's Heat, Nova and Neutron.
    SERVICES = {'RegionOne': ('heat-r1', 'nova-r1', 'neutron-r1'),
                'cloud-b': ('heat-b', 'nova-b', 'neutron-b'),
                'RegionTwo': ('heat-r2', 'nova-r2', 'neutron-r2')}

    def silence(self, out, role):
        """The site of `role` goes silent for this test's VNF alone: its
        Heat, Nova and Neutron never answer a request about the
        instance's stack, server or port there (the sandbox's hang fault),
        as a blackholed datacenter, while other tests go on. The faults,
        to disarm when it comes back."""
        instance = out[role]
        side, _ = self.SIDES[instance['endpoint']]
        heat, nova, neutron = self.SERVICES[side]
        address = instance['link_addresses'][self.LINK]
        (port,) = self.connection(side).network.ports(
            fixed_ips='ip_address=%s' % address)
        return [self.hang_requests(service, 'GET', re.escape(object_id))
                for service, object_id in ((heat, instance['stack_id']),
                                           (nova, instance['server_id']),
                                           (neutron, port.id))]

    def role_of(self, side, server_id):
        return self.server(side, server_id).metadata.get('role')


class AutomaticFailoverTest(WitnessTestCase):

    def test_warm_peer_lost_promotes_without_an_update(self):
        stack, template = self.deploy(mode='warm')
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        former = out['active']['server_id']
        standby = self.guest(out, 'standby')
        faults = self.silence(out, 'active')
        standby.signal('peer-lost', 2, reason='no heartbeat for 3 s')
        self.signal_event(stack, 'failover: site site_a promoted (epoch 3)')
        server = self.server('RegionOne', out['standby']['server_id'])
        self.assertEqual(('active', '3'), (server.metadata['role'],
                                           server.metadata['epoch']))
        self.assertEqual('UPDATE_COMPLETE', self.heat.get_stack(
            stack.id).status)  # no stack action ran
        out = self.outputs(stack)
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertTrue(out['standby']['owes_fencing'])
        for fault in faults:
            fault.disarm()
        self.action(stack, 'check')
        self.assertEqual(('standby', '3'), (
            self.role_of('RegionTwo', former),
            self.server('RegionTwo', former).metadata['epoch']))
        self.assertEqual('ACTIVE', self.outputs(stack)['status'])


class CellsAutomaticFailoverTest(base.SandboxToItself, vnf.LoseCell2,
                                 WitnessTestCase):
    """Cells: what a cell's datacenter takes with it is its compute host
    (R5); Nova then lists its zone as not available. Alone once cell2 is
    lost (other tests boot there)."""

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True

    def test_peer_lost_promotes_when_the_cell_is_lost(self):
        stack, template = self.deploy(mode='warm')
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.guest(out, 'standby').signal('peer-lost', 2)
        self.signal_event(stack, 'replication link down')
        self.alone()
        self.lose_cell2()
        self.guest(out, 'standby').signal('peer-lost', 2)
        self.signal_event(stack, 'failover: site site_a promoted (epoch 3)')
        self.assertEqual('active', self.role_of(
            'RegionOne', out['standby']['server_id']))


class ColdAutomaticFailoverTest(WitnessTestCase):
    """A cold VNF active in RegionOne, its spare in cloud B."""

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def test_alertmanager_fails_over_with_the_reported_configuration(self):
        stack, _ = self.deploy(mode='cold')
        out = self.outputs(stack)
        self.guest(out, 'active').signal('configuration', 1,
                                         configuration='running: v7')
        self.signal_event(stack, 'configuration of 11 bytes stored')
        self.silence(out, 'active')
        self.monitor(stack, {'version': '4', 'status': 'firing', 'alerts': [
            {'status': 'firing', 'labels': {'alertname': 'SiteDown',
                                            'site': 'site_a'}}]})
        self.signal_event(stack, 'failover: site site_b promoted')
        out = self.outputs(stack)
        spare = self.server('cloud-b', out['active']['server_id'])
        self.assertEqual(('active', 'running: v7'), (
            spare.metadata['role'], spare.metadata['configuration']))


class ColdSwitchoverTest(WitnessTestCase):
    """A cold VNF in RegionOne and cloud B: a switchover asked by signal."""

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def test_the_spare_starts_with_the_reported_configuration(self):
        stack, _ = self.deploy(mode='cold')
        out = self.outputs(stack)
        self.guest(out, 'active').signal('configuration', 1,
                                         configuration='running: v3')
        self.signal_event(stack, 'configuration of 11 bytes stored')
        self.monitor(stack, {'action': 'switchover'})
        self.signal_event(stack, 'switched over to site site_b (epoch 2)')
        out = self.outputs(stack)
        spare = self.server('cloud-b', out['active']['server_id'])
        self.assertEqual(('active', '2', 'running: v3'), (
            spare.metadata['role'], spare.metadata['epoch'],
            spare.metadata['configuration']))
        self.assertEqual([], self.servers_at(stack, 'site_a'))


class WitnessTest(WitnessTestCase):

    def test_peer_lost_while_the_active_site_answers_is_a_cut_link(self):
        stack, _ = self.deploy(mode='warm')
        out = self.outputs(stack)
        self.guest(out, 'standby').signal('peer-lost', 1)
        self.signal_event(stack, 'replication link down')
        out = self.outputs(stack)
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertEqual('active', self.role_of(
            'RegionOne', out['active']['server_id']))
        self.assertIn('replication link down: the standby (site site_b) '
                      'lost its peer', out['status'])

    def test_a_stale_or_unknown_signal_changes_nothing(self):
        stack, _ = self.deploy(mode='warm')
        out = self.outputs(stack)
        standby = self.guest(out, 'standby')
        standby.signal('peer-lost', 0)
        self.signal_event(stack, 'signal peer-lost refused: stale epoch 0')
        standby.signal('reboot', 1)
        self.signal_event(stack, "unknown action 'reboot'")
        standby.signal('configuration', 1, configuration='x')
        self.signal_event(stack, 'configuration comes from the active '
                                 'instance')
        self.assertEqual(out, self.outputs(stack))
        other = self.connection('RegionOne', 'other').orchestration
        refused = other.post(out['signal_url'], json={'action': 'switchover'})
        self.assertIn(refused.status_code, (403, 404))

    def test_warm_configuration_reaches_the_standby(self):
        stack, _ = self.deploy(mode='warm')
        out = self.outputs(stack)
        self.guest(out, 'active').signal('configuration', 1,
                                         configuration='running: v2')
        self.signal_event(stack, 'pushed to the standby (site site_b)')
        self.assertEqual('running: v2', self.server(
            'RegionTwo', out['standby']['server_id']).metadata[
                'configuration'])

    def test_hot_standby_out_of_sync_refuses_a_switchover(self):
        stack, _ = self.deploy(mode='hot')
        out = self.outputs(stack)
        self.guest(out, 'standby').signal('sync', 1, in_sync=False, lag=4.5)
        self.signal_event(stack, 'not in sync, lag 4.5 s')
        self.assertIn('the hot standby (site site_b) is not in sync, lag '
                      '4.5 s', self.outputs(stack)['status'])
        self.monitor(stack, {'action': 'switchover'})
        self.signal_event(stack, 'switchover refused')
        self.assertEqual('site_a', self.outputs(stack)['active']['endpoint'])
        self.monitor(stack, {'action': 'switchover', 'force': True})
        self.signal_event(stack, 'switched over to site site_b (epoch 2)')
        self.assertEqual('active', self.role_of(
            'RegionTwo', out['standby']['server_id']))
