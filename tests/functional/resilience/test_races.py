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

"""R2: stacks racing for the segmentation IDs of one small range, and
BGPVPN links for the route targets of the sandbox's (small) range.

The link core picks a random free ID and, when another link takes it on one
side meanwhile, undoes its other half and tries again. Neutron itself
refuses a duplicate on one side; these tests check that no two links ever
end up sharing an ID across the sides, and that running out of IDs is a
clear error. BGPVPN drivers need not refuse a duplicate route target, so
there the links look again after creating their BGPVPNs.
"""

import collections
import concurrent.futures

from testtools import content

from tests.functional import base

RANGE = (170, 181)  # 12 VLAN IDs of physnet1 used by no other test
FIRST_WAVE = 10
SECOND_WAVE = 4  # 14 links for 12 IDs
EXHAUSTED = ('no vlan segmentation ID of %d:%d is free' % RANGE,
             'segmentation IDs taken meanwhile')


class SegmentationRaceTest(base.FunctionalTestCase):

    TIMEOUT = 300

    def start_wave(self, count):
        """Start `count` stacks at once; return their final states."""
        template = base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                                  '%d:%d' % RANGE)
        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            stacks = list(pool.map(lambda _: self.start_stack(template),
                                   range(count)))
        return [self.wait(stack.id, 'CREATE', expect=None)
                for stack in stacks]

    def assertNoSharedIds(self, stacks):
        """Each side: one network per ID; each link: one ID on both sides."""
        per_side = collections.defaultdict(list)
        for stack in stacks:
            ids = {}
            for side in ('RegionOne', 'RegionTwo'):
                for network in self.tagged_networks(stack.id, side):
                    per_side[side].append(network.provider_segmentation_id)
                    ids[side] = network.provider_segmentation_id
            if stack.status == 'CREATE_COMPLETE':
                self.assertEqual(ids['RegionOne'], ids['RegionTwo'])
        for side, ids in per_side.items():
            duplicates = [i for i, n in collections.Counter(ids).items()
                          if n > 1]
            self.assertEqual([], duplicates, side)
            self.assertTrue(all(RANGE[0] <= i <= RANGE[1] for i in ids))
        return per_side

    def conflicts(self):
        """Network creates a Neutron refused: an ID taken meanwhile."""
        return sum(self.neutron_requests(('POST',), '/v2.0/networks',
                                         '409').values())

    def test_links_racing_for_a_small_range(self):
        conflicts = self.conflicts()
        first = self.start_wave(FIRST_WAVE)
        self.assertEqual(['CREATE_COMPLETE'] * FIRST_WAVE,
                         [s.status for s in first],
                         [s.status_reason for s in first])
        self.assertNoSharedIds(first)

        second = self.start_wave(SECOND_WAVE)
        used = self.assertNoSharedIds(first + second)
        self.assertLessEqual(len(used['RegionOne']), RANGE[1] - RANGE[0] + 1)
        failed = [s for s in second if s.status == 'CREATE_FAILED']
        self.addDetail('race', content.text_content(
            '%d links on %d IDs, %d refused, %d conflicts retried' % (
                FIRST_WAVE + SECOND_WAVE, RANGE[1] - RANGE[0] + 1,
                len(failed), self.conflicts() - conflicts)))
        self.assertNotEqual([], failed)
        for stack in failed:
            reason = self.resource(stack, 'link').status_reason
            self.assertTrue(any(text in reason for text in EXHAUSTED),
                            reason)


class RouteTargetRaceTest(base.FunctionalTestCase):
    """10 BGPVPN links at once: each gets one route target on both sides,
    and no two links share one on any side."""

    TIMEOUT = 300
    LINKS = 10

    def test_links_racing_for_route_targets(self):
        template = base.two_sites({'region_name': 'RegionTwo'}, 'bgpvpn')
        creates = self.bgpvpn_creates()
        with concurrent.futures.ThreadPoolExecutor(self.LINKS) as pool:
            stacks = list(pool.map(lambda _: self.start_stack(template),
                                   range(self.LINKS)))
        stacks = [self.wait(stack.id, 'CREATE') for stack in stacks]
        targets = [self.outputs(stack)['route_target'] for stack in stacks]
        self.assertEqual(self.LINKS, len(set(targets)), targets)
        for side in ('RegionOne', 'RegionTwo'):
            held = collections.Counter(
                target for bgpvpn in self.connection(side).network.bgpvpns()
                for target in bgpvpn.route_targets)
            self.assertEqual({target: 1 for target in targets},
                             {target: held[target] for target in targets},
                             side)
        self.addDetail('race', content.text_content(
            '%d links, %d route targets taken meanwhile and retried' % (
                self.LINKS,
                (self.bgpvpn_creates() - creates - 2 * self.LINKS) // 2)))

    def bgpvpn_creates(self):
        return sum(self.neutron_requests(('POST',), '/v2.0/bgpvpn/bgpvpns'
                                         ).values())
