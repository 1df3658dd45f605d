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

from heat.common import exception
from heat.common import template_format
from heat.engine import scheduler
from heat.engine import stack as parser
from heat.engine import template
from heat.tests import utils
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
from oslo_config import cfg

from geo_heat import client
from geo_heat import site_kinds
from tests.unit import base
from tests.unit import fakes
from tests.unit.link import test_tenancy

TEMPLATE = '''
heat_template_version: 2021-04-16
resources:
  site:
    type: OS::Geo::Endpoint
    properties:
      context: {region_name: RegionTwo}
      availability_zone: az-2
      physical_network: physnet1
'''


class EndpointTestBase(base.GeoHeatTestCase):

    def setUp(self):
        super().setUp()
        self.neutron = fakes.FakeNeutron()
        self.connect = self.patchobject(
            client.GeoSiteClientPlugin, 'connect',
            return_value=fakes.FakeConnection(self.neutron))
        self.patchobject(client.GeoSiteClientPlugin, 'resolve',
                         side_effect=lambda p: p)
        self.session = self.patchobject(
            utils.dummy_context().__class__, 'keystone_session')

    def create(self, tmpl=TEMPLATE):
        stack = utils.parse_stack(template_format.parse(tmpl))
        stack.store()
        scheduler.TaskRunner(stack.create)()
        return stack


class EndpointTest(EndpointTestBase):

    def test_create_records_capabilities(self):
        stack = self.create()
        self.assertEqual((stack.CREATE, stack.COMPLETE), stack.state)
        site = stack['site']
        self.assertEqual('RegionTwo', site.FnGetAtt('region_name'))
        self.assertEqual('az-2', site.FnGetAtt('availability_zone'))
        self.assertEqual('physnet1', site.FnGetAtt('physical_network'))
        self.assertIsNone(site.FnGetAtt('cloud'))
        capabilities = site.FnGetAtt('capabilities')
        self.assertIn('vlan', capabilities['technologies'])
        self.assertNotIn('bgpvpn', capabilities['technologies'])
        self.assertTrue(capabilities['mtu_writable'])
        self.assertIn('segment', capabilities['extensions'])
        # A region of the stack's own cloud: shared with the stack's project.
        self.assertEqual(base.PROJECT_ID, site.FnGetAtt('project_id'))
        self.assertEqual('RegionTwo', site.FnGetAtt('show')['region_name'])
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state)

    def test_unreachable_side_is_named(self):
        self.neutron.fail['extensions'] = ks_exc.ConnectFailure('refused')
        stack = self.create()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('endpoint site (region RegionTwo) is unreachable',
                      stack.status_reason)

    def test_check_finds_the_zone_without_enabled_compute_hosts(self):
        stack = self.create()
        self.connect.return_value.compute.disable('az-2')
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn('endpoint site (region RegionTwo) is unavailable: Nova '
                      'has no enabled compute host in availability zone '
                      'az-2', stack.status_reason)

    def test_unknown_region_rejected_at_validate(self):
        self.session.get_endpoint.side_effect = ks_exc.EndpointNotFound()
        stack = utils.parse_stack(template_format.parse(TEMPLATE))
        exc = self.assertRaises(Exception, stack.validate)
        self.assertIn('resources.site.properties.context.region_name',
                      str(exc))
        self.assertIn('RegionTwo', str(exc))
        self.connect.assert_not_called()

    def test_descriptor_holds_no_secret(self):
        tmpl = TEMPLATE.replace(
            '{region_name: RegionTwo}',
            '{credential_secret_id: ref-1, insecure: true}')
        stack = utils.parse_stack(template_format.parse(tmpl))
        descriptor = stack['site'].descriptor()
        self.assertEqual('ref-1',
                         descriptor['placement']['credential_secret_id'])
        self.assertTrue(descriptor['insecure'])
        self.assertNotIn('password', json.dumps(descriptor))

    def test_availability_zone_updates_in_place(self):
        stack = self.create()
        ref = stack['site'].FnGetRefId()
        probes = self.connect.call_count
        updated = parser.Stack(stack.context, stack.name, template.Template(
            template_format.parse(TEMPLATE.replace('az-2', 'az-3'))))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(ref, stack['site'].FnGetRefId())
        self.assertEqual('az-3', stack['site'].FnGetAtt('availability_zone'))
        # A scheduling hint: nothing is asked of the site.
        self.assertEqual(probes, self.connect.call_count)

    def test_links_read_what_the_endpoint_recorded(self):
        """Under convergence a link's worker cannot resolve the endpoint's
        properties computed from other resources; the record holds them."""
        stack = self.create()
        recorded = stack['site'].descriptor()
        self.assertEqual(base.PROJECT_ID, recorded['share_project_id'])
        stack['site'].properties.data['context'] = {
            'region_name': 'not-resolvable-here'}
        self.assertEqual(recorded, stack['site'].descriptor())

    def test_member_refused_without_operator_link_credentials(self):
        stack = utils.parse_stack(template_format.parse(TEMPLATE))
        stack.context.is_admin = False
        stack.validate()  # the operator configured link_cloud
        cfg.CONF.set_override('link_cloud', None, group='geo_heat')
        exc = self.assertRaises(Exception, stack.validate)
        self.assertIn('resources.site.properties.context', str(exc))
        self.assertIn('[geo_heat] link_cloud', str(exc))
        self.connect.assert_not_called()
        stack.context.is_admin = True
        stack.validate()  # an admin may build provider networks itself


