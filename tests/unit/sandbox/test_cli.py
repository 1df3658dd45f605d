"""Unit tests of geo-heat-sandbox's command line."""

import contextlib
import io
import unittest

from geo_heat_sandbox import cli
from geo_heat_sandbox import topology


class HelpTest(unittest.TestCase):

    def test_help_lists_every_service(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), self.assertRaises(SystemExit):
            cli.main(['--help'])
        text = out.getvalue()
        for name in topology.SERVICES:
            self.assertIn(name, text)
        for title in ('Keystone', 'Neutron', 'Heat', 'Barbican', 'Nova',
                      'Placement', 'Glance'):
            self.assertIn(title, text)
