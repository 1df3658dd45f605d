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

"""Unit tests of the state dir's layout: paths, ports, secrets."""

import os
import stat
import tempfile
import unittest
from unittest import mock

from geo_heat_sandbox import layout
from geo_heat_sandbox import manager
from geo_heat_sandbox import topology


class LayoutTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.lay = layout.Layout(os.path.join(self.tmp.name, 'state'))
        self.lay.ensure_dirs()

    def test_default_state_dir_from_env(self):
        with mock.patch.dict(os.environ, {layout.ENV_DIR: '/x/y'}):
            self.assertEqual('/x/y', layout.default_state_dir())
        with mock.patch.dict(os.environ, {}, clear=True):
            os.environ['HOME'] = '/home/u'
            self.assertEqual('/home/u/.local/state/geo-heat-sandbox',
                             layout.default_state_dir())

    def test_ports_block_and_override(self):
        with mock.patch.dict(os.environ, {layout.ENV_PORT_BASE: '36000'}):
            lay = layout.Layout(self.lay.root)
            self.assertEqual(36000, lay.port('keystone-a'))
            self.assertEqual(36007, lay.port('barbican'))
            ports = [lay.port(n) for n in topology.SERVICES]
            self.assertEqual(len(ports), len(set(ports)))
            lay.write_state(port_base=36000)
        # the state dir remembers its port base
        with mock.patch.dict(os.environ, {layout.ENV_PORT_BASE: '37000'}):
            self.assertEqual(36000, layout.Layout(self.lay.root).port_base)

    def test_secrets_random_private_and_stable(self):
        sec = self.lay.load_secrets(create=True)
        self.assertEqual(set(layout.SECRET_NAMES), set(sec))
        self.assertEqual(len(set(sec.values())), len(sec))
        mode = stat.S_IMODE(os.stat(self.lay.secrets_file).st_mode)
        self.assertEqual(0o600, mode)
        self.assertEqual(sec, self.lay.load_secrets(create=True))
        other = layout.Layout(os.path.join(self.tmp.name, 'other'))
        other.ensure_dirs()
        self.assertNotEqual(sec['admin_a'],
                            other.load_secrets(create=True)['admin_a'])

    def test_memory_of_a_process(self):
        memory = manager._memory_kb(os.getpid())
        self.assertGreater(memory['pss_kb'], 0)
        self.assertGreaterEqual(memory['rss_kb'], memory['pss_kb'])
        self.assertEqual({'rss_kb': 0, 'pss_kb': 0},
                         manager._memory_kb(2 ** 22 + 12345))

    def test_ours_rejects_foreign_pid(self):
        self.assertFalse(manager._ours(self.lay, os.getpid()))
        self.assertFalse(manager._ours(self.lay, 2 ** 22 + 12345))


if __name__ == '__main__':
    unittest.main()
