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

import copy

from heat.common import exception
from heat.common import template_format
from heat.engine import resource
from heat.engine.resources import signal_responder
from heat.engine import scheduler
from heat.objects import event as event_objects
from heat.engine import stack as parser
from heat.engine import template
from heat.tests import utils

from geo_heat import client
from geo_heat import definitions
from geo_heat import resource_data
from geo_heat.resources import driver
from geo_heat.resources import redundant_vnf
from tests.unit import fakes
from tests.unit.link import test_tenancy
from tests.unit.resources import test_interconnect
from tests.unit import test_resource_data

INSTANCE = '''
heat_template_version: 2021-04-16
parameters:
  role: {type: string}
  epoch: {type: number}
  mode: {type: string}
  configuration: {type: string}
  port: {type: string}
  address: {type: string}
  peer_address: {type: string}
  availability_zone: {type: string}
  tier: {type: string}
resources:
  server: {type: OS::Nova::Server}
outputs:
  server_id: {value: {get_resource: server}}
  address: {value: {get_param: address}}
'''


def vnf_template(active='site_a', standby='site_b', **props):
    tmpl = template_format.parse(test_interconnect.TEMPLATE)
    tmpl['resources']['vnf'] = {
        'type': 'OS::Geo::RedundantVNF',
        'properties': dict({
            'active_endpoint': {'get_resource': active},
            'standby_endpoint': {'get_resource': standby},
            'links': [{'get_resource': 'link'}],
            'instance_template': INSTANCE,
            'configuration': 'first',
            'parameters': {'tier': 'gold'},
        }, **props)}
    return tmpl


class RedundantVNFTestBase(test_interconnect.InterconnectTestBase):

    def setUp(self):
        super().setUp()
        resource._register_class('OS::Geo::RedundantVNF',
                                 redundant_vnf.GeoRedundantVNF)
        self.heats = {region: fakes.FakeHeat() for region in (
            'RegionOne', 'RegionTwo', 'RegionThree')}
        # The timeout of each connection to a site's Heat, Nova and
        # Neutron.
        self.timeouts = []
        self.patchobject(client.GeoSiteClientPlugin, 'vnf_connection',
                         side_effect=self._vnf_connection)

    def _vnf_connection(self, placement, ca_cert, insecure, timeout=None):
        self.timeouts.append(timeout)
        heat = self.heats[placement.region_name]
        return fakes.Record(orchestration=heat, compute=heat.nova,
                             network=self.neutron(placement.region_name))

    def instance(self, region):
        """(stack id, stack) of the one instance stack in a region."""
        (item,) = self.heats[region].stacks.items()
        return item

    def update_vnf(self, stack, expect='COMPLETE', **props):
        """Update the VNF's properties; the stack as loaded afterwards, as
        the next action's engine would."""
        tmpl = copy.deepcopy(stack.t.t)
        tmpl['resources']['vnf']['properties'].update(props)
        updated = parser.Stack(stack.context, stack.name,
                               template.Template(tmpl))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, expect), stack.state,
                         stack.status_reason)
        return parser.Stack.load(stack.context, stack_id=stack.id)

    def switchover(self, stack, expect='COMPLETE', **props):
        """site_b becomes active, site_a standby."""
        return self.update_vnf(
            stack, expect, active_endpoint={'get_resource': 'site_b'},
            standby_endpoint={'get_resource': 'site_a'}, **props)


