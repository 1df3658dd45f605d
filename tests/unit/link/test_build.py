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

import types

import testtools

from geo_heat import definitions
from geo_heat.link import bgpvpn
from geo_heat.link import build
from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import provider
from geo_heat.link import site

PLACEMENTS = {
    site.LOCAL: site.Placement(region_name='RegionOne',
                               physical_network='physnet1'),
    site.REMOTE: site.Placement(region_name='RegionTwo',
                                physical_network='physnet1'),
}


def options(**overrides):
    """[geo_heat] as the link core reads it, with the defaults."""
    values = dict(
        interconnects=[], link_mtu_cap=None,
        auto_preference=list(definitions.DEFAULT_AUTO_PREFERENCE),
        segmentation_ranges={}, cidr_pool=['10.250.0.0/16'],
        subnet_prefix_length=24, allocation_attempts=10,
        route_target_asn=64512, route_target_range='10000:19999',
        ipsec_encryption_algorithms=['aes-256', 'aes-128'],
        ipsec_auth_algorithms=['sha256'], ipsec_pfs_groups=['group14'],
        ipsec_external_network='public')
    values.update(overrides)
    return types.SimpleNamespace(**values)


def spec(technology, capable=None, opts=None, **request):
    """The spec an admin's request gets (a tenant's is bounded by what the
    operator declared: TenancyTest)."""
    request.setdefault('is_admin', True)
    return build.build_spec(
        build.Request(technology=technology, name='link', **request),
        PLACEMENTS, opts or options(), link_id='link-id', stack_id='stack',
        local_region='RegionOne', capable=capable)


class LinkClassTest(testtools.TestCase):

    def test_every_technology_has_a_link_class(self):
        self.assertEqual(set(definitions.TECHNOLOGIES),
                         set(build.LINK_CLASSES))

    def test_the_table_picks_the_class_and_only_ipsec_gets_the_key(self):
        sides = [site.Site(role, placement, None)
                 for role, placement in sorted(PLACEMENTS.items())]
        for technology, cls in ((definitions.VXLAN,
                                 provider.ProviderNetworkLink),
                                (definitions.BGPVPN, bgpvpn.BgpVpnLink)):
            self.assertIs(cls, type(build.link(
                spec(technology), *sides)))
        link = build.link(spec(definitions.IPSEC), *sides, psk='key')
        self.assertIsInstance(link, ipsec.IpsecLink)
        self.assertEqual('key', link._psk)


class BuildSpecTest(testtools.TestCase):

    def test_the_templates_values_and_the_operators_pool(self):
        built = spec(definitions.VLAN, segmentation_id=100,
                     cidr='10.9.0.0/24', mtu=1400)
        self.assertEqual(
            ('link-id', 'stack', 'link', 'vlan', 100, '10.9.0.0/24', 1400,
             ('10.250.0.0/16',), 24),
            (built.link_id, built.stack_id, built.name, built.technology,
             built.segmentation_id, built.cidr, built.mtu, built.cidr_pool,
             built.prefix_length))

    def test_segmentation_range_template_then_declared_then_default(self):
        declared = options(
            interconnects=['region:RegionOne|region:RegionTwo|vlan:100:199'],
            segmentation_ranges={'vlan': '300:399'})
        self.assertEqual((150, 160), spec(
            definitions.VLAN, opts=declared,
            segmentation_range='150:160').segmentation_range)
        self.assertEqual((100, 199), spec(
            definitions.VLAN, opts=declared).segmentation_range)
        self.assertEqual((300, 399), spec(definitions.VLAN, opts=options(
            segmentation_ranges={'vlan': '300:399'})).segmentation_range)
        self.assertIsNone(spec(definitions.VLAN).segmentation_range)

    def test_an_undeclared_link_is_refused(self):
        declared = options(
            interconnects=['region:RegionOne|region:RegionTwo|vlan'])
        self.assertRaises(errors.UndeclaredLink, spec, definitions.VXLAN,
                          opts=declared, is_admin=False)
        # An admin could build the provider network itself.
        self.assertEqual(definitions.VXLAN, spec(
            definitions.VXLAN, opts=declared).technology)

    def test_stitched_fields_come_from_their_link_class(self):
        built = spec(definitions.BGPVPN, bgpvpn_type=definitions.BGPVPN_L3)
        self.assertEqual(('l3', 64512, (10000, 19999)),
                         (built.bgpvpn_type, built.route_target_asn,
                          built.route_target_range))
        built = spec(definitions.IPSEC, ipsec={'pfs': 'group14'})
        self.assertEqual(('aes-256', 'sha256', 'group14', 'public'),
                         (built.encryption_algorithm, built.auth_algorithm,
                          built.pfs, built.external_network))
        self.assertIsNone(spec(definitions.VLAN).bgpvpn_type)

    def test_a_wrong_route_target_range_names_the_option(self):
        exc = self.assertRaises(errors.LinkError, spec, definitions.BGPVPN,
                                opts=options(route_target_range='9:1'))
        self.assertIn('[geo_heat] route_target_range is wrong', str(exc))


class AutoTest(testtools.TestCase):

    def test_auto_picks_the_first_both_ends_support(self):
        built = spec(definitions.AUTO, capable=[['bgpvpn', 'ipsec'],
                                                ['ipsec']])
        self.assertEqual(definitions.IPSEC, built.technology)

    def test_auto_names_what_each_end_supports_when_none_fits(self):
        exc = self.assertRaises(errors.NoTechnology, spec, definitions.AUTO,
                                capable=[['bgpvpn'], []])
        self.assertIn('no technology of bgpvpn, ipsec is supported by both '
                      'ends (local: bgpvpn; remote: none)', str(exc))

    def test_auto_without_a_possible_candidate(self):
        declared = options(
            interconnects=['region:RegionOne|region:RegionTwo|vlan'])
        exc = self.assertRaises(errors.NoTechnology, build.auto_candidates,
                                declared, PLACEMENTS, 'RegionOne')
        self.assertIn('declared there: vlan', str(exc))
        self.assertEqual(['vlan'], build.auto_candidates(
            options(interconnects=declared.interconnects,
                    auto_preference=['vxlan', 'vlan']),
            PLACEMENTS, 'RegionOne'))


class TenancyTest(testtools.TestCase):
    """At create, what validate could not check for a tenant: the
    technology auto picked, ends known only then."""

    def test_a_tenant_gets_only_the_declared_physical_network(self):
        declared = options(interconnects=[
            'region:RegionOne|region:RegionTwo|vlan:100:199|physnet=physnet2'])
        exc = self.assertRaises(errors.LinkError, spec, definitions.VLAN,
                                opts=declared, is_admin=False)
        self.assertIn('local_endpoint: physical network physnet1 is not one '
                      'the operator declared', str(exc))
        self.assertEqual(definitions.VLAN, spec(
            definitions.VLAN, opts=declared).technology)

    def test_a_tenant_id_outside_the_declared_range_is_refused(self):
        declared = options(interconnects=[
            'region:RegionOne|region:RegionTwo|vlan:100:199|physnet=physnet1'])
        exc = self.assertRaises(errors.LinkError, spec, definitions.VLAN,
                                opts=declared, is_admin=False,
                                segmentation_id=300)
        self.assertTrue(str(exc).startswith('segmentation_id: '), exc)
        self.assertEqual(150, spec(definitions.VLAN, opts=declared,
                                   is_admin=False,
                                   segmentation_id=150).segmentation_id)
