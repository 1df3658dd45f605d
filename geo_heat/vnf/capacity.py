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

"""Whether a cold standby site could start the spare now.

A cold standby site runs nothing, so only a failover would find out that
its availability zone has no room left for the VNF's flavor, during the
disaster. Placement answers the question the way Nova's scheduler asks
it: allocation candidates for the flavor's resources on the compute nodes
of the zone whose compute service is enabled and up. Placement is
admin-only, so the site is read with the operator's connection there.
"""

from geo_heat import client
from geo_heat import failure
from geo_heat.vnf import deploy

# Nova's trait of a compute node whose compute service is disabled: its
# scheduler forbids it, so does this.
DISABLED = 'COMPUTE_STATUS_DISABLED'
_UNITS = (('VCPU', '%d VCPU'), ('MEMORY_MB', '%d MB RAM'),
          ('DISK_GB', '%d GB disk'))


def flavor_resources(flavor):
    """The resources one server of the flavor takes, as Nova asks Placement
    for them: its VCPUs, RAM and disk (root, ephemeral and swap, in GB
    rounded up), overridden by its extra specs resources:CLASS=AMOUNT."""
    resources = {'VCPU': flavor.vcpus, 'MEMORY_MB': flavor.ram,
                 'DISK_GB': (flavor.disk + (flavor.ephemeral or 0) +
                             -(-int(flavor.swap or 0) // 1024))}
    for key, value in (flavor.extra_specs or {}).items():
        if key.startswith('resources:'):
            resources[key.split(':', 1)[1]] = int(value)
    return {name: amount for name, amount in resources.items() if amount}


def describe_resources(resources):
    """The flavor's resources as an operator reads them."""
    known = [unit % resources[name] for name, unit in _UNITS
             if name in resources]
    return ', '.join(known + ['%d %s' % (amount, name) for name, amount
                              in sorted(resources.items())
                              if name not in dict(_UNITS)])


def _compute_nodes(compute, zone):
    """The compute nodes (their resource provider UUIDs) whose compute
    service is enabled and up, as Nova's scheduler wants them, in the
    zone (None: in any)."""
    hosts = {host for found in compute.availability_zones(details=True)
             if zone in (None, found.name)
             for host, services in (found.hosts or {}).items()
             if (services.get('nova-compute') or {}).get('available') and
             services['nova-compute'].get('active')}
    return [node.id for node in compute.hypervisors(details=True)
            if (node.service_details or {}).get('host') in hosts]


def problem(connection, flavor_name, zone):
    """None if the site can host one server of the flavor now in the zone
    (None: any), else why not. Raises the clients' errors."""
    flavor = connection.compute.find_flavor(flavor_name, get_extra_specs=True)
    if flavor is None:
        return 'flavor %s does not exist there' % flavor_name
    resources = flavor_resources(flavor)
    query = {'resources': ','.join('%s:%d' % item
                                   for item in sorted(resources.items())),
             'required': '!' + DISABLED, 'limit': 1}
    for node in _compute_nodes(connection.compute, zone):
        if next(iter(connection.placement.allocation_candidates(
                in_tree=node, **query)), None) is not None:
            return None
    return 'no compute host%s has room for flavor %s (%s)' % (
        ' in availability zone %s' % zone if zone else '', flavor_name,
        describe_resources(resources))


def checker(plugin, records, flavor_of, timeout=None):
    """capacity(key) for health.problems: why site `key` could not start
    one server of its flavor `flavor_of(key)` now, or None; each request
    within `timeout` seconds, as the other reads of health.problems.

    Raises deploy.SiteUnreachable for a site that does not answer and
    deploy.SiteError for one that refuses or that the operator's
    configuration does not let geo-heat reach; a bug propagates.
    """
    def capacity(key):
        record = records[key]
        descriptor, placement = record.descriptor, record.placement
        where = record.where(key)
        try:
            return problem(plugin.connect(placement, descriptor['ca_cert'],
                                          descriptor['insecure'], timeout),
                           flavor_of(key), placement.availability_zone)
        except client.CONNECT_ERRORS as exc:
            error = (deploy.SiteUnreachable if failure.is_unreachable(exc)
                     else deploy.SiteError)
            raise error(where, 'cannot tell whether it can host the spare: '
                        '%s' % failure.describe(exc)) from exc

    return capacity
