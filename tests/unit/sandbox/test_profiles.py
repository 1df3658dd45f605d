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

"""Unit tests of the sandbox's profiles: what the production profile needs
and says when it cannot run."""

import unittest
from unittest import mock

from geo_heat_sandbox import profiles


class EnsureInstalledTest(unittest.TestCase):

    def test_installed_runs_nothing(self):
        with mock.patch('shutil.which', return_value='/usr/bin/x'), \
                mock.patch('subprocess.run') as run:
            profiles.ensure_installed(print)
        run.assert_not_called()

    def test_no_apt_get_says_what_to_install(self):
        with mock.patch('shutil.which', return_value=None), \
                self.assertRaises(profiles.Unavailable) as caught:
            profiles.ensure_installed(print)
        e = caught.exception
        self.assertIn('rabbitmq-server and mariadb-server', str(e))
        self.assertIn('no apt-get', str(e))

    def test_not_root_says_what_to_run(self):
        def which(program):
            return '/usr/bin/apt-get' if program == 'apt-get' else None

        with mock.patch('shutil.which', side_effect=which), \
                mock.patch('os.geteuid', return_value=1000), \
                self.assertRaises(profiles.Unavailable) as caught:
            profiles.ensure_installed(print)
        e = caught.exception
        self.assertIn('apt-get install -y --no-install-recommends '
                      'rabbitmq-server mariadb-server', str(e))

