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

"""The link is infrastructure, the VNF is the tenant's: a member of a
project declares links in its stack, and only that project (on each side)
may use them."""

import json

import netaddr
import testscenarios

from tests.functional import base

from geo_heat_sandbox import templates

load_tests = testscenarios.load_tests_apply_scenarios

# Each template of templates/: its parameters, and which output holds the
# network of each side.
TEMPLATES = {
    'regions': ('georedundant-regions.yaml', {'segmentation_range': '100:109'},
                (('RegionOne', 'active_network'),
                 ('RegionTwo', 'standby_network'))),
    'clouds': ('georedundant-clouds.yaml',
               {'standby_cloud': 'cloud-b', 'segmentation_range': '100:109'},
               (('RegionOne', 'active_network'),
                ('cloud-b', 'standby_network'))),
    'cells': ('georedundant-cells.yaml', {'segmentation_range': '100:109'},
              (('RegionOne', 'network'),)),
}


class TemplatesAsMemberTest(base.FunctionalTestCase):
    """Every template of templates/ as a member: create, use, update,
    delete; another project sees nothing of it."""

    scenarios = [(name, {'template': name}) for name in TEMPLATES]

    def test_member_builds_uses_and_owns_the_link(self):
        filename, parameters, sides = TEMPLATES[self.template]
        template = templates.load(filename)
        stack = self.create_stack(template, parameters)
        out = self.outputs(stack)
        for side, key in sides:
            self.assertUsableByTenantOnly(side, out[key])
        self.assertShowIsTenantFacing(stack, sides[0][0], out[sides[0][1]])
        # A user's update: a wider range that still holds the chosen ID.
        self.heat.update_stack(stack, template=template, parameters=dict(
            parameters, segmentation_range='100:199'))
        self.wait(stack.id, 'UPDATE')
        self.assertEqual(out, self.outputs(stack))
        self.action(stack, 'check')

    def assertShowIsTenantFacing(self, stack, side, network_id):
        """The links' show, read as the tenant, names neither the
        operator's project that owns the networks nor provider fields."""
        operator = self.connection(side).network.get_network(
            network_id).project_id
        links = [rsrc.name for rsrc in self.heat.resources(stack)
                 if rsrc.resource_type == 'OS::Geo::Interconnect']
        self.assertNotEqual([], links)
        for name in links:
            shown = json.dumps(self.heat.get(
                '/stacks/%s/%s/resources/%s' % (stack.name, stack.id, name),
                params={'with_attr': ['show']}).json())
            self.assertIn(network_id, shown)
            self.assertNotIn(operator, shown)
            self.assertNotIn('provider', shown)

    def assertUsableByTenantOnly(self, side, network_id):
        tenant = self.connection(side, 'tenant').network
        network = tenant.get_network(network_id)
        (subnet_id,) = network.subnet_ids
        pools = tenant.get_subnet(subnet_id).allocation_pools
        port = tenant.create_port(network_id=network_id, name='ft-vnf-port')
        # Before the stack's delete, which would refuse a network in use.
        self.addCleanup(tenant.delete_port, port)
        address = netaddr.IPAddress(port.fixed_ips[0]['ip_address'])
        self.assertTrue(any(
            address in netaddr.IPRange(pool['start'], pool['end'])
            for pool in pools))
        if side != 'cloud-b':
            other = self.connection(side, 'other').network
            self.assertIsNone(other.find_network(network_id,
                                                 ignore_missing=True))
            self.assertNotIn(network_id, [n.id for n in other.networks()])


class NamedCloudAccessTest(base.FunctionalTestCase):
    """Who may use which named cloud is the operator's decision."""

    USER = 'other'

    def test_project_not_allowed_is_refused_before_any_write(self):
        template = templates.load('georedundant-clouds.yaml')
        template['parameters']['standby_cloud']['default'] = 'cloud-b'
        before = self.neutron_requests(own=True)
        exc = self.assertRefused(
            template, 'resources.standby_site.properties.context.cloud',
            'cloud "cloud-b" is not available to this project')
        # Nothing tells which clouds the operator has.
        self.assertNotIn('cloud-a', str(exc))
        self.assertNotIn('known clouds', str(exc))
        self.assertEqual(before, self.neutron_requests(own=True))
