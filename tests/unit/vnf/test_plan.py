import unittest

from geo_heat.vnf import plan

class FixedAddressTest(unittest.TestCase):

    def test_the_index_counts_from_the_first_address_of_the_range(self):
        ranges = [('10.250.7.128', '10.250.7.254')]
        self.assertEqual('10.250.7.130', plan.fixed_address(ranges, 2))

    def test_ranges_follow_each_other(self):
        ranges = [('10.250.7.2', '10.250.7.3'), ('10.250.7.10',
                                                 '10.250.7.20')]
        self.assertEqual(['10.250.7.2', '10.250.7.3', '10.250.7.10'],
                         [plan.fixed_address(ranges, i) for i in range(3)])

    def test_address_beyond_the_range(self):
        with self.assertRaises(ValueError) as caught:
            plan.fixed_address([('10.250.7.1', '10.250.7.127')], 127)
        self.assertEqual('address index 127 is beyond the range '
                         '10.250.7.1-10.250.7.127', str(caught.exception))


class DesiredStateTest(unittest.TestCase):

    def test_modes(self):
        for mode in plan.MODES:
            self.assertEqual(plan.RUNNING, plan.desired_state(
                mode, plan.ACTIVE, plan.PURGE_DELETE, False))
        for mode in (plan.HOT, plan.WARM):
            self.assertEqual(plan.RUNNING, plan.desired_state(
                mode, plan.STANDBY, plan.PURGE_DELETE, False))
        self.assertEqual(plan.ABSENT, plan.desired_state(
            plan.COLD, plan.STANDBY, plan.PURGE_DELETE, True))
        self.assertEqual(plan.SUSPENDED, plan.desired_state(
            plan.COLD, plan.STANDBY, plan.PURGE_SUSPEND, True))
        self.assertEqual(plan.ABSENT, plan.desired_state(
            plan.COLD, plan.STANDBY, plan.PURGE_SUSPEND, False))


class ParametersTest(unittest.TestCase):

    def test_only_declared_parameters_and_the_users(self):
        ports = [{'port_id': 'p1', 'network_id': 'n1', 'address': '10.0.0.1'},
                 {'port_id': 'p2', 'network_id': 'n2', 'address': '10.1.0.1'}]
        peers = [{'port_id': 'q1', 'network_id': 'm1',
                  'address': '10.0.0.128'},
                 {'port_id': 'q2', 'network_id': 'm2',
                  'address': '10.1.0.128'}]
        generated = plan.site_parameters(
            plan.STANDBY, 3, plan.WARM, 'cfg', 'img', 'flv', None, ports,
            peers)
        self.assertEqual({'role': 'standby', 'epoch': 3,
                          'peer_address': '10.0.0.128',
                          'peer_addresses': '10.0.0.128,10.1.0.128',
                          'availability_zone': '', 'tier': 'gold'},
                         plan.instance_parameters(
                             {'role', 'epoch', 'peer_address',
                              'peer_addresses',
                              'availability_zone'},
                             generated, {'tier': 'gold'}))



def target(key, role, state=plan.RUNNING):
    return plan.Target(key, role, state, {'role': role}, '')


class StepsTest(unittest.TestCase):

    RECORDS = {'a': {'stack_id': 's-a'}, 'b': {'stack_id': 's-b'}}

    def plan_of(self, steps):
        return [(s.target.key, s.target.role, s.target.state,
                 s.if_unreachable) for s in steps]

    def test_create_the_active_site_first_and_both_must_answer(self):
        self.assertEqual(
            [('a', plan.ACTIVE, plan.RUNNING, plan.FAIL),
             ('b', plan.STANDBY, plan.RUNNING, plan.FAIL)],
            self.plan_of(plan.steps([target('b', plan.STANDBY),
                                     target('a', plan.ACTIVE)],
                                    {'a': {}, 'b': {}})))

    def test_a_switchover_demotes_first_and_may_fence(self):
        demoted = target('a', plan.STANDBY)
        self.assertEqual(
            [('a', plan.STANDBY, plan.RUNNING, plan.FENCE),
             ('b', plan.ACTIVE, plan.RUNNING, plan.FAIL),
             ('a', plan.STANDBY, plan.ABSENT, plan.OWE)],
            self.plan_of(plan.steps(
                [target('b', plan.ACTIVE),
                 target('a', plan.STANDBY, plan.ABSENT)],
                self.RECORDS, previous_active='a', demoted=demoted)))

    def test_a_site_left_goes_last_and_may_be_owed(self):
        records = dict(self.RECORDS, c={'stack_id': None})
        self.assertEqual(
            [('a', plan.ACTIVE, plan.RUNNING, plan.FAIL),
             ('c', plan.STANDBY, plan.RUNNING, plan.FAIL),
             ('b', plan.STANDBY, plan.ABSENT, plan.OWE)],
            self.plan_of(plan.steps(
                [target('a', plan.ACTIVE), target('c', plan.STANDBY)],
                records, previous_active='a')))

    def test_a_standby_that_owes_may_stay_silent(self):
        records = dict(self.RECORDS, b={'stack_id': 's-b', 'pending': 'x'})
        self.assertEqual(plan.OWE, plan.steps(
            [target('a', plan.ACTIVE), target('b', plan.STANDBY)],
            records, previous_active='a')[1].if_unreachable)
