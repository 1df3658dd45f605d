"""Print what a georedundant stack built on each side, read from each side.

Usage: show_link.py STACK (with OS_CLIENT_CONFIG_FILE and OS_CLOUD set).
Every link of the stack is shown: for each side, its own Neutron is asked
for the network and subnet, so what is printed is what really exists. The
stack is read as its owner (OS_CLOUD); the networks as the cloud's admin
(GEO_HEAT_ADMIN_CLOUD, default "sandbox"), since provider attributes are
admin-only in Neutron, with the projects each network is shared with.
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
    widths = [max(len(str(row[i])) for row in rows)
              for i in range(len(header))]
    for row in rows:
        print('  '.join(str(v).ljust(w) for v, w in zip(row, widths)))
    print('link status: %s' % outputs.get('status'))


if __name__ == '__main__':
    main(sys.argv[1])
