import json
import os
from unittest import mock

import fixtures
from heat.tests import utils
from oslo_config import cfg
import yaml

from geo_heat import client
from geo_heat.link import site
from tests.unit import base


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

    def test_secret_cloud_gets_a_session_of_its_own(self):
        barbican = mock.Mock()
        barbican.get_secret_payload_by_ref.return_value = json.dumps({
            'auth_type': 'password',
            'auth': {'auth_url': 'http://127.0.0.1:2/v3', 'username': 'u',
                     'password': 'pw-c', 'project_name': 'p',
                     'user_domain_name': 'Default',
                     'project_domain_name': 'Default'}})
        self.patchobject(self.plugin.clients, 'client_plugin',
                         return_value=barbican)
        conn = self.plugin.connect(site.Placement(
            credential_secret_id='ref-1', region_name='RegionOne'))
        barbican.get_secret_payload_by_ref.assert_called_once_with('ref-1')
        self.assertIsNot(conn.session, self.context.keystone_session)
        self.assertEqual('http://127.0.0.1:2/v3', conn.session.auth.auth_url)

    def test_ca_cert_and_insecure(self):
        self.assertFalse(self.plugin._verify('PEM', True))
        path = self.plugin._verify('-----BEGIN CERTIFICATE-----', False)
        with open(path) as f:
            self.assertIn('BEGIN CERTIFICATE', f.read())
        self.assertTrue(self.plugin._verify(None, False))

    def test_no_clouds_file(self):
        cfg.CONF.set_override('clouds_file', None, group='geo_heat')
        self.assertRaises(ValueError, self.plugin.connect,
                          site.Placement(cloud='cloud-b'))
