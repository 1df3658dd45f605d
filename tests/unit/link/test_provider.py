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

import dataclasses

import testscenarios
import testtools

from openstack import exceptions as sdk_exc

from geo_heat import definitions
from geo_heat.link import errors
from geo_heat.link import model
from geo_heat.link import provider
from geo_heat.link import site
from tests.unit import fakes

load_tests = testscenarios.load_tests_apply_scenarios


def make_site(role, neutron, region, physnet='physnet1', cell=None,
              share_project_id=None):
    placement = site.Placement(region_name=region, cell=cell,
                               physical_network=physnet)
    return site.Site(role, placement, fakes.FakeConnection(neutron),
                     share_project_id=share_project_id)


def build(link, adopt=False):
    """Run every create step, as Heat does, and return the state."""
    state = model.LinkState()
    for _state in link.create_steps(state, adopt=adopt):
        pass
    return state


def two_regions(shares=(None, None), **spec):
    """A link RegionOne-RegionTwo; shares: each side's share_project_id."""
    local_neutron, remote_neutron = fakes.FakeNeutron(), fakes.FakeNeutron()
    spec.setdefault('technology', 'vlan')
    link = provider.ProviderNetworkLink(
        model.LinkSpec(link_id='link-1', name='l1', stack_id='stack-1',
                       **spec),
        make_site(site.LOCAL, local_neutron, 'RegionOne',
                  share_project_id=shares[0]),
        make_site(site.REMOTE, remote_neutron, 'RegionTwo',
                  share_project_id=shares[1]))
    return link, local_neutron, remote_neutron


class TechnologyScenariosTest(testtools.TestCase):

    scenarios = [(t, {'technology': t})
                 for t in definitions.PROVIDER_TECHNOLOGIES]

    def test_both_halves_agree(self):
        link, local, remote = two_regions(technology=self.technology)
        state = build(link)
        lnet = local.network_records[state.local_network_id]
        rnet = remote.network_records[state.remote_network_id]
        for network in (lnet, rnet):
            self.assertEqual(self.technology, network.provider_network_type)
            self.assertEqual(state.segmentation_id,
                             network.provider_segmentation_id)
            self.assertIn(definitions.link_tag('link-1'), network.tags)
            self.assertIn(definitions.stack_tag('stack-1'), network.tags)
            self.assertEqual(state.mtu, network.mtu)
        if self.technology == 'flat':
            self.assertIsNone(state.segmentation_id)
        else:
            self.assertIsNotNone(state.segmentation_id)
        expected_mtu = 1500 - definitions.ENCAPSULATION_OVERHEAD[
            self.technology]
        self.assertEqual(expected_mtu, state.mtu)
        lsub = local.subnet_records[state.local_subnet_id]
        rsub = remote.subnet_records[state.remote_subnet_id]
        self.assertEqual(lsub.cidr, rsub.cidr)
        self.assertEqual(state.cidr, lsub.cidr)
        self.assertNotEqual(lsub.allocation_pools, rsub.allocation_pools)
        self.assertFalse(lsub.enable_dhcp)
        self.assertEqual([], link.check(state))
        self.assertTrue(link.is_active(state))
        link.delete()
        self.assertEqual({}, local.network_records)
        self.assertEqual({}, remote.network_records)


