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

"""The sandbox's fault hook, around a tiny WSGI app served as the sandbox
serves its services (werkzeug's threaded server)."""

import io
import threading
import time

import fixtures
import requests
import testtools
from werkzeug import serving

from geo_heat_sandbox import faults


class QuietHandler(serving.WSGIRequestHandler):
    protocol_version = 'HTTP/1.1'  # as the sandbox serves

    def log(self, *args):
        pass


class FaultsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.state = self.useFixture(fixtures.TempDir()).path
        # The service's log.
        self.log = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.log))
        self.bodies = []
        server = serving.make_server(
            '127.0.0.1', 0, faults.Faults(
                self.app, faults.directory(self.state, 'svc'), 'svc'),
            threaded=True, request_handler=QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        self.url = 'http://127.0.0.1:%d' % server.server_port

    def app(self, environ, start_response):
        length = int(environ.get('CONTENT_LENGTH') or 0)
        self.bodies.append(environ['wsgi.input'].read(length))
        start_response('201 Created', [('Content-Type', 'text/plain')])
        return [b'made']

    def arm(self, action, **kwargs):
        fault = faults.arm(self.state, 'svc', 'POST', r'/stacks$',
                           action=action, **kwargs)
        self.addCleanup(fault.disarm)
        return fault

    def post(self, body, path='/v1/p/stacks', timeout=5):
        return requests.post(self.url + path, data=body, timeout=timeout)

    def test_drop_response_after_the_app_processed_the_request(self):
        fault = self.arm(faults.DROP_RESPONSE, contains='mine')
        self.assertRaises(requests.ConnectionError, self.post,
                          b'{"stack_name": "mine-1"}')
        self.assertEqual([b'{"stack_name": "mine-1"}'], self.bodies)
        self.assertEqual(0, fault.remaining())
        self.assertEqual('svc: fault drop_response: POST /v1/p/stacks\n',
                         self.log.getvalue())
        # Spent: the next one is answered.
        self.assertEqual(201, self.post(b'{"stack_name": "mine-2"}')
                         .status_code)

    def test_requests_of_others_are_answered(self):
        fault = self.arm(faults.DROP_RESPONSE, contains='mine')
        self.assertEqual('made', self.post(b'{"stack_name": "other"}').text)
        self.assertEqual(201, self.post(b'mine', path='/v1/p/stacks/x')
                         .status_code)
        self.assertEqual(201, requests.put(
            self.url + '/v1/p/stacks', data=b'mine', timeout=5).status_code)
        self.assertEqual(1, fault.remaining())
        self.assertEqual(3, len(self.bodies))

    def test_hang_until_disarmed(self):
        fault = self.arm(faults.HANG)
        outcome = []

        def hung():
            try:
                self.post(b'x')
            except requests.ConnectionError as exc:
                outcome.append(exc)

        waiting = threading.Thread(target=hung)
        waiting.start()
        while fault.remaining():
            time.sleep(0.01)
        # Taken: that request hangs, the next one is answered.
        self.assertEqual(201, self.post(b'y').status_code)
        self.assertTrue(waiting.is_alive())
        fault.disarm()
        waiting.join(5)
        self.assertEqual(1, len(outcome))
        # The hung request never reached the app.
        self.assertEqual([b'y'], self.bodies)

    def test_refuse_without_processing(self):
        self.arm(faults.REFUSE, count=None)
        answer = self.post(b'x')
        self.assertEqual(409, answer.status_code)
        self.assertEqual('Conflict', answer.json()['error']['title'])
        self.assertEqual([], self.bodies)

    def test_close_without_processing_the_requests_of_one_id(self):
        """Any method and path carrying the request ID: no answer, nothing
        done; other IDs, and requests without one, are answered."""
        fault = faults.arm(self.state, 'svc', None, '', action=faults.CLOSE,
                           count=None, request_id='req-mine')
        self.addCleanup(fault.disarm)
        for method in ('GET', 'POST', 'DELETE'):
            self.assertRaises(
                requests.ConnectionError, requests.request, method,
                self.url + '/v2.0/extensions', data=b'x', timeout=5,
                headers={'X-OpenStack-Request-ID': 'req-mine'})
        self.assertEqual([], self.bodies)
        self.assertEqual(201, requests.get(
            self.url + '/v2.0/extensions', timeout=5,
            headers={'X-OpenStack-Request-ID': 'req-other'}).status_code)
        self.assertEqual(201, self.post(b'x').status_code)
        self.assertIsNone(fault.remaining())
