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

"""OS::Geo::Interconnect against real Keystone, Neutron, Heat, Barbican."""

import json
import uuid

import testscenarios

import geo_heat_sandbox as sandbox
from geo_heat_sandbox import templates
from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios

# Each test draws IDs from its own range so tests can run in parallel.
TECHNOLOGY_RANGES = {
    'vlan': '100:119', 'vxlan': '1000:1099', 'gre': '1:99',
    'geneve': '2000:2099', 'flat': None,
}
EXPECTED_MTU = {'vlan': 1500, 'flat': 1500, 'vxlan': 1450, 'gre': 1458,
                'geneve': 1450}


class RegionsTest(base.FunctionalTestCase):
    """Every technology, RegionOne to RegionTwo: create/check/update/delete."""

    scenarios = [(t, {'technology': t}) for t in TECHNOLOGY_RANGES]

    def test_lifecycle(self):
        template = base.two_sites({'region_name': 'RegionTwo'},
                                  self.technology,
                                  TECHNOLOGY_RANGES[self.technology])
        stack = self.create_stack(template)
        out = self.outputs(stack)
        mtu = EXPECTED_MTU[self.technology]
        self.assertEqual(mtu, out['mtu'])
        self.assertEqual('ACTIVE', out['status'])
        if self.technology == 'flat':
            self.assertIsNone(out['segmentation_id'])
        else:
            low, high = map(int,
                            TECHNOLOGY_RANGES[self.technology].split(':'))
            self.assertTrue(low <= out['segmentation_id'] <= high)
        physnet = ('physnet1' if self.technology in ('vlan', 'flat')
                   else None)
        for side, key in (('RegionOne', 'local_network_id'),
                          ('RegionTwo', 'remote_network_id')):
            self.assertHalf(side, out[key], self.technology,
                            out['segmentation_id'], out['cidr'], mtu,
                            physnet)
        self.assertEqual(out['local_network_id'],
                         self.resource(stack, 'link').physical_resource_id)

        self.action(stack, 'check')

        template['resources']['link']['properties'].update(
            {'name': 'renamed-link', 'mtu': mtu - 100})
        self.heat.update_stack(stack, template=template)
        self.wait(stack.id, 'UPDATE')
        for side, key in (('RegionOne', 'local_network_id'),
                          ('RegionTwo', 'remote_network_id')):
            network = self.connection(side).network.get_network(out[key])
            self.assertEqual(('renamed-link', mtu - 100),
                             (network.name, network.mtu))
        self.action(stack, 'check')

        # Suspend leaves the replication link up (no split brain).
        self.action(stack, 'suspend')
        network = self.connection('RegionTwo').network.get_network(
            out['remote_network_id'])
        self.assertTrue(network.is_admin_state_up)
        self.action(stack, 'resume')
        network = self.connection('RegionTwo').network.get_network(
            out['remote_network_id'])
        self.assertTrue(network.is_admin_state_up)
        # Deleting (in cleanup) must leave nothing tagged on any side.


class DriftTest(base.FunctionalTestCase):

    def test_check_reports_changed_remote_half(self):
        stack = self.create_stack(base.two_sites(
            {'region_name': 'RegionTwo'}, 'vlan', '120:129'))
        out = self.outputs(stack)
        self.connection('RegionTwo').network.update_network(
            out['remote_network_id'], mtu=1400)
        checked = self.action(stack, 'check', expect='FAILED')
        self.assertIn('remote side (region RegionTwo): MTU is 1400, not 1500',
                      checked.status_reason)

    def test_id_used_on_one_side_is_skipped_on_both(self):
        taken = self.connection('RegionTwo').network.create_network(
            name='ft-taken', provider_network_type='vlan',
            provider_physical_network='physnet1',
            provider_segmentation_id=130)
        self.addCleanup(self.connection('RegionTwo').network.delete_network,
                        taken.id)
        stack = self.create_stack(base.two_sites(
            {'region_name': 'RegionTwo'}, 'vlan', '130:131'))
        out = self.outputs(stack)
        self.assertEqual(131, out['segmentation_id'])
        used_local = [n.id for n in self.connection(
            'RegionOne').network.networks(provider_segmentation_id=130,
                                          provider_network_type='vlan')]
        self.assertEqual([], used_local)


class AdminDriftTest(base.FunctionalTestCase):
    """What only an admin may ask: a physical network the operator did
    not declare for tenants (physnet-cell1 does not reach RegionTwo)."""

    USER = 'admin'

    def test_failure_halfway_names_side_and_leaves_nothing(self):
        stack = self.create_stack(
            base.two_sites({'region_name': 'RegionTwo'}, 'vlan', '132:133',
                           remote={'physical_network': 'physnet-cell1'}),
            expect='FAILED')
        reason = self.resource(stack, 'link').status_reason
        self.assertIn('remote side (region RegionTwo)', reason)
        self.assertEqual([], self.tagged_networks(stack.id, 'RegionOne'))


