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

"""Signals of OS::Geo::RedundantVNF: its instances and monitors report, and
geo-heat, as the witness, decides (geo_heat.vnf.witness has the rules).

Heat runs a signal in a thread of the engine, without the stack's lock: the
resource's own lock keeps a signal and an update (or another signal) from
changing the VNF at once. A signal that changes nothing is refused with an
event saying why; what a signal did is its SIGNAL event.
"""

import hashlib
import json
import time
import uuid

from heat.common import exception
from heat.engine import resource
from oslo_config import cfg
from oslo_log import log as logging
from urllib import parse

from geo_heat import failure
from geo_heat import resource_data
from geo_heat.link import site
from geo_heat.resources import driver
from geo_heat.vnf import plan
from geo_heat.vnf import witness

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Seconds between two looks at a promotion a signal drives.
SIGNAL_POLL_SECONDS = 0.5
# Parameters an instance template may declare to signal its VNF: its own
# site, Heat's signal URL of the VNF (in the stack user project) and the
# credentials of the VNF's stack user (a JSON object: auth_url, user_id,
# password, project_id, domain_id, region_name), which the template must
# declare hidden.
SIGNAL_PARAMETERS = (SITE, SIGNAL_URL, SIGNAL_CREDENTIALS) = (
    'site', 'signal_url', 'signal_credentials')


