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

    def test_medians_per_kind(self):
        self.assertEqual({'switchover': 2.0, 'failover': 3.5},
                         bench.medians({'switchover': [1.0, 2.0, 9.0],
                                        'failover': [3.0, 4.0]}))

    def test_switchover_table_names_the_stopped_services(self):
        table = bench.report_switchover({
            'runs': 3, 'stopped': ['nova-r2', 'neutron-r2'],
            'median': {'switchover': 2.5, 'failover': 4.0},
            'samples': {'switchover': [2.5, 2.0, 3.0],
                        'failover': [4.0, 5.5, 3.5]}})
        self.assertIn('median of 3 runs', table)
        (failover,) = [line for line in table.splitlines()
                       if 'failover' in line]
        self.assertIn('nova-r2 and neutron-r2 stopped', failover)
        self.assertEqual(['4.00', '3.50', '5.50'], failover.split()[-3:])

    def test_single_link_table_has_the_floor(self):
        phases = {'create': 1.0, 'delete': 0.5, 'total': 1.5}
        table = bench.report_single_link({
            'runs': 3, 'geo': phases, 'native': phases, 'floor': phases,
            'ratio': {'create': 1.0, 'delete': 1.0, 'total': 1.0},
            'floor_ratio': {'create': 1.25, 'delete': 1.0, 'total': 1.1}})
        (floor,) = [line for line in table.splitlines()
                    if 'ratio geo/floor' in line]
        self.assertEqual(['1.25', '1.00', '1.10'], floor.split()[-3:])

    def test_report_has_a_table_per_scenario_that_ran(self):
        printed = bench.report({
            'S': {'profile': 'embedded', 'services': 17, 'others': 0,
                  'rss_mb': 2300, 'pss_mb': 1800, 'last_up_seconds': 15.0},
            'P5': {'runs': 1, 'stopped': ['nova-r2'],
                   'median': {'switchover': 1.0, 'failover': 2.0},
                   'samples': {'switchover': [1.0], 'failover': [2.0]}}})
        self.assertEqual(['S', 'P5'], [section.split()[0] for section
                                       in printed.split('\n\n')])

    def test_footprint_names_the_profile_and_counts_every_process(self):
        printed = bench.report_footprint({
            'profile': 'production', 'services': 18, 'others': 5,
            'rss_mb': 3343, 'pss_mb': 2038, 'last_up_seconds': 29.5})
        self.assertIn('production profile: 18 services and 5 other '
                      'processes, total PSS 2038 MB', printed)
        self.assertIn('last up 29.5 s', printed)

    def test_geo_template_of_a_stitched_technology(self):
        (link,) = [r['properties'] for r in bench.geo_template(
            technology='bgpvpn', segmentation_range=None,
            bgpvpn_type='l3')['resources'].values()
            if r['type'] == 'OS::Geo::Interconnect']
        self.assertEqual('bgpvpn', link['technology'])
        self.assertEqual('l3', link['bgpvpn_type'])
        self.assertNotIn('segmentation_range', link)

    def test_technologies_table_has_a_line_per_technology(self):
        table = bench.report_technologies({
            'runs': 3, 'median': {
                label: {'create': 2.0, 'delete': 1.5}
                for label, _link in bench.TECHNOLOGY_LINKS}})
        self.assertIn('median of 3 runs', table)
        for label, _link in bench.TECHNOLOGY_LINKS:
            (line,) = [line for line in table.splitlines()
                       if line.strip().startswith(label + ' ')]
            self.assertEqual(['2.00', '1.50'], line.split()[-2:])

    def test_role_changes_time_with_no_active_and_two(self):
        samples = [(0.0, {'r1': 'active', 'r2': 'standby'}),
                   (0.1, {'r1': 'standby', 'r2': 'standby'}),
                   (0.3, {'r1': 'standby', 'r2': 'active'}),
                   (0.4, {'r1': 'active', 'r2': 'active'})]
        self.assertEqual((0.2, 1, 0.3), bench.role_changes(samples, 'r2'))

    def test_failover_table_says_what_was_rebuilt(self):
        table = bench.report_failover_after_check({
            'runs': 1, 'stopped': ['nova-r2', 'neutron-r2'], 'rebuilt': 0,
            'median': {'check': 1.0, 'failover': 4.0, 'promoted': 3.0},
            'samples': {'check': [1.0], 'failover': [4.0],
                        'promoted': [3.0]}})
        self.assertIn('resources rebuilt: 0', table)
        (promoted,) = [line for line in table.splitlines()
                       if 'read active' in line]
        self.assertEqual(['3.00', '3.00', '3.00'], promoted.split()[-3:])
