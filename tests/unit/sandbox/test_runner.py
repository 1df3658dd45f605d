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

"""The sandbox's access log: one line per request, with its global request
ID, read back whole or for one request ID."""

import os

import fixtures
import testtools
import webob

from geo_heat_sandbox import runner


def app(environ, start_response):
    start_response('204 No Content', [])
    return []


class AccessLogTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'access.log')
        self.logged = runner.AccessLog(app, self.path)
        self.addCleanup(self.logged.fh.close)

    def request(self, method, path, request_id=None):
        request = webob.Request.blank(path, method=method)
        if request_id is not None:
            request.headers['X-OpenStack-Request-ID'] = request_id
        # The line is written once the server closes the response.
        request.get_response(self.logged).app_iter.close()

    def test_requests_of_one_request_id(self):
        self.request('POST', '/v2.0/networks', 'req-mine')
        self.request('DELETE', '/v2.0/networks/n1', 'req-other')
        self.request('GET', '/v2.0/networks')
        self.request('PUT', '/v2.0/ports/p1', 'req mine')  # one field
        self.assertEqual([('POST', '/v2.0/networks', '204'),
                          ('DELETE', '/v2.0/networks/n1', '204'),
                          ('GET', '/v2.0/networks', '204'),
                          ('PUT', '/v2.0/ports/p1', '204')],
                         runner.read_access_log(self.path))
        self.assertEqual([('POST', '/v2.0/networks', '204')],
                         runner.read_access_log(self.path,
                                                request_id='req-mine'))
        self.assertEqual([], runner.read_access_log(self.path,
                                                    request_id='req'))
