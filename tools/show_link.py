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

"""Print what a georedundant stack built on each side, read from each side.

Usage: show_link.py STACK (with OS_CLIENT_CONFIG_FILE and OS_CLOUD set).
For a stack of georedundant-regions.yaml, the link: for each side, its own
Neutron is asked for the network and subnet, so what is printed is what
really exists. For a georedundant VNF (outputs active and standby of an
OS::Geo::RedundantVNF), each side's server as that side's Nova shows it:
its status, host and zone, its address on the link, and the link's
segmentation ID and MTU there. The stack is read as its owner (OS_CLOUD);
the rest as the cloud's admin (GEO_HEAT_ADMIN_CLOUD, default "sandbox"),
since provider attributes and hosts are admin-only, with the projects each
network is shared with.
"""

import os
import sys

import openstack


def main(stack_name):
    cloud = os.environ.get('OS_CLOUD', 'sandbox')
    admin_cloud = os.environ.get('GEO_HEAT_ADMIN_CLOUD', 'sandbox')
    conn = openstack.connect(cloud=cloud)
    stack = conn.orchestration.find_stack(stack_name)
    outputs = {o['output_key']: o.get('output_value')
               for o in conn.orchestration.get_stack(stack).outputs}
    print('\nstack %s: %s' % (stack.name, stack.status))
    if isinstance(outputs.get('active'), dict):
        rows = vnf_rows(outputs, admin_cloud)
    else:
        rows = link_rows(outputs, admin_cloud)
    widths = [max(len(str(row[i])) for row in rows)
              for i in range(len(rows[0]))]
    for row in rows:
        print('  '.join(str(v).ljust(w) for v, w in zip(row, widths)))
    print('status: %s' % outputs.get('status'))


def vnf_rows(outputs, admin_cloud):
    """One row per instance of a georedundant VNF, read at its site."""
    rows = [('role', 'region', 'server', 'status', 'host', 'zone',
             'address on link', 'network', 'seg-id', 'MTU')]
    for role in ('active', 'standby'):
        instance = outputs[role]
        side = openstack.connect(cloud=admin_cloud,
                                 region_name=instance['region_name'])
        if not instance['server_id']:
            rows.append((role, instance['region_name'], '(cold: none)', '-',
                         '-', '-', ', '.join(
                             instance['link_addresses'].values()),
                         '-', '-', '-'))
            continue
        server = side.compute.get_server(instance['server_id'])
        (port,) = side.network.ports(device_id=server.id)
        network = side.network.get_network(port.network_id)
        rows.append((
            role, instance['region_name'],
            '%s (%s)' % (server.name, server.id[:8]), server.status,
            server.compute_host, server.availability_zone,
            port.fixed_ips[0]['ip_address'],
            '%s (%s)' % (network.name, network.id[:8]),
            str(network.provider_segmentation_id), str(network.mtu)))
    return rows


def link_rows(outputs, admin_cloud):
    """One row per side of the link, read from that side's Neutron."""
    regions = {'local': outputs.get('active_region'),
               'remote': outputs.get('standby_region')}
    header = ('side', 'region', 'network', 'type', 'physnet', 'seg-id',
              'subnet', 'pool', 'MTU', 'status', 'shared with')
    rows = [header]
    for role, key in (('local', 'active_network'),
                      ('remote', 'standby_network')):
        region = regions[role]
        side = openstack.connect(cloud=admin_cloud, region_name=region)
        network = side.network.get_network(outputs[key])
        shared = sorted(
            policy.target_project_id for policy in side.network.rbac_policies(
                object_id=network.id, action='access_as_shared'))
        projects = {p.id: p.name for p in side.identity.projects()}
        subnet = side.network.get_subnet(network.subnet_ids[0])
        pool = subnet.allocation_pools[0]
        rows.append((
            'active' if role == 'local' else 'standby', region,
            '%s (%s)' % (network.name, network.id[:8]),
            network.provider_network_type,
            network.provider_physical_network or '-',
            str(network.provider_segmentation_id), subnet.cidr,
            '%s-%s' % (pool['start'], pool['end'].rsplit('.', 1)[-1]),
            str(network.mtu), network.status,
            ', '.join(projects.get(p, p) for p in shared) or '-'))
    return rows


if __name__ == '__main__':
    main(sys.argv[1])