class CloudsTest(base.FunctionalTestCase):
    """RegionOne of cloud A to the separate cloud B (its own Keystone)."""

    def _check(self, stack):
        out = self.outputs(stack)
        self.assertHalf('RegionOne', out['local_network_id'], 'vlan',
                        out['segmentation_id'], out['cidr'], 1500)
        self.assertHalf('cloud-b', out['remote_network_id'], 'vlan',
                        out['segmentation_id'], out['cidr'], 1500)
        self.action(stack, 'check')

    def test_by_named_cloud(self):
        self._check(self.create_stack(base.two_sites({'cloud': 'cloud-b'},
                                                     'vlan', '140:149')))

    def test_by_credential_secret(self):
        """The tenant's own credentials of cloud B, in its Barbican."""
        cloud_b = self.cloud_config('tenant-b')
        credential = json.dumps({'auth_type': 'password',
                                 'auth': cloud_b.config['auth']})
        barbican = self.connection('RegionOne', 'tenant').key_manager
        secret = barbican.create_secret(
            name='ft-cloud-b', payload=credential,
            payload_content_type='text/plain', secret_type='opaque')
        self.addCleanup(barbican.delete_secret, secret)
        stack = self.create_stack(base.two_sites(
            {'credential_secret_id': secret.secret_ref,
             'region_name': 'RegionOne'}, 'vlan', '150:159'))
        self._check(stack)
        # The credential never shows in what Heat returns.
        shown = json.dumps([
            r.to_dict() for r in self.heat.resources(stack)],
            default=str) + json.dumps(
            self.heat.get_stack(stack.id).to_dict(), default=str)
        for value in sandbox.secrets(self.state_dir).values():
            self.assertNotIn(value, shown)


    def test_credential_of_an_undeclared_project_is_refused(self):
        """A credential of cloud B for a project the operator did not
        declare for the tenant's (cloud_projects): nothing is built, and
        no network is shared with that project."""
        identity = self.connection('cloud-b').identity
        suffix = uuid.uuid4().hex[:6]
        project = identity.create_project(name='ft-other-' + suffix,
                                          domain_id='default')
        self.addCleanup(identity.delete_project, project)
        password = uuid.uuid4().hex
        user = identity.create_user(name='ft-other-' + suffix,
                                    password=password, domain_id='default',
                                    default_project_id=project.id)
        self.addCleanup(identity.delete_user, user)
        identity.assign_project_role_to_user(
            project, user, identity.find_role('member', ignore_missing=False))
        auth = dict(self.cloud_config('tenant-b').config['auth'],
                    username=user.name, password=password,
                    project_name=project.name, project_id=project.id)
        barbican = self.connection('RegionOne', 'tenant').key_manager
        secret = barbican.create_secret(
            name='ft-other-project', payload=json.dumps(
                {'auth_type': 'password', 'auth': auth}),
            payload_content_type='text/plain', secret_type='opaque')
        self.addCleanup(barbican.delete_secret, secret)
        stack = self.create_stack(base.two_sites(
            {'credential_secret_id': secret.secret_ref,
             'region_name': 'RegionOne'}, 'vlan', '150:159'),
            expect='FAILED')
        self.assertIn('the credential of secret %s is of a project of its '
                      'cloud that the operator did not declare for this '
                      'project' % secret.secret_ref, stack.status_reason)
        self.assertEqual([], self.tagged_networks(stack.id, 'RegionOne'))
        self.assertEqual([], self.tagged_networks(stack.id, 'cloud-b'))

    def test_by_credential_secret_of_the_same_template(self):
        """A secret made by the stack itself reaches the endpoint through
        Heat's own data flow (convergence), not as its bare name."""
        template = base.two_sites(
            {'credential_secret_id': {'get_resource': 'credential_secret'},
             'region_name': 'RegionOne'}, 'vlan', '150:159')
        template['parameters'] = {
            'credential': {'type': 'string', 'hidden': True}}
        template['resources']['credential_secret'] = {
            'type': 'OS::Barbican::Secret',
            'properties': {'payload': {'get_param': 'credential'},
                           'payload_content_type': 'text/plain',
                           'secret_type': 'opaque'}}
        auth = self.cloud_config('tenant-b').config['auth']
        stack = self.create_stack(template, {'credential': json.dumps(
            {'auth_type': 'password', 'auth': auth})})
        self._check(stack)
        self.assertNotIn(auth['password'], json.dumps(
            self.heat.get_stack(stack.id).to_dict(), default=str))


class CellsTest(base.FunctionalTestCase):
    """Two cells of RegionOne: one network with a segment per cell."""

    def test_cells(self):
        template = templates.load('georedundant-cells.yaml')
        stack = self.create_stack(template,
                                  {'segmentation_range': '160:169'})
        out = self.outputs(stack)
        self.assertEqual(('az-cell1', 'az-cell2'),
                         (out['active_availability_zone'],
                          out['standby_availability_zone']))
        net = self.connection('RegionOne').network
        segments = sorted(
            (s.physical_network, s.segmentation_id)
            for s in net.segments(network_id=out['network']))
        self.assertEqual([('physnet-cell1', out['segmentation_id']),
                          ('physnet-cell2', out['segmentation_id'])],
                         segments)
        self.action(stack, 'check')


class ValidationTest(base.FunctionalTestCase):
    """Bad input is refused by stack create itself, naming the property."""

    def test_refused_before_any_cloud_is_touched(self):
        self.assertRefused(
            base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                      link={'segmentation_id': 4095}),
            'resources.link.properties.segmentation_id', '4095')
        self.assertRefused(
            base.two_sites({'region_name': 'RegionNine'}),
            'resources.site_b.properties.context.region_name', 'RegionNine')
        self.assertRefused(
            base.two_sites({'cloud': 'cloud-z'}),
            'resources.site_b.properties.context', 'cloud-z')
        self.assertRefused(
            base.two_sites({'region_name': 'RegionTwo'},
                      remote={'cell': 'cell7'}),
            'resources.site_b.properties.cell', 'cell7')
        self.assertRefused(
            base.two_sites({'region_name': 'RegionTwo'},
                      remote={'physical_network': None}),
            'resources.link.properties.remote_endpoint', 'physical_network')
