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

import unittest

from geo_heat.vnf import model
from geo_heat.vnf import plan

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


def site(stack_id=None, pending=None):
    return model.SiteRecord(ref='', descriptor={}, stack_name='',
                            role=plan.STANDBY, stack_id=stack_id,
                            pending=pending)


class ParametersTest(unittest.TestCase):

    def test_only_declared_parameters_and_the_users(self):
        ports = [model.Port('l1', 'p1', 'n1', '10.0.0.1'),
                 model.Port('l2', 'p2', 'n2', '10.1.0.1')]
        peers = [model.Port('l1', 'q1', 'm1', '10.0.0.128'),
                 model.Port('l2', 'q2', 'm2', '10.1.0.128')]
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

    RECORDS = {'a': site('s-a'), 'b': site('s-b')}

    def plan_of(self, steps):
        return [(s.target.key, s.target.role, s.target.state,
                 s.if_unreachable) for s in steps]

    def test_create_the_active_site_first_and_both_must_answer(self):
        self.assertEqual(
            [('a', plan.ACTIVE, plan.RUNNING, plan.FAIL),
             ('b', plan.STANDBY, plan.RUNNING, plan.FAIL)],
            self.plan_of(plan.steps([target('b', plan.STANDBY),
                                     target('a', plan.ACTIVE)],
                                    {'a': site(), 'b': site()})))

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
        records = dict(self.RECORDS, c=site())
        self.assertEqual(
            [('a', plan.ACTIVE, plan.RUNNING, plan.FAIL),
             ('c', plan.STANDBY, plan.RUNNING, plan.FAIL),
             ('b', plan.STANDBY, plan.ABSENT, plan.OWE)],
            self.plan_of(plan.steps(
                [target('a', plan.ACTIVE), target('c', plan.STANDBY)],
                records, previous_active='a')))

    def test_a_standby_that_owes_may_stay_silent(self):
        records = dict(self.RECORDS, b=site('s-b', 'x'))
        self.assertEqual(plan.OWE, plan.steps(
            [target('a', plan.ACTIVE), target('b', plan.STANDBY)],
            records, previous_active='a')[1].if_unreachable)
