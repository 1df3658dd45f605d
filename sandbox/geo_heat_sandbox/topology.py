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

"""What the sandbox is made of: its clouds and regions, the services of
each and their ports, the physical networks and VLAN ranges, the
datacenter interconnect, the compute cells and hosts, the tenants.

Plain data, no OpenStack import: the CLI and the unit tests read it.
"""

import importlib.util

REGION_ONE = 'RegionOne'
REGION_TWO = 'RegionTwo'

# name -> (family, port offset, cloud, region)
SERVICES = {
    'keystone-a': ('keystone', 0, 'a', None),
    'keystone-b': ('keystone', 1, 'b', None),
    'neutron-r1': ('neutron', 2, 'a', REGION_ONE),
    'neutron-r2': ('neutron', 3, 'a', REGION_TWO),
    'neutron-b': ('neutron', 4, 'b', REGION_ONE),
    'heat-r1': ('heat', 5, 'a', REGION_ONE),
    'heat-r2': ('heat', 6, 'a', REGION_TWO),
    'barbican': ('barbican', 7, 'a', None),
    'heat-b': ('heat', 8, 'b', REGION_ONE),
    'placement-r1': ('placement', 9, 'a', REGION_ONE),
    'placement-r2': ('placement', 10, 'a', REGION_TWO),
    'placement-b': ('placement', 11, 'b', REGION_ONE),
    'glance-a': ('glance', 12, 'a', None),
    'glance-b': ('glance', 13, 'b', None),
    'nova-r1': ('nova', 14, 'a', REGION_ONE),
    'nova-r2': ('nova', 15, 'a', REGION_TWO),
    'nova-b': ('nova', 16, 'b', REGION_ONE),
}
# Tacker (API and conductor) under Keystone A, its VNFs' VIM RegionOne:
# an extra of the sandbox distribution (geo-heat-sandbox[tacker]), a
# service only where it is installed.
if importlib.util.find_spec('tacker') is not None:
    SERVICES['tacker'] = ('tacker', 17, 'a', REGION_ONE)

VLAN_RANGES = {
    'neutron-r1': ['physnet1:100:199', 'physnet-cell1:100:199',
                   'physnet-cell2:100:199'],
    'neutron-r2': ['physnet1:100:199'],
    'neutron-b': ['physnet1:100:199'],
}
# The production profile's backing services (geo_heat_sandbox.profiles):
# name -> port offset. Not services of their own: plain processes that the
# Heats use, started before them.
BACKEND_PORTS = {'mariadb': 18, 'rabbitmq': 19, 'rabbitmq-dist': 20,
                 'epmd': 21}
# An operator cloud whose Keystone accepts connections and never answers
# (a WAN that drops packets): its port is free unless a test listens there.
SILENT_CLOUD = 'cloud-silent'
SILENT_PORT_OFFSET = 99

# What the sandbox's "datacenter interconnect" carries ([geo_heat]
# interconnects): physnet1 trunked between the regions, to cloud B and to
# clouds reached through a Barbican credential on VLANs 100-3999 (tests
# with fixed IDs and the benchmark use 2000-3999, apart from what the demo
# and the templates draw from), the cells' physical networks, and tunnels
# between the regions as if an EVPN gateway stitched them, on the ranges
# their Neutrons hand out. BGPVPN and IPsec stitch RegionOne to RegionTwo
# and to cloud B; RegionTwo reaches cloud B over the internet only (IPsec),
# the pair where auto has one choice. VLAN and flat links of tenants may use
# the trunk (physnet1) and the cells' own physical networks only: never
# extnet, the external networks' physical network.
INTERCONNECTS = (
    'region:RegionOne|region:RegionTwo|bgpvpn',
    'region:RegionOne|region:RegionTwo|ipsec',
    'region:RegionOne|cloud:cloud-b|bgpvpn',
    'region:RegionOne|cloud:cloud-b|ipsec',
    'region:RegionTwo|cloud:cloud-b|ipsec',
    'region:RegionOne|region:RegionTwo|vlan:100:3999|physnet=physnet1',
    'region:RegionOne|region:RegionTwo|flat|physnet=physnet1',
    'region:RegionOne|region:RegionTwo|vxlan:1000:1999',
    'region:RegionOne|region:RegionTwo|gre:1:999',
    'region:RegionOne|region:RegionTwo|geneve:2000:2999',
    'region:RegionOne|cloud:cloud-b|vlan:100:3999|physnet=physnet1',
    'region:RegionTwo|cloud:cloud-b|vlan:100:3999|physnet=physnet1',
    'region:RegionOne|*|vlan:100:3999|physnet=physnet1',
    'cell:cell1|cell:cell2|vlan:100:199|physnet=physnet-cell1/'
    'physnet-cell2',
    'cell:cell1|region:RegionTwo|vlan:195:199|physnet=physnet-cell1/'
    'physnet1',
    'region:RegionOne|cloud:%s|vlan:100:199|physnet=physnet1' % SILENT_CLOUD,
)
# The same trunk seen from cloud B's Heat: its RegionOne to cloud A.
INTERCONNECTS_OF_CLOUD_B = (
    'region:RegionOne|cloud:cloud-a|bgpvpn',
    'region:RegionOne|cloud:cloud-a|ipsec',
    'region:RegionOne|cloud:cloud-a|vlan:100:3999|physnet=physnet1',
)
# 100 route targets: 20 BGPVPN links at once (R2) often pick the same one.
ROUTE_TARGET_RANGE = '10000:10099'
# The external network of each Neutron ([geo_heat] ipsec_external_network):
# the gateways of IPsec links' routers, their peer addresses.
EXTERNAL_NETWORK = 'public'
EXTERNAL_PHYSNET = 'extnet'
EXTERNAL_CIDRS = {'neutron-r1': '203.0.113.0/26',
                  'neutron-r2': '203.0.113.64/26',
                  'neutron-b': '203.0.113.128/26'}
