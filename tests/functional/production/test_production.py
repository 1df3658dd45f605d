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

"""The production profile (``geo-heat-sandbox up --profile production``):
each Heat with two engine workers over RabbitMQ on MariaDB in strict SQL
mode. They run on a sandbox of that profile (``Production``), which the
README's test command brings up beside the embedded one; skipped where
there is none.
"""

import datetime
import os
import re
import subprocess
import unittest

from testtools import content

from tests.functional import base
from tests.functional import vnf

import geo_heat_sandbox as sandbox
from geo_heat_sandbox import layout
from geo_heat_sandbox import profiles
from geo_heat_sandbox.services import mariadb

# A sandbox of the production profile beside the tests' own sandbox.
# MySQL's TEXT: Heat's resource_data.value.
TEXT_BYTES = 65535
# "<date> <time> <pid> INFO heat.engine.resource [...] creating <type>"
CREATING = re.compile(r'^\S+ \S+ (\d+) INFO heat\.engine\.resource .* '
                      r'creating ')


def started_at(pid):
    """When a process started, as a naive UTC datetime (as Heat's rows)."""
    with open('/proc/%d/stat' % pid) as f:
        ticks = int(f.read().rsplit(')', 1)[1].split()[19])
    with open('/proc/stat') as f:
        boot = next(int(line.split()[1]) for line in f
                    if line.startswith('btime '))
    return datetime.datetime.fromtimestamp(
        boot + ticks / os.sysconf('SC_CLK_TCK'),
        datetime.timezone.utc).replace(tzinfo=None)


class Production:
    """Runs only on a sandbox of the production profile: the tests'
    sandbox if it runs that profile, else the one named by
    $GEO_HEAT_PRODUCTION_SANDBOX_DIR (tools/test.sh names one and brings
    it up before the tests), which the first of them brings up if it is
    not."""

    @classmethod
    def up_sandbox(cls):
        main = layout.Layout(sandbox.state_dir())
        if main.profile == profiles.PRODUCTION:
            return super().up_sandbox()
        state_dir = base.production_sandbox(cls.__module__ + '.' +
                                            cls.__name__)
        if state_dir is None:
            raise unittest.SkipTest(
                'the sandbox runs the %s profile and %s is not set: these '
                'tests need two Heat engines over RabbitMQ on MariaDB'
                % (main.profile, base.ENV_PRODUCTION_DIR))
        return state_dir

    def query(self, heat, sql):
        """Rows (tuples of strings) of a query on a Heat's database."""
        lay = layout.Layout(self.state_dir)
        out = subprocess.run(
            ['mariadb', '-S', mariadb.socket(lay), '-uroot', '-N', '-B',
             mariadb.database_name(heat), '-e', sql],
            check=True, capture_output=True, text=True).stdout
        return [tuple(line.split('\t')) for line in out.splitlines()]

    def log_offsets(self):
        return {name: os.path.getsize(sandbox.status(self.state_dir)[
            'services'][name]['log']) for name in ('heat-r1', 'heat-r2')}

    def creating_pids(self, offsets):
        """PIDs of the engine workers that created a resource since."""
        pids = set()
        for name, offset in offsets.items():
            with open(sandbox.status(self.state_dir)['services'][name]['log'],
                      errors='replace') as log:
                log.seek(offset)
                pids.update(match.group(1) for match in map(
                    CREATING.match, log) if match)
        return pids


class ProductionShapeTest(Production, base.FunctionalTestCase):

    def test_each_heat_two_engines_on_strict_mariadb(self):
        info = sandbox.status(self.state_dir)
        for heat in ('heat-r1', 'heat-r2', 'heat-b'):
            self.assertTrue(info['extras'][heat + '-engine-2']['running'])
            # Rows of engines of former starts (a restart, an engine
            # killed) stay until Heat cleans them up: those of this start
            # were created since its process started (to the second).
            started = started_at(info['services'][heat]['pid'])
            self.assertEqual(2, len(self.query(
                heat, "SELECT id FROM service WHERE topic = 'engine' AND "
                      "deleted_at IS NULL AND created_at >= '%s'" % (
                          started - datetime.timedelta(seconds=1)).strftime(
                              '%Y-%m-%d %H:%M:%S'))))
            (mode,), = self.query(heat, 'SELECT @@SESSION.sql_mode')
            self.assertIn('STRICT_TRANS_TABLES', mode)


class ProductionVNFTest(Production, vnf.RedundantVNFTestCase):
    """The VNF's lifecycle when its resources spread over two engines;
    what geo-heat stores per resource fits MySQL's TEXT."""

    def test_lifecycle_over_two_engines(self):
        offsets = self.log_offsets()
        self.lifecycle('hot')
        pids = self.creating_pids(offsets)
        self.assertGreaterEqual(len(pids), 2, pids)

    def test_records_fit_text_columns(self):
        stack, template = self.deploy(mode='hot')
        self.update(stack, template, active='b')
        sizes = self.query('heat-r1', 'SELECT r.name, d.`key`, '
                                      'LENGTH(d.value) FROM resource_data d '
                                      'JOIN resource r ON r.id = '
                                      'd.resource_id')
        self.assertTrue(sizes)
        largest = max(int(size) for _, _, size in sizes)
        self.addDetail('largest resource_data value (bytes)',
                       content.text_content(str(largest)))
        self.assertLess(largest, TEXT_BYTES)
