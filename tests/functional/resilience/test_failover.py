"""R5: the active site of a georedundant VNF loses its Nova and Neutron.

A warm VNF across RegionOne and RegionTwo, created as the tenant in
RegionOne's Heat, is first switched over to RegionTwo, so that the site
that fails is not the one whose Heat keeps the stack. With nova-r2 and
neutron-r2 stopped, the failover back to RegionOne completes, the VNF
names RegionTwo as degraded and stack check fails naming it (its
endpoint, whose Neutron is gone); once both
services are back a check finishes what RegionTwo owed, and deleting the
stack leaves no server, port or network of it on any side.
"""

from tests.functional import vnf

FAILED_SITE = ('nova-r2', 'neutron-r2')


class ActiveSiteDownTest(vnf.RedundantVNFTestCase):

    EXCLUSIVE = True

    def test_failover_while_active_site_is_down(self):
        stack, template = self.deploy(mode='warm')
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertEqual('site_b', out['active']['endpoint'])
        _, old_active = self.assertInstance(out, 'active')

        for service in FAILED_SITE:
            self.stop_service(service)
        self.update(stack, template, active='a')
        out = self.outputs(stack)
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertInstance(out, 'active')
        self.assertIn('standby site site_b (region RegionTwo) is degraded',
                      out['status'])
        # The endpoint finds its Neutron gone before the VNF is checked.
        checked = self.action(stack, 'check', expect='FAILED')
        self.assertIn('endpoint site_b (region RegionTwo) is unreachable',
                      checked.status_reason)

        for service in FAILED_SITE:
            self.start_service(service)
        self.action(stack, 'check')
        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        self.assertInstance(out, 'active')
        _, standby = self.assertInstance(out, 'standby')
        self.assertEqual(old_active.id, standby.id)

        self.delete_stack(stack.id)
