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

import testtools

from geo_heat import resource_data
from geo_heat.vnf import bounds

# Two sites as a template names them: RegionOne, and cloud B.
ENDS = (bounds.End('site_a', {'region_name': 'RegionOne',
                              'physical_network': 'physnet1'}),
        bounds.End('site_b', {'cloud': 'cloud-b',
                              'physical_network': 'physnet1'}))


def links(count, width=8):
    return ['link%0*d' % (width - 4, index) for index in range(count)]


class BoundsTest(testtools.TestCase):

    def largest(self, count, width=8, ends=ENDS):
        return bounds.largest('vnf-stack', 'vnf', ends, links(count, width))

    def test_eight_links_across_two_clouds_fit(self):
        sizes = self.largest(8)
        self.assertLess(max(sizes.values()), resource_data.TEXT_BYTES / 4)

    def test_the_records_grow_with_the_links(self):
        one, two = self.largest(1), self.largest(2)
        per_link = two['sites'] - one['sites']
        self.assertGreater(per_link, 0)
        self.assertEqual(per_link, self.largest(3)['sites'] - two['sites'])
        # Longer names, more bytes per link.
        self.assertGreater(self.largest(2, width=64)['sites'] -
                           self.largest(1, width=64)['sites'], per_link)

    def test_most_links_is_the_last_count_that_fits(self):
        names = links(200)
        most = bounds.most_links('vnf-stack', 'vnf', ENDS, names)
        self.assertGreater(most, 8)
        self.assertLessEqual(max(bounds.largest(
            'vnf-stack', 'vnf', ENDS, names[:most]).values()),
            resource_data.TEXT_BYTES)
        self.assertGreater(max(bounds.largest(
            'vnf-stack', 'vnf', ENDS, names[:most + 1]).values()),
            resource_data.TEXT_BYTES)

    def test_a_region_the_template_leaves_to_the_cloud_counts_at_its_largest(
            self):
        given = self.largest(1)
        defaulted = self.largest(1, ends=(
            bounds.End('site_a', {}), ENDS[1]))
        self.assertGreater(defaulted['sites'], given['sites'] +
                           resource_data.NAME_MAX * 6)
