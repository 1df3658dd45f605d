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

"""Unit tests of the service table: every service has a family that can
configure, load and warm it up."""

import unittest
from unittest import mock

from geo_heat_sandbox import bootstrap
from geo_heat_sandbox import services
from geo_heat_sandbox import topology


class ServiceTableTest(unittest.TestCase):

    def test_every_service_has_its_family(self):
        for name in topology.SERVICES:
            spec = services.of(name)
            self.assertIn(name, topology.services_of(spec.name))
            for step in (spec.configure, spec.load, spec.warm_up):
                self.assertTrue(callable(step), (name, step))

    def test_bootstrap_steps(self):
        steps = bootstrap.steps()
        self.assertIn('keystone-a', steps)
        self.assertIn('keystone-b', steps)
        for family in ('neutron', 'heat', 'placement', 'glance', 'nova'):
            self.assertIn(family + '-schema', steps)
        self.assertNotIn('barbican-schema', steps)

    def test_nova_databases_are_copies_of_two_snapshots(self):
        lay = mock.Mock()
        lay.sqlite = lambda name: name + '.sqlite'
        self.assertEqual(
            [('nova-api', 'nova-r1-api.sqlite'), ('nova', 'nova-r1.sqlite'),
             ('nova', 'nova-r1-cell1.sqlite'),
             ('nova', 'nova-r1-cell2.sqlite')],
            services.of('nova-r1').databases_of(lay, 'nova-r1'))
        self.assertEqual([('glance', 'glance-b.sqlite')],
                         services.of('glance-b').databases_of(lay,
                                                              'glance-b'))
