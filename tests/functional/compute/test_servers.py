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

"""Servers on a geo-heat link network, through Heat, in every site.

Each stack creates a VLAN link and boots OS::Nova::Server on its local
network, in the availability zone its endpoint gives: one server per cell
on the link between RegionOne's two cells, and servers in RegionTwo and in
cloud B through their own Heats. Each server must reach ACTIVE on the fake
host of its site or cell (``OS-EXT-SRV-ATTR:host``, read as admin) with a
bound, ACTIVE port and an address of the link's subnet; stop and start must
work, also after the site's Nova restarted.

The stacks are a tenant's (a member of geo-tenant); the servers are read
as the site's admin, who sees their host.
"""

import ipaddress

from tests.functional import base

from geo_heat_sandbox.services import compute as sandbox_compute
from geo_heat_sandbox.services import glance
from geo_heat_sandbox import templates

# VLAN IDs of the cells' physical networks, and of physnet1 (in RegionOne,
# RegionTwo and cloud B), that no other test uses.
CELLS_RANGE = '170:179'
RESTART_RANGE = '180:189'
UNBOUND_VLAN = 199
PHYSNET1_RANGE = '3000:3019'


def with_servers(template, network, zones):
    """Add one server per {resource name: availability zone} on
    `network` (an intrinsic function giving its ID)."""
    for name, zone in zones.items():
        template['resources'][name] = {
            'type': 'OS::Nova::Server',
            'properties': {
                'image': glance.IMAGE_NAME,
                'flavor': sandbox_compute.FLAVOR['name'],
                'availability_zone': zone,
                'networks': [{'network': network}],
            },
        }
        template['outputs'][name] = {'value': {'get_resource': name}}
    return template


def cells_link_with_servers(segmentation_range):
    """The link between RegionOne's cells (one network, a segment per
    cell) and a server in each cell's availability zone."""
    template = templates.load('georedundant-cells.yaml')
    template['parameters']['segmentation_range']['default'] = (
        segmentation_range)
    return with_servers(
        template, {'get_attr': ['replication_link', 'local_network_id']},
        {'active_server': {'get_attr': ['active_site', 'availability_zone']},
         'standby_server': {'get_attr': ['standby_site',
                                         'availability_zone']}})


def site_link_with_server(remote_context):
    """A VLAN link from the site of the Heat that creates the stack to
    another site, and a server on its local network."""
    return with_servers(
        base.two_sites(remote_context, 'vlan', PHYSNET1_RANGE),
        {'get_attr': ['link', 'local_network_id']}, {'server': None})


class ServerTestCase(base.FunctionalTestCase):

    def assertServerOn(self, side, server_id, host, network_id):
        """ACTIVE on `host`, its port bound there and ACTIVE, with an
        address from the network's subnet allocation pool."""
        server = self.connection(side).compute.get_server(server_id)
        self.assertEqual(('ACTIVE', host),
                         (server.status, server.compute_host),
                         server.fault)
        network = self.connection(side).network
        (port,) = network.ports(device_id=server.id)
        self.assertEqual(('ACTIVE', 'ovs', host, network_id),
                         (port.status, port.binding_vif_type,
                          port.binding_host_id, port.network_id))
        (fixed_ip,) = port.fixed_ips
        subnet = network.get_subnet(fixed_ip['subnet_id'])
        address = ipaddress.ip_address(fixed_ip['ip_address'])
        self.assertTrue(any(
            ipaddress.ip_address(pool['start']) <= address <=
            ipaddress.ip_address(pool['end'])
            for pool in subnet.allocation_pools), subnet.allocation_pools)
        return server

    def stop_and_start(self, side, server):
        compute = self.connection(side).compute
        for verb, status in (('stop', 'SHUTOFF'), ('start', 'ACTIVE')):
            getattr(compute, verb + '_server')(server)
            compute.wait_for_server(server, status=status,
                                    interval=self.POLL, wait=self.TIMEOUT)

    def boot_in_cells(self, segmentation_range):
        stack = self.create_stack(cells_link_with_servers(segmentation_range))
        out = self.outputs(stack)
        return [self.assertServerOn('RegionOne', out[name], host,
                                    out['network'])
                for name, host in (('active_server', 'nova-r1-cell1'),
                                   ('standby_server', 'nova-r1-cell2'))]

    def boot_in_site(self, side, host, remote_context):
        stack = self.create_stack(site_link_with_server(remote_context),
                                  side=side)
        out = self.outputs(stack)
        return self.assertServerOn(side, out['server'], host,
                                   out['local_network_id'])


class ServersTest(ServerTestCase):

    def test_region_one_one_server_per_cell(self):
        active, standby = self.boot_in_cells(CELLS_RANGE)
        self.stop_and_start('RegionOne', standby)

    def test_region_two(self):
        server = self.boot_in_site('RegionTwo', 'nova-r2-cell1',
                                   {'region_name': 'RegionOne'})
        self.stop_and_start('RegionTwo', server)

    def test_cloud_b_through_its_heat(self):
        server = self.boot_in_site('cloud-b', 'nova-b-cell1',
                                   {'cloud': 'cloud-a'})
        self.stop_and_start('cloud-b', server)


class PortBindingTest(ServerTestCase):
    """The operator's side: provider networks of one cell's physical
    network, built by hand as an admin."""

    USER = 'admin'

    def test_port_of_another_cell_does_not_bind(self):
        """A cell1 host does not reach physnet-cell2: the build fails.

        The server is booted through Nova's API: Heat would retry it."""
        stack = self.create_stack({
            'heat_template_version': '2021-04-16',
            'resources': {
                'net': {'type': 'OS::Neutron::ProviderNet', 'properties': {
                    'network_type': 'vlan',
                    'physical_network': 'physnet-cell2',
                    'segmentation_id': UNBOUND_VLAN}},
                'subnet': {'type': 'OS::Neutron::Subnet', 'properties': {
                    'network': {'get_resource': 'net'},
                    'cidr': '192.0.2.0/28'}},
            },
        })
        compute = self.connection('RegionOne').compute
        server = compute.create_server(
            name='%s-server' % self.stack_names[stack.id],
            image_id=compute.find_image(glance.IMAGE_NAME).id,
            flavor_id=compute.find_flavor(sandbox_compute.FLAVOR['name']).id,
            availability_zone='az-cell1',
            networks=[{'uuid': self.resource(stack, 'net')
                       .physical_resource_id}])
        self.addCleanup(compute.wait_for_delete, server, interval=self.POLL,
                        wait=self.TIMEOUT)
        self.addCleanup(compute.delete_server, server)
        server = compute.wait_for_server(server, status='ERROR',
                                         failures=['ACTIVE'],
                                         interval=self.POLL,
                                         wait=self.TIMEOUT)
        # Its only host failed to bind the port; nothing stays bound. Nova
        # records the fault just after it sets the state.
        fault = self.wait_for(lambda: compute.get_server(server.id).fault,
                              'fault of server %s' % server.id)
        self.assertIn('Exhausted all hosts', fault['message'])
        self.assertEqual([], [
            port.id for port in self.connection('RegionOne').network.ports(
                device_id=server.id)])


class RestartTest(base.SandboxToItself, ServerTestCase):
    """Servers stop and start after their Nova restarted (alone while it
    restarts)."""

    def test_stop_start_after_nova_restart(self):
        servers = self.boot_in_cells(RESTART_RANGE)
        self.alone()
        self.stop_service('nova-r1')
        self.start_service('nova-r1')
        self.together()
        for server in servers:
            self.stop_and_start('RegionOne', server)
