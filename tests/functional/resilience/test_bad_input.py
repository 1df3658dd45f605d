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

"""R3: invalid templates are refused by stack create before any cloud work.

Each template is refused with HTTP 400 and a message naming the property
(resources.<name>.properties.<property>), and no Neutron receives a single
write request for it (counted in the Neutrons' access logs by the test's
request ID, which geo-heat passes on to every site it calls). Among them,
what the tenant may not ask because the operator did not declare it
(physical networks, ranges, flat, clouds of Barbican credentials, the
project's links): an admin's preview of the same template passes
(AdminMayTest).
"""

import copy
import json
import uuid

import testscenarios
from testtools import content

from geo_heat_sandbox import topology
from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios

REGION_TWO = {'region_name': 'RegionTwo'}


def link(technology='vlan', **props):
    return base.two_sites(REGION_TWO, technology, link=props)


def remote(context=None, **props):
    return base.two_sites(REGION_TWO if context is None else context,
                          remote=props)


def missing(name):
    """A link without a required property."""
    template = base.two_sites(REGION_TWO)
    del template['resources']['link']['properties'][name]
    return link_properties_error(template, 'Property %s not assigned' % name)


def link_properties_error(template, says):
    """Heat's own checks name the property after the properties' path."""
    return {'template': template, 'path': 'resources.link.properties: ',
            'says': says}


def link_refers_to(prop, reference):
    template = base.two_sites(REGION_TWO)
    template['resources']['other'] = {'type': 'OS::Heat::None'}
    template['resources']['link']['properties'][prop] = reference
    return template


def twin_endpoints(**props):
    """Two endpoint resources that describe the same site."""
    template = base.two_sites({}, **props)
    template['resources']['site_b'] = copy.deepcopy(
        template['resources']['site_a'])
    return template


def cells(local_cell, remote_cell, technology='vlan', **remote_props):
    return base.two_sites({}, technology,
                          local={'cell': local_cell,
                                 'physical_network': None},
                          remote=dict({'cell': remote_cell,
                                       'physical_network': None},
                                      **remote_props))


def case(template, resource, prop, says=''):
    return {'template': template,
            'path': 'resources.%s.properties.%s' % (resource, prop),
            'says': says}


SECRET_REF = 'http://127.0.0.1:1/v1/secrets/0'
# Stand-ins for a Barbican credential the test stores first, as the user
# of the case, for the cloud at that Keystone (see BadInputTest.stored).
UNDECLARED_KEYSTONE = 'http://127.0.0.1:1/v3'
CLOUD_B_KEYSTONE = 'cloud-b'


def credential_of(keystone):
    return base.two_sites({'credential_secret_id': 'credential:' + keystone,
                           'region_name': 'RegionOne'})


def links(count):
    """A template of count links between the same two sites."""
    template = base.two_sites(REGION_TWO)
    for number in range(1, count):
        template['resources']['link%d' % number] = template['resources'][
            'link']
    return template


# What a tenant may not ask and an admin may.
ADMIN_MAY = {
    'physical_network_undeclared': case(
        remote(physical_network='extnet'), 'link', 'remote_endpoint',
        'physical network extnet is not one the operator declared'),
    'vlan_outside_the_declared_range': case(
        link(segmentation_id=4000), 'link', 'segmentation_id',
        'outside the vlan range 100:3999 the operator declared'),
    'flat_undeclared': case(
        cells('cell1', 'cell2', 'flat'), 'link', 'technology',
        'did not declare a flat link possible'),
    # Whichever link Heat validates first names it.
    'project_link_limit_reached': {
        'template': links(topology.MAX_LINKS_PER_PROJECT + 1),
        'path': '.properties.technology: ',
        'says': 'limit of %d ([geo_heat] max_links_per_project)'
                % topology.MAX_LINKS_PER_PROJECT},
    'cidr_above_the_address_limit': case(
        link(cidr='10.0.0.0/16'), 'link', 'cidr',
        '([geo_heat] max_link_addresses)'),
}

