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

"""The largest realistic records on MariaDB in strict mode: a VNF with 8
links across RegionOne and cloud B, with CA bundles on both sides, keeps
every value within MySQL's TEXT; more links than its records hold are
refused at validate, never cut by the database (README: what geo-heat
stores)."""

import copy
import datetime
import uuid

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from testtools import content

from tests.functional.production import test_production
from tests.functional import vnf

from geo_heat import resource_data
from geo_heat.vnf import bounds
from geo_heat_sandbox import templates

LINKS = 8
# CA certificates in each side's bundle: a root and intermediates, as
# operators' bundles hold.
CAS_PER_BUNDLE = 4


def ca_bundle(side):
    """A PEM bundle of CAS_PER_BUNDLE self-signed RSA 2048 CA
    certificates."""
    now = datetime.datetime.now(datetime.timezone.utc)
    pems = []
    for index in range(CAS_PER_BUNDLE):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'geo-heat tests'),
            x509.NameAttribute(NameOID.COMMON_NAME,
                               '%s CA %d' % (side, index))])
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=True, path_length=1),
                               critical=True)
                .sign(key, hashes.SHA256()))
        pems.append(cert.public_bytes(serialization.Encoding.PEM).decode())
    return ''.join(pems)


class LargestRecordsTest(test_production.Production,
                         vnf.RedundantVNFTestCase):

    KIND = 'clouds'
    SIDES = {'site_a': ('RegionOne', None), 'site_b': ('cloud-b', None)}

    def template(self, links, name='link', **defaults):
        """The clouds VNF with `links` links (the first one the
        template's) and a CA bundle on each side."""
        defaults.setdefault('segmentation_range', vnf.VLANS[self.KIND])
        template = templates.vnf(self.KIND, **defaults)
        resources = template['resources']
        resources['site_a']['properties']['context'] = {
            'ca_cert': self.bundles['site_a']}
        resources['site_b']['properties']['context'] = {
            'region_name': 'RegionOne', 'cloud': 'cloud-b',
            'ca_cert': self.bundles['site_b']}
        first = resources[self.LINK]
        names = [self.LINK] + ['%s%d' % (name, index)
                               for index in range(1, links)]
        for extra in names[1:]:
            resources[extra] = dict(copy.deepcopy(first), properties=dict(
                first['properties'], name=extra))
        resources['vnf']['properties']['links'] = [
            {'get_resource': extra} for extra in names]
        return template

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bundles = {site: ca_bundle(site) for site in cls.SIDES}

    def stored_values(self, stack):
        """(resource, key, bytes, holds a PEM) of every resource_data row
        of the stack, in RegionOne's Heat."""
        return [(name, key, int(size), held == '1')
                for name, key, size, held in self.query(
                    'heat-r1', "SELECT r.name, d.`key`, LENGTH(d.value), "
                    "d.value LIKE '%%BEGIN CERTIFICATE%%' "
                    'FROM resource_data d JOIN resource r '
                    "ON r.id = d.resource_id WHERE r.stack_id = '%s'"
                    % stack.id)]

    def test_eight_links_across_two_clouds_with_ca_bundles(self):
        template = self.template(LINKS)
        stack = self.create_stack(template)
        self.update(stack, template, active='b')
        out = self.outputs(stack)
        self.assertEqual(('site_b', 'ACTIVE'),
                         (out['active']['endpoint'], out['status']))
        self.assertEqual(LINKS, len(out['active']['link_addresses']))

        values = self.stored_values(stack)
        largest = max(values, key=lambda row: row[2])
        (sites,) = [size for name, key, size, _pem in values
                    if (name, key) == ('vnf', 'sites')]
        self.addDetail('largest resource_data value', content.text_content(
            '%s %s: %d bytes; vnf sites: %d bytes' % (largest[:3] + (
                sites,))))
        self.assertLess(largest[2], resource_data.TEXT_BYTES)
        # What the template's bound says (README: what geo-heat stores).
        links = [link['get_resource'] for link in template['resources'][
            'vnf']['properties']['links']]
        self.assertLessEqual(sites, bounds.largest(
            stack.name, 'vnf', [
                bounds.End('site_a', {'physical_network': 'physnet1'}),
                bounds.End('site_b', {'region_name': 'RegionOne',
                                      'cloud': 'cloud-b',
                                      'physical_network': 'physnet1'})],
            links)['sites'])
        # The bundles are kept apart: the records name them by digest, and
        # each resource keeps each bundle once.
        bundles = {}
        for name, key, _size, holds_pem in values:
            self.assertEqual(key.startswith(resource_data.CA_CERT_KEY),
                             holds_pem, (name, key))
            if holds_pem:
                bundles.setdefault(name, set()).add(key.rpartition(':')[0])
        self.assertEqual(dict({'site_a': 1, 'site_b': 1, 'vnf': 2},
                              **dict.fromkeys(links, 2)),
                         {name: len(digests)
                          for name, digests in bundles.items()})
        self.delete_stack(stack.id)

    def test_more_links_than_the_records_hold_refused_at_validate(self):
        name = 'ft-records-%s-' % uuid.uuid4().hex[:6]
        name += 'x' * (resource_data.NAME_MAX - 3 - len(name))
        exc = self.assertRefused(
            self.template(40, name=name),
            'resources.vnf.properties.links',
            '40 links make the VNF\'s record sites up to ',
            'over the 65535 bytes Heat\'s database keeps in a value (MySQL '
            'TEXT): at most ')
        self.addDetail('refused', content.text_content(str(exc)))
        for side in ('RegionOne', 'cloud-b'):
            self.assertEqual([], [
                n.id for n in self.connection(side).network.networks()
                if n.name.startswith(name[:20])])
