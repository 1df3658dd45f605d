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


class RunTest(unittest.TestCase):

    def setUp(self):
        self.heats = {'a': fakes.FakeHeat(), 'b': fakes.FakeHeat()}
        self.records = {key: {'stack_name': 'vnf-' + key, 'stack_id': None}
                        for key in self.heats}
        self.fenced = []

    def site(self, key):
        heat = self.heats[key]
        return deploy.SiteStacks(fakes._Record(
            orchestration=heat, compute=heat.nova,
            network=fakes.FakeNeutron()), key)

    def run_steps(self, *steps, lost=()):
        sites = {}
        for _ in deploy.run(
                [plan.Step(target(*t), unreachable) for t, unreachable
                 in steps], self.records,
                lambda key: sites.setdefault(key, self.site(key)),
                lambda: None,
                lambda key, up: self.fenced.append((key, up)), lost):
            pass

    def deploy_both(self):
        self.run_steps((('a', plan.ACTIVE, plan.RUNNING), plan.FAIL),
                       (('b', plan.STANDBY, plan.RUNNING), plan.FAIL))

    def test_steps_run_in_order(self):
        self.deploy_both()
        self.assertEqual(plan.ACTIVE, self.records['a']['role'])
        self.assertTrue(self.records['b']['stack_id'])

    def test_a_silent_site_owes_and_is_fenced_once_it_answers(self):
        self.deploy_both()
        self.heats['a'].down = True
        self.run_steps((('a', plan.STANDBY, plan.RUNNING), plan.FENCE),
                       (('b', plan.ACTIVE, plan.RUNNING), plan.FAIL))
        self.assertIn('Heat does not answer', self.records['a']['pending'])
        self.assertTrue(self.records['a']['fence'])
        self.assertIsNone(self.records['b']['pending'])
        self.assertEqual([], self.fenced)
        self.heats['a'].down = False
        self.run_steps((('a', plan.STANDBY, plan.RUNNING), plan.OWE))
        self.assertEqual([('a', False), ('a', True)], self.fenced)
        self.assertEqual((None, False), (self.records['a']['pending'],
                                         self.records['a']['fence']))

    def test_a_silent_site_that_must_answer_fails(self):
        self.heats['a'].down = True
        self.assertRaises(deploy.SiteUnreachable, self.run_steps,
                          (('a', plan.ACTIVE, plan.RUNNING), plan.FAIL))

    def test_a_refusal_fails_even_where_silence_is_owed(self):
        self.deploy_both()
        self.heats['a'].fail = 'UPDATE'
        self.assertRaises(deploy.StackFailed, self.run_steps,
                          (('a', plan.STANDBY, plan.RUNNING), plan.FENCE))

    def test_absent_deletes_and_gone_is_fine(self):
        self.run_steps((('a', plan.ACTIVE, plan.RUNNING), plan.FAIL))
        self.heats['a'].stacks.clear()
        self.run_steps((('a', plan.STANDBY, plan.ABSENT), plan.OWE))
        self.assertIsNone(self.records['a']['stack_id'])

    def test_a_site_given_up_is_not_asked(self):
        self.heats['b'].down = True
        self.run_steps((('a', plan.ACTIVE, plan.RUNNING), plan.FAIL),
                       (('b', plan.STANDBY, plan.RUNNING), plan.FAIL),
                       lost={'b'})
        self.assertEqual([], self.heats['b'].calls)
