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

"""Signals to a georedundant VNF, and the rule by which geo-heat, as the
witness in a third place, decides which copy may serve: decisions, no
cloud.

A standby that stops hearing its peer cannot tell a dead datacenter from a
cut replication link, and promoting it on a cut link makes two actives.
geo-heat breaks the tie: it promotes the standby only when it confirms
itself that the active instance is gone (its site does not answer, or its
server is not ACTIVE there) for `failover_after` seconds.

Who may send what: the active instance reports its running configuration;
the standby reports that it lost its peer and, in hot mode, its
replication state; a monitor (Aodh, Alertmanager, geo-heat-watcher) or an
operator reports a lost site or asks for a switchover. An instance signs
with the epoch it was given: one from before the last promotion is stale.
"""

import dataclasses

ACTIONS = (PEER_LOST, SITE_LOST, SWITCHOVER, CONFIGURATION, SYNC) = (
    'peer-lost', 'site-lost', 'switchover', 'configuration', 'sync')
# Which instance may send an action (None: a monitor or an operator).
SENDERS = {PEER_LOST: 'standby', CONFIGURATION: 'active', SYNC: 'standby',
           SITE_LOST: None, SWITCHOVER: None}
FAILOVER_POLICIES = (MANUAL, AUTOMATIC) = ('manual', 'automatic')
# The largest running configuration an instance may report: it is kept in
# Heat's resource data (a TEXT column in MySQL) and sent to the standby.
CONFIGURATION_MAX_BYTES = 16384
# What the witness decides about the active instance.
DECISIONS = (PROMOTE, WAIT, LINK_DOWN, SERVING) = (
    'promote', 'wait', 'link-down', 'serving')


class SignalError(ValueError):
    """A signal that changes nothing: the message says why."""


@dataclasses.dataclass(frozen=True)
class Signal:
    action: str
    # The endpoint (site) of the instance that sends it.
    instance: str | None = None
    epoch: int | None = None
    # site-lost: the site reported lost (default: the active one).
    site: str | None = None
    configuration: str | None = None
    in_sync: bool | None = None
    lag: float | None = None
    # switchover: even to a hot standby that is not in sync.
    force: bool = False
    reason: str = ''


def _alertmanager(details):
    """A Prometheus Alertmanager webhook: its firing alerts name the site
    in the label `site`; resolved alerts change nothing."""
    firing = [alert for alert in details.get('alerts') or []
              if alert.get('status', details.get('status')) == 'firing']
    if not firing:
        return None
    labels = firing[0].get('labels') or {}
    return Signal(action=SITE_LOST, site=labels.get('site'),
                  reason='Alertmanager: %s' % labels.get(
                      'alertname', 'alert firing'))


def _aodh(details):
    """An Aodh alarm action: a site is lost when the alarm fires."""
    if details.get('current') != 'alarm':
        return None
    return Signal(action=SITE_LOST, reason='Aodh alarm %s: %s' % (
        details.get('alarm_name') or details.get('alarm_id'),
        details.get('reason', '')))


def parse(details):
    """The Signal in a signal's details, or None for a monitor's all-clear.

    Accepts geo-heat's own form ({"action": ..., ...}), an Alertmanager
    webhook and an Aodh alarm action. Raises SignalError for anything else.
    """
    if not isinstance(details, dict):
        raise SignalError('a signal is a JSON object with an "action"')
    if 'alerts' in details:
        return _alertmanager(details)
    if 'alarm_id' in details:
        return _aodh(details)
    action = details.get('action')
    if action not in ACTIONS:
        raise SignalError('unknown action %r: one of %s' % (
            action, ', '.join(ACTIONS)))
    try:
        epoch = details.get('epoch')
        signal = Signal(
            action=action, instance=details.get('instance'),
            epoch=None if epoch is None else int(epoch),
            site=details.get('site'),
            configuration=details.get('configuration'),
            in_sync=details.get('in_sync'),
            lag=None if details.get('lag') is None
            else float(details['lag']),
            force=bool(details.get('force')),
            reason=str(details.get('reason', '')))
    except (TypeError, ValueError):
        raise SignalError('epoch must be an integer and lag a number')
    if action == CONFIGURATION and not isinstance(signal.configuration, str):
        raise SignalError('a configuration signal carries "configuration"')
    if (signal.configuration is not None and
            len(signal.configuration.encode()) > CONFIGURATION_MAX_BYTES):
        raise SignalError('the configuration is over %d bytes'
                          % CONFIGURATION_MAX_BYTES)
    if action == SYNC and not isinstance(signal.in_sync, bool):
        raise SignalError('a sync signal carries "in_sync" (true or false)')
    return signal


def check_sender(signal, roles, epoch):
    """Refuse an instance's signal from the wrong role or a past epoch.

    `roles` maps active/standby to the sites holding them now, `epoch` is
    the current one.
    """
    role = SENDERS[signal.action]
    if role is None:
        return
    if signal.instance != roles.get(role):
        raise SignalError('%s comes from the %s instance (site %s), not %s'
                          % (signal.action, role, roles.get(role),
                             signal.instance))
    if signal.epoch != epoch:
        raise SignalError('stale epoch %s: the current epoch is %d'
                          % (signal.epoch, epoch))


def decide(active_problem, lost_since, now, failover_after):
    """What the witness does about the active instance.

    `active_problem` is why the active instance is gone as geo-heat sees it
    (its site does not answer, its server is not ACTIVE), or None when it
    serves; `lost_since` when it was first seen gone (None: just now).
    """
    if active_problem is None:
        return SERVING
    if now - (lost_since if lost_since is not None else now) >= (
            failover_after):
        return PROMOTE
    return WAIT
