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

"""A state dir with every generated file written, nothing started."""

import configparser
import os
import tempfile
import unittest
from unittest import mock

from geo_heat_sandbox import layout
from geo_heat_sandbox import services
from geo_heat_sandbox.services import heat


class ConfiguredTest(unittest.TestCase):

    def setUp(self):
        # A new state dir takes the profile the environment names (as a
        # production test run sets it): these tests name theirs.
        environment = mock.patch.dict(os.environ)
        environment.start()
        self.addCleanup(environment.stop)
        os.environ.pop(layout.ENV_PROFILE, None)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.lay = layout.Layout(os.path.join(self.tmp.name, 'state'))
        self.lay.ensure_dirs()
        self.sec = self.lay.load_secrets(create=True)
        with mock.patch.object(heat, 'plugin_dirs',
                               return_value=['/p1', '/p2']):
            services.write_configs(self.lay, self.sec)

    def ini(self, path):
        """A generated INI file (`path` or a service's .conf)."""
        if not os.path.isabs(path):
            path = self.lay.conf(path)
        cp = configparser.RawConfigParser(strict=False)
        self.assertEqual([path], cp.read(path))
        return cp
