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

"""Operator options of geo-heat, read by the Heat engine ([geo_heat] group)."""

from oslo_config import cfg
from oslo_config import types

from geo_heat import definitions

GROUP = 'geo_heat'

geo_heat_opts = [
    cfg.StrOpt('clouds_file',
               help='Path of an operator-side clouds.yaml whose named '
                    'clouds an OS::Geo::Endpoint may use through '
                    'context.cloud (a separate cloud instance with its own '
                    'Keystone). The credentials stay in this file and never '
                    'reach templates, events or logs.'),
    # Who builds links and who may use them.
    cfg.StrOpt('link_cloud',
               help='Named cloud of clouds_file holding the operator '
                    'credentials that build link networks in the stack\'s '
                    'own cloud (any of its regions). Provider networks are '
                    'admin-only, so without it only a stack user allowed to '
                    'create provider networks can create links. The '
                    'networks are then shared (Neutron RBAC '
                    'access_as_shared) with the stack\'s project alone. '
                    'This cloud is never available to endpoints as '
                    'context.cloud.'),
    cfg.ListOpt('cloud_projects', default=[],
                help='Which projects may use which named cloud, as '
                     'CLOUD:LOCAL_PROJECT_ID:REMOTE_PROJECT_ID items: the '
                     'stack\'s project LOCAL_PROJECT_ID may place endpoints '
                     'in CLOUD, and the link network there is shared with '
                     'REMOTE_PROJECT_ID of that cloud (the project the '
                     'standby VNF runs in). A project with no item for a '
                     'cloud is refused at validate time.'),
    cfg.IntOpt('call_timeout', default=60, min=1,
               help='Seconds every request to a side (Keystone, Neutron, '
                    'Barbican of a remote cloud) may take before the '
                    'operation fails naming that side; a side that drops '
                    'packets then cannot hold an engine worker. Leave room '
                    'for a busy Neutron: a request queued behind many '
                    'link creations still answers.'),
    cfg.IntOpt('probe_timeout', default=3, min=1,
               help='Seconds a site has to answer when geo-heat only asks '
                    'whether it is there: before a failover goes on '
                    'without the former active site, and when the live '
                    'status of a georedundant VNF reads its sites (each '
                    'instance stack in its site\'s Heat, its server in its '
                    'Nova), all sites at once. A site silent for longer is '
                    'reported unreachable, so that neither a failover nor '
                    'a stack show waits for call_timeout. Keep it above '
                    'the round trip of a busy site.'),
    cfg.ListOpt('cell_mappings', default=[],
                help='Nova cells an endpoint may name, as '
                     'CELL:AVAILABILITY_ZONE:PHYSICAL_NETWORK items. Nova '
                     'hides cells from its API, so this maps each one to '
                     'the availability zone that schedules into it and the '
                     'Neutron physical network that reaches it.'),
    cfg.ListOpt('cidr_pool', default=['10.250.0.0/16'],
                help='Address blocks from which a link subnet is chosen '
                     'when the template gives no cidr; the chosen subnet '
                     'overlaps no subnet on either side.'),
    cfg.IntOpt('subnet_prefix_length', default=24, min=8, max=30,
               help='Prefix length of a subnet chosen from cidr_pool.'),
    cfg.DictOpt('segmentation_ranges', default={},
                help='Default "min:max" range per technology from which a '
                     'segmentation ID is chosen when the template gives '
                     'neither segmentation_id nor segmentation_range, e.g. '
                     'vlan:100:199,vxlan:1000:1999. Without an entry the '
                     'whole range of the technology is used.'),
    cfg.IntOpt('allocation_attempts', default=10, min=1,
               help='How many segmentation IDs a link tries when another '
                    'link takes its choice on one side at the same time.'),
    # What the datacenter interconnect carries between sites
    # (geo_heat.link.underlay).
    cfg.MultiStrOpt('interconnects', default=[],
                    help='What the datacenter interconnect carries between '
                         'two sites, one SITE|SITE|TECHNOLOGY[:MIN:MAX]'
                         '[|mtu=MTU] item per interconnects line, e.g. '
                         'region:RegionOne|region:RegionTwo|vlan:100:199|'
                         'mtu=1500. A SITE is region:REGION (the stack\'s '
                         'own cloud), cloud:CLOUD or cloud:CLOUD/REGION (a '
                         'cloud of clouds_file), cell:CELL (a cell of '
                         'cell_mappings; a cell answers to nothing else) or '
                         '* (any site, the only name of a cloud reached '
                         'through a Barbican secret). Two Neutrons with the '
                         'same VNI are only connected where the interconnect '
                         'stitches them (EVPN or L2 gateway); VLAN and flat '
                         'need a trunk. Once an item is given, a link is '
                         'allowed only between sites and with a technology '
                         'of an item: pairs are unordered and the first '
                         'matching item wins; its range bounds the link\'s '
                         'segmentation ID and replaces segmentation_ranges '
                         'as the default, and its mtu caps the link\'s MTU. '
                         'An item may end with |physnet=PHYSNETS[/PHYSNETS]: '
                         'the physical networks (comma-separated; the first '
                         'site\'s before the slash, the second\'s after it) '
                         'a VLAN or flat link of a tenant may use there. '
                         'These items are what tenants may ask for: without '
                         'any item only an admin may create links, a '
                         'tenant\'s VLAN or flat link needs its physical '
                         'networks declared, and its segmentation ID must be '
                         'in the item\'s range; an admin is bound by none of '
                         'this.'),
    cfg.IntOpt('max_links_per_project', default=100, min=0,
               help='How many links the stacks of one project may hold at '
                    'once (admins: no limit), checked when a stack is '
                    'validated. Every link counts against the Neutron '
                    'quotas of the operator\'s project on each of its '
                    'sides (a network, a subnet and an RBAC entry; a '
                    'router, BGPVPN or VPN objects for stitched links): '
                    'size those quotas for this limit times the projects '
                    'that use links.'),
    cfg.IntOpt('max_link_addresses', default=4096, min=4,
               help='How many addresses the cidr a tenant gives a link may '
                    'hold (admins: no limit), so that one project cannot '
                    'take the address space links are drawn from.'),
    cfg.IntOpt('link_mtu_cap', min=definitions.MTU_MIN,
               max=definitions.MTU_MAX,
               help='Path MTU of the datacenter interconnect, for links '
                    'whose interconnects item gives no mtu (or when there '
                    'are no items): a link\'s MTU is the smaller of this '
                    'and what Neutron computes, and a template mtu above '
                    'it is refused.'),
    # Links stitched by a Neutron service (BGPVPN, IPsec) and auto.
    cfg.ListOpt('auto_preference',
                default=list(definitions.DEFAULT_AUTO_PREFERENCE),
                item_type=types.String(choices=definitions.TECHNOLOGIES),
                help='Technologies a link with technology "auto" may get, '
                     'most preferred first: the first one both sides\' '
                     'Neutrons support (their extensions) and interconnects '
                     'declares between the sites (when it has items) is '
                     'chosen, at validate when both ends are known then, '
                     'else at create.'),
    cfg.IntOpt('route_target_asn', default=64512, min=1,
               max=definitions.ASN_MAX,
               help='AS number of the route targets geo-heat gives BGPVPN '
                    'links (ASN:N); a private ASN by default.'),
    cfg.StrOpt('route_target_range', default='10000:19999',
               help='"min:max" range of N in the ASN:N route targets of '
                    'BGPVPN links. Each link gets an N used by no BGPVPN '
                    'on either side, so keep it apart from route targets '
                    'set by hand.'),
    cfg.ListOpt('ipsec_encryption_algorithms', default=['aes-256', 'aes-128'],
                item_type=types.String(
                    choices=definitions.IPSEC_ENCRYPTION_ALGORITHMS),
                help='Encryption algorithms an IPsec link may use (IKE and '
                     'ESP); the first one is the default.'),
    cfg.ListOpt('ipsec_auth_algorithms', default=['sha256', 'sha384',
                                                  'sha512'],
                item_type=types.String(
                    choices=definitions.IPSEC_AUTH_ALGORITHMS),
                help='Integrity algorithms an IPsec link may use; the '
                     'first one is the default.'),
    cfg.ListOpt('ipsec_pfs_groups', default=['group14', 'group19',
                                             'group20'],
                item_type=types.String(choices=definitions.IPSEC_PFS_GROUPS),
                help='Diffie-Hellman groups (perfect forward secrecy) an '
                     'IPsec link may use; the first one is the default.'),
    cfg.StrOpt('ipsec_external_network', default='public',
               help='Name or ID of the external network, on every side, '
                    'that gives the routers of IPsec links their gateway: '
                    'the peer addresses. An IPsec link to a side without '
                    'it fails naming that side.'),
]


def register_opts(conf=cfg.CONF):
    conf.register_opts(geo_heat_opts, group=GROUP)


def list_opts():
    """Entry point for oslo-config-generator."""
    return [(GROUP, geo_heat_opts)]


register_opts()
