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

"""What an admin reads of a Nova to place a server."""

import uuid

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc

from tests.unit.fakes.common import Record


class FakeCompute:
    """What an admin reads of a Nova to place a server: flavors, zones
    with their compute hosts (os-availability-zone/detail) and compute
    nodes (os-hypervisors/detail, id the node's resource provider UUID).

    `add_host` puts a host with one node in a zone (None: Nova's default
    zone "nova"); `services[host]` is its nova-compute's {available (up),
    active (enabled)}: as in Nova, a zone is available while one of its
    compute services is enabled. Set `down` to answer nothing.
    """

    def __init__(self, placement):
        self.placement = placement
        self.flavors = {}
        self.zones = {}
        self.services = {}
        self.nodes = {}
        self.down = False

    def _call(self):
        if self.down:
            raise ks_exc.ConnectFailure('nova is down')

    def add_flavor(self, name, vcpus=1, ram=512, disk=1, ephemeral=0, swap=0,
                   extra_specs=None):
        self.flavors[name] = Record(
            id=str(uuid.uuid4()), name=name, vcpus=vcpus, ram=ram, disk=disk,
            ephemeral=ephemeral, swap=swap, extra_specs=extra_specs or {})

    def add_host(self, host, zone, **inventory):
        self.zones.setdefault(zone or 'nova', set()).add(host)
        self.services[host] = {'available': True, 'active': True}
        self.nodes[host] = self.placement.add_provider(host, **inventory)

    def find_flavor(self, name_or_id, ignore_missing=True,
                    get_extra_specs=False):
        self._call()
        for flavor in self.flavors.values():
            if name_or_id in (flavor.id, flavor.name):
                return flavor
        if not ignore_missing:
            raise sdk_exc.NotFoundException('flavor %s' % name_or_id)
        return None

    def disable(self, zone):
        """Disable every compute service of the zone."""
        for host in self.zones[zone]:
            self.services[host]['active'] = False

    def availability_zones(self, details=False):
        """The detail adds Nova's "internal" zone, of its other services."""
        self._call()
        zones = [Record(name=zone, state={'available': any(
            self.services[host]['active'] for host in hosts)}, hosts={
            host: {'nova-compute': dict(self.services[host],
                                        updated_at=None)}
            for host in sorted(hosts)} if details else None)
            for zone, hosts in sorted(self.zones.items())]
        if details:
            zones.append(Record(name='internal', state={'available': True},
                                 hosts={'controller': {'nova-conductor': {
                                     'available': True, 'active': True,
                                     'updated_at': None}}}))
        return zones

    def hypervisors(self, details=False):
        self._call()
        return [Record(id=node, name=host,
                        service_details={'host': host, 'id': host})
                for host, node in sorted(self.nodes.items())]
