"""What a link is asked to be, and what it is: plain data, no verbs."""

import dataclasses


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

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        if data.get('segmentation_range') is not None:
            data['segmentation_range'] = tuple(data['segmentation_range'])
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

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in fields})
