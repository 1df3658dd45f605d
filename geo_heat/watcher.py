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

"""geo-heat-watcher: tells a VNF's witness that its active site is gone.

Where no Aodh or Prometheus watches the sites, this plain process runs next
to the Heat that keeps the stacks, with a clouds.yaml entry (the tenant's
user, or an operator's). It finds the OS::Geo::RedundantVNF resources of
that Heat whose failover is automatic, probes each one's active site
(Keystone issues a token, Nova shows the active server ACTIVE, each within
--probe-timeout) and, while the site does not answer or the server is not
ACTIVE, signals the VNF "site-lost" every interval. The VNF decides: it
confirms the loss itself and promotes the standby after its
failover_after. A site that answers with an error refused the probe: that
is logged, never reported as a lost site. Only openstacksdk is used.
"""

import argparse
from concurrent import futures
import dataclasses
import functools
import logging
import signal
import sys
import threading
import time

from openstack import exceptions as sdk_exc

from geo_heat import cli
from geo_heat import failure

PROG = 'geo-heat-watcher'
LOG = logging.getLogger(PROG)

VNF_TYPE = 'OS::Geo::RedundantVNF'
AUTOMATIC = 'automatic'
SITE_LOST = 'site-lost'
# Attributes a resource show returns only when asked: the VNF's `show`
# attribute (its active and standby instances) stands for the others.
ATTRIBUTES = ('failover', 'signal_url')
# How deep VNFs are looked for in nested stacks (one listing per stack).
NESTED_DEPTH = 5
# Seconds any request to the watcher's own Heat may take.
HEAT_TIMEOUT = 30


@dataclasses.dataclass
class VNF:
    """A VNF with automatic failover, as its Heat showed it last."""

    # The resource's path under its Heat's endpoint.
    path: str
    label: str
    active: dict
    signal_url: str

    @property
    def server_id(self):
        return self.active.get('server_id')


def relative(url):
    """The stacks/... part of a Heat URL: requests go to the watcher's own
    Heat endpoint, so its token is never sent anywhere else."""
    _base, sep, rest = (url or '').partition('/stacks/')
    if not sep:
        raise ValueError('not a Heat stack URL: %r' % url)
    return '/stacks/' + rest


def _json(response):
    sdk_exc.raise_from_response(response)
    return response.json()


def resource_paths(heat):
    """The path of every VNF resource of the project's stacks, nested
    ones included, under its Heat's endpoint."""
    for stack in heat.stacks():
        try:
            listing = _json(heat.get(
                '/stacks/%s/%s/resources' % (stack.name, stack.id),
                params={'type': VNF_TYPE, 'nested_depth': NESTED_DEPTH}))
        except sdk_exc.NotFoundException:
            continue  # deleted since the stacks were listed
        for rsrc in listing['resources']:
            # Heat's type filter matches substrings.
            if rsrc['resource_type'] == VNF_TYPE:
                (link,) = [link['href'] for link in rsrc['links']
                           if link['rel'] == 'self']
                yield relative(link)


def discover(heat):
    """Every VNF whose failover is automatic."""
    return [vnf for vnf in map(functools.partial(show, heat),
                               resource_paths(heat)) if vnf is not None]


def show(heat, path):
    """The VNF at path, or None unless its failover is automatic and it
    has an active server."""
    try:
        body = _json(heat.get(path, params={'with_attr': list(ATTRIBUTES)}))
    except sdk_exc.NotFoundException:
        return None
    rsrc = body['resource']
    attributes = rsrc.get('attributes') or {}
    active = attributes.get('active') or {}
    if (attributes.get('failover') != AUTOMATIC or
            not attributes.get('signal_url') or not active.get('server_id')):
        return None
    stack = path.split('/')[2]
    return VNF(path, '%s/%s' % (stack, rsrc['resource_name']), active,
               attributes['signal_url'])


def _instance(vnf):
    return vnf.active.get('endpoint'), vnf.server_id


def where(active):
    """How the log names an active site."""
    return 'site %s (%s)' % (active.get('endpoint'), active.get('site'))


class Outcome:
    """What a probe found about an active instance."""

    SERVING, LOST, REFUSED = 'serving', 'lost', 'refused'

    def __init__(self, kind, text=''):
        self.kind, self.text = kind, text


def _failed(service, exc):
    """The outcome of a side's error; anything else is a bug: raised."""
    kind = failure.classify(exc)
    if kind is None:
        raise exc
    if kind == failure.UNREACHABLE:
        return Outcome(Outcome.LOST, '%s does not answer: %s' % (
            service, failure.describe(exc)))
    return Outcome(Outcome.REFUSED, '%s refused: %s' % (
        service, failure.describe(exc)))


