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

import os
import subprocess
import sys

import fixtures
import testtools

from geo_heat import conf
from geo_heat import policy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class ConfTest(testtools.TestCase):

    def test_every_option_is_documented(self):
        for opt in conf.geo_heat_opts:
            self.assertTrue(opt.help, opt.name)

    def test_sample_is_current(self):
        out = self.useFixture(fixtures.TempDir()).join('s')
        subprocess.check_call(
            [sys.executable, '-m', 'oslo_config.generator',
             '--config-file',
             os.path.join(ROOT, 'etc', 'geo-heat-config-generator.conf'),
             '--output-file', out], cwd=ROOT)
        with open(out) as generated, open(os.path.join(
                ROOT, 'etc', 'geo-heat.conf.sample')) as committed:
            self.assertEqual(committed.read(), generated.read(),
                             'regenerate etc/geo-heat.conf.sample with '
                             'oslo-config-generator --config-file '
                             'etc/geo-heat-config-generator.conf')


class PolicyTest(testtools.TestCase):

    def test_policy_file_is_current(self):
        with open(os.path.join(ROOT, 'etc', 'policy.d',
                               'geo-heat.yaml')) as shipped:
            self.assertEqual(policy.as_policy_file(), shipped.read(),
                             'regenerate etc/policy.d/geo-heat.yaml from '
                             'geo_heat.policy.as_policy_file()')

    def test_every_type_has_a_rule(self):
        from geo_heat import resources
        self.assertEqual(
            sorted('resource_types:' + name
                   for name in resources.available_resource_mapping()),
            sorted(rule.name for rule in policy.list_rules()))
