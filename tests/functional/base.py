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

"""Functional tests: real Keystone, Neutron, Heat and Barbican (sandbox).

The sandbox is brought up once (or reused when running); each test creates
stacks through Heat's API with short polling as a tenant (a `member` of its
project, as users are), checks each side in that side's own Neutron (as its
admin, who sees everything, or as a project, to see what it sees) and
leaves nothing behind: every stack is deleted and no network tagged with
it, or network or server named after it, may remain on any side.

Tests share one sandbox. Those that stop a service or change what every
test shares (EXCLUSIVE throughout, or alone() for a part) run alone: they
hold a lock that every other test holds shared while it runs, and new
tests wait while one of them waits. Such tests (SandboxToItself) run on
the production-profile sandbox beside the tests' own when the test command
brings one up, one at a time on one worker, where being alone keeps no
other worker waiting. A fault injected into the test's own requests alone
(drop_responses, hang_requests, refuse_requests) needs no such lock, nor
does a site cut for the test alone (cut_site), nor counting its own
Neutron requests (neutron_requests(own=True)): every request of the test
carries its own global request ID, which geo-heat passes on to every site
it calls for the test's stacks.
"""

import contextlib
import copy
import fcntl
import functools
import json
import os
import re
import time
import uuid

from openstack import exceptions as sdk_exc
import testtools

from geo_heat import definitions
from geo_heat import site_kinds
import geo_heat_sandbox as sandbox
from geo_heat_sandbox import clients
from geo_heat_sandbox import faults
from geo_heat_sandbox import runner

# Every site of the sandbox (a Neutron, a Nova and a Heat each), as
# (clouds.yaml entry, region).
SIDES = {
    'RegionOne': ('sandbox', 'RegionOne'),
    'RegionTwo': ('sandbox', 'RegionTwo'),
    'cloud-b': ('sandbox-b', 'RegionOne'),
}
# The clouds.yaml entries of the sandbox's users per cloud: its admins, the
# tenant (a member of geo-tenant in cloud A and in cloud B) and another
# project of cloud A.
USERS = {
    'admin': {'a': 'sandbox', 'b': 'sandbox-b'},
    'tenant': {'a': 'tenant', 'b': 'tenant-b'},
    'other': {'a': 'other'},
}


NEUTRONS = ('neutron-r1', 'neutron-r2', 'neutron-b')
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')


def two_sites(remote_context, technology='vlan', segmentation_range=None,
              local=None, remote=None, link=None):
    """A template with two endpoints and the link between them."""
    link_props = {'local_endpoint': {'get_resource': 'site_a'},
                  'remote_endpoint': {'get_resource': 'site_b'},
                  'technology': technology}
    if segmentation_range:
        link_props['segmentation_range'] = segmentation_range
    link_props.update(link or {})
    return {
        'heat_template_version': '2021-04-16',
        'resources': {
            'site_a': {'type': 'OS::Geo::Endpoint', 'properties': dict(
                {'physical_network': 'physnet1'}, **(local or {}))},
            'site_b': {'type': 'OS::Geo::Endpoint', 'properties': dict(
                {'context': remote_context, 'physical_network': 'physnet1'},
                **(remote or {}))},
            'link': {'type': 'OS::Geo::Interconnect',
                     'properties': link_props},
        },
        'outputs': {name: {'value': {'get_attr': ['link', name]}}
                    for name in ('segmentation_id', 'local_network_id',
                                 'remote_network_id', 'cidr', 'mtu',
                                 'status', 'technology', 'route_target',
                                 'local_cidr', 'remote_cidr',
                                 'local_router_id', 'remote_router_id')},
    }


