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

"""The sandbox's watcher is one of its processes: status finds it by its
PID file and command line, down stops it (no service is started)."""

import os
import socket
import subprocess
import sys
import tempfile
import time

import testtools

from geo_heat_sandbox import layout
from geo_heat_sandbox import manager


def _cmdline(pid):
    with open('/proc/%d/cmdline' % pid, 'rb') as f:
        return f.read()


def sleeper(test, pid_file, module, *args):
    """A process that only sleeps, with the command line of `module` (and
    its args) and its PID in `pid_file`; killed at cleanup."""
    proc = subprocess.Popen(
        [sys.executable, '-c', 'import time; time.sleep(60)', '-m', module,
         *args])
    test.addCleanup(proc.wait)
    test.addCleanup(proc.kill)
    with open(pid_file, 'w') as f:
        f.write('%d\n' % proc.pid)
    # Until the child has exec'd, its command line is still ours.
    deadline = time.monotonic() + 10
    while module.encode() not in _cmdline(proc.pid):
        test.assertLess(time.monotonic(), deadline)
        time.sleep(0.01)
    return proc


class WatcherProcessTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.lay = layout.Layout(os.path.join(tmp.name, 'state'))
        self.lay.ensure_dirs()

    def process(self, clouds_yaml):
        """A process with a watcher's command line that only sleeps."""
        return sleeper(self, self.lay.pid_file(manager.WATCHER),
                       manager.WATCHER_MODULE, '--clouds-file', clouds_yaml)

    def test_down_stops_the_watcher_of_its_state_dir(self):
        proc = self.process(self.lay.clouds_yaml)
        self.assertEqual(proc.pid,
                         manager.status(self.lay.root)['watcher']['pid'])
        self.assertEqual([manager.WATCHER], manager.down(self.lay.root))
        self.assertEqual(-15, proc.wait(timeout=10))
        self.assertFalse(manager.status(self.lay.root)['watcher']['running'])

    def test_another_state_dirs_watcher_is_not_its(self):
        proc = self.process('/elsewhere/clouds.yaml')
        self.assertFalse(manager.status(self.lay.root)['watcher']['running'])
        self.assertEqual([], manager.down(self.lay.root))
        self.assertIsNone(proc.poll())


class EngineWorkerTest(testtools.TestCase):
    """A Heat's engine worker of the production profile may outlive its
    API's process (killed by a test): stopping the Heat stops it too."""

    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.lay = layout.Layout(os.path.join(tmp.name, 'state'))
        self.lay.ensure_dirs()
        # heat-r1's port on one nothing listens on: stop waits for it.
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            free = probe.getsockname()[1]
        self.lay.write_state(profile='production', port_base=free - (
            self.lay.port('heat-r1') - self.lay.port_base))

    def worker(self):
        """A process with a service's command line that only sleeps, as
        heat-r1's second engine worker."""
        return sleeper(self, self.lay.pid_file('heat-r1-engine-2'),
                       manager.RUNNER, self.lay.root)

    def test_status_lists_it(self):
        proc = self.worker()
        self.assertEqual(proc.pid, manager.status(self.lay.root)[
            'extras']['heat-r1-engine-2']['pid'])

    def test_stopping_its_heat_stops_it_after_its_api_died(self):
        proc = self.worker()
        manager.stop_service('heat-r1', self.lay.root)
        self.assertEqual(-15, proc.wait(timeout=10))
        self.assertFalse(os.path.exists(
            self.lay.pid_file('heat-r1-engine-2')))

    def test_other_services_have_none(self):
        self.assertEqual([], manager.engine_workers(self.lay, 'neutron-r1'))
        self.assertEqual(['heat-b-engine-2'],
                         manager.engine_workers(self.lay, 'heat-b'))