LINK_MTU_CAP = 1500
# Links the tenant's stacks may hold at once ([geo_heat]
# max_links_per_project): the benchmarks' 20 at once, beside the tests.
MAX_LINKS_PER_PROJECT = 100
CELL_MAPPINGS = {
    'heat-r1': 'cell1:az-cell1:physnet-cell1,cell2:az-cell2:physnet-cell2',
}

# Nova service -> {cell name: (its fake compute host, availability zone)}.
# A zone of None leaves the host in Nova's default zone.
NOVA_CELLS = {
    'nova-r1': {'cell1': ('nova-r1-cell1', 'az-cell1'),
                'cell2': ('nova-r1-cell2', 'az-cell2')},
    'nova-r2': {'cell1': ('nova-r2-cell1', None)},
    'nova-b': {'cell1': ('nova-b-cell1', None)},
}
# Physical networks each fake compute host is wired to: the sandbox ML2
# mechanism driver binds a flat or VLAN port there only.
HOST_PHYSNETS = {
    'nova-r1-cell1': ('physnet1', 'physnet-cell1'),
    'nova-r1-cell2': ('physnet1', 'physnet-cell2'),
    'nova-r2-cell1': ('physnet1',),
    'nova-b-cell1': ('physnet1',),
}

# Projects of tenants, as (key, cloud, project and user name, password
# secret). A tenant is a `member`, never admin: `tenant` owns the VNF in
# cloud A and its standby project in cloud B is `tenant-b`; `other` is a
# second project of cloud A that must see none of tenant's links and may
# not use cloud B.
TENANTS = (
    ('tenant', 'a', 'geo-tenant', 'tenant_a'),
    ('other', 'a', 'geo-other', 'other_a'),
    ('tenant-b', 'b', 'geo-tenant', 'tenant_b'),
)
# Operator credentials that build links in cloud A ([geo_heat] link_cloud).
LINK_BUILDER = 'geo-heat'
# The user of each cloud's entry in the operator clouds file.
OPERATOR_USERS = {'a': LINK_BUILDER, 'b': 'admin'}
# Heat's stack user domain in each Keystone and the user that manages it
# (secret heat_domain_admin_<cloud>): the stack users of SignalResponder
# resources (wait condition handles, scaling policies, software
# deployments) live there, one project per stack.
STACK_USER_DOMAIN = 'heat'
STACK_DOMAIN_ADMIN = 'heat_domain_admin'


def services_of(family):
    return [n for n, v in SERVICES.items() if v[0] == family]


def regions_of(cloud):
    """The regions of a cloud, sorted (RegionOne first)."""
    return sorted({region for _, _, svc_cloud, region in SERVICES.values()
                   if svc_cloud == cloud and region})


def sibling(name, family):
    """The service of `family` in the same cloud and region as `name`."""
    _, _, cloud, region = SERVICES[name]
    for other, (fam, _, other_cloud, other_region) in SERVICES.items():
        if fam == family and other_cloud == cloud and other_region in (
                region, None):
            return other
    raise KeyError('no %s beside %s' % (family, name))


def host_physnets(neutron):
    """[ml2_sandbox] host_physnets of one Neutron: its region's hosts."""
    nova = sibling(neutron, 'nova')
    return ','.join('%s:%s' % (host, ' '.join(HOST_PHYSNETS[host]))
                    for host, _ in NOVA_CELLS[nova].values())
