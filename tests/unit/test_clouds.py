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
