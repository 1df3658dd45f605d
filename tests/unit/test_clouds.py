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

import os
import subprocess
import sys
import tempfile

import fixtures
import testtools

from geo_heat import clouds


class VerifyTest(testtools.TestCase):

    def test_ca_cert_and_insecure(self):
        self.assertFalse(clouds.verify('PEM', True))
        path = clouds.verify('-----BEGIN CERTIFICATE-----', False)
        with open(path) as f:
            self.assertIn('BEGIN CERTIFICATE', f.read())
        # Private to heat-engine's user, in a directory of its own.
        self.assertEqual(0o600, os.stat(path).st_mode & 0o777)
        self.assertEqual(0o700,
                         os.stat(os.path.dirname(path)).st_mode & 0o777)
        self.assertEqual(path, clouds.verify(
            '-----BEGIN CERTIFICATE-----', False))
        self.assertTrue(clouds.verify(None, False))

    def test_ca_files_once_per_content_and_bounded(self):
        self.patch(clouds, 'CA_FILES_MAX', 2)
        paths = [clouds.ca_file('bundle %d' % n) for n in range(3)]
        self.assertEqual(1, len({os.path.dirname(p) for p in paths}))
        self.assertFalse(os.path.exists(paths[0]))
        self.assertEqual(paths[2], clouds.ca_file('bundle 2'))
        self.assertTrue(all(os.path.exists(p) for p in paths[1:]))

    def test_a_killed_process_leaves_its_directory_to_the_next(self):
        """A process killed before its exit handler ran leaves its
        directory; the next process that writes a bundle removes it."""
        tmp = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.MonkeyPatch('tempfile.tempdir', tmp))
        self.useFixture(fixtures.MonkeyPatch(
            'geo_heat.clouds._ca_directory', None))
        self.useFixture(fixtures.MonkeyPatch(
            'geo_heat.clouds._ca_files', clouds.collections.OrderedDict()))
        killed = subprocess.run(
            [sys.executable, '-c', 'import os, signal, tempfile; '
             'tempfile.tempdir = %r; from geo_heat import clouds; '
             'print(clouds.ca_file("PEM")); '
             'os.kill(os.getpid(), signal.SIGKILL)' % tmp],
            capture_output=True, text=True)
        left = os.path.dirname(killed.stdout.strip())
        self.assertTrue(os.path.isdir(left))
        unrelated = tempfile.mkdtemp(prefix='geo-heat-ca-x', dir=tmp)
        mine = os.path.dirname(clouds.ca_file('PEM'))
        self.assertFalse(os.path.exists(left))
        self.assertTrue(os.path.isdir(unrelated))
        self.assertTrue(os.path.basename(mine).startswith(
            'geo-heat-ca-%d-' % os.getpid()))
