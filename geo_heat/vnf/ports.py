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

"""The ports of a georedundant VNF on its links, at each site.

Each instance's address on each link is a port reserved in the project that
owns the VNF at that site: Neutron lets only a network's owner (or an
admin) pick a fixed IP, and the link networks belong to the operator. The
ports outlive the instances, so a cold standby keeps its addresses. Here:
which ports a site keeps, reserves and releases when the links change, the
address it takes on a link, and the Neutron calls that reserve, fence and
release them.
"""

import netaddr

from geo_heat import definitions
from geo_heat import failure
from geo_heat.link import errors
from geo_heat.vnf import model


def free_offset(records):
    """The offset no recorded site holds, for a new site: two sites on one
    network (two cells) take addresses apart."""
    taken = {record.offset for record in records.values()}
    return min(set(range(len(taken) + 1)) - taken)


def address_index(side, index, offset):
    """Which address of a link side's range the VNF's `index` is at a site
    of `offset`: on a network both sites share, 2*index and 2*index+1."""
    return 2 * index + offset if side.shared else index


def fixed_address(ranges, index):
    """The index-th address of a side's ranges, (first, last) pairs in
    order; ValueError past their end."""
    wanted = index
    for first, last in ranges:
        first, last = netaddr.IPAddress(first), netaddr.IPAddress(last)
        if first + index <= last:
            return str(first + index)
        index -= int(last) - int(first) + 1
    raise ValueError('address index %d is beyond the range %s' % (
        wanted, ', '.join('%s-%s' % pair for pair in ranges)))


def sort_out(ports, sides):
    """The ports a site keeps on its links and those it leaves.

    `sides` are (link name, model.LinkSide) in the order of the links. A
    port stays while its link's network does: one on a link no longer
    listed, or replaced by a new network, is left. Returns one port per
    link (None where one is to reserve) and the ports left.
    """
    held = {(port.link, port.network_id): port for port in ports}
    kept = [held.pop((link, side.network_id), None) for link, side in sides]
    return kept, list(held.values())


def to_release(records, keep, lost):
    """Per site (key, record, ports, leaving): what an operation releases.

    The ports an update set aside, and for every site but the `keep` ones,
    all of them. A site that owes a step keeps its ports until it answers,
    as does a leaving site whose instance stack is still there; a site
    given up for good (in `lost`) is not asked, its ports only named.
    """
    for key, record in sorted(records.items()):
        leaving = key not in keep
        if key not in lost and (record.pending or
                                (leaving and record.stack_id)):
            continue  # owed, once the site answers
        yield key, record, record.released + (
            record.ports if leaving else []), leaving


def left_behind(key, record, ports):
    """What stays at a site given up for good, as the VNF names it (None:
    nothing)."""
    objects = (['instance stack %s' % record.stack_id]
               if record.stack_id else []) + [
        'port %s' % port.port_id for port in ports]
    if not objects:
        return None
    return '%s (%s) was given up; left there: %s' % (
        key, record.placement.describe(), ', '.join(objects))


# -- Neutron -----------------------------------------------------------------

def reserve(network, name, link, side, address, project_id, vnf_id,
            stack_id):
    """The VNF's model.Port with `address` on a link side, in the project
    that owns the VNF there.

    Its create request carries its tags, so that a port whose answer was
    lost (Neutron committed, the WAN dropped the answer) is tagged all the
    same: that create, or a retried one, finds it by tag and address and
    adopts it.
    """
    tag = definitions.vnf_tag(vnf_id)
    port_id = _reserved(network, side, tag, address)
    if not port_id:
        port_id = _create(network, name, side, address, project_id, tag,
                          [definitions.TAG_OWNER, tag,
                           definitions.stack_tag(stack_id)])
    return model.Port(link=link, port_id=port_id,
                      network_id=side.network_id, address=address)


def _create(network, name, side, address, project_id, tag, tags):
    try:
        port = network.create_port(
            network_id=side.network_id, name=name, project_id=project_id,
            fixed_ips=[{'subnet_id': side.subnet_id, 'ip_address': address}],
            tags=tags)
    except errors.CLIENT_ERRORS as exc:
        if not failure.is_unreachable(exc):
            raise
        try:
            port_id = _reserved(network, side, tag, address)
        except errors.CLIENT_ERRORS:
            port_id = None
        if not port_id:
            raise
        return port_id
    if not set(tags) <= set(port.tags or ()):
        # A Neutron without ML2's tag_ports_during_bulk_creation extension
        # driver accepts the tags and drops them.
        network.set_tags(port, tags)
    return port.id


def _reserved(network, side, tag, address):
    for port in network.ports(network_id=side.network_id, tags=tag):
        if any(ip['ip_address'] == address for ip in port.fixed_ips):
            return port.id
    return None


def set_up(network, ports, up):
    """Bring the ports up, or down: a fence, the instance behind them can
    neither reach its peer nor serve on the links."""
    for port in ports:
        network.update_port(port.port_id, admin_state_up=up)


def release(network, ports):
    for port in ports:
        network.delete_port(port.port_id, ignore_missing=True)
