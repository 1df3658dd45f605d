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

"""Choosing what both sides must agree on: segmentation ID, subnet, MTU.

The choices are pure functions of what each side reports as used, so they
are tested without any cloud; the readers cost one list call per side,
however many networks the cloud already holds.
"""

import random

import netaddr

from geo_heat import definitions
from geo_heat.link import errors


def used_segmentation_ids(site, technology, physical_network):
    """IDs of `technology` already allocated on a site (one read)."""
    filters = {'network_type': technology}
    if technology in definitions.PHYSICAL_TECHNOLOGIES:
        filters['physical_network'] = physical_network
    with site.calls('list %s segments' % technology) as network:
        return {segment.segmentation_id
                for segment in network.segments(**filters)}


def choose_segmentation_id(low, high, used, tried=(), rng=random):
    """A random ID of low:high not in `used` nor already `tried`.

    Random rather than lowest-first, so concurrent links rarely pick the
    same ID; when they do, the loser retries with another one.
    """
    taken = set(used) | set(tried)
    free_count = (high - low + 1) - sum(1 for i in taken if low <= i <= high)
    if free_count <= 0:
        return None
    # Sparse ranges (VXLAN, GRE) are sampled; small ones are enumerated.
    if high - low > 4 * len(taken) + 64:
        while True:
            candidate = rng.randint(low, high)
            if candidate not in taken:
                return candidate
    return rng.choice([i for i in range(low, high + 1) if i not in taken])


def used_cidrs(site, ip_version):
    """CIDRs of every subnet of an IP version on a site (one read)."""
    with site.calls('list subnets') as network:
        return [subnet.cidr
                for subnet in network.subnets(ip_version=ip_version)]


def choose_cidr(pools, prefix_length, used, hint=0):
    """The first subnet of the pools, from offset `hint`, overlapping none.

    Starting from an offset derived from the (unique) segmentation ID
    keeps concurrent links from picking the same subnet.
    """
    taken = netaddr.IPSet(used)
    candidates = []
    for pool in pools:
        pool = netaddr.IPNetwork(pool)
        if prefix_length < pool.prefixlen:
            continue
        count = 2 ** (prefix_length - pool.prefixlen)
        size = 2 ** ((32 if pool.version == 4 else 128) - prefix_length)
        candidates.append((pool, count, size))
    total = sum(count for _pool, count, _size in candidates)
    for step in range(total):
        index = (hint + step) % total
        for pool, count, size in candidates:
            if index < count:
                subnet = netaddr.IPNetwork(
                    '%s/%d' % (netaddr.IPAddress(pool.first + index * size,
                                                 pool.version),
                               prefix_length))
                break
            index -= count
        if not taken & netaddr.IPSet([subnet]):
            return str(subnet)
    raise errors.AddressPoolExhausted(
        'no /%d subnet of %s is free on both sides'
        % (prefix_length, ', '.join(str(p) for p in pools)))


def split_allocation_pools(cidr, halves):
    """Disjoint host ranges, one per half of a stretched L2 segment.

    Each side's Neutron then never hands out an address the other side
    uses. One half gets the whole host range.
    """
    network = netaddr.IPNetwork(cidr)
    first = network.first + 1
    last = network.last - (1 if network.version == 4 else 0)
    if halves == 1:
        return [[{'start': str(netaddr.IPAddress(first, network.version)),
                  'end': str(netaddr.IPAddress(last, network.version))}]]
    middle = first + (last - first + 1) // 2
    return [
        [{'start': str(netaddr.IPAddress(first, network.version)),
          'end': str(netaddr.IPAddress(middle - 1, network.version))}],
        [{'start': str(netaddr.IPAddress(middle, network.version)),
          'end': str(netaddr.IPAddress(last, network.version))}],
    ]


def link_mtu(computed_mtus, mtu_cap=None):
    """The MTU of both halves: the smallest one Neutron computed for a half,
    within the interconnect's path MTU, which no Neutron knows."""
    mtu = min(computed_mtus)
    return mtu if mtu_cap is None else min(mtu, mtu_cap)