def probe(conn, server_ids):
    """{server ID: Outcome} at one site: a fresh token from its Keystone,
    then each server from its Nova."""
    try:
        # A cached token would not ask Keystone anything.
        conn.session.auth.invalidate()
        conn.authorize()
    except failure.SIDE_ERRORS as exc:
        outcome = _failed('Keystone', exc)
        return {server_id: outcome for server_id in server_ids}
    found = {}
    for server_id in server_ids:
        try:
            status = conn.compute.get_server(server_id).status
        except sdk_exc.NotFoundException:
            found[server_id] = Outcome(Outcome.LOST,
                                       'server %s is gone' % server_id)
            continue
        except failure.SIDE_ERRORS as exc:
            found[server_id] = _failed('Nova', exc)
            continue
        found[server_id] = (
            Outcome(Outcome.SERVING) if status == 'ACTIVE' else
            Outcome(Outcome.LOST, 'server %s is %s' % (server_id, status)))
    return found


class Watcher:
    """Rounds of discovery, probes and signals against one Heat.

    `connect(entry, region)` opens a connection to a clouds.yaml entry
    whose every request may take the probe timeout.
    """

    def __init__(self, heat, heat_entry, heat_region, site_clouds, connect,
                 rediscover=30.0, clock=time.monotonic):
        self.heat = heat
        self.heat_entry, self.heat_region = heat_entry, heat_region
        self.site_clouds = site_clouds
        self.connect = connect
        self.rediscover_every = rediscover
        self.clock = clock
        self.vnfs = []
        self.discovered_at = None
        self._connections = {}
        # What was logged once (unmapped sites), and each VNF's last
        # outcome, so that a state is logged when it changes.
        self._reported = set()
        self._last = {}

    def site(self, active):
        """(clouds.yaml entry, region) of an active site, or None."""
        cloud = active.get('site_cloud')
        if cloud is None:
            return (self.heat_entry,
                    active.get('region_name') or self.heat_region)
        if cloud not in self.site_clouds:
            return self._unmapped(active, '%s has no --site-cloud %s=ENTRY'
                                  % (cloud, cloud))
        return self.site_clouds[cloud], active.get('region_name')

    def _unmapped(self, active, why):
        message = '%s: not probed, %s' % (where(active), why)
        if message not in self._reported:
            self._reported.add(message)
            LOG.warning(message)
        return None

    def _connection(self, key):
        if key not in self._connections:
            self._connections[key] = self.connect(*key)
        return self._connections[key]

    def discover(self):
        try:
            vnfs = discover(self.heat)
        except failure.SIDE_ERRORS as exc:
            if failure.classify(exc) is None:
                raise
            LOG.warning('Heat %s: cannot list the VNFs, watching the %d '
                        'found before: %s', self.heat_entry, len(self.vnfs),
                        failure.describe(exc))
            return
        self.discovered_at = self.clock()
        if [v.label for v in vnfs] != [v.label for v in self.vnfs]:
            LOG.info('watching %d VNF(s) with automatic failover%s%s',
                     len(vnfs), ': ' if vnfs else '', '; '.join(
                         '%s, active %s' % (v.label, where(v.active))
                         for v in vnfs))
        self.vnfs = vnfs

    def round(self):
        """One round: rediscover when due (else read again where each VNF
        has its active instance now: a switchover moves it between two
        discoveries), probe, signal."""
        if (self.discovered_at is None or
                self.clock() - self.discovered_at >= self.rediscover_every):
            self.discover()
        else:
            self.refresh()
        sites = {}
        for vnf in self.vnfs:
            key = self.site(vnf.active)
            if key is not None:
                sites.setdefault(key, []).append(vnf)
        if not sites:
            return
        conns = {key: self._connection(key) for key in sites}
        with futures.ThreadPoolExecutor(max_workers=len(sites)) as pool:
            probes = {key: pool.submit(probe, conns[key],
                                       [v.server_id for v in vnfs])
                      for key, vnfs in sites.items()}
        for key, vnfs in sites.items():
            found = probes[key].result()
            for vnf in vnfs:
                self._decide(vnf, found[vnf.server_id])

    def refresh(self):
        """Each watched VNF as Heat shows it now; one Heat cannot read
        keeps what was known of it."""
        for vnf in list(self.vnfs):
            try:
                now = show(self.heat, vnf.path)
            except failure.SIDE_ERRORS as exc:
                if failure.classify(exc) is None:
                    raise
                continue
            if now is None or _instance(now) != _instance(vnf):
                self._replace(vnf, now)

    def _decide(self, vnf, outcome):
        last, self._last[vnf.label] = (self._last.get(vnf.label),
                                       outcome.kind)
        about = 'VNF %s: active %s' % (vnf.label, where(vnf.active))
        if outcome.kind == Outcome.SERVING:
            if last not in (None, Outcome.SERVING):
                LOG.info('%s serves again', about)
            else:
                LOG.debug('%s serves', about)
            return
        if outcome.kind == Outcome.REFUSED:
            if last != Outcome.REFUSED:
                LOG.warning('%s: the probe was refused, not a lost site: %s',
                            about, outcome.text)
            return
        self._signal(vnf, about, outcome.text)

    def _signal(self, vnf, about, problem):
        """Tell the VNF its active site is lost, unless Heat shows it
        moved (a switchover or a failover since the last discovery)."""
        try:
            now = show(self.heat, vnf.path)
            if now is None or _instance(now) != _instance(vnf):
                LOG.info('%s: %s; not signalled: the VNF %s', about, problem,
                         'moved its active instance' if now else
                         'is gone or no longer fails over automatically')
                self._replace(vnf, now)
                return
            body = {'action': SITE_LOST, 'site': vnf.active['endpoint'],
                    'reason': 'geo-heat-watcher: %s' % problem}
            sdk_exc.raise_from_response(self.heat.post(
                relative(now.signal_url), json=body))
        except failure.SIDE_ERRORS as exc:
            if failure.classify(exc) is None:
                raise
            LOG.error('%s: %s; the signal %s failed: %s', about, problem,
                      SITE_LOST, failure.describe(exc))
            return
        LOG.warning('%s: %s; signalled %s of %s', about, problem, SITE_LOST,
                    vnf.active['endpoint'])

    def _replace(self, vnf, now):
        self.vnfs = [v for v in ([now] if now else []) + self.vnfs
                     if v is not vnf]
        self._last.pop(vnf.label, None)

    def run(self, interval, stop):
        """Rounds every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            started = self.clock()
            self.round()
            stop.wait(max(0.0, started + interval - self.clock()))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--heat', required=True, metavar='CLOUD[:REGION]',
        help='clouds.yaml entry (and region) of the Heat whose stacks hold '
             'the VNFs; the active sites in its cloud are probed with it.')
    cli.add_clouds_file(parser)
    parser.add_argument(
        '--site-cloud', action='append', default=[], metavar='NAME=ENTRY',
        help='probe the sites of named cloud NAME (an endpoint\'s '
             'context.cloud, or secret:REF for the cloud a Barbican '
             'credential reaches: the instance\'s site_cloud) with '
             'clouds.yaml entry ENTRY (repeat for more).')
    parser.add_argument('--interval', type=float, default=2.0,
                        help='seconds between rounds (default 2).')
    parser.add_argument('--rediscover', type=float, default=30.0,
                        help='seconds between listings of the VNFs '
                             '(default 30).')
    parser.add_argument('--probe-timeout', type=float, default=2.0,
                        help='seconds each request of a probe may take '
                             '(default 2).')
    parser.add_argument(
        '--request-id', metavar='req-UUID',
        help='global request ID (X-OpenStack-Request-ID) sent with every '
             'request: the sites\' and Heat\'s logs show the watcher\'s '
             'probes and signals, and what the VNF does on them, under '
             'it (default: none, each request its own).')
    parser.add_argument('--once', action='store_true',
                        help='run one round and exit.')
    parser.add_argument('--verbose', action='store_true',
                        help='also log each round\'s probes.')
    args = parser.parse_args(argv)
    try:
        args.site_cloud = dict(item.split('=', 1) for item in args.site_cloud)
    except ValueError:
        parser.error('--site-cloud takes NAME=ENTRY')
    return args


def main(argv=None):
    args = parse_args(argv)
    # The libraries' warnings only: their debug lines show request headers.
    logging.basicConfig(
        level=logging.WARNING,
        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    LOG.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    connect = cli.connector(PROG, args.clouds_file, args.probe_timeout,
                            args.request_id)
    entry, region = cli.entry_and_region(args.heat)
    heat = cli.connector(PROG, args.clouds_file, HEAT_TIMEOUT,
                         args.request_id)(entry, region)
    for site_entry in args.site_cloud.values():
        connect(site_entry)  # an unknown entry stops it here
    watcher = Watcher(heat.orchestration, entry,
                      region or heat.config.get_region_name(),
                      args.site_cloud, connect, args.rediscover)
    # Before the start line: from then on, SIGTERM ends it cleanly.
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    LOG.info('watching Heat %s every %.1f s (sites: %s)', args.heat,
             args.interval, ', '.join(
                 ['%s=%s' % item for item in args.site_cloud.items()] +
                 ['the regions of %s' % entry]))
    if args.once:
        watcher.round()
        return 0
    watcher.run(args.interval, stop)
    LOG.info('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
