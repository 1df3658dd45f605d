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

"""A link as a VNF on it sees it at one of its sites.

The link's network and subnet at a site come from the link's record (what
its create recorded, as convergence requires); the address range there is
what that side's Neutron hands out, read from the subnet itself, so a VNF
follows the link's own address plan whatever it is (one subnet stretched
with a pool per side, a routed side's own subnet behind its router, one
network for two cells).
"""

import json

from geo_heat.link import model

# Placement fields that tell two sites apart (the availability zone of an
# endpoint may change in place; it is not where the link is).
_SITE_FIELDS = ('cloud', 'credential_secret_id', 'region_name', 'cell')


def same_site(placement_a, placement_b):
    """Whether two recorded placements (dicts) are the same site."""
    return all(placement_a.get(f) == placement_b.get(f) for f in _SITE_FIELDS)


def side_at(record, placement):
    """The link's side at `placement` (a recorded placement), or None if
    the link does not reach that site or is not built.

    `record` is the link resource's data: 'sites', the recorded endpoint
    descriptors per role, and 'state', the recorded model.LinkState.
    """
    if not record.get('sites'):
        return None
    sites = json.loads(record['sites'])
    state = model.LinkState.from_dict(json.loads(record.get('state', '{}')))
    roles = [role for role in ('local', 'remote')
             if same_site(sites[role]['placement'], placement)]
    if not roles or not state.cidr:
        return None
    role = roles[0]
    return model.LinkSide(
        network_id=getattr(state, role + '_network_id'),
        subnet_id=getattr(state, role + '_subnet_id'),
        shared=state.local_network_id == state.remote_network_id)


def address_ranges(network, side):
    """The ranges, as (first, last) addresses, that the side's Neutron
    hands out on the link: its subnet's allocation pools."""
    subnet = network.get_subnet(side.subnet_id)
    return [(pool['start'], pool['end'])
            for pool in subnet.allocation_pools or ()]
