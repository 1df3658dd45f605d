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

from heat.common import exception
from heat.engine import resource
import testtools

from geo_heat.resources import driver


class Refused(Exception):
    pass


class Passed(Refused):
    pass


def steps(*values, then=None):
    yield from values
    if then is not None:
        raise then


class DriveTest(testtools.TestCase):

    def test_one_step_per_call_without_a_budget(self):
        recorded, finished = [], []
        operation = driver.Operation(steps('a', 'b'), record=recorded.append,
                                     finish=lambda: finished.append(True))
        self.assertFalse(driver.drive(operation))
        self.assertEqual(['a'], recorded)
        self.assertFalse(driver.drive(operation))
        self.assertTrue(driver.drive(operation))
        self.assertEqual(['a', 'b'], recorded)
        self.assertEqual([True], finished)

    def test_steps_run_back_to_back_within_the_budget(self):
        recorded = []
        operation = driver.Operation(steps('a', 'b', 'c'),
                                     record=recorded.append, budget=60)
        self.assertTrue(driver.drive(operation))
        self.assertEqual(['a', 'b', 'c'], recorded)

    def test_a_waiting_step_gives_heat_control_back_unrecorded(self):
        recorded = []
        operation = driver.Operation(steps('a', None, 'b'),
                                     record=recorded.append, budget=60)
        self.assertFalse(driver.drive(operation))
        self.assertEqual(['a'], recorded)
        self.assertTrue(driver.drive(operation))
        self.assertEqual(['a', 'b'], recorded)

    def test_refused_errors_reach_heat_as_its_error(self):
        cause = Refused('remote side (region RegionTwo): quota exceeded')
        operation = driver.Operation(steps(then=cause), refused=(Refused,),
                                     passed=(Passed,))
        exc = self.assertRaises(exception.Error, driver.drive, operation)
        self.assertEqual(str(cause), str(exc))
        self.assertIs(cause, exc.__cause__)

    def test_passed_and_other_errors_reach_heat_as_they_are(self):
        for error in (Passed('gone'), KeyError('a bug')):
            operation = driver.Operation(steps(then=error),
                                         refused=(Refused,),
                                         passed=(Passed,))
            self.assertIs(error, self.assertRaises(
                type(error), driver.drive, operation))


    def test_an_operation_runs_within_another_step_by_step(self):
        """An operation's steps among another's: still one per call,
        recorded and finished as the operation says, then the rest."""
        recorded, finished = [], []
        inner = driver.Operation(steps('a', None), record=recorded.append,
                                 finish=lambda: finished.append(True))

        def outer_steps():
            yield from driver.steps_of(inner)
            yield 'b'

        operation = driver.Operation(outer_steps())
        self.assertFalse(driver.drive(operation))
        self.assertEqual((['a'], []), (recorded, finished))
        self.assertFalse(driver.drive(operation))
        self.assertEqual([], finished)
        self.assertFalse(driver.drive(operation))
        self.assertEqual((['a'], [True]), (recorded, finished))
        self.assertTrue(driver.drive(operation))


class UnfinishedPredecessorsTest(testtools.TestCase):

    def replacement(self, *states, replaces=7):
        """A resource replacing resource 7, which replaced 6, and so on
        down to 1: their `states`, newest first; (the resource, those it
        replaces, Heat's load)."""
        chain = {}
        for number, state in zip(range(replaces or 0, 0, -1), states):
            chain[number] = mock.Mock(CREATE='CREATE', FAILED='FAILED',
                                      state=state, replaces=number - 1 or None)

        def load(context, resource_id, *args):
            if resource_id not in chain:
                raise exception.NotFound()
            return chain[resource_id], None, None

        patcher = mock.patch.object(resource.Resource, 'load',
                                    side_effect=load)
        loaded = patcher.start()
        self.addCleanup(patcher.stop)
        return (mock.Mock(replaces=replaces),
                [chain[number] for number in sorted(chain, reverse=True)],
                loaded)

    @staticmethod
    def predecessors(rsrc):
        with driver.unfinished_predecessors(rsrc) as previous:
            return previous

    def test_a_failed_create_is_found(self):
        rsrc, (previous,), load = self.replacement(('CREATE', 'FAILED'))
        self.assertEqual([previous], self.predecessors(rsrc))
        self.assertEqual(7, load.call_args_list[0].args[1])

    def test_failed_creates_down_the_chain_newest_first(self):
        """A replacement that failed while it removed its predecessor:
        the next one removes both, up to one whose create completed."""
        failed = ('CREATE', 'FAILED')
        rsrc, chain, _load = self.replacement(
            failed, failed, ('UPDATE', 'FAILED'), failed)
        self.assertEqual(chain[:2], self.predecessors(rsrc))

    def test_anything_else_is_left_to_heat(self):
        for state in (('CREATE', 'COMPLETE'), ('UPDATE', 'FAILED'),
                      ('CHECK', 'FAILED')):
            rsrc, _chain, _load = self.replacement(state)
            self.assertEqual([], self.predecessors(rsrc))

    def test_a_first_create_or_a_gone_predecessor_has_none(self):
        rsrc, _chain, load = self.replacement(replaces=None)
        self.assertEqual([], self.predecessors(rsrc))
        load.assert_not_called()
        rsrc, _chain, load = self.replacement()
        self.assertEqual([], self.predecessors(rsrc))
        load.assert_called_once()
