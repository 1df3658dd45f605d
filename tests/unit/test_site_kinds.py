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

import os
from unittest import mock

import fixtures
from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
import testtools
import yaml

from geo_heat import site_kinds
from geo_heat.link import site
from tests.unit import base

OWN = site.Placement(region_name='RegionTwo')
NAMED = site.Placement(cloud='cloud-b', region_name='RegionB')
SECRET = site.Placement(credential_secret_id='https://kms/secrets/s3cr3t')


class KindOfTest(testtools.TestCase):

    def test_the_table_picks_the_kind(self):
        for placement, kind in ((OWN, site_kinds.OwnCloud),
                                (NAMED, site_kinds.NamedCloud),
                                (SECRET, site_kinds.BarbicanCredential)):
            self.assertIsInstance(site_kinds.kind_of(placement), kind)

    def test_a_placement_names_one_kind(self):
        exc = self.assertRaises(
            site_kinds.Invalid, site_kinds.kind_of,
            site.Placement(cloud='cloud-b', credential_secret_id='ref'))
        self.assertEqual('give either cloud or credential_secret_id, not '
                         'both', str(exc))
        self.assertEqual((), exc.path)

    def test_names_and_descriptions(self):
        """A secret is never a name in declarations; a tenant is told what
        kind of cloud it is instead."""
        self.assertEqual(('region:RegionTwo',), site_kinds.kind_of(
            OWN).names(None, 'RegionTwo'))
        self.assertEqual(('cloud:cloud-b/RegionB', 'cloud:cloud-b'),
                         site_kinds.kind_of(NAMED).names('RegionB', 'R1'))
        secret = site_kinds.kind_of(SECRET)
        self.assertEqual((), secret.names('RegionOne', 'RegionOne'))
        self.assertEqual('a cloud reached through a Barbican secret',
                         secret.nameless)
        self.assertEqual('cloud cloud-b, region RegionB, cell c1',
                         site.Placement(cloud='cloud-b', region_name='RegionB',
                                        cell='c1').describe())
        self.assertEqual('local cloud', site.Placement().describe())

    def test_what_a_tenants_tools_call_the_cloud(self):
        self.assertEqual(
            [None, 'cloud-b', 'secret:https://kms/secrets/s3cr3t'],
            [site_kinds.kind_of(placement).site_cloud
             for placement in (OWN, NAMED, SECRET)])


class ValidateTest(base.GeoHeatTestCase):

    def setUp(self):
        super().setUp()
        self.heat = mock.Mock()
        self.heat.context.project_id = base.PROJECT_ID
        self.heat.context.is_admin = False

    def test_own_cloud_needs_operator_credentials_or_an_admin(self):
        own = site_kinds.OwnCloud(None, self.heat)
        own.validate(None)
        cfg.CONF.set_override('link_cloud', None, group='geo_heat')
        exc = self.assertRaises(site_kinds.Invalid, own.validate, None)
        self.assertIn('[geo_heat] link_cloud', str(exc))
        self.heat.context.is_admin = True
        own.validate(None)

    def test_own_region_must_be_in_the_catalog(self):
        self.heat.context.keystone_session.get_endpoint.side_effect = (
            ks_exc.EndpointNotFound)
        exc = self.assertRaises(site_kinds.Invalid,
                                site_kinds.OwnCloud(None, self.heat).validate,
                                'RegionNine')
        self.assertEqual(('region_name',), exc.path)

    def test_unknown_and_forbidden_clouds_look_alike(self):
        clouds_file = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'clouds.yaml')
        with open(clouds_file, 'w') as f:
            yaml.safe_dump({'clouds': {name: {'auth': {}}
                                       for name in ('cloud-b', 'cloud-c')}},
                           f)
        cfg.CONF.set_override('clouds_file', clouds_file, group='geo_heat')
        site_kinds.NamedCloud('cloud-b', self.heat).validate(None)
        for cloud in ('cloud-c', 'cloud-x'):
            exc = self.assertRaises(
                site_kinds.Invalid,
                site_kinds.NamedCloud(cloud, self.heat).validate, None)
            self.assertEqual('cloud "%s" is not available to this project'
                             % cloud, str(exc))
            self.assertEqual(('cloud',), exc.path)
