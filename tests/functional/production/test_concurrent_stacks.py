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

"""20 stacks created at once, their links and VNFs spread over both engine
workers of RegionOne's Heat (processes that race through one database, not
threads of one): VLAN and BGPVPN links and VNFs, as the other functional
tests build them. No two hold one segmentation ID on a side, one route
target or overlapping addresses; each delete leaves nothing on any side.
"""

import collections
import concurrent.futures
import ipaddress
import itertools

from tests.functional import base
from tests.functional.production import test_production
from tests.functional import vnf

from geo_heat_sandbox import clients

# VLANs of physnet1 between the regions drawn from by no other test.
LINK_RANGE = '3350:3399'
LINKS = {'vlan': 10, 'bgpvpn': 6}
VNF_MODES = ('hot', 'warm', 'cold', 'cold')


class ConcurrentStacksTest(test_production.Production,
                           vnf.RedundantVNFTestCase):

    TIMEOUT = 300

    def templates(self):
        """(kind, template) of every stack."""
        for technology, count in LINKS.items():
            template = base.two_sites(
                {'region_name': 'RegionTwo'}, technology,
                LINK_RANGE if technology == 'vlan' else None)
            yield from [(technology, template)] * count
        for mode in VNF_MODES:
            yield 'vnf', vnf.templates.vnf(
                self.KIND, mode=mode, segmentation_range=vnf.VLANS[self.KIND])

    def segments(self, stacks):
        """Per side, the (type, physical network, ID) of every network
        of the stacks."""
        held = collections.defaultdict(list)
        for stack, side in itertools.product(stacks,
                                             ('RegionOne', 'RegionTwo')):
            held[side].extend(
                (n.provider_network_type, n.provider_physical_network,
                 n.provider_segmentation_id)
                for n in self.tagged_networks(stack.id, side))
        return held

    def assertNoDuplicates(self, items, what):
        duplicates = [i for i, n in collections.Counter(items).items()
                      if n > 1]
        self.assertEqual([], duplicates, what)

    def test_twenty_stacks_at_once(self):
        offsets = self.log_offsets()
        kinds = list(self.templates())
        with concurrent.futures.ThreadPoolExecutor(len(kinds)) as pool:
            stacks = list(pool.map(
                lambda kind: self.start_stack(kind[1]), kinds))
        stacks = [self.wait(stack.id, 'CREATE') for stack in stacks]
        engines = self.creating_pids({'heat-r1': offsets['heat-r1']})
        self.assertEqual(2, len(engines), engines)

        outputs = [self.outputs(stack) for stack in stacks]
        for side, segments in self.segments(stacks).items():
            self.assertEqual(sum(LINKS.values()) + len(VNF_MODES),
                             len(segments), side)
            self.assertNoDuplicates(segments, side)
        targets = [out['route_target'] for (kind, _), out
                   in zip(kinds, outputs) if kind == 'bgpvpn']
        self.assertEqual(LINKS['bgpvpn'], len(set(targets)), targets)
        for side in ('RegionOne', 'RegionTwo'):
            held = collections.Counter(
                target for bgpvpn in self.connection(side).network.bgpvpns()
                for target in bgpvpn.route_targets)
            self.assertEqual({target: 1 for target in targets},
                             {target: held[target] for target in targets})
        cidrs = [ipaddress.ip_network(out['cidr']) for out in outputs]
        for one, other in itertools.combinations(cidrs, 2):
            self.assertFalse(one.overlaps(other), (one, other))
        addresses = [out[role]['link_addresses'][self.LINK]
                     for (kind, _), out in zip(kinds, outputs)
                     if kind == 'vnf' for role in ('active', 'standby')]
        self.assertNoDuplicates(addresses, 'VNF addresses')

        # Deleted at once too; cleanup finds each gone and checks every
        # side for what is left of it.
        for stack in stacks:
            self.heat.delete_stack(stack.id)
        deleted = clients.wait_for_action(
            self.heat, [stack.id for stack in stacks], 'DELETE',
            self.TIMEOUT, self.POLL)
        self.assertEqual([], [(stack.id, stack.status_reason)
                              for stack in deleted.values()
                              if stack and stack.status != 'DELETE_COMPLETE'])
