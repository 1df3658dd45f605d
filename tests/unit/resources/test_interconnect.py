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

import json

from heat.common import exception
from heat.common import policy as heat_policy
from heat.common import template_format
from heat.common import timeutils as heat_timeutils
from heat.db import api as db_api
from heat.engine import scheduler
from heat.engine import stack as parser
from heat.engine import template
from heat.objects import event as event_objects
from heat.tests import utils
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
from oslo_config import cfg

from geo_heat import client
from geo_heat import clouds
from geo_heat.link import errors
from geo_heat.link import model
from geo_heat.link import site
from geo_heat.resources import driver
from geo_heat.resources import endpoint
from geo_heat.resources import interconnect
from tests.unit import base
from tests.unit import fakes

TEMPLATE = '''
heat_template_version: 2021-04-16
resources:
  site_a:
    type: OS::Geo::Endpoint
    properties:
      context: {region_name: RegionOne}
      physical_network: physnet1
  site_b:
    type: OS::Geo::Endpoint
    properties:
      context: {region_name: RegionTwo}
      physical_network: physnet1
  link:
    type: OS::Geo::Interconnect
    properties:
      local_endpoint: {get_resource: site_a}
      remote_endpoint: {get_resource: site_b}
      technology: vlan
      segmentation_range: "100:199"
'''


class InterconnectTestBase(base.GeoHeatTestCase):

    def setUp(self):
        super().setUp()
        cfg.CONF.set_override('cell_mappings', [
            'cell1:az-cell1:physnet-cell1', 'cell2:az-cell2:physnet-cell2'],
            group='geo_heat')
        self.neutrons = {}
        self.connect = self.patchobject(
            client.GeoSiteClientPlugin, 'connect',
            side_effect=self._connect)
        self.patchobject(client.GeoSiteClientPlugin, 'resolve',
                         side_effect=lambda p: p)
        # Every region is in the stack's catalog.
        self.patchobject(utils.dummy_context().__class__, 'keystone_session')

    def _connect(self, placement, ca_cert=None, insecure=False,
                 timeout=None):
        key = placement.neutron_key
        if key not in self.neutrons:
            self.neutrons[key] = fakes.FakeNeutron(physical_networks=(
                'physnet1', 'physnet-cell1', 'physnet-cell2'))
        return fakes.FakeConnection(self.neutrons[key])

    def neutron(self, region, cloud=None):
        return self.neutrons[(cloud, None, region)]

    def template(self, link=None, site_a=None, site_b=None):
        tmpl = template_format.parse(TEMPLATE)
        for name, changes in (('link', link), ('site_a', site_a),
                              ('site_b', site_b)):
            props = tmpl['resources'][name]['properties']
            for key, value in (changes or {}).items():
                if value is None:
                    props.pop(key, None)
                else:
                    props[key] = value
        return tmpl

    def stitched(self, technology, **link):
        return self.template(link=dict(
            link, technology=technology, segmentation_range=None))

    def create(self, tmpl=None):
        stack = utils.parse_stack(tmpl or self.template())
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        return stack

    def create_with_remote_subnet_refused(self):
        """A create that fails at RegionTwo's subnet; (stack, its Neutron)."""
        self.neutrons[(None, None, 'RegionTwo')] = two = fakes.FakeNeutron()
        two.fail['create_subnet'] = sdk_exc.BadRequestException('no room')
        stack = utils.parse_stack(self.template())
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        return stack, two

    def assertRejected(self, tmpl, *fragments):
        """Validate fails naming the property, before any side is reached."""
        stack = utils.parse_stack(tmpl)
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        for fragment in fragments:
            self.assertIn(fragment, str(exc))
        self.connect.assert_not_called()
        return exc

    def update(self, stack, tmpl):
        updated = parser.Stack(stack.context, stack.name,
                               template.Template(tmpl))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)


