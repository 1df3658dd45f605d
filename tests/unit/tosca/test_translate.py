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

"""Every geo type through heat-translator: exact values, and a template
Heat accepts."""

import os
import shutil
import tempfile

from heat.common import template_format
from heat.tests import utils
from toscaparser import tosca_template
from translator.hot import tosca_translator
from translator.hot import translate_node_templates
import yaml

from geo_heat.tosca import sol001
from geo_heat.tosca import translate
from tests.unit.resources import test_redundant_vnf
from tests.unit.tosca import test_types

TYPES_FILE = os.path.join(test_types.TOSCA, 'geo_heat_types.yaml')

# Strings YAML 1.1 reads as something else when unquoted: a sexagesimal
# integer, a timestamp, booleans, an octal integer, a float, null.
TRICKY = {'range': '10:50', 'zone': '2020-01-01', 'yes': 'yes', 'on': 'on',
          'octal': '010', 'float': '1.5', 'null': 'null'}


def service_template(instance_path):
    """Every geo type, with values YAML 1.1 reads wrongly unquoted."""
    return {
        'tosca_definitions_version': 'tosca_simple_yaml_1_3',
        'imports': [TYPES_FILE],
        'topology_template': {
            'inputs': {'range': {'type': 'string',
                                 'default': TRICKY['range']}},
            'node_templates': {
                'site_a': {'type': 'geo.nodes.Endpoint', 'properties': {
                    'context': {'region_name': 'RegionOne'},
                    'availability_zone': TRICKY['zone']}},
                'site_b': {'type': 'geo.nodes.Endpoint', 'properties': {
                    'context': {'region_name': 'RegionTwo',
                                'insecure': True},
                    'physical_network': TRICKY['yes']}},
                'link': {
                    'type': 'geo.nodes.Interconnect',
                    'properties': {
                        'technology': 'vxlan', 'name': TRICKY['on'],
                        'segmentation_range': {'get_input': 'range'},
                        'cidr': '10.0.0.0/24', 'mtu': 1400},
                    'requirements': [{'local_endpoint': 'site_a'},
                                     {'remote_endpoint': 'site_b'}]},
            },
            'policies': [{'vnf': {
                'type': 'geo.policies.RedundantVNF',
                'properties': {
                    'active_endpoint': 'site_a',
                    'standby_endpoint': 'site_b',
                    'links': ['link'],
                    'instance_template': instance_path,
                    'mode': 'cold', 'purge_policy': 'suspend',
                    'configuration': "key: 'quoted'\nrange: 10:50\n",
                    'image': TRICKY['octal'], 'flavor': TRICKY['float'],
                    'site_images': {'site_b': TRICKY['null']},
                    'parameters': {'tier': TRICKY['range']},
                    'address_index': 2,
                }}}],
        },
    }


EXPECTED = {
    'site_a': {'type': 'OS::Geo::Endpoint', 'properties': {
        'context': {'region_name': 'RegionOne'},
        'availability_zone': '2020-01-01'}},
    'site_b': {'type': 'OS::Geo::Endpoint', 'properties': {
        'context': {'region_name': 'RegionTwo', 'insecure': True},
        'physical_network': 'yes'}},
    'link': {'type': 'OS::Geo::Interconnect', 'properties': {
        'technology': 'vxlan', 'name': 'on',
        'segmentation_range': {'get_param': 'range'},
        'cidr': '10.0.0.0/24', 'mtu': 1400,
        'local_endpoint': {'get_resource': 'site_a'},
        'remote_endpoint': {'get_resource': 'site_b'}}},
    'vnf': {'type': 'OS::Geo::RedundantVNF', 'properties': {
        'active_endpoint': {'get_resource': 'site_a'},
        'standby_endpoint': {'get_resource': 'site_b'},
        'links': [{'get_resource': 'link'}],
        'instance_template': {'get_file': '../tosca/vnf/instance.yaml'},
        'mode': 'cold', 'purge_policy': 'suspend',
        'configuration': "key: 'quoted'\nrange: 10:50\n",
        'image': '010', 'flavor': '1.5',
        'site_images': {'site_b': 'null'},
        'parameters': {'tier': '10:50'},
        'address_index': 2}},
}


