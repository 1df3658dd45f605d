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

"""The Tacker VNF package of tosca/packages/: Tacker's own loader accepts
it and refuses a broken one; its BaseHOT and instantiate request agree."""

import os
import uuid
import zipfile

import fixtures
from oslo_config import cfg
from tacker.common import csar_utils
from tacker.common import exceptions
from tacker import context
from tacker.sol_refactored.common import common_script_utils
from tacker.sol_refactored.common import vnfd_utils
import testtools
import yaml

from geo_heat_sandbox import templates
from geo_heat_sandbox import vnf_package

FLAVOUR = vnf_package.FLAVOUR


class VnfPackageTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        # Tacker extracts every package it loads under this directory.
        self.csar_path = os.path.join(self.tmp, 'csar')
        os.mkdir(self.csar_path)
        cfg.CONF.set_override('vnf_package_csar_path', self.csar_path,
                              'vnf_package')
        self.addCleanup(cfg.CONF.clear_override, 'vnf_package_csar_path',
                        'vnf_package')

    def build(self, source=vnf_package.SOURCE):
        return vnf_package.build(
            os.path.join(self.tmp, uuid.uuid4().hex + '.zip'), source)

    def load(self, path):
        """Tacker's check of an uploaded package; (id, its VNFD data,
        flavours)."""
        package_id = str(uuid.uuid4())
        vnf_data, flavours, _artifacts = csar_utils.load_csar_data(
            context.get_admin_context(), package_id, path)
        return package_id, vnf_data, flavours

    def broken(self, name, old, new):
        """The package with `old` replaced in one of its files (the file
        left out if `new` is None)."""
        path = os.path.join(self.tmp, 'broken.zip')
        with zipfile.ZipFile(self.build()) as good, \
                zipfile.ZipFile(path, 'w') as broken:
            for info in good.infolist():
                data = good.read(info).decode()
                if info.filename == name:
                    self.assertIn(old, data)
                    if new is None:
                        continue
                    data = data.replace(old, new)
                broken.writestr(info, data)
        return path

    def test_tacker_loads_the_package(self):
        _id, vnf_data, flavours = self.load(self.build())
        self.assertEqual('geo-heat', vnf_data['provider'])
        self.assertEqual(['Tacker'], vnf_data['vnfm_info'])
        (flavour,) = flavours
        self.assertEqual(FLAVOUR, flavour['flavour_id'])
        nodes = flavour['tpl_dict']['topology_template']['node_templates']
        instance = nodes['instance']['properties']
        self.assertEqual('cirros-fake', instance['sw_image_data']['name'])

    def test_another_descriptor_id(self):
        descriptor_id = str(uuid.uuid4())
        _id, vnf_data, _flavours = self.load(vnf_package.build(
            os.path.join(self.tmp, 'other.zip'), descriptor_id=descriptor_id))
        self.assertEqual(descriptor_id, vnf_data['descriptor_id'])

    def test_the_zip_is_reproducible(self):
        with open(self.build(), 'rb') as first, \
                open(self.build(), 'rb') as second:
            self.assertEqual(first.read(), second.read())

    def test_the_instance_template_is_nested_in_the_base_hot(self):
        with zipfile.ZipFile(self.build()) as archive, \
                open(templates.INSTANCE, 'rb') as instance:
            self.assertEqual(instance.read(), archive.read(
                'BaseHOT/%s/nested/instance.yaml' % FLAVOUR))

    def test_a_missing_type_file_is_refused(self):
        path = self.broken('Definitions/etsi_nfv_sol001_vnfd_types.yaml',
                           'tosca_definitions_version', None)
        exc = self.assertRaises(exceptions.InvalidCSAR, self.load, path)
        self.assertIn('Import "etsi_nfv_sol001_vnfd_types.yaml" is not '
                      'valid', str(exc))

    def test_an_incomplete_image_is_refused(self):
        path = self.broken(
            'Definitions/georedundant_vnf_df_georedundant.yaml',
            '          container_format: bare\n', '')
        exc = self.assertRaises(exceptions.InvalidCSAR, self.load, path)
        self.assertIn('"tosca.datatypes.nfv.SwImageData" is missing required '
                      'field "[\'container_format\']"', str(exc))

    def test_the_request_gives_every_geo_input_of_the_base_hot(self):
        """Tacker builds the nfv parameter from the BaseHOT's get_param
        paths (each None until the request's additionalParams.nfv fills
        it); the VNFD gives the VDU's image and flavor."""
        package_id, _data, _flavours = self.load(self.build())
        vnfd = vnfd_utils.Vnfd(package_id)
        vnfd.init_from_csar_dir(os.path.join(self.csar_path, package_id))
        hot = vnfd.get_base_hot(FLAVOUR)
        self.assertEqual(['instance.yaml'], list(hot['files']))
        nfv = common_script_utils.init_nfv_dict(hot['template'])
        self.assertEqual(
            {'instance': {'vcImageId': None, 'computeFlavourId': None}},
            nfv['VDU'])
        self.assertEqual('m1.tiny',
                         vnfd.get_compute_flavor(FLAVOUR, 'instance'))
        self.assertEqual({'instance': 'cirros-fake'},
                         vnfd.get_sw_image(FLAVOUR))
        request = vnf_package.instantiate_request(
            {'auth_url': 'http://keystone/v3', 'username': 'u',
             'password': 'p', 'project_name': 'geo-tenant'}, 'RegionOne')
        given = request['additionalParams']['nfv']['GEO']
        self.assertEqual(paths(nfv['GEO']), paths(given))

    def test_the_request_carries_the_vim_credentials(self):
        request = vnf_package.instantiate_request(
            {'auth_url': 'http://keystone/v3', 'username': 'u',
             'password': 'p', 'project_name': 'geo-tenant'}, 'RegionOne',
            link={'technology': 'vlan', 'physical_network': 'physnet1',
                  'segmentation_range': '3200:3209'})
        self.assertEqual(FLAVOUR, request['flavourId'])
        (vim,) = request['vimConnectionInfo'].values()
        self.assertEqual('ETSINFV.OPENSTACK_KEYSTONE.V_3', vim['vimType'])
        self.assertEqual('http://keystone/v3',
                         vim['interfaceInfo']['endpoint'])
        self.assertEqual({'username': 'u', 'password': 'p',
                          'project': 'geo-tenant', 'userDomain': 'Default',
                          'projectDomain': 'Default', 'region': 'RegionOne'},
                         vim['accessInfo'])
        self.assertEqual('3200:3209', request['additionalParams']['nfv'][
            'GEO']['link']['segmentation_range'])
        # The shipped request is untouched.
        with open(vnf_package.INSTANTIATE_REQUEST) as f:
            self.assertIn('"PASSWORD"', f.read())

    def test_the_base_hot_uses_geo_resources(self):
        with open(os.path.join(vnf_package.SOURCE, 'BaseHOT', FLAVOUR,
                               'georedundant-vnf.yaml')) as f:
            hot = yaml.safe_load(f)
        self.assertEqual(
            {'OS::Geo::Endpoint', 'OS::Geo::Interconnect',
             'OS::Geo::RedundantVNF'},
            {r['type'] for r in hot['resources'].values()})
        self.assertEqual({'nfv': {'type': 'json'}}, hot['parameters'])


def paths(tree, prefix=()):
    """Every leaf path of a nested dict."""
    if not isinstance(tree, dict):
        return {prefix}
    return set().union(*(paths(value, prefix + (key,))
                         for key, value in tree.items()))
