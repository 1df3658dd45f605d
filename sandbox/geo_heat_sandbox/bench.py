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

"""Benchmark of geo-heat on the sandbox: speed, API calls, scale, races.

``python -m geo_heat_sandbox.bench [--runs N] [--quick] [--only P5 ...]
[--json PATH]``; ``tools/bench.sh`` installs, brings the sandbox up and
runs this.

P1  one VLAN link RegionOne-RegionTwo with OS::Geo::Interconnect, against
    what a user writes today: a provider network and subnet here and the
    same in RegionTwo through a remote OS::Heat::Stack, ID typed by hand;
    and against the floor no link goes below: an empty stack through the
    same Heat plus one side's Neutron writes (the slower side), in
    sequence.
P2  Neutron and Keystone API calls per link, counted from the servers'
    access logs, with no and with many networks already in both regions.
P3  1 to 100 links in one stack.
P4  stacks created at the same time, each with one link.
P5  switchover and failover of a warm VNF across RegionOne and RegionTwo,
    with the time no server holds the active role during the switchover.
P6  one link of each technology RegionOne-RegionTwo: VLAN, BGPVPN l2 and
    l3, IPsec.
P7  the day a datacenter is lost: RegionTwo's Nova and Neutron stop, stack
    check fails, then the failover; its times, and what it rebuilt. Then
    automatic failovers (regions, clouds) and a configuration pushed to a
    warm standby.

Stacks go through Heat's API, polled every 0.1 s without resolving
outputs, so a time is what a client of Heat waits for.
"""

import argparse
import base64
import collections
import concurrent.futures
import contextlib
import dataclasses
import json
import os
import re
import statistics
import sys
import threading
import time
import uuid

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from openstack.network.v2 import network as network_resource
from openstack.network.v2 import subnet as subnet_resource

from geo_heat import definitions
import geo_heat_sandbox as sandbox
from geo_heat.link import allocation
from geo_heat_sandbox import clients
from geo_heat_sandbox import layout as layout_mod
from geo_heat_sandbox import runner
from geo_heat_sandbox import templates

POLL_SECONDS = 0.1
STACK_TIMEOUT = 900
REGIONS = ('RegionOne', 'RegionTwo')
PHYSICAL_NETWORK = 'physnet1'
# Benchmark links draw from a range of their own, wide enough for P3's 100
# links; the sandbox's VLAN range (100:199) is left to tests and demos.
LINK_RANGE = '2000:3999'
# P4 draws from the sandbox's VLAN range, so concurrent stacks do collide
# now and then and the retry path is measured too.
RACE_RANGE = '100:199'
# The native template's hand-typed values, outside what links choose.
NATIVE_SEGMENTATION_ID = 4000
NATIVE_CIDR = '10.251.0.0/24'
# P1's floor: the network one side of a link writes, made directly.
FLOOR_SEGMENTATION_ID = 4001
FLOOR_CIDR = '10.252.0.0/24'
FLOOR_TAG = 'bench-floor'
EMPTY_TEMPLATE = {'heat_template_version': '2021-04-16', 'resources': {}}
# Networks already in the clouds for P2: VLAN networks on the links'
# physical network (their segments are what a link must avoid), each with
# a subnet outside the links' CIDR pool.
FILLER_SEGMENTATION_BASE = 500
FILLER_PREFIX = 'bench-filler'
STACK_PREFIX = 'bench-'
SCENARIOS = ('P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7')
# P5, P7: how often the servers' roles are read during an update.
ROLE_POLL_SECONDS = 0.1
# P7: failover_after of the automatic failovers timed (the default, and
# the fastest).
AUTOMATIC_FAILOVER_AFTER = (5, 0)
# P6: the link of each line, as the template's link properties.
TECHNOLOGY_LINKS = (
    ('vlan', {'technology': definitions.VLAN}),
    ('bgpvpn l2', {'technology': definitions.BGPVPN,
                   'segmentation_range': None,
                   'bgpvpn_type': definitions.BGPVPN_L2}),
    ('bgpvpn l3', {'technology': definitions.BGPVPN,
                   'segmentation_range': None,
                   'bgpvpn_type': definitions.BGPVPN_L3}),
    ('ipsec', {'technology': definitions.IPSEC, 'segmentation_range': None}),
)
# Services whose requests P2 counts; the Heat of RegionOne is left out,
# as the benchmark's own polling goes there.
COUNTED_SERVICES = {'neutron-r1': 'Neutron RegionOne',
                    'neutron-r2': 'Neutron RegionTwo',
                    'keystone-a': 'Keystone',
                    'heat-r2': 'Heat RegionTwo'}
READ_METHODS = ('GET', 'HEAD')
QUOTAS = ('networks', 'subnets')
# P5: the services of the active site (RegionTwo) that a failover finds
# stopped; RegionOne's Heat, which holds the stack, stays up.
FAILED_SITE = ('nova-r2', 'neutron-r2')
ID_IN_PATH = re.compile(r'/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}'
                        r'-?[0-9a-f]{12}|/[0-9a-f]{32}')
STACK_NAME_IN_PATH = re.compile(r'/stacks/[^/{]+/')


@dataclasses.dataclass(frozen=True)
class Plan:
    """How much of each scenario a run does."""

    runs: int
    preexisting_networks: int
    link_counts: tuple
    concurrent_stacks: int


FULL = Plan(runs=5, preexisting_networks=500, link_counts=(1, 10, 50, 100),
            concurrent_stacks=20)