class ProviderLinkTest(testtools.TestCase):

    def test_minimal_calls(self):
        link, local, remote = two_regions(segmentation_range=(100, 199))
        build(link)
        for neutron in (local, remote):
            self.assertEqual(['create_network', 'set_tags', 'create_subnet'],
                             neutron.writes)
            self.assertEqual(['segments', 'subnets', 'subnets'],
                             [c for c in neutron.calls
                              if c not in neutron.writes])

    def test_active_at_create_needs_no_read(self):
        link, local, remote = two_regions(segmentation_range=(100, 199))
        build(link)
        for neutron in (local, remote):
            self.assertNotIn('find_network', neutron.calls)

    def test_each_step_records_what_exists(self):
        link, local, remote = two_regions(segmentation_range=(100, 199))
        state = model.LinkState()
        steps = link.create_steps(state)
        self.assertIs(state, next(steps))
        self.assertEqual(
            (list(local.network_records), list(remote.network_records)),
            ([state.local_network_id], [state.remote_network_id]))
        self.assertIsNone(state.local_subnet_id)
        self.assertIn(definitions.link_tag('link-1'), local.network_records[
            state.local_network_id].tags)
        self.assertEqual([], list(local.subnet_records))
        next(steps)
        self.assertEqual(list(remote.subnet_records),
                         [state.remote_subnet_id])
        self.assertIsNone(state.mtu)
        next(steps)
        self.assertEqual(1500, state.mtu)
        next(steps)  # sharing: nothing to share here
        self.assertRaises(StopIteration, next, steps)

    def test_built_down_is_read_until_active(self):
        link, local, remote = two_regions(segmentation_range=(100, 199))
        real_create = remote.create_network

        def create_down(**body):
            network = real_create(**body)
            network.status = 'BUILD'
            return network

        remote.create_network = create_down
        state = model.LinkState()
        steps = link.create_steps(state)
        while next(steps) is not None:
            pass
        self.assertIsNone(next(steps))
        remote.network_records[state.remote_network_id].status = 'ACTIVE'
        self.assertRaises(StopIteration, next, steps)
        self.assertTrue(link.is_active(state))

    def test_id_used_on_one_side_is_skipped_on_both(self):
        link, local, remote = two_regions(segmentation_range=(100, 102))
        remote.create_network(provider_network_type='vlan',
                              provider_physical_network='physnet1',
                              provider_segmentation_id=100)
        local.create_network(provider_network_type='vlan',
                             provider_physical_network='physnet1',
                             provider_segmentation_id=101)
        state = build(link)
        self.assertEqual(102, state.segmentation_id)

    def test_conflict_meanwhile_tries_another_and_cleans_up(self):
        link, local, remote = two_regions(segmentation_range=(100, 101))
        real_segments = remote.segments
        calls = []

        def racing_segments(**filters):
            # Another link takes the first ID on the remote side right
            # after this one listed the used IDs.
            found = real_segments(**filters)
            if not calls:
                calls.append(1)
                for vid in (100, 101):
                    try:
                        remote.create_network(
                            provider_network_type='vlan',
                            provider_physical_network='physnet1',
                            provider_segmentation_id=vid, name='other')
                        break
                    except sdk_exc.ConflictException:
                        pass
            return found

        remote.segments = racing_segments
        taken = None
        try:
            state = build(link)
            taken = state.segmentation_id
        except errors.SegmentationExhausted:
            pass
        other = [n for n in remote.network_records.values()
                 if n.name == 'other'][0]
        self.assertNotEqual(other.provider_segmentation_id, taken)
        # The local half of the failed attempt was removed.
        self.assertEqual(1 if taken else 0, len(local.network_records))

    def test_cidr_taken_meanwhile_steps_back(self):
        link, local, remote = two_regions(segmentation_id=150,
                                          cidr_pool=('10.9.0.0/23',))
        real_create = remote.create_subnet

        def racing_create(network_id, **kwargs):
            # Another link created the same CIDR a moment earlier, after
            # this one had listed the subnets.
            if not remote.subnet_records:
                other = remote.create_network(provider_network_type='gre')
                real_create(other.id, cidr=kwargs['cidr'])
            return real_create(network_id, **kwargs)

        remote.create_subnet = racing_create
        state = build(link)
        self.assertEqual('10.9.1.0/24', state.cidr)
        self.assertEqual(['10.9.1.0/24'], [
            s.cidr for s in local.subnet_records.values()])
        self.assertEqual(['10.9.0.0/24', '10.9.1.0/24'], sorted(
            s.cidr for s in remote.subnet_records.values()))

    def test_flat_physnet_taken_on_one_side(self):
        link, local, remote = two_regions(technology='flat')
        remote.create_network(provider_network_type='flat',
                              provider_physical_network='physnet1')
        exc = self.assertRaises(errors.SegmentationConflict, build, link)
        self.assertIn('remote side (region RegionTwo): failed to create the '
                      'flat network: Unable to create the flat network. '
                      'Physical network physnet1 is in use.', str(exc))
        self.assertEqual({}, local.network_records)

    def test_exhausted_range_is_a_clear_error(self):
        link, local, remote = two_regions(segmentation_range=(100, 100))
        remote.create_network(provider_network_type='vlan',
                              provider_physical_network='physnet1',
                              provider_segmentation_id=100)
        exc = self.assertRaises(errors.SegmentationExhausted, build, link)
        self.assertIn('no vlan segmentation ID of 100:100 is free', str(exc))
        self.assertEqual({}, local.network_records)

    def test_given_id_in_use_names_the_side(self):
        link, local, remote = two_regions(segmentation_id=150)
        remote.create_network(provider_network_type='vlan',
                              provider_physical_network='physnet1',
                              provider_segmentation_id=150)
        exc = self.assertRaises(errors.SegmentationConflict, build, link)
        self.assertIn('remote side (region RegionTwo)', str(exc))
        self.assertEqual({}, local.network_records)

    def test_unreachable_side_names_it(self):
        from keystoneauth1 import exceptions as ks_exc
        link, local, remote = two_regions(segmentation_id=150)
        remote.fail['create_network'] = ks_exc.ConnectFailure('refused')
        exc = self.assertRaises(errors.SiteUnreachable, build, link)
        self.assertIn('remote side (region RegionTwo): cannot reach Neutron',
                      str(exc))
        self.assertEqual({}, local.network_records)

    def test_network_that_cannot_be_tagged_is_removed(self):
        link, local, remote = two_regions(segmentation_id=150)
        remote.fail['set_tags'] = sdk_exc.BadRequestException('no tags')
        self.assertRaises(errors.LinkError, build, link)
        self.assertEqual({}, local.network_records)
        self.assertEqual({}, remote.network_records)

    def test_network_never_tagged_is_found_by_delete(self):
        # Neutron committed the create, then the side went away before the
        # tag request and before the cleanup (a Heat or Neutron restart).
        from keystoneauth1 import exceptions as ks_exc
        link, local, remote = two_regions(segmentation_id=150)
        remote.fail['set_tags'] = ks_exc.ConnectFailure('refused')
        remote.fail['delete_network'] = ks_exc.ConnectFailure('refused')
        self.assertRaises(errors.SiteUnreachable, build, link)
        self.assertEqual([[]], [n.tags
                                for n in remote.network_records.values()])
        remote.fail.clear()
        link.delete()
        self.assertEqual({}, remote.network_records)

    def test_failure_after_networks_leaves_only_tagged_objects(self):
        link, local, remote = two_regions(segmentation_id=150)
        remote.fail['create_subnet'] = sdk_exc.BadRequestException('boom')
        self.assertRaises(errors.LinkError, build, link)
        self.assertEqual(1, len(remote.network_records))
        link.delete()
        self.assertEqual({}, local.network_records)
        self.assertEqual({}, remote.network_records)
        self.assertEqual({}, local.subnet_records)

    def test_adopt_reuses_complete_link(self):
        link, local, remote = two_regions(segmentation_id=150)
        first = build(link)
        again = build(link, adopt=True)
        self.assertEqual(first, again)
        self.assertEqual(1, len(local.network_records))

    def test_adopt_rebuilds_partial_link(self):
        link, local, remote = two_regions(segmentation_id=150)
        remote.fail['create_subnet'] = sdk_exc.BadRequestException('boom')
        self.assertRaises(errors.LinkError, build, link)
        del remote.fail['create_subnet']
        state = build(link, adopt=True)
        self.assertEqual([], link.check(state))
        self.assertEqual(1, len(local.network_records))
        self.assertEqual(1, len(remote.network_records))

    def test_mtu_equalized_to_the_smaller_side(self):
        local = fakes.FakeNeutron()
        remote = fakes.FakeNeutron(physnet_mtu=9000)
        link = provider.ProviderNetworkLink(
            model.LinkSpec(link_id='l', name='l', technology='vxlan'),
            make_site(site.LOCAL, local, 'RegionOne'),
            make_site(site.REMOTE, remote, 'RegionTwo'))
        state = build(link)
        self.assertEqual(1450, state.mtu)
        self.assertEqual(1450,
                         remote.network_records[state.remote_network_id].mtu)

    def test_mtu_capped_by_the_interconnect(self):
        link, local, remote = two_regions(mtu_cap=1400)
        state = build(link)
        self.assertEqual(1400, state.mtu)
        self.assertEqual(
            [1400, 1400],
            [local.network_records[state.local_network_id].mtu,
             remote.network_records[state.remote_network_id].mtu])

    def test_requested_mtu_too_big_names_side(self):
        link, _local, _remote = two_regions(technology='vxlan', mtu=1500)
        exc = self.assertRaises(errors.LinkError, build, link)
        self.assertIn('MTU is too big', str(exc))

    def test_given_cidr(self):
        link, local, _remote = two_regions(cidr='192.0.2.0/28')
        state = build(link)
        self.assertEqual('192.0.2.0/28', state.cidr)

    def test_cidr_avoids_subnets_of_either_side(self):
        link, local, remote = two_regions(segmentation_id=150,
                                          cidr_pool=('10.9.0.0/23',))
        other = remote.create_network(provider_network_type='vxlan')
        remote.create_subnet(other.id, cidr='10.9.0.0/24')
        state = build(link)
        self.assertEqual('10.9.1.0/24', state.cidr)

    def test_check_reports_drift(self):
        link, local, remote = two_regions(segmentation_id=150)
        state = build(link)
        remote.network_records[state.remote_network_id].mtu = 1400
        local.delete_network(state.local_network_id)
        problems = link.check(state)
        self.assertEqual(2, len(problems))
        self.assertIn('local side (region RegionOne): network', problems[0])
        self.assertIn('MTU is 1400, not 1500', problems[1])
        self.assertIn('gone', link.status(state))

    def test_update_and_admin_state(self):
        link, local, remote = two_regions(segmentation_id=150)
        state = build(link)
        link.update(state, name='renamed', admin_state_up=False)
        for neutron, net_id in ((local, state.local_network_id),
                                (remote, state.remote_network_id)):
            network = neutron.network_records[net_id]
            self.assertEqual('renamed', network.name)
            self.assertFalse(network.is_admin_state_up)

    def test_delete_tolerates_gone(self):
        link, local, remote = two_regions(segmentation_id=150)
        build(link)
        remote.network_records.clear()
        link.delete()
        link.delete()
        self.assertEqual({}, local.network_records)

    def test_delete_with_unreachable_side_fails_then_succeeds(self):
        from keystoneauth1 import exceptions as ks_exc
        link, local, remote = two_regions(segmentation_id=150)
        build(link)
        remote.fail['networks'] = ks_exc.ConnectFailure('refused')
        exc = self.assertRaises(errors.SiteUnreachable, link.delete)
        self.assertIn('remote side', str(exc))
        del remote.fail['networks']
        link.delete()
        self.assertEqual({}, remote.network_records)
        self.assertEqual({}, local.network_records)

    def test_show(self):
        link, _local, _remote = two_regions(segmentation_id=150)
        state = build(link)
        show = link.show(state)
        self.assertEqual(150, show['segmentation_id'])
        self.assertEqual(state.remote_network_id,
                         show['remote']['network']['id'])