class InterconnectLifecycleTest(InterconnectTestBase):

    def test_create_across_regions(self):
        stack = self.create()
        link = stack['link']
        one, two = self.neutron('RegionOne'), self.neutron('RegionTwo')
        lnet = one.network_records[link.FnGetAtt('local_network_id')]
        rnet = two.network_records[link.FnGetAtt('remote_network_id')]
        seg_id = link.FnGetAtt('segmentation_id')
        self.assertTrue(100 <= seg_id <= 199)
        self.assertEqual(seg_id, lnet.provider_segmentation_id)
        self.assertEqual(seg_id, rnet.provider_segmentation_id)
        self.assertEqual(lnet.id, link.FnGetRefId())
        self.assertEqual(1500, link.FnGetAtt('mtu'))
        self.assertEqual('10.250.%d.0/24' % seg_id, link.FnGetAtt('cidr'))
        self.assertEqual('ACTIVE', link.FnGetAtt('status'))
        self.assertEqual(link.FnGetAtt('local_subnet_id'),
                         one.subnet_records[lnet.subnet_ids[0]].id)
        self.assertEqual(lnet.id, link.FnGetAtt('show')['local']['network']
                         ['id'])
        self.assertIn('geo-heat-stack=%s' % stack.id, lnet.tags)

        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual({}, one.network_records)
        self.assertEqual({}, two.network_records)

    def test_check_finds_drift_on_remote_side(self):
        stack = self.create()
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state)
        two = self.neutron('RegionTwo')
        two.network_records[stack['link'].FnGetAtt(
            'remote_network_id')].mtu = 1400
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn('remote side (region RegionTwo): MTU is 1400, not 1500',
                      stack['link'].status_reason)

    def test_suspend_leaves_the_link_up(self):
        """The standby keeps running: cutting its replication link would
        be a split-brain trigger."""
        stack = self.create()
        link = stack['link']
        networks = [
            self.neutron('RegionOne').network_records[
                link.FnGetAtt('local_network_id')],
            self.neutron('RegionTwo').network_records[
                link.FnGetAtt('remote_network_id')]]
        scheduler.TaskRunner(stack.suspend)()
        self.assertEqual((stack.SUSPEND, stack.COMPLETE), stack.state)
        self.assertEqual([True, True],
                         [n.is_admin_state_up for n in networks])
        scheduler.TaskRunner(stack.resume)()
        self.assertEqual((stack.RESUME, stack.COMPLETE), stack.state)
        self.assertEqual([True, True],
                         [n.is_admin_state_up for n in networks])

    def test_update_name_and_mtu_in_place(self):
        stack = self.create()
        net_id = stack['link'].FnGetRefId()
        self.update(stack, self.template(link={'name': 'dc-link',
                                                'mtu': 1400}))
        self.assertEqual(net_id, stack['link'].FnGetRefId())
        for neutron in (self.neutron('RegionOne'),
                        self.neutron('RegionTwo')):
            (network,) = neutron.network_records.values()
            self.assertEqual(('dc-link', 1400), (network.name, network.mtu))
        self.assertEqual(1400, stack['link'].FnGetAtt('mtu'))

    def test_update_technology_replaces_the_link(self):
        stack = self.create()
        old_id = stack['link'].FnGetRefId()
        self.update(stack, self.template(link={
            'technology': 'vxlan', 'segmentation_range': '1000:1999'}))
        new_id = stack['link'].FnGetRefId()
        self.assertNotEqual(old_id, new_id)
        (network,) = self.neutron('RegionTwo').network_records.values()
        self.assertEqual('vxlan', network.provider_network_type)
        self.assertNotIn(old_id,
                         self.neutron('RegionOne').network_records)

    def test_failed_create_leaves_nothing_after_delete(self):
        stack, two = self.create_with_remote_subnet_refused()
        self.assertIn('remote side (region RegionTwo): failed to create '
                      'subnet', stack['link'].status_reason)
        del two.fail['create_subnet']
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual({}, two.network_records)
        self.assertEqual({}, self.neutron('RegionOne').network_records)

    def test_replacing_a_failed_create_removes_what_it_built_first(self):
        """An engine that died mid-create: the update that replaces its
        link leaves one network per side, the replacement's."""
        failed, two = self.create_with_remote_subnet_refused()
        del two.fail['create_subnet']
        one = self.neutron('RegionOne')
        self.assertEqual(1, len(one.network_records))
        unfinished = self.patchobject(driver, 'unfinished_predecessors')
        unfinished.return_value.__enter__.return_value = [failed['link']]
        stack = self.create()
        link = stack['link']
        self.assertEqual([link.FnGetAtt('local_network_id')],
                         list(one.network_records))
        self.assertEqual([link.FnGetAtt('remote_network_id')],
                         list(two.network_records))

    def test_unreachable_side_on_delete_fails_then_succeeds(self):
        stack = self.create()
        two = self.neutron('RegionTwo')
        two.fail['networks'] = ks_exc.ConnectFailure('refused')
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.FAILED), stack.state)
        self.assertIn('remote side (region RegionTwo): cannot reach Neutron',
                      stack.status_reason)
        del two.fail['networks']
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual({}, two.network_records)

    def test_cells_share_one_network(self):
        stack = self.create(self.template(
            site_a={'context': {}, 'cell': 'cell1', 'physical_network': None},
            site_b={'context': {}, 'cell': 'cell2',
                    'physical_network': None}))
        link = stack['link']
        self.assertEqual(link.FnGetAtt('local_network_id'),
                         link.FnGetAtt('remote_network_id'))
        self.assertEqual('az-cell2',
                         stack['site_b'].FnGetAtt('availability_zone'))
        (network,) = self.neutron(None).network_records.values()
        self.assertEqual(['physnet-cell1', 'physnet-cell2'],
                         [s['provider:physical_network']
                          for s in network.segments])

    def test_separate_cloud_by_name(self):
        self.patchobject(clouds, 'operator_clouds').return_value.\
            get_cloud_names.return_value = ['cloud-b']
        stack = self.create(self.template(
            site_b={'context': {'cloud': 'cloud-b'}}))
        network_id = stack['link'].FnGetAtt('remote_network_id')
        self.assertIn(network_id,
                      self.neutron(None, cloud='cloud-b').network_records)

    def test_descriptors_survive_endpoint_state(self):
        stack = self.create()
        stack['site_b'].state_set(stack['site_b'].CHECK,
                                  stack['site_b'].FAILED)
        scheduler.TaskRunner(stack['link'].delete)()
        self.assertEqual({}, self.neutron('RegionTwo').network_records)


