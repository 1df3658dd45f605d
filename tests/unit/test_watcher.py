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

"""geo-heat-watcher against in-memory Heat, Keystone and Nova."""

import json
import logging
import threading
import types
import uuid

import fixtures
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
import requests
import testtools

from geo_heat import cli
from geo_heat import watcher

HEAT_URL = 'http://heat.example:8004/v1/project-1'


def response(status, body=None):
    """A requests.Response as Heat or Nova sends it."""
    answer = requests.Response()
    answer.status_code = status
    answer.headers['content-type'] = 'application/json'
    answer._content = json.dumps(body).encode()
    return answer


class FakeHeat:
    """Heat's API as openstacksdk's orchestration proxy reaches it: stacks,
    their resources (nested stacks too), a resource show and its signal.

    As in Heat, a resource show returns the resource's `show` attribute
    (for a VNF, its active and standby instances) and only the other
    attributes named by with_attr; an unknown one is None. A resource
    without handle_signal refuses signals with 400.
    """

    def __init__(self):
        self.stacks_by_id = {}
        self.signals = []
        self.listings = 0
        self.down = False

    def add_stack(self, resources, name=None):
        """A stack of {name: resource} (see vnf() and nested())."""
        stack_id = str(uuid.uuid4())
        self.stacks_by_id[stack_id] = types.SimpleNamespace(
            id=stack_id, name=name or 'stack-%s' % stack_id[:6],
            resources=resources, nested=False)
        return stack_id

    def nested(self, resources):
        """A resource holding a nested stack of these resources."""
        stack_id = self.add_stack(resources)
        self.stacks_by_id[stack_id].nested = True
        return {'type': 'OS::Heat::Stack', 'nested': stack_id}

    def vnf(self, failover='automatic', server_id=None, endpoint='site_b',
            region_name='RegionTwo', cloud=None, site=None,
            site_cloud=None, handles_signals=True):
        """A VNF resource; failover None: a VNF without that attribute."""
        attributes = {
            'active': {
                'endpoint': endpoint, 'server_id': server_id,
                'region_name': region_name, 'cloud': cloud, 'cell': None,
                'site_cloud': site_cloud or cloud,
                'site': site or ', '.join(
                    ['cloud %s' % cloud] * bool(cloud) +
                    ['region %s' % region_name] * bool(region_name))},
            'standby': {'endpoint': 'site_a'},
            'mode': 'warm', 'status': 'ACTIVE'}
        if failover is not None:
            attributes['failover'] = failover
            attributes['signal_url'] = None  # set once the stack exists
        return {'type': watcher.VNF_TYPE, 'attributes': attributes,
                'handles_signals': handles_signals}

    def _call(self):
        if self.down:
            raise ks_exc.ConnectFailure('Unable to establish connection to '
                                        '%s' % HEAT_URL)

    def _stack(self, name, stack_id):
        stack = self.stacks_by_id.get(stack_id)
        if stack is None or stack.name != name:
            return None
        for rsrc_name, rsrc in stack.resources.items():
            if 'signal_url' in rsrc.get('attributes', {}):
                rsrc['attributes']['signal_url'] = (
                    '%s/stacks/%s/%s/resources/%s/signal' % (
                        HEAT_URL, name, stack_id, rsrc_name))
        return stack

    def stacks(self):
        """Top-level stacks only, as Heat lists them by default."""
        self._call()
        return [types.SimpleNamespace(id=s.id, name=s.name)
                for s in self.stacks_by_id.values() if not s.nested]

    def get(self, path, params=None):
        self._call()
        params = params or {}
        parts = path.strip('/').split('/')
        stack = self._stack(parts[1], parts[2])
        if stack is None:
            return response(404, {'code': 404, 'title': 'Not Found'})
        if len(parts) == 4:
            self.listings += 1
            return response(200, {'resources': self._listing(
                stack, params.get('type'), params.get('nested_depth', 0))})
        rsrc = stack.resources.get(parts[4])
        if rsrc is None:
            return response(404, {'code': 404, 'title': 'Not Found'})
        everything = rsrc.get('attributes', {})
        shown = {role: everything[role] for role in ('active', 'standby')
                 if role in everything}
        shown.update((name, everything.get(name))
                     for name in params.get('with_attr', ()))
        return response(200, {'resource': {
            'resource_name': parts[4], 'resource_type': rsrc['type'],
            'attributes': shown}})

    def _listing(self, stack, kind, depth):
        listing = []
        for name, rsrc in stack.resources.items():
            if kind is None or kind in rsrc['type']:
                url = '%s/stacks/%s/%s/resources/%s' % (HEAT_URL, stack.name,
                                                        stack.id, name)
                listing.append({
                    'resource_name': name, 'resource_type': rsrc['type'],
                    'links': [{'href': url, 'rel': 'self'},
                              {'href': url.rsplit('/resources/')[0],
                               'rel': 'stack'}]})
            if 'nested' in rsrc and depth > 0:
                nested = self.stacks_by_id[rsrc['nested']]
                self._stack(nested.name, nested.id)
                listing += self._listing(nested, kind, depth - 1)
        return listing

    def post(self, path, json=None):
        self._call()
        parts = path.strip('/').split('/')
        stack = self._stack(parts[1], parts[2])
        rsrc = stack and stack.resources.get(parts[4])
        if rsrc is None or parts[5:] != ['signal']:
            return response(404, {'code': 404, 'title': 'Not Found'})
        if not rsrc['handles_signals']:
            message = ('The resource (%s) does not support the signal '
                       'action.' % parts[4])
            return response(400, {
                'code': 400, 'title': 'Bad Request', 'explanation': message,
                'error': {'type': 'ResourceActionNotSupported',
                          'message': message, 'traceback': None}})
        self.signals.append((parts[4], json))
        return response(200)