class ErrorClassesTest(testtools.TestCase):
    """Neutron's errors, classified by the type in its answer."""

    def test_quota_fails_at_once_naming_side_and_quota(self):
        link, local, remote = two_regions(segmentation_range=(100, 199))
        remote.quotas['network'] = 0
        exc = self.assertRaises(errors.QuotaExceeded, build, link)
        self.assertIn('remote side (region RegionTwo): quota exceeded for '
                      "network: Quota exceeded for resources: ['network'].",
                      str(exc))
        for neutron in (local, remote):
            self.assertEqual(1, neutron.calls.count('create_network'))
        self.assertEqual({}, local.network_records)

    def test_subnet_quota_names_the_subnet_quota(self):
        link, local, _remote = two_regions(segmentation_id=150)
        local.quotas['subnet'] = 0
        exc = self.assertRaises(errors.QuotaExceeded, build, link)
        self.assertIn('local side (region RegionOne): quota exceeded for '
                      'subnet', str(exc))
        self.assertEqual(1, local.calls.count('create_subnet'))

    def test_other_conflict_is_not_retried_with_another_id(self):
        link, _local, remote = two_regions(segmentation_range=(100, 199))
        remote.fail['create_network'] = fakes.neutron_error(
            409, 'SomethingElseInUse', 'Busy.')
        exc = self.assertRaises(errors.LinkConflict, build, link)
        self.assertNotIsInstance(exc, errors.SegmentationConflict)
        self.assertIn('remote side (region RegionTwo): failed to create the '
                      'vlan network', str(exc))
        self.assertEqual(1, remote.calls.count('create_network'))

    def test_conflict_without_neutron_body_is_a_plain_conflict(self):
        self.assertIs(errors.LinkConflict, errors.error_class(
            sdk_exc.ConflictException('409')))

    def test_tunnel_id_in_use(self):
        link, _local, remote = two_regions(technology='vxlan',
                                          segmentation_id=5000)
        remote.create_network(provider_network_type='vxlan',
                              provider_segmentation_id=5000)
        exc = self.assertRaises(errors.SegmentationConflict, build, link)
        self.assertIn('The tunnel ID 5000 is in use', str(exc))
        self.assertIsInstance(exc.__cause__, sdk_exc.ConflictException)

    def test_not_found(self):
        link, _local, remote = two_regions(segmentation_id=150)
        state = build(link)
        remote.network_records.clear()
        exc = self.assertRaises(errors.LinkNotFound, link.update, state,
                                name='renamed')
        self.assertIn('remote side (region RegionTwo)', str(exc))

    def test_error_type_of_answers_without_neutron_body(self):
        self.assertIsNone(errors.neutron_error_type(
            sdk_exc.BadRequestException('no response')))
        self.assertEqual('OverQuota', errors.neutron_error_type(
            fakes.neutron_error(409, 'OverQuota', 'Quota exceeded.')))


