"""OS::Geo::RedundantVNF on the sandbox, as the tenant, across RegionOne
and RegionTwo (templates/georedundant-vnf-regions.yaml) in every mode, and
across clouds and cells (the -clouds and -cells templates).

Each instance is checked in its own region as the admin: a server ACTIVE
(none for a cold standby) on its side's link network, with its reserved
address from that side's half of the link subnet. A switchover swaps the
roles and keeps the link and, in hot and warm mode, the servers; a
failover completes while the active region's Nova is stopped, stack check
reports that region meanwhile, and a check after it returns cleans up.
Every stack is deleted at cleanup with nothing left on any side.
"""

import ipaddress
import json
import os

from tests.functional import base

from geo_heat_sandbox import layout

INSTANCE = os.path.join(base.TEMPLATES, 'vnf', 'instance.yaml')
# VLANs no other test draws from: on physnet1 between the regions and to
# cloud B, and on the cells' own physical networks.
VLANS = {'regions': '3100:3199', 'clouds': '3100:3199', 'cells': '190:194'}


def vnf_template(kind, **defaults):
    """A georedundant-vnf template with the instance template inline (the
    API has no get_file) and the given parameter defaults."""
    template = base.load_template('georedundant-vnf-%s.yaml' % kind)
    with open(INSTANCE) as f:
        template['resources']['vnf']['properties']['instance_template'] = (
            f.read())
    defaults.setdefault('segmentation_range', VLANS[kind])
    defaults.setdefault('image', layout.IMAGE_NAME)
    defaults.setdefault('flavor', layout.FLAVOR['name'])
    for name, value in defaults.items():
        template['parameters'][name]['default'] = value
    return template


class RedundantVNFTestCase(base.FunctionalTestCase):

    KIND = 'regions'
    # The sandbox side of each site, and its fake compute host.
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('RegionTwo', None)}
    # Whether both sites share one network (and address range).
    SHARED = False

    def deploy(self, **defaults):
        template = vnf_template(self.KIND, **defaults)
        stack = self.create_stack(template)
        return stack, template

    def update(self, stack, template, expect='COMPLETE', **defaults):
        for name, value in defaults.items():
            template['parameters'][name]['default'] = value
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
        address = instance['link_addresses']['replication_link']
        self.assertEqual(self.expected_address(out['cidr'],
                                               instance['endpoint']), address)
        network = self.connection(side).network
        (port,) = network.ports(fixed_ips='ip_address=%s' % address)
        if not running:
            self.assertIsNone(instance['server_id'])
            self.assertFalse(port.device_id)
            return instance, None
        server = self.server(side, instance['server_id'])
        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(server.id, port.device_id)
        self.assertEqual(role, server.metadata['role'])
        self.assertEqual(['vnf-replication'], list(server.addresses))
        self.assertEqual(address,
                         server.addresses['vnf-replication'][0]['addr'])
        if host:
            self.assertEqual(host, server.compute_host)
        return instance, server

    def switchover_and_back(self, mode):
        stack, template = self.deploy(mode=mode)
        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        _, active = self.assertInstance(out, 'active')
        _, standby = self.assertInstance(out, 'standby')
        link = (out['segmentation_id'], out['cidr'])

        self.update(stack, template, configuration='vnf: second')
        out = self.outputs(stack)
        for role, server in (('active', active), ('standby', standby)):
            _, now = self.assertInstance(out, role)
            self.assertEqual(server.id, now.id)  # changed in place
            self.assertEqual('vnf: second', now.metadata['configuration'])

        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertEqual('site_b', out['active']['endpoint'])
        self.assertEqual(standby.id, self.assertInstance(out, 'active')[1].id)
        self.assertEqual(active.id, self.assertInstance(out, 'standby')[1].id)
        self.assertEqual(link, (out['segmentation_id'], out['cidr']))

        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertEqual(active.id, self.assertInstance(out, 'active')[1].id)
        self.action(stack, 'check')


