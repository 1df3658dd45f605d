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

"""What a georedundant VNF holds at each of its sites: plain data, no verbs.

The records are kept in the VNF resource's data as one JSON object keyed
by site (the name of the site's OS::Geo::Endpoint); a record stored before
a field existed gets that field's default.
"""

import dataclasses
import json

from geo_heat import resource_data
from geo_heat.link import site
from geo_heat.vnf import plan

# The instance outputs geo-heat reads (the attributes active and standby,
# the witness's look at the server): all a record keeps of them.
KEPT_OUTPUTS = ('server_id', 'address')


@dataclasses.dataclass(frozen=True)
class Port:
    """The VNF's port on one link at one site, with its fixed address."""

    link: str
    port_id: str
    network_id: str
    address: str

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


@dataclasses.dataclass
class SiteRecord:
    """One site of the VNF: where it is, its reserved ports, its instance
    stack and what that stack was last given."""

    # The endpoint's reference and descriptor (placement, ca_cert,
    # insecure, share_project_id), as recorded when the site joined.
    ref: str
    descriptor: dict
    stack_name: str
    role: str
    stack_id: str | None = None
    state: str = plan.ABSENT
    # The instance stack's outputs geo-heat reads (kept_outputs) when its
    # last action was over.
    outputs: dict = dataclasses.field(default_factory=dict)
    # One port per link, in the order of the links.
    ports: list = dataclasses.field(default_factory=list)
    # Ports of links the VNF left, released once the instances left them.
    released: list = dataclasses.field(default_factory=list)
    # Why the site owes a step (it did not answer, resource_data.clipped), or
    # None.
    pending: str | None = None
    # The instance may still act as the active one: fenced once the site
    # answers, before anything else is done there.
    fence: bool = False
    # Fingerprint of what the stack was last given (None: unknown).
    digest: str | None = None
    # Two sites on one network (cells) take addresses apart.
    offset: int = 0

    @property
    def placement(self):
        return site.Placement(**self.descriptor['placement'])

    def where(self, key):
        """The site as messages name it."""
        return 'site %s (%s)' % (key, self.placement.describe())

    @property
    def server_id(self):
        """The instance template's server_id output, if it gave one."""
        server_id = (self.outputs or {}).get('server_id')
        return server_id if isinstance(server_id, str) else None

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        fields = {f.name for f in dataclasses.fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in fields})
        record.ports = [Port.from_dict(p) for p in record.ports]
        record.released = [Port.from_dict(p) for p in record.released]
        record.outputs = record.outputs or {}
        record.fence = bool(record.fence)
        return record


def kept_outputs(outputs):
    """What a record keeps of an instance stack's outputs: those geo-heat
    reads, each within resource_data.OUTPUT_MAX_BYTES (None beyond)."""
    return {key: resource_data.kept_output(value)
            for key, value in (outputs or {}).items() if key in KEPT_OUTPUTS}


def load(text):
    """The site records kept as `text` (None: none yet)."""
    return {key: SiteRecord.from_dict(data)
            for key, data in json.loads(text or '{}').items()}


def dump(records):
    return json.dumps({key: record.to_dict()
                       for key, record in records.items()}, sort_keys=True)
