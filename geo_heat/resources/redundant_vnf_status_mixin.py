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

"""What OS::Geo::RedundantVNF is: its instances, and what is wrong with
them, read live from every site (geo_heat.vnf.health)."""

import json

from oslo_config import cfg

from geo_heat import site_kinds
from geo_heat.vnf import capacity
from geo_heat.vnf import health
from geo_heat.vnf import plan

CONF = cfg.CONF


class StatusMixin:

    def _problems(self):
        """What is wrong, site by site, read from every site at once."""
        records = self._records()
        props = self.properties
        room = None
        if props[self.MODE] == plan.COLD:
            room = capacity.checker(
                self.client_plugin(), records, lambda key: props[
                    self.SITE_FLAVORS].get(key, props[self.FLAVOR]),
                CONF.geo_heat.probe_timeout)
        return health.problems(
            records, self._roles(), self._stacks_of(
                records, timeout=CONF.geo_heat.probe_timeout),
            self._lost(records), capacity=room) + self._witness_problems()

    def _instance(self, role):
        records = self._records()
        key = self._roles().get(role)
        if key is None:
            return None
        record = records[key]
        placement = record.placement
        return {
            'endpoint': key,
            'site': placement.describe(),
            'region_name': placement.region_name,
            'cloud': placement.cloud,
            'site_cloud': site_kinds.kind_of(placement).site_cloud,
            'cell': placement.cell,
            'stack_id': record.stack_id,
            'state': record.state,
            'server_id': record.outputs.get('server_id'),
            'address': record.outputs.get('address'),
            'link_addresses': {p.link: p.address for p in record.ports},
            'pending': record.pending,
            'owes_fencing': record.fence,
            'epoch': self._epoch(),
        }

    def _show_resource(self):
        return {role: self._instance(role) for role in plan.ROLES}

    def _resolve_attribute(self, name):
        if self.resource_id is None:
            return None
        if name in plan.ROLES:
            return self._instance(name)
        if name == self.MODE_ATTR:
            return self.properties[self.MODE]
        if name in (self.ACTIVE_SITE, self.STANDBY_SITE):
            instance = self._instance(name.split('_')[0])
            return instance and instance['site']
        if name == self.DEGRADED:
            degraded = json.loads(self.data().get('left', '{}'))
            degraded.update((key, record.pending)
                            for key, record in self._records().items()
                            if record.pending)
            return degraded
        if name == self.SIGNAL_URL:
            return self._signal_url()
        if name == self.FAILOVER_ATTR:
            return self.properties[self.FAILOVER]
        if name == self.STATUS:
            problems = self._problems()
            return '; '.join(problems) if problems else 'ACTIVE'
        return None
