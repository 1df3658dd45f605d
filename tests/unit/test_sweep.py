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

"""geo-heat-sweep against in-memory Neutrons and Heats."""

import dataclasses
import io
import types
import uuid

from openstack import exceptions as sdk_exc
import testtools

from geo_heat import cli
from geo_heat import definitions
from geo_heat import sweep
from tests.unit import fakes
from tests.unit.link import test_bgpvpn
from tests.unit.link import test_ipsec
from tests.unit.link import test_provider



def connector_of(conns):
    """cli.connector over these connections, by CLOUD[:REGION]."""
    return lambda prog, files: lambda entry, region: conns[
        entry + (':' + region if region else '')]

class FakeResponse:

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


class FakeOrchestration:
    """Enough of openstacksdk's orchestration proxy for the sweep: stacks
    by ID and by name, their resources (with what a link recorded)."""

    def __init__(self):
        self.records = {}
        self.deleted = []

    def add_stack(self, status='CREATE_COMPLETE', resources=(), name=None):
        """A stack of (name, type, physical ID, attributes) resources."""
        stack_id = str(uuid.uuid4())
        self.records[stack_id] = types.SimpleNamespace(
            id=stack_id, name=name or 'stack-%s' % stack_id[:4],
            status=status, status_reason='', resources=list(resources))
        return stack_id

    def get_stack(self, stack_id, resolve_outputs=True):
        if stack_id not in self.records:
            raise sdk_exc.NotFoundException('stack %s' % stack_id)
        return self.records[stack_id]

    def find_stack(self, stack_id, ignore_missing=True):
        return self.records.get(stack_id)

    def stacks(self, name=None):
        return [s for s in self.records.values() if s.name == name]

    def delete_stack(self, stack_id):
        self.deleted.append(stack_id)
        del self.records[stack_id]

    def resources(self, stack):
        return [types.SimpleNamespace(name=name, resource_type=kind,
                                      physical_resource_id=physical_id)
                for name, kind, physical_id, _attrs in stack.resources]

    def get(self, path):
        _stacks, _name, stack_id, _resources, rsrc = path.strip('/').split(
            '/')
        (attrs,) = [a for n, _k, _p, a in self.records[stack_id].resources
                    if n == rsrc]
        return FakeResponse({'resource': {'attributes': attrs}})


def connection(neutron=None):
    """A site: its Neutron, and its Heat as any project sees it (the
    sweep's scoped connections, recorded in `projects`)."""
    heat = FakeOrchestration()
    conn = types.SimpleNamespace(network=neutron or fakes.FakeNeutron(),
                                 orchestration=heat, projects=[])

    def connect_as_project(project):
        conn.projects.append(project['id'])
        return types.SimpleNamespace(orchestration=heat)

    conn.connect_as_project = connect_as_project
    return conn


def a_link(module, stack_id):
    """A link RegionOne-RegionTwo of the stack, built by the link core:
    (its state, RegionTwo's Neutron)."""
    link, _local, remote = module.two_regions(shares=('tenant-1',
                                                      'tenant-2'))
    link.spec = dataclasses.replace(link.spec, stack_id=stack_id)
    return test_provider.build(link), remote


class SweepTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heat = FakeOrchestration()

    def sweep(self, site_conn, delete=False, stacks=None):
        """(what goes, what is kept); with delete, removes what goes."""
        site = sweep.Site(site_conn)
        gone, kept = sweep.decide(site, sweep.Heats([
            types.SimpleNamespace(orchestration=self.heat)]), stacks)
        if delete:
            for obj in gone:
                site.delete(obj)
        return gone, kept

    def test_a_link_of_a_deleted_stack_is_swept_in_order(self):
        state, two = a_link(test_provider, str(uuid.uuid4()))
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], kept)
        self.assertEqual(['rbac_policy', 'network'],
                         [o.kind for o in gone][-2:])
        self.assertIn(state.remote_network_id, [o.id for o in gone])
        self.assertIn('is gone', gone[-1].reason)
        self.sweep(connection(two), delete=True)
        self.assertEqual({}, two.network_records)
        self.assertEqual({}, two.subnet_records)
        self.assertEqual({}, two.rbac_policy_records)

    def test_only_the_stacks_asked_for(self):
        stack_id = str(uuid.uuid4())
        state, two = a_link(test_provider, stack_id)
        self.assertEqual(([], []), self.sweep(connection(two),
                                              stacks=['another-stack']))
        gone, _ = self.sweep(connection(two), stacks=[stack_id])
        self.assertIn(state.remote_network_id, [o.id for o in gone])

    def test_a_link_its_stack_still_has_is_kept(self):
        stack_id = self.heat.add_stack()
        state, two = a_link(test_provider, stack_id)
        self.heat.records[stack_id].resources.append(
            ('link', sweep.LINK_TYPE, state.local_network_id,
             {'remote_network_id': state.remote_network_id,
              'local': {'network': {'id': state.local_network_id}}}))
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], gone)
        self.assertIn('has it', kept[0].reason)

    def test_a_link_its_stack_no_longer_has_is_swept(self):
        stack_id = self.heat.add_stack(resources=[
            ('other', sweep.LINK_TYPE, 'another-network', {})])
        _state, two = a_link(test_provider, stack_id)
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], kept)
        self.assertIn('no longer has it', gone[0].reason)

    def test_a_busy_stack_is_left_alone(self):
        stack_id = self.heat.add_stack(status='UPDATE_IN_PROGRESS')
        _state, two = a_link(test_provider, stack_id)
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], gone)
        self.assertIn('UPDATE_IN_PROGRESS: kept', kept[0].reason)

    def test_a_stack_whose_resources_cannot_be_read_keeps_all(self):
        stack_id = self.heat.add_stack()
        _state, two = a_link(test_provider, stack_id)

        def refused(stack):
            raise sdk_exc.HttpException('no', http_status=403)

        self.patch(self.heat, 'resources', refused)
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], gone)
        self.assertIn('cannot read its resources', kept[0].reason)

    def test_a_deleted_stack_in_heat_is_gone(self):
        stack_id = self.heat.add_stack(status='DELETE_COMPLETE')
        _state, two = a_link(test_provider, stack_id)
        gone, _kept = self.sweep(connection(two))
        self.assertNotEqual([], gone)

    def test_stitched_objects_go_before_their_networks(self):
        state, two = a_link(test_bgpvpn, str(uuid.uuid4()))
        gone, _kept = self.sweep(connection(two))
        kinds = [o.kind for o in gone]
        self.assertLess(kinds.index('bgpvpn'), kinds.index('network'))
        self.sweep(connection(two), delete=True)
        self.assertEqual([], two.leftovers())
        self.assertEqual({}, two.network_records)

    def test_ipsec_objects_and_the_router_go(self):
        link, _local, two = test_ipsec.two_clouds()
        test_provider.build(link)
        self.sweep(connection(two), delete=True)
        # The external network the operator made stays.
        self.assertEqual([], two.leftovers())
        self.assertEqual(['public'], [n.name for n in
                                      two.network_records.values()])

    def vnf_port(self, stack_id):
        """A VNF's port on a link of a deleted stack in RegionTwo, and its
        instance stack there: (RegionTwo's connection, its ID)."""
        state, two = a_link(test_provider, stack_id)
        port = two.create_port(state.remote_network_id,
                               name='geo-vnf-abc-site_b',
                               project_id='tenant-2')
        port.tags = [definitions.TAG_OWNER, definitions.vnf_tag('vnf-1'),
                     definitions.stack_tag(stack_id)]
        site_conn = connection(two)
        return site_conn, site_conn.orchestration.add_stack(
            name='geo-vnf-abc-site_b')

    def test_a_vnf_port_and_its_instance_stack(self):
        site_conn, instance = self.vnf_port(str(uuid.uuid4()))
        gone, _kept = self.sweep(site_conn)
        self.assertEqual(['stack', 'port'], [o.kind for o in gone][:2])
        self.sweep(site_conn, delete=True)
        self.assertEqual([instance], site_conn.orchestration.deleted)
        self.assertEqual({}, site_conn.network.port_records)
        # Read and deleted as the VNF's project.
        self.assertEqual({'tenant-2'}, set(site_conn.projects))

    def test_a_vnf_whose_instance_stack_cannot_be_read_is_kept(self):
        site_conn, _instance = self.vnf_port(str(uuid.uuid4()))

        def stacks(name=None):
            raise sdk_exc.HttpException('no role', http_status=401)

        self.patch(site_conn.orchestration, 'stacks', stacks)
        gone, kept = self.sweep(site_conn)
        self.assertNotIn('port', [o.kind for o in gone])
        (port,) = [o for o in kept if o.kind == 'port']
        self.assertIn('its instance stack geo-vnf-abc-site_b in project '
                      'tenant-2 cannot be read', port.reason)

    def test_a_vnf_its_stack_still_has_is_kept(self):
        stack_id = self.heat.add_stack(resources=[
            ('vnf', sweep.VNF_TYPE, 'geo-vnf-abc', None)])
        two = fakes.FakeNeutron()
        network = two.create_network(name='n')
        port = two.create_port(network.id, name='geo-vnf-abc-site_b')
        port.tags = [definitions.TAG_OWNER, definitions.vnf_tag('vnf-1'),
                     definitions.stack_tag(stack_id)]
        gone, kept = self.sweep(connection(two))
        self.assertEqual([], gone)
        self.assertIn('has it', kept[0].reason)

    def test_a_site_without_bgpvpn_or_vpnaas(self):
        two = fakes.FakeNeutron()
        for listing in ('bgpvpns', 'vpn_services'):
            two.fail[listing] = sdk_exc.NotFoundException('no extension')
        self.assertEqual(([], []), self.sweep(connection(two)))