class EndpointFailureTest(EndpointTestBase):
    """How a side's failure reads: unreachable, refused, or a bug."""

    def test_a_refusal_is_not_unreachable(self):
        self.neutron.fail['extensions'] = sdk_exc.HttpException(
            'no', http_status=403)
        stack = self.create()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('endpoint site (region RegionTwo) refused',
                      stack.status_reason)
        self.assertNotIn('unreachable', stack.status_reason)

    def test_a_misconfiguration_is_a_refusal_naming_the_endpoint(self):
        self.connect.side_effect = client.Misconfigured(
            '[geo_heat] clouds_file is not configured, so cloud "x" is '
            'unknown')
        stack = self.create()
        self.assertIn('endpoint site (region RegionTwo) refused: '
                      '[geo_heat] clouds_file is not configured',
                      stack.status_reason)

    def test_a_bug_propagates(self):
        self.connect.side_effect = KeyError('cell9')
        stack = self.create()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertTrue(stack['site'].status_reason.startswith('KeyError'),
                        stack['site'].status_reason)

    def test_a_failed_check_does_not_replace_it(self):
        stack = self.create()
        ref = stack['site'].FnGetRefId()
        self.neutron.fail['extensions'] = ks_exc.ConnectFailure('refused')
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.FAILED), stack.state)
        self.assertIn('endpoint site (region RegionTwo) is unreachable',
                      stack['site'].status_reason)
        # The failover's update, with the site still down.
        updated = parser.Stack(stack.context, stack.name, template.Template(
            template_format.parse(TEMPLATE.replace('az-2', 'az-3'))))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(ref, stack['site'].FnGetRefId())

    def test_an_endpoint_never_recorded_is_replaced_after_a_failure(self):
        self.neutron.fail['extensions'] = ks_exc.ConnectFailure('refused')
        stack = self.create()
        self.assertTrue(stack['site'].needs_replace_failed())


LOST = TEMPLATE + '''      lost: true
'''


