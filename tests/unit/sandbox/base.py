"""A state dir with every generated file written, nothing started."""

import configparser
import os
import tempfile
import unittest
from unittest import mock

from geo_heat_sandbox import layout
from geo_heat_sandbox import services
from geo_heat_sandbox.services import heat


class ConfiguredTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.lay = layout.Layout(os.path.join(self.tmp.name, 'state'))
        self.lay.ensure_dirs()
        self.sec = self.lay.load_secrets(create=True)
        with mock.patch.object(heat, 'plugin_dirs',
                               return_value=['/p1', '/p2']):
            services.write_configs(self.lay, self.sec)

    def ini(self, path):
        """A generated INI file (`path` or a service's .conf)."""
        if not os.path.isabs(path):
            path = self.lay.conf(path)
        cp = configparser.RawConfigParser(strict=False)
        self.assertEqual([path], cp.read(path))
        return cp