class SharingTest(testtools.TestCase):
    """Each network shared with exactly the project attaching there."""

    def test_each_side_shared_with_its_project(self):
        link, local, remote = two_regions(
            shares=('tenant-a', 'tenant-b'), segmentation_range=(100, 199))
        state = build(link)
        for neutron, project, policy_id, network_id in (
                (local, 'tenant-a', state.local_rbac_policy_id,
                 state.local_network_id),
                (remote, 'tenant-b', state.remote_rbac_policy_id,
                 state.remote_network_id)):
            (policy,) = neutron.rbac_policy_records.values()
            self.assertEqual(
                (policy_id, 'network', network_id, 'access_as_shared',
                 project),
                (policy.id, policy.object_type, policy.object_id,
                 policy.action, policy.target_project_id))
            self.assertEqual(['create_network', 'set_tags', 'create_subnet',
                              'create_rbac_policy'], neutron.writes)
        self.assertEqual([], link.check(state))

    def test_no_share_for_no_project_or_the_owner(self):
        link, local, remote = two_regions(
            shares=(None, 'operator-project'), segmentation_id=150)
        state = build(link)
        self.assertEqual((None, None), (state.local_rbac_policy_id,
                                        state.remote_rbac_policy_id))
        self.assertEqual([], link.check(state))
        link.delete()
        for neutron in (local, remote):
            self.assertEqual({}, neutron.rbac_policy_records)
            self.assertNotIn('create_rbac_policy', neutron.calls)
            self.assertNotIn('rbac_policies', neutron.calls)

    def test_shares_go_with_their_network(self):
        # Neutron cascades a network's RBAC policies: one write per side.
        link, local, remote = two_regions(shares=('tenant-a', 'tenant-b'),
                                          segmentation_id=150)
        build(link)
        del local.calls[:], remote.calls[:]
        link.delete()
        for neutron in (local, remote):
            self.assertEqual(['delete_network'], neutron.writes)
            self.assertEqual({}, neutron.rbac_policy_records)
            self.assertEqual({}, neutron.network_records)

    def test_check_reports_a_missing_share(self):
        link, _local, remote = two_regions(shares=('tenant-a', 'tenant-b'),
                                           segmentation_id=150)
        state = build(link)
        remote.delete_rbac_policy(state.remote_rbac_policy_id)
        self.assertEqual(['remote side (region RegionTwo): network is not '
                          'shared with project tenant-b'], link.check(state))
        self.assertIn('not shared', link.status(state))

    def test_share_quota_names_it(self):
        link, _local, remote = two_regions(shares=('tenant-a', 'tenant-b'),
                                           segmentation_id=150)
        remote.quotas['rbac_policy'] = 0
        exc = self.assertRaises(errors.QuotaExceeded, build, link)
        self.assertIn('remote side (region RegionTwo): quota exceeded for '
                      'rbac_policy', str(exc))

    def test_adopt_keeps_shares_and_adds_missing_ones(self):
        link, local, remote = two_regions(shares=('tenant-a', 'tenant-b'),
                                          segmentation_id=150)
        remote.fail['create_rbac_policy'] = sdk_exc.BadRequestException('no')
        self.assertRaises(errors.LinkError, build, link)
        del remote.fail['create_rbac_policy']
        (local_policy,) = local.rbac_policy_records
        networks = (list(local.network_records), list(remote.network_records))
        state = build(link, adopt=True)
        self.assertEqual(networks, ([state.local_network_id],
                                    [state.remote_network_id]))
        self.assertEqual(local_policy, state.local_rbac_policy_id)
        self.assertEqual([state.remote_rbac_policy_id],
                         list(remote.rbac_policy_records))
        self.assertEqual(1, local.calls.count('create_rbac_policy'))
        self.assertEqual([], link.check(state))

    def test_adopt_rebuilds_when_mtus_differ(self):
        link, local, remote = two_regions(segmentation_id=150)
        first = build(link)
        remote.network_records[first.remote_network_id].mtu = 1400
        state = build(link, adopt=True)
        self.assertNotEqual(first.local_network_id, state.local_network_id)
        self.assertEqual([state.local_network_id],
                         list(local.network_records))
        self.assertEqual([], link.check(state))