class FakeSite:
    """A site's Keystone and Nova, as an openstacksdk Connection reaches
    them. `keystone` and `nova` are None (they answer), an exception
    (what the client raises) or, for Nova, one per server ID in
    `nova_errors`."""

    def __init__(self):
        self.keystone = None
        self.nova = None
        self.servers = {}
        self.tokens = 0
        self.shows = 0
        self.session = types.SimpleNamespace(
            auth=types.SimpleNamespace(invalidate=lambda: True))
        self.compute = types.SimpleNamespace(get_server=self._get_server)

    def server(self, status='ACTIVE'):
        server_id = str(uuid.uuid4())
        self.servers[server_id] = status
        return server_id

    def authorize(self):
        """As Connection.authorize: keystoneauth's error inside an
        SDKException."""
        try:
            if self.keystone is not None:
                raise self.keystone
            self.tokens += 1
            return 'token-%d' % self.tokens
        except ks_exc.ClientException as exc:
            raise sdk_exc.SDKException(str(exc))

    def _get_server(self, server_id):
        self.shows += 1
        if self.nova is not None:
            raise self.nova
        if server_id not in self.servers:
            sdk_exc.raise_from_response(response(404, {'itemNotFound': {
                'code': 404, 'message': 'Instance could not be found.'}}))
        return types.SimpleNamespace(id=server_id,
                                     status=self.servers[server_id])


def gateway_timeout():
    try:
        sdk_exc.raise_from_response(response(504, {}))
    except sdk_exc.HttpException as exc:
        return exc


class WatcherTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='geo-heat-watcher', level=logging.DEBUG))
        self.heat = FakeHeat()
        # The sites by (clouds.yaml entry, region): RegionTwo of the
        # Heat's own cloud, and cloud B through its entry.
        self.sites = {('tenant', 'RegionTwo'): FakeSite(),
                      ('tenant-b', 'RegionOne'): FakeSite()}
        self.now = 0.0
        self.watcher = watcher.Watcher(
            self.heat, 'tenant', 'RegionOne', {'cloud-b': 'tenant-b'},
            lambda entry, region: self.sites[(entry, region)],
            rediscover=30, clock=lambda: self.now)

    @property
    def region_two(self):
        return self.sites[('tenant', 'RegionTwo')]

    def a_vnf(self, status='ACTIVE', **options):
        """A stack with a VNF active in RegionTwo: (its server's ID)."""
        server_id = self.region_two.server(status)
        self.heat.add_stack({'vnf': self.heat.vnf(server_id=server_id,
                                                  **options)},
                            name='georedundant')
        return server_id

    def test_a_shutoff_server_gets_one_site_lost_per_round(self):
        server_id = self.a_vnf('SHUTOFF')
        self.watcher.round()
        self.now += 2
        self.watcher.round()
        expected = {'action': 'site-lost', 'site': 'site_b',
                    'reason': 'geo-heat-watcher: server %s is SHUTOFF'
                              % server_id}
        self.assertEqual([('vnf', expected)] * 2, self.heat.signals)
        # Keystone issued a token at each round: it was asked too.
        self.assertEqual(2, self.region_two.tokens)
        self.assertIn('VNF georedundant/vnf: active site site_b (region '
                      'RegionTwo): server %s is SHUTOFF; signalled site-lost'
                      ' of site_b' % server_id, self.log.output)

    def test_an_active_server_gets_nothing(self):
        self.a_vnf()
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertEqual(1, self.region_two.shows)

    def test_manual_vnfs_and_vnfs_without_failover_are_ignored(self):
        self.a_vnf('SHUTOFF', failover='manual')
        self.a_vnf('SHUTOFF', failover=None)
        self.watcher.round()
        self.assertEqual(([], [], 0), (self.watcher.vnfs, self.heat.signals,
                                       self.region_two.shows))
        self.assertNotIn('watching', self.log.output)

    def test_a_gone_server_is_a_lost_site(self):
        self.a_vnf()
        self.region_two.servers.clear()
        self.watcher.round()
        (_name, body), = self.heat.signals
        self.assertIn('is gone', body['reason'])

    def test_a_silent_nova_or_keystone_is_a_lost_site(self):
        self.a_vnf()
        for service, error, what in (
                ('nova', ks_exc.ConnectTimeout('timed out'),
                 'Nova does not answer: timed out'),
                ('nova', gateway_timeout(), 'Nova does not answer'),
                ('keystone', ks_exc.ConnectFailure('refused'),
                 'Keystone does not answer')):
            self.heat.signals.clear()
            self.region_two.nova = self.region_two.keystone = None
            setattr(self.region_two, service, error)
            self.watcher.round()
            (_name, body), = self.heat.signals
            self.assertIn('geo-heat-watcher: %s' % what, body['reason'])

    def test_a_refusal_is_not_a_lost_site(self):
        self.a_vnf()
        self.region_two.keystone = ks_exc.Unauthorized('The request you '
                                                       'have made requires '
                                                       'authentication.')
        self.watcher.round()
        self.now += 2
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertEqual(1, self.log.output.count(
            'the probe was refused, not a lost site: Keystone refused'))

    def test_an_unmapped_named_cloud_is_skipped_and_reported_once(self):
        self.a_vnf('SHUTOFF', cloud='cloud-c', region_name='RegionOne')
        self.watcher.round()
        self.now += 2
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertEqual(1, self.log.output.count(
            'site site_b (cloud cloud-c, region RegionOne): not probed, '
            'cloud-c has no --site-cloud cloud-c=ENTRY'))

    def test_a_mapped_named_cloud_is_probed_with_its_entry(self):
        cloud_b = self.sites[('tenant-b', 'RegionOne')]
        server_id = cloud_b.server('ERROR')
        self.heat.add_stack({'vnf': self.heat.vnf(
            server_id=server_id, cloud='cloud-b', region_name='RegionOne')})
        self.watcher.round()
        (_name, body), = self.heat.signals
        self.assertEqual('geo-heat-watcher: server %s is ERROR' % server_id,
                         body['reason'])
        self.assertEqual(0, self.region_two.tokens)

    def test_a_mapped_barbican_credential_site_is_probed(self):
        self.watcher.site_clouds['secret:5678'] = 'tenant-b'
        server_id = self.sites[('tenant-b', 'RegionOne')].server('ERROR')
        self.heat.add_stack({'vnf': self.heat.vnf(
            server_id=server_id, site_cloud='secret:5678',
            site='cloud of secret 5678, region RegionOne',
            region_name='RegionOne')})
        self.watcher.round()
        (_name, body), = self.heat.signals
        self.assertEqual('geo-heat-watcher: server %s is ERROR' % server_id,
                         body['reason'])

    def test_an_unmapped_barbican_credential_site_is_skipped(self):
        self.a_vnf('SHUTOFF', site='cloud of secret 1234, region RegionOne',
                   site_cloud='secret:1234')
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertIn('secret:1234 has no --site-cloud secret:1234=ENTRY',
                      self.log.output)

    def test_a_vnf_of_a_nested_stack_is_found(self):
        server_id = self.region_two.server('SHUTOFF')
        self.heat.add_stack({'inner': self.heat.nested({
            'vnf': self.heat.vnf(server_id=server_id)})}, name='outer')
        self.watcher.round()
        self.assertEqual(['vnf'], [name for name, _ in self.heat.signals])

    def test_the_vnfs_are_listed_every_rediscover_seconds(self):
        self.a_vnf()
        for _ in range(3):
            self.watcher.round()
            self.now += 10
        self.assertEqual(1, self.heat.listings)
        self.watcher.round()
        self.assertEqual(2, self.heat.listings)
        self.assertEqual(4, self.region_two.shows)

    def test_an_active_that_moved_is_not_signalled(self):
        """A switchover since the last listing: each round reads where
        the active instance is now, so the former one (now the standby's)
        is not reported, and the new one is probed at once."""
        self.a_vnf('SHUTOFF')
        self.watcher.round()
        self.heat.signals.clear()
        (stack,) = self.heat.stacks_by_id.values()
        server_id = self.region_two.server('ACTIVE')
        stack.resources['vnf']['attributes']['active'] = dict(
            stack.resources['vnf']['attributes']['active'],
            endpoint='site_a', server_id=server_id)
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertIn('active site site_a (region RegionTwo) serves',
                      self.log.output)
        self.watcher.round()
        self.assertEqual([], self.heat.signals)
        self.assertEqual(1, self.heat.listings)

    def test_a_refused_signal_is_logged(self):
        self.a_vnf('SHUTOFF', handles_signals=False)
        self.watcher.round()
        self.assertIn('the signal site-lost failed: The resource (vnf) does '
                      'not support the signal action.', self.log.output)

    def test_a_silent_heat_keeps_what_was_found(self):
        self.a_vnf('SHUTOFF')
        self.watcher.round()
        self.heat.down = True
        self.now += 30
        self.watcher.round()
        self.assertEqual(1, len(self.watcher.vnfs))
        self.assertIn('cannot list the VNFs, watching the 1 found before',
                      self.log.output)
        self.assertIn('the signal site-lost failed', self.log.output)

    def test_run_stops_when_asked(self):
        stop = threading.Event()
        stop.set()
        self.watcher.run(1.0, stop)
        self.assertEqual(0, self.heat.listings)


