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

import random

import testtools

from geo_heat.link import allocation
from geo_heat.link import errors


class SegmentationChoiceTest(testtools.TestCase):

    def test_never_picks_used_or_tried(self):
        rng = random.Random(1)
        for _ in range(200):
            chosen = allocation.choose_segmentation_id(
                100, 110, used={100, 101, 105}, tried={102, 110}, rng=rng)
            self.assertNotIn(chosen, {100, 101, 102, 105, 110})
            self.assertTrue(100 <= chosen <= 110)

    def test_exhausted_range(self):
        self.assertIsNone(allocation.choose_segmentation_id(
            1, 3, used={1, 2}, tried={3}))

    def test_used_outside_range_does_not_count(self):
        self.assertEqual(5, allocation.choose_segmentation_id(
            5, 5, used={1, 2, 3, 4, 6}))

    def test_sparse_range_is_sampled(self):
        chosen = allocation.choose_segmentation_id(1, 2 ** 24 - 1, used={7})
        self.assertNotEqual(7, chosen)


class CidrChoiceTest(testtools.TestCase):

    def test_skips_overlapping_subnets(self):
        self.assertEqual('10.250.2.0/24', allocation.choose_cidr(
            ['10.250.0.0/16'], 24, ['10.250.0.0/23', '192.168.0.0/24']))

    def test_hint_spreads_choices(self):
        self.assertEqual('10.250.7.0/24', allocation.choose_cidr(
            ['10.250.0.0/16'], 24, [], hint=7))
        self.assertEqual('10.250.1.0/24', allocation.choose_cidr(
            ['10.250.0.0/16'], 24, [], hint=257))

    def test_several_pools(self):
        self.assertEqual('10.1.0.0/24', allocation.choose_cidr(
            ['10.0.0.0/24', '10.1.0.0/23'], 24, ['10.0.0.0/24']))

    def test_exhausted_pool(self):
        self.assertRaises(errors.AddressPoolExhausted, allocation.choose_cidr,
                          ['10.0.0.0/24'], 25, ['10.0.0.0/24'])

    def test_split_allocation_pools(self):
        local, remote = allocation.split_allocation_pools('10.0.0.0/24', 2)
        self.assertEqual([{'start': '10.0.0.1', 'end': '10.0.0.127'}], local)
        self.assertEqual([{'start': '10.0.0.128', 'end': '10.0.0.254'}],
                         remote)
        self.assertEqual([[{'start': '10.0.0.1', 'end': '10.0.0.254'}]],
                         allocation.split_allocation_pools('10.0.0.0/24', 1))


class LinkMtuTest(testtools.TestCase):

    def test_smallest_computed_within_the_cap(self):
        self.assertEqual(1450, allocation.link_mtu([1500, 1450]))
        self.assertEqual(1400, allocation.link_mtu([1500, 1450], 1400))
        self.assertEqual(1450, allocation.link_mtu([1500, 1450], 9000))
