"""Unit tests of the sandbox's compute additions: layout of Placement,
Glance and Nova, and the ML2 driver's binding decision."""

import configparser
import os
import tempfile
import unittest

from geo_heat_sandbox import layout
from geo_heat_sandbox import manager
from geo_heat_sandbox import ml2


class ComputeLayoutTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.lay = layout.Layout(os.path.join(self.tmp.name, 'state'))
        self.lay.ensure_dirs()
        self.sec = self.lay.load_secrets(create=True)
        layout.write_configs(self.lay, self.sec, ['/p1'])

    def _ini(self, path):
        cp = configparser.RawConfigParser(strict=False)
        self.assertEqual([path], cp.read(path))
        return cp

    def test_every_site_has_compute_and_heat(self):
        sites = {(cloud, region) for family, _, cloud, region
                 in layout.SERVICES.values() if family == 'neutron'}
        for family in ('nova', 'placement', 'heat'):
            self.assertEqual(sites, {
                (cloud, region) for fam, _, cloud, region
                in layout.SERVICES.values() if fam == family}, family)
        self.assertEqual(['glance-a', 'glance-b'],
                         layout.services_of('glance'))

    def test_siblings(self):
        self.assertEqual('placement-r2',
                         layout.sibling('nova-r2', 'placement'))
        self.assertEqual('glance-a', layout.sibling('nova-r2', 'glance'))
        self.assertEqual('nova-b', layout.sibling('neutron-b', 'nova'))

    def test_region_one_has_two_cells_in_their_zones(self):
        self.assertEqual(
            {'cell1': ('nova-r1-cell1', 'az-cell1'),
             'cell2': ('nova-r1-cell2', 'az-cell2')},
            layout.NOVA_CELLS['nova-r1'])
        # Heat's cell mappings name the same zones and physical networks.
        for mapping in layout.CELL_MAPPINGS['heat-r1'].split(','):
            cell, zone, physnet = mapping.split(':')
            host, host_zone = layout.NOVA_CELLS['nova-r1'][cell]
            self.assertEqual(zone, host_zone)
            self.assertIn(physnet, layout.HOST_PHYSNETS[host])
        dbs = layout.nova_databases(self.lay, 'nova-r1')
        self.assertEqual({'api', 'cell0', 'cell1', 'cell2'}, set(dbs))
        self.assertEqual(len(dbs), len(set(dbs.values())))

    def test_every_cell_database_is_a_copy_of_one_snapshot(self):
        self.assertEqual(
            [('nova-api', self.lay.sqlite('nova-r1-api')),
             ('nova', self.lay.sqlite('nova-r1')),
             ('nova', self.lay.sqlite('nova-r1-cell1')),
             ('nova', self.lay.sqlite('nova-r1-cell2'))],
            manager._databases(self.lay, 'nova-r1'))
        self.assertEqual([('glance', self.lay.sqlite('glance-b'))],
                         manager._databases(self.lay, 'glance-b'))

    def test_nova_conf(self):
        cp = self._ini(self.lay.conf('nova-r2'))
        self.assertEqual('fake://', cp.get('DEFAULT', 'transport_url'))
        self.assertEqual(layout.COMPUTE_DRIVER,
                         cp.get('DEFAULT', 'compute_driver'))
        self.assertEqual('RegionTwo', cp.get('placement', 'region_name'))
        self.assertEqual('RegionTwo', cp.get('neutron', 'region_name'))
        self.assertEqual(self.sec['nova_a'], cp.get('neutron', 'password'))
        self.assertEqual('-1', cp.get('quota', 'instances'))
        self.assertTrue(os.path.exists(os.path.join(
            self.lay.data, 'nova-r2', 'compute_id')))

    def test_placement_and_glance_conf(self):
        cp = self._ini(os.path.join(layout.conf_dir(self.lay, 'placement-b'),
                                    'placement.conf'))
        self.assertEqual(self.lay.db_url('placement-b'),
                         cp.get('placement_database', 'connection'))
        self.assertEqual(self.lay.auth_url('b'),
                         cp.get('keystone_authtoken', 'auth_url'))
        cp = self._ini(os.path.join(layout.conf_dir(self.lay, 'glance-a'),
                                    'glance-api.conf'))
        self.assertEqual(self.lay.url('glance-a'),
                         cp.get('DEFAULT', 'worker_self_reference_url'))

    def test_neutron_binds_with_the_sandbox_driver(self):
        cp = self._ini(self.lay.conf('neutron-r1'))
        self.assertEqual('sandbox', cp.get('ml2', 'mechanism_drivers'))
        self.assertEqual(
            'nova-r1-cell1:physnet1 physnet-cell1,'
            'nova-r1-cell2:physnet1 physnet-cell2',
            cp.get('ml2_sandbox', 'host_physnets'))
        cp = self._ini(self.lay.conf('neutron-b'))
        self.assertEqual('nova-b-cell1:physnet1',
                         cp.get('ml2_sandbox', 'host_physnets'))

    def test_heat_b_is_cloud_b_heat(self):
        cp = self._ini(self.lay.conf('heat-b'))
        self.assertEqual(self.sec['heat_b'],
                         cp.get('keystone_authtoken', 'password'))
        self.assertEqual(self.lay.auth_url('b'),
                         cp.get('trustee', 'auth_url'))


def segment(network_type, physical_network=None):
    return {'id': network_type + str(physical_network),
            'network_type': network_type,
            'physical_network': physical_network}


class BindingDecisionTest(unittest.TestCase):

    def test_provider_segment_only_on_hosts_wired_to_it(self):
        cell2 = segment('vlan', 'physnet-cell2')
        self.assertIsNone(ml2.segment_to_bind(
            [cell2], frozenset(['physnet1', 'physnet-cell1'])))
        self.assertIs(cell2, ml2.segment_to_bind(
            [cell2], frozenset(['physnet1', 'physnet-cell2'])))
        self.assertIsNone(ml2.segment_to_bind(
            [segment('flat', 'physnet1')], frozenset()))

    def test_tunnels_bind_on_any_host(self):
        for network_type in ('vxlan', 'gre', 'geneve'):
            self.assertIsNotNone(ml2.segment_to_bind(
                [segment(network_type)], frozenset()))

    def test_first_bindable_segment_of_a_routed_network(self):
        cell1 = segment('vlan', 'physnet-cell1')
        self.assertIs(cell1, ml2.segment_to_bind(
            [segment('vlan', 'physnet-cell2'), cell1],
            frozenset(['physnet-cell1'])))
