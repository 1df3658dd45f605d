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

"""Unit tests of the sandbox's Heat configuration."""

from unittest import mock

from tests.unit.sandbox import base

from geo_heat_sandbox.services import heat


class HeatConfTest(base.ConfiguredTest):

    def test_heat_conf(self):
        r1 = self.ini('heat-r1')
        r2 = self.ini('heat-r2')
        self.assertEqual('RegionOne',
                         r1.get('DEFAULT', 'region_name_for_services'))
        self.assertEqual('RegionTwo',
                         r2.get('DEFAULT', 'region_name_for_services'))
        self.assertEqual('/p1,/p2', r1.get('DEFAULT', 'plugin_dirs'))
        self.assertEqual('fake://', r1.get('DEFAULT', 'transport_url'))
        self.assertEqual(self.lay.operator_clouds_yaml,
                         r1.get('geo_heat', 'clouds_file'))
        self.assertEqual(
            'cell1:az-cell1:physnet-cell1,cell2:az-cell2:physnet-cell2',
            r1.get('geo_heat', 'cell_mappings'))
        self.assertFalse(r2.has_option('geo_heat', 'cell_mappings'))
        for cp in (r1, r2):
            self.assertEqual('false', cp.get('DEFAULT', 'debug'))

    def test_stack_user_domain(self):
        """Every Heat names its Keystone's stack user domain and that
        domain's admin, with the admin's own password per cloud."""
        for name, cloud in (('heat-r1', 'a'), ('heat-r2', 'a'),
                            ('heat-b', 'b')):
            cp = self.ini(name)
            self.assertEqual('heat',
                             cp.get('DEFAULT', 'stack_user_domain_name'))
            self.assertEqual('heat_domain_admin',
                             cp.get('DEFAULT', 'stack_domain_admin'))
            self.assertEqual(self.sec['heat_domain_admin_' + cloud],
                             cp.get('DEFAULT', 'stack_domain_admin_password'))
        self.assertNotEqual(self.sec['heat_domain_admin_a'],
                            self.sec['heat_domain_admin_b'])

    def test_heat_b_is_cloud_b_heat(self):
        cp = self.ini('heat-b')
        self.assertEqual(self.sec['heat_b'],
                         cp.get('keystone_authtoken', 'password'))
        self.assertEqual(self.lay.auth_url('b'),
                         cp.get('trustee', 'auth_url'))

    def test_embedded_profile(self):
        """One engine over fake:// on SQLite."""
        cp = self.ini('heat-r1')
        self.assertEqual('1', cp.get('DEFAULT', 'num_engine_workers'))
        self.assertEqual(self.lay.db_url('heat-r1'),
                         cp.get('database', 'connection'))

    def test_production_profile(self):
        """Two engine workers, a RabbitMQ virtual host per Heat, a MariaDB
        database per Heat."""
        self.lay.write_state(profile='production')
        with mock.patch.object(heat, 'plugin_dirs', return_value=['/p']):
            heat.configure(self.lay, self.sec)
        for name, database in (('heat-r1', 'heat_r1'), ('heat-b', 'heat_b')):
            cp = self.ini(name)
            self.assertEqual('2', cp.get('DEFAULT', 'num_engine_workers'))
            self.assertEqual('rabbit://guest:guest@127.0.0.1:%d/%s' % (
                self.lay.backend_port('rabbitmq'), name),
                cp.get('DEFAULT', 'transport_url'))
            self.assertEqual(
                'mysql+pymysql://root@127.0.0.1:%d/%s?charset=utf8mb4' % (
                    self.lay.backend_port('mariadb'), database),
                cp.get('database', 'connection'))