class InterconnectUpdateTest(InterconnectTestBase):
    """Updates keep the link wherever Neutron allows it."""

    def halves(self, stack):
        link = stack['link']
        return [self.neutron('RegionOne').network_records.get(
                    link.FnGetAtt('local_network_id')),
                self.neutron('RegionTwo').network_records.get(
                    link.FnGetAtt('remote_network_id'))]

    def test_pinning_the_chosen_values_writes_nothing(self):
        stack = self.create()
        link = stack['link']
        ref, chosen = link.FnGetRefId(), link.FnGetAtt('segmentation_id')
        writes = [len(n.writes) for n in self.neutrons.values()]
        self.update(stack, self.template(link={
            'segmentation_id': chosen, 'cidr': link.FnGetAtt('cidr'),
            'segmentation_range': '%d:%d' % (chosen, chosen)}))
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual(writes, [len(n.writes)
                                  for n in self.neutrons.values()])

    def test_new_segmentation_id_is_set_in_place(self):
        stack = self.create(self.template(link={'segmentation_id': 150}))
        ref = stack['link'].FnGetRefId()
        self.update(stack, self.template(link={'segmentation_id': 151}))
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual([151, 151], [n.provider_segmentation_id
                                      for n in self.halves(stack)])
        self.assertEqual(151, stack['link'].FnGetAtt('segmentation_id'))

    def test_range_without_the_current_id_moves_it_in_place(self):
        stack = self.create(self.template(link={'segmentation_id': 150}))
        ref = stack['link'].FnGetRefId()
        self.update(stack, self.template(link={
            'segmentation_id': None, 'segmentation_range': '160:160'}))
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual([160, 160], [n.provider_segmentation_id
                                      for n in self.halves(stack)])

    def test_replacement_takes_the_fixed_id_freed_by_the_old_link(self):
        stack = self.create(self.template(link={
            'segmentation_id': 150, 'cidr': '10.9.0.0/24'}))
        old = stack['link'].FnGetRefId()
        self.update(stack, self.template(link={
            'segmentation_id': 150, 'cidr': '10.9.1.0/24'}))
        self.assertNotEqual(old, stack['link'].FnGetRefId())
        self.assertEqual([150, 150], [n.provider_segmentation_id
                                      for n in self.halves(stack)])
        self.assertNotIn(old, self.neutron('RegionOne').network_records)

    def test_cells_replace_for_another_id(self):
        cells = {'context': {}, 'cell': None, 'physical_network': None}
        tmpl = self.template(site_a=dict(cells, cell='cell1'),
                             site_b=dict(cells, cell='cell2'),
                             link={'segmentation_id': 150})
        stack = self.create(tmpl)
        old = stack['link'].FnGetRefId()
        tmpl['resources']['link']['properties']['segmentation_id'] = 151
        self.update(stack, tmpl)
        self.assertNotEqual(old, stack['link'].FnGetRefId())

    def test_failed_check_does_not_replace_a_healthy_link(self):
        stack = self.create()
        ref = stack['link'].FnGetRefId()
        remote = self.halves(stack)[1]
        remote.mtu = 1400
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        remote.mtu = 1500
        self.update(stack, self.template(link={'name': 'renamed'}))
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual('renamed', remote.name)

    def test_failed_check_of_a_broken_link_replaces_it(self):
        stack = self.create()
        ref = stack['link'].FnGetRefId()
        del self.neutron('RegionTwo').network_records[
            stack['link'].FnGetAtt('remote_network_id')]
        scheduler.TaskRunner(stack.check)()
        self.update(stack, self.template(link={'name': 'renamed'}))
        self.assertNotEqual(ref, stack['link'].FnGetRefId())

    def test_failed_check_with_a_silent_side_keeps_the_link(self):
        """A side that does not answer leaves the link degraded: the
        failover's update must not rebuild it (nor the VNF on it)."""
        stack = self.create()
        ref = stack['link'].FnGetRefId()
        two = self.neutron('RegionTwo')
        two.fail['find_network'] = ks_exc.ConnectFailure('refused')
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertFalse(stack['link'].needs_replace_failed())
        self.update(stack, self.template(site_a={
            'physical_network': 'physnet1', 'availability_zone': 'az-1'}))
        self.assertEqual(ref, stack['link'].FnGetRefId())

    def test_a_refusal_is_not_gone(self):
        stack = self.create()
        self.neutron('RegionTwo').fail['find_network'] = \
            sdk_exc.HttpException('no', http_status=403)
        self.assertFalse(stack['link'].needs_replace_failed())
        self.neutron('RegionTwo').fail['find_network'] = \
            sdk_exc.NotFoundException('gone')
        self.assertTrue(stack['link'].needs_replace_failed())

    def test_a_bug_propagates(self):
        stack = self.create()
        self.neutron('RegionTwo').fail['find_network'] = KeyError('bug')
        self.assertRaises(KeyError, stack['link'].needs_replace_failed)

    def test_only_a_silent_side_is_unreachable(self):
        stack = self.create()

        def check():
            scheduler.TaskRunner(stack['link'].check)()

        self.neutron('RegionTwo').fail['find_network'] = \
            ks_exc.ConnectTimeout('timed out')
        exc = self.assertRaises(exception.ResourceFailure, check)
        self.assertIn('remote side (region RegionTwo): cannot reach '
                      'Neutron', str(exc))
        # A catalog without that Neutron is the operator's to fix.
        self.neutron('RegionTwo').fail['find_network'] = \
            ks_exc.EndpointNotFound('no network service in RegionTwo')
        exc = self.assertRaises(exception.ResourceFailure, check)
        self.assertIn('remote side (region RegionTwo): failed to read',
                      str(exc))

    def test_an_endpoint_whose_check_failed_is_found(self):
        """Heat's resource_by_refid no longer finds such an endpoint."""
        stack = self.create()
        stack['site_b'].state_set(stack['site_b'].CHECK,
                                  stack['site_b'].FAILED)
        stack = parser.Stack.load(stack.context, stack_id=stack.id)
        self.assertIsNone(stack.resource_by_refid(
            stack['site_b'].FnGetRefId()))
        self.assertIs(stack['site_b'],
                      stack['link']._endpoint('remote_endpoint'))

    def test_status_is_read_live(self):
        stack = self.create()
        self.assertEqual('ACTIVE', stack['link'].FnGetAtt('status'))
        self.halves(stack)[1].mtu = 1400
        self.assertIn('MTU is 1400', stack['link'].FnGetAtt('status'))


class InterconnectStepsTest(InterconnectTestBase):
    """Create proceeds in steps, each recorded as soon as it is done."""

    def test_objects_are_recorded_before_a_later_step_fails(self):
        stack, two = self.create_with_remote_subnet_refused()
        link = stack['link']
        state = link._state()
        self.assertEqual([state.remote_network_id], list(two.network_records))
        self.assertIsNone(state.remote_subnet_id)
        self.assertEqual(state.local_network_id, link.resource_id)

    def test_heat_gets_control_back_between_steps(self):
        self.patchobject(interconnect, 'CREATE_STEPS_SECONDS', new=0)
        real_check = interconnect.GeoInterconnect.check_create_complete
        polls = []

        def check(rsrc, steps):
            polls.append(rsrc.data().get('state'))
            return real_check(rsrc, steps)

        self.patchobject(interconnect.GeoInterconnect,
                         'check_create_complete', autospec=True,
                         side_effect=check)
        stack = self.create()
        # networks, subnets, MTU, sharing, then the end of the steps
        self.assertEqual(5, len(polls))
        self.assertIsNone(polls[0])
        self.assertIn(stack['link'].resource_id, polls[1])
        self.assertEqual('ACTIVE', stack['link'].FnGetAtt('status'))

    def test_one_call_builds_a_quick_link(self):
        real_check = interconnect.GeoInterconnect.check_create_complete
        polls = []

        def check(rsrc, steps):
            polls.append(steps)
            return real_check(rsrc, steps)

        self.patchobject(interconnect.GeoInterconnect,
                         'check_create_complete', autospec=True,
                         side_effect=check)
        self.create()
        self.assertEqual(1, len(polls))


