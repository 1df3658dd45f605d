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

import fixtures
import testtools

from geo_heat.link import errors
from geo_heat.link import site
from geo_heat.link import underlay

ONE = site.Placement(region_name='RegionOne', physical_network='physnet1')
TWO = site.Placement(region_name='RegionTwo', physical_network='physnet1')
HERE = site.Placement(physical_network='physnet1')
CELL1 = site.Placement(cell='cell1', physical_network='physnet-cell1')
CELL2 = site.Placement(cell='cell2', physical_network='physnet-cell2')
CLOUD_B = site.Placement(cloud='cloud-b', physical_network='physnet1')
CLOUD_B_ONE = site.Placement(cloud='cloud-b', region_name='RegionOne',
                             physical_network='physnet1')
SECRET = site.Placement(credential_secret_id='https://kms/secrets/s3cr3t',
                        region_name='RegionOne', physical_network='physnet1')


def carriage(items, technology, local, remote, local_region='RegionOne',
             mtu_cap=None):
    return underlay.carriage(underlay.parse_declarations(items), technology,
                             local, remote, local_region, mtu_cap=mtu_cap)


class ParseTest(testtools.TestCase):

    def test_item_forms(self):
        self.assertEqual(
            underlay.Declaration(('region:RegionOne', 'region:RegionTwo'),
                                 'vlan', (100, 199), 1500),
            underlay.parse_declaration(
                'region:RegionOne|region:RegionTwo|vlan:100:199|mtu=1500'))
        self.assertEqual(
            underlay.Declaration(('cloud:cloud-b/RegionOne', '*'), 'flat'),
            underlay.parse_declaration(' cloud:cloud-b/RegionOne | * | flat '))
        self.assertEqual(
            underlay.Declaration(('cell:cell_1', 'cloud:cloud.b'), 'vxlan'),
            underlay.parse_declaration('cell:cell_1|cloud:cloud.b|vxlan'))

    def test_bad_items_name_the_item(self):
        for item, fault in (
                ('region:RegionOne|vlan', 'not of the form'),
                ('a|b|c|d|e|f', 'not of the form'),
                ('RegionOne|region:RegionTwo|vlan', 'site "RegionOne"'),
                ('region:|region:RegionTwo|vlan', 'site "region:"'),
                ('zone:z1|region:RegionTwo|vlan', 'site "zone:z1"'),
                ('region:A B|region:RegionTwo|vlan', 'site "region:A B"'),
                ('region:A|region:B|mpls', 'not a supported technology'),
                ('region:A|region:B|vlan:100', 'min:max'),
                ('region:A|region:B|vlan:0:10', 'outside the vlan range'),
                ('region:A|region:B|flat:1:10', 'flat link has no'),
                ('region:A|region:B|vlan|mtu=big', 'mtu=MTU'),
                ('region:A|region:B|vlan|size=1500', 'mtu=MTU'),
                ('region:A|region:B|vlan|mtu=20', 'mtu 20 is outside')):
            exc = self.assertRaises(ValueError, underlay.parse_declaration,
                                    item)
            self.assertIn('interconnects item "%s"' % item, str(exc))
            self.assertIn(fault, str(exc))

    def test_second_item_for_a_link_is_a_fault(self):
        exc = self.assertRaises(
            ValueError, underlay.parse_declarations,
            ['region:A|region:B|vlan:100:199',
             'region:B|region:A|vlan:200:299'])
        self.assertIn('"region:B|region:A|vlan:200:299": a vlan link between '
                      'these sites is already declared', str(exc))
        self.assertEqual(2, len(underlay.parse_declarations(
            ['region:A|region:B|vlan', 'region:A|region:B|vxlan'])))


class ConfiguredTest(testtools.TestCase):

    def test_bad_item_is_logged_once_and_refuses_every_link(self):
        log = self.useFixture(fixtures.FakeLogger())
        items = ['region:RegionOne|region:RegionTwo|vlan',
                 'region:RegionOne|cloud:secret-cloud|vlan:1:5000']
        for _ in range(3):
            exc = self.assertRaises(errors.UndeclaredLink,
                                    underlay.configured, items)
            self.assertIn('[geo_heat] interconnects has a bad item',
                          str(exc))
            self.assertNotIn('secret-cloud', str(exc))
        self.assertEqual(1, log.output.count('interconnects item'))
        self.assertIn('region:RegionOne|cloud:secret-cloud|vlan:1:5000',
                      log.output)

    def test_no_items_log_nothing(self):
        log = self.useFixture(fixtures.FakeLogger())
        self.assertEqual((), underlay.configured([]))
        self.assertEqual('', log.output)


class SiteNamesTest(testtools.TestCase):

    def test_names(self):
        self.assertEqual(('region:RegionTwo',),
                         underlay.site_names(TWO, 'RegionOne'))
        self.assertEqual(('region:RegionOne',),
                         underlay.site_names(HERE, 'RegionOne'))
        self.assertEqual((), underlay.site_names(HERE, None))
        self.assertEqual(('cell:cell1',),
                         underlay.site_names(CELL1, 'RegionOne'))
        self.assertEqual(('cloud:cloud-b',),
                         underlay.site_names(CLOUD_B, 'RegionOne'))
        self.assertEqual(('cloud:cloud-b/RegionOne', 'cloud:cloud-b'),
                         underlay.site_names(CLOUD_B_ONE, 'RegionOne'))
        self.assertEqual((), underlay.site_names(SECRET, 'RegionOne'))