CASES = {
    # technology
    'technology_unknown': case(link('token-ring'), 'link', 'technology',
                               'token-ring'),
    'technology_list': case(link(['vlan']), 'link', 'technology'),
    'technology_missing': missing('technology'),
    # segmentation_id
    'segmentation_id_text': case(link(segmentation_id='one hundred'), 'link',
                                 'segmentation_id'),
    'segmentation_id_zero': case(link(segmentation_id=0), 'link',
                                 'segmentation_id'),
    'segmentation_id_negative': case(link(segmentation_id=-7), 'link',
                                     'segmentation_id'),
    'segmentation_id_vlan_4095': case(link(segmentation_id=4095), 'link',
                                      'segmentation_id', '4095'),
    'segmentation_id_vxlan_too_big': case(
        link('vxlan', segmentation_id=2 ** 24), 'link', 'segmentation_id',
        str(2 ** 24)),
    'segmentation_id_geneve_too_big': case(
        link('geneve', segmentation_id=2 ** 24 + 5), 'link',
        'segmentation_id'),
    'segmentation_id_with_flat': case(link('flat', segmentation_id=100),
                                      'link', 'segmentation_id', 'flat'),
    'segmentation_id_gre_too_big': case(
        link('gre', segmentation_id=2 ** 32), 'link', 'segmentation_id'),
    # segmentation_range
    'range_not_a_range': case(link(segmentation_range='lots'), 'link',
                              'segmentation_range', 'min:max'),
    'range_three_parts': case(link(segmentation_range='1:2:3'), 'link',
                              'segmentation_range', 'min:max'),
    'range_reversed': case(link(segmentation_range='199:100'), 'link',
                           'segmentation_range', 'greater'),
    'range_below_vlan': case(link(segmentation_range='0:10'), 'link',
                             'segmentation_range', 'vlan range'),
    'range_above_vlan': case(link(segmentation_range='100:5000'), 'link',
                             'segmentation_range', 'vlan range'),
    'range_above_vxlan': case(
        link('vxlan', segmentation_range='1:%d' % 2 ** 24), 'link',
        'segmentation_range', 'vxlan range'),
    'range_with_flat': case(link('flat', segmentation_range='1:10'), 'link',
                            'segmentation_range', 'flat'),
    'range_not_integers': case(link(segmentation_range='a:b'), 'link',
                               'segmentation_range', 'integers'),
    # cidr
    'cidr_garbage': case(link(cidr='not-a-network'), 'link', 'cidr'),
    'cidr_host_bits': case(link(cidr='10.9.0.1/24'), 'link', 'cidr',
                           '10.9.0.0/24'),
    'cidr_too_small_v4': case(link(cidr='10.9.0.0/31'), 'link', 'cidr',
                              'too small'),
    'cidr_prefix_33': case(link(cidr='10.9.0.0/33'), 'link', 'cidr'),
    'cidr_too_small_v6': case(link(cidr='fd00::/127'), 'link', 'cidr',
                              'too small'),
    'cidr_number': case(link(cidr=42), 'link', 'cidr'),
    # mtu
    'mtu_below_68': case(link(mtu=67), 'link', 'mtu', '67'),
    'mtu_above_9216': case(link(mtu=9217), 'link', 'mtu', '9217'),
    'mtu_zero': case(link(mtu=0), 'link', 'mtu'),
    'mtu_negative': case(link(mtu=-1500), 'link', 'mtu'),
    'mtu_text': case(link(mtu='jumbo'), 'link', 'mtu'),
    # name
    'name_map': case(link(name={'a': 1}), 'link', 'name'),
    # endpoints of the link
    'local_endpoint_missing': missing('local_endpoint'),
    'remote_endpoint_missing': missing('remote_endpoint'),
    'endpoints_identical': case(
        link(remote_endpoint={'get_resource': 'site_a'}), 'link',
        'remote_endpoint', 'same site'),
    'endpoints_same_site': case(twin_endpoints(), 'link', 'remote_endpoint',
                                'same site'),
    'endpoint_not_an_endpoint': case(
        link_refers_to('remote_endpoint', {'get_resource': 'other'}),
        'link', 'remote_endpoint', 'OS::Geo::Endpoint'),
    'endpoint_plain_text': case(
        link_refers_to('local_endpoint', 'somewhere'), 'link',
        'local_endpoint', 'somewhere'),
    'unknown_link_property': link_properties_error(
        link(colour='blue'), 'Unknown Property colour'),
    # where an endpoint is
    'region_unknown': case(remote({'region_name': 'RegionNine'}), 'site_b',
                           'context.region_name', 'RegionNine'),
    'cloud_unknown': case(remote({'cloud': 'cloud-z'}), 'site_b',
                          'context.cloud', 'cloud-z'),
    'cell_unknown': case(remote(cell='cell7'), 'site_b', 'cell', 'cell7'),
    'cloud_and_secret': case(
        remote({'cloud': 'cloud-b', 'credential_secret_id': SECRET_REF}),
        'site_b', 'context', 'not both'),
    'context_not_a_map': case(remote('RegionTwo'), 'site_b', 'context'),
    'context_unknown_key': case(remote({'regoin_name': 'RegionTwo'}),
                                'site_b', 'context'),
    'insecure_not_boolean': case(
        remote({'region_name': 'RegionTwo', 'insecure': 'perhaps'}),
        'site_b', 'context.insecure'),
    'ca_cert_not_text': case(
        remote({'region_name': 'RegionTwo', 'ca_cert': ['PEM']}),
        'site_b', 'context.ca_cert'),
    # what records copy is bounded (README: what geo-heat stores)
    'region_name_too_long': case(
        remote({'region_name': 'R' * 256}), 'site_b', 'context.region_name',
        'length (256) is out of range (min: None, max: 255)'),
    'physical_network_list': case(remote(physical_network=['physnet1']),
                                  'site_b', 'physical_network'),
    # what the technology needs from the endpoints
    'vlan_without_remote_physnet': case(
        remote(physical_network=None), 'link', 'remote_endpoint',
        'physical_network'),
    'vlan_without_local_physnet': case(
        base.two_sites(REGION_TWO, local={'physical_network': None}), 'link',
        'local_endpoint', 'physical_network'),
    'flat_without_physnet': case(
        base.two_sites(REGION_TWO, 'flat', remote={'physical_network': None}),
        'link', 'remote_endpoint', 'physical_network'),
    'same_cell_twice': case(cells('cell1', 'cell1'), 'link',
                            'remote_endpoint', 'same site'),
    'cells_on_one_physnet': case(
        base.two_sites({}, local={'cell': 'cell1'},
                       remote={'cell': 'cell2'}),
        'link', 'remote_endpoint', 'physical network physnet1'),
    # stitched technologies and auto
    'bgpvpn_with_segmentation_id': case(
        link('bgpvpn', segmentation_id=100), 'link', 'segmentation_id',
        'a bgpvpn link has no segmentation ID'),
    'bgpvpn_type_unknown': case(link('bgpvpn', bgpvpn_type='l4'), 'link',
                                'bgpvpn_type', 'l4'),
    'bgpvpn_l3_cidr_too_small': case(
        link('bgpvpn', bgpvpn_type='l3', cidr='10.9.0.0/30'), 'link', 'cidr',
        'too small'),
    'ipsec_unapproved_cipher': case(
        link('ipsec', ipsec={'encryption_algorithm': 'aes-192'}), 'link',
        'ipsec.encryption_algorithm', 'approved'),
    'ipsec_options_on_vlan': case(link(ipsec={'pfs': 'group14'}), 'link',
                                  'ipsec', 'ipsec links only'),
    'ipsec_psk_rotation_text': case(link('ipsec', psk_rotation='often'),
                                    'link', 'psk_rotation'),
    'ipsec_within_one_neutron': case(cells('cell1', 'cell2', 'ipsec'),
                                     'link', 'remote_endpoint',
                                     'stitches two Neutrons'),
    'auto_where_none_is_declared': case(cells('cell1', 'cell2', 'auto'),
                                        'link', 'technology',
                                        'auto found none'),
    'auto_with_segmentation_range': case(
        link('auto', segmentation_range='100:199'), 'link',
        'segmentation_range', 'auto link'),
    # what the operator keeps from tenants
    'ca_cert_not_pem': case(
        remote({'region_name': 'RegionTwo', 'ca_cert': 'not a PEM'}),
        'site_b', 'context.ca_cert', 'not a PEM bundle'),
    'credential_of_an_undeclared_cloud': case(
        credential_of(UNDECLARED_KEYSTONE), 'site_b',
        'context.credential_secret_id',
        'declared no cloud at %s' % UNDECLARED_KEYSTONE),
    'credential_of_a_cloud_not_for_this_project': dict(
        case(credential_of(CLOUD_B_KEYSTONE), 'site_b',
             'context.credential_secret_id', 'not available to this project'),
        USER='other'),
    **ADMIN_MAY,
}


