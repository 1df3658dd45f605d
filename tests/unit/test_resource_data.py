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

from cryptography import fernet
import testtools

from geo_heat import definitions
from geo_heat import resource_data
from geo_heat.link import model
from geo_heat.link import tenancy
from geo_heat.vnf import witness
from tests.unit.link import test_tenancy

# The largest CA bundle an endpoint accepts.
LARGEST_BUNDLE = test_tenancy.CA_PEM * (
    tenancy.CA_CERT_MAX_BYTES // len(test_tenancy.CA_PEM))


def descriptor(ca_cert):
    return {'placement': {'region_name': 'RegionTwo'}, 'ca_cert': ca_cert,
            'insecure': False, 'share_project_id': 'p' * 32}


class BundleTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.data = {}
        self.writes = []

    def data_set(self, key, value):
        self.writes.append(key)
        self.data[key] = value

    def test_the_largest_bundle_is_kept_in_pieces_within_text(self):
        self.assertLessEqual(len(LARGEST_BUNDLE.encode()),
                             tenancy.CA_CERT_MAX_BYTES)
        stowed = resource_data.stow(descriptor(LARGEST_BUNDLE), self.data,
                                    self.data_set)
        self.data['site'] = json.dumps(stowed)
        self.assertGreater(len(self.data), 2)
        for value in self.data.values():
            self.assertLessEqual(resource_data.size(value),
                                 resource_data.TEXT_BYTES)
        self.assertNotIn('BEGIN', self.data['site'])
        self.assertEqual(descriptor(LARGEST_BUNDLE), resource_data.unstow(
            json.loads(self.data['site']), self.data))

    def test_a_bundle_is_written_once_per_content(self):
        first = resource_data.stow(descriptor(test_tenancy.CA_PEM),
                                   self.data, self.data_set)
        writes = list(self.writes)
        second = resource_data.stow(descriptor(test_tenancy.CA_PEM),
                                    self.data, self.data_set)
        self.assertEqual(first, second)
        self.assertEqual(writes, self.writes)

    def test_a_piece_missing_is_written_again(self):
        stowed = resource_data.stow(descriptor(LARGEST_BUNDLE), self.data,
                                    self.data_set)
        del self.data[max(self.data)]
        self.assertRaises(ValueError, resource_data.unstow, stowed,
                          self.data)
        resource_data.stow(descriptor(LARGEST_BUNDLE), self.data,
                           self.data_set)
        self.assertEqual(LARGEST_BUNDLE, resource_data.unstow(
            stowed, self.data)['ca_cert'])

    def test_no_bundle_and_a_record_from_before_are_as_they_are(self):
        for stored in (descriptor(None), descriptor(test_tenancy.CA_PEM)):
            self.assertEqual(stored, resource_data.unstow(stored, {}))
        self.assertEqual(descriptor(None), resource_data.stow(
            descriptor(None), self.data, self.data_set))
        self.assertEqual({}, self.data)

    def test_unused_bundles(self):
        kept = resource_data.stow(descriptor(test_tenancy.CA_PEM),
                                  self.data, self.data_set)
        resource_data.stow(descriptor(LARGEST_BUNDLE), self.data,
                           self.data_set)
        self.data['sites'] = '{}'
        unused = resource_data.unused_bundle_keys(self.data, [kept])
        self.assertTrue(unused)
        self.assertNotIn(resource_data.digest_of(test_tenancy.CA_PEM),
                         ' '.join(unused))
        self.assertNotIn('sites', unused)


class BoundTest(testtools.TestCase):

    def test_a_link_or_an_endpoint_record_fits_at_its_largest(self):
        """Every string of the template at NAME_MAX characters JSON
        escapes the most: a link's two sites still fit."""
        placement = dict.fromkeys(
            ('region_name', 'cloud', 'credential_secret_id', 'cell',
             'availability_zone', 'physical_network'), resource_data.WIDEST)
        sites = json.dumps({role: resource_data.largest_descriptor(
            placement) for role in ('local', 'remote')})
        self.assertLess(resource_data.size(sites), resource_data.TEXT_BYTES)

    def test_a_links_spec_fits_at_its_largest(self):
        spec = model.LinkSpec(
            link_id=resource_data.LARGEST_ID, name=resource_data.WIDEST,
            technology=definitions.GENEVE, stack_id=resource_data.LARGEST_ID,
            segmentation_id=2 ** 32 - 1, segmentation_range=(1, 2 ** 32 - 1),
            cidr=resource_data.LARGEST_ADDRESS + '/128', mtu=9216,
            mtu_cap=9216, bgpvpn_type=definitions.BGPVPN_L2,
            route_target_asn=2 ** 32 - 1, route_target_range=(1, 2 ** 32 - 1),
            encryption_algorithm='aes-256', auth_algorithm='sha512',
            pfs='group21', external_network='x' * resource_data.NAME_MAX)
        self.assertLess(resource_data.size(json.dumps(spec.to_dict())),
                        resource_data.TEXT_BYTES / 16)

    def test_clipped_within_its_limit(self):
        text = '\u00e9\U0001F600"x' * 1000
        cut = resource_data.clipped(text)
        self.assertLessEqual(resource_data.escaped(cut),
                             resource_data.REASON_MAX_BYTES)
        self.assertTrue(cut.endswith(' ...'))
        self.assertTrue(text.startswith(cut[:-4]))
        self.assertEqual('short', resource_data.clipped('short'))
        self.assertIsNone(resource_data.clipped(None))

    def test_kept_output(self):
        self.assertEqual('10.0.0.1', resource_data.kept_output('10.0.0.1'))
        self.assertEqual({'a': [1]}, resource_data.kept_output({'a': [1]}))
        self.assertIsNone(resource_data.kept_output('x' * 1000))
        self.assertIsNone(resource_data.kept_output(object()))

    def test_encrypted_size_is_fernets(self):
        key = fernet.Fernet(fernet.Fernet.generate_key())
        for size in (0, 15, 16, 1000, witness.CONFIGURATION_MAX_BYTES):
            self.assertEqual(len(key.encrypt(b'x' * size)),
                             resource_data.encrypted_size(size))
        self.assertLess(resource_data.encrypted_size(
            witness.CONFIGURATION_MAX_BYTES), resource_data.TEXT_BYTES)