class RedundantVNFLifecycleTest(RedundantVNFTestBase):

    def test_ca_bundles_kept_apart_once_each_within_text(self):
        """Each resource keeps a site's CA bundle once, apart from its
        records, in pieces that fit MySQL's TEXT; a site connects with the
        bundle as the template gave it."""
        tmpl = vnf_template()
        for name in ('site_a', 'site_b'):
            tmpl['resources'][name]['properties']['context']['ca_cert'] = (
                test_resource_data.LARGEST_BUNDLE)
        connect = self.patchobject(client.GeoSiteClientPlugin,
                                   'vnf_connection',
                                   side_effect=self._vnf_connection)
        stack = self.create(tmpl)
        for name, key in (('site_a', 'site'), ('link', 'sites'),
                          ('vnf', 'sites')):
            data = stack[name].data()
            self.assertNotIn('BEGIN CERTIFICATE', data[key])
            for value in data.values():
                self.assertLessEqual(resource_data.size(value),
                                     resource_data.TEXT_BYTES)
            first_pieces = [k for k in data if k.startswith(
                resource_data.CA_CERT_KEY) and k.endswith(':0')]
            self.assertEqual(1, len(first_pieces), name)
        self.assertEqual({test_resource_data.LARGEST_BUNDLE},
                         {call.args[1] for call in connect.call_args_list})
        records = parser.Stack.load(stack.context, stack_id=stack.id)[
            'vnf']._records()
        self.assertEqual(test_resource_data.LARGEST_BUNDLE,
                         records['site_b'].descriptor['ca_cert'])

    def test_warm_create_an_instance_per_site_in_its_heat(self):
        stack = self.create(vnf_template())
        vnf = stack['vnf']
        _, one = self.instance('RegionOne')
        _, two = self.instance('RegionTwo')
        cidr = stack['link'].FnGetAtt('cidr')
        prefix = cidr.rsplit('.', 1)[0]
        self.assertEqual('active', one['parameters']['role'])
        self.assertEqual('standby', two['parameters']['role'])
        self.assertEqual(prefix + '.1', one['parameters']['address'])
        self.assertEqual(prefix + '.128', two['parameters']['address'])
        self.assertEqual(prefix + '.128', one['parameters']['peer_address'])
        self.assertEqual('first', two['parameters']['configuration'])
        self.assertEqual('gold', two['parameters']['tier'])
        # Only what the instance template declares.
        self.assertNotIn('image', one['parameters'])
        self.assertTrue(one['name'].endswith('-site_a'))
        # The ports, reserved in the project of each side.
        neutron = self.neutron('RegionOne')
        port = neutron.port_records[one['parameters']['port']]
        self.assertEqual([{'subnet_id': stack['link'].FnGetAtt(
            'local_subnet_id'), 'ip_address': prefix + '.1'}],
            port.fixed_ips)
        self.assertIn('geo-heat-vnf=%s' % vnf.uuid, port.tags)
        active = vnf.FnGetAtt('active')
        self.assertEqual('site_a', active['endpoint'])
        self.assertEqual(one['server_id'], active['server_id'])
        self.assertEqual('region RegionTwo', vnf.FnGetAtt('standby_site'))
        self.assertEqual('ACTIVE', vnf.FnGetAtt('status'))

        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual({}, self.heats['RegionOne'].stacks)
        self.assertEqual({}, neutron.port_records)
        self.assertEqual({}, neutron.network_records)

    def test_an_instance_template_without_server_id_has_no_server(self):
        """What the VNF shows of an instance is what its stack outputs."""
        template = INSTANCE[:INSTANCE.index('resources:')] + 'resources: {}\n'
        stack = self.create(vnf_template(instance_template=template))
        active = stack['vnf'].FnGetAtt('active')
        self.assertEqual((None, None), (active['server_id'],
                                        active['address']))
        self.assertIsNone(self.instance('RegionOne')[1]['server_id'])

    def test_answers_lost_after_the_site_committed(self):
        """The standby site's Heat and Neutron commit a create whose answer
        the WAN drops: the VNF adopts what they made."""
        self.neutrons[(None, None, 'RegionTwo')] = two = fakes.FakeNeutron(
            physical_networks=('physnet1',))
        two.lose.add('create_port')
        self.heats['RegionTwo'].lose.add('create')
        stack = self.create(vnf_template())
        self.assertEqual(set(), two.lose | self.heats['RegionTwo'].lose)
        stack_id, instance = self.instance('RegionTwo')
        (port_id,) = two.port_records
        self.assertEqual(port_id, instance['parameters']['port'])
        self.assertEqual(stack_id,
                         stack['vnf'].FnGetAtt('standby')['stack_id'])
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual(({}, {}), (self.heats['RegionTwo'].stacks,
                                    two.port_records))

    def test_cold_standby_holds_only_its_port(self):
        stack = self.create(vnf_template(mode='cold'))
        self.instance('RegionOne')
        self.assertEqual({}, self.heats['RegionTwo'].stacks)
        self.assertEqual(1, len(self.neutron('RegionTwo').port_records))
        self.assertIsNone(stack['vnf'].FnGetAtt('standby')['stack_id'])

    def test_a_cold_standby_that_cannot_host_the_spare_fails_check(self):
        stack = self.create(vnf_template(mode='cold'))
        two = fakes.FakeConnection(self.neutron('RegionTwo'))
        for provider in two.placement.providers.values():
            provider['used'] = {'MEMORY_MB': 4000}
        self.connect.side_effect = lambda placement, *args: (
            two if placement.region_name == 'RegionTwo'
            else self._connect(placement, *args))
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        problem = ('standby site site_b (region RegionTwo): cannot host the '
                   'spare: no compute host has room for flavor m1.tiny '
                   '(1 VCPU, 512 MB RAM, 1 GB disk)')
        self.assertIn(problem, stack.status_reason)
        self.assertEqual(problem, stack['vnf'].FnGetAtt('status'))
        for provider in two.placement.providers.values():
            provider['used'] = {}
        self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))

    def test_configuration_changes_both_instances_in_place(self):
        stack = self.create(vnf_template())
        stack = self.update_vnf(stack, configuration='second')
        for region in ('RegionOne', 'RegionTwo'):
            stack_id, instance = self.instance(region)
            self.assertEqual('second', instance['parameters']['configuration'])
            self.assertEqual(('update', stack_id),
                             self.heats[region].calls[-2])

    def timeline(self):
        """The calls of every site's Heat, in the order they came."""
        calls = []
        for heat in self.heats.values():
            heat.calls = calls
        return calls

    def test_each_site_waits_for_its_stack_the_active_first(self):
        timeline = self.timeline()
        for heat in self.heats.values():
            heat.in_progress_reads = 2
        stack = self.create(vnf_template())
        one, _ = self.instance('RegionOne')
        two, _ = self.instance('RegionTwo')
        self.assertEqual([one, two], [stack_id for call, stack_id in timeline
                                      if call == 'create'])
        # The standby's stack is created once the active one is complete:
        # two reads saw it in progress, the third complete.
        before = timeline[:timeline.index(('create', two))]
        self.assertEqual(3, before.count(('get', one)))
        self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))

    def test_warm_switchover_swaps_roles_in_place_active_first(self):
        stack = self.create(vnf_template())
        link_id = stack['link'].resource_id
        one, _ = self.instance('RegionOne')
        two, _ = self.instance('RegionTwo')
        timeline = self.timeline()
        stack = self.switchover(stack)
        # The former active instance is demoted, then the new one promoted;
        # the standby's target is what its demotion gave it.
        self.assertEqual([one, two], [stack_id for call, stack_id in timeline
                                      if call == 'update'])
        _, one = self.instance('RegionOne')
        _, two = self.instance('RegionTwo')
        self.assertEqual('standby', one['parameters']['role'])
        self.assertEqual('active', two['parameters']['role'])
        self.assertEqual(link_id, stack['link'].resource_id)
        self.assertEqual('site_b', stack['vnf'].FnGetAtt('active')['endpoint'])

    def test_cold_switchover_starts_the_spare_with_the_stored_configuration(
            self):
        stack = self.create(vnf_template(mode='cold'))
        stack = self.switchover(stack, configuration='stored')
        _, two = self.instance('RegionTwo')
        self.assertEqual('stored', two['parameters']['configuration'])
        self.assertEqual('active', two['parameters']['role'])
        self.assertEqual({}, self.heats['RegionOne'].stacks)

    def test_cold_switchover_suspends_per_purge_policy(self):
        stack = self.create(vnf_template(mode='cold',
                                         purge_policy='suspend'))
        stack = self.switchover(stack)
        _, one = self.instance('RegionOne')
        self.assertEqual('SUSPEND_COMPLETE', one['status'])
        self.assertEqual('suspended',
                         stack['vnf'].FnGetAtt('standby')['state'])

    def test_failover_fences_the_former_active_once_it_answers(self):
        stack = self.create(vnf_template())
        self.heats['RegionOne'].down = True
        stack = self.switchover(stack)
        vnf = stack['vnf']
        self.assertIn('Heat does not answer',
                      vnf.FnGetAtt('degraded')['site_a'])
        self.assertEqual(2, vnf.FnGetAtt('active')['epoch'])
        self.assertTrue(vnf.FnGetAtt('standby')['owes_fencing'])
        degraded = ('standby site site_a (region RegionOne) is degraded, '
                    'owes fencing: Heat does not answer')
        self.assertIn(degraded, vnf.FnGetAtt('status'))
        _, two = self.instance('RegionTwo')
        self.assertEqual(('active', 2), (two['parameters']['role'],
                                         two['parameters']['epoch']))
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn(degraded, stack.status_reason)

        # An update after the failed check keeps the VNF and its sites.
        stack = self.update_vnf(stack, configuration='second')
        self.assertEqual(two['server_id'], self.instance('RegionTwo')[1][
            'server_id'])
        self.assertIn(degraded, stack['vnf'].FnGetAtt('status'))

        # Back: the check fences, demotes, then brings the ports back.
        self.heats['RegionOne'].down = False
        neutron = self.neutron('RegionOne')
        timeline = []
        self.patchobject(neutron, 'update_port', side_effect=lambda port_id,
                         admin_state_up: timeline.append(
                             ('port', admin_state_up)))
        heat = self.heats['RegionOne']
        update_stack = heat.update_stack

        def update(*args, **kwargs):
            timeline.append(('update', kwargs['parameters']['role']))
            return update_stack(*args, **kwargs)

        self.patchobject(heat, 'update_stack', side_effect=update)
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual([('port', False), ('update', 'standby'),
                          ('port', True)], timeline)
        _, one = self.instance('RegionOne')
        self.assertEqual(('standby', 2), (one['parameters']['role'],
                                          one['parameters']['epoch']))
        self.assertEqual({}, stack['vnf'].FnGetAtt('degraded'))

    def test_switchover_demotes_before_it_promotes(self):
        stack = self.create(vnf_template())
        one, _ = self.instance('RegionOne')
        two, _ = self.instance('RegionTwo')
        calls = self.timeline()
        self.switchover(stack)
        self.assertEqual([one, two], [stack_id for action, stack_id in calls
                                      if action == 'update'][:2])

    def test_a_refusal_of_the_former_active_site_fails_naming_it(self):
        stack = self.create(vnf_template())
        self.heats['RegionOne'].fail = 'UPDATE'
        stack = self.switchover(stack, expect='FAILED')
        self.assertIn('site site_a (region RegionOne): stack',
                      stack.status_reason)
        self.assertIn('UPDATE_FAILED', stack.status_reason)
        # Never promoted: no two actives.
        _, two = self.instance('RegionTwo')
        self.assertEqual('standby', two['parameters']['role'])
    def test_status_reads_every_site_with_the_probe_timeout(self):
        stack = self.create(vnf_template())
        self.heats['RegionTwo'].down = True
        self.timeouts.clear()
        self.assertEqual(
            'standby site site_b (region RegionTwo) is unreachable: cannot '
            'reach Heat to read stack %s: heat is down'
            % self.instance('RegionTwo')[0], stack['vnf'].FnGetAtt('status'))
        self.assertEqual([3] * 4, self.timeouts)

    def test_check_reads_each_server_from_its_site(self):
        stack = self.create(vnf_template())
        _, two = self.instance('RegionTwo')
        self.heats['RegionTwo'].server_status[two['server_id']] = 'SHUTOFF'
        problem = ('standby site site_b (region RegionTwo): server %s is '
                   'SHUTOFF, not ACTIVE' % two['server_id'])
        self.assertEqual(problem, stack['vnf'].FnGetAtt('status'))
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn(problem, stack.status_reason)

    def test_the_new_active_site_must_answer(self):
        stack = self.create(vnf_template())
        self.heats['RegionTwo'].down = True
        stack = self.switchover(stack, expect='FAILED')
        self.assertIn('RegionTwo', stack.status_reason)

    def test_a_failed_instance_is_redone_by_the_next_update(self):
        self.heats['RegionTwo'].fail = 'CREATE'
        stack = utils.parse_stack(vnf_template())
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('CREATE_FAILED', stack.status_reason)
        failed_id, _ = self.instance('RegionTwo')
        self.heats['RegionTwo'].fail = None
        stack = self.update_vnf(stack, configuration='second')
        stack_id, two = self.instance('RegionTwo')
        self.assertEqual((failed_id, 'UPDATE_COMPLETE'),
                         (stack_id, two['status']))
        self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))

    def failed_create(self):
        """A VNF whose create failed at RegionTwo's instance, after the
        active one's at RegionOne."""
        self.heats['RegionTwo'].fail = 'CREATE'
        stack = utils.parse_stack(vnf_template())
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.heats['RegionTwo'].fail = None
        return stack

    def test_replacing_a_failed_create_removes_what_it_built_first(self):
        """An engine that died mid-create: its replacement deletes the
        failed VNF's instance stacks, ports and stack user, one step per
        call as any action's, then creates its own."""
        failed = self.failed_create()
        failed_ids = {region: self.instance(region)[0]
                      for region in ('RegionOne', 'RegionTwo')}
        for heat in self.heats.values():
            heat.in_progress_reads, heat.calls = 1, []
        unfinished = self.patchobject(driver, 'unfinished_predecessors')
        unfinished.return_value.__enter__.return_value = [failed['vnf']]
        stack_user = self.patchobject(
            signal_responder.SignalResponder, 'handle_delete', autospec=True)
        stack = self.create(vnf_template())
        self.assertEqual([failed['vnf']], [
            call.args[0] for call in stack_user.call_args_list])
        for region, failed_id in failed_ids.items():
            heat = self.heats[region]
            created, _ = self.instance(region)
            self.assertNotEqual(failed_id, created)
            # Deleted, waited for, then the replacement's created.
            self.assertEqual(
                [('delete', failed_id), ('get', failed_id),
                 ('get', failed_id)],
                heat.calls[:3])
            self.assertIn(('create', created), heat.calls[3:])
            self.assertEqual({created: 'active' if region == 'RegionOne'
                              else 'standby'},
                             {stack_id: instance['parameters']['role']
                              for stack_id, instance in heat.stacks.items()})
        self.assertEqual({}, failed['vnf']._records())
        for region in ('RegionOne', 'RegionTwo'):
            self.assertEqual(
                [definitions.vnf_tag(stack['vnf'].uuid)],
                [tag for port in self.neutron(region).port_records.values()
                 for tag in port.tags
                 if tag.startswith(definitions.TAG_VNF_PREFIX)])

    def test_a_failed_create_is_replaced_where_heat_converges(self):
        """Heat's convergence replaces a failed create, which serves
        nothing; a failed update is repaired in place, and so is any
        failure on Heat's legacy engine (its replacement would be created
        before the failed one could go)."""
        vnf = self.failed_create()['vnf']
        self.assertFalse(vnf.needs_replace_failed())
        vnf.stack.convergence = True
        self.assertTrue(vnf.needs_replace_failed())
        vnf.action = vnf.UPDATE
        self.assertFalse(vnf.needs_replace_failed())

    def test_delete_tolerates_an_instance_already_gone(self):
        stack = self.create(vnf_template())
        self.heats['RegionTwo'].stacks.clear()
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)

    def test_links_change_in_place(self):
        """A link replaced under the VNF: each site reserves its address
        on the new link, the instances move in place, the old ports go
        before the old link does."""
        stack = self.create(vnf_template())
        first, _ = self.instance('RegionOne')
        neutron = self.neutron('RegionOne')
        (old_port,) = neutron.port_records
        tmpl = copy.deepcopy(stack.t.t)
        tmpl['resources']['relink'] = tmpl['resources'].pop('link')
        tmpl['resources']['vnf']['properties']['links'] = [
            {'get_resource': 'relink'}]
        scheduler.TaskRunner(stack.update, parser.Stack(
            stack.context, stack.name, template.Template(tmpl)))()
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        now, one = self.instance('RegionOne')
        self.assertEqual(first, now)
        (new_port,) = neutron.port_records
        self.assertNotEqual(old_port, new_port)
        self.assertEqual(new_port, one['parameters']['port'])
        self.assertEqual(1, len(neutron.network_records))
        self.assertEqual('UPDATE_COMPLETE',
                         self.instance('RegionTwo')[1]['status'])

    def test_two_new_sites_replace_the_vnf_one_moves(self):
        stack = self.create(vnf_template())
        vnf = stack['vnf']
        after = dict(vnf.properties, active_endpoint='a-site',
                     standby_endpoint='another-site')
        self.assertTrue(vnf.needs_replace_with_prop_diff(
            {'active_endpoint', 'standby_endpoint'}, after, vnf.properties))
        moved = dict(vnf.properties, standby_endpoint='another-site')
        self.assertFalse(vnf.needs_replace_with_prop_diff(
            {'standby_endpoint'}, moved, vnf.properties))
        swapped = dict(vnf.properties,
                       active_endpoint=vnf.properties['standby_endpoint'],
                       standby_endpoint=vnf.properties['active_endpoint'])
        self.assertFalse(vnf.needs_replace_with_prop_diff(
            {'active_endpoint', 'standby_endpoint'}, swapped,
            vnf.properties))

    def moved_template(self, stack, **site_b):
        """The standby moved from site_b (RegionTwo) to site_c
        (RegionThree), with a link of its own."""
        tmpl = copy.deepcopy(stack.t.t)
        resources = tmpl['resources']
        resources['site_b']['properties'].update(site_b)
        resources['site_c'] = {'type': 'OS::Geo::Endpoint', 'properties': {
            'context': {'region_name': 'RegionThree'},
            'physical_network': 'physnet1'}}
        resources['link_c'] = copy.deepcopy(resources['link'])
        resources['link_c']['properties']['remote_endpoint'] = {
            'get_resource': 'site_c'}
        del resources['link']
        resources['vnf']['properties'].update(
            standby_endpoint={'get_resource': 'site_c'},
            links=[{'get_resource': 'link_c'}])
        return tmpl

    def update_to(self, stack, tmpl, expect='COMPLETE'):
        scheduler.TaskRunner(stack.update, parser.Stack(
            stack.context, stack.name, template.Template(tmpl)))()
        self.assertEqual((stack.UPDATE, expect), stack.state,
                         stack.status_reason)
        return parser.Stack.load(stack.context, stack_id=stack.id)

    def test_the_standby_moves_in_place(self):
        for mode in ('warm', 'cold'):
            stack = self.create(vnf_template(mode=mode))
            active_id, active = self.instance('RegionOne')
            stack = self.update_to(stack, self.moved_template(stack))
            self.assertEqual((active_id, active['server_id']),
                             (self.instance('RegionOne')[0],
                              self.instance('RegionOne')[1]['server_id']))
            self.assertEqual({}, self.heats['RegionTwo'].stacks)
            self.assertEqual({}, self.neutron('RegionTwo').port_records)
            self.assertEqual(
                mode == 'warm', bool(self.heats['RegionThree'].stacks))
            self.assertEqual(1, len(self.neutron('RegionThree').port_records))
            standby = stack['vnf'].FnGetAtt('standby')
            self.assertEqual('site_c', standby['endpoint'])
            self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))
            scheduler.TaskRunner(stack.delete)()
            for heat in self.heats.values():
                self.assertEqual({}, heat.stacks)

    def test_a_bundle_no_site_uses_any_more_is_dropped(self):
        """The standby moves to a site of another CA: the VNF keeps the
        new bundle and drops the one only the site it left used."""
        tmpl = vnf_template()
        bundles = {'site_a': test_tenancy.CA_PEM,
                   'site_b': test_tenancy.CA_PEM * 2}
        for name, pem in bundles.items():
            tmpl['resources'][name]['properties']['context']['ca_cert'] = pem
        stack = self.create(tmpl)
        moved = self.moved_template(stack)
        bundles['site_c'] = test_tenancy.CA_PEM * 3
        moved['resources']['site_c']['properties']['context'][
            'ca_cert'] = bundles['site_c']
        stack = self.update_to(stack, moved)

        def kept():
            return {key.split(':')[1] for key in stack['vnf'].data()
                    if key.startswith(resource_data.CA_CERT_KEY)}

        self.assertEqual({resource_data.digest_of(bundles[name])
                          for name in ('site_a', 'site_c')}, kept())
        self.assertEqual(bundles['site_c'], stack['vnf']._records()[
            'site_c'].descriptor['ca_cert'])

    def test_a_site_given_up_is_not_asked(self):
        stack = self.create(vnf_template())
        two, _ = self.instance('RegionTwo')
        self.heats['RegionTwo'].down = True
        tmpl = copy.deepcopy(stack.t.t)
        tmpl['resources']['site_b']['properties']['lost'] = True
        stack = self.update_to(stack, tmpl)
        self.assertIn('standby site site_b (region RegionTwo) was given up',
                      stack['vnf'].FnGetAtt('status'))
        self.heats['RegionTwo'].calls.clear()
        stack = self.update_to(stack, self.moved_template(stack, lost=True))
        self.assertEqual([], self.heats['RegionTwo'].calls)
        self.assertIn('instance stack %s' % two,
                      stack['vnf'].FnGetAtt('degraded')['site_b'])
        self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)


