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

"""Updates keep a tenant's link: what a user writes back, or changes that
Neutron can make in place, never rebuild it under a running VNF.

VLAN IDs 2500-2539 (RegionOne-RegionTwo): no other test uses them, so a
fixed ID is never taken by a test running at the same time."""

from tests.functional import base


class UpdateTest(base.FunctionalTestCase):

    def create_link(self, segmentation_range='2500:2509', link=None,
                    local=None):
        template = base.two_sites({'region_name': 'RegionTwo'}, 'vlan',
                                  segmentation_range, link=link, local=local)
        template['outputs']['zone'] = {
            'value': {'get_attr': ['site_a', 'availability_zone']}}
        stack = self.create_stack(template)
        return template, stack, self.outputs(stack)

    def update(self, stack, template, action='UPDATE', **attrs):
        self.heat.update_stack(stack, template=template, **attrs)
        return self.wait(stack.id, action)

    def assertBothHalves(self, out, segmentation_id):
        for side, key in (('RegionOne', 'local_network_id'),
                          ('RegionTwo', 'remote_network_id')):
            self.assertHalf(side, out[key], 'vlan', segmentation_id,
                            out['cidr'], 1500, 'physnet1')

    def test_pinning_the_chosen_values_changes_nothing(self):
        template, stack, out = self.create_link()
        template['resources']['link']['properties'].update(
            segmentation_id=out['segmentation_id'], cidr=out['cidr'],
            segmentation_range='%d:%d' % (out['segmentation_id'],
                                          out['segmentation_id']))
        self.update(stack, template)
        self.assertEqual(out, self.outputs(stack))

    def test_segmentation_id_changes_in_place(self):
        template, stack, out = self.create_link(segmentation_range='2510:2514')
        wanted = 2510 if out['segmentation_id'] != 2510 else 2511
        template['resources']['link']['properties']['segmentation_id'] = (
            wanted)
        self.update(stack, template)
        after = self.outputs(stack)
        self.assertEqual(wanted, after['segmentation_id'])
        self.assertEqual(
            (out['local_network_id'], out['remote_network_id']),
            (after['local_network_id'], after['remote_network_id']))
        self.assertBothHalves(after, wanted)
        self.action(stack, 'check')

    def test_fixed_id_replacement_and_its_rollback(self):
        link = {'segmentation_id': 2520, 'cidr': '10.251.25.0/24'}
        template, stack, out = self.create_link(link=link)
        # A new CIDR replaces the link; the replacement keeps the fixed ID,
        # which the old link frees before Heat creates the new one.
        template['resources']['link']['properties']['cidr'] = (
            '10.251.26.0/24')
        self.update(stack, template)
        replaced = self.outputs(stack)
        self.assertNotEqual(out['local_network_id'],
                            replaced['local_network_id'])
        self.assertEqual('10.251.26.0/24', replaced['cidr'])
        self.assertBothHalves(replaced, 2520)
        # The same again, but a resource after the link fails: the rollback
        # brings back a link with the CIDR of before and the fixed ID.
        template['resources']['link']['properties']['cidr'] = (
            '10.251.27.0/24')
        template['resources']['after_link'] = {
            'type': 'OS::Heat::TestResource',
            'properties': {'fail': True,
                           'value': {'get_attr': ['link', 'cidr']}}}
        self.update(stack, template, action='ROLLBACK',
                    is_rollback_disabled=False)
        restored = self.outputs(stack)
        self.assertEqual('10.251.26.0/24', restored['cidr'])
        self.assertBothHalves(restored, 2520)
        self.action(stack, 'check')

    def test_availability_zone_changes_in_place(self):
        template, stack, out = self.create_link(
            segmentation_range='2530:2534',
            local={'availability_zone': 'az-first'})
        endpoint = self.resource(stack, 'site_a').physical_resource_id
        template['resources']['site_a']['properties'][
            'availability_zone'] = 'az-second'
        self.update(stack, template)
        after = self.outputs(stack)
        self.assertEqual(('az-first', 'az-second'),
                         (out.pop('zone'), after.pop('zone')))
        self.assertEqual(out, after)
        self.assertEqual(endpoint,
                         self.resource(stack, 'site_a').physical_resource_id)

    def test_update_after_a_failed_check_keeps_the_link(self):
        """A short trouble fails a check; the next update must not rebuild
        the link once it is healthy again."""
        template, stack, out = self.create_link(segmentation_range='2535:2539')
        remote = self.connection('RegionTwo').network
        remote.update_network(out['remote_network_id'], mtu=1400)
        self.action(stack, 'check', expect='FAILED')
        remote.update_network(out['remote_network_id'], mtu=1500)
        template['resources']['link']['properties']['name'] = 'renamed'
        self.update(stack, template)
        after = self.outputs(stack)
        self.assertEqual(out, after)
        self.assertEqual('renamed', remote.get_network(
            out['remote_network_id']).name)