class EndpointLostTest(EndpointTestBase):
    """A site given up for good."""

    def update(self, stack, tmpl):
        updated = parser.Stack(stack.context, stack.name, template.Template(
            template_format.parse(tmpl)))
        scheduler.TaskRunner(stack.update, updated)()
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)

    def test_lost_updates_in_place_asking_nothing(self):
        stack = self.create()
        ref = stack['site'].FnGetRefId()
        self.assertFalse(stack['site'].is_lost())
        calls = (self.connect.call_count, len(self.neutron.calls))
        self.update(stack, LOST)
        self.assertEqual(ref, stack['site'].FnGetRefId())
        self.assertTrue(stack['site'].is_lost())
        self.assertEqual('RegionTwo', stack['site'].FnGetAtt('region_name'))
        self.assertEqual(calls, (self.connect.call_count,
                                 len(self.neutron.calls)))

    def test_check_of_a_lost_site_asks_nothing(self):
        stack = self.create()
        self.update(stack, LOST)
        self.neutron.fail['extensions'] = ks_exc.ConnectFailure('refused')
        calls = self.connect.call_count
        scheduler.TaskRunner(stack.check)()
        self.assertEqual((stack.CHECK, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(calls, self.connect.call_count)

    def test_a_new_endpoint_cannot_be_lost(self):
        stack = utils.parse_stack(template_format.parse(LOST))
        exc = self.assertRaises(exception.StackValidationFailed,
                                stack.validate)
        self.assertIn('resources.site.properties.lost', str(exc))
        self.assertIn('a new endpoint cannot be lost', str(exc))
        self.connect.assert_not_called()

    def test_an_endpoint_an_update_adds_cannot_be_lost(self):
        stack = self.create()
        tmpl = template_format.parse(LOST)
        tmpl['resources']['site']['properties']['lost'] = False
        tmpl['resources']['other'] = {
            'type': 'OS::Geo::Endpoint',
            'properties': {'context': {'region_name': 'RegionOne'},
                           'lost': True}}
        updated = parser.Stack(stack.context, stack.name,
                               template.Template(tmpl))
        exc = self.assertRaises(exception.StackValidationFailed,
                                updated.validate)
        self.assertIn('resources.other.properties.lost', str(exc))
        # The stack's own endpoint may be given up.
        del tmpl['resources']['other']
        tmpl['resources']['site']['properties']['lost'] = True
        parser.Stack(stack.context, stack.name,
                     template.Template(tmpl)).validate()


class EndpointTenancyTest(EndpointTestBase):
    """What a tenant's endpoint may name: a CA bundle Heat can parse, a
    Barbican credential for a cloud the operator opens to the project."""

    SECRET = 'http://barbican/v1/secrets/%s' % ('1' * 32)

    def stack(self, context):
        tmpl = template_format.parse(TEMPLATE)
        tmpl['resources']['site']['properties']['context'] = context
        return utils.parse_stack(tmpl)

    def test_ca_cert_not_pem_refused_at_validate(self):
        exc = self.assertRaises(
            exception.StackValidationFailed, self.stack(
                {'region_name': 'RegionTwo', 'ca_cert': 'not a PEM'}).validate)
        self.assertIn('resources.site.properties.context.ca_cert: is not a '
                      'PEM bundle of X.509 certificates', str(exc))

    def test_ca_cert_pem_passes(self):
        self.stack({'region_name': 'RegionTwo',
                    'ca_cert': test_tenancy.CA_PEM}).validate()

    def test_secret_of_an_undeclared_cloud_refused_at_validate(self):
        check = self.patchobject(
            site_kinds.BarbicanCredential, 'operator_cloud', autospec=True,
            side_effect=client.AccessDenied(
                'the operator has declared no cloud at http://x/v3'))
        exc = self.assertRaises(
            exception.StackValidationFailed,
            self.stack({'credential_secret_id': self.SECRET}).validate)
        self.assertIn('resources.site.properties.context.'
                      'credential_secret_id: the operator has declared no '
                      'cloud at http://x/v3', str(exc))
        self.assertEqual(self.SECRET, check.call_args[0][0].name)
        self.connect.assert_not_called()

    def test_secret_made_by_the_stack_is_checked_at_create(self):
        check = self.patchobject(site_kinds.BarbicanCredential,
                                 'operator_cloud')
        self.stack({'credential_secret_id': 'credential'}).validate()
        check.assert_not_called()
