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

"""geo-heat-translate, and openstack translate geo with no cloud at all."""

import io
import os
import shutil
import subprocess
import sys
import tempfile
from unittest import mock

from heat.common import template_format
import testtools

from geo_heat.tosca import cli
from tests.unit.tosca import test_types

EXAMPLES = os.path.join(test_types.TOSCA, 'examples')


class ConsoleScriptTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.work)

    def test_writes_the_output_file(self):
        out = os.path.join(self.work, 'vnf.yaml')
        cli.main([os.path.join(EXAMPLES, 'georedundant-vnf-regions.yaml'),
                  '--output-file', out, '--parameter', 'mode=cold',
                  '--files-root', os.path.join(test_types.TOSCA, '..')])
        with open(out) as f:
            hot = template_format.parse(f.read())
        self.assertEqual('cold', hot['parameters']['mode']['default'])
        self.assertEqual(
            os.path.relpath(os.path.join(test_types.TOSCA, '..', 'templates',
                                         'vnf', 'instance.yaml'), self.work),
            hot['resources']['vnf']['properties']['instance_template'][
                'get_file'])

    def test_standard_output(self):
        with mock.patch('sys.stdout', new_callable=io.StringIO) as stdout:
            cli.main([os.path.join(EXAMPLES, 'georedundant-regions.yaml')])
        hot = template_format.parse(stdout.getvalue())
        self.assertEqual('100:199', hot['resources']['replication_link'][
            'properties']['segmentation_range'])

    def test_a_refused_template_is_one_line_of_error(self):
        path = os.path.join(self.work, 'bad.yaml')
        with open(path, 'w') as f:
            f.write('tosca_definitions_version: tosca_simple_yaml_1_3\n'
                    'topology_template:\n  node_templates:\n'
                    '    site: {type: geo.nodes.Nowhere}\n')
        exc = self.assertRaises(SystemExit, cli.main, [path])
        self.assertIn('geo-heat-translate: ', str(exc))
        self.assertIn('geo.nodes.Nowhere', str(exc))


    def test_get_file_leaving_the_template_directory_is_refused(self):
        exc = self.assertRaises(SystemExit, cli.main, [
            os.path.join(EXAMPLES, 'georedundant-vnf-regions.yaml'),
            '--output-file', os.path.join(self.work, 'vnf.yaml')])
        self.assertIn('get_file path "../../templates/vnf/instance.yaml" '
                      'leaves', str(exc))
        self.assertEqual([], os.listdir(self.work))

    def test_nested_template_name_leaving_the_output_directory(self):
        files = {'vnf.yaml': 'main', '../evil.yaml': 'nested'}
        with mock.patch('geo_heat.tosca.translate.translate',
                        return_value=files):
            exc = self.assertRaises(SystemExit, cli.main, [
                'any.yaml', '--output-file',
                os.path.join(self.work, 'vnf.yaml')])
        self.assertIn('nested template "../evil.yaml"', str(exc))
        self.assertFalse(os.path.exists(os.path.join(self.work, '..',
                                                     'evil.yaml')))


class OpenStackCommandTest(testtools.TestCase):
    """The openstack.translator.v1 entry point, in an environment with no
    OS_* variable and no clouds.yaml anywhere."""

    def openstack(self, *args):
        home = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, home)
        env = {'HOME': home, 'PATH': os.environ.get('PATH', '')}
        return subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'openstack')] +
            list(args), capture_output=True, text=True, env=env,
            cwd=EXAMPLES)

    def test_translates_without_credentials(self):
        result = self.openstack('translate', 'geo',
                                'sol001-georedundant-vnfd.yaml')
        self.assertEqual(0, result.returncode, result.stderr)
        hot = template_format.parse(result.stdout)
        self.assertEqual('OS::Geo::RedundantVNF',
                         hot['resources']['pop_anti_affinity']['type'])
        self.assertEqual(3250, hot['resources']['replication_vl'][
            'properties']['segmentation_id'])