class CellLinkTest(testtools.TestCase):
    """Two cells of one cloud: one network, a segment per physnet."""

    def setUp(self):
        super().setUp()
        self.neutron = fakes.FakeNeutron(
            physical_networks=('physnet-cell1', 'physnet-cell2'))
        conn = fakes.FakeConnection(self.neutron)
        self.local = site.Site(site.LOCAL, site.Placement(
            region_name='RegionOne', cell='cell1',
            physical_network='physnet-cell1'), conn)
        self.remote = site.Site(site.REMOTE, site.Placement(
            region_name='RegionOne', cell='cell2',
            physical_network='physnet-cell2'), conn)

    def test_a_stretched_network_cannot_move(self):
        link = provider.ProviderNetworkLink(
            model.LinkSpec(link_id='c', name='c', technology='vlan'),
            self.local, self.remote)
        self.assertFalse(link.movable)

    def test_one_stretched_network(self):
        link = provider.ProviderNetworkLink(
            model.LinkSpec(link_id='c', name='c', technology='vlan',
                           segmentation_range=(100, 199)),
            self.local, self.remote)
        state = build(link)
        self.assertEqual(state.local_network_id, state.remote_network_id)
        self.assertEqual(state.local_subnet_id, state.remote_subnet_id)
        network = self.neutron.network_records[state.local_network_id]
        self.assertEqual(
            ['physnet-cell1', 'physnet-cell2'],
            [s['provider:physical_network'] for s in network.segments])
        self.assertEqual({state.segmentation_id},
                         {s['provider:segmentation_id']
                          for s in network.segments})
        self.assertEqual([], link.check(state))
        self.assertEqual(1, len(self.neutron.subnet_records))
        link.delete()
        self.assertEqual({}, self.neutron.network_records)

    def test_two_projects_on_one_network_get_two_shares(self):
        local = dataclasses.replace(self.local, share_project_id='tenant-a')
        for project, policies in (('tenant-b', 2), ('tenant-a', 1)):
            self.neutron.rbac_policy_records.clear()
            remote = dataclasses.replace(self.remote,
                                         share_project_id=project)
            link = provider.ProviderNetworkLink(
                model.LinkSpec(link_id=project, name='c', technology='vlan',
                               segmentation_range=(100, 199)),
                local, remote)
            state = build(link)
            self.assertEqual(
                {('tenant-a', state.local_rbac_policy_id),
                 (project, state.remote_rbac_policy_id)},
                {(p.target_project_id, p.id)
                 for p in self.neutron.rbac_policy_records.values()})
            self.assertEqual(policies, len(self.neutron.rbac_policy_records))
            self.assertEqual([], link.check(state))
            link.delete()
            self.assertEqual({}, self.neutron.rbac_policy_records)

    def test_tunnel_between_cells_is_one_plain_network(self):
        link = provider.ProviderNetworkLink(
            model.LinkSpec(link_id='c', name='c', technology='vxlan'),
            self.local, self.remote)
        state = build(link)
        network = self.neutron.network_records[state.local_network_id]
        self.assertEqual('vxlan', network.provider_network_type)


