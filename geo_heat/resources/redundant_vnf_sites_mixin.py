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

"""The two sites of OS::Geo::RedundantVNF: their records, the Heat of
each, which site holds which role, and what each site's instance gets
(geo_heat.vnf.plan decides; here, the resource's properties and data)."""

import dataclasses
import functools
import json

from oslo_config import cfg

from geo_heat import failure
from geo_heat import resource_data
from geo_heat.vnf import deploy
from geo_heat.vnf import model
from geo_heat.vnf import plan
from geo_heat.vnf import witness

CONF = cfg.CONF


class SitesMixin:

    def _records(self):
        """Per site (endpoint name), its model.SiteRecord."""
        data = self.data()
        records = model.load(data.get('sites'))
        for record in records.values():
            record.descriptor = resource_data.unstow(record.descriptor, data)
        return records

    def _save(self, records):
        """Record the sites, their CA bundles apart (by digest, once
        each: geo_heat.resource_data); drop the bundles no site uses."""
        stored = {key: dataclasses.replace(record, descriptor=(
            resource_data.stow(record.descriptor, self.data(),
                               self.data_set)))
                  for key, record in records.items()}
        recorded = model.dump(stored)
        if recorded != self.data().get('sites'):
            self.data_set('sites', recorded)
        for key in resource_data.unused_bundle_keys(
                self.data(), [record.descriptor
                              for record in stored.values()]):
            self.data_delete(key)

    def _stacks_of(self, records, timeout=None):
        plugin = self.client_plugin()
        sites = {}

        def stacks_of(key):
            if key not in sites:
                record = records[key]
                where = record.where(key)
                connect = functools.partial(
                    plugin.vnf_connection, record.placement,
                    record.descriptor['ca_cert'],
                    record.descriptor['insecure'])
                try:
                    sites[key] = deploy.SiteStacks(
                        connect(timeout=timeout), where,
                        probe=connect(timeout=CONF.geo_heat.probe_timeout))
                except failure.SIDE_ERRORS as exc:
                    if failure.is_unreachable(exc):
                        raise deploy.SiteUnreachable(
                            where, failure.describe(exc)) from exc
                    raise deploy.SiteError(
                        where, failure.describe(exc)) from exc
            return sites[key]

        return stacks_of

    def _roles(self):
        return json.loads(self.data().get('roles', '{}'))

    def _key_of(self, records, reference):
        """The site an endpoint reference names, or None if it is not one
        of the VNF's sites."""
        for key, record in records.items():
            if record.ref == reference:
                return key
        return None

    def _epoch(self):
        return int(self.data().get('epoch', 1))

    def _wanted_roles(self, props, records):
        """Which site each role goes to after an update to `props`.

        The template's active_endpoint is the preferred site: where a
        signal moved the active role elsewhere (a failover by the witness,
        a switchover asked by the VNF), an update that leaves
        active_endpoint as it was keeps it there, unless failback is
        automatic.
        """
        wanted = {role: self._key_of(records, props[prop])
                  for role, prop in ((plan.ACTIVE, self.ACTIVE_ENDPOINT),
                                     (plan.STANDBY, self.STANDBY_ENDPOINT))}
        now = self._roles()
        if (props[self.ACTIVE_ENDPOINT] == self.properties[
                self.ACTIVE_ENDPOINT] and
                props[self.FAILBACK] != witness.AUTOMATIC and
                set(now.values()) == set(wanted.values())):
            return now
        return wanted

    def _target(self, props, records, key, role, peer, epoch, state=None):
        """What the instance at site `key` should be, in `role`, with the
        site `peer` as its peer."""
        record = records[key]
        declared = self._declared_parameters(props)
        generated = plan.site_parameters(
            role, epoch, props[self.MODE], self._configuration(props),
            props[self.SITE_IMAGES].get(key, props[self.IMAGE]),
            props[self.SITE_FLAVORS].get(key, props[self.FLAVOR]),
            record.placement.availability_zone, record.ports,
            records[peer].ports)
        return plan.Target(
            key=key, role=role,
            state=state or plan.desired_state(
                props[self.MODE], role, props[self.PURGE_POLICY],
                bool(record.stack_id)),
            parameters=plan.instance_parameters(
                declared, dict(generated, **self._signal_parameters(
                    key, declared)), props[self.PARAMETERS]),
            template=props[self.INSTANCE_TEMPLATE])

    def _targets(self, props, records, epoch, roles):
        """The two sites' targets, `roles` mapping each role to its site."""
        active, standby = roles[plan.ACTIVE], roles[plan.STANDBY]
        return [self._target(props, records, active, plan.ACTIVE, standby,
                             epoch),
                self._target(props, records, standby, plan.STANDBY, active,
                             epoch)]

    def _promotion(self, props, records, roles, forced=False,
                   release=False):
        """The operation that brings both sites to their roles: a
        switchover (demote, then promote with a higher epoch) where the
        active site changes."""
        previous = self._roles().get(plan.ACTIVE)
        active = roles[plan.ACTIVE]
        epoch = self._epoch()
        demoted = None
        if previous not in (None, active):
            if not forced:
                self._check_in_sync(props, records, active)
            epoch += 1
            self.data_set('epoch', str(epoch))
            # What the former standby reported is about another pair.
            self.data_delete('link_down')
            self.data_delete('sync')
            if previous in records and records[previous].stack_id:
                demoted = self._target(props, records, previous,
                                       plan.STANDBY, active, epoch,
                                       state=plan.RUNNING)
        steps = plan.steps(self._targets(props, records, epoch, roles),
                           records, previous, demoted)
        return self._operation(steps, records, roles, release=release)
