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

import json

import testtools

from geo_heat.vnf import model
from geo_heat.vnf import plan

# A site record as stacks created before the records were a dataclass
# keep it: no fence, digest, released nor offset yet.
STORED = {'site_a': {
    'ref': 'ref-a', 'stack_name': 'vnf-site_a', 'stack_id': 's-1',
    'state': 'running', 'role': 'active', 'outputs': None, 'pending': None,
    'descriptor': {'placement': {'region_name': 'RegionOne'},
                   'ca_cert': None, 'insecure': False,
                   'share_project_id': 'tenant'},
    'ports': [{'link': 'link', 'port_id': 'p-1', 'network_id': 'n-1',
               'address': '10.250.7.1'}]}}


class SiteRecordTest(testtools.TestCase):

    def test_a_record_stored_before_gets_the_defaults(self):
        record = model.load(json.dumps(STORED))['site_a']
        self.assertEqual((False, None, [], 0, {}), (
            record.fence, record.digest, record.released, record.offset,
            record.outputs))
        self.assertEqual([model.Port('link', 'p-1', 'n-1', '10.250.7.1')],
                         record.ports)
        self.assertEqual('site site_a (region RegionOne)',
                         record.where('site_a'))

    def test_the_same_json_shape_round_trip(self):
        records = model.load(json.dumps(STORED))
        dumped = json.loads(model.dump(records))
        self.assertEqual(dict(STORED['site_a'], outputs={}, fence=False,
                              digest=None, released=[], offset=0),
                         dumped['site_a'])
        self.assertEqual(records, model.load(model.dump(records)))

    def test_only_a_string_is_a_server_id(self):
        record = model.SiteRecord(ref='', descriptor={}, stack_name='',
                                  role=plan.ACTIVE)
        self.assertIsNone(record.server_id)
        record.outputs = {'server_id': {'get_resource': 'server'}}
        self.assertIsNone(record.server_id)
        record.outputs = {'server_id': 'server-1'}
        self.assertEqual('server-1', record.server_id)


class KeptOutputsTest(testtools.TestCase):

    def test_only_the_outputs_geo_heat_reads_within_their_bound(self):
        self.assertEqual(
            {'server_id': 'srv-1', 'address': None},
            model.kept_outputs({'server_id': 'srv-1', 'address': 'x' * 300,
                                'console': 'y' * 100000}))
        self.assertEqual({}, model.kept_outputs(None))