class InterconnectSharingTest(InterconnectTestBase):
    """Shares made and removed through Heat, once the sites name them."""

    def test_shares_live_and_die_with_the_stack(self):
        projects = {site.LOCAL: 'tenant-a', site.REMOTE: 'tenant-b'}
        real_site = site.Site
        self.patchobject(site, 'Site', side_effect=lambda role, *args, **kw: (
            real_site(role, *args, **dict(kw,
                                          share_project_id=projects[role]))))
        stack = self.create()
        state = stack['link']._state()
        for region, role in (('RegionOne', site.LOCAL),
                             ('RegionTwo', site.REMOTE)):
            (policy,) = self.neutron(region).rbac_policy_records.values()
            self.assertEqual(
                (getattr(state, role + '_rbac_policy_id'), projects[role]),
                (policy.id, policy.target_project_id))
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        for region in ('RegionOne', 'RegionTwo'):
            # Gone with the network, as Neutron cascades them.
            self.assertEqual({}, self.neutron(region).rbac_policy_records)
            self.assertNotIn('delete_rbac_policy',
                             self.neutron(region).writes)


class InterconnectValidationTest(InterconnectTestBase):
    """Each bad template fails validate, naming the property, untouched."""

    def test_valid_template_passes(self):
        utils.parse_stack(self.template()).validate()
        self.connect.assert_not_called()

    def test_segmentation_id_out_of_range(self):
        self.assertRejected(self.template(link={'segmentation_id': 5000}),
                            'resources.link.properties.segmentation_id',
                            'outside the vlan range 1:4094')

    def test_segmentation_id_with_flat(self):
        self.assertRejected(
            self.template(link={'technology': 'flat',
                                'segmentation_range': None,
                                'segmentation_id': 10}),
            'properties.segmentation_id', 'flat link has no segmentation ID')

    def test_segmentation_range_malformed(self):
        self.assertRejected(self.template(link={'segmentation_range': '9'}),
                            'properties.segmentation_range', 'min:max')

    def test_segmentation_range_outside_technology(self):
        self.assertRejected(
            self.template(link={'segmentation_range': '4000:4100'}),
            'properties.segmentation_range', 'outside the vlan range')

    def test_unknown_technology(self):
        self.assertRejected(self.template(link={'technology': 'mpls'}),
                            'properties.technology', 'mpls')

    def test_bad_cidr(self):
        self.assertRejected(self.template(link={'cidr': '10.0.0.1/24'}),
                            'properties.cidr', 'host bits')
        self.assertRejected(self.template(link={'cidr': 'banana'}),
                            'properties.cidr')

    def test_mtu_out_of_range(self):
        self.assertRejected(self.template(link={'mtu': 10000}),
                            'properties.mtu')

    def test_identical_endpoints(self):
        self.assertRejected(
            self.template(link={'remote_endpoint': {'get_resource':
                                                    'site_a'}}),
            'properties.remote_endpoint', 'same site')
        self.assertRejected(
            self.template(site_b={'context': {'region_name': 'RegionOne'}}),
            'properties.remote_endpoint', 'same site')

    def test_vlan_without_physical_network(self):
        self.assertRejected(self.template(site_b={'physical_network': None}),
                            'properties.remote_endpoint',
                            'needs a physical_network')

    def test_endpoint_reference_not_an_endpoint(self):
        tmpl = self.template(link={'local_endpoint': 'nonsense'})
        self.assertRejected(tmpl, 'properties.local_endpoint',
                            'not an OS::Geo::Endpoint')

    def test_missing_endpoint(self):
        self.assertRejected(self.template(link={'remote_endpoint': None}),
                            'remote_endpoint')

    def test_unknown_cell(self):
        self.assertRejected(self.template(site_b={'cell': 'cell9'}),
                            'properties.cell', 'cell "cell9" is not mapped')

    def test_unknown_cloud(self):
        self.assertRejected(
            self.template(site_b={'context': {'cloud': 'nowhere'}}),
            'properties.context', 'cloud "nowhere"')

    def test_cloud_and_secret_together(self):
        self.patchobject(clouds, 'operator_clouds').return_value.\
            get_cloud_names.return_value = ['cloud-b']
        self.assertRejected(
            self.template(site_b={'context': {
                'cloud': 'cloud-b', 'credential_secret_id': 'x'}}),
            'properties.context', 'either cloud or credential_secret_id')

    def test_same_physnet_in_same_neutron(self):
        self.assertRejected(
            self.template(site_a={'context': {}, 'cell': 'cell1'},
                          site_b={'context': {}, 'cell': 'cell1'}),
            'properties.remote_endpoint')


