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

"""Placement's resource providers and allocation candidates."""

import uuid

from keystoneauth1 import exceptions as ks_exc

from tests.unit.fakes.common import Record


class FakePlacement:
    """Placement's resource providers (one root provider per compute
    node, with inventories, usages and traits) and its allocation
    candidates: a provider fits where every requested class has
    (total - reserved) * allocation_ratio - used left and within max_unit,
    and it has the required traits and none of the forbidden ones.

    Set `down` to answer nothing, or `refuse` to an error to raise.
    """

    def __init__(self):
        self.providers = {}
        self.down = False
        self.refuse = None
        self.queries = []

    def add_provider(self, name, vcpus=8, memory_mb=4096, disk_gb=40):
        provider = str(uuid.uuid4())
        self.providers[provider] = {
            'name': name, 'traits': set(), 'used': {},
            'inventories': {
                rc: {'total': total, 'reserved': 0, 'allocation_ratio': 1.0,
                     'min_unit': 1, 'max_unit': total, 'step_size': 1}
                for rc, total in (('VCPU', vcpus), ('MEMORY_MB', memory_mb),
                                  ('DISK_GB', disk_gb))}}
        return provider

    def _fits(self, provider, resources, traits):
        record = self.providers[provider]
        for trait in traits:
            if (trait.lstrip('!') in record['traits']) == trait.startswith(
                    '!'):
                return False
        for rc, amount in resources.items():
            inventory = record['inventories'].get(rc)
            if inventory is None or not (
                    inventory['min_unit'] <= amount <= inventory['max_unit']):
                return False
            room = ((inventory['total'] - inventory['reserved']) *
                    inventory['allocation_ratio'] - record['used'].get(rc, 0))
            if amount > room:
                return False
        return True

    def allocation_candidates(self, resources, in_tree=None, required='',
                              limit=None):
        if self.down:
            raise ks_exc.ConnectFailure('placement is down')
        if self.refuse:
            raise self.refuse
        self.queries.append({'resources': resources, 'in_tree': in_tree,
                             'required': required, 'limit': limit})
        wanted = {rc: int(amount) for rc, amount in
                  (item.split(':') for item in resources.split(','))}
        traits = [trait for trait in required.split(',') if trait]
        found = [Record(allocations={provider: {'resources': wanted}},
                         provider_summaries={})
                 for provider in sorted(self.providers)
                 if in_tree in (None, provider) and
                 self._fits(provider, wanted, traits)]
        return iter(found[:limit])
