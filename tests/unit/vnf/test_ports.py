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

from keystoneauth1 import exceptions as ks_exc
import testtools

from geo_heat.link import model as link_model
from geo_heat.vnf import model
from geo_heat.vnf import plan
from geo_heat.vnf import ports
from tests.unit import fakes

SIDE = link_model.LinkSide(network_id='net-1', subnet_id='sub-1',
                           shared=False)


def port(link, network_id='net-1', address='10.0.0.1'):
    return model.Port(link=link, port_id='port-' + link,
                      network_id=network_id, address=address)


def record(**fields):
    return model.SiteRecord(ref='ref', descriptor={'placement': {
        'region_name': 'RegionTwo'}}, stack_name='vnf-b', role=plan.STANDBY,
        **fields)


class AddressTest(testtools.TestCase):

    def test_the_index_counts_from_the_first_address_of_the_range(self):
        ranges = [('10.250.7.128', '10.250.7.254')]
        self.assertEqual('10.250.7.130', ports.fixed_address(ranges, 2))

    def test_ranges_follow_each_other(self):
        ranges = [('10.250.7.2', '10.250.7.3'), ('10.250.7.10',
                                                 '10.250.7.20')]
        self.assertEqual(['10.250.7.2', '10.250.7.3', '10.250.7.10'],
                         [ports.fixed_address(ranges, i) for i in range(3)])

    def test_address_beyond_the_range(self):
        exc = self.assertRaises(ValueError, ports.fixed_address,
                                [('10.250.7.1', '10.250.7.127')], 127)
        self.assertEqual('address index 127 is beyond the range '
                         '10.250.7.1-10.250.7.127', str(exc))

    def test_sites_sharing_a_network_take_addresses_apart(self):
        shared = link_model.LinkSide('net-1', 'sub-1', True)
        self.assertEqual([2, 3], [ports.address_index(shared, 1, offset)
                                  for offset in (0, 1)])
        self.assertEqual(1, ports.address_index(SIDE, 1, 1))

    def test_a_new_site_takes_an_offset_no_site_holds(self):
        self.assertEqual(0, ports.free_offset({}))
        self.assertEqual(0, ports.free_offset({'b': record(offset=1)}))
        self.assertEqual(1, ports.free_offset({'a': record(offset=0)}))


class SortOutTest(testtools.TestCase):

    def test_a_port_stays_while_its_link_network_does(self):
        held = [port('one'), port('two'), port('three')]
        kept, left = ports.sort_out(held, [
            ('two', SIDE), ('four', SIDE),
            ('three', link_model.LinkSide('net-9', 'sub-9', False))])
        self.assertEqual([held[1], None, None], kept)
        self.assertEqual([held[0], held[2]], left)


class ReleaseTest(testtools.TestCase):

    def test_what_each_site_releases(self):
        records = {
            'a': record(ports=[port('one')], released=[port('old')]),
            'b': record(ports=[port('two')]),
            'c': record(ports=[port('three')], pending='silent'),
            'd': record(ports=[port('four')], stack_id='stack-d'),
        }
        self.assertEqual(
            [('a', [port('old')], False), ('b', [port('two')], True)],
            [(key, released, leaving) for key, _, released, leaving
             in ports.to_release(records, keep={'a'}, lost=set())])

    def test_a_site_given_up_is_named_with_what_stays_there(self):
        records = {'d': record(ports=[port('four')], stack_id='stack-d',
                               pending='silent')}
        ((key, site, released, leaving),) = ports.to_release(
            records, keep=(), lost={'d'})
        self.assertEqual('d (region RegionTwo) was given up; left there: '
                         'instance stack stack-d, port port-four',
                         ports.left_behind(key, site, released))
        self.assertIsNone(ports.left_behind(key, record(), []))

    def test_fence_and_release(self):
        neutron = fakes.FakeNeutron()
        held = [ports.reserve(neutron, 'vnf-a', 'link', SIDE, address,
                              'tenant', 'vnf-1', 'stack-1')
                for address in ('10.0.0.1', '10.0.0.2')]
        ports.set_up(neutron, held, False)
        self.assertEqual([False, False], [
            p.is_admin_state_up for p in neutron.port_records.values()])
        ports.release(neutron, held)
        self.assertEqual({}, neutron.port_records)


class ReserveTest(testtools.TestCase):

    def test_a_retried_create_adopts_its_port(self):
        neutron = fakes.FakeNeutron()
        first = ports.reserve(neutron, 'vnf-a', 'link', SIDE, '10.0.0.1',
                              'tenant', 'vnf-1', 'stack-1')
        again = ports.reserve(neutron, 'vnf-a', 'link', SIDE, '10.0.0.1',
                              'tenant', 'vnf-1', 'stack-1')
        self.assertEqual(model.Port('link', first.port_id, 'net-1',
                                    '10.0.0.1'), first)
        self.assertEqual(first, again)
        port = neutron.port_records[first.port_id]
        self.assertEqual('tenant', port.project_id)
        self.assertEqual(['geo-heat', 'geo-heat-vnf=vnf-1',
                          'geo-heat-stack=stack-1'], port.tags)
        # Tagged by its create request itself.
        self.assertEqual(['ports', 'create_port', 'ports'], neutron.calls)

    def reserve(self, neutron):
        return ports.reserve(neutron, 'vnf-a', 'link', SIDE, '10.0.0.1',
                             'tenant', 'vnf-1', 'stack-1').port_id

    def test_a_create_whose_answer_is_lost_adopts_its_port(self):
        neutron = fakes.FakeNeutron()
        neutron.lose.add('create_port')
        port_id = self.reserve(neutron)
        self.assertEqual([port_id], list(neutron.port_records))
        self.assertEqual(['ports', 'create_port', 'ports'], neutron.calls)

    def test_a_create_that_made_nothing_fails(self):
        neutron = fakes.FakeNeutron()
        neutron.fail['create_port'] = ks_exc.ConnectTimeout('timed out')
        self.assertRaises(ks_exc.ConnectTimeout, self.reserve, neutron)
        self.assertEqual({}, neutron.port_records)

    def test_an_address_another_port_holds_is_refused(self):
        neutron = fakes.FakeNeutron()
        neutron.create_port('net-1', fixed_ips=[
            {'subnet_id': 'sub-1', 'ip_address': '10.0.0.1'}])
        exc = self.assertRaises(Exception, self.reserve, neutron)
        self.assertEqual(409, exc.status_code)
        self.assertEqual(1, len(neutron.port_records))

    def test_tags_a_neutron_dropped_are_set_after(self):
        neutron = fakes.FakeNeutron(extensions=['standard-attr-tag'])
        port = neutron.port_records[self.reserve(neutron)]
        self.assertIn('geo-heat-vnf=vnf-1', port.tags)
        self.assertEqual('set_tags', neutron.calls[-1])
