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

"""Unit tests of the sandbox's compute services: Placement, Nova, and
Glance beside them."""

import os

from geo_heat_sandbox.services import compute
from geo_heat_sandbox.services import glance
from tests.unit.sandbox import base


class ComputeConfTest(base.ConfiguredTest):

    def test_nova_databases(self):
        dbs = compute.nova_databases(self.lay, 'nova-r1')
        self.assertEqual({'api', 'cell0', 'cell1', 'cell2'}, set(dbs))
        self.assertEqual(len(dbs), len(set(dbs.values())))

    def test_nova_conf(self):
        cp = self.ini('nova-r2')
        self.assertEqual('fake://', cp.get('DEFAULT', 'transport_url'))
        self.assertEqual(compute.COMPUTE_DRIVER,
                         cp.get('DEFAULT', 'compute_driver'))
        self.assertEqual('RegionTwo', cp.get('placement', 'region_name'))
        self.assertEqual('RegionTwo', cp.get('neutron', 'region_name'))
        self.assertEqual(self.sec['nova_a'], cp.get('neutron', 'password'))
        self.assertEqual('-1', cp.get('quota', 'instances'))
        self.assertTrue(os.path.exists(os.path.join(
            self.lay.data, 'nova-r2', 'compute_id')))

    def test_placement_and_glance_conf(self):
        cp = self.ini(os.path.join(compute.conf_dir(self.lay, 'placement-b'),
                                   'placement.conf'))
        self.assertEqual(self.lay.db_url('placement-b'),
                         cp.get('placement_database', 'connection'))
        self.assertEqual(self.lay.auth_url('b'),
                         cp.get('keystone_authtoken', 'auth_url'))
        cp = self.ini(os.path.join(glance.conf_dir(self.lay, 'glance-a'),
                                   'glance-api.conf'))
        self.assertEqual(self.lay.url('glance-a'),
                         cp.get('DEFAULT', 'worker_self_reference_url'))
