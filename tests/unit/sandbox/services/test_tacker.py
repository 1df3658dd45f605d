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

"""Unit tests of the sandbox's Tacker configuration."""

import os
import unittest

from geo_heat_sandbox import topology
from tests.unit.sandbox import base


@unittest.skipUnless('tacker' in topology.SERVICES,
                     'the sandbox\'s tacker extra is not installed')
class TackerConfTest(base.ConfiguredTest):

    def test_tacker_conf(self):
        cp = self.ini('tacker')
        url = 'http://127.0.0.1:%d' % self.lay.port('tacker')
        self.assertEqual(url, cp.get('v2_vnfm', 'endpoint'))
        self.assertEqual('fake://', cp.get('DEFAULT', 'transport_url'))
        self.assertEqual('keystone', cp.get('DEFAULT', 'auth_strategy'))
        self.assertEqual('false', cp.get('DEFAULT', 'debug'))
        # The password plugin's options are in their own section (the
        # conductor owns [keystone_authtoken] in the same process).
        self.assertEqual('tacker_service_auth',
                         cp.get('keystone_authtoken', 'auth_section'))
        self.assertFalse(cp.has_option('keystone_authtoken', 'password'))
        self.assertEqual(self.sec['tacker_a'],
                         cp.get('tacker_service_auth', 'password'))
        self.assertEqual('RegionOne',
                         cp.get('keystone_authtoken', 'region_name'))
        for section, option in (
                ('vnf_package', 'vnf_package_csar_path'),
                ('glance_store', 'filesystem_store_datadir')):
            self.assertTrue(os.path.isdir(cp.get(section, option)))
