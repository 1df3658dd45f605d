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

from heat.common import exception
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