class RedundantVNFModeTest(RedundantVNFTestBase):
    """What the mode changes: the mode each instance runs in, and a hot
    standby's sync reports, which a planned switchover heeds."""

    def events(self, vnf):
        return [e.resource_status_reason
                for e in event_objects.Event.get_all_by_stack(
                    vnf.context, vnf.stack.id) if e.resource_name == 'vnf']

    def assertRunsInMode(self, stack, mode):
        for region, role in (('RegionOne', 'active'),
                             ('RegionTwo', 'standby')):
            _, instance = self.instance(region)
            self.assertEqual((role, mode), (instance['parameters']['role'],
                                            instance['parameters']['mode']))
            server = self.heats[region].nova.find_server(
                instance['server_id'])
            self.assertEqual('ACTIVE', server.status)
        self.assertEqual(mode, stack['vnf'].FnGetAtt('mode'))

    def out_of_sync(self, vnf):
        vnf.signal({'action': 'sync', 'instance': 'site_b', 'epoch': 1,
                    'in_sync': False, 'lag': 4})

    def test_a_hot_standby_out_of_sync_holds_a_planned_switchover(self):
        stack = self.create(vnf_template(mode='hot'))
        self.assertRunsInMode(stack, 'hot')
        self.out_of_sync(stack['vnf'])
        self.assertEqual('the hot standby (site site_b) is not in sync, lag '
                         '4.0 s', stack['vnf'].FnGetAtt('status'))
        stack = self.switchover(stack, expect='FAILED')
        self.assertIn('switchover refused: the hot standby (site site_b) is '
                      'not in sync (lag 4.0 s)', stack.status_reason)
        stack = self.switchover(stack, force_switchover=True)
        self.assertEqual('site_b', stack['vnf'].FnGetAtt('active')['endpoint'])

    def test_a_warm_standby_reports_no_sync_and_is_switched_to(self):
        stack = self.create(vnf_template(mode='warm'))
        self.assertRunsInMode(stack, 'warm')
        self.out_of_sync(stack['vnf'])
        self.assertIn('signal sync refused: sync reports are for hot mode',
                      self.events(stack['vnf']))
        self.assertEqual('ACTIVE', stack['vnf'].FnGetAtt('status'))
        stack = self.switchover(stack)
        self.assertEqual('site_b', stack['vnf'].FnGetAtt('active')['endpoint'])


