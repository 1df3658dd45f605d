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

from unittest import mock

import testtools

from geo_heat import client
from geo_heat.vnf import capacity
from geo_heat.vnf import deploy
from geo_heat.vnf import model
from tests.unit import fakes


class ProblemTest(testtools.TestCase):
    """A site with two hosts in az-cell2, one in az-cell1 and one in
    Nova's default zone."""

    def setUp(self):
        super().setUp()
        self.site = fakes.FakeComputeSite()
        self.nova, self.placement = self.site.compute, self.site.placement
        self.nova.add_flavor('m1.tiny')
        for host, zone in (('cell2-a', 'az-cell2'), ('cell2-b', 'az-cell2'),
                           ('cell1-a', 'az-cell1'), ('default', None)):
            self.nova.add_host(host, zone, vcpus=2, memory_mb=1024)

    def fill(self, *hosts):
        for host in hosts:
            for inventory in self.placement.providers[
                    self.nova.nodes[host]]['inventories'].values():
                inventory['reserved'] = inventory['total']

    def problem(self, zone='az-cell2', flavor='m1.tiny'):
        return capacity.problem(self.site, flavor, zone)

    def test_room_on_a_host_of_the_zone(self):
        self.fill('cell2-a')
        self.assertIsNone(self.problem())
        self.assertEqual(
            [{'resources': 'DISK_GB:1,MEMORY_MB:512,VCPU:1',
              'in_tree': self.nova.nodes[host],
              'required': '!COMPUTE_STATUS_DISABLED', 'limit': 1}
             for host in ('cell2-a', 'cell2-b')], self.placement.queries)

    def test_room_in_another_zone_does_not_count(self):
        self.fill('cell2-a', 'cell2-b')
        self.assertEqual(
            'no compute host in availability zone az-cell2 has room for '
            'flavor m1.tiny (1 VCPU, 512 MB RAM, 1 GB disk)', self.problem())
        self.assertIsNone(self.problem('az-cell1'))
        self.assertIsNone(self.problem('nova'))

    def test_what_is_used_counts(self):
        self.placement.providers[self.nova.nodes['cell2-a']]['used'] = {
            'MEMORY_MB': 600}
        self.fill('cell2-b')
        self.assertIn('has room for flavor m1.tiny', self.problem())

    def test_a_disabled_compute_has_no_room(self):
        """Nova marks the node of a disabled compute service with a trait
        its scheduler forbids."""
        self.fill('cell2-a')
        self.placement.providers[self.nova.nodes['cell2-b']]['traits'].add(
            'COMPUTE_STATUS_DISABLED')
        self.assertIn('no compute host in availability zone az-cell2',
                      self.problem())

    def test_a_compute_service_that_is_down_has_no_room(self):
        self.fill('cell2-a')
        self.nova.services['cell2-b']['available'] = False
        self.assertIn('no compute host', self.problem())
        self.assertEqual(1, len(self.placement.queries))

    def test_a_zone_without_hosts(self):
        self.assertEqual(
            'no compute host in availability zone az-nowhere has room for '
            'flavor m1.tiny (1 VCPU, 512 MB RAM, 1 GB disk)',
            self.problem('az-nowhere'))

    def test_no_zone_is_any_host(self):
        self.fill('cell2-a', 'cell2-b', 'cell1-a')
        self.assertIsNone(self.problem(None))
        self.fill('default')
        self.assertEqual('no compute host has room for flavor m1.tiny '
                         '(1 VCPU, 512 MB RAM, 1 GB disk)', self.problem(None))

    def test_a_flavor_larger_than_any_host(self):
        self.nova.add_flavor('m1.huge', vcpus=4)
        self.assertIn('flavor m1.huge (4 VCPU, 512 MB RAM, 1 GB disk)',
                      self.problem(flavor='m1.huge'))

    def test_an_unknown_flavor(self):
        self.assertEqual('flavor m1.nope does not exist there',
                         self.problem(flavor='m1.nope'))


class FlavorResourcesTest(testtools.TestCase):

    def test_disk_is_root_ephemeral_and_swap_rounded_up(self):
        self.assertEqual(
            {'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 10 + 5 + 2},
            capacity.flavor_resources(fakes.Record(
                vcpus=2, ram=2048, disk=10, ephemeral=5, swap=1025,
                extra_specs={})))

    def test_extra_specs_override_and_drop(self):
        resources = capacity.flavor_resources(fakes.Record(
            vcpus=2, ram=2048, disk=0, ephemeral=0, swap='',
            extra_specs={'resources:VCPU': '0', 'resources:PCPU': '2',
                         'hw:cpu_policy': 'dedicated'}))
        self.assertEqual({'MEMORY_MB': 2048, 'PCPU': 2}, resources)
        self.assertEqual('2048 MB RAM, 2 PCPU',
                         capacity.describe_resources(resources))


class CheckerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.site = fakes.FakeComputeSite()
        self.site.compute.add_flavor('m1.small')
        self.site.compute.add_host('cell2-a', 'az-cell2')
        self.plugin = mock.Mock()
        self.plugin.connect.return_value = self.site
        self.records = {'site_b': model.SiteRecord(
            ref='', stack_name='', role='standby', descriptor={
                'placement': {'region_name': 'RegionOne', 'cell': 'cell2',
                              'availability_zone': 'az-cell2'},
                'ca_cert': None, 'insecure': False})}
        self.capacity = capacity.checker(self.plugin, self.records,
                                         {'site_b': 'm1.small'}.get, 3)

    def test_reads_the_site_with_the_operators_connection(self):
        """Within the probe timeout, as every read of a site's health."""
        self.assertIsNone(self.capacity('site_b'))
        (placement, ca_cert, insecure, timeout), _ = (
            self.plugin.connect.call_args)
        self.assertEqual(('cell2', 'az-cell2', None, False, 3),
                         (placement.cell, placement.availability_zone,
                          ca_cert, insecure, timeout))

    def test_a_site_that_does_not_answer_is_unreachable(self):
        self.site.placement.down = True
        exc = self.assertRaises(deploy.SiteUnreachable, self.capacity,
                                'site_b')
        self.assertEqual(
            'site site_b (region RegionOne, cell cell2): cannot tell whether '
            'it can host the spare: placement is down', str(exc))

    def test_a_site_that_refuses_says_why(self):
        """Placement is admin-only: operator credentials without that role
        there are refused."""
        self.site.placement.refuse = fakes.placement_error(
            403, 'Access was denied to this resource.\n\n Policy does not '
            'allow placement:allocation_candidates:list to be performed.  ')
        exc = self.assertRaises(deploy.SiteError, self.capacity, 'site_b')
        self.assertNotIsInstance(exc, deploy.SiteUnreachable)
        self.assertEqual(
            'cannot tell whether it can host the spare: Access was denied '
            'to this resource. Policy does not allow '
            'placement:allocation_candidates:list to be performed.',
            exc.reason)

    def test_a_site_the_configuration_does_not_reach_is_a_refusal(self):
        self.plugin.connect.side_effect = client.Misconfigured(
            '[geo_heat] clouds_file is not configured, so cloud "cloud-b" is '
            'unknown')
        exc = self.assertRaises(deploy.SiteError, self.capacity, 'site_b')
        self.assertNotIsInstance(exc, deploy.SiteUnreachable)
        self.assertIn('host the spare: [geo_heat] clouds_file is not '
                      'configured', exc.reason)

    def test_a_bug_propagates(self):
        self.site.compute.hypervisors = mock.Mock(side_effect=TypeError('x'))
        self.assertRaises(TypeError, self.capacity, 'site_b')