class MainTest(testtools.TestCase):

    def test_once_signals_and_exits(self):
        """--once: one round through the connections of the command
        line (the Heat's entry and region, the named cloud's entry)."""
        heat, site = FakeHeat(), FakeSite()
        server_id = site.server('SHUTOFF')
        heat.add_stack({'vnf': heat.vnf(server_id=server_id, cloud='cloud-b',
                                        region_name=None)})
        opened = []

        def connector(prog, clouds_files, timeout, request_id):
            def connect(entry, region=None):
                opened.append((clouds_files, entry, region, timeout,
                               request_id))
                site.orchestration = heat
                site.config = types.SimpleNamespace(
                    get_region_name=lambda: 'RegionOne')
                return site
            return connect

        self.patch(cli, 'connector', connector)
        # The test runner's logging and signal handlers stay.
        self.patch(logging, 'basicConfig', lambda **kwargs: None)
        self.patch(watcher.signal, 'signal', lambda *args: None)
        log = self.useFixture(fixtures.FakeLogger(name='geo-heat-watcher'))
        self.assertEqual(0, watcher.main([
            '--once', '--clouds-file', 'c.yaml', '--heat', 'tenant',
            '--site-cloud', 'cloud-b=tenant-b', '--probe-timeout', '3',
            '--request-id', 'req-w']))
        self.assertEqual(1, len(heat.signals))
        self.assertEqual(
            [(['c.yaml'], 'tenant', None, watcher.HEAT_TIMEOUT, 'req-w'),
             (['c.yaml'], 'tenant-b', None, 3.0, 'req-w'),
             (['c.yaml'], 'tenant-b', None, 3.0, 'req-w')], opened)
        self.assertIn('signalled site-lost of site_b', log.output)


class RelativeTest(testtools.TestCase):

    def test_the_path_under_heat(self):
        self.assertEqual(
            '/stacks/s/1/resources/vnf/signal',
            watcher.relative(HEAT_URL + '/stacks/s/1/resources/vnf/signal'))
        self.assertRaises(ValueError, watcher.relative, 'http://elsewhere/')


class ParseArgsTest(testtools.TestCase):

    def test_site_clouds(self):
        args = watcher.parse_args(['--heat', 'tenant:RegionOne',
                                   '--site-cloud', 'cloud-b=tenant-b'])
        self.assertEqual(({'cloud-b': 'tenant-b'}, 2.0, 30.0, 2.0, None),
                         (args.site_cloud, args.interval, args.rediscover,
                          args.probe_timeout, args.request_id))
