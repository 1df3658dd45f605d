import unittest

from geo_heat.vnf import deploy
from geo_heat.vnf import plan
from tests.unit import fakes

SIDE = plan.LinkSide(network_id='net-1', subnet_id='sub-1',
                     pool_start='10.0.0.1', pool_end='10.0.0.127',
                     shared=False)


class ReservePortTest(unittest.TestCase):

    def test_a_retried_create_adopts_its_port(self):
        neutron = fakes.FakeNeutron()
        first = deploy.reserve_port(neutron, 'vnf-a', SIDE, '10.0.0.1',
                                    'tenant', 'vnf-1', 'stack-1')
        again = deploy.reserve_port(neutron, 'vnf-a', SIDE, '10.0.0.1',
                                    'tenant', 'vnf-1', 'stack-1')
        self.assertEqual(first, again)
        port = neutron.port_records[first]
        self.assertEqual('tenant', port.project_id)
        self.assertEqual(['geo-heat', 'geo-heat-vnf=vnf-1',
                          'geo-heat-stack=stack-1'], port.tags)


def target(key, role, state):
    return plan.Target(key=key, role=role, state=state,
                       parameters={'role': role}, template='t')


class ConvergeTest(unittest.TestCase):

    def setUp(self):
        self.heats = {'a': fakes.FakeHeat(), 'b': fakes.FakeHeat()}
        self.records = {key: {'stack_name': 'vnf-' + key, 'stack_id': None}
                        for key in self.heats}

    def run_steps(self, targets, tolerant=()):
        for _ in deploy.converge(
                targets, self.records,
                lambda key: deploy.SiteStacks(
                    fakes._Record(orchestration=self.heats[key]), key),
                lambda: None, tolerant):
            pass

    def test_the_active_site_goes_first(self):
        self.run_steps([target('b', plan.STANDBY, plan.RUNNING),
                        target('a', plan.ACTIVE, plan.RUNNING)])
        self.assertEqual(plan.ACTIVE, self.records['a']['role'])
        self.assertEqual('create', self.heats['a'].calls[0][0])
        self.assertTrue(self.records['b']['stack_id'])

    def test_a_tolerated_site_records_what_it_owes(self):
        self.run_steps([target('a', plan.ACTIVE, plan.RUNNING),
                        target('b', plan.STANDBY, plan.RUNNING)])
        self.heats['a'].down = True
        self.run_steps([target('b', plan.ACTIVE, plan.RUNNING),
                        target('a', plan.STANDBY, plan.RUNNING)],
                       tolerant={'a'})
        self.assertIn('cannot reach Heat', self.records['a']['pending'])
        self.assertIsNone(self.records['b']['pending'])

    def test_any_other_failure_stops(self):
        self.heats['a'].fail = 'CREATE'
        self.assertRaises(deploy.StackFailed, self.run_steps,
                          [target('a', plan.ACTIVE, plan.RUNNING)])

    def test_absent_deletes_and_gone_is_fine(self):
        self.run_steps([target('a', plan.ACTIVE, plan.RUNNING)])
        self.heats['a'].stacks.clear()
        self.run_steps([target('a', plan.STANDBY, plan.ABSENT)])
        self.assertIsNone(self.records['a']['stack_id'])