@contextlib.contextmanager
def sandbox_lock(state_dir, exclusive, holder=None):
    """Shared by ordinary tests, exclusive for the disruptive ones.

    An exclusive test waiting for the lock stops new tests from taking it
    shared (they queue at a gate it holds until its turn), so it waits for
    the tests already running only: otherwise the other workers, always
    running one test or another, keep it (and its worker) waiting for
    minutes.

    With GEO_HEAT_LOCK_LOG set to a file, each hold appends a line there
    (tools/lock_report.py reads them): the holder (a test's id), whether
    exclusive, and when it asked, got and released the lock.
    """
    asked = time.time()
    gate = _lock_file(state_dir, '.functional-tests.gate')
    fd = _lock_file(state_dir, '.functional-tests.lock')
    try:
        fcntl.flock(gate, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        os.close(gate)
        gate = None
        got = time.time()
        try:
            yield
        finally:
            _log_hold(holder, exclusive, asked, got, time.time())
    finally:
        if gate is not None:
            os.close(gate)
        os.close(fd)


def _log_hold(holder, exclusive, asked, got, released):
    log = os.environ.get('GEO_HEAT_LOCK_LOG')
    if not log:
        return
    line = json.dumps({'holder': holder, 'pid': os.getpid(),
                       'exclusive': exclusive, 'asked': asked, 'got': got,
                       'released': released})
    # One write of a short line in append mode: workers' lines never mix.
    with open(log, 'a') as f:
        f.write(line + '\n')


def _lock_file(state_dir, name):
    return os.open(os.path.join(state_dir, name), os.O_RDWR | os.O_CREAT,
                   0o600)


# The production-profile sandbox the README's test command brings up beside
# the tests' own (tools/test.sh).
ENV_PRODUCTION_DIR = 'GEO_HEAT_PRODUCTION_SANDBOX_DIR'


def production_sandbox(holder):
    """The state dir of the production-profile sandbox beside the tests'
    own, up (brought up here if it is not); None where none is named."""
    state_dir = os.environ.get(ENV_PRODUCTION_DIR)
    if not state_dir:
        return None
    state_dir = sandbox.state_dir(state_dir)
    os.makedirs(state_dir, exist_ok=True)
    with sandbox_lock(state_dir, exclusive=False, holder=holder):
        sandbox.ensure_production_beside(state_dir, sandbox.state_dir())
    return state_dir


class SandboxToItself:
    """For a test that takes its sandbox to itself a while (it stops a
    service, or disables a host or changes a quota all tests share): it
    runs on the production-profile sandbox beside the tests' own when
    there is one. Its tests run one at a time on one worker
    (.stestr.conf's group_regex puts these classes there too), so having
    it alone costs no other worker a wait for the lock; elsewhere it runs
    alone on the tests' sandbox."""

    @classmethod
    def up_sandbox(cls):
        return (production_sandbox(cls.__module__ + '.' + cls.__name__) or
                super().up_sandbox())


class FunctionalTestCase(testtools.TestCase):

    # Polls start POLL apart (a fifth of it for wait_for) and slow down to
    # MAX_POLL: a test waiting half a minute need not ask Heat 120 times.
    POLL = 0.25
    MAX_POLL = 1.0
    TIMEOUT = 180
    # True for a test that changes what every test shares from start to end
    # (a quota); a test that needs it for a part alone calls alone().
    EXCLUSIVE = False
    # Who creates the stacks: a tenant, unless a test is about the
    # operator's side.
    USER = 'tenant'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_dir = cls.up_sandbox()
        cls._connections = {}

    @classmethod
    def up_sandbox(cls):
        """The state dir of the sandbox the class's tests use, up."""
        state_dir = sandbox.state_dir()
        # Not while a disruptive test has a service stopped on purpose.
        with sandbox_lock(state_dir, exclusive=False,
                          holder=cls.__module__ + '.' + cls.__name__):
            sandbox.ensure_up(state_dir)
        return state_dir

    def setUp(self):
        super().setUp()
        self._alone = self.EXCLUSIVE
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(
            sandbox_lock(self.state_dir, self.EXCLUSIVE, holder=self.id()))
        # Registered first, so released after every stack is deleted.
        self.addCleanup(self._lock.close)
        self.stack_names = {}
        self.stack_sides = {}

    def connection(self, side='RegionOne', user='admin'):
        """A connection to a side's services, as the admin by default."""
        key = (side, user)
        if key not in self._connections:
            cloud, region = SIDES[side]
            entry = USERS[user]['b' if cloud == 'sandbox-b' else 'a']
            self._connections[key] = clients.connect(entry, region,
                                                     self.state_dir)
        return self._own_connection(key)

    def cloud_config(self, cloud):
        return clients.cloud_config(cloud, state_dir=self.state_dir)

    @property
    def heat(self):
        return self.heat_on('RegionOne')

    def heat_on(self, side):
        """The Heat of a side, as the test's user."""
        return self.connection(side, self.USER).orchestration

    def heat_of(self, stack_id):
        """The Heat a stack was created in."""
        return self.heat_on(self.stack_sides.get(stack_id, 'RegionOne'))

    # -- stacks -------------------------------------------------------------

    def stack_name(self):
        """A new stack name of the test's own."""
        test_name = re.sub(r'[^A-Za-z0-9_.-]', '-',
                           self.id().rsplit('.', 1)[-1])
        return 'ft-%s-%s' % (test_name[:40], uuid.uuid4().hex[:6])

    def start_stack(self, template, parameters=None, side='RegionOne',
                    files=None, name=None):
        """Ask the Heat of `side` to create a stack (with the files its
        get_file reads), named `name` or stack_name(); deleted (and
        checked) at cleanup."""
        name = name or self.stack_name()
        stack = self.heat_on(side).create_stack(
            name=name, template=template, parameters=parameters or {},
            files=files or {}, is_rollback_disabled=True, timeout_mins=5)
        self.stack_names[stack.id] = name
        self.stack_sides[stack.id] = side
        self.addCleanup(self.delete_stack, stack.id)
        return stack

    def create_stack(self, template, parameters=None, expect='COMPLETE',
                     side='RegionOne', files=None, name=None):
        stack = self.start_stack(template, parameters, side, files, name)
        return self.wait(stack.id, 'CREATE', expect)

    def wait(self, stack_id, action, expect='COMPLETE'):
        """Poll until the stack's `action` is over; assert how it ended
        (unless expect is None)."""
        try:
            (stack,) = clients.wait_for_action(
                self.heat_of(stack_id), [stack_id], action, self.TIMEOUT,
                self.POLL, self.MAX_POLL).values()
        except clients.ActionTimeout as exc:
            self.fail(str(exc))
        if stack is None:
            raise sdk_exc.NotFoundException('stack %s is gone' % stack_id)
        if expect is not None:
            self.assertEqual('%s_%s' % (action, expect), stack.status,
                             stack.status_reason)
        return stack

    def delete_stack(self, stack_id, expect='COMPLETE'):
        try:
            self.heat_of(stack_id).delete_stack(stack_id)
            self.wait(stack_id, 'DELETE', expect)
        except sdk_exc.NotFoundException:
            pass
        if expect == 'COMPLETE':
            self.assertNothingLeft(stack_id)

    def outputs(self, stack):
        return {o['output_key']: o.get('output_value')
                for o in self.heat_of(stack.id).get_stack(stack.id).outputs}

    def resource(self, stack, name):
        for rsrc in self.heat_of(stack.id).resources(stack):
            if rsrc.name == name:
                return rsrc
        raise KeyError(name)

    def action(self, stack, verb, expect='COMPLETE'):
        getattr(self.heat_of(stack.id), '%s_stack' % verb)(stack)
        return self.wait(stack.id, verb.upper(), expect)

    def wait_for(self, predicate, what):
        """Poll until predicate() is true; return its value."""
        deadline = time.monotonic() + self.TIMEOUT
        poll = self.POLL / 5
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail('no %s after %ss' % (what, self.TIMEOUT))
            time.sleep(poll)
            poll = min(poll * clients.POLL_GROWTH, self.MAX_POLL)

    # -- faults of the whole sandbox (tests alone only) ---------------------

    def alone(self):
        """Run alone from now on (as an EXCLUSIVE test does throughout),
        e.g. just before a service stops: the stacks a test prepares before
        need not keep the other tests waiting."""
        if not self._alone:
            self._relock(exclusive=True)

    def together(self):
        """Share the sandbox again, every service up: what a test checks
        once the services are back need not keep the others waiting."""
        if self._alone:
            sandbox.ensure_up(self.state_dir)
            self._relock(exclusive=False)

    def _relock(self, exclusive):
        self._lock.close()
        self._lock.enter_context(sandbox_lock(self.state_dir, exclusive,
                                              holder=self.id()))
        self._alone = exclusive

    def stop_service(self, name):
        """Stop a sandbox service; it is back at cleanup at the latest."""
        self.assertTrue(self._alone, 'only a test alone (EXCLUSIVE, or '
                                     'after alone()) may stop a service '
                                     'others may be using')
        sandbox.stop_service(name, self.state_dir)
        # Runs before the stack deletes registered earlier.
        self.addCleanup(sandbox.ensure_up, self.state_dir)

    def start_service(self, name):
        sandbox.start_service(name, self.state_dir)

    # -- faults in the test's own requests (any test) ---------------------

    def drop_responses(self, service, method, path, contains=None, count=1):
        """The service processes matching requests (method, a regular
        expression searched in the path, a substring of the body such as
        the test's own stack name), then closes the connection without
        answering: a WAN that lost the answer. Disarmed at cleanup."""
        return self._fault(service, method, path, faults.DROP_RESPONSE,
                           contains, count)

    def hang_requests(self, service, method, path, contains=None,
                      count=None):
        """Matching requests get no answer (a blackholed site) until
        cleanup."""
        return self._fault(service, method, path, faults.HANG, contains,
                           count)

    def hold_requests(self, service, method, path=''):
        """The service holds the test's own matching requests (by its
        request ID), unanswered and unprocessed, until the fault is
        disarmed: then they are closed, as a cut_site() closes every later
        one. A step is stopped there, and lost there."""
        return self._fault(service, method, path, faults.HANG, None, None,
                           request_id=self.request_id)

    def refuse_requests(self, service, method, path, contains=None,
                        count=None):
        """Matching requests are answered 409 Conflict, unprocessed (a
        site that is there and says no), until cleanup."""
        return self._fault(service, method, path, faults.REFUSE, contains,
                           count)

    def _fault(self, service, method, path, action, contains, count,
               request_id=None):
        fault = faults.arm(self.state_dir, service, method, path,
                           action=action, contains=contains, count=count,
                           request_id=request_id)
        # Runs before the stack deletes registered earlier.
        self.addCleanup(fault.disarm)
        return fault

    # -- sites cut for the test alone (any test) ----------------------------

    # The HTTP services of each side; a side's Keystone only where the side
    # has one of its own (RegionTwo shares RegionOne's).
    SITE_SERVICES = {
        'RegionOne': ('neutron-r1', 'nova-r1', 'placement-r1', 'heat-r1'),
        'RegionTwo': ('neutron-r2', 'nova-r2', 'placement-r2', 'heat-r2'),
        'cloud-b': ('keystone-b', 'neutron-b', 'nova-b', 'placement-b',
                    'glance-b', 'heat-b'),
    }

    @functools.cached_property
    def request_id(self):
        """A global request ID of the test's own (req-<uuid4>, the form
        Heat's API accepts), sent with each of its requests."""
        return 'req-%s' % uuid.uuid4()

    @functools.cached_property
    def _own_connections(self):
        return {}

    def _own_connection(self, key):
        """The class's connection, sending the test's request ID (on the
        same session: one token per class)."""
        if key not in self._own_connections:
            # The header on a session of the test's own (sharing the
            # class's token), spelled as keystoneauth looks it up when it
            # follows a redirect of Heat's (a stack named by its ID alone):
            # sent as a global_request_id, it would follow with the
            # answer's own request ID instead.
            shared = self._connections[key]
            session = copy.copy(shared.session)
            session.additional_headers = dict(
                session.additional_headers,
                **{site_kinds.REQUEST_ID_HEADER: self.request_id})
            conn = shared.global_request(None)
            conn.config._keystone_session = session
            self._own_connections[key] = conn
        return self._own_connections[key]

    def cut_site(self, side, services=None):
        """The side's services (SITE_SERVICES by default) close the
        connection of every request of the test's, unanswered and
        unprocessed, until restore_site() or cleanup: the site is gone for
        the test's stacks (geo-heat's calls carry the test's request ID),
        and there for every other test. geo-heat finds it unreachable as
        it finds a stopped service. The test's own requests to the side
        are cut too; observed() reads it without the test's ID."""
        cut = [self._fault(name, None, '', faults.CLOSE, None, None,
                           request_id=self.request_id)
               for name in services or self.SITE_SERVICES[side]]
        self._cuts = getattr(self, '_cuts', []) + cut
        return cut

    def restore_site(self):
        """Every side cut by the test answers its requests again."""
        for fault in getattr(self, '_cuts', []):
            fault.disarm()
        self._cuts = []

    def observed(self, side='RegionOne', user='admin'):
        """A connection to a side without the test's request ID: what the
        test reads of a site it cut for its stacks."""
        self.connection(side, user)
        return self._connections[(side, user)]

    # -- each side's own Neutron ------------------------------------------

    def tagged_networks(self, stack_id, side):
        return list(self.connection(side).network.networks(
            tags=definitions.stack_tag(stack_id)))

    def leftovers(self, stack_id):
        """(side, id, name) of every network, port and server of the stack
        on every side.

        Found by the stack's tag (networks, the ports a VNF reserves) and,
        for networks a create left untagged, by name: Heat names them after
        the stack (servers too).
        """
        prefix = self.stack_names.get(stack_id)
        left = []
        for side in SIDES:
            networks = {n.id: n for n in self.tagged_networks(stack_id, side)}
            if prefix:
                networks.update(
                    (n.id, n) for n in self.connection(side).network.networks()
                    if n.name.startswith(prefix + '-'))
            left.extend((side, n.id, n.name) for n in networks.values())
            left.extend((side, p.id, p.name) for p in
                        self.connection(side).network.ports(
                            tags=definitions.stack_tag(stack_id)))
            if prefix:
                # Nova shows a server DELETED (where Heat's delete ends)
                # a moment before it drops it from the list: it is gone.
                left.extend((side, s.id, s.name)
                            for s in self.servers_of(stack_id, side)
                            if s.status != 'DELETED')
                left.extend(self.stitching_leftovers(side, prefix))
        return left

    def stitching_leftovers(self, side, prefix):
        """(side, id, name) of the routers and VPNaaS objects named after
        a stack (stitched links name them so)."""
        net = self.connection(side).network
        return [(side, o.id, o.name)
                for listing in (net.routers, net.vpn_ipsec_site_connections,
                                net.vpn_services, net.vpn_ike_policies)
                for o in listing()
                if (o.name or '').startswith(prefix + '-')]

    def servers_of(self, stack_id, side, within=''):
        """The servers of every project on a side that a stack (or the
        stacks it made elsewhere) created, with `within` in their name.

        Heat names a server after its stack but keeps only the first two
        and the last 50 characters, and Nova on SQLite turns its name
        filter into a LIKE: the servers are found here by the random
        suffix of the test's stack name, which that tail keeps.
        """
        suffix = self.stack_names[stack_id].rsplit('-', 1)[1]
        pattern = re.compile(r'(^|-)%s-.*%s' % (suffix, re.escape(within)))
        return [server for server in self.connection(side).compute.servers(
                all_projects=True) if pattern.search(server.name)]

    def assertNothingLeft(self, stack_id):
        self.assertEqual([], self.leftovers(stack_id))

    def neutron_requests(self, methods=WRITE_METHODS, path=None,
                         status=None, own=False):
        """Requests each Neutron has answered so far (its access log); with
        `own`, those that carried the test's request ID alone (geo-heat
        passes it on to every site it calls for the test), so that the
        test need not be alone to count them."""
        counts = {}
        services = sandbox.status(self.state_dir)['services']
        for name in NEUTRONS:
            counts[name] = sum(
                1 for method, logged_path, logged_status
                in runner.read_access_log(
                    services[name]['access_log'],
                    request_id=self.request_id if own else None)
                if method in methods and path in (None, logged_path) and
                status in (None, logged_status))
        return counts

    def assertRefused(self, template, *fragments):
        """Stack create answers 400 with every fragment in the message."""
        try:
            stack = self.heat.create_stack(
                name='ft-invalid-%s' % uuid.uuid4().hex[:6],
                template=template)
        except sdk_exc.HttpException as exc:
            self.assertEqual(400, exc.status_code, str(exc))
            for fragment in fragments:
                self.assertIn(fragment, str(exc))
            return exc
        self.addCleanup(self.delete_stack, stack.id)
        self.fail('stack create accepted the template')

    def assertHalf(self, side, network_id, technology, segmentation_id,
                   cidr, mtu, physical_network=None):
        """One side's network and subnet, read from that side's Neutron."""
        network = self.connection(side).network.get_network(network_id)
        self.assertEqual(technology, network.provider_network_type)
        self.assertEqual(segmentation_id, network.provider_segmentation_id)
        if physical_network:
            self.assertEqual(physical_network,
                             network.provider_physical_network)
        self.assertEqual(mtu, network.mtu)
        (subnet_id,) = network.subnet_ids
        subnet = self.connection(side).network.get_subnet(subnet_id)
        self.assertEqual(cidr, subnet.cidr)
        return network, subnet
