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

"""A cold VNF across RegionOne's cells whose standby cell could not start
the spare: stack check fails naming the standby site and the flavor, and
passes again once the cell has room.

The standby cell's compute host is filled in Placement (its inventory
reserved), as the admin, without stopping any service. Every other
test booting in cell2 would fail meanwhile: the test runs alone then.
"""

from tests.functional import base
from tests.functional import vnf


class ColdStandbyCapacityTest(base.SandboxToItself,
                              vnf.RedundantVNFTestCase):

    KIND = 'cells'
    SIDES = {'site_a': ('RegionOne', 'nova-r1-cell1'),
             'site_b': ('RegionOne', 'nova-r1-cell2')}
    SHARED = True

    FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
              'allocation_ratio')

    def fill(self, host):
        """Reserve all but one unit of each resource class of the host's
        compute node in Placement (before microversion 1.26 Placement
        refuses reserved == total); returns what puts the inventories back,
        also done at cleanup."""
        placement = self.connection('RegionOne').placement
        (provider,) = placement.resource_providers(name=host)
        saved = {inventory.resource_class: {
            field: inventory[field] for field in self.FIELDS}
            for inventory in placement.resource_provider_inventories(
                provider)}
        self.addCleanup(self.set_inventories, provider, saved)
        self.set_inventories(provider, {
            resource_class: dict(fields, reserved=fields['total'] - 1)
            for resource_class, fields in saved.items()})
        return lambda: self.set_inventories(provider, saved)

    def set_inventories(self, provider, inventories):
        """A PUT of an inventory replaces all of its fields."""
        placement = self.connection('RegionOne').placement
        for resource_class, fields in inventories.items():
            generation = placement.get_resource_provider_inventory(
                resource_class, provider).resource_provider_generation
            placement.update_resource_provider_inventory(
                resource_class, provider,
                resource_provider_generation=generation, **fields)

    def test_a_standby_cell_without_room_fails_check(self):
        stack, _ = self.deploy(mode='cold')
        self.action(stack, 'check')
        self.alone()
        restore = self.fill('nova-r1-cell2')
        problem = (
            'standby site site_b (region RegionOne, cell cell2): cannot host '
            'the spare: no compute host in availability zone az-cell2 has '
            'room for flavor m1.tiny (1 VCPU, 64 MB RAM, 1 GB disk)')
        failed = self.action(stack, 'check', expect='FAILED')
        self.assertIn(problem, failed.status_reason)
        self.assertEqual(problem, self.outputs(stack)['status'])
        restore()
        self.together()
        self.action(stack, 'check')
        self.assertEqual('ACTIVE', self.outputs(stack)['status'])
