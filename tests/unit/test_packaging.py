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

"""The plugin's wheel holds the plugin alone, and loads without extras.

heat-engine hosts imports geo-heat through plugin_dirs and entry points;
neither the sandbox (its monkeypatches, its pins) nor the TOSCA tooling may
come along, and nothing in the wheel may pull in or replace Heat.
"""

import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# Importable only through extras or the sandbox distribution.
NOT_AT_RUN_TIME = ('geo_heat_sandbox', 'toscaparser', 'translator')
# The tosca extra's commands (geo-heat-translate, openstack translate geo):
# tooling, never loaded by Heat.
TOSCA_TOOLING = 'geo_heat.tosca'


def entry_point_modules():
    """Modules of the entry points Heat and oslo tools load."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, 'setup.cfg'))
    modules = set()
    for _group, lines in parser.items('entry_points'):
        for line in lines.strip().splitlines():
            target = line.split('=', 1)[1].strip()
            modules.add(target.split(':')[0])
    return sorted(m for m in modules if not m.startswith(TOSCA_TOOLING))


class WheelTest(testtools.TestCase):

    def test_wheel_holds_no_sandbox_and_requires_no_heat(self):
        work = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, work)
        # Built from a copy of the tracked files: setuptools writes build/
        # and egg-info into the tree it builds.
        source, out = os.path.join(work, 'src'), os.path.join(work, 'out')
        tracked = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT,
                                 check=True, capture_output=True,
                                 text=True).stdout.split('\0')
        for name in filter(None, tracked):
            os.makedirs(os.path.dirname(os.path.join(source, name)),
                        exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(source, name))
        subprocess.run(
            [sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps',
             '--no-build-isolation', '--wheel-dir', out, source],
            check=True, capture_output=True, cwd=work,
            env=dict(os.environ, PBR_VERSION='0.0.0'))
        (wheel,) = [f for f in os.listdir(out) if f.endswith('.whl')]
        with zipfile.ZipFile(os.path.join(out, wheel)) as archive:
            names = archive.namelist()
            (metadata,) = [n for n in names if n.endswith('/METADATA')]
            requires = [line.split(':', 1)[1].strip()
                        for line in archive.read(metadata).decode()
                        .splitlines() if line.startswith('Requires-Dist:')]
        packages = {name.split('/')[0] for name in names}
        self.assertNotIn('geo_heat_sandbox', packages)
        self.assertEqual([], [n for n in names
                              if 'sandbox' in n or 'patches' in n])
        run_time = {re.split(r'[ <>=!~;\[]', r)[0].lower()
                    for r in requires if 'extra ==' not in r}
        self.assertEqual(set(), run_time & {
            'openstack-heat', 'tosca-parser', 'heat-translator', 'pyyaml',
            'neutron', 'keystone', 'geo-heat-sandbox'})


class RunTimeImportTest(testtools.TestCase):

    def test_heat_loads_every_module_without_extras(self):
        """What Heat's plugin loader and entry points import, in a fresh
        interpreter where the extras and the sandbox cannot be imported."""
        modules = entry_point_modules() + [
            'geo_heat.heat_plugin.geo_heat_resources']
        script = '''
import importlib, sys
blocked = %r
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in blocked:
            raise ImportError('%%s is not available at run time' %% name)
sys.meta_path.insert(0, Blocker())
for module in %r:
    importlib.import_module(module)
mapping = sys.modules['geo_heat.heat_plugin.geo_heat_resources']
print(sorted(mapping.available_resource_mapping()))
''' % (NOT_AT_RUN_TIME, modules)
        result = subprocess.run([sys.executable, '-c', script],
                                capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn("'OS::Geo::Endpoint'", result.stdout)
        self.assertIn("'OS::Geo::Interconnect'", result.stdout)


class LicenseTest(testtools.TestCase):

    def test_every_python_file_carries_the_apache_header(self):
        files = subprocess.run(
            ['git', 'ls-files', '*.py'], cwd=ROOT, capture_output=True,
            text=True, check=True).stdout.split()
        self.assertNotEqual([], files)
        missing = []
        for path in files:
            with open(os.path.join(ROOT, path)) as source:
                head = source.read(2048)
            if 'Licensed under the Apache License' not in head:
                missing.append(path)
        self.assertEqual([], missing)