class RedundantVNFValidationTest(RedundantVNFTestBase):

    def assertRefused(self, tmpl, path, fragment):
        stack = utils.parse_stack(tmpl)
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        self.assertIn('resources.vnf.properties.' + path, str(exc))
        self.assertIn(fragment, str(exc))
        # Refused before any cloud was touched.
        self.assertEqual({}, self.neutrons)

    def test_same_site_twice(self):
        self.assertRefused(vnf_template(standby='site_a'),
                           'standby_endpoint', 'is the active site')

    def test_generated_parameter_in_parameters(self):
        self.assertRefused(vnf_template(parameters={'role': 'x'}),
                           'parameters', 'role are set by geo-heat')

    def test_link_of_other_sites(self):
        tmpl = vnf_template()
        tmpl['resources']['site_c'] = {
            'type': 'OS::Geo::Endpoint',
            'properties': {'context': {'region_name': 'RegionTwo'},
                           'physical_network': 'physnet2'}}
        tmpl['resources']['vnf']['properties']['standby_endpoint'] = {
            'get_resource': 'site_c'}
        self.assertRefused(tmpl, 'links[0]', 'does not join')

    def test_unknown_site_image(self):
        self.assertRefused(vnf_template(site_images={'site_x': 'img'}),
                           'site_images', 'site_x is not a site')

    def test_instance_template_not_hot(self):
        self.assertRefused(vnf_template(instance_template='[1, 2'),
                           'instance_template', 'not a HOT template')

    def with_links(self, count, width):
        tmpl = vnf_template()
        link = tmpl['resources'].pop('link')
        names = ['%0*d' % (width, index) for index in range(count)]
        for name in names:
            tmpl['resources'][name] = copy.deepcopy(link)
        tmpl['resources']['vnf']['properties']['links'] = [
            {'get_resource': name} for name in names]
        return tmpl

    def test_links_beyond_what_the_records_hold(self):
        """Computed from the template: 40 links with names of 255
        characters make records over MySQL's TEXT, never cut by it."""
        stack = utils.parse_stack(self.with_links(40, resource_data.NAME_MAX))
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        self.assertRegex(str(exc), (
            r'resources\.vnf\.properties\.links: 40 links make the VNF\'s '
            r'record sites up to \d+ bytes, over the 65535 bytes Heat\'s '
            r'database keeps in a value \(MySQL TEXT\): at most 3\d links '
            r'with these names'))
        self.assertEqual({}, self.neutrons)

    def test_eight_links_pass(self):
        utils.parse_stack(self.with_links(8, 64)).validate()


