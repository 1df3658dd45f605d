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

from unittest import mock

from keystoneauth1 import exceptions as ks_exc
import testtools

from geo_heat.vnf import deploy
from geo_heat.vnf import model
from geo_heat.vnf import plan
from tests.unit import fakes
from tests.unit.fakes import heat as fake_heat

class SiteStacksCreateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heat = fakes.FakeHeat()
        self.stacks = deploy.SiteStacks(
            fakes.Record(orchestration=self.heat), 'site b')

    def create(self):
        return self.stacks.create('vnf-b', fake_heat.INSTANCE_TEMPLATE,
                                  {'role': 'standby'})

    def named(self, name='vnf-b'):
        return [stack_id for stack_id, stack in self.heat.stacks.items()
                if stack['name'] == name]

    def test_a_create_whose_answer_is_lost_adopts_the_stack(self):
        self.heat.lose.add('create')
        stack_id = self.create()
        self.assertEqual([stack_id], self.named())
        self.assertEqual(['find', 'create', 'find'],
                         [call for call, _ in self.heat.calls])

    def test_a_retried_create_adopts_the_stack_an_earlier_one_made(self):
        first = self.heat.create_stack(
            'vnf-b', fake_heat.INSTANCE_TEMPLATE, {}).id
        self.assertEqual(first, self.create())
        self.assertEqual([first], self.named())
        # Heat itself refuses the name a second time.
        exc = self.assertRaises(Exception, self.heat.create_stack, 'vnf-b',
                                fake_heat.INSTANCE_TEMPLATE, {})
        self.assertEqual(409, exc.status_code)

    def test_a_create_that_made_nothing_fails_as_unreachable(self):
        with mock.patch.object(self.heat, 'create_stack', side_effect=(
                ks_exc.ConnectTimeout('timed out'))):
            exc = self.assertRaises(deploy.SiteUnreachable, self.create)
        self.assertIn('cannot reach Heat to create stack vnf-b',
                      str(exc))
        self.assertEqual([], self.named())

    def test_a_site_gone_after_the_create_fails_with_the_create(self):
        def create_and_go(**kwargs):
            self.heat.down = True
            raise ks_exc.ConnectTimeout('timed out')

        with mock.patch.object(self.heat, 'create_stack',
                               side_effect=create_and_go):
            exc = self.assertRaises(deploy.SiteUnreachable, self.create)
        self.assertIn('cannot reach Heat to create stack vnf-b: timed out',
                      str(exc))

    def test_a_refused_create_is_not_looked_up_again(self):
        with mock.patch.object(self.heat, 'create_stack', side_effect=(
                fakes.heat_error(400, 'StackValidationFailed', 'bad'))):
            exc = self.assertRaises(deploy.SiteError, self.create)
        self.assertNotIsInstance(exc, deploy.SiteUnreachable)
        self.assertEqual(['find'], [call for call, _ in self.heat.calls])

    def test_a_stack_being_deleted_is_not_adopted(self):
        stack_id = self.heat.create_stack(
            'vnf-b', fake_heat.INSTANCE_TEMPLATE, {}).id
        self.heat.stacks[stack_id]['status'] = 'DELETE_IN_PROGRESS'
        exc = self.assertRaises(deploy.SiteError, self.create)
        self.assertIn('a stack of that name is DELETE_IN_PROGRESS', str(exc))
        self.assertEqual([stack_id], self.named())


class KeystoneGone:
    """A connection to a site whose Keystone is gone, without a token."""

    def __getattr__(self, service):
        raise ks_exc.ConnectFailure('Unable to establish connection to '
                                    'http://keystone-b/v3/auth/tokens')


def target(key, role, state):
    return plan.Target(key=key, role=role, state=state,
                       parameters={'role': role},
                       template=fake_heat.INSTANCE_TEMPLATE)


class RunTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heats = {'a': fakes.FakeHeat(), 'b': fakes.FakeHeat()}
        self.records = {key: model.SiteRecord(
            ref=key, descriptor={}, stack_name='vnf-' + key,
            role=plan.STANDBY) for key in self.heats}
        self.fenced = []

    def site(self, key):
        heat = self.heats[key]
        return deploy.SiteStacks(fakes.Record(
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
        self.assertEqual(plan.ACTIVE, self.records['a'].role)
        self.assertEqual(['find', 'create'],
                         [call for call, _ in self.heats['a'].calls[:2]])
        self.assertTrue(self.records['b'].stack_id)

    def test_a_silent_site_owes_and_is_fenced_once_it_answers(self):
        self.deploy_both()
        self.heats['a'].down = True
        self.run_steps((('a', plan.STANDBY, plan.RUNNING), plan.FENCE),
                       (('b', plan.ACTIVE, plan.RUNNING), plan.FAIL))
        self.assertIn('Heat does not answer', self.records['a'].pending)
        self.assertTrue(self.records['a'].fence)
        self.assertIsNone(self.records['b'].pending)
        self.assertEqual([], self.fenced)
        self.heats['a'].down = False
        self.run_steps((('a', plan.STANDBY, plan.RUNNING), plan.OWE))
        self.assertEqual([('a', False), ('a', True)], self.fenced)
        self.assertEqual((None, False), (self.records['a'].pending,
                                         self.records['a'].fence))

    def test_a_site_whose_keystone_is_gone_is_silent(self):
        # Its token not cached (a restarted engine): making any proxy asks
        # the lost site's Keystone.
        self.deploy_both()
        self.site = lambda key: (deploy.SiteStacks(KeystoneGone(), key)
                                 if key == 'a' else RunTest.site(self, key))
        self.run_steps((('a', plan.STANDBY, plan.RUNNING), plan.FENCE),
                       (('b', plan.ACTIVE, plan.RUNNING), plan.FAIL))
        self.assertIn('Heat does not answer', self.records['a'].pending)
        self.assertTrue(self.records['a'].fence)
        self.assertEqual(plan.ACTIVE, self.records['b'].role)

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
        self.assertIsNone(self.records['a'].stack_id)

    def test_a_site_given_up_is_not_asked(self):
        self.heats['b'].down = True
        self.run_steps((('a', plan.ACTIVE, plan.RUNNING), plan.FAIL),
                       (('b', plan.STANDBY, plan.RUNNING), plan.FAIL),
                       lost={'b'})
        self.assertEqual([], self.heats['b'].calls)
