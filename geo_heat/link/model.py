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

"""What a link is asked to be, and what it is: plain data, no verbs."""

import dataclasses

from geo_heat import definitions


@dataclasses.dataclass(frozen=True)
class LinkSpec:
    """The requested link, as the template and the operator config say."""

    link_id: str
    name: str
    technology: str
    stack_id: str = ''
    segmentation_id: int | None = None
    segmentation_range: tuple[int, int] | None = None
    cidr: str | None = None
    mtu: int | None = None
    cidr_pool: tuple[str, ...] = ('10.250.0.0/16',)
    prefix_length: int = 24
    allocation_attempts: int = 10
    # Path MTU of the operator's interconnect between the sites; specs
    # stored before it existed get None from the default.
    mtu_cap: int | None = None
    # BGPVPN links: the type (l2, l3) and where route targets come from.
    bgpvpn_type: str | None = None
    route_target_asn: int | None = None
    route_target_range: tuple[int, int] | None = None
    # IPsec links: the policies' algorithms and the routers' gateway.
    encryption_algorithm: str | None = None
    auth_algorithm: str | None = None
    pfs: str | None = None
    external_network: str | None = None

    @property
    def routed(self):
        """Whether each side gets its own subnet behind a router rather
        than one subnet stretched across the sides."""
        return (self.technology == definitions.IPSEC or
                (self.technology == definitions.BGPVPN and
                 self.bgpvpn_type == definitions.BGPVPN_L3))

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        for key in ('segmentation_range', 'route_target_range'):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        data['cidr_pool'] = tuple(data['cidr_pool'])
        return cls(**data)


@dataclasses.dataclass
class LinkState:
    """What was built: the values both sides agreed on and the objects."""

    segmentation_id: int | None = None
    cidr: str | None = None
    mtu: int | None = None
    local_network_id: str | None = None
    remote_network_id: str | None = None
    local_subnet_id: str | None = None
    remote_subnet_id: str | None = None
    # Neutron RBAC policies sharing each role's network with its project.
    local_rbac_policy_id: str | None = None
    remote_rbac_policy_id: str | None = None
    # Routed links (BGPVPN l3, IPsec): each side's half of the link's CIDR
    # and the router that holds it.
    local_cidr: str | None = None
    remote_cidr: str | None = None
    local_router_id: str | None = None
    remote_router_id: str | None = None
    # Stitched links: the route target both BGPVPNs import and export, and
    # the service objects of each side, as {role: {kind: ID}}.
    route_target: str | None = None
    services: dict = dataclasses.field(default_factory=dict)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in fields})


@dataclasses.dataclass(frozen=True)
class LinkSide:
    """A link at one of its sites, as the VNFs on it see it."""

    network_id: str
    subnet_id: str
    # One network serves both sites (two cells of one cloud): the VNFs of
    # both sites take their addresses from the same range.
    shared: bool