class TranslateTest(test_redundant_vnf.RedundantVNFTestBase):

    def setUp(self):
        super().setUp()
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        self.addCleanup(self._restore_type_map,
                        dict(translate_node_templates.TOSCA_TO_HOT_TYPE))
        # The TOSCA template in work/tosca, its instance template in
        # work/tosca/vnf, the HOT output in work/hot.
        for directory in ('tosca/vnf', 'hot'):
            os.makedirs(os.path.join(work, directory))
        self.instance = os.path.join(work, 'tosca', 'vnf', 'instance.yaml')
        with open(self.instance, 'w') as f:
            f.write(test_redundant_vnf.INSTANCE)
        self.path = os.path.join(work, 'tosca', 'vnf.yaml')
        with open(self.path, 'w') as f:
            yaml.safe_dump(service_template('vnf/instance.yaml'), f)
        self.output = os.path.join(work, 'hot', 'vnf.yaml')

    @staticmethod
    def _restore_type_map(saved):
        translate_node_templates.TOSCA_TO_HOT_TYPE.clear()
        translate_node_templates.TOSCA_TO_HOT_TYPE.update(saved)

    def translate(self):
        (text,) = translate.translate(self.path, self.output).values()
        return text

    def test_every_geo_type_with_exact_values(self):
        hot = template_format.parse(self.translate())
        self.assertEqual(EXPECTED, hot['resources'])
        self.assertEqual({'range': {'type': 'string', 'default': '10:50'}},
                         hot['parameters'])

    def test_heat_validates_the_translation(self):
        hot = template_format.parse(self.translate())
        stack = utils.parse_stack(hot, files={
            '../tosca/vnf/instance.yaml': test_redundant_vnf.INSTANCE})
        self.assertIsNone(stack.validate())

    def upstream_translation(self):
        tosca = tosca_template.ToscaTemplate(self.path, {}, True)
        return tosca_translator.TOSCATranslator(tosca, {}).translate()

    def test_heat_translator_writer_alone_would_read_650(self):
        """The trap the exact output avoids; upstream's text of this
        template does not even parse (the configuration's quotes go)."""
        translate.register()
        self.assertRaisesRegex(ValueError, 'Error parsing template',
                               template_format.parse,
                               self.upstream_translation())
        tmpl = service_template('vnf/instance.yaml')
        del tmpl['topology_template']['policies'][0]['vnf']['properties'][
            'configuration']
        with open(self.path, 'w') as f:
            yaml.safe_dump(tmpl, f)
        hot = template_format.parse(self.upstream_translation())
        self.assertEqual(650, hot['parameters']['range']['default'])
        self.assertEqual(650, hot['resources']['vnf']['properties'][
            'parameters']['tier'])
        self.assertIs(True, hot['resources']['link']['properties']['name'])

    def test_without_registration_heat_translator_refuses_geo_types(self):
        tosca = tosca_template.ToscaTemplate(self.path, {}, True)
        for toscatype in ('geo.nodes.Endpoint', 'geo.nodes.Interconnect',
                          'geo.policies.RedundantVNF'):
            translate_node_templates.TOSCA_TO_HOT_TYPE.pop(toscatype, None)
        self.assertRaisesRegex(
            Exception, 'Type "geo.nodes.[A-Za-z]+" is valid TOSCA type but '
            'translation support is not yet available',
            tosca_translator.TOSCATranslator(tosca, {}).translate)

    def test_get_file_follows_the_output(self):
        self.output = os.path.join(os.path.dirname(self.path), 'out.yaml')
        hot = template_format.parse(self.translate())
        self.assertEqual(
            {'get_file': 'vnf/instance.yaml'},
            hot['resources']['vnf']['properties']['instance_template'])

    def test_get_file_outside_the_template_directory_is_refused(self):
        for path, says in (
                ('../../../../etc/passwd', 'leaves'),
                ('vnf/../../hot/vnf.yaml', 'leaves'),
                ('/etc/passwd', 'not relative'),
                ('file:///etc/passwd', 'not relative')):
            with open(self.path, 'w') as f:
                yaml.safe_dump(service_template(path), f)
            exc = self.assertRaises(sol001.TranslationError, self.translate)
            self.assertIn('get_file path "%s"' % path, str(exc))
            self.assertIn(says, str(exc))

    def test_get_file_through_a_link_out_of_the_directory(self):
        os.symlink('/etc', os.path.join(os.path.dirname(self.path), 'etc'))
        with open(self.path, 'w') as f:
            yaml.safe_dump(service_template('etc/passwd'), f)
        self.assertRaisesRegex(sol001.TranslationError,
                               'get_file path "etc/passwd" leaves',
                               self.translate)

    def test_files_root_admits_a_wider_directory(self):
        with open(self.path, 'w') as f:
            yaml.safe_dump(service_template('../tosca/vnf/instance.yaml'), f)
        (text,) = translate.translate(
            self.path, self.output,
            files_root=os.path.dirname(os.path.dirname(self.path))).values()
        self.assertEqual(
            {'get_file': '../tosca/vnf/instance.yaml'},
            template_format.parse(text)['resources']['vnf']['properties'][
                'instance_template'])

    def test_no_depends_on_beside_get_resource(self):
        hot = template_format.parse(self.translate())
        self.assertEqual([], [name for name, rsrc in hot['resources'].items()
                              if 'depends_on' in rsrc])

    def test_stitched_link_properties(self):
        """An ipsec link's policies and key rotation, and a bgpvpn link's
        type, come out as the Interconnect's."""
        tmpl = service_template('vnf/instance.yaml')
        nodes = tmpl['topology_template']['node_templates']
        nodes['link']['properties'] = {
            'technology': 'ipsec', 'psk_rotation': 2,
            'ipsec': {'encryption_algorithm': 'aes-256', 'pfs': 'group14'}}
        nodes['l3'] = dict(nodes['link'], properties={
            'technology': 'bgpvpn', 'bgpvpn_type': 'l3'})
        with open(self.path, 'w') as f:
            yaml.safe_dump(tmpl, f)
        resources = template_format.parse(self.translate())['resources']
        self.assertEqual(
            {'technology': 'ipsec', 'psk_rotation': 2,
             'ipsec': {'encryption_algorithm': 'aes-256', 'pfs': 'group14'},
             'local_endpoint': {'get_resource': 'site_a'},
             'remote_endpoint': {'get_resource': 'site_b'}},
            resources['link']['properties'])
        self.assertEqual('l3', resources['l3']['properties']['bgpvpn_type'])
