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

import threading
from unittest import mock

from keystoneauth1 import exceptions as ks_exc
import testtools

from geo_heat.vnf import deploy
from geo_heat.vnf import health
from geo_heat.vnf import model
from geo_heat.vnf import plan
from tests.unit import fakes
from tests.unit.fakes import heat as fake_heat


def record(region, role):
    return model.SiteRecord(
        ref=region, descriptor={'placement': {'region_name': region}},
        stack_name='vnf', role=role, state=plan.RUNNING)


class ProblemsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heats = {'site_a': fakes.FakeHeat(), 'site_b': fakes.FakeHeat()}
        self.records = {'site_a': record('RegionOne', plan.ACTIVE),
                        'site_b': record('RegionTwo', plan.STANDBY)}
        for key, heat in self.heats.items():
            stack_id = heat.create_stack(
                'vnf-' + key, fake_heat.INSTANCE_TEMPLATE, {}).id
            self.records[key].stack_id = stack_id
            self.records[key].outputs = {
                'server_id': heat.stacks[stack_id]['server_id']}

    def problems(self, roles=None, capacity=None):
        return health.problems(
            self.records, roles or {plan.ACTIVE: 'site_a',
                                    plan.STANDBY: 'site_b'},
            lambda key: deploy.SiteStacks(fakes.Record(
                orchestration=self.heats[key],
                compute=self.heats[key].nova), 'site %s' % key),
            capacity=capacity)

    def test_nothing_wrong(self):
        self.assertEqual([], self.problems())

    def test_a_stack_still_in_progress_is_named(self):
        heat = self.heats['site_b']
        heat.in_progress_reads = 5
        heat.update_stack(self.records['site_b'].stack_id, 'vnf-site_b',
                          fake_heat.INSTANCE_TEMPLATE, {})
        self.assertEqual(['standby site site_b (region RegionTwo): instance '
                          'stack is UPDATE_IN_PROGRESS: fake'],
                         self.problems())

    def test_a_site_that_does_not_answer_is_unreachable(self):
        self.heats['site_b'].down = True
        self.assertEqual(
            ['standby site site_b (region RegionTwo) is unreachable: cannot '
             'reach Heat to read stack %s: heat is down'
             % self.records['site_b'].stack_id], self.problems())

    def test_a_site_that_refuses_says_why(self):
        with mock.patch.object(self.heats['site_a'], 'get_stack',
                               side_effect=fakes.heat_error(
                                   403, 'Forbidden', 'not yours')):
            (problem,) = self.problems()
        self.assertTrue(problem.startswith(
            'active site site_a (region RegionOne): failed to read stack '),
            problem)

    def test_as_today_degraded_sites_servers_and_roles(self):
        self.records['site_a'].pending = 'failed to update stack x'
        server_id = self.records['site_b'].outputs['server_id']
        self.heats['site_b'].server_status[server_id] = 'SHUTOFF'
        self.assertEqual(
            ['standby site site_a (region RegionOne) is degraded: failed '
             'to update stack x',
             'active site site_b (region RegionTwo): server %s is SHUTOFF, '
             'not ACTIVE' % server_id],
            self.problems({plan.ACTIVE: 'site_b', plan.STANDBY: 'site_a'}))

    def test_sites_are_read_at_once(self):
        """Two sites that each take the whole timeout to fail cost one
        timeout, not two: each read waits for the other to start."""
        both = threading.Barrier(2, timeout=10)

        def silent(stack_id):
            both.wait()
            raise ks_exc.ConnectTimeout('Request to heat timed out')

        for heat in self.heats.values():
            heat.get_stack = silent
        problems = self.problems()
        self.assertEqual(2, len(problems))
        for problem in problems:
            self.assertIn('is unreachable: cannot reach Heat to read stack',
                          problem)

    def test_a_cold_standby_that_cannot_host_the_spare(self):
        """Only a standby site that runs nothing is asked for room."""
        self.records['site_b'].stack_id = None
        asked = []

        def capacity(key):
            asked.append(key)
            return 'no compute host has room for flavor m1.tiny'

        self.assertEqual([], self.problems())
        self.assertEqual(
            ['standby site site_b (region RegionTwo): cannot host the spare: '
             'no compute host has room for flavor m1.tiny'],
            self.problems(capacity=capacity))
        self.assertEqual(['site_b'], asked)
        self.assertEqual([], self.problems(capacity=lambda key: None))

    def test_a_cold_standby_that_does_not_answer_is_unreachable(self):
        self.records['site_b'].stack_id = None

        def capacity(key):
            raise deploy.SiteUnreachable('site %s' % key, 'cannot tell '
                                         'whether it can host the spare: x'
                                         ) from ks_exc.ConnectFailure('x')

        self.assertEqual(
            ['standby site site_b (region RegionTwo) is unreachable: cannot '
             'tell whether it can host the spare: x'],
            self.problems(capacity=capacity))
