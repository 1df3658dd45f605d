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

"""What a georedundant VNF should be at each site: decisions, no cloud.

A VNF has two sites, each an OS::Geo::Endpoint. One is active, the other
standby; the mode says what the standby holds: hot and warm, a running
instance (the VNF itself synchronises state in hot mode, configuration in
warm mode); cold, no instance, only its reserved addresses on the links.
Each site's instance is a stack in that site's own Heat, made from one
instance template with the parameters computed here.
"""

import dataclasses
import hashlib
import json


ROLES = (ACTIVE, STANDBY) = ('active', 'standby')
MODES = (HOT, WARM, COLD) = ('hot', 'warm', 'cold')
# What happens to the former active site of a cold standby at switchover.
PURGE_POLICIES = (PURGE_DELETE, PURGE_SUSPEND) = ('delete', 'suspend')
# What a site's instance stack is.
RUNNING, SUSPENDED, ABSENT = 'running', 'suspended', 'absent'
# The Nova status of the server of an instance stack in each state.
SERVER_STATUS = {RUNNING: 'ACTIVE', SUSPENDED: 'SUSPENDED'}

# Parameters geo-heat computes for each site's instance; an instance
# template declares those it uses and receives only those.
GENERATED_PARAMETERS = (
    ROLE, EPOCH, MODE, CONFIGURATION, IMAGE, FLAVOR, AVAILABILITY_ZONE, PORT,
    NETWORK, ADDRESS, PEER_ADDRESS, PORTS, ADDRESSES, PEER_ADDRESSES,
) = (
    'role', 'epoch', 'mode', 'configuration', 'image', 'flavor',
    'availability_zone', 'port', 'network', 'address', 'peer_address',
    'ports', 'addresses', 'peer_addresses',
)

def desired_state(mode, role, purge_policy, has_stack):
    """What a site's instance stack should be.

    The active site runs; a hot or warm standby runs too. A cold standby
    holds nothing, except a former active one kept suspended by the
    'suspend' purge policy, which is resumed if it becomes active again.
    """
    if role == ACTIVE or mode != COLD:
        return RUNNING
    if purge_policy == PURGE_SUSPEND and has_stack:
        return SUSPENDED
    return ABSENT


def site_parameters(role, epoch, mode, configuration, image, flavor,
                    availability_zone, ports, peer_ports):
    """Every generated parameter of one site's instance.

    `epoch` grows with every promotion, so that an instance can refuse a
    peer that claims the active role with a lower one (a former active
    instance cut off during a failover). `ports` are this site's reserved
    ports, one per link (model.Port, with port_id, network_id and address);
    `peer_ports` the other site's.
    """
    first = ports[0]
    return {
        ROLE: role,
        EPOCH: epoch,
        MODE: mode,
        CONFIGURATION: configuration,
        IMAGE: image,
        FLAVOR: flavor,
        AVAILABILITY_ZONE: availability_zone or '',
        PORT: first.port_id,
        NETWORK: first.network_id,
        ADDRESS: first.address,
        PEER_ADDRESS: peer_ports[0].address,
        PORTS: ','.join(p.port_id for p in ports),
        ADDRESSES: ','.join(p.address for p in ports),
        PEER_ADDRESSES: ','.join(p.address for p in peer_ports),
    }


def instance_parameters(declared, generated, user):
    """What an instance stack gets: the generated parameters its template
    declares, and the user's own ones."""
    chosen = {name: value for name, value in generated.items()
              if name in declared}
    chosen.update(user)
    return chosen


def digest(template, parameters):
    """Fingerprint of what an instance stack was last given."""
    text = json.dumps([template, parameters], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Target:
    """What one site's instance stack should be after an operation."""

    key: str
    role: str
    state: str
    parameters: dict
    template: str

    @property
    def digest(self):
        return digest(self.template, self.parameters)


# What a step does when its site does not answer (its datacenter may be
# lost): fail the operation; owe the step, recorded and done once the site
# answers; or owe it and fence first, for an instance that may still act
# as the active one.
UNREACHABLE_POLICIES = (FAIL, OWE, FENCE) = ('fail', 'owe', 'fence')


@dataclasses.dataclass(frozen=True)
class Step:
    """One site brought to a target, and what its silence means."""

    target: Target
    if_unreachable: str


def steps(targets, records, previous_active=None, demoted=None):
    """The steps of an operation, in order.

    `targets` are the Targets of the two sites; a recorded site that has
    none is leaving and its instance goes. When the active site changes,
    the former active instance is first brought to `demoted` (running, in
    the standby role), then the new one is promoted, so that two instances
    never act as the active one; if the former one does not answer (a
    failover) it is fenced once it does. A site that already owes a step
    may stay silent; so may a leaving one.
    """
    keys = {target.key for target in targets}
    ordered = []
    if demoted is not None:
        ordered.append(Step(demoted, FENCE))
    for target in sorted(targets, key=lambda t: t.role != ACTIVE):
        owes = target.role == STANDBY and (
            target.key == previous_active or
            records[target.key].pending)
        ordered.append(Step(target, OWE if owes else FAIL))
    for key in sorted(set(records) - keys):
        ordered.append(Step(Target(key=key, role=STANDBY, state=ABSENT,
                                   parameters={}, template=''), OWE))
    return ordered