class InterconnectUnderlayTest(InterconnectTestBase):
    """What the operator declared the interconnect carries, from validate
    to the built link."""

    def setUp(self):
        super().setUp()
        self.declare('region:RegionOne|region:RegionTwo|vlan:150:159|'
                     'mtu=1400|physnet=physnet1',
                     'cell:cell1|cell:cell2|vlan|physnet=physnet-cell1/'
                     'physnet-cell2')

    def declare(self, *items):
        cfg.CONF.set_override('interconnects', list(items), group='geo_heat')

    def assertRejected(self, tmpl, prop, message):
        exc = self.assertRaises(exception.StackValidationFailed,
                                utils.parse_stack(tmpl).validate)
        self.assertIn('resources.link.properties.%s: ' % prop, str(exc))
        self.assertIn(message, str(exc))
        self.connect.assert_not_called()

    def test_declared_link_passes(self):
        utils.parse_stack(self.template(link={
            'segmentation_range': '150:155', 'mtu': 1400})).validate()

    def test_undeclared_sites(self):
        self.assertRejected(
            self.template(site_b={'context': {'region_name': 'RegionThree'}}),
            'remote_endpoint',
            'the operator did not declare a vlan link possible between '
            'region:RegionOne and region:RegionThree')

    def test_undeclared_technology(self):
        self.assertRejected(
            self.template(link={'technology': 'vxlan',
                                'segmentation_range': None}),
            'technology',
            'the operator did not declare a vxlan link possible between '
            'region:RegionOne and region:RegionTwo; declared there: vlan')

    def test_endpoint_without_region_is_in_the_stack_region(self):
        tmpl = self.template(link={'segmentation_range': None},
                             site_a={'context': {}})
        self.assertRejected(tmpl, 'remote_endpoint',
                            "between the stack's region and "
                            'region:RegionTwo')
        cfg.CONF.set_override('region_name_for_services', 'RegionOne')
        utils.parse_stack(tmpl).validate()

    def test_segmentation_outside_the_declared_range(self):
        self.assertRejected(
            self.template(link={'segmentation_id': 160}), 'segmentation_id',
            '160 is outside the vlan range 150:159 the operator declared')
        self.assertRejected(
            self.template(link={'segmentation_range': '100:199'}),
            'segmentation_range',
            '"100:199" is outside the vlan range 150:159 the operator '
            'declared')

    def test_mtu_above_the_cap(self):
        self.assertRejected(
            self.template(link={'segmentation_range': None, 'mtu': 1500}),
            'mtu', '1500 is above 1400')
        cfg.CONF.set_override('link_mtu_cap', 1300, group='geo_heat')
        self.assertRejected(
            self.template(link={'technology': 'vlan', 'mtu': 1350},
                          site_a={'context': {}, 'cell': 'cell1',
                                  'physical_network': None},
                          site_b={'context': {}, 'cell': 'cell2',
                                  'physical_network': None}),
            'mtu', '1350 is above 1300')

    def test_bad_item_refuses_every_link(self):
        self.declare('region:RegionOne|region:RegionTwo|vlan:150:159',
                     'region:RegionOne|cloud:hidden|vlan:1:9999')
        self.assertRejected(self.template(), 'remote_endpoint',
                            '[geo_heat] interconnects has a bad item')

    def test_declared_range_and_cap_reach_the_link(self):
        cfg.CONF.set_override('segmentation_ranges', {'vlan': '100:199'},
                              group='geo_heat')
        stack = self.create(self.template(link={'segmentation_range': None}))
        link = stack['link']
        spec = json.loads(link.data()['spec'])
        self.assertEqual(([150, 159], 1400),
                         (spec['segmentation_range'], spec['mtu_cap']))
        self.assertTrue(150 <= link.FnGetAtt('segmentation_id') <= 159)
        self.assertEqual(1400, link.FnGetAtt('mtu'))
        for neutron in (self.neutron('RegionOne'),
                        self.neutron('RegionTwo')):
            (network,) = neutron.network_records.values()
            self.assertEqual(1400, network.mtu)

    def test_operator_default_range_without_a_declared_one(self):
        cfg.CONF.set_override('segmentation_ranges', {'vlan': '170:170'},
                              group='geo_heat')
        cfg.CONF.set_override('link_mtu_cap', 1450, group='geo_heat')
        stack = self.create(self.template(
            link={'segmentation_range': None},
            site_a={'context': {}, 'cell': 'cell1', 'physical_network': None},
            site_b={'context': {}, 'cell': 'cell2',
                    'physical_network': None}))
        self.assertEqual(170, stack['link'].FnGetAtt('segmentation_id'))
        self.assertEqual(1450, stack['link'].FnGetAtt('mtu'))

    def test_undeclared_link_found_at_create(self):
        stack = self.create()
        self.declare('cell:cell1|cell:cell2|vlan')
        stack['link'].data_delete('spec')
        exc = self.assertRaises(exception.Error, stack['link']._spec)
        self.assertIn('did not declare a vlan link possible', str(exc))


class InterconnectErrorsTest(InterconnectTestBase):
    """Each class of Neutron error, as Heat's create and delete see it."""

    def setUp(self):
        super().setUp()
        # Heat's retries, without their backoff.
        self.patchobject(heat_timeutils, 'retry_backoff_delay',
                         return_value=0.01)
        self.one = self.neutrons[(None, None, 'RegionOne')] = \
            fakes.FakeNeutron()
        self.two = self.neutrons[(None, None, 'RegionTwo')] = \
            fakes.FakeNeutron()

    def create_failed(self):
        stack = utils.parse_stack(self.template())
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        return stack

    def test_quota_fails_at_once_naming_side_and_quota(self):
        cfg.CONF.set_override('action_retry_limit', 2)
        self.two.quotas['network'] = 0
        stack = self.create_failed()
        self.assertIn('Error: resources.link: remote side (region '
                      'RegionTwo): quota exceeded for network',
                      stack['link'].status_reason)
        self.assertEqual(1, self.one.calls.count('create_network'))
        self.assertEqual(1, self.two.calls.count('create_network'))

    def test_other_conflict_on_create_is_retried_by_heat(self):
        cfg.CONF.set_override('action_retry_limit', 1)
        self.two.fail['create_network'] = fakes.neutron_error(
            409, 'SomethingElseInUse', 'Busy.')
        stack = self.create_failed()
        self.assertIn('LinkConflict: resources.link: remote side (region '
                      'RegionTwo): failed to create the vlan network',
                      stack['link'].status_reason)
        self.assertEqual(2, self.two.calls.count('create_network'))

    def test_a_pinned_id_in_use_is_retried_and_named_by_heat(self):
        cfg.CONF.set_override('action_retry_limit', 1)
        self.two.create_network(name='other', provider_network_type='vlan',
                                provider_physical_network='physnet1',
                                provider_segmentation_id=150)
        stack = utils.parse_stack(self.template(link={'segmentation_id': 150}))
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('SegmentationConflict: resources.link: remote side '
                      '(region RegionTwo)', stack['link'].status_reason)
        self.assertEqual(3, self.two.calls.count('create_network'))

    def test_conflict_on_delete_is_retried_by_heat(self):
        cfg.CONF.set_override('action_retry_limit', 1)
        stack = self.create()
        real_delete = self.two.delete_network
        refusals = [fakes.neutron_error(409, 'NetworkInUse',
                                        'There are ports on it.')]

        def delete_once_in_use(network_id, ignore_missing=True):
            if refusals:
                self.two.calls.append('delete_network')
                raise refusals.pop()
            return real_delete(network_id, ignore_missing=ignore_missing)

        self.two.delete_network = delete_once_in_use
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(2, self.two.calls.count('delete_network'))
        self.assertEqual({}, self.two.network_records)

    def test_not_found_on_delete_is_gone(self):
        stack = self.create()
        self.two.fail['networks'] = sdk_exc.NotFoundException('gone')
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual({}, self.one.network_records)

    def test_client_exception_is_the_cause(self):
        self.two.quotas['network'] = 0
        stack = self.create_failed()
        link = stack['link']
        steps = link._link().create_steps(model.LinkState())
        exc = self.assertRaises(exception.Error, link._run, next, steps)
        self.assertEqual('OverQuota',
                         errors.neutron_error_type(exc.__cause__.__cause__))


