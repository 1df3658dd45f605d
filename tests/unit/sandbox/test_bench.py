"""Unit tests of the benchmark's pure parts (no sandbox is started)."""

import json
import unittest

from geo_heat_sandbox import bench


class BenchTest(unittest.TestCase):

    def test_calls_are_split_into_reads_and_writes(self):
        counts = bench.count_calls({'neutron-r1': [
            ('GET', '/v2.0/segments', '200'),
            ('POST', '/v2.0/networks', '201'),
            ('PUT', '/v2.0/networks/0b7c9b7e-45a1-4ed2-9c7a-3d6f1c2b8a11/tags',
             '200'),
            ('GET', '/v2.0/networks/0b7c9b7e-45a1-4ed2-9c7a-3d6f1c2b8a11',
             '200')]})['neutron-r1']
        self.assertEqual((2, 2), (counts['reads'], counts['writes']))
        self.assertEqual(
            1, counts['requests']['PUT /v2.0/networks/{id}/tags 200'])

    def test_conflicts_count_refused_network_creations(self):
        self.assertEqual(1, bench.conflicts({
            'neutron-r1': [('POST', '/v2.0/networks', '409'),
                           ('POST', '/v2.0/subnets', '409')],
            'neutron-r2': [('POST', '/v2.0/networks', '201')]}))

    def test_duplicates_are_counted_per_side(self):
        self.assertEqual(
            {'segmentation_ids': 1, 'cidrs': 0},
            bench.duplicates({'RegionOne': [(100, '10.0.0.0/24'),
                                            (100, '10.0.1.0/24')],
                              'RegionTwo': [(100, '10.0.0.0/24')]}))

    def test_native_template_types_the_same_id_on_both_sides(self):
        template = bench.native_template(4000, '10.251.0.0/24')
        local = template['resources']['network']['properties']
        remote = json.loads(template['resources']['remote']['properties'][
            'template'])['resources']['network']['properties']
        self.assertEqual(local, remote)
        self.assertEqual(4000, local['segmentation_id'])

    def test_geo_template_has_one_resource_per_link(self):
        resources = bench.geo_template(links=3)['resources']
        self.assertEqual(3, sum(r['type'] == 'OS::Geo::Interconnect'
                                for r in resources.values()))
