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

"""How the test command spreads the functional tests over stestr's
workers (.stestr.conf)."""

import configparser
import importlib
import inspect
import os
import pkgutil
import re

import testtools

import tests.functional
from tests.functional import base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def functional_classes():
    """The classes of the functional tests that hold tests."""
    for module in pkgutil.walk_packages(tests.functional.__path__,
                                        'tests.functional.'):
        for _, cls in inspect.getmembers(
                importlib.import_module(module.name), inspect.isclass):
            if cls.__module__ == module.name and any(
                    name.startswith('test_') for name in dir(cls)):
                yield cls


class GroupTest(testtools.TestCase):

    def test_tests_that_take_a_sandbox_to_themselves_share_one_worker(self):
        """Every SandboxToItself class, and no other outside production,
        in the production sandbox's group: elsewhere, its tests would wait
        for that sandbox's lock on a worker of their own."""
        config = configparser.ConfigParser()
        config.read(os.path.join(ROOT, '.stestr.conf'))
        group = re.compile(config['DEFAULT']['group_regex'])
        grouped, alone = set(), set()
        for cls in functional_classes():
            name = '%s.%s' % (cls.__module__, cls.__name__)
            if name.startswith('tests.functional.production.'):
                continue
            (alone if issubclass(cls, base.SandboxToItself) else
             grouped if group.match(name + '.test') else set()).add(name)
        self.assertEqual(set(), grouped)
        for name in alone:
            self.assertIsNotNone(group.match(name + '.test'), name)
        self.assertNotEqual(set(), alone)