class StitchedInterconnectTest(InterconnectTestBase):
    """bgpvpn, ipsec and auto through the Heat resource."""

    EXTENSIONS = ['provider', 'bgpvpn', 'vpnaas']

    def _connect(self, placement, ca_cert=None, insecure=False,
                 timeout=None):
        key = placement.neutron_key
        if key not in self.neutrons:
            self.neutrons[key] = fakes.FakeNeutron(
                extensions=self.EXTENSIONS)
            self.neutrons[key].create_external_network('public')
        return fakes.FakeConnection(self.neutrons[key])

    def test_bgpvpn_l3(self):
        stack = self.create(self.stitched('bgpvpn', bgpvpn_type='l3'))
        link = stack['link']
        self.assertEqual('bgpvpn', link.FnGetAtt('technology'))
        target = link.FnGetAtt('route_target')
        self.assertTrue(target.startswith('64512:'))
        self.assertNotEqual(link.FnGetAtt('local_cidr'),
                            link.FnGetAtt('remote_cidr'))
        for region in ('RegionOne', 'RegionTwo'):
            (vpn,) = self.neutron(region).service_records['bgpvpn'].values()
            self.assertEqual(([target], 'l3'), (vpn.route_targets, vpn.type))
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state)
        scheduler.TaskRunner(stack.delete)()
        for region in ('RegionOne', 'RegionTwo'):
            self.assertEqual([], self.neutron(region).leftovers())

    def connections(self):
        return [conn for region in ('RegionOne', 'RegionTwo')
                for conn in self.neutron(region).service_records[
                    'vpn_ipsec_site_connection'].values()]

    def test_ipsec_key_is_kept_redacted_and_rotated_in_place(self):
        stack = self.create(self.stitched('ipsec'))
        link = stack['link']
        psk = link.data()['psk']
        self.assertEqual({psk}, {c.psk for c in self.connections()})
        row = db_api.resource_data_get_by_key(link.context, link.id, 'psk')
        self.assertTrue(row.redact)
        self.assertNotIn(psk, str(row.value))
        shown = json.dumps([link.FnGetAtt(name) for name in
                            link.attributes_schema if name != 'show'] +
                           [link.FnGetAtt('show')], default=str)
        self.assertNotIn(psk, shown)
        self.assertEqual(('aes-256', 'sha256', 'group14'), tuple(
            getattr(p, attr) for p in self.neutron('RegionOne')
            .service_records['vpn_ike_policy'].values()
            for attr in ('encryption_algorithm', 'auth_algorithm', 'pfs')))
        ids = {c.id for c in self.connections()}
        self.update(stack, self.stitched('ipsec', psk_rotation=1))
        new_psk = stack['link'].data()['psk']
        self.assertNotEqual(psk, new_psk)
        self.assertEqual({new_psk}, {c.psk for c in self.connections()})
        self.assertEqual(ids, {c.id for c in self.connections()})

    def test_auto_takes_ipsec_where_one_side_has_no_bgpvpn(self):
        self.EXTENSIONS = ['provider', 'vpnaas']
        stack = self.create(self.stitched('auto'))
        self.assertEqual('ipsec', stack['link'].FnGetAtt('technology'))

    def test_auto_takes_the_first_preference(self):
        stack = self.create(self.stitched('auto'))
        self.assertEqual('bgpvpn', stack['link'].FnGetAtt('technology'))

    def test_auto_asks_each_endpoint_once_at_create(self):
        capabilities = self.patchobject(
            endpoint.GeoEndpoint, 'capabilities', autospec=True,
            side_effect=endpoint.GeoEndpoint.capabilities)
        stack = self.create(self.stitched('auto'))
        self.assertEqual([stack['site_a'], stack['site_b']],
                         [c.args[0] for c in capabilities.call_args_list])

    def test_auto_fails_at_create_when_no_side_can(self):
        self.EXTENSIONS = ['provider']
        stack = utils.parse_stack(self.stitched('auto'))
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('auto: no technology of bgpvpn, ipsec is supported by '
                      'both ends', stack.status_reason)


