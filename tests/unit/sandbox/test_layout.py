"""Unit tests of the sandbox's pure logic (no service is started)."""

import configparser
import os
import stat
import tempfile
import unittest
from unittest import mock

import yaml

from geo_heat_sandbox import layout
from geo_heat_sandbox import manager


class LayoutTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.lay = layout.Layout(os.path.join(self.tmp.name, 'state'))
        self.lay.ensure_dirs()

    def test_default_state_dir_from_env(self):
        with mock.patch.dict(os.environ, {layout.ENV_DIR: '/x/y'}):
            self.assertEqual('/x/y', layout.default_state_dir())
        with mock.patch.dict(os.environ, {}, clear=True):
            os.environ['HOME'] = '/home/u'
            self.assertEqual('/home/u/.local/state/geo-heat-sandbox',
                             layout.default_state_dir())

    def test_ports_block_and_override(self):
        with mock.patch.dict(os.environ, {layout.ENV_PORT_BASE: '36000'}):
            lay = layout.Layout(self.lay.root)
            self.assertEqual(36000, lay.port('keystone-a'))
            self.assertEqual(36007, lay.port('barbican'))
            ports = [lay.port(n) for n in layout.SERVICES]
            self.assertEqual(len(ports), len(set(ports)))
            lay.write_state(port_base=36000)
        # the state dir remembers its port base
        with mock.patch.dict(os.environ, {layout.ENV_PORT_BASE: '37000'}):
            self.assertEqual(36000, layout.Layout(self.lay.root).port_base)

    def test_secrets_random_private_and_stable(self):
        sec = self.lay.load_secrets(create=True)
        self.assertEqual(set(layout.SECRET_NAMES), set(sec))
        self.assertEqual(len(set(sec.values())), len(sec))
        mode = stat.S_IMODE(os.stat(self.lay.secrets_file).st_mode)
        self.assertEqual(0o600, mode)
        self.assertEqual(sec, self.lay.load_secrets(create=True))
        other = layout.Layout(os.path.join(self.tmp.name, 'other'))
        other.ensure_dirs()
        self.assertNotEqual(sec['admin_a'],
                            other.load_secrets(create=True)['admin_a'])

    def _write(self):
        sec = self.lay.load_secrets(create=True)
        layout.write_configs(self.lay, sec, ['/p1', '/p2'])
        return sec

    def _ini(self, name):
        cp = configparser.RawConfigParser(strict=False)
        cp.read(self.lay.conf(name))
        return cp

    def test_neutron_ranges(self):
        self._write()
        r1 = self._ini('neutron-r1')
        self.assertEqual('physnet1:100:199,physnet-cell1:100:199,'
                         'physnet-cell2:100:199',
                         r1.get('ml2_type_vlan', 'network_vlan_ranges'))
        self.assertEqual('sandbox', r1.get('ml2', 'mechanism_drivers'))
        self.assertEqual('*', r1.get('ml2_type_flat', 'flat_networks'))
        self.assertEqual('router,segments,bgpvpn,vpnaas',
                         r1.get('DEFAULT', 'service_plugins'))
        for name in ('neutron-r2', 'neutron-b'):
            cp = self._ini(name)
            self.assertEqual('physnet1:100:199',
                             cp.get('ml2_type_vlan', 'network_vlan_ranges'))
            self.assertEqual('1000:1999', cp.get('ml2_type_vxlan',
                                                 'vni_ranges'))
            self.assertEqual('1:999', cp.get('ml2_type_gre',
                                             'tunnel_id_ranges'))
            self.assertEqual('2000:2999', cp.get('ml2_type_geneve',
                                                 'vni_ranges'))

    def test_heat_conf(self):
        self._write()
        r1 = self._ini('heat-r1')
        r2 = self._ini('heat-r2')
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

    def test_heat_stack_user_domain(self):
        """Every Heat names its Keystone's stack user domain and that
        domain's admin, with the admin's own password per cloud."""
        sec = self._write()
        for name, cloud in (('heat-r1', 'a'), ('heat-r2', 'a'),
                            ('heat-b', 'b')):
            cp = self._ini(name)
            self.assertEqual('heat',
                             cp.get('DEFAULT', 'stack_user_domain_name'))
            self.assertEqual('heat_domain_admin',
                             cp.get('DEFAULT', 'stack_domain_admin'))
            self.assertEqual(sec['heat_domain_admin_' + cloud],
                             cp.get('DEFAULT', 'stack_domain_admin_password'))
        self.assertNotEqual(sec['heat_domain_admin_a'],
                            sec['heat_domain_admin_b'])

    def test_tacker_conf(self):
        sec = self._write()
        cp = self._ini('tacker')
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
        self.assertEqual(sec['tacker_a'],
                         cp.get('tacker_service_auth', 'password'))
        self.assertEqual('RegionOne',
                         cp.get('keystone_authtoken', 'region_name'))
        for section, option in (
                ('vnf_package', 'vnf_package_csar_path'),
                ('glance_store', 'filesystem_store_datadir')):
            self.assertTrue(os.path.isdir(cp.get(section, option)))

    def test_clouds_yaml(self):
        sec = self._write()
        with open(self.lay.clouds_yaml) as f:
            clouds = yaml.safe_load(f)['clouds']
        self.assertEqual({'sandbox', 'sandbox-r2', 'sandbox-b', 'tenant',
                          'tenant-r2', 'tenant-b', 'other'}, set(clouds))
        self.assertEqual('geo-tenant',
                         clouds['tenant-b']['auth']['project_name'])
        self.assertEqual(sec['tenant_b'],
                         clouds['tenant-b']['auth']['password'])
        self.assertEqual('RegionOne', clouds['sandbox']['region_name'])
        self.assertEqual('RegionTwo', clouds['sandbox-r2']['region_name'])
        self.assertEqual(sec['admin_b'],
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

    def test_ours_rejects_foreign_pid(self):
        self.assertFalse(manager._ours(self.lay, os.getpid()))
        self.assertFalse(manager._ours(self.lay, 2 ** 22 + 12345))


if __name__ == '__main__':
    unittest.main()
