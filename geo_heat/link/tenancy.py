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

"""What a project may ask of links built with the operator's credentials.

Links are provider networks and stitching services that Neutron lets
admins alone create; geo-heat builds them with the operator's credentials
from values the tenant chooses. So what a tenant (any user but an admin,
who could build them itself) may ask is what the operator declared:

- with no [geo_heat] interconnects item, no link at all;
- a VLAN or flat link only on a physical network that the item joining
  the sites names (physnet=) at each end: never the trunk's untagged
  network or an infrastructure VLAN the operator did not hand out;
- a segmentation ID within the item's range;
- at most [geo_heat] max_links_per_project links per project, of at most
  [geo_heat] max_link_addresses addresses each, since every link counts
  against the operator's one project on every side.

Heat's policy file is not needed for this: these rules hold whatever it
says, and when it is not installed (Heat then allows every resource type).
Problems are messages for the tenant (None: allowed); they name the
operator's options, never what other projects hold.
"""

import ipaddress

from cryptography import x509

from geo_heat import definitions

# Of a CA bundle: larger is no CA bundle, and costs the engine's memory.
CA_CERT_MAX_BYTES = 256 * 1024


def undeclared_problem(items, is_admin):
    """Why a project may not build any link: the operator declared none
    (no interconnects item; a bad one refuses every link elsewhere)."""
    if items or is_admin:
        return None
    return ('the operator has not declared the interconnect ([geo_heat] '
            'interconnects), so only an admin may create links')


def segmentation_bound(carriage, is_admin):
    """The range a template's segmentation ID must be in: the declared
    one, which binds tenants; an admin may set any."""
    return None if is_admin else carriage.segmentation_range


def physical_network_problems(technology, carriage, placements, is_admin):
    """Why the ends' physical networks are not the tenant's to use, as
    [(role, message)] over placements {role: Placement}."""
    if is_admin or technology not in definitions.PHYSICAL_TECHNOLOGIES:
        return []
    declared = carriage.physical_networks
    problems = []
    for index, (role, placement) in enumerate(sorted(placements.items())):
        allowed = declared[index] if declared else frozenset()
        if placement.physical_network in allowed:
            continue
        if not allowed:
            message = ('the operator declared no physical network for %s '
                       'links at the %s end ([geo_heat] interconnects '
                       'physnet=), so only an admin may create them'
                       % (technology, role))
        else:
            message = ('physical network %s is not one the operator '
                       'declared for %s links at the %s end: %s'
                       % (placement.physical_network, technology, role,
                          ', '.join(sorted(allowed))))
        problems.append((role, message))
    return problems


def link_count_problem(held, asked, limit, is_admin):
    """Why `asked` more links are too many for a project holding `held`."""
    if is_admin or held + asked <= limit:
        return None
    return ('the project would hold %d links, more than the operator\'s '
            'limit of %d ([geo_heat] max_links_per_project)'
            % (held + asked, limit))


def cidr_size_problem(cidr, limit, is_admin):
    """Why a link's CIDR holds too many addresses (a valid CIDR)."""
    if is_admin or cidr is None:
        return None
    size = ipaddress.ip_network(cidr).num_addresses
    if size <= limit:
        return None
    return ('%s holds %d addresses, more than the operator\'s limit of %d '
            'per link ([geo_heat] max_link_addresses)' % (cidr, size, limit))


def ca_cert_problem(pem):
    """Why a CA bundle is not one Heat may trust: not PEM certificates."""
    if pem is None:
        return None
    if len(pem.encode()) > CA_CERT_MAX_BYTES:
        return 'is larger than %d bytes' % CA_CERT_MAX_BYTES
    try:
        x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        return 'is not a PEM bundle of X.509 certificates'
    return None


def secret_cloud_problem(cloud, auth_url, allowed):
    """Why a Barbican credential may not be used: the operator has no
    credentials for its Keystone (`cloud` None), or does not let the
    stack's project use that cloud (`allowed` False)."""
    if cloud is None:
        return ('the operator has declared no cloud at %s ([geo_heat] '
                'clouds_file) that credentials may reach' % auth_url)
    if not allowed:
        return ('the cloud at %s is not available to this project '
                '([geo_heat] cloud_projects)' % auth_url)
    return None


# What a tenant may read of a link's network and subnet: what Neutron shows
# the project the network is shared with, less the operator's project.
NETWORK_FIELDS = ('id', 'name', 'status', 'mtu', 'is_admin_state_up',
                  'subnet_ids', 'tags', 'description', 'is_shared')
SUBNET_FIELDS = ('id', 'name', 'cidr', 'ip_version', 'gateway_ip',
                 'allocation_pools', 'is_dhcp_enabled', 'network_id',
                 'dns_nameservers', 'host_routes', 'tags', 'description')


def tenant_view(show):
    """A link's show as the project it is shared with may read it: no
    provider fields, no operator project, none of its RBAC entries."""
    view = {key: value for key, value in show.items()
            if not key.endswith('_rbac_policy_id')}
    for role in ('local', 'remote'):
        side = view.get(role)
        if not isinstance(side, dict):
            continue
        side = dict(side)
        for kind, fields in (('network', NETWORK_FIELDS),
                             ('subnet', SUBNET_FIELDS)):
            if side.get(kind):
                side[kind] = {key: value for key, value in side[kind].items()
                              if key in fields}
        view[role] = side
    return view
