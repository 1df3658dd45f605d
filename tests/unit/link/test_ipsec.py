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

import testtools

from geo_heat.link import errors
from geo_heat.link import ipsec
from geo_heat.link import model
from geo_heat.link import site
from tests.unit import fakes
from tests.unit.link import test_provider

build = test_provider.build
PSK = 'not-a-real-key'


def two_clouds(psk=PSK, external=True):
    local, remote = fakes.FakeNeutron(), fakes.FakeNeutron()
    if external:
        for neutron in (local, remote):
            neutron.create_external_network('public')
    link = ipsec.IpsecLink(
        model.LinkSpec(link_id='link-1', name='l1', stack_id='stack-1',
                       technology='ipsec', encryption_algorithm='aes-256',
                       auth_algorithm='sha256', pfs='group14',
                       external_network='public'),
        test_provider.make_site(site.LOCAL, local, 'RegionOne'),
        test_provider.make_site(site.REMOTE, remote, 'RegionTwo'),
        psk=psk)
    return link, local, remote


def connection(neutron):
    (conn,) = neutron.service_records['vpn_ipsec_site_connection'].values()
    return conn


class IpsecLinkTest(testtools.TestCase):

    def test_connections_both_ways_with_one_key(self):
        link, local, remote = two_clouds()
        state = build(link)
        gateways = {role: state.services[role]['gateway_ip']
                    for role in ('local', 'remote')}
        self.assertEqual(gateways['remote'], connection(local).peer_address)
        self.assertEqual(gateways['local'], connection(remote).peer_address)
        self.assertEqual(PSK, connection(local).psk)
        self.assertEqual(PSK, connection(remote).psk)
        # Each side's endpoint groups: its own subnet, the other's CIDR.
        groups = {g.type: g.endpoints for g in
                  local.service_records['vpn_endpoint_group'].values()}
        self.assertEqual({'subnet': [state.local_subnet_id],
                          'cidr': [state.remote_cidr]}, groups)
        (policy,) = local.service_records['vpn_ike_policy'].values()
        self.assertEqual(('aes-256', 'sha256', 'group14'),
                         (policy.encryption_algorithm, policy.auth_algorithm,
                          policy.pfs))
        self.assertEqual([], link.check(state))
        self.assertEqual('ACTIVE', link.status(state))

    def test_the_key_is_in_no_state_show_or_repr(self):
        link, _local, _remote = two_clouds()
        state = build(link)
        for text in (str(state.to_dict()), str(link.show(state)),
                     repr(link), str(link.spec.to_dict())):
            self.assertNotIn(PSK, text)

    def test_rotation_updates_both_connections_in_place(self):
        link, local, remote = two_clouds()
        state = build(link)
        ids = {connection(n).id for n in (local, remote)}
        link.update(state, psk='another-key')
        self.assertEqual({'another-key'},
                         {connection(n).psk for n in (local, remote)})
        self.assertEqual(ids, {connection(n).id for n in (local, remote)})
        self.assertEqual([], link.check(state))

    def test_check_and_status_name_a_bad_connection_never_the_key(self):
        link, local, remote = two_clouds()
        state = build(link)
        connection(remote).psk = 'changed-by-hand'
        connection(local).status = 'DOWN'
        problems = link.check(state)
        self.assertEqual(['remote side (region RegionTwo): IPsec site '
                          'connection %s has another pre-shared key'
                          % connection(remote).id], problems)
        status = link.status(state)
        self.assertIn('local side (region RegionOne): IPsec site connection '
                      'is DOWN', status)
        self.assertNotIn('changed-by-hand', status)
        self.assertRaises(errors.LinkError, link.is_active, state)

    def test_delete_leaves_nothing_on_either_side(self):
        link, local, remote = two_clouds()
        build(link)
        link.delete()
        for neutron in (local, remote):
            self.assertEqual([('network', neutron.find_network('public').id)],
                             [('network', n) for n in neutron.network_records])
            self.assertEqual([], [k for k in neutron.leftovers()])

    def test_no_external_network_names_the_side_and_option(self):
        link, _local, _remote = two_clouds(external=False)
        exc = self.assertRaises(errors.LinkError, build, link)
        self.assertIn('local side (region RegionOne): no external network '
                      'public', str(exc))
        self.assertIn('ipsec_external_network', str(exc))
