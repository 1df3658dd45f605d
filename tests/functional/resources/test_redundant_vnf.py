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

import json

from tests.functional import vnf


class RedundantVNFTest(vnf.RedundantVNFTestCase):

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


class RedundantVNFFailoverTest(vnf.RedundantVNFTestCase):
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


class CloudsVNFTest(vnf.RedundantVNFTestCase):
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


class CellsVNFTest(vnf.RedundantVNFTestCase):
    """Sites in RegionOne's two cells: one network, one instance per
    cell's host."""

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True

    def test_hot_switchover_across_cells(self):
        self.switchover_and_back('hot')
