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

"""What the georedundant-VNF tests share: a test case that deploys a
georedundant-vnf template of templates/ as the tenant and checks each
instance in its own region as the admin.
"""

import ipaddress

from tests.functional import base

from geo_heat_sandbox import templates

# VLANs no other test draws from: on physnet1 between the regions and to
# cloud B, and on the cells' own physical networks.
VLANS = {'regions': '3100:3199', 'clouds': '3100:3199', 'cells': '190:194'}


class RedundantVNFTestCase(base.FunctionalTestCase):

    KIND = 'regions'
    # The sandbox side of each site, and its fake compute host.
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('RegionTwo', None)}
    # Whether both sites share one network (and address range).
    SHARED = False
    # The link resource the instances plug into.
    LINK = 'replication_link'

    def deploy(self, **defaults):
        defaults.setdefault('segmentation_range', VLANS[self.KIND])
        template = templates.vnf(self.KIND, **defaults)
        stack = self.create_stack(template)
        return stack, template

    def update(self, stack, template, expect='COMPLETE', **defaults):
        templates.set_defaults(template, **defaults)
        self.heat.update_stack(stack, template=template)
        return self.wait(stack.id, 'UPDATE', expect)

    def server(self, side, server_id):
        return self.connection(side).compute.get_server(server_id)

    def expected_address(self, cidr, endpoint):
        """The first address of the site's range: site_a has the first
        half of the subnet, site_b the second; on a shared network, the
        first two addresses (site_a was active at create)."""
        hosts = list(ipaddress.ip_network(cidr).hosts())
        if self.SHARED:
            return str(hosts[0 if endpoint == 'site_a' else 1])
        return str(hosts[0 if endpoint == 'site_a' else len(hosts) // 2])

    def assertInstance(self, out, role, running=True):
        """The instance of `role` on its side: its server (if running) on
        the link with the reserved address from that side's range, on its
        side's host."""
        instance = out[role]
        side, host = self.SIDES[instance['endpoint']]
        address = instance['link_addresses'][self.LINK]
        self.assertEqual(self.expected_address(out['cidr'],
                                               instance['endpoint']), address)
        network = self.connection(side).network
        (port,) = network.ports(fixed_ips='ip_address=%s' % address)
        self.assertTrue(port.is_admin_state_up)  # not left fenced
        if not running:
            self.assertIsNone(instance['server_id'])
            self.assertFalse(port.device_id)
            return instance, None
        server = self.server(side, instance['server_id'])
        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(server.id, port.device_id)
        self.assertEqual(role, server.metadata['role'])
        # What a hot standby runs differs from a warm one by its mode
        # (where the template outputs it: TOSCA and Tacker's do not).
        if 'mode' in out:
            self.assertEqual(out['mode'], server.metadata['mode'])
        self.assertEqual(['vnf-replication'], list(server.addresses))
        self.assertEqual(address,
                         server.addresses['vnf-replication'][0]['addr'])
        if host:
            self.assertEqual(host, server.compute_host)
        return instance, server

    def servers_at(self, stack, endpoint):
        """The servers of an endpoint's instance, listed on its side."""
        side, _ = self.SIDES[endpoint]
        return self.servers_of(stack.id, side, '-%s-server-' % endpoint)

    def lifecycle(self, mode):
        """Deploy, change the configuration in place, switch over and
        back, check. The link stays throughout; hot and warm keep both
        servers (the roles change in place); cold runs nothing on the
        standby site, and its spare starts with the stored configuration
        while the former active instance is deleted."""
        running = mode != 'cold'
        stack, template = self.deploy(mode=mode)
        out = self.outputs(stack)
        self.assertEqual(('ACTIVE', mode), (out['status'], out['mode']))
        _, active = self.assertInstance(out, 'active')
        _, standby = self.assertInstance(out, 'standby', running=running)
        if not running:
            self.assertEqual([], self.servers_at(stack, 'site_b'))
        link = (out['segmentation_id'], out['cidr'])

        self.update(stack, template, configuration='vnf: second')
        out = self.outputs(stack)
        for role, server in (('active', active), ('standby', standby)):
            _, now = self.assertInstance(out, role, running=bool(server))
            if server:
                self.assertEqual(server.id, now.id)  # changed in place
                self.assertEqual('vnf: second', now.metadata['configuration'])

        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertEqual('site_b', out['active']['endpoint'])
        _, spare = self.assertInstance(out, 'active')
        self.assertEqual('vnf: second', spare.metadata['configuration'])
        _, former = self.assertInstance(out, 'standby', running=running)
        if running:
            self.assertEqual((standby.id, active.id), (spare.id, former.id))
        else:
            self.assertEqual([], self.servers_at(stack, 'site_a'))
        self.assertEqual(link, (out['segmentation_id'], out['cidr']))

        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertEqual(('site_a', 'ACTIVE'),
                         (out['active']['endpoint'], out['status']))
        _, back = self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby', running=running)
        if running:
            self.assertEqual(active.id, back.id)
        else:
            self.assertEqual([], self.servers_at(stack, 'site_b'))
        self.action(stack, 'check')


class LoseCell2:
    """cell2's datacenter lost: its compute host disabled and forced down,
    as an operator marks the hosts of a lost datacenter (both cells share
    one Nova API, one Neutron and one Heat, which live on); back at
    cleanup at the latest."""

    def _cell2_compute(self):
        compute = self.connection('RegionOne').compute
        (service,) = compute.services(host='nova-r1-cell2',
                                      binary='nova-compute')
        return compute, service

    def lose_cell2(self):
        compute, service = self._cell2_compute()
        self.addCleanup(self.restore_cell2)
        compute.disable_service(service, disabled_reason='datacenter lost')
        compute.update_service_forced_down(service, forced=True)

    def restore_cell2(self):
        compute, service = self._cell2_compute()
        compute.update_service_forced_down(service, forced=False)
        compute.enable_service(service)

