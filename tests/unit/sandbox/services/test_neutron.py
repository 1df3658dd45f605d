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

"""Unit tests of the sandbox's Neutron configuration."""

from tests.unit.sandbox import base


class NeutronConfTest(base.ConfiguredTest):

    def test_ranges(self):
        r1 = self.ini('neutron-r1')
        self.assertEqual('physnet1:100:199,physnet-cell1:100:199,'
                         'physnet-cell2:100:199',
                         r1.get('ml2_type_vlan', 'network_vlan_ranges'))
        self.assertEqual('*', r1.get('ml2_type_flat', 'flat_networks'))
        self.assertEqual('router,segments,bgpvpn,vpnaas',
                         r1.get('DEFAULT', 'service_plugins'))
        for name in ('neutron-r2', 'neutron-b'):
            cp = self.ini(name)
            self.assertEqual('physnet1:100:199',
                             cp.get('ml2_type_vlan', 'network_vlan_ranges'))
            self.assertEqual('1000:1999', cp.get('ml2_type_vxlan',
                                                 'vni_ranges'))
            self.assertEqual('1:999', cp.get('ml2_type_gre',
                                             'tunnel_id_ranges'))
            self.assertEqual('2000:2999', cp.get('ml2_type_geneve',
                                                 'vni_ranges'))

    def test_binds_with_the_sandbox_driver(self):
        cp = self.ini('neutron-r1')
        self.assertEqual('sandbox', cp.get('ml2', 'mechanism_drivers'))
        self.assertEqual(
            'nova-r1-cell1:physnet1 physnet-cell1,'
            'nova-r1-cell2:physnet1 physnet-cell2',
            cp.get('ml2_sandbox', 'host_physnets'))
        cp = self.ini('neutron-b')
        self.assertEqual('nova-b-cell1:physnet1',
                         cp.get('ml2_sandbox', 'host_physnets'))

    def test_vpn_driver_is_the_sandbox_one(self):
        providers = self.ini('neutron-r2').get('service_providers',
                                               'service_provider')
        self.assertIn('VPN:sandbox:geo_heat_sandbox.drivers.vpn.'
                      'SandboxIPsecVPNDriver:default', providers)

    def test_paste_pipeline_shipped(self):
        paste = self.ini('neutron-r1').get('DEFAULT', 'api_paste_config')
        self.assertIn('composite:neutronapi_v2_0',
                      self.ini(paste).sections())