class RedundantVNFTest(RedundantVNFTestCase):

    def test_warm_configuration_and_switchover(self):
        self.switchover_and_back('warm')

    def test_hot_configuration_and_switchover(self):
        self.switchover_and_back('hot')

    def test_cold_standby_switchover_and_back(self):
        stack, template = self.deploy(mode='cold',
                                      configuration='vnf: stored')
        out = self.outputs(stack)
        _, active = self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby', running=False)
        self.assertIsNone(out['standby']['stack_id'])

        self.update(stack, template, active='b', configuration='vnf: new')
        out = self.outputs(stack)
        _, spare = self.assertInstance(out, 'active')
        self.assertEqual('vnf: new', spare.metadata['configuration'])
        self.assertInstance(out, 'standby', running=False)
        self.assertEqual([], list(self.connection('RegionOne').compute
                                  .servers(name='^%s-' % self.stack_names[
                                      stack.id])))

        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby', running=False)
        self.action(stack, 'check')

    def test_cold_standby_suspended_on_switchover(self):
        stack, template = self.deploy(mode='cold', purge_policy='suspend')
        active = self.outputs(stack)['active']['server_id']
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertEqual('suspended', out['standby']['state'])
        self.assertEqual('SUSPENDED',
                         self.server('RegionOne', active).status)
        # Back: the suspended instance resumes, the other one is kept
        # suspended in turn.
        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertEqual(active, self.assertInstance(out, 'active')[1].id)
        self.assertEqual('suspended', out['standby']['state'])
        self.assertEqual('SUSPENDED', self.server(
            'RegionTwo', out['standby']['server_id']).status)


class RedundantVNFFailoverTest(RedundantVNFTestCase):
    """The active region's Nova stops; the switchover still completes."""

    EXCLUSIVE = True

    def _failover(self, mode):
        stack, template = self.deploy(mode=mode)
        old_active = self.outputs(stack)['active']['server_id']
        self.stop_service('nova-r1')
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertIn('site_a', out['status'])
        self.assertIn('degraded', out['status'])
        checked = self.action(stack, 'check', expect='FAILED')
        self.assertIn('standby site site_a (region RegionOne) is degraded',
                      checked.status_reason)

        self.start_service('nova-r1')
        self.action(stack, 'check')
        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        self.assertInstance(out, 'active')
        return out, old_active

    def test_warm_failover(self):
        out, old_active = self._failover('warm')
        _, standby = self.assertInstance(out, 'standby')
        self.assertEqual(old_active, standby.id)

    def test_cold_failover(self):
        out, old_active = self._failover('cold')
        self.assertInstance(out, 'standby', running=False)
        self.assertIsNone(self.connection('RegionOne').compute.find_server(
            old_active, ignore_missing=True))


class CloudsVNFTest(RedundantVNFTestCase):
    """Site b in cloud B (operator-named), in the tenant's project there,
    through cloud B's Heat."""

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def test_warm_switchover_across_clouds(self):
        self.switchover_and_back('warm')

    def test_cold_standby_in_the_cloud_of_a_credential(self):
        """Site b reached with the tenant's own credentials of cloud B,
        kept in its Barbican; none of them shows in what Heat returns."""
        auth = self.cloud_config('tenant-b').config['auth']
        barbican = self.connection('RegionOne', 'tenant').key_manager
        secret = barbican.create_secret(
            name='ft-vnf-cloud-b', payload_content_type='text/plain',
            secret_type='opaque', payload=json.dumps(
                {'auth_type': 'password', 'auth': auth}))
        self.addCleanup(barbican.delete_secret, secret)
        stack, template = self.deploy(
            mode='cold', credential_secret_id_b=secret.secret_ref)
        self.assertInstance(self.outputs(stack), 'standby', running=False)
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby', running=False)
        shown = json.dumps([r.to_dict() for r in self.heat.resources(stack)]
                           + [out], default=str)
        self.assertNotIn(auth['password'], shown)


class CellsVNFTest(RedundantVNFTestCase):
    """Sites in RegionOne's two cells: one network, one instance per
    cell's host."""

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True

    def test_hot_switchover_across_cells(self):
        self.switchover_and_back('hot')
