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

import json
import os
from unittest import mock

import fixtures
from heat.tests import utils
from oslo_config import cfg
import yaml

from geo_heat import client
from geo_heat.link import errors
from geo_heat.link import site
from tests.unit import base


def sent_id(conn):
    """The global request ID a connection sends with every call."""
    return conn.session.additional_headers['x-openstack-request-id']


# A site of each kind: the stack's own cloud, a named cloud, a Barbican
# credential.
EVERY_KIND = (site.Placement(region_name='RegionOne'),
              site.Placement(cloud='cloud-b', region_name='RegionB'),
              site.Placement(credential_secret_id='ref-1',
                             region_name='RegionB'))

class GeoSiteClientPluginTest(base.GeoHeatTestCase):

    def setUp(self):
        super().setUp()
        self.context = utils.dummy_context(region_name='RegionOne')
        self.plugin = client.GeoSiteClientPlugin(self.context)
        clouds = self.useFixture(fixtures.TempDir()).path
        self.clouds_file = os.path.join(clouds, 'clouds.yaml')
        with open(self.clouds_file, 'w') as f:
            yaml.safe_dump({'clouds': {'cloud-b': {
                'region_name': 'RegionB',
                'auth': {'auth_url': 'http://127.0.0.1:1/v3',
                         'username': 'admin', 'password': 'pw-b',
                         'project_name': 'admin',
                         'user_domain_name': 'Default',
                         'project_domain_name': 'Default'}}}}, f)
        cfg.CONF.set_override('clouds_file', self.clouds_file,
                              group='geo_heat')

    def test_a_sides_404_and_409_are_what_heat_reads_them_as(self):
        self.assertTrue(self.plugin.is_not_found(errors.LinkNotFound('gone')))
        self.assertTrue(self.plugin.is_conflict(errors.LinkConflict('busy')))
        self.assertTrue(self.plugin.is_conflict(
            errors.SegmentationConflict('VLAN 100 is in use')))
        self.assertFalse(self.plugin.is_conflict(
            errors.QuotaExceeded('quota exceeded for network')))
        self.assertFalse(self.plugin.is_not_found(errors.LinkError('no')))

    def test_resolve_fills_default_regions(self):
        self.assertEqual('RegionOne', self.plugin.resolve(
            site.Placement()).region_name)
        self.assertEqual('RegionB', self.plugin.resolve(
            site.Placement(cloud='cloud-b')).region_name)
        self.assertEqual('RegionTwo', self.plugin.resolve(
            site.Placement(region_name='RegionTwo')).region_name)
        self.assertIsNone(self.plugin.resolve(
            site.Placement(credential_secret_id='ref')).region_name)

    def test_named_cloud_uses_its_own_credentials(self):
        conn = self.plugin.connect(site.Placement(cloud='cloud-b',
                                                  region_name='RegionB'))
        self.assertEqual('RegionB', conn.config.region_name)
        self.assertEqual('http://127.0.0.1:1/v3',
                         conn.config.config['auth']['auth_url'])
        self.assertIs(conn, self.plugin.connect(
            site.Placement(cloud='cloud-b', region_name='RegionB')))

    def test_a_probe_of_a_named_cloud_waits_less(self):
        cfg.CONF.set_override('call_timeout', 7, group='geo_heat')
        placement = site.Placement(cloud='cloud-b', region_name='RegionB')
        probe = self.plugin.connect(placement, timeout=2)
        self.assertEqual(2, probe.session.timeout)
        self.assertEqual(7, self.plugin.connect(placement).session.timeout)
        self.assertIs(probe, self.plugin.connect(placement, timeout=2))

    def _secret(self, auth_url):
        barbican = mock.Mock()
        barbican.get_secret_payload_by_ref.return_value = json.dumps({
            'auth_type': 'password',
            'auth': {'auth_url': auth_url, 'username': 'u',
                     'password': 'pw-c', 'project_name': 'p',
                     'user_domain_name': 'Default',
                     'project_domain_name': 'Default'}})
        self.patchobject(self.plugin.clients, 'client_plugin',
                         return_value=barbican)
        return barbican

    def test_operator_connections_outlive_a_request(self):
        """Operator credentials authenticate once per engine, not once per
        resource action."""
        other = client.GeoSiteClientPlugin(utils.dummy_context())
        placement = site.Placement(cloud='cloud-b', region_name='RegionB')
        self.assertIs(self.plugin.connect(placement).session.auth,
                      other.connect(placement).session.auth)

    def test_every_call_carries_the_requests_global_id(self):
        """The caller's X-OpenStack-Request-ID, each request its own on the
        operator's shared connections; else the ID Heat's API gave it."""
        cfg.CONF.set_override('link_cloud', None, group='geo_heat')
        self.context.global_request_id = 'req-of-the-caller'
        other = client.GeoSiteClientPlugin(utils.dummy_context())
        other.context.global_request_id = None
        self._secret('http://127.0.0.1:1/v3')
        for placement in EVERY_KIND:
            for conn in (self.plugin.connect(placement),
                         self.plugin.vnf_connection(placement)):
                self.assertEqual('req-of-the-caller', sent_id(conn))
                self.assertEqual(placement.region_name,
                                 conn.config.region_name)
        placement = site.Placement(cloud='cloud-b', region_name='RegionB')
        self.assertEqual(other.context.request_id,
                         sent_id(other.connect(placement)))
        self.assertEqual('req-of-the-caller',
                         sent_id(self.plugin.connect(placement)))

    def test_secret_cloud_is_built_by_the_operator_and_shared(self):
        """The tenant's credentials there say which project uses the link;
        the operator's entry for the same Keystone builds it."""
        barbican = self._secret('http://127.0.0.1:1/v3/')
        placement = site.Placement(credential_secret_id='ref-1',
                                   region_name='RegionB')
        conn = self.plugin.connect(placement)
        self.assertEqual('admin', conn.config.config['auth']['username'])
        self.assertIsNot(conn.session, self.context.keystone_session)
        with mock.patch('keystoneauth1.session.Session.get_project_id',
                        autospec=True,
                        return_value=base.REMOTE_PROJECT_ID) as get_project:
            self.assertEqual(base.REMOTE_PROJECT_ID,
                             self.plugin.share_project(placement))
        barbican.get_secret_payload_by_ref.assert_called_once_with('ref-1')
        self.assertEqual('http://127.0.0.1:1/v3/',
                         get_project.call_args[0][0].auth.auth_url)

    def test_the_secrets_keystone_sees_the_requests_global_id(self):
        """The token of the secret's credentials is the request's, asked
        with its ID."""
        self.context.global_request_id = 'req-of-the-caller'
        self._secret('http://127.0.0.1:1/v3')
        session = self.plugin.site(site.Placement(
            credential_secret_id='ref-1'))._session
        self.assertEqual({'x-openstack-request-id': 'req-of-the-caller'},
                         session.additional_headers)

    def test_a_secret_is_read_once_per_request(self):
        """Its sites in every region are one site kind for the plugin."""
        barbican = self._secret('http://127.0.0.1:1/v3')
        with mock.patch('keystoneauth1.session.Session.get_project_id',
                        return_value=base.REMOTE_PROJECT_ID):
            for region in ('RegionB', 'RegionC'):
                placement = site.Placement(credential_secret_id='ref-1',
                                           region_name=region)
                self.assertEqual(base.REMOTE_PROJECT_ID,
                                 self.plugin.share_project(placement))
        barbican.get_secret_payload_by_ref.assert_called_once_with('ref-1')

    def test_secret_of_a_project_the_operator_did_not_declare(self):
        """The links there are shared with the project the operator
        declared for the stack's project, never with another one the
        tenant holds a credential of."""
        self._secret('http://127.0.0.1:1/v3')
        with mock.patch('keystoneauth1.session.Session.get_project_id',
                        return_value='another-remote-project'):
            self.assertRaisesRegex(
                client.AccessDenied, '^the credential of secret ref-1 is of '
                'a project of its cloud that the operator did not declare '
                'for this project$', self.plugin.share_project,
                site.Placement(credential_secret_id='ref-1'))

    def test_secret_cloud_without_operator_credentials(self):
        self._secret('http://127.0.0.1:2/v3')
        self.assertRaisesRegex(
            client.AccessDenied, 'declared no cloud at '
            'http://127.0.0.1:2/v3', self.plugin.connect,
            site.Placement(credential_secret_id='ref-1'))

    def test_secret_cloud_of_another_project(self):
        """A credential reaches a cloud only for the projects the operator
        lets use it, as a named cloud."""
        self._secret('http://127.0.0.1:1/v3')
        placement = site.Placement(credential_secret_id='ref-1')
        def operator_cloud(placement):
            return self.plugin.site(placement).operator_cloud()

        operator_cloud(placement)
        self.context.project_id = 'another-project'
        self.plugin = client.GeoSiteClientPlugin(self.context)
        for call in (operator_cloud, self.plugin.connect,
                     self.plugin.share_project):
            self.assertRaisesRegex(
                client.AccessDenied, 'the cloud at http://127.0.0.1:1/v3 is '
                'not available to this project', call, placement)

    def test_named_cloud_access(self):
        share = self.plugin.share_project(site.Placement(cloud='cloud-b'))
        self.assertEqual(base.REMOTE_PROJECT_ID, share)
        self.context.project_id = 'another-project'
        self.assertRaisesRegex(
            client.AccessDenied, '^cloud "cloud-b" is not available to this '
            'project$', self.plugin.share_project,
            site.Placement(cloud='cloud-b'))

    def test_link_cloud_builds_in_the_own_cloud(self):
        cfg.CONF.set_override('link_cloud', 'cloud-b', group='geo_heat')
        conn = self.plugin.connect(site.Placement(region_name='RegionB'))
        self.assertEqual('RegionB', conn.config.region_name)
        self.assertEqual('admin', conn.config.config['auth']['username'])
        self.assertEqual(base.PROJECT_ID, self.plugin.share_project(
            site.Placement(region_name='RegionB')))

    def test_own_cloud_follows_heats_client_settings(self):
        """Without link_cloud: the request's credentials, with Heat's
        [clients_neutron] settings and the call timeout."""
        cfg.CONF.set_override('link_cloud', None, group='geo_heat')
        cfg.CONF.set_override('endpoint_type', 'internalURL',
                              group='clients')
        cfg.CONF.set_override('insecure', True, group='clients_neutron')
        cfg.CONF.set_override('call_timeout', 7, group='geo_heat')
        conn = self.plugin.connect(site.Placement(region_name='RegionOne'))
        self.assertIs(self.context.auth_plugin, conn.session.auth)
        self.assertFalse(conn.session.verify)
        self.assertEqual(7, conn.session.timeout)
        self.assertEqual('internal', conn.config.get_interface('network'))

    def test_vnf_connections_take_a_timeout(self):
        """The call timeout by default; a probe's own one, with the same
        credentials (a Barbican credential's authentication is shared)."""
        cfg.CONF.set_override('call_timeout', 7, group='geo_heat')
        self._secret('http://127.0.0.1:1/v3')
        for placement in EVERY_KIND:
            self.assertEqual(7, self.plugin.vnf_connection(
                placement).session.timeout)
            self.assertEqual(3, self.plugin.vnf_connection(
                placement, timeout=3).session.timeout)
        self.assertIs(self.plugin.vnf_connection(placement).session.auth,
                      self.plugin.vnf_connection(placement,
                                                 timeout=3).session.auth)

    def test_no_clouds_file(self):
        cfg.CONF.set_override('clouds_file', None, group='geo_heat')
        self.assertRaises(client.Misconfigured, self.plugin.connect,
                          site.Placement(cloud='cloud-b'))

    def test_misconfigurations_are_refusals_not_bugs(self):
        """What connect raises for them is a connect error (a refusal
        naming the setting), and never a bare ValueError."""
        cfg.CONF.set_override('cloud_projects', ['cloud-b:only-two'],
                              group='geo_heat')
        exc = self.assertRaises(client.CONNECT_ERRORS,
                                self.plugin.share_project,
                                site.Placement(cloud='cloud-b'))
        self.assertIn('[geo_heat] cloud_projects', str(exc))
        barbican = mock.Mock()
        barbican.get_secret_payload_by_ref.return_value = 'not JSON'
        self.patchobject(self.plugin.clients, 'client_plugin',
                         return_value=barbican)
        exc = self.assertRaises(client.Misconfigured, self.plugin.connect,
                                site.Placement(credential_secret_id='ref-9'))
        self.assertIn('secret ref-9: Failed to parse credential', str(exc))
