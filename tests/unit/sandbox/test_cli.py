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

"""Unit tests of geo-heat-sandbox's command line."""

import contextlib
import io
import unittest

from geo_heat_sandbox import cli
from geo_heat_sandbox import topology


class HelpTest(unittest.TestCase):

    def test_help_lists_every_service(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), self.assertRaises(SystemExit):
            cli.main(['--help'])
        text = out.getvalue()
        for name in topology.SERVICES:
            self.assertIn(name, text)
        for title in ('Keystone', 'Neutron', 'Heat', 'Barbican', 'Nova',
                      'Placement', 'Glance'):
            self.assertIn(title, text)
