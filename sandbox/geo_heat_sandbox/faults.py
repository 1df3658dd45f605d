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

"""Faults a test injects into one service, for its own requests only.

A test arms a fault by writing a small JSON file into
``<state>/faults/<service>/``; every service checks its directory at each
request. A fault matches a method (None: any), a regular expression
searched in the path and, optionally, a substring of the request body (the
test's own stack or port name) and a global request ID (the
X-OpenStack-Request-ID header: the test's own, which geo-heat passes on to
every site it calls for the test's stacks), so tests running in parallel
are not affected and the test need not take the sandbox to itself. Its
action:

``drop_response``
    the service processes the request, then closes the connection without
    answering: the request took effect, and the client never learns it (a
    WAN that lost the answer).
``hang``
    the service never answers (a blackholed site), until the fault is
    disarmed; the request does not reach the service.
``refuse``
    the service answers 409 Conflict at once, without processing the
    request: a site that is there and says no.
``close``
    the service closes the connection at once, without processing or
    answering the request: a site that is gone. The client gets no answer
    (keystoneauth's ConnectFailure, as for a stopped service's refused
    connection), at once rather than after a timeout.

``count`` is how many requests it takes (none: every matching request
until it is disarmed). A spent fault stays, with ``count`` 0, until the
test disarms it, so that the test can tell it fired.
"""

import io
import json
import os
import re
import socket
import sys
import threading
import time
import uuid

DROP_RESPONSE, HANG, REFUSE, CLOSE = ('drop_response', 'hang', 'refuse',
                                      'close')
ACTIONS = (DROP_RESPONSE, HANG, REFUSE, CLOSE)
# What a refused request is answered.
REFUSAL = {'code': 409, 'title': 'Conflict',
           'explanation': 'Refused by a fault the test injected.'}
# How often a hung request looks whether its fault was disarmed.
HANG_POLL = 0.2


def directory(state_dir, service):
    return os.path.join(state_dir, 'faults', service)


class Fault:
    """An armed fault of one service, as the test holds it."""

    def __init__(self, path):
        self.path = path

    def remaining(self):
        """Requests it will still take (None: every one), or 0 once
        spent or disarmed."""
        try:
            with open(self.path) as f:
                return json.load(f).get('count')
        except FileNotFoundError:
            return 0

    def disarm(self):
        """Let it take no more requests, and release the hung ones."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def arm(state_dir, service, method, path, action=DROP_RESPONSE,
        contains=None, count=1, request_id=None):
    """Arm a fault of `service` (e.g. 'heat-r2'); the Fault to disarm."""
    if action not in ACTIONS:
        raise ValueError('unknown fault action %r' % action)
    re.compile(path)
    folder = directory(state_dir, service)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fault = Fault(os.path.join(folder, uuid.uuid4().hex + '.json'))
    _write(fault.path, {'method': method, 'path': path, 'action': action,
                        'contains': contains, 'count': count,
                        'request_id': request_id})
    return fault


def _write(path, spec):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(spec, f)
    os.replace(tmp, path)


class _Dropped(ConnectionAbortedError):
    """Ends a request whose connection a fault closed (the WSGI server
    takes it for a client gone)."""


class Faults:
    """WSGI middleware: the armed faults of one service."""

    def __init__(self, app, folder, name):
        self.app = app
        self.folder = folder
        self.name = name
        self.lock = threading.Lock()

    def _armed(self):
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return []
        return [os.path.join(self.folder, n) for n in names
                if n.endswith('.json')]

    def _take(self, environ):
        """The action and file of the first fault matching the request (its
        count taken), or (None, None)."""
        armed = self._armed()
        if not armed:
            return None, None
        method = environ.get('REQUEST_METHOD')
        path = environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')
        request_id = environ.get('HTTP_X_OPENSTACK_REQUEST_ID')
        body = None
        with self.lock:
            for fault_path in armed:
                try:
                    with open(fault_path) as f:
                        spec = json.load(f)
                except (FileNotFoundError, ValueError):
                    continue
                if (spec['method'] not in (None, method) or
                        spec.get('count') == 0 or
                        spec.get('request_id') not in (None, request_id) or
                        not re.search(spec['path'], path)):
                    continue
                if spec.get('contains'):
                    if body is None:
                        body = _read_body(environ)
                    if spec['contains'].encode() not in body:
                        continue
                if spec.get('count') is not None:
                    spec['count'] -= 1
                    _write(fault_path, spec)
                sys.stderr.write('%s: fault %s: %s %s\n' % (
                    self.name, spec['action'], method, path))
                return spec['action'], fault_path
        return None, None

    def __call__(self, environ, start_response):
        action, fault_path = self._take(environ)
        if action == HANG:
            # Read, so that the server finds no rest of it to answer.
            _read_body(environ)
            while os.path.exists(fault_path):
                time.sleep(HANG_POLL)
        elif action == CLOSE:
            _read_body(environ)
        elif action == REFUSE:
            _read_body(environ)
            body = json.dumps({'error': REFUSAL}).encode()
            start_response('409 Conflict', [
                ('Content-Type', 'application/json'),
                ('Content-Length', str(len(body)))])
            return [body]
        elif action == DROP_RESPONSE:
            result = self.app(environ, lambda *args: lambda data: None)
            try:
                for _ in result:
                    pass
            finally:
                if hasattr(result, 'close'):
                    result.close()
        else:
            return self.app(environ, start_response)
        _close(environ)
        raise _Dropped('%s: fault %s' % (self.name, action))


def _read_body(environ):
    """The request body, put back for the application to read."""
    stream = environ['wsgi.input']
    length = environ.get('CONTENT_LENGTH')
    if length:
        body = stream.read(int(length))
    elif environ.get('wsgi.input_terminated'):
        body = stream.read()
    else:
        body = b''
    environ['wsgi.input'] = io.BytesIO(body)
    return body


def _close(environ):
    """Close the client's connection without a word."""
    sock = environ.get('werkzeug.socket')
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
