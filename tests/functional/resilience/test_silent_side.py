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

"""R1: a remote side that accepts connections and never answers (a WAN
dropping packets, not a refused port) fails the create within the
operator's call timeout, naming the side, and leaves nothing behind."""

import socket
import threading
import time

from oslo_config import cfg

from geo_heat import conf
from geo_heat_sandbox import layout
from geo_heat_sandbox import topology
from tests.functional import base

# The sandbox's Heats keep geo-heat's default.
CALL_TIMEOUT = cfg.CONF[conf.GROUP].call_timeout


class SilentListener:
    """Accepts on a port and never answers, until closed."""

    def __init__(self, port):
        self.server = socket.create_server((layout.HOST, port))
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.server.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.server.close()
        for conn in self.held:
            conn.close()


class SilentSideTest(base.FunctionalTestCase):

    def test_create_fails_within_the_call_timeout(self):
        listener = SilentListener(
            layout.Layout(self.state_dir).silent_port)
        self.addCleanup(listener.close)
        start = time.monotonic()
        stack = self.create_stack(base.two_sites(
            {'cloud': topology.SILENT_CLOUD}, 'vlan', '150:159'),
            expect='FAILED')
        elapsed = time.monotonic() - start
        self.assertIn('(cloud %s, region RegionOne) is unreachable'
                      % topology.SILENT_CLOUD, stack.status_reason)
        self.assertIn('timed out', stack.status_reason)
        # Ended by the timeout: not at once, and not hanging for ever.
        self.assertGreaterEqual(elapsed, CALL_TIMEOUT)
        self.assertLess(elapsed, 3 * CALL_TIMEOUT)
        self.assertNotEqual([], listener.held)