class RedundantVNFSignalTest(RedundantVNFTestBase):

    def events(self, vnf):
        return [e.resource_status_reason
                for e in event_objects.Event.get_all_by_stack(
                    vnf.context, vnf.stack.id) if e.resource_name == 'vnf']

    def test_site_lost_promotes_the_standby_when_the_witness_agrees(self):
        stack = self.create(vnf_template(failover='automatic',
                                         failover_after=0))
        vnf = stack['vnf']
        vnf.signal({'action': 'site-lost'})
        self.assertEqual('site_a', vnf.FnGetAtt('active')['endpoint'])
        self.assertIn('site site_a reported lost, but it answers',
                      ' '.join(self.events(vnf)))
        self.heats['RegionOne'].down = True
        vnf.signal({'action': 'site-lost', 'site': 'site_a'})
        self.assertEqual(('site_b', 2), (vnf.FnGetAtt('active')['endpoint'],
                                         vnf.FnGetAtt('active')['epoch']))
        _, two = self.instance('RegionTwo')
        self.assertEqual('active', two['parameters']['role'])
        self.assertTrue(vnf.FnGetAtt('standby')['owes_fencing'])

    def test_manual_failover_only_reports(self):
        stack = self.create(vnf_template(failover_after=0))
        vnf = stack['vnf']
        self.heats['RegionOne'].down = True
        vnf.signal({'action': 'site-lost'})
        self.assertEqual('site_a', vnf.FnGetAtt('active')['endpoint'])
        self.assertIn('failover is manual', ' '.join(self.events(vnf)))

    def test_peer_lost_while_the_active_answers_is_a_cut_link(self):
        stack = self.create(vnf_template(failover='automatic',
                                         failover_after=0))
        vnf = stack['vnf']
        vnf.signal({'action': 'peer-lost', 'instance': 'site_b',
                    'epoch': 1})
        self.assertEqual('site_a', vnf.FnGetAtt('active')['endpoint'])
        self.assertIn('replication link down', vnf.FnGetAtt('status'))

    def test_a_stale_epoch_is_refused_with_an_event(self):
        stack = self.create(vnf_template(failover='automatic'))
        vnf = stack['vnf']
        vnf.signal({'action': 'peer-lost', 'instance': 'site_b',
                    'epoch': 0})
        self.assertIn('signal peer-lost refused: stale epoch 0: the current '
                      'epoch is 1', self.events(vnf))

    def test_the_active_configuration_reaches_a_warm_standby(self):
        stack = self.create(vnf_template())
        vnf = stack['vnf']
        vnf.signal({'action': 'configuration', 'instance': 'site_a',
                    'epoch': 1, 'configuration': 'running'})
        _, two = self.instance('RegionTwo')
        self.assertEqual('running', two['parameters']['configuration'])
        self.assertNotIn('running', ' '.join(self.events(vnf)))

    def test_signal_credentials_must_be_hidden(self):
        template = INSTANCE.replace(
            'resources:', '  signal_credentials: {type: string}\nresources:')
        stack = utils.parse_stack(vnf_template(instance_template=template))
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        self.assertIn('signal_credentials must be declared hidden',
                      str(exc))

    def test_an_update_keeps_the_active_where_the_witness_put_it(self):
        stack = self.create(vnf_template(failover='automatic',
                                         failover_after=0))
        self.heats['RegionOne'].down = True
        stack['vnf'].signal({'action': 'site-lost'})
        self.heats['RegionOne'].down = False
        stack = self.update_vnf(stack, configuration='second')
        self.assertEqual('site_b', stack['vnf'].FnGetAtt('active')['endpoint'])
        stack = self.update_vnf(stack, failback='automatic')
        self.assertEqual('site_a', stack['vnf'].FnGetAtt('active')['endpoint'])
        _, one = self.instance('RegionOne')
        self.assertEqual(('active', 3), (one['parameters']['role'],
                                         one['parameters']['epoch']))

    def test_a_warm_standby_that_missed_the_configuration_is_named(self):
        stack = self.create(vnf_template())
        vnf = stack['vnf']
        self.heats['RegionTwo'].down = True
        vnf.signal({'action': 'configuration', 'instance': 'site_a',
                    'epoch': 1, 'configuration': 'running'})
        self.assertIn('signal configuration failed', ' '.join(
            self.events(vnf)))
        self.heats['RegionTwo'].down = False
        self.assertIn('the standby (site site_b) does not hold the active '
                      'instance\'s last configuration',
                      vnf.FnGetAtt('status'))