class MainTest(testtools.TestCase):

    def test_dry_run_is_the_default(self):
        self.assertFalse(sweep.parse_args(
            ['--site', 'cloud-a:RegionTwo', '--heat', 'sandbox']).delete)
        self.assertTrue(sweep.parse_args(
            ['--site', 'a', '--heat', 'b', '--delete']).delete)

    def test_prints_and_deletes(self):
        state, two = a_link(test_provider, str(uuid.uuid4()))
        heat = types.SimpleNamespace(orchestration=FakeOrchestration())
        conns = {'cloud-a:RegionTwo': connection(two), 'sandbox': heat}
        self.patch(cli, 'connector', connector_of(conns))
        out = io.StringIO()
        self.assertEqual(0, sweep.main(
            ['--site', 'cloud-a:RegionTwo', '--heat', 'sandbox'], out))
        self.assertIn('would delete network %s' % state.remote_network_id,
                      out.getvalue())
        self.assertIn(state.remote_network_id, two.network_records)
        out = io.StringIO()
        self.assertEqual(0, sweep.main(
            ['--site', 'cloud-a:RegionTwo', '--heat', 'sandbox',
             '--delete'], out))
        self.assertIn('deleted network %s' % state.remote_network_id,
                      out.getvalue())
        self.assertEqual({}, two.network_records)

    def test_a_failed_delete_is_reported(self):
        _state, two = a_link(test_provider, str(uuid.uuid4()))
        two.fail['delete_network'] = sdk_exc.ConflictException('in use')
        heat = types.SimpleNamespace(orchestration=FakeOrchestration())
        conns = {'a': connection(two), 'b': heat}
        self.patch(cli, 'connector', connector_of(conns))
        out = io.StringIO()
        self.assertEqual(1, sweep.main(['--site', 'a', '--heat', 'b',
                                        '--delete'], out))
        self.assertIn('FAILED to delete network', out.getvalue())