QUICK = Plan(runs=3, preexisting_networks=100, link_counts=(1, 10, 25),
             concurrent_stacks=10)


class BenchError(Exception):
    """A stack did not reach the state the benchmark needs."""


# -- templates ---------------------------------------------------------------

def geo_template(links=1, segmentation_range=LINK_RANGE, **link):
    """Two endpoints, RegionOne and RegionTwo, and `links` links: VLAN
    unless `link` (properties, None to leave one out) says otherwise."""
    props = dict({'technology': definitions.VLAN,
                  'segmentation_range': segmentation_range}, **link)
    resources = {
        'local_site': {'type': 'OS::Geo::Endpoint', 'properties': {
            'physical_network': PHYSICAL_NETWORK}},
        'remote_site': {'type': 'OS::Geo::Endpoint', 'properties': {
            'context': {'region_name': 'RegionTwo'},
            'physical_network': PHYSICAL_NETWORK}},
    }
    for index in range(links):
        resources['link_%d' % index] = {
            'type': 'OS::Geo::Interconnect', 'properties': {
                'local_endpoint': {'get_resource': 'local_site'},
                'remote_endpoint': {'get_resource': 'remote_site'},
                **{key: value for key, value in props.items()
                   if value is not None}}}
    return {'heat_template_version': '2021-04-16', 'resources': resources}


def _native_half(segmentation_id, cidr, allocation_pools):
    return {'heat_template_version': '2021-04-16', 'resources': {
        'network': {'type': 'OS::Neutron::ProviderNet', 'properties': {
            'network_type': definitions.VLAN,
            'physical_network': PHYSICAL_NETWORK,
            'segmentation_id': segmentation_id}},
        'subnet': {'type': 'OS::Neutron::Subnet', 'properties': {
            'network': {'get_resource': 'network'}, 'cidr': cidr,
            'enable_dhcp': False, 'gateway_ip': '',
            'allocation_pools': allocation_pools}},
    }}


def native_template(segmentation_id=NATIVE_SEGMENTATION_ID, cidr=NATIVE_CIDR):
    """The same link without geo-heat: each half written out, the remote
    one as a nested stack that RegionTwo's Heat creates."""
    local_pools, remote_pools = allocation.split_allocation_pools(cidr, 2)
    template = _native_half(segmentation_id, cidr, local_pools)
    template['resources']['remote'] = {
        'type': 'OS::Heat::Stack', 'properties': {
            'context': {'region_name': 'RegionTwo'},
            'template': json.dumps(
                _native_half(segmentation_id, cidr, remote_pools))}}
    return template


# -- counting requests -------------------------------------------------------

class AccessLogs:
    """Requests each service received between a mark and now.

    The sandbox writes one line per request (time, method, path, status,
    duration), so the count is what the servers saw, retries included.
    """

    # A line is written when the response is closed, just after the client
    # got it: wait that long before reading.
    SETTLE_SECONDS = 0.3

    def __init__(self, layout, services=tuple(COUNTED_SERVICES)):
        self.paths = {name: layout.access_log(name) for name in services}

    def mark(self):
        return {name: os.path.getsize(path)
                for name, path in self.paths.items()}

    def requests_since(self, mark):
        """{service: [(method, path, status)]} since `mark`."""
        time.sleep(self.SETTLE_SECONDS)
        return {name: runner.read_access_log(path, mark[name])
                for name, path in self.paths.items()}


def count_calls(requests):
    """Reads and writes per service, and each kind of request."""
    counts = {}
    def kind(method, path, status):
        path = STACK_NAME_IN_PATH.sub('/stacks/{name}/',
                                      ID_IN_PATH.sub('/{id}', path))
        return '%s %s %s' % (method, path, status)

    for name, lines in requests.items():
        kinds = collections.Counter(kind(*line) for line in lines)
        reads = sum(1 for method, _p, _s in lines if method in READ_METHODS)
        counts[name] = {'reads': reads, 'writes': len(lines) - reads,
                        'requests': dict(sorted(kinds.items()))}
    return counts


def conflicts(requests):
    """Network creations a Neutron refused with 409 (ID taken meanwhile)."""
    return sum(1 for lines in requests.values()
               for method, path, status in lines
               if method == 'POST' and path.endswith('/networks')
               and status == '409')


# -- the sandbox, through its APIs -------------------------------------------