class WitnessMixin:

    # -- what the instances get --------------------------------------------

    def _signal_parameters(self, key, declared):
        """The signal parameters of the instance at site `key` that its
        template declares; the stack user is made on first need."""
        values = {}
        if SITE in declared:
            values[SITE] = key
        if SIGNAL_URL in declared:
            values[SIGNAL_URL] = self._signal_url(
                self.stack.stack_user_project_id)
        if SIGNAL_CREDENTIALS in declared:
            values[SIGNAL_CREDENTIALS] = json.dumps(
                self._get_heat_signal_credentials(), sort_keys=True)
        return values

    def _signal_url(self, project_id=None):
        """Heat's signal URL of this resource, in `project_id` (default:
        the stack's project)."""
        path = self.identifier().url_path()
        if project_id:
            path = project_id + path[path.find('/'):]
        return parse.urljoin(self.client_plugin('heat').get_heat_url(),
                             '%s/signal' % path)

    def _configuration(self, props):
        """What the instances run: the active instance's last reported
        running configuration, else the template's."""
        return (self.data().get('reported_configuration') or
                props[self.CONFIGURATION])

    def _check_in_sync(self, props, records, new_active):
        """Refuse a planned switchover to a hot standby that said it is not
        in sync; a failover does not ask (the old active is gone)."""
        sync = json.loads(self.data().get('sync', '{}'))
        if props[self.MODE] != plan.HOT or sync.get('in_sync', True):
            return
        raise witness.SignalError(
            'switchover refused: the hot standby (site %s) is not in sync '
            '(lag %s s); force it with force_switchover or a switchover '
            'signal with "force": true' % (new_active, sync.get('lag')))

    # -- signals ----------------------------------------------------------

    def handle_signal(self, details=None):
        try:
            signal = witness.parse(details)
            if signal is None:
                raise resource.NoActionRequired()
            witness.check_sender(signal, self._roles(), self._epoch())
            with self.lock(str(uuid.uuid4())):
                return getattr(self, '_on_' + signal.action.replace(
                    '-', '_'))(signal)
        except exception.UpdateInProgress:
            self._refuse(details, 'refused', 'the VNF is being changed; '
                                             'signal again once it is over')
        except witness.SignalError as exc:
            self._refuse(details, 'refused', str(exc))
        except exception.Error as exc:
            self._refuse(details, 'failed', str(exc))

    def _refuse(self, details, outcome, why):
        action = details.get('action') if isinstance(details, dict) else None
        reason = 'signal %s %s: %s' % (action or '', outcome, why)
        LOG.warning('VNF %s: %s', self.name, reason)
        self._add_event('SIGNAL', 'FAILED', reason)
        raise resource.NoActionRequired()

    def _on_configuration(self, signal):
        """The active instance's running configuration: kept (encrypted,
        never shown), what a cold spare starts with, pushed to a running
        standby."""
        self.data_set('reported_configuration', signal.configuration,
                      redact=True)
        size = len(signal.configuration.encode())
        if self.properties[self.MODE] == plan.COLD:
            return 'configuration of %d bytes stored for the spare' % size
        self._run_now(self._promotion(self.properties, self._records(),
                                      self._roles()))
        self.data_set('configuration_held', _fingerprint(
            signal.configuration))
        return ('configuration of %d bytes pushed to the standby (site %s)'
                % (size, self._roles()[plan.STANDBY]))

    def _on_sync(self, signal):
        if self.properties[self.MODE] != plan.HOT:
            raise witness.SignalError('sync reports are for hot mode')
        self.data_set('sync', json.dumps({'in_sync': signal.in_sync,
                                          'lag': signal.lag}))
        self.data_delete('link_down')
        return 'standby (site %s) %s' % (
            signal.instance, 'in sync' if signal.in_sync
            else 'not in sync, lag %s s' % signal.lag)

    def _on_switchover(self, signal):
        roles = self._roles()
        if not signal.force:
            self._check_in_sync(self.properties, self._records(),
                                roles[plan.STANDBY])
        swapped = {plan.ACTIVE: roles[plan.STANDBY],
                   plan.STANDBY: roles[plan.ACTIVE]}
        self._run_now(self._promotion(self.properties, self._records(),
                                      swapped, forced=True))
        return 'switched over to site %s (epoch %d)' % (
            swapped[plan.ACTIVE], self._epoch())

    def _on_peer_lost(self, signal):
        return self._witness(signal, peer_lost=True)

    def _on_site_lost(self, signal):
        roles = self._roles()
        if signal.site not in (None, roles[plan.ACTIVE]):
            return 'site %s reported lost: not the active site (%s)' % (
                signal.site, roles[plan.ACTIVE])
        return self._witness(signal, peer_lost=False)

    def _witness(self, signal, peer_lost):
        """geo-heat's own look at the active instance decides."""
        roles = self._roles()
        active = roles[plan.ACTIVE]
        gone = self._active_problem(active)
        lost_since = self.data().get('active_lost_since')
        now = time.time()
        decision = witness.decide(
            gone, None if lost_since is None else float(lost_since), now,
            self.properties[self.FAILOVER_AFTER])
        if decision == witness.SERVING:
            self.data_delete('active_lost_since')
            if not peer_lost:
                return ('site %s reported lost, but it answers and its '
                        'server is ACTIVE: no failover' % active)
            self.data_set('link_down', resource_data.clipped(
                signal.reason or 'peer-lost'))
            return ('replication link down: the standby (site %s) lost its '
                    'peer, but the active site %s answers and its server '
                    'is ACTIVE: no failover' % (roles[plan.STANDBY], active))
        if lost_since is None:
            self.data_set('active_lost_since', repr(now))
        if self.properties[self.FAILOVER] != witness.AUTOMATIC:
            return ('the active site %s is gone (%s); failover is manual: '
                    'update the stack' % (active, gone))
        if decision == witness.WAIT:
            return ('the active site %s is gone (%s); failover in %.0f s '
                    'unless it answers' % (
                        active, gone, self.properties[self.FAILOVER_AFTER] -
                        (now - float(lost_since or now))))
        swapped = {plan.ACTIVE: roles[plan.STANDBY], plan.STANDBY: active}
        self._run_now(self._promotion(self.properties, self._records(),
                                      swapped, forced=True))
        self.data_delete('active_lost_since')
        return ('failover: site %s promoted (epoch %d); the active site %s '
                'is gone (%s)' % (swapped[plan.ACTIVE], self._epoch(),
                                  active, gone))

    def _active_problem(self, key):
        """Why the active instance is gone as geo-heat sees it, or None."""
        records = self._records()
        record = records[key]
        stacks = self._stacks_of(
            records, timeout=CONF.geo_heat.probe_timeout)(key)
        silent = stacks.unreachable(record)
        if silent:
            return silent
        if record.server_id:
            status = stacks.server_status(record.server_id)
            if status != 'ACTIVE':
                return 'server %s is %s' % (record.server_id,
                                            status or 'gone')
        return self._zone_problem(record)

    def _zone_problem(self, record):
        """A lost cell: its zone not available (geo_heat.link.site)."""
        placement = record.placement
        if not placement.availability_zone:
            return None
        try:
            return site.zone_problem(self.client_plugin().connect(
                placement, record.descriptor['ca_cert'],
                record.descriptor['insecure'],
                timeout=CONF.geo_heat.probe_timeout).compute,
                placement.availability_zone)
        except failure.SIDE_ERRORS as exc:
            if failure.is_unreachable(exc):
                return 'Nova does not answer: %s' % failure.describe(exc)
            raise

    def _witness_problems(self):
        """What the instances reported that is wrong: the replication link
        down, a hot standby out of sync, a warm one that does not hold the
        active's last configuration."""
        problems = []
        roles = self._roles()
        if self.data().get('link_down'):
            problems.append('replication link down: the standby (site %s) '
                            'lost its peer, whose site answers'
                            % roles.get(plan.STANDBY))
        reported = self.data().get('reported_configuration')
        if (reported and self.properties[self.MODE] != plan.COLD and
                self.data().get('configuration_held') != _fingerprint(
                    reported)):
            problems.append('the standby (site %s) does not hold the active '
                            'instance\'s last configuration'
                            % roles.get(plan.STANDBY))
        sync = json.loads(self.data().get('sync', '{}'))
        if self.properties[self.MODE] == plan.HOT and not sync.get(
                'in_sync', True):
            problems.append('the hot standby (site %s) is not in sync, lag '
                            '%s s' % (roles.get(plan.STANDBY),
                                      sync.get('lag')))
        return problems

    def _run_now(self, progress):
        """Drive an operation to its end within the signal."""
        while not driver.drive(progress):
            time.sleep(SIGNAL_POLL_SECONDS)


def _fingerprint(configuration):
    """What tells two configurations apart, without keeping a copy."""
    return hashlib.sha256(configuration.encode()).hexdigest()
