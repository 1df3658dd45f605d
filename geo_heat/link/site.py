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

"""A side of a link: where it is, and the Neutron that builds it."""

import contextlib
import dataclasses

from geo_heat import failure
from geo_heat import site_kinds
from geo_heat.link import errors

LOCAL, REMOTE = 'local', 'remote'


@dataclasses.dataclass(frozen=True)
class Placement:
    """Where a side is, resolved from an endpoint's properties."""

    region_name: str | None = None
    cloud: str | None = None
    credential_secret_id: str | None = None
    cell: str | None = None
    availability_zone: str | None = None
    physical_network: str | None = None

    @property
    def neutron_key(self):
        """Two placements with the same key are served by one Neutron."""
        return (self.cloud, self.credential_secret_id, self.region_name)

    def describe(self):
        parts = [site_kinds.kind_of(self).describe()]
        if self.region_name:
            parts.append('region %s' % self.region_name)
        if self.cell:
            parts.append('cell %s' % self.cell)
        return ', '.join(filter(None, parts)) or 'local cloud'


def parse_cell_mappings(items):
    """Map "CELL:AZ:PHYSNET" config items to {cell: (az, physnet)}."""
    mappings = {}
    for item in items:
        parts = item.split(':')
        if len(parts) != 3 or not all(parts):
            raise ValueError('cell mapping "%s" is not of the form '
                             'CELL:AVAILABILITY_ZONE:PHYSICAL_NETWORK' % item)
        mappings[parts[0]] = (parts[1], parts[2])
    return mappings


def resolve_placement(cell_mappings, region_name=None, cloud=None,
                      credential_secret_id=None, cell=None,
                      availability_zone=None, physical_network=None):
    """Explicit availability zone and physical network win over the cell's."""
    if cell is not None:
        if cell not in cell_mappings:
            raise KeyError(cell)
        cell_az, cell_physnet = cell_mappings[cell]
        availability_zone = availability_zone or cell_az
        physical_network = physical_network or cell_physnet
    return Placement(region_name=region_name, cloud=cloud,
                     credential_secret_id=credential_secret_id, cell=cell,
                     availability_zone=availability_zone,
                     physical_network=physical_network)


@dataclasses.dataclass(frozen=True)
class Site:
    """One side of a link: its role, its placement and a connection.

    The connection may hold the operator's credentials, so the network
    built there is then shared with share_project_id, the project that
    attaches at this end (none: nothing to share). A lost side (its site
    given up for good) has no connection: nothing is asked of it.
    """

    role: str
    placement: Placement
    connection: object = dataclasses.field(compare=False, repr=False)
    share_project_id: str | None = None
    lost: bool = False

    def describe(self):
        return '%s side (%s)' % (self.role, self.placement.describe())

    def same_neutron(self, other):
        return self.placement.neutron_key == other.placement.neutron_key

    @contextlib.contextmanager
    def calls(self, what, quota=None):
        """Turn client errors into LinkErrors naming this side and action.

        `quota` is the Neutron quota the call counts against (network,
        subnet, rbac_policy): the message names it when it is used up.
        The client's exception stays the LinkError's cause; anything that
        is not a side's error (a bug) goes through untouched.
        """
        try:
            yield self.connection.network
        except errors.LinkError:
            raise
        except failure.SIDE_ERRORS as exc:
            kind = errors.error_class(exc)
            if kind is errors.SiteUnreachable:
                message = 'cannot reach Neutron to %s' % what
            elif kind is errors.QuotaExceeded:
                message = ('quota exceeded for %s' % quota if quota
                           else 'quota exceeded to %s' % what)
            else:
                message = 'failed to %s' % what
            raise kind('%s: %s' % (message, describe_error(exc)),
                       site=self) from exc


describe_error = failure.describe


def zone_problem(compute, zone):
    """Why a site's availability zone cannot run servers, or None.

    A cell (or zone) whose compute hosts are all disabled is lost while its
    cloud still answers and its servers still read ACTIVE: operators
    disable the hosts of a lost datacenter, and Nova then lists the zone as
    not available.
    """
    available = {z.name: z.state.get('available')
                 for z in compute.availability_zones()}
    if available.get(zone):
        return None
    return 'Nova has no enabled compute host in availability zone %s' % zone