class BadInputTest(base.FunctionalTestCase):

    scenarios = sorted(CASES.items())

    def test_refused_without_touching_any_cloud(self):
        """No Neutron receives a write made for the test's create."""
        template = self.stored(self.template)
        before = self.neutron_requests(own=True)
        exc = self.assertRefused(template, self.path, self.says)
        self.addDetail('message', content.text_content(str(exc)))
        self.assertEqual(before, self.neutron_requests(own=True))

    def stored(self, template):
        """The template, its credential:KEYSTONE stand-in replaced by a
        Barbican secret of the case's user (any password: validate reads
        no more than the Keystone it names)."""
        context = template['resources']['site_b']['properties'].get(
            'context')
        keystone = (context.get('credential_secret_id') or '').partition(
            'credential:')[2] if isinstance(context, dict) else ''
        if not keystone:
            return template
        if keystone == CLOUD_B_KEYSTONE:
            keystone = self.cloud_config('tenant-b').config['auth'][
                'auth_url']
        barbican = self.connection('RegionOne', self.USER).key_manager
        secret = barbican.create_secret(
            name='ft-r3', payload_content_type='text/plain',
            secret_type='opaque', payload=json.dumps({
                'auth_type': 'password',
                'auth': {'auth_url': keystone, 'username': 'nobody',
                         'password': uuid.uuid4().hex,
                         'project_name': 'geo-tenant',
                         'user_domain_name': 'Default',
                         'project_domain_name': 'Default'}}))
        self.addCleanup(barbican.delete_secret, secret)
        template = copy.deepcopy(template)
        template['resources']['site_b']['properties']['context'][
            'credential_secret_id'] = secret.secret_ref
        return template


class AdminMayTest(base.FunctionalTestCase):
    """What the operator keeps from tenants, an admin may ask: Heat's
    preview (validation, no cloud work) of the same templates passes."""

    USER = 'admin'

    scenarios = sorted(ADMIN_MAY.items())

    def test_admin_preview_passes(self):
        response = self.heat.post('/stacks/preview', json={
            'stack_name': 'ft-admin-%s' % uuid.uuid4().hex[:6],
            'template': self.template})
        self.assertEqual(200, response.status_code, response.text)