class PlacementTest(testtools.TestCase):

    def test_cell_mapping(self):
        cells = site.parse_cell_mappings(['cell1:az1:physnet-a'])
        placement = site.resolve_placement(cells, cell='cell1')
        self.assertEqual(('az1', 'physnet-a'),
                         (placement.availability_zone,
                          placement.physical_network))
        explicit = site.resolve_placement(cells, cell='cell1',
                                          physical_network='other')
        self.assertEqual('other', explicit.physical_network)
        self.assertRaises(KeyError, site.resolve_placement, cells,
                          cell='nope')
        self.assertRaises(ValueError, site.parse_cell_mappings, ['bad'])

    def test_placement_problems(self):
        one = site.Placement(region_name='RegionOne',
                             physical_network='physnet1')
        two = site.Placement(region_name='RegionTwo',
                             physical_network='physnet1')
        bare = site.Placement(region_name='RegionTwo')
        same_neutron = site.Placement(region_name='RegionOne', cell='c2',
                                      physical_network='physnet1')
        self.assertEqual([], provider.placement_problems('vlan', one, two))
        self.assertEqual([], provider.placement_problems('vxlan', one, bare))
        self.assertEqual(
            [(site.REMOTE,
              'the remote endpoint is the same site as the local one')],
            provider.placement_problems('vxlan', one, one))
        self.assertEqual(
            [(site.REMOTE, 'a flat link needs a physical_network (or a '
                           'cell) on the remote endpoint')],
            provider.placement_problems('flat', one, bare))
        self.assertEqual(
            [(site.REMOTE, 'both endpoints use physical network physnet1 '
                           'of the same Neutron')],
            provider.placement_problems('vlan', one, same_neutron))

    def test_describe(self):
        self.assertEqual('cloud cloud-b, region RegionOne', site.Placement(
            cloud='cloud-b', region_name='RegionOne').describe())


class MoveTest(testtools.TestCase):
    """Setting another segmentation ID on both halves in place."""

    def test_moves_both_halves_to_a_free_id(self):
        link, local, remote = two_regions(segmentation_range=(150, 152))
        state = build(link)
        other = link.move(state)
        self.assertEqual(other, state.segmentation_id)
        self.assertEqual(
            [other, other],
            [local.network_records[state.local_network_id]
             .provider_segmentation_id,
             remote.network_records[state.remote_network_id]
             .provider_segmentation_id])

    def test_a_refusing_side_puts_the_other_back(self):
        link, local, remote = two_regions(segmentation_id=150)
        state = build(link)
        remote.fail['update_network'] = fakes.neutron_error(
            409, 'VlanIdInUse', 'The VLAN 151 is in use.')
        self.assertRaises(errors.SegmentationConflict, link.move, state,
                          segmentation_id=151)
        self.assertEqual(150, state.segmentation_id)
        self.assertEqual(150, local.network_records[
            state.local_network_id].provider_segmentation_id)

    def test_only_single_segment_networks_move(self):
        self.assertTrue(two_regions()[0].movable)
        self.assertFalse(two_regions(technology='flat')[0].movable)
