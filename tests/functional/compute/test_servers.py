"""Servers on a geo-heat link network, through Heat, in every site.

Each stack links the site of the Heat it is created in to another site and
boots an OS::Nova::Server on the link's local network, in the endpoint's
availability zone: RegionOne's two cells, RegionTwo, and cloud B through
cloud B's own Heat. The server must reach ACTIVE on the right fake host
(``OS-EXT-SRV-ATTR:host``, read as admin) with a bound, ACTIVE port and an
address of the link's subnet; stop and start must work, also after the
site's Nova restarted.

Written as admin (the sandbox's clouds.yaml user).
"""

import ipaddress
import time

from testtools import content

import geo_heat_sandbox as sandbox
from geo_heat_sandbox import layout
from tests.functional import base


def server_on_link(remote_context, segmentation_range, local, remote=None):
    """A VLAN link from this Heat's site to another, and a server on the
    link's local network in the local endpoint's availability zone."""
    template = base.two_sites(remote_context, 'vlan', segmentation_range,
                              local=local, remote=remote)
    template['resources']['server'] = {
        'type': 'OS::Nova::Server',
        'properties': {
            'image': layout.IMAGE_NAME,
            'flavor': layout.FLAVOR['name'],
            'availability_zone': {'get_attr': ['site_a',
                                               'availability_zone']},
            'networks': [{'network': {'get_attr': ['link',
                                                   'local_network_id']}}],
        },
    }
    template['outputs']['server_id'] = {'value': {'get_resource': 'server'}}
    return template


class ServerTestCase(base.FunctionalTestCase):

    def boot(self, side, host, segmentation_range, remote_context,
             local=None):
        """Create the stack in `side`'s Heat; check the server landed on
        `host`, ACTIVE, with an address of the link's subnet."""
        started = time.monotonic()
        stack = self.create_stack(
            server_on_link(remote_context, segmentation_range,
                           dict({'physical_network': 'physnet1'},
                                **(local or {}))),
            side=side)
        self.addDetail('stack-create-seconds', content.text_content(
            '%.1f' % (time.monotonic() - started)))
        out = self.outputs(stack)
        compute = self.connection(side).compute
        server = compute.get_server(out['server_id'])
        self.assertEqual(('ACTIVE', host), (server.status,
                                            server.compute_host))
        network = self.connection(side).network
        (port,) = network.ports(device_id=server.id)
        self.assertEqual(('ACTIVE', 'ovs', host),
                         (port.status, port.binding_vif_type,
                          port.binding_host_id))
        self.assertEqual(out['local_network_id'], port.network_id)
        (fixed_ip,) = port.fixed_ips
        subnet = network.get_subnet(fixed_ip['subnet_id'])
        self.assertEqual(out['cidr'], subnet.cidr)
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


class ServersTest(ServerTestCase):

    def test_region_one_cell1(self):
        self.boot('RegionOne', 'nova-r1-cell1', '170:174',
                  {'region_name': 'RegionTwo'},
                  {'cell': 'cell1', 'physical_network': 'physnet-cell1'})

    def test_region_one_cell2_stop_start(self):
        server = self.boot(
            'RegionOne', 'nova-r1-cell2', '175:179',
            {'region_name': 'RegionTwo'},
            {'cell': 'cell2', 'physical_network': 'physnet-cell2'})
        self.stop_and_start('RegionOne', server)

    def test_region_two(self):
        server = self.boot('RegionTwo', 'nova-r2-cell1', '180:184',
                           {'region_name': 'RegionOne'})
        self.stop_and_start('RegionTwo', server)

    def test_cloud_b_through_its_heat(self):
        server = self.boot('cloud-b', 'nova-b-cell1', '185:189',
                           {'cloud': 'cloud-a'})
        self.stop_and_start('cloud-b', server)


class RestartTest(ServerTestCase):
    """A server stops and starts after its Nova restarted."""

    EXCLUSIVE = True

    def test_stop_start_after_nova_restart(self):
        server = self.boot(
            'RegionOne', 'nova-r1-cell1', '190:194',
            {'region_name': 'RegionTwo'},
            {'cell': 'cell1', 'physical_network': 'physnet-cell1'})
        self.stop_service('nova-r1')
        self.start_service('nova-r1')
        self.stop_and_start('RegionOne', server)
        self.assertEqual(
            'ACTIVE',
            self.connection('RegionOne').compute.get_server(server).status)
        self.assertTrue(sandbox.is_up(self.state_dir))
