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

import fixtures
import testtools

from geo_heat import cli


class ConnectorTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.clouds = self.useFixture(fixtures.TempDir()).path + '/c.yaml'
        with open(self.clouds, 'w') as f:
            f.write('clouds: {c: {auth: {auth_url: "http://127.0.0.1:1/v3", '
                    'token: t}, auth_type: token, region_name: R}}\n')

    def test_every_request_carries_the_request_id(self):
        conn = cli.connector('prog', [self.clouds], 2, 'req-w')('c')
        self.assertEqual('req-w', conn._global_request_id)
        self.assertIsNone(cli.connector('prog', [self.clouds], 2)('c')
                          ._global_request_id)

    def test_an_entry_no_file_names_stops_the_command(self):
        exc = self.assertRaises(SystemExit, cli.connector(
            'geo-heat-sweep', [self.clouds]), 'nowhere')
        self.assertEqual('geo-heat-sweep: no clouds file names nowhere',
                         str(exc))

    def test_entry_and_region(self):
        self.assertEqual(('c', 'R2'), cli.entry_and_region('c:R2'))
        self.assertEqual(('c', None), cli.entry_and_region('c'))
