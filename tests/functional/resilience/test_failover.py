"""R5: the active site of a georedundant VNF fails, in every mode and for
every kind of site.

Three VNFs (hot, warm and cold) are deployed at once as the tenant, in
RegionOne's Heat, and switched over to site b, so that the site that fails
is not the one whose Heat keeps the stacks. Site b then fails:

- regions: RegionTwo's Nova and Neutron stop;
- clouds: cloud B's Nova and Neutron stop;
- cells: cell2's compute host is forced down and disabled, as an operator
  marks the hosts of a lost datacenter (both cells share one Nova API, one
  Neutron and one Heat, which live on).

The failover back to site a completes for all three. A site that cannot
be reached is named as degraded by the VNF, and stack check fails naming
it; once the site is back a check finishes what it owed: hot and warm keep
the former active server as the standby, cold deletes it. Deleting the
stacks leaves no server, port or network of them on any side.
"""

from tests.functional import vnf

MODES = ('hot', 'warm', 'cold')


class Failover:
    """The scenario, for a test case of a site kind that says how its site
    b fails and comes back."""

    EXCLUSIVE = True
    # How site b is named, and whether its failure keeps the VNF from
    # reaching it (its Heat or Nova stops answering): then the VNF records
    # the site as degraded until a check finds it back.
    SITE_B = None
    UNREACHABLE = True
    # How stack check names site b while it is down.
    CHECK_FAILURE = 'endpoint site_b (%s) is unreachable'

    def fail_site_b(self):
        raise NotImplementedError

    def restore_site_b(self):
        raise NotImplementedError

    def each(self, stacks, verb, expect='COMPLETE', **defaults):
        """Update (with these template defaults) or check every stack at
        once; wait for each, and return them by mode."""
        for stack, template in stacks.values():
            if verb == 'update':
                vnf.templates.set_defaults(template, **defaults)
                self.heat.update_stack(stack.id, template=template)
            else:
                self.heat.check_stack(stack.id)
        return {mode: self.wait(stack.id, verb.upper(), expect)
                for mode, (stack, _) in stacks.items()}

    def assertFailedOver(self, mode, out, former):
        """Site a is active; a hot or warm standby is the former active
        server, a cold one runs nothing."""
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertInstance(out, 'active')
        self.assertEqual(None if mode == 'cold' else former,
                         out['standby']['server_id'])

    def test_failover_in_every_mode(self):
        stacks = {}
        for mode in MODES:
            template = vnf.templates.vnf(
                self.KIND, mode=mode, segmentation_range=vnf.VLANS[self.KIND])
            stacks[mode] = (self.start_stack(template), template)
        for stack, _ in stacks.values():
            self.wait(stack.id, 'CREATE')
        self.each(stacks, 'update', active='b')
        former = {mode: self.outputs(stack)['active']['server_id']
                  for mode, (stack, _) in stacks.items()}

        self.fail_site_b()
        self.each(stacks, 'update', active='a')
        for mode, (stack, _) in stacks.items():
            out = self.outputs(stack)
            if self.UNREACHABLE:
                # Site b still owes its demotion or removal.
                self.assertEqual('site_a', out['active']['endpoint'])
                self.assertInstance(out, 'active')
                self.assertTrue(out['standby']['pending'])
                self.assertIn('standby site site_b (%s) is degraded'
                              % self.SITE_B, out['status'])
            else:
                self.assertFailedOver(mode, out, former[mode])
        for checked in self.each(stacks, 'check', expect='FAILED').values():
            self.assertIn(self.CHECK_FAILURE % self.SITE_B,
                          checked.status_reason)

        self.restore_site_b()
        self.each(stacks, 'check')
        for mode, (stack, _) in stacks.items():
            out = self.outputs(stack)
            self.assertEqual('ACTIVE', out['status'])
            self.assertFailedOver(mode, out, former[mode])
            self.assertInstance(out, 'standby', running=mode != 'cold')
            if mode == 'cold':
                self.assertEqual([], self.servers_at(stack, 'site_b'))


class RegionFailoverTest(Failover, vnf.RedundantVNFTestCase):

    SITE_B = 'region RegionTwo'
    SERVICES = ('nova-r2', 'neutron-r2')

    def fail_site_b(self):
        for service in self.SERVICES:
            self.stop_service(service)

    def restore_site_b(self):
        for service in self.SERVICES:
            self.start_service(service)


class CloudFailoverTest(RegionFailoverTest):

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}
    SITE_B = 'cloud cloud-b, region RegionOne'
    SERVICES = ('nova-b', 'neutron-b')


class CellFailoverTest(Failover, vnf.RedundantVNFTestCase):

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True
    SITE_B = 'region RegionOne, cell cell2'
    UNREACHABLE = False
    CHECK_FAILURE = ('endpoint site_b (%s) is unavailable: Nova has no '
                     'enabled compute host in availability zone az-cell2')

    def _cell2_compute(self):
        compute = self.connection('RegionOne').compute
        (service,) = compute.services(host='nova-r1-cell2',
                                      binary='nova-compute')
        return compute, service

    def fail_site_b(self):
        compute, service = self._cell2_compute()
        self.addCleanup(self.restore_site_b)
        compute.disable_service(service, disabled_reason='datacenter lost')
        compute.update_service_forced_down(service, forced=True)

    def restore_site_b(self):
        compute, service = self._cell2_compute()
        compute.update_service_forced_down(service, forced=False)
        compute.enable_service(service)