class StitchedValidationTest(InterconnectTestBase):

    def test_segmentation_id_of_a_stitched_link(self):
        self.assertRejected(self.stitched('bgpvpn', segmentation_id=10),
                            'properties.segmentation_id',
                            'a bgpvpn link has no segmentation ID')

    def test_unapproved_cipher(self):
        self.assertRejected(
            self.stitched('ipsec', ipsec={'encryption_algorithm': 'aes-192'}),
            'properties.ipsec.encryption_algorithm',
            '"aes-192" is not one the operator approved: aes-256, aes-128')

    def test_ipsec_options_on_another_technology(self):
        self.assertRejected(
            self.stitched('bgpvpn', ipsec={'pfs': 'group14'}),
            'properties.ipsec', 'applies to ipsec links only')

    def test_auto_where_the_operator_declared_none(self):
        cfg.CONF.set_override('interconnects', [
            'region:RegionOne|region:RegionTwo|vlan:100:199'],
            group='geo_heat')
        self.assertRejected(
            self.stitched('auto'), 'properties.technology',
            'auto found none of the operator\'s preferred technologies '
            '(bgpvpn, ipsec) possible between these ends; declared there: '
            'vlan')

    def test_auto_with_a_segmentation_id(self):
        self.assertRejected(self.stitched('auto', segmentation_id=5),
                            'properties.segmentation_id', 'auto link')

    def test_stitched_link_within_one_neutron(self):
        tmpl = self.stitched('ipsec')
        tmpl['resources']['site_b']['properties'].update(
            context={'region_name': 'RegionOne'},
            physical_network='physnet-cell1')
        self.assertRejected(tmpl, 'properties.remote_endpoint',
                            'ipsec stitches two Neutrons')


class InterconnectLostSideTest(InterconnectTestBase):
    """A link one of whose sites is given up for good (site_b lost)."""

    def lose_region_two(self, stack, tmpl=None):
        """Mark site_b lost; from then on RegionTwo answers nothing, and
        every call made there is counted."""
        tmpl = tmpl or self.template()
        tmpl['resources']['site_b']['properties']['lost'] = True
        self.update(stack, tmpl)
        # As the engine would for the next request.
        stack = parser.Stack.load(stack.context, stack_id=stack.id)
        two = self.neutron('RegionTwo')
        for call in ('networks', 'find_network', 'find_subnet',
                     'update_network', 'delete_network', 'rbac_policies',
                     'routers', 'bgpvpns', 'find_router', 'find_bgpvpn'):
            two.fail[call] = ks_exc.ConnectFailure('refused')
        return stack, tmpl, len(two.calls)

    def events(self, stack, name='link'):
        return [e.resource_status_reason for e in
                event_objects.Event.get_all_by_stack(stack.context, stack.id)
                if e.resource_name == name and e.resource_status_reason]

    def test_delete_completes_naming_what_is_left(self):
        """A link removed by an update, then the stack."""
        stack = self.create()
        link_id, state = stack['link'].uuid, stack['link']._state()
        stack, tmpl, calls = self.lose_region_two(stack)
        del tmpl['resources']['link']
        self.update(stack, tmpl)
        two = self.neutron('RegionTwo')
        self.assertEqual(calls, len(two.calls))
        self.assertNotIn(state.local_network_id,
                         self.neutron('RegionOne').network_records)
        self.assertIn(state.remote_network_id, two.network_records)
        left = self.events(stack)
        self.assertIn('remote side (region RegionTwo) is lost: what the link '
                      'has there (tagged geo-heat-link=%s) is left for '
                      'geo-heat-sweep' % link_id, left)
        self.assertIn('remote side (region RegionTwo): left network %s, '
                      'subnet %s, RBAC policy %s' % (
                          state.remote_network_id, state.remote_subnet_id,
                          state.remote_rbac_policy_id), ' '.join(left))
        self.assertTrue(all(len(reason) <= 255 for reason in left))
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(calls, len(two.calls))

    def test_check_and_status_read_the_surviving_side_only(self):
        stack = self.create()
        stack, _tmpl, calls = self.lose_region_two(stack)
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state,
                         stack.status_reason)
        status = stack['link'].FnGetAtt('status')
        self.assertIn('remote side (region RegionTwo) is lost; left there: '
                      'network %s' % stack['link'].FnGetAtt(
                          'remote_network_id'), status)
        self.assertTrue(stack['link'].FnGetAtt('show')['remote']['lost'])
        self.assertEqual(calls, len(self.neutron('RegionTwo').calls))
        # The surviving side is still checked.
        self.halves_local(stack).mtu = 1400
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn('local side (region RegionOne): MTU is 1400',
                      stack['link'].status_reason)

    def halves_local(self, stack):
        return self.neutron('RegionOne').network_records[
            stack['link'].FnGetAtt('local_network_id')]

    def test_update_leaves_the_lost_side_alone(self):
        stack = self.create()
        ref = stack['link'].FnGetRefId()
        stack, tmpl, calls = self.lose_region_two(stack)
        tmpl['resources']['link']['properties']['name'] = 'renamed'
        self.update(stack, tmpl)
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual('renamed', self.halves_local(stack).name)
        self.assertEqual(calls, len(self.neutron('RegionTwo').calls))

    def test_a_failed_link_to_a_lost_site_is_not_replaced(self):
        stack = self.create()
        ref = stack['link'].FnGetRefId()
        stack['link'].state_set(stack['link'].CHECK, stack['link'].FAILED)
        stack, tmpl, calls = self.lose_region_two(stack)
        self.assertEqual(ref, stack['link'].FnGetRefId())
        self.assertEqual(calls, len(self.neutron('RegionTwo').calls))

    def test_no_link_is_built_to_a_lost_site(self):
        stack = self.create()
        stack, tmpl, calls = self.lose_region_two(stack)
        tmpl['resources']['link2'] = dict(
            tmpl['resources']['link'],
            properties=dict(tmpl['resources']['link']['properties'],
                            segmentation_range='150:159'))
        updated = parser.Stack(stack.context, stack.name,
                               template.Template(tmpl))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, stack.FAILED), stack.state)
        self.assertIn('remote side (region RegionTwo): the site is given up '
                      'for good (lost): no link is built to it',
                      stack.status_reason)
        self.assertEqual(calls, len(self.neutron('RegionTwo').calls))

    def test_a_lost_cell_leaves_the_shared_network_to_the_other(self):
        cells = {'context': {}, 'physical_network': None}
        tmpl = self.template(site_a=dict(cells, cell='cell1'),
                             site_b=dict(cells, cell='cell2'))
        stack = self.create(tmpl)
        network_id = stack['link'].FnGetRefId()
        tmpl['resources']['site_b']['properties']['lost'] = True
        self.update(stack, tmpl)
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertNotIn(network_id, self.neutron(None).network_records)


