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

"""A SOL001 VNFD with geo-heat's types: its nfvi_pop anti-affinity rule and
its virtual link's L2 protocol data, which heat-translator drops."""

import copy
import os
import shutil
import tempfile
from unittest import mock

from heat.common import template_format
from heat.tests import utils
import yaml

from geo_heat.tosca import sol001
from geo_heat.tosca import translate
from tests.unit.resources import test_redundant_vnf
from tests.unit.tosca import test_types

EXAMPLE = os.path.join(test_types.TOSCA, 'examples',
                       'sol001-georedundant-vnfd.yaml')

with open(EXAMPLE) as f:
    VNFD = yaml.safe_load(f)

ENDPOINTS = {
    'site_a': {'type': 'OS::Geo::Endpoint', 'properties': {
        'context': {'region_name': 'RegionOne'},
        'physical_network': 'physnet1'}},
    'site_b': {'type': 'OS::Geo::Endpoint', 'properties': {
        'context': {'region_name': 'RegionTwo'},
        'physical_network': 'physnet1'}},
}
LINK = {'type': 'OS::Geo::Interconnect', 'properties': {
    'local_endpoint': {'get_resource': 'site_a'},
    'remote_endpoint': {'get_resource': 'site_b'},
    'technology': 'vlan', 'segmentation_id': 3250, 'mtu': 1400,
    'name': 'vnf-replication', 'cidr': '10.251.50.0/24'}}


class Sol001Test(test_redundant_vnf.RedundantVNFTestBase):

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.work)

    def translate(self, change=None):
        """The example, changed by change(vnfd) if given, as Heat reads
        its translation."""
        path = EXAMPLE
        if change:
            vnfd = copy.deepcopy(VNFD)
            vnfd['imports'] = [os.path.normpath(os.path.join(
                os.path.dirname(EXAMPLE), i)) for i in vnfd['imports']]
            change(vnfd)
            path = os.path.join(self.work, 'vnfd.yaml')
            with open(path, 'w') as f:
                yaml.safe_dump(vnfd, f)
        (text,) = translate.translate(
            path, os.path.join(self.work, 'hot.yaml')).values()
        return template_format.parse(text)

    def test_sites_link_and_vnf_with_exact_values(self):
        resources = self.translate()['resources']
        vnf = resources.pop('pop_anti_affinity')
        self.assertEqual(dict(ENDPOINTS, replication_vl=LINK), resources)
        self.assertEqual('OS::Geo::RedundantVNF', vnf['type'])
        props = dict(vnf['properties'])
        instance = template_format.parse(props.pop('instance_template'))
        self.assertEqual({
            'active_endpoint': {'get_resource': 'site_a'},
            'standby_endpoint': {'get_resource': 'site_b'},
            'links': [{'get_resource': 'replication_vl'}],
            'site_images': {'site_a': 'cirros-fake', 'site_b': 'cirros-fake'},
        }, props)
        self.assertEqual({'server': 'OS::Nova::Server'},
                         {name: rsrc['type'] for name, rsrc
                          in instance['resources'].items()})
        self.assertEqual('comma_delimited_list',
                         instance['parameters']['ports']['type'])

    def test_heat_creates_both_copies_on_the_link(self):
        stack = self.create(self.translate())
        self.assertEqual((stack.CREATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        roles = {'RegionOne': 'active', 'RegionTwo': 'standby'}
        for region in roles:
            network, = self.neutron(region).networks()
            self.assertEqual((3250, 1400, 'physnet1'), (
                network.provider_segmentation_id, network.mtu,
                network.provider_physical_network))
            _, instance = self.instance(region)
            (port,) = self.neutron(region).ports()
            self.assertEqual(
                {'image': 'cirros-fake', 'ports': port.id,
                 'role': roles[region]},
                {key: instance['parameters'][key]
                 for key in ('image', 'ports', 'role')})

    def test_upstream_translation_without_geo_sites(self):
        def no_sites(vnfd):
            for name in ('site_a', 'site_b'):
                del vnfd['topology_template']['node_templates'][name]
        types = {rsrc['type']
                 for rsrc in self.translate(no_sites)['resources'].values()}
        self.assertEqual({'OS::Nova::Server', 'OS::Nova::Flavor',
                          'OS::Neutron::Port', 'OS::Neutron::Net',
                          'OS::Neutron::Subnet'}, types)

    def test_endpoint_keeps_its_own_physical_network(self):
        def own(vnfd):
            vnfd['topology_template']['node_templates']['site_b'][
                'properties']['physical_network'] = 'physnet-b'
        resources = self.translate(own)['resources']
        self.assertEqual('physnet-b', resources['site_b']['properties'][
            'physical_network'])
        self.assertEqual('physnet1', resources['site_a']['properties'][
            'physical_network'])

    def assertRefused(self, change, message):
        self.assertRaisesRegex(sol001.TranslationError, message,
                               self.translate, change)

    def test_refuses_a_third_site(self):
        def third(vnfd):
            nodes = vnfd['topology_template']['node_templates']
            nodes['site_c'] = copy.deepcopy(nodes['site_b'])
        self.assertRefused(third, 'two geo.nodes.Endpoint sites; the '
                                  'template has 3')

    def test_refuses_a_link_without_network_type(self):
        def untyped(vnfd):
            vl = vnfd['topology_template']['node_templates'][
                'replication_vl']
            del vl['properties']['vl_profile']['virtual_link_protocol_data'][
                0]['l2_protocol_data']['network_type']
        self.assertRefused(untyped, 'virtual link replication_vl joins two '
                                    'sites: its L2 protocol data needs a '
                                    'network_type')

    def test_refuses_a_port_the_copies_do_not_share(self):
        def local(vnfd):
            nodes = vnfd['topology_template']['node_templates']
            nodes['local_vl'] = copy.deepcopy(nodes['replication_vl'])
            nodes['CP_local'] = copy.deepcopy(nodes['CP_active'])
            nodes['CP_local']['requirements'][1]['virtual_link'] = 'local_vl'
        self.assertRefused(local, 'connection point CP_local: its virtual '
                                  'link does not join the VDUs of policy '
                                  'pop_anti_affinity')

    def test_types_come_from_the_repository_not_from_urls(self):
        with mock.patch('urllib.request.urlopen',
                        side_effect=AssertionError('a URL was fetched')):
            self.assertIn('pop_anti_affinity', self.translate()['resources'])

    def test_heat_validates_the_translation(self):
        stack = utils.parse_stack(self.translate())
        self.assertIsNone(stack.validate())
