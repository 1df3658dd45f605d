import unittest

from geo_heat.vnf import plan

SITES = {'local': {'placement': {'region_name': 'RegionOne'}},
         'remote': {'placement': {'region_name': 'RegionTwo'}}}
STATE = {'cidr': '10.250.7.0/24', 'local_network_id': 'net-1',
         'remote_network_id': 'net-2', 'local_subnet_id': 'sub-1',
         'remote_subnet_id': 'sub-2'}


class LinkSideTest(unittest.TestCase):

    def test_each_side_has_its_half_of_the_subnet(self):
        one = plan.link_side(SITES, STATE, {'region_name': 'RegionOne',
                                            'availability_zone': 'az'})
        two = plan.link_side(SITES, STATE, {'region_name': 'RegionTwo'})
        self.assertEqual(('net-1', 'sub-1', '10.250.7.1', '10.250.7.127'),
                         (one.network_id, one.subnet_id, one.pool_start,
                          one.pool_end))
        self.assertEqual(('net-2', '10.250.7.128', '10.250.7.254'),
                         (two.network_id, two.pool_start, two.pool_end))
        self.assertEqual('10.250.7.130', plan.fixed_address(two, 2))

    def test_a_routed_link_gives_each_side_its_own_subnet(self):
        state = dict(STATE, local_cidr='10.250.7.0/25',
                     remote_cidr='10.250.7.128/25')
        two = plan.link_side(SITES, state, {'region_name': 'RegionTwo'})
        # After the router's gateway address.
        self.assertEqual(('10.250.7.130', '10.250.7.254', False),
                         (two.pool_start, two.pool_end, two.shared))

    def test_cells_share_one_range(self):
        sites = {'local': {'placement': {'cell': 'cell1'}},
                 'remote': {'placement': {'cell': 'cell2'}}}
        state = dict(STATE, remote_network_id='net-1')
        side = plan.link_side(sites, state, {'cell': 'cell2'})
        self.assertTrue(side.shared)
        self.assertEqual('10.250.7.1', side.pool_start)

    def test_a_link_elsewhere_is_none(self):
        self.assertIsNone(plan.link_side(SITES, STATE,
                                         {'region_name': 'RegionThree'}))

    def test_address_beyond_the_range(self):
        side = plan.link_side(SITES, STATE, {'region_name': 'RegionOne'})
        self.assertRaises(ValueError, plan.fixed_address, side, 127)


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
