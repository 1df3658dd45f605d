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

import random

import testscenarios
import testtools

from geo_heat.link import bgpvpn
from geo_heat.link import errors
from geo_heat.link import model
from geo_heat.link import site
from tests.unit import fakes
from tests.unit.link import test_provider

load_tests = testscenarios.load_tests_apply_scenarios

build = test_provider.build


def two_regions(bgpvpn_type='l2', target_range=(10, 12), neutrons=None,
                link_id='link-1', shares=('tenant-1', 'tenant-2')):
    local, remote = neutrons or (fakes.FakeNeutron(), fakes.FakeNeutron())
    link = bgpvpn.BgpVpnLink(
        model.LinkSpec(link_id=link_id, name='l1', stack_id='stack-1',
                       technology='bgpvpn', bgpvpn_type=bgpvpn_type,
                       route_target_asn=64512,
                       route_target_range=target_range),
        test_provider.make_site(site.LOCAL, local, 'RegionOne',
                                share_project_id=shares[0]),
        test_provider.make_site(site.REMOTE, remote, 'RegionTwo',
                                share_project_id=shares[1]))
    return link, local, remote


class TypesTest(testtools.TestCase):

    scenarios = [('l2', {'bgpvpn_type': 'l2'}),
                 ('l3', {'bgpvpn_type': 'l3'})]

    def test_both_sides_get_one_route_target_and_delete_leaves_nothing(self):
        link, local, remote = two_regions(self.bgpvpn_type)
        state = build(link)
        self.assertIn(state.route_target, ('64512:10', '64512:11',
                                           '64512:12'))
        for role, neutron in (('local', local), ('remote', remote)):
            (vpn,) = neutron.service_records['bgpvpn'].values()
            self.assertEqual(([state.route_target], self.bgpvpn_type),
                             (vpn.route_targets, vpn.type))
            self.assertEqual(vpn.id, state.services[role]['bgpvpn'])
            network = neutron.network_records[
                getattr(state, role + '_network_id')]
            # Neutron's own tenant type: the BGPVPN stitches it.
            self.assertEqual('vxlan', network.provider_network_type)
        self.assertEqual([], link.check(state))
        self.assertEqual('ACTIVE', link.status(state))
        link.delete()
        for neutron in (local, remote):
            self.assertEqual([], neutron.leftovers())
            self.assertEqual({}, neutron.network_records)
            self.assertEqual({}, neutron.port_records)

    def test_association(self):
        link, local, _remote = two_regions(self.bgpvpn_type)
        state = build(link)
        if self.bgpvpn_type == 'l2':
            (association,) = local.service_records[
                'network_association'].values()
            self.assertEqual(state.local_network_id, association.network_id)
            self.assertEqual(state.cidr, local.subnet_records[
                state.local_subnet_id].cidr)
        else:
            (association,) = local.service_records[
                'router_association'].values()
            self.assertEqual(state.local_router_id, association.router_id)
            # Disjoint halves of the link's block, one per side.
            self.assertNotEqual(state.local_cidr, state.remote_cidr)
            self.assertEqual(state.local_cidr, local.subnet_records[
                state.local_subnet_id].cidr)


class RouteTargetTest(testtools.TestCase):

    def test_a_target_used_on_either_side_is_skipped(self):
        local, remote = fakes.FakeNeutron(), fakes.FakeNeutron()
        local.create_bgpvpn(name='manual', route_targets=['64512:10'])
        remote.create_bgpvpn(name='manual', route_targets=['64512:11'])
        link, _, _ = two_regions(neutrons=(local, remote))
        self.assertEqual('64512:12', build(link).route_target)

    def test_exhausted_range_names_it(self):
        local, remote = fakes.FakeNeutron(), fakes.FakeNeutron()
        local.create_bgpvpn(name='manual', route_targets=['64512:10'])
        link, _, _ = two_regions(target_range=(10, 10),
                                 neutrons=(local, remote))
        exc = self.assertRaises(errors.RouteTargetExhausted, build, link)
        self.assertIn('no route target of 64512:10 to 64512:10 free', str(exc))

    def test_the_later_of_two_racing_links_steps_back(self):
        """Both pick 64512:10; the driver keeps both; the link whose name
        ranks second deletes its BGPVPNs and takes another target."""
        local, remote = fakes.FakeNeutron(), fakes.FakeNeutron()
        first, _, _ = two_regions(neutrons=(local, remote), link_id='a')
        second, _, _ = two_regions(neutrons=(local, remote), link_id='b')
        # The first link's BGPVPNs appear right after the second one chose.
        choose = second._free_number

        def choose_then_race(*args):
            number = choose(*args)
            if not local.service_records['bgpvpn']:
                for neutron in (local, remote):
                    neutron.create_bgpvpn(name=first._name,
                                          route_targets=['64512:%d' % number])
            return number

        self.patch(second, '_free_number', choose_then_race)
        self.patch(random, 'choice', lambda seq: seq[0])
        state = build(second)
        self.assertEqual('64512:11', state.route_target)
        for neutron in (local, remote):
            targets = sorted(v.route_targets[0] for v in
                             neutron.service_records['bgpvpn'].values())
            self.assertEqual(['64512:10', '64512:11'], targets)


class CheckTest(testtools.TestCase):

    def test_changed_route_target_and_lost_association(self):
        link, local, remote = two_regions('l2')
        state = build(link)
        (vpn,) = remote.service_records['bgpvpn'].values()
        vpn.route_targets = ['64512:99']
        local.service_records['network_association'].clear()
        problems = link.check(state)
        self.assertIn('remote side (region RegionTwo): BGPVPN route targets '
                      'are 64512:99, not %s' % state.route_target, problems)
        self.assertIn('local side (region RegionOne): network %s is not '
                      'associated with BGPVPN %s' % (
                          state.local_network_id,
                          state.services['local']['bgpvpn']), problems)

    def test_rename_reaches_networks_and_routers(self):
        link, local, remote = two_regions('l3')
        state = build(link)
        link.update(state, name='renamed')
        for neutron in (local, remote):
            (router,) = neutron.service_records['router'].values()
            (network,) = neutron.network_records.values()
            self.assertEqual(('renamed', 'renamed'),
                             (router.name, network.name))

    def test_retried_create_starts_afresh(self):
        link, local, remote = two_regions('l3')
        build(link)
        state = build(link, adopt=True)
        for neutron in (local, remote):
            self.assertEqual(1, len(neutron.service_records['bgpvpn']))
            self.assertEqual(1, len(neutron.service_records['router']))
            self.assertEqual(1, len(neutron.network_records))
        self.assertEqual([], link.check(state))
