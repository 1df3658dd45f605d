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

"""Unit tests of the sandbox's clouds.yaml files."""

import os
import stat

import yaml

from tests.unit.sandbox import base


class CloudsTest(base.ConfiguredTest):

    def test_clouds_yaml(self):
        with open(self.lay.clouds_yaml) as f:
            clouds = yaml.safe_load(f)['clouds']
        self.assertEqual({'sandbox', 'sandbox-r2', 'sandbox-b', 'tenant',
                          'tenant-r2', 'tenant-b', 'other'}, set(clouds))
        self.assertEqual('geo-tenant',
                         clouds['tenant-b']['auth']['project_name'])
        self.assertEqual(self.sec['tenant_b'],
                         clouds['tenant-b']['auth']['password'])
        self.assertEqual('RegionOne', clouds['sandbox']['region_name'])
        self.assertEqual('RegionTwo', clouds['sandbox-r2']['region_name'])
        self.assertEqual(self.sec['admin_b'],
                         clouds['sandbox-b']['auth']['password'])
        self.assertEqual(self.lay.auth_url('b'),
                         clouds['sandbox-b']['auth']['auth_url'])
        with open(self.lay.operator_clouds_yaml) as f:
            op = yaml.safe_load(f)['clouds']
        self.assertEqual(['cloud-a', 'cloud-b', 'cloud-silent'], list(op))
        self.assertEqual('geo-heat', op['cloud-a']['auth']['username'])
        self.assertEqual('RegionOne', op['cloud-b']['region_name'])
        for path in (self.lay.clouds_yaml, self.lay.operator_clouds_yaml,
                     self.lay.conf('heat-r1')):
            self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