class Sandbox:
    """Heat of RegionOne, each region's Neutron and their access logs."""

    def __init__(self, state_dir, cloud='sandbox'):
        """As the admin, or as another user of the sandbox's clouds.yaml
        (`cloud`)."""
        self.state_dir = state_dir
        self.regions = {
            region: clients.connect(cloud, region, state_dir)
            for region in REGIONS}
        self.heat = self.regions['RegionOne'].orchestration
        self.logs = AccessLogs(layout_mod.Layout(state_dir))

    def wait(self, stack_ids, action):
        """{stack ID: (status, reason)} once every stack's `action` is over."""
        try:
            stacks = clients.wait_for_action(self.heat, stack_ids, action,
                                             STACK_TIMEOUT, POLL_SECONDS)
        except clients.ActionTimeout as exc:
            raise BenchError(str(exc))
        return {stack_id: (stack.status, stack.status_reason) if stack
                else ('DELETE_COMPLETE', '')
                for stack_id, stack in stacks.items()}

    def start_create(self, template):
        name = '%s%s' % (STACK_PREFIX, uuid.uuid4().hex[:8])
        return self.heat.create_stack(
            name=name, template=template, is_rollback_disabled=True,
            timeout_mins=STACK_TIMEOUT // 60).id

    def create(self, template):
        """(stack ID, seconds until CREATE_COMPLETE)."""
        start = time.monotonic()
        stack_id = self.start_create(template)
        ((status, reason),) = self.wait([stack_id], 'CREATE').values()
        if status != 'CREATE_COMPLETE':
            raise BenchError('stack %s is %s: %s'
                             % (stack_id, status, reason))
        return stack_id, time.monotonic() - start

    def delete(self, stack_id):
        """Seconds until DELETE_COMPLETE."""
        start = time.monotonic()
        self.heat.delete_stack(stack_id)
        ((status, reason),) = self.wait([stack_id], 'DELETE').values()
        if status != 'DELETE_COMPLETE':
            raise BenchError('stack %s is %s: %s'
                             % (stack_id, status, reason))
        return time.monotonic() - start

    def update(self, stack_id, template, **parameters):
        """Seconds until UPDATE_COMPLETE."""
        start = time.monotonic()
        self.heat.update_stack(stack_id, template=template,
                               parameters=parameters)
        ((status, reason),) = self.wait([stack_id], 'UPDATE').values()
        if status != 'UPDATE_COMPLETE':
            raise BenchError('stack %s is %s: %s'
                             % (stack_id, status, reason))
        return time.monotonic() - start

    def check(self, stack_id):
        self.heat.check_stack(stack_id)
        ((status, reason),) = self.wait([stack_id], 'CHECK').values()
        if status != 'CHECK_COMPLETE':
            raise BenchError('stack %s is %s: %s'
                             % (stack_id, status, reason))

    def floor(self):
        """(create, delete) seconds a one-link stack cannot go below: an
        empty stack's create and delete through the same Heat, plus the
        slower region's Neutron writes of one side of a VLAN link."""
        stack_id, create_seconds = self.create(EMPTY_TEMPLATE)
        delete_seconds = self.delete(stack_id)
        sides = [self.link_side_writes(conn)
                 for conn in self.regions.values()]
        return (create_seconds + max(side[0] for side in sides),
                delete_seconds + max(side[1] for side in sides))

    def link_side_writes(self, conn):
        """(create, delete) seconds of what a VLAN link writes in one
        Neutron (geo_heat.link.provider), one request after the other: the
        network, its tags, its subnet and its share; then the network's
        delete (Neutron removes the subnet and the share with it)."""
        net = conn.network
        start = time.monotonic()
        network = net.create_network(
            name=FLOOR_TAG, provider_network_type=definitions.VLAN,
            provider_physical_network=PHYSICAL_NETWORK,
            provider_segmentation_id=FLOOR_SEGMENTATION_ID)
        try:
            net.set_tags(network, [FLOOR_TAG])
            net.create_subnet(network_id=network.id, ip_version=4,
                              cidr=FLOOR_CIDR, enable_dhcp=False,
                              gateway_ip=None)
            net.create_rbac_policy(
                object_type='network', object_id=network.id,
                action='access_as_shared',
                target_project_id=self.shared_with)
            create_seconds = time.monotonic() - start
        finally:
            start = time.monotonic()
            net.delete_network(network, ignore_missing=False)
        return create_seconds, time.monotonic() - start

    @property
    def shared_with(self):
        """The project the floor's networks are shared with (a link's:
        the stack's project, from the link builder's)."""
        return self.regions['RegionOne'].identity.find_project(
            'service', ignore_missing=False).id

    @contextlib.contextmanager
    def stopped(self, services):
        """The services stopped meanwhile, started again afterwards."""
        for name in services:
            sandbox.stop_service(name, self.state_dir)
        try:
            yield
        finally:
            for name in services:
                sandbox.start_service(name, self.state_dir)

    @contextlib.contextmanager
    def unlimited_quotas(self):
        """Lift the network and subnet quotas (100 each by default) in both
        regions of the benchmark's project (native stacks) and of the
        link builder's project (geo-heat's links), then restore them."""
        conn = self.regions['RegionOne']
        projects = {conn.current_project_id, conn.identity.find_project(
            'service', ignore_missing=False).id}
        saved = {}
        for region, conn in self.regions.items():
            for project in projects:
                quota = conn.network.get_quota(project)
                saved[region, project] = {resource: getattr(quota, resource)
                                          for resource in QUOTAS}
                conn.network.update_quota(
                    project, **{resource: -1 for resource in QUOTAS})
        try:
            yield
        finally:
            for (region, project), limits in saved.items():
                self.regions[region].network.update_quota(project, **limits)

    def on_each_region(self, function):
        """{region: function(region, connection)}, both regions at once."""
        with concurrent.futures.ThreadPoolExecutor(len(self.regions)) as pool:
            futures = {region: pool.submit(function, region, conn)
                       for region, conn in self.regions.items()}
        return {region: future.result() for region, future in futures.items()}

    def remove_leftovers(self):
        """Delete what an interrupted run left: stacks, then fillers."""
        stacks = [s.id for s in self.heat.stacks()
                  if s.name.startswith(STACK_PREFIX)]
        for stack_id in stacks:
            self.heat.delete_stack(stack_id)
        self.wait(stacks, 'DELETE')
        self.remove_fillers(self.on_each_region(lambda _region, conn: [
            network.id for network in conn.network.networks()
            if network.name.startswith(FILLER_PREFIX)]))

    def remove_fillers(self, network_ids):
        """Delete {region: [network ID]}, a few requests at a time (Neutron
        has no bulk delete; more would only queue on SQLite)."""
        def remove(region, conn):
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                list(pool.map(conn.network.delete_network,
                              network_ids[region]))

        self.on_each_region(remove)

    def add_fillers(self, count):
        """`count` VLAN networks with a subnet in each region, in bulk:
        {region: [network ID]}."""
        def add(_region, conn):
            networks = list(network_resource.Network.bulk_create(
                conn.network, [{
                    'name': '%s-%d' % (FILLER_PREFIX, index),
                    'provider:network_type': definitions.VLAN,
                    'provider:physical_network': PHYSICAL_NETWORK,
                    'provider:segmentation_id':
                        FILLER_SEGMENTATION_BASE + index,
                } for index in range(count)]))
            list(subnet_resource.Subnet.bulk_create(conn.network, [{
                'network_id': network.id, 'ip_version': 4,
                'name': network.name, 'enable_dhcp': False,
                'cidr': '10.%d.%d.0/24' % divmod(index, 256),
            } for index, network in enumerate(networks)]))
            return [network.id for network in networks]

        return self.on_each_region(add)

    def link_values(self, stack_ids):
        """{region: [(segmentation ID, CIDR)]} of the stacks' networks."""
        values = {}
        for region, conn in self.regions.items():
            networks = [network for stack_id in stack_ids
                        for network in conn.network.networks(
                            tags=definitions.stack_tag(stack_id))]
            cidrs = {subnet.network_id: subnet.cidr
                     for subnet in conn.network.subnets()}
            values[region] = [(network.provider_segmentation_id,
                               cidrs.get(network.id)) for network in networks]
        return values


def duplicates(values):
    """How many segmentation IDs and CIDRs are used twice on some side."""
    def repeated(items):
        return len(items) - len(set(items))

    return {
        'segmentation_ids': sum(repeated([v[0] for v in side])
                                for side in values.values()),
        'cidrs': sum(repeated([v[1] for v in side])
                     for side in values.values()),
    }


# -- the scenarios -----------------------------------------------------------

def _median(values):
    return round(statistics.median(values), 3)


def medians(samples):
    """{kind: median} of {kind: [seconds]}."""
    return {kind: _median(values) for kind, values in samples.items()}


def bench_technologies(box, runs):
    """P6: median create and delete time of a link of each technology."""
    samples = {label: {'create': [], 'delete': []}
               for label, _link in TECHNOLOGY_LINKS}
    for _run in range(runs):
        for label, link in TECHNOLOGY_LINKS:
            stack_id, create_seconds = box.create(geo_template(**link))
            samples[label]['create'].append(create_seconds)
            samples[label]['delete'].append(box.delete(stack_id))
    return {'runs': runs, 'samples': samples,
            'median': {label: medians(phases)
                       for label, phases in samples.items()}}


def bench_single_link(box, runs):
    """P1: median create, delete and total time, geo-heat, native and the
    floor (Sandbox.floor)."""
    templates = {'geo': geo_template(), 'native': native_template()}
    times = {kind: {'create': [], 'delete': [], 'total': []}
             for kind in list(templates) + ['floor']}

    def note(kind, create_seconds, delete_seconds):
        times[kind]['create'].append(create_seconds)
        times[kind]['delete'].append(delete_seconds)
        times[kind]['total'].append(create_seconds + delete_seconds)

    # Alternate the three, so a slow moment of the machine hits each.
    for _run in range(runs):
        for kind, template in templates.items():
            stack_id, create_seconds = box.create(template)
            note(kind, create_seconds, box.delete(stack_id))
        note('floor', *box.floor())
    result = {kind: medians(phases) for kind, phases in times.items()}
    for ratio, base in (('ratio', 'native'), ('floor_ratio', 'floor')):
        result[ratio] = {phase: round(result['geo'][phase] /
                                      result[base][phase], 2)
                         for phase in ('create', 'delete', 'total')}
    result['runs'] = runs
    result['samples'] = times
    return result


def count_link_calls(box, template):
    """API calls received during one create and one delete, and times."""
    mark = box.logs.mark()
    stack_id, create_seconds = box.create(template)
    created = count_calls(box.logs.requests_since(mark))
    mark = box.logs.mark()
    delete_seconds = box.delete(stack_id)
    deleted = count_calls(box.logs.requests_since(mark))
    return {'create': created, 'delete': deleted,
            'seconds': {'create': round(create_seconds, 2),
                        'delete': round(delete_seconds, 2)}}


def bench_api_calls(box, preexisting):
    """P2: calls per link with no and with `preexisting` other networks."""
    result = {'geo': {'0': count_link_calls(box, geo_template())},
              'native': {'0': count_link_calls(box, native_template())},
              'minimum_writes': {'create': 4, 'delete': 2}}
    start = time.monotonic()
    fillers = box.add_fillers(preexisting)
    result['fillers_seconds'] = round(time.monotonic() - start, 1)
    try:
        result['geo'][str(preexisting)] = count_link_calls(box,
                                                           geo_template())
    finally:
        box.remove_fillers(fillers)
    result['preexisting'] = preexisting
    return result


def bench_many_links(box, link_counts):
    """P3: one stack with N links, for each N; growth per link."""
    rows = []
    for links in link_counts:
        stack_id, create_seconds = box.create(geo_template(links))
        found = duplicates(box.link_values([stack_id]))
        delete_seconds = box.delete(stack_id)
        rows.append({'links': links, 'create': round(create_seconds, 2),
                     'delete': round(delete_seconds, 2),
                     'duplicates': found})
    first = rows[0]
    for row in rows:
        for phase in ('create', 'delete'):
            per_link = row[phase] / row['links']
            row[phase + '_per_link'] = round(per_link, 3)
            row[phase + '_growth'] = round(
                per_link / (first[phase] / first['links']), 2)
    return rows


def bench_concurrent_stacks(box, count):
    """P4: `count` one-link stacks at once, then all deleted at once."""
    template = geo_template(segmentation_range=RACE_RANGE)
    mark = box.logs.mark()
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        stack_ids = list(pool.map(lambda _i: box.start_create(template),
                                  range(count)))
    outcome = box.wait(stack_ids, 'CREATE')
    create_seconds = time.monotonic() - start
    requests = box.logs.requests_since(mark)
    failures = {stack_id: reason for stack_id, (status, reason)
                in outcome.items() if status != 'CREATE_COMPLETE'}
    found = duplicates(box.link_values(stack_ids))
    start = time.monotonic()
    for stack_id in stack_ids:
        box.heat.delete_stack(stack_id)
    deleted = box.wait(stack_ids, 'DELETE')
    return {
        'stacks': count, 'create_wall': round(create_seconds, 2),
        'failures': len(failures), 'failure_reasons': failures,
        'conflicts_retried': conflicts(requests), 'duplicates': found,
        'delete_wall': round(time.monotonic() - start, 2),
        'delete_failures': sum(1 for status, _r in deleted.values()
                               if status != 'DELETE_COMPLETE'),
    }


class RoleWatch:
    """Reads the role in each server's metadata (as the admin of its
    region) every ROLE_POLL_SECONDS while an update runs: the samples,
    (seconds since start, {region: role}), one per read."""

    def __init__(self, box, servers):
        self.box = box
        self.servers = servers
        self.samples = []
        self.start = time.monotonic()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _role(self, region, server_id):
        try:
            return self.box.regions[region].compute.get_server(
                server_id).metadata.get('role')
        except Exception:  # a stopped Nova: nothing known there
            return None

    def _watch(self):
        while not self.done.is_set():
            roles = {region: self._role(region, server_id)
                     for region, server_id in self.servers.items()}
            self.samples.append((time.monotonic() - self.start, roles))
            self.done.wait(ROLE_POLL_SECONDS)

    def stop(self):
        self.done.set()
        self.thread.join()
        return self.samples


def role_changes(samples, new_region):
    """(seconds read with no active role, reads with two, seconds until
    `new_region`'s server was first read active)."""
    without = two = 0
    promoted = None
    for (at, roles), (after, _next) in zip(samples, samples[1:] + [
            (samples[-1][0], None)]):
        actives = list(roles.values()).count('active')
        without += (after - at) if actives == 0 else 0
        two += actives > 1
        if promoted is None and roles.get(new_region) == 'active':
            promoted = at
    return round(without, 2), two, promoted


def _servers(box, stack_id):
    """{region: server ID} of a VNF stack's running instances."""
    outputs = {o['output_key']: o.get('output_value')
               for o in box.heat.get_stack(stack_id).outputs}
    return {outputs[role]['region_name']: outputs[role]['server_id']
            for role in ('active', 'standby') if outputs[role]['server_id']}


def _built(box, stack_id):
    """The physical ID of each resource of a stack."""
    return {r.name: r.physical_resource_id
            for r in box.heat.resources(stack_id)}


def bench_switchover(box, runs):
    """P5: a warm VNF, site a in RegionOne and site b in RegionTwo, in
    RegionOne's Heat. Each run switches over to b while both servers'
    roles are read every ROLE_POLL_SECONDS (the time with no active, and
    reads with two), then fails over back to a with b's Nova and Neutron
    stopped; a check once they are back fences and demotes b. Median
    seconds of each update."""
    template = templates.vnf('regions', segmentation_range=LINK_RANGE)
    stack_id, _seconds = box.create(template)
    samples = {'switchover': [], 'no active': [], 'failover': []}
    two_actives = 0
    try:
        for _run in range(runs):
            watch = RoleWatch(box, _servers(box, stack_id))
            samples['switchover'].append(
                box.update(stack_id, template, active='b'))
            without, two, _promoted = role_changes(watch.stop(),
                                                   'RegionTwo')
            samples['no active'].append(without)
            two_actives += two
            with box.stopped(FAILED_SITE):
                samples['failover'].append(
                    box.update(stack_id, template, active='a'))
            box.check(stack_id)
    finally:
        box.delete(stack_id)
    return {'runs': runs, 'stopped': list(FAILED_SITE),
            'median': medians(samples), 'samples': samples,
            'two_actives': two_actives}


def bench_failover_after_check(box, runs):
    """P7: the day a datacenter is lost. A warm VNF active in RegionTwo;
    RegionTwo's Nova and Neutron stop, monitoring runs stack check (it
    fails), then the failover update to RegionOne. Seconds of the failed
    check, of the failover until UPDATE_COMPLETE and until RegionOne's
    server is read active; resources rebuilt (physical IDs changed)."""
    template = templates.vnf('regions', segmentation_range=LINK_RANGE)
    stack_id, _seconds = box.create(template)
    samples = {'check': [], 'failover': [], 'promoted': []}
    rebuilt = 0
    try:
        for _run in range(runs):
            box.update(stack_id, template, active='b')
            built = _built(box, stack_id)
            servers = _servers(box, stack_id)
            with box.stopped(FAILED_SITE):
                start = time.monotonic()
                box.heat.check_stack(stack_id)
                ((status, reason),) = box.wait([stack_id], 'CHECK').values()
                if status != 'CHECK_FAILED':
                    raise BenchError('check of a VNF with %s stopped is %s'
                                     % (' and '.join(FAILED_SITE), status))
                samples['check'].append(time.monotonic() - start)
                watch = RoleWatch(box, {'RegionOne': servers['RegionOne']})
                samples['failover'].append(
                    box.update(stack_id, template, active='a'))
                _without, _two, promoted = role_changes(watch.stop(),
                                                        'RegionOne')
                if promoted is None:
                    raise BenchError("RegionOne's server was never read "
                                     "active")
                samples['promoted'].append(promoted)
                now = _built(box, stack_id)
                rebuilt += sum(1 for name, physical_id in built.items()
                               if now.get(name) != physical_id)
            box.check(stack_id)
    finally:
        box.delete(stack_id)
    for kind, failed in AUTOMATIC_KINDS:
        for failover_after in AUTOMATIC_FAILOVER_AFTER:
            samples['automatic, %s, failover_after %d s' % (
                kind, failover_after)] = bench_automatic_failover(
                    box, runs, kind, failed, failover_after)
    samples['configuration to the warm standby'] = (
        bench_configuration_push(box, runs))
    return {'runs': runs, 'stopped': list(FAILED_SITE),
            'median': medians(samples), 'samples': samples,
            'rebuilt': rebuilt}


def _watched(box, stack_name):
    """Once the sandbox's watcher watches the stack's VNF (it lists the
    VNFs again every 30 s)."""
    log = os.path.join(layout_mod.Layout(box.state_dir).logs, 'watcher.log')
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with open(log, errors='replace') as lines:
            if any('watching' in line and stack_name in line
                   for line in lines):
                return
        time.sleep(1)
    raise BenchError('the sandbox\'s watcher does not watch %s' % stack_name)


# P7: each kind of site timed, with the services that its site b loses.
AUTOMATIC_KINDS = (('regions', ('nova-r2', 'neutron-r2')),
                   ('clouds', ('nova-b', 'neutron-b')))


def bench_automatic_failover(admin, runs, kind, failed, failover_after):
    """Seconds from the stop of site b's `failed` services (its Nova and
    Neutron) to site a's server read active, with no stack update: the
    sandbox's geo-heat-watcher (1 s rounds) sends site-lost, geo-heat
    confirms for `failover_after` seconds and promotes. One sample per
    run. The stack is the tenant's, whose stacks that watcher sees."""
    box = Sandbox(admin.state_dir, cloud='tenant')
    template = templates.vnf(kind, segmentation_range=LINK_RANGE,
                             failover='automatic',
                             failover_after=failover_after)
    stack_id, _seconds = box.create(template)
    samples = []
    try:
        _watched(box, box.heat.get_stack(stack_id).name)
        for _run in range(runs):
            box.update(stack_id, template, active='a')
            box.update(stack_id, template, active='b')
            standby = _outputs(box, stack_id)['standby']['server_id']
            with box.stopped(failed):
                watch = RoleWatch(box, {'RegionOne': standby})
                deadline = time.monotonic() + STACK_TIMEOUT
                while not any(roles.get('RegionOne') == 'active'
                              for _at, roles in list(watch.samples)):
                    if time.monotonic() > deadline:
                        raise BenchError('no automatic failover')
                    time.sleep(ROLE_POLL_SECONDS)
                _without, _two, promoted = role_changes(watch.stop(),
                                                        'RegionOne')
                samples.append(promoted)
            box.check(stack_id)
    finally:
        box.delete(stack_id)
    return samples


def bench_configuration_push(admin, runs):
    """Seconds from a warm VNF's active instance reporting a configuration
    (its signal, with the credentials its user_data gives it) to the
    standby's server holding it in its metadata."""
    box = Sandbox(admin.state_dir, cloud='tenant')
    template = templates.vnf('regions', segmentation_range=LINK_RANGE)
    stack_id, _seconds = box.create(template)
    samples = []
    try:
        out = _outputs(box, stack_id)
        guest = _guest(admin.regions['RegionOne'], out['active']['server_id'])
        standby = out['standby']['server_id']
        for run in range(runs):
            configuration = 'bench run %d' % run
            start = sent = time.monotonic()
            signal = {'action': 'configuration', 'instance': 'site_a',
                      'epoch': 1, 'configuration': configuration}
            guest.post(guest.url, json=signal)
            while box.regions['RegionTwo'].compute.get_server(
                    standby).metadata.get('configuration') != configuration:
                if time.monotonic() - start > STACK_TIMEOUT:
                    raise BenchError('the standby never held %r'
                                     % configuration)
                if time.monotonic() - sent > 10:
                    # Refused while Heat still held the VNF: again.
                    sent = time.monotonic()
                    guest.post(guest.url, json=signal)
                time.sleep(ROLE_POLL_SECONDS)
            samples.append(time.monotonic() - start)
    finally:
        box.delete(stack_id)
    return samples


def _outputs(box, stack_id):
    return {o['output_key']: o.get('output_value')
            for o in box.heat.get_stack(stack_id).outputs}


def _guest(admin_region, server_id):
    """A session as the instance would make it from its user_data (read
    by the admin), with the VNF's signal URL as `url`."""
    given = json.loads(base64.b64decode(admin_region.compute.get_server(
        server_id).user_data))
    credentials = given['credentials']
    session = ks_session.Session(auth=v3.Password(
        auth_url=credentials['auth_url'], user_id=credentials['user_id'],
        password=credentials['password'],
        project_id=credentials['project_id']))
    session.url = given['signal_url']
    return session


# -- report ------------------------------------------------------------------

def _table(title, header, rows):
    lines = [title]
    widths = [max(len(str(row[i])) for row in [header] + rows)
              for i in range(len(header))]
    for row in [header] + rows:
        lines.append('  ' + '  '.join(
            str(value).rjust(width) if index else str(value).ljust(width)
            for index, (value, width) in enumerate(zip(row, widths))))
    return '\n'.join(lines)


def _calls(counts, service):
    return '%d/%d' % (counts[service]['reads'], counts[service]['writes'])


def sandbox_footprint(state_dir):
    """The profile the sandbox runs, how long its last `up` took and the
    memory it holds, as status counts it: its services, the watcher and,
    on the production profile, the further engine workers, MariaDB and
    RabbitMQ."""
    info = sandbox.status(state_dir)
    services = info['services'].values()
    processes = (list(services) + [info['watcher']] +
                 list(info['extras'].values()))
    return {'profile': info['profile'],
            'last_up_seconds': info['last_up_seconds'],
            'services': sum(1 for s in services if s['running']),
            'others': sum(1 for e in info['extras'].values()
                          if e['running']),
            'rss_mb': round(sum(p['rss_kb'] for p in processes) / 1024),
            'pss_mb': round(sum(p['pss_kb'] for p in processes) / 1024)}


def report_footprint(footprint):
    return ('S   sandbox, %s profile: %d services and %d other processes, '
            'total PSS %d MB (budget 2560; RSS %d MB counts shared pages in '
            'each process), last up %s s (budgets: 60 from nothing, 15 from '
            'a saved state)' % (
                footprint['profile'], footprint['services'],
                footprint['others'], footprint['pss_mb'],
                footprint['rss_mb'], footprint['last_up_seconds']))


def report_single_link(p1):
    return _table(
        'P1  one VLAN link RegionOne-RegionTwo, median of %d runs (s)'
        % p1['runs'],
        ('', 'create', 'delete', 'total'),
        [('OS::Geo::Interconnect',) + tuple(
            '%.2f' % p1['geo'][p] for p in ('create', 'delete', 'total')),
         ('Heat-native (ProviderNet+Subnet, remote OS::Heat::Stack)',) +
         tuple('%.2f' % p1['native'][p]
               for p in ('create', 'delete', 'total')),
         ('ratio geo/native',) + tuple(
             '%.2f' % p1['ratio'][p] for p in ('create', 'delete',
                                                'total')),
         ('floor (empty stack + one side\'s Neutron writes)',) + tuple(
             '%.2f' % p1['floor'][p] for p in ('create', 'delete', 'total')),
         ('ratio geo/floor (target create <= 1.3)',) + tuple(
             '%.2f' % p1['floor_ratio'][p] for p in ('create', 'delete',
                                                      'total'))])


def report_api_calls(p2):
    rows = []
    for kind, label in (('geo', 'geo-heat'), ('native', 'Heat-native')):
        for preexisting, counts in p2[kind].items():
            for operation in ('create', 'delete'):
                calls = counts[operation]
                rows.append(('%s, %s networks' % (label, preexisting),
                             operation) + tuple(
                    _calls(calls, service) for service in COUNTED_SERVICES)
                    + ('%.2f' % counts['seconds'][operation],))
    return _table(
        'P2  API calls per link, reads/writes, from the servers\' access '
        'logs (minimum writes: create %(create)d, delete %(delete)d)'
        % p2['minimum_writes'],
        ('', '') + tuple(COUNTED_SERVICES.values()) + ('s',), rows)


def report_many_links(p3):
    return _table(
        'P3  N links in one stack (s; growth = time per link / at 1 link)',
        ('links', 'create', 'per link', 'growth', 'delete', 'per link',
         'growth', 'dup IDs', 'dup CIDRs'),
        [(row['links'], '%.2f' % row['create'],
          '%.3f' % row['create_per_link'], '%.2f' % row['create_growth'],
          '%.2f' % row['delete'], '%.3f' % row['delete_per_link'],
          '%.2f' % row['delete_growth'],
          row['duplicates']['segmentation_ids'], row['duplicates']['cidrs'])
         for row in p3])


def report_concurrent_stacks(p4):
    return _table(
        'P4  %d one-link stacks at once, IDs from %s' % (p4['stacks'],
                                                        RACE_RANGE),
        ('create wall s', 'failures', '409 retried', 'dup IDs', 'dup CIDRs',
         'delete wall s', 'delete failures'),
        [('%.2f' % p4['create_wall'], p4['failures'],
          p4['conflicts_retried'], p4['duplicates']['segmentation_ids'],
          p4['duplicates']['cidrs'], '%.2f' % p4['delete_wall'],
          p4['delete_failures'])])


def _rows(result, labels, unit='%.2f'):
    return [(label, unit % result['median'][kind],
             unit % min(result['samples'][kind]),
             unit % max(result['samples'][kind]))
            for kind, label in labels if kind in result['samples']]


def report_switchover(p5):
    stopped = ' and '.join(p5['stopped'])
    table = _table(
        'P5  warm VNF RegionOne-RegionTwo, stack update until '
        'UPDATE_COMPLETE, median of %d runs (s)' % p5['runs'],
        ('', 'median', 'min', 'max'), _rows(p5, (
            ('switchover', 'switchover RegionOne -> RegionTwo'),
            ('no active', '  of which no server read active'),
            ('failover', 'failover RegionTwo -> RegionOne, %s stopped'
             % stopped))))
    if 'two_actives' in p5:
        table += '\n  reads with two servers active: %d' % p5['two_actives']
    return table


def report_failover_after_check(p7):
    labels = (
        ('check', 'stack check (fails, naming RegionTwo)'),
        ('failover', 'failover update until UPDATE_COMPLETE'),
        ('promoted', 'until RegionOne\'s server is read active'),
    ) + tuple((kind, kind + ', stop until read active')
              for kind in p7['samples'] if kind.startswith('automatic')) + (
        ('configuration to the warm standby',
         'configuration signal until the warm standby holds it'),)
    return _table(
        'P7  warm VNF active in RegionTwo, %s stopped, stack check then '
        'failover to RegionOne, median of %d runs (s); resources rebuilt: '
        '%d' % (' and '.join(p7['stopped']), p7['runs'], p7['rebuilt']),
        ('', 'median', 'min', 'max'), _rows(p7, labels))


def report_technologies(p6):
    return _table(
        'P6  one link of each technology RegionOne-RegionTwo, median of %d '
        'runs (s)' % p6['runs'],
        ('', 'create', 'delete'),
        [(label, '%.2f' % times['create'], '%.2f' % times['delete'])
         for label, times in p6['median'].items()])


REPORTS = {'S': report_footprint, 'P1': report_single_link,
           'P2': report_api_calls, 'P3': report_many_links,
           'P4': report_concurrent_stacks, 'P5': report_switchover,
           'P6': report_technologies, 'P7': report_failover_after_check}


def report(results):
    """The printed tables, one per scenario that ran."""
    return '\n\n'.join(function(results[key])
                        for key, function in REPORTS.items()
                        if key in results)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m geo_heat_sandbox.bench',
        description='Benchmark geo-heat on the running sandbox '
                    '($GEO_HEAT_SANDBOX_DIR): P1 speed against Heat-native, '
                    'P2 API calls, P3 links per stack, P4 concurrent stacks, '
                    'P5 switchover and failover of a VNF, P6 a link of '
                    'each technology, P7 failover after a failed check.')
    parser.add_argument('--quick', action='store_true',
                        help='fewer runs and smaller sizes (about 4 min)')
    parser.add_argument('--runs', type=int,
                        help='P1, P5, P6 and P7 runs of each kind (default '
                        '%d, '
                        'quick %d)'
                        % (FULL.runs, QUICK.runs))
    parser.add_argument('--only', nargs='+', choices=SCENARIOS,
                        metavar='SCENARIO',
                        help='run only these scenarios (of %s)'
                        % ' '.join(SCENARIOS))
    parser.add_argument('--json', default='.benchmarks/latest.json',
                        help='where to write the results (default '
                             '%(default)s)')
    parser.add_argument('--state-dir', default=None,
                        help='sandbox state dir (default: '
                             '$GEO_HEAT_SANDBOX_DIR or the default)')
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.runs:
        plan = dataclasses.replace(plan, runs=args.runs)
    if not sandbox.is_up(args.state_dir):
        print('the sandbox is not running: start it with geo-heat-sandbox '
              'up, or use tools/bench.sh', file=sys.stderr)
        return 1
    box = Sandbox(args.state_dir)
    box.remove_leftovers()
    started = time.monotonic()
    results = {'plan': dataclasses.asdict(plan),
               'S': sandbox_footprint(args.state_dir)}
    print('bench: on the %s profile' % results['S']['profile'], flush=True)
    scenarios = (
        ('P1', 'one link, geo-heat against Heat-native',
         lambda: bench_single_link(box, plan.runs)),
        ('P2', 'API calls per link',
         lambda: bench_api_calls(box, plan.preexisting_networks)),
        ('P3', 'links per stack',
         lambda: bench_many_links(box, plan.link_counts)),
        ('P4', 'concurrent stacks',
         lambda: bench_concurrent_stacks(box, plan.concurrent_stacks)),
        ('P5', 'switchover and failover of a VNF',
         lambda: bench_switchover(box, plan.runs)),
        ('P6', 'a link of each technology',
         lambda: bench_technologies(box, plan.runs)),
        ('P7', 'failover after a failed check',
         lambda: bench_failover_after_check(box, plan.runs)))
    with box.unlimited_quotas():
        for key, what, scenario in scenarios:
            if key not in (args.only or SCENARIOS):
                continue
            print('bench: %s %s ...' % (key, what), flush=True)
            scenario_start = time.monotonic()
            results[key] = scenario()
            print('bench: %s done in %.0f s' % (
                key, time.monotonic() - scenario_start), flush=True)
    results['seconds'] = round(time.monotonic() - started, 1)
    print()
    print(report(results))
    print('\nbench: %.0f s in all; results in %s' % (results['seconds'],
                                                     args.json))
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, 'w') as out:
        json.dump(results, out, indent=2, sort_keys=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