class StitchedLostSideTest(InterconnectLostSideTest):
    """What a stitched link leaves on a lost side: its service objects."""

    _connect = StitchedInterconnectTest._connect
    EXTENSIONS = StitchedInterconnectTest.EXTENSIONS

    def template(self, link=None, site_a=None, site_b=None):
        return super().template(
            link=dict(link or {}, technology='bgpvpn', bgpvpn_type='l3',
                      segmentation_range=None),
            site_a=site_a, site_b=site_b)

    def test_delete_names_the_router_and_the_bgpvpn(self):
        stack = self.create()
        state = stack['link']._state()
        stack, tmpl, _calls = self.lose_region_two(stack)
        del tmpl['resources']['link']
        self.update(stack, tmpl)
        self.assertEqual([], self.neutron('RegionOne').leftovers())
        left = ' '.join(self.events(stack))
        for named in ('router %s' % state.remote_router_id,
                      'BGPVPN %s' % state.services['remote']['bgpvpn'],
                      'BGPVPN association %s'
                      % state.services['remote']['association']):
            self.assertIn(named, left)


class InterconnectTenancyTest(InterconnectTestBase):
    """What a tenant may ask of a link, and that an admin may ask more;
    whatever Heat's policy file says (none is loaded here)."""

    def setUp(self):
        super().setUp()
        self.declare('region:RegionOne|region:RegionTwo|vlan:100:199|'
                     'physnet=physnet1')

    def declare(self, *items):
        cfg.CONF.set_override('interconnects', list(items), group='geo_heat')

    def validate(self, tmpl, is_admin=False):
        stack = utils.parse_stack(tmpl)
        stack.context.is_admin = is_admin
        stack.validate()
        return stack

    def assertTenantRefused(self, tmpl, prop, message):
        exc = self.assertRaises(exception.StackValidationFailed,
                                self.validate, tmpl)
        # Of two links, whichever Heat validates first.
        self.assertRegex(str(exc),
                         r'resources\.link2?\.properties\.%s: ' % prop)
        self.assertIn(message, str(exc))
        self.validate(tmpl, is_admin=True)
        self.connect.assert_not_called()

    def test_without_the_policy_file_the_declarations_still_gate(self):
        """Heat allows every resource type no rule names; the link is
        refused all the same."""
        self.declare()
        stack = utils.parse_stack(self.template())
        self.assertTrue(heat_policy.ResourceEnforcer().enforce(
            stack.context, 'OS::Geo::Interconnect',
            is_registered_policy=True))
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        self.assertIn('resources.link.properties.technology: the operator '
                      'has not declared the interconnect', str(exc))

    def test_nothing_declared_admins_only(self):
        self.declare()
        self.assertTenantRefused(
            self.template(), 'technology',
            'the operator has not declared the interconnect')

    def test_physical_network_not_declared(self):
        self.assertTenantRefused(
            self.template(site_b={'physical_network': 'extnet'}),
            'remote_endpoint', 'physical network extnet is not one the '
            'operator declared for vlan links at the remote end: physnet1')

    def test_flat_undeclared(self):
        self.declare('region:RegionOne|region:RegionTwo|vlan:100:199|'
                     'physnet=physnet1',
                     'region:RegionOne|region:RegionTwo|flat')
        self.assertTenantRefused(
            self.template(link={'technology': 'flat',
                                'segmentation_range': None}),
            'local_endpoint', 'declared no physical network for flat links')
        self.declare('region:RegionOne|region:RegionTwo|vlan:100:199')
        self.assertTenantRefused(
            self.template(link={'technology': 'flat',
                                'segmentation_range': None}),
            'technology', 'did not declare a flat link possible')

    def test_vlan_outside_the_declared_range(self):
        self.assertTenantRefused(
            self.template(link={'segmentation_id': 3000,
                                'segmentation_range': None}),
            'segmentation_id', 'outside the vlan range 100:199')

    def test_addresses_per_link(self):
        cfg.CONF.set_override('max_link_addresses', 256, group='geo_heat')
        self.validate(self.template(link={'cidr': '10.9.0.0/24'}))
        self.assertTenantRefused(
            self.template(link={'cidr': '10.9.0.0/23'}), 'cidr',
            'limit of 256 per link ([geo_heat] max_link_addresses)')

    def test_links_per_project_count_the_stack_and_what_is_held(self):
        cfg.CONF.set_override('max_links_per_project', 1, group='geo_heat')
        tmpl = self.template()
        tmpl['resources']['link2'] = tmpl['resources']['link']
        self.assertTenantRefused(
            tmpl, 'technology',
            'would hold 2 links, more than the operator\'s limit of 1 '
            '([geo_heat] max_links_per_project)')
        self.create()
        self.connect.reset_mock()
        self.assertTenantRefused(self.template(), 'technology',
                                 'would hold 2 links')

    def test_physical_network_checked_again_at_create(self):
        """Auto picks its technology at create, where the physical
        networks of what it picked are checked."""
        stack = self.create()
        self.declare('region:RegionOne|region:RegionTwo|vlan:100:199|'
                     'physnet=physnet1/physnet2')
        stack['link'].data_delete('spec')
        exc = self.assertRaises(exception.Error, stack['link']._spec)
        self.assertEqual('remote_endpoint: physical network physnet1 is not '
                         'one the operator declared for vlan links at the '
                         'remote end: physnet2', str(exc))
        stack.context.is_admin = True
        self.assertEqual('vlan', stack['link']._spec().technology)

    def test_show_names_no_operator_project(self):
        stack = self.create()
        shown = stack['link'].FnGetAtt('show')
        network = self.neutron('RegionOne').network_records[
            stack['link'].resource_id]
        self.assertIn(network.project_id, json.dumps(
            network.to_dict(computed=False), default=str))
        self.assertNotIn('project_id', json.dumps(shown))
        self.assertNotIn('provider', json.dumps(shown))
        self.assertEqual(network.id, shown['local']['network']['id'])
