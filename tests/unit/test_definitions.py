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

import testtools

from geo_heat import definitions


class DefinitionsTest(testtools.TestCase):

    def test_segmentation_id_range_per_technology(self):
        self.assertIsNone(definitions.validate_segmentation_id('vlan', 4094))
        self.assertIn('outside the vlan range',
                      definitions.validate_segmentation_id('vlan', 4095))
        self.assertIsNone(
            definitions.validate_segmentation_id('vxlan', 2 ** 24 - 1))
        self.assertIn('outside', definitions.validate_segmentation_id(
            'geneve', 2 ** 24))
        self.assertIsNone(
            definitions.validate_segmentation_id('gre', 2 ** 32 - 1))
        self.assertIn('flat link has no segmentation ID',
                      definitions.validate_segmentation_id('flat', 5))

    def test_segmentation_range(self):
        self.assertEqual((100, 199),
                         definitions.parse_segmentation_range('100:199'))
        for bad in ('100', '1:2:3', 'a:b', '9:1'):
            self.assertRaises(ValueError,
                              definitions.parse_segmentation_range, bad)
        self.assertIn('outside', definitions.validate_segmentation_range(
            'vlan', '4000:5000'))
        self.assertIsNone(
            definitions.validate_segmentation_range('vxlan', '1000:1999'))

    def test_range_the_operator_declared(self):
        self.assertIsNone(definitions.validate_segmentation_id(
            'vlan', 150, declared=(100, 199)))
        self.assertEqual(
            '200 is outside the vlan range 100:199 the operator declared '
            'between these sites',
            definitions.validate_segmentation_id('vlan', 200, (100, 199)))
        self.assertIsNone(definitions.validate_segmentation_range(
            'vlan', '120:130', declared=(100, 199)))
        self.assertIn('"150:250" is outside the vlan range 100:199 the '
                      'operator declared',
                      definitions.validate_segmentation_range(
                          'vlan', '150:250', (100, 199)))

    def test_cidr(self):
        self.assertIsNone(definitions.validate_cidr('10.0.0.0/24'))
        self.assertIn('not a valid CIDR',
                      definitions.validate_cidr('10.0.0.300/24'))
        self.assertIn('host bits', definitions.validate_cidr('10.0.0.1/24'))
        self.assertIn('too small', definitions.validate_cidr('10.0.0.0/31'))
        self.assertIsNone(definitions.validate_cidr('fd00::/64'))

    def test_mtu(self):
        self.assertIsNone(definitions.validate_mtu(1500))
        self.assertIn('outside', definitions.validate_mtu(67))
        self.assertIn('outside', definitions.validate_mtu(9217))
        self.assertIsNone(definitions.validate_mtu(1400, cap=1400))
        self.assertEqual('1500 is above 1400, the MTU the operator\'s '
                         'interconnect carries between these sites',
                         definitions.validate_mtu(1500, cap=1400))

    def test_technology(self):
        self.assertIsNone(definitions.validate_technology('geneve'))
        self.assertIn('not a supported technology',
                      definitions.validate_technology('mpls'))

    def test_tags_fit_neutron(self):
        self.assertLessEqual(len(definitions.link_tag('x' * 36)), 255)

    def test_capable_technologies(self):
        self.assertEqual(
            ['vlan', 'vxlan', 'gre', 'geneve', 'flat', 'bgpvpn', 'ipsec'],
            definitions.capable_technologies(
                {'provider', 'bgpvpn', 'vpnaas'}))
        self.assertEqual(['ipsec'], definitions.capable_technologies(
            {'vpnaas'}))
        self.assertEqual([], definitions.capable_technologies(set()))

    def test_stitched_links_have_no_segmentation_id(self):
        self.assertIn('a bgpvpn link has no segmentation ID',
                      definitions.validate_segmentation_id('bgpvpn', 5))
        self.assertIn('an ipsec link has no segmentation ID',
                      definitions.validate_segmentation_range('ipsec', '1:2'))

    def test_auto_takes_the_first_preferred_both_sides_can_have(self):
        both = {'bgpvpn', 'ipsec', 'vlan'}
        self.assertEqual('bgpvpn', definitions.choose_technology(
            ('bgpvpn', 'ipsec'), [both, both]))
        self.assertEqual('ipsec', definitions.choose_technology(
            ('bgpvpn', 'ipsec'), [both, {'ipsec'}]))
        self.assertEqual('ipsec', definitions.choose_technology(
            ('bgpvpn', 'ipsec'), [both, both], declared=('vlan', 'ipsec')))
        self.assertIsNone(definitions.choose_technology(
            ('bgpvpn', 'ipsec'), [both, {'vlan'}]))

    def test_route_targets(self):
        self.assertEqual('64512:10', definitions.route_target(64512, 10))
        self.assertEqual(10, definitions.route_target_number(64512,
                                                             '64512:10'))
        self.assertIsNone(definitions.route_target_number(64512, '65000:10'))
        self.assertIsNone(definitions.route_target_number(64512,
                                                          '1.2.3.4:10'))
        self.assertIsNone(definitions.validate_route_target_range(
            64512, 0, 2 ** 32 - 1))
        self.assertIn('outside 0:65535',
                      definitions.validate_route_target_range(
                          4200000000, 1, 70000))

    def test_routed_link_cidr_halves(self):
        self.assertEqual(['10.0.0.0/25', '10.0.0.128/25'],
                         definitions.half_cidrs('10.0.0.0/24'))
        self.assertIsNone(definitions.validate_cidr('10.0.0.0/29', halves=2))
        self.assertIn('too small',
                      definitions.validate_cidr('10.0.0.0/30', halves=2))
