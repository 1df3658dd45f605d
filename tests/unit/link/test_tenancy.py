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

"""What a project may ask of links: tenancy's rules, without Heat."""

import testtools

from geo_heat.link import site
from geo_heat.link import tenancy
from geo_heat.link import underlay

# A certificate that is nothing but a well-formed PEM X.509 certificate.
CA_PEM = '''-----BEGIN CERTIFICATE-----
MIIBIzCByaADAgECAgEBMAoGCCqGSM49BAMCMBsxGTAXBgNVBAMMEGdlby1oZWF0
IHRlc3QgQ0EwHhcNMjYwMTAxMDAwMDAwWhcNMzUxMjMwMDAwMDAwWjAbMRkwFwYD
VQQDDBBnZW8taGVhdCB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
EOsgruYpaYYZx344WWD7b2qUVTAUzB/X8XZ/WtLu0dqXXnAn0jTj2NVt/A1dqvJF
oE86CWjHIa94k74yQSSilzAKBggqhkjOPQQDAgNJADBGAiEAmDPu8S2+pK2qkshm
qrjSpxtWdt5sOexTpcv+zwSFzBYCIQCcT9V3Ab2w146wLiy3MLQRHU1WgdRjWNsY
B+CQNMhp0A==
-----END CERTIFICATE-----
'''

ONE = site.Placement(region_name='RegionOne', physical_network='physnet1')
TWO = site.Placement(region_name='RegionTwo', physical_network='trunk2')


def carriage(*items, technology='vlan', local=ONE, remote=TWO):
    return underlay.carriage(underlay.parse_declarations(items), technology,
                             local, remote, local_region='RegionOne')


class UndeclaredTest(testtools.TestCase):

    def test_no_item_admins_only(self):
        self.assertIn('has not declared the interconnect',
                      tenancy.undeclared_problem([], is_admin=False))
        self.assertIsNone(tenancy.undeclared_problem([], is_admin=True))
        self.assertIsNone(tenancy.undeclared_problem(
            ['region:A|region:B|vxlan'], is_admin=False))


class PhysicalNetworkTest(testtools.TestCase):

    def problems(self, technology, declared, local=ONE, remote=TWO,
                 is_admin=False):
        return tenancy.physical_network_problems(
            technology, declared, {site.LOCAL: local, site.REMOTE: remote},
            is_admin)

    def test_declared_per_site_in_either_order(self):
        for item in ('region:RegionOne|region:RegionTwo|vlan|'
                     'physnet=physnet1/trunk2',
                     'region:RegionTwo|region:RegionOne|vlan|'
                     'physnet=trunk2/physnet1'):
            self.assertEqual([], self.problems('vlan', carriage(item)))

    def test_one_list_for_both_sites(self):
        declared = carriage('region:RegionOne|region:RegionTwo|vlan|'
                            'physnet=physnet1,trunk2')
        self.assertEqual([], self.problems('vlan', declared))

    def test_physical_network_outside_the_declaration(self):
        declared = carriage('region:RegionOne|region:RegionTwo|vlan:100:199|'
                            'physnet=physnet1/physnet1')
        ((role, message),) = self.problems('vlan', declared)
        self.assertEqual(site.REMOTE, role)
        self.assertEqual('physical network trunk2 is not one the operator '
                         'declared for vlan links at the remote end: '
                         'physnet1', message)

    def test_flat_undeclared_physnet_is_admin_only(self):
        declared = carriage('region:RegionOne|region:RegionTwo|flat',
                            technology='flat')
        problems = self.problems('flat', declared)
        self.assertEqual([site.LOCAL, site.REMOTE], [r for r, _m in problems])
        self.assertIn('declared no physical network for flat links at the '
                      'local end', problems[0][1])
        self.assertEqual([], self.problems('flat', declared, is_admin=True))

    def test_tunnels_have_no_physical_network(self):
        declared = carriage('region:RegionOne|region:RegionTwo|vxlan',
                            technology='vxlan')
        self.assertEqual([], self.problems('vxlan', declared))


class LimitsTest(testtools.TestCase):

    def test_links_per_project(self):
        self.assertIsNone(tenancy.link_count_problem(98, 2, 100, False))
        self.assertEqual(
            'the project would hold 101 links, more than the operator\'s '
            'limit of 100 ([geo_heat] max_links_per_project)',
            tenancy.link_count_problem(99, 2, 100, False))
        self.assertIsNone(tenancy.link_count_problem(99, 2, 100, True))

    def test_addresses_per_link(self):
        self.assertIsNone(tenancy.cidr_size_problem('10.0.0.0/20', 4096,
                                                    False))
        self.assertIn('10.0.0.0/19 holds 8192 addresses, more than the '
                      'operator\'s limit of 4096 per link ([geo_heat] '
                      'max_link_addresses)',
                      tenancy.cidr_size_problem('10.0.0.0/19', 4096, False))
        self.assertIsNone(tenancy.cidr_size_problem('10.0.0.0/8', 4096,
                                                    True))
        self.assertIsNone(tenancy.cidr_size_problem(None, 4096, False))

    def test_segmentation_bound_binds_tenants(self):
        declared = carriage('region:RegionOne|region:RegionTwo|vlan:100:199')
        self.assertEqual((100, 199),
                         tenancy.segmentation_bound(declared, False))
        self.assertIsNone(tenancy.segmentation_bound(declared, True))


class CaCertTest(testtools.TestCase):

    def test_pem_certificates(self):
        self.assertIsNone(tenancy.ca_cert_problem(CA_PEM))
        self.assertIsNone(tenancy.ca_cert_problem(CA_PEM + CA_PEM))
        self.assertIsNone(tenancy.ca_cert_problem(None))

    def test_not_a_bundle(self):
        for pem in ('PEM', '-----BEGIN CERTIFICATE-----',
                    CA_PEM.replace('MIIB', 'XXXX'), ''):
            self.assertEqual('is not a PEM bundle of X.509 certificates',
                             tenancy.ca_cert_problem(pem))
        self.assertIn('larger than',
                      tenancy.ca_cert_problem(CA_PEM * 1000))


class SecretCloudTest(testtools.TestCase):

    def test_undeclared_cloud_and_project(self):
        url = 'https://keystone.b/v3'
        self.assertIn('declared no cloud at https://keystone.b/v3',
                      tenancy.secret_cloud_problem(None, url, False))
        self.assertIn('not available to this project',
                      tenancy.secret_cloud_problem('cloud-b', url, False))
        self.assertIsNone(tenancy.secret_cloud_problem('cloud-b', url, True))


class TenantViewTest(testtools.TestCase):

    def test_operator_fields_left_out(self):
        show = {
            'segmentation_id': 120, 'local_rbac_policy_id': 'rbac-1',
            'local': {
                'network': {'id': 'n1', 'name': 'link', 'mtu': 1500,
                            'project_id': 'operator',
                            'provider_physical_network': 'physnet1',
                            'provider_network_type': 'vlan',
                            'segments': [{'provider:network_type': 'vlan'}]},
                'subnet': {'id': 's1', 'cidr': '10.0.0.0/24',
                           'project_id': 'operator', 'tenant_id': 'operator',
                           'subnet_pool_id': None}},
            'remote': {'lost': True}}
        self.assertEqual({
            'segmentation_id': 120,
            'local': {'network': {'id': 'n1', 'name': 'link', 'mtu': 1500},
                      'subnet': {'id': 's1', 'cidr': '10.0.0.0/24'}},
            'remote': {'lost': True}}, tenancy.tenant_view(show))
