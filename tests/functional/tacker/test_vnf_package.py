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

"""A georedundant VNF through the sandbox's Tacker, as the tenant.

The package of tosca/packages/ is uploaded, a VNF instance is created and
instantiated through the v2 VNF LCM API with the tenant's credentials as its
VIM (RegionOne); Tacker creates the BaseHOT stack in RegionOne's Heat,
whose OS::Geo resources put an instance in each region. Each side's Nova
and Neutron are checked, then the VNF is terminated and deleted with its
package, and nothing may be left on any side.
"""

import json
import time
import uuid

import fixtures
from keystoneauth1 import adapter
from testtools import content

from tests.functional import vnf

import geo_heat_sandbox as sandbox
from geo_heat_sandbox import vnf_package

# The VLANs of this test's links on physnet1: no other test draws from them.
SEGMENTATION_RANGE = '3200:3299'
# ETSI SOL013: every v2 VNF LCM request names the API version it speaks.
LCM_V2 = {'Version': '2.0.0'}
PACKAGES = '/vnfpkgm/v1/vnf_packages'
INSTANCES = '/vnflcm/v2/vnf_instances'
OPERATIONS = '/vnflcm/v2/vnf_lcm_op_occs'


class TackerVnfPackageTest(vnf.RedundantVNFTestCase):

    TIMEOUT = 300
    POLL = 1.0

    def setUp(self):
        super().setUp()
        tenant = self.connection('RegionOne', 'tenant')
        # openstacksdk has no Tacker proxy: its session, Tacker's endpoint.
        self.tacker = adapter.Adapter(
            session=tenant.session, service_type='nfv-orchestration',
            interface='public', region_name='RegionOne')
        self.tenant_auth = self.cloud_config('tenant').auth

    # -- Tacker's API ---------------------------------------------------

    def onboard(self):
        """Create and upload the package; wait until Tacker accepted it."""
        package_id = self.tacker.post(PACKAGES, json={}).json()['id']
        self.addCleanup(self.delete_package, package_id)
        # A VNFD ID of its own: Tacker onboards one package per VNFD ID.
        path = vnf_package.build(self.useFixture(
            fixtures.TempDir()).join('georedundant-vnf.zip'),
            descriptor_id=str(uuid.uuid4()))
        with open(path, 'rb') as f:
            self.tacker.put(PACKAGES + '/%s/package_content' % package_id,
                            data=f.read(),
                            headers={'Content-Type': 'application/zip'})
        return self.wait_for(
            lambda: self.onboarded(package_id), 'package onboarded')

    def onboarded(self, package_id):
        """The package once onboarded; None while Tacker processes it."""
        package = self.tacker.get(PACKAGES + '/' + package_id).json()
        # Back to CREATED: Tacker refused the upload (its log says why).
        self.assertNotEqual('CREATED', package['onboardingState'])
        return package if package['onboardingState'] == 'ONBOARDED' else None

    def delete_package(self, package_id):
        self.tacker.patch(PACKAGES + '/' + package_id,
                          json={'operationalState': 'DISABLED'},
                          raise_exc=False)
        self.tacker.delete(PACKAGES + '/' + package_id, raise_exc=False)
        self.assertEqual(404, self.tacker.get(PACKAGES + '/' + package_id,
                                              raise_exc=False).status_code)

    def create_instance(self, vnfd_id):
        instance = self.tacker.post(INSTANCES, headers=LCM_V2, json={
            'vnfdId': vnfd_id, 'vnfInstanceName': self.id()[-60:]}).json()
        self.addCleanup(self.delete_instance, instance['id'])
        return instance

    def delete_instance(self, instance_id):
        path = INSTANCES + '/' + instance_id
        instance = self.tacker.get(path, headers=LCM_V2, raise_exc=False)
        if instance.status_code == 404:
            return
        if instance.json()['instantiationState'] == 'INSTANTIATED':
            self.lcm(instance_id, 'terminate',
                     {'terminationType': 'FORCEFUL'})
        self.tacker.delete(path, headers=LCM_V2)
        self.assertEqual(404, self.tacker.get(path, headers=LCM_V2,
                                              raise_exc=False).status_code)

    def lcm(self, instance_id, operation, request):
        """Run a VNF LCM operation; wait until it is COMPLETED."""
        response = self.tacker.post(
            INSTANCES + '/%s/%s' % (instance_id, operation), headers=LCM_V2,
            json=request)
        operation_id = response.headers['Location'].rsplit('/', 1)[-1]

        def done():
            occurrence = self.tacker.get(OPERATIONS + '/' + operation_id,
                                         headers=LCM_V2).json()
            state = occurrence['operationState']
            return occurrence if state in ('COMPLETED', 'FAILED_TEMP',
                                           'FAILED', 'ROLLED_BACK') else None

        occurrence = self.wait_for(done, '%s over' % operation)
        self.assertEqual('COMPLETED', occurrence['operationState'],
                         json.dumps(occurrence.get('error')))
        return occurrence

    # -- the test -----------------------------------------------------------

    def test_instantiate_terminate_delete(self):
        package = self.onboard()
        self.assertEqual('ENABLED', package['operationalState'])
        instance = self.create_instance(package['vnfdId'])
        request = vnf_package.instantiate_request(
            self.tenant_auth, 'RegionOne', link={
                'technology': 'vlan', 'physical_network': 'physnet1',
                'segmentation_range': SEGMENTATION_RANGE})
        started = time.monotonic()
        occurrence = self.lcm(instance['id'], 'instantiate', request)
        instantiated = time.monotonic() - started
        self.assertNotIn(self.tenant_auth['password'], json.dumps(occurrence))

        shown = self.tacker.get(INSTANCES + '/' + instance['id'],
                                headers=LCM_V2).json()
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        self.assertNotIn(self.tenant_auth['password'], json.dumps(shown))
        stack_id = shown['instantiatedVnfInfo']['metadata']['stack_id']
        stack = self.heat.get_stack(stack_id)
        self.stack_names[stack.id] = stack.name
        self.assertEqual('CREATE_COMPLETE', stack.status)

        out = self.outputs(stack)
        self.assertEqual('ACTIVE', out['status'])
        low, high = map(int, SEGMENTATION_RANGE.split(':'))
        self.assertTrue(low <= out['segmentation_id'] <= high, out)
        servers = {}
        for role in ('active', 'standby'):
            site, server = self.assertInstance(out, role)
            self.assertEqual('warm', server.metadata['mode'])
            servers[self.SIDES[site['endpoint']][0]] = server.id
        self.assertEqual({'RegionOne', 'RegionTwo'}, set(servers))
        self.addDetail('instantiate-seconds',
                       content.text_content('%.1f' % instantiated))

        self.lcm(instance['id'], 'terminate', {'terminationType': 'FORCEFUL'})
        self.assertEqual([], list(self.heat.stacks(name=stack.name)))
        self.assertNothingLeft(stack.id)
        # Heat shortens the servers' names: by ID too.
        for side, server_id in servers.items():
            self.assertIsNone(
                self.connection(side).compute.find_server(server_id))
        self.assertNotIn(self.tenant_auth['password'], _read(
            sandbox.status(self.state_dir)['services']['tacker']['log']))


def _read(path):
    with open(path) as f:
        return f.read()

