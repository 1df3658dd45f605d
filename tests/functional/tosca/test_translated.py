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

"""The TOSCA examples through geo-heat-translate, created as the tenant with
the HOT and files `openstack stack create -t` sends: the plain TOSCA VNF
and the SOL001 VNFD each build the link and an instance on both sides,
checked in each region's own Nova and Neutron; nothing is left after
delete."""

import os
import shutil
import tempfile

from heatclient.common import template_utils
import testscenarios

from geo_heat.tosca import cli
from geo_heat_sandbox.services import compute
from geo_heat_sandbox.services import glance
from tests.functional import vnf

load_tests = testscenarios.load_tests_apply_scenarios

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))), 'tosca', 'examples')
# What each example's VNF and link are called; the plain example's link
# draws from VLANs no other test uses, the SOL001 one has a fixed ID.
EXAMPLE_RUNS = [
    ('tosca', {'example': 'georedundant-vnf-regions.yaml', 'vnf': 'vnf',
               'LINK': 'replication_link', 'segmentation_id': None,
               'parameters': ['segmentation_range=3200:3209',
                              'image=%s' % glance.IMAGE_NAME,
                              'flavor=%s' % compute.FLAVOR['name']]}),
    ('sol001', {'example': 'sol001-georedundant-vnfd.yaml',
                'vnf': 'pop_anti_affinity', 'LINK': 'replication_vl',
                'segmentation_id': 3250, 'parameters': []}),
]


class TranslatedExampleTest(vnf.RedundantVNFTestCase):

    scenarios = EXAMPLE_RUNS

    def translate(self):
        """(template, files) as the CLI would send them."""
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        path = os.path.join(work, 'hot.yaml')
        # The regions example's instance template is the repository's.
        argv = [os.path.join(EXAMPLES, self.example), '--output-file', path,
                '--files-root', os.path.join(EXAMPLES, '..', '..')]
        for parameter in self.parameters:
            argv += ['--parameter', parameter]
        cli.main(argv)
        files, template = template_utils.get_template_contents(
            template_file=path)
        return template, files

    def test_builds_both_sides(self):
        template, files = self.translate()
        # Outputs to read what was built; the translation has none.
        template['outputs'] = {
            name: {'value': {'get_attr': [resource, name]}}
            for resource, names in (
                (self.vnf, ('active', 'standby', 'status')),
                (self.LINK, ('segmentation_id', 'cidr', 'mtu',
                             'local_network_id', 'remote_network_id')))
            for name in names}
        stack = self.create_stack(template, files=files)
        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        if self.segmentation_id:
            self.assertEqual(self.segmentation_id, out['segmentation_id'])
        for side, key in (('RegionOne', 'local_network_id'),
                          ('RegionTwo', 'remote_network_id')):
            self.assertHalf(side, out[key], 'vlan', out['segmentation_id'],
                            out['cidr'], out['mtu'], 'physnet1')
        self.assertInstance(out, 'active')
        self.assertInstance(out, 'standby')
        self.assertEqual('site_a', out['active']['endpoint'])
        self.assertEqual('site_b', out['standby']['endpoint'])