class CarriageTest(testtools.TestCase):

    SANDBOX = [
        'region:RegionOne|region:RegionTwo|vlan:100:199|mtu=1500',
        'region:RegionOne|cloud:cloud-b|vlan:100:199',
        'cell:cell1|cell:cell2|vlan:100:199',
        'region:RegionOne|region:RegionTwo|vxlan:1000:1999|mtu=1450',
    ]

    def test_no_items_allow_every_link_with_the_global_cap(self):
        self.assertEqual(underlay.Carriage(None, 1400),
                         carriage([], 'gre', SECRET, CELL1, mtu_cap=1400))
        self.assertEqual(underlay.Carriage(),
                         carriage([], 'vlan', ONE, TWO))

    def test_declared_pair_either_way_round(self):
        for local, remote in ((ONE, TWO), (TWO, ONE)):
            self.assertEqual(underlay.Carriage((100, 199), 1500),
                             carriage(self.SANDBOX, 'vlan', local, remote))

    def test_endpoint_without_region_is_in_the_stack_region(self):
        self.assertEqual((1000, 1999), carriage(
            self.SANDBOX, 'vxlan', HERE, TWO).segmentation_range)
        self.assertRaises(errors.UndeclaredLink, carriage, self.SANDBOX,
                          'vxlan', HERE, TWO, local_region='RegionThree')

    def test_item_mtu_wins_over_the_global_cap(self):
        self.assertEqual(1500, carriage(self.SANDBOX, 'vlan', ONE, TWO,
                                        mtu_cap=1400).mtu_cap)
        self.assertEqual(1400, carriage(self.SANDBOX, 'vlan', ONE, CLOUD_B,
                                        mtu_cap=1400).mtu_cap)

    def test_cells_answer_to_their_cell_only(self):
        self.assertEqual((100, 199), carriage(
            self.SANDBOX, 'vlan', CELL1, CELL2).segmentation_range)
        exc = self.assertRaises(errors.UndeclaredLink, carriage,
                                self.SANDBOX, 'vlan', CELL1, TWO)
        self.assertEqual('the operator did not declare a vlan link possible '
                         'between cell:cell1 and region:RegionTwo', str(exc))

    def test_named_cloud_with_and_without_region(self):
        items = ['region:RegionOne|cloud:cloud-b/RegionOne|vlan:100:149',
                 'region:RegionTwo|cloud:cloud-b|vlan:150:199']
        self.assertEqual((100, 149), carriage(
            items, 'vlan', ONE, CLOUD_B_ONE).segmentation_range)
        self.assertEqual((150, 199), carriage(
            items, 'vlan', TWO, CLOUD_B_ONE).segmentation_range)
        self.assertEqual((150, 199), carriage(
            items, 'vlan', TWO, CLOUD_B).segmentation_range)
        # cloud:CLOUD/REGION answers only to an endpoint naming the region.
        self.assertRaises(errors.UndeclaredLink, carriage, items, 'vlan',
                          ONE, CLOUD_B)

    def test_wildcard_and_first_match(self):
        items = ['region:RegionOne|region:RegionTwo|vlan:100:199',
                 'region:RegionOne|*|vlan:300:399']
        self.assertEqual((100, 199), carriage(
            items, 'vlan', TWO, ONE).segmentation_range)
        for other in (SECRET, CLOUD_B, CELL1):
            self.assertEqual((300, 399), carriage(
                items, 'vlan', ONE, other).segmentation_range)
        self.assertRaises(errors.UndeclaredLink, carriage, items, 'vlan',
                          TWO, SECRET)
        self.assertEqual(underlay.Carriage(), carriage(
            ['*|*|geneve'], 'geneve', SECRET, CELL2))

    def test_refusal_names_the_sites_never_a_secret_or_other_clouds(self):
        exc = self.assertRaises(errors.UndeclaredLink, carriage,
                                self.SANDBOX, 'gre', ONE, SECRET)
        self.assertEqual('the operator did not declare a gre link possible '
                         'between region:RegionOne and a cloud reached '
                         'through a Barbican secret', str(exc))
        self.assertEqual((), exc.declared_technologies)

    def test_refusal_tells_what_the_sites_are_declared_for(self):
        exc = self.assertRaises(errors.UndeclaredLink, carriage,
                                self.SANDBOX, 'geneve', TWO, ONE)
        self.assertIn('geneve link possible between region:RegionTwo and '
                      'region:RegionOne; declared there: vlan, vxlan',
                      str(exc))
        self.assertEqual(('vlan', 'vxlan'), exc.declared_technologies)
        self.assertNotIn('cloud-b', str(exc))


class PhysicalNetworksTest(testtools.TestCase):

    def test_per_site_and_shared(self):
        self.assertEqual(
            (frozenset({'a', 'b'}), frozenset({'c'})),
            underlay.parse_declaration(
                'region:A|region:B|vlan:1:9|physnet=a,b/c|mtu=1500'
            ).physical_networks)
        self.assertEqual(
            (frozenset({'a'}), frozenset({'a'})),
            underlay.parse_declaration(
                'region:A|region:B|flat|physnet=a').physical_networks)

    def test_bad_physnets(self):
        for item, fault in (
                ('region:A|region:B|vxlan|physnet=a', 'uses no physical'),
                ('region:A|region:B|vlan|physnet=a/b/c', 'physnet=PHYSNET'),
                ('region:A|region:B|vlan|physnet=a b', 'physnet=PHYSNET'),
                ('region:A|region:B|vlan|physnet=', 'physnet=PHYSNET'),
                ('region:A|region:B|vlan|mtu=1500|mtu=1400', 'mtu=MTU')):
            exc = self.assertRaises(ValueError, underlay.parse_declaration,
                                    item)
            self.assertIn(fault, str(exc))
