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

"""R4: no password, token, credential or pre-shared key shows anywhere Heat
or a log shows.

A link to cloud B is built with credentials that exist only in a Barbican
secret (a user made for the test), another through the operator's named cloud,
an IPsec link to cloud B whose key is rotated, and cloud B's Keystone and
Neutron go away (Neutron cut for the test's requests: unanswered, as if
stopped) while they are checked, so the error paths run too. Then everything
Heat returns about the stacks and every log of the sandbox are searched for the
sandbox's passwords, that credential, the tokens of the test's sessions and
both keys of the IPsec link (read from each side's Neutron). Run last (as
tools/resilience.sh does), the log search covers every other scenario too.
"""

import json
import secrets
import uuid

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

import geo_heat_sandbox as sandbox
from tests.functional import base


class SecretsTest(base.FunctionalTestCase):

    def make_cloud_b_user(self):
        """A member of the tenant's project in cloud B whose password only
        the secret holds."""
        identity = self.connection('cloud-b').identity
        password = secrets.token_urlsafe(24)
        user = identity.create_user(name='ft-r4-%s' % uuid.uuid4().hex[:6],
                                    password=password, domain_id='default')
        self.addCleanup(identity.delete_user, user)
        project = identity.find_project('geo-tenant', ignore_missing=False)
        role = identity.find_role('member', ignore_missing=False)
        identity.assign_project_role_to_user(project, user, role)
        auth = dict(self.cloud_config('tenant-b').config['auth'],
                    username=user.name, password=password)
        return auth

    def store_credential(self, auth):
        barbican = self.connection('RegionOne', 'tenant').key_manager
        secret = barbican.create_secret(
            name='ft-r4', payload=json.dumps({'auth_type': 'password',
                                              'auth': auth}),
            payload_content_type='text/plain', secret_type='opaque')
        self.addCleanup(barbican.delete_secret, secret)
        return secret.secret_ref

    def check_while_cut(self, stack, service):
        """A check fails while a service of cloud B is gone for the
        test's requests (cut: unanswered, as if stopped), then passes."""
        self.cut_site('cloud-b', services=(service,))
        self.action(stack, 'check', expect='FAILED')
        self.restore_site()
        self.action(stack, 'check')

    def check_while_down(self, stack, service):
        """The same with the service stopped: alone, for a Keystone, which
        the other services of its cloud ask to validate each token (with
        no request ID a cut could tell)."""
        self.alone()
        self.stop_service(service)
        self.action(stack, 'check', expect='FAILED')
        self.start_service(service)
        self.together()
        self.action(stack, 'check')

    def ipsec_keys(self, stack):
        """The key of the link's site connection on each side: one."""
        network_id = self.resource(stack, 'link').physical_resource_id
        description = self.connection('RegionOne').network.get_network(
            network_id).description
        keys = {connection.psk for side in ('RegionOne', 'cloud-b')
                for connection in self.connection(side).network
                .vpn_ipsec_site_connections(description=description)}
        self.assertEqual(1, len(keys))
        return list(keys)

    def shown(self, stack):
        """Everything Heat returns about a stack, as text."""
        parts = [self.heat.get_stack(stack.id).to_dict()]
        parts += [e.to_dict() for e in self.heat.stack_events(stack)]
        for rsrc in self.heat.resources(stack):
            shown = self.heat.get(
                '/stacks/%s/%s/resources/%s' % (stack.name, stack.id,
                                                rsrc.name),
                params={'with_attr': ['show', 'status', 'capabilities',
                                      'project_id', 'technology']})
            parts.append(shown.json())
        return json.dumps(parts, default=str)

    def test_nothing_secret_is_shown_or_logged(self):
        auth = self.make_cloud_b_user()
        by_secret = self.create_stack(base.two_sites(
            {'credential_secret_id': self.store_credential(auth),
             'region_name': 'RegionOne'}, 'vlan', '180:184'))
        by_name = self.create_stack(base.two_sites(
            {'cloud': 'cloud-b'}, 'vlan', '185:189'))
        ipsec_template = base.two_sites({'cloud': 'cloud-b'}, 'ipsec')
        by_ipsec = self.create_stack(ipsec_template)
        psks = self.ipsec_keys(by_ipsec)
        ipsec_template['resources']['link']['properties'][
            'psk_rotation'] = 1
        self.heat.update_stack(by_ipsec, template=ipsec_template)
        self.wait(by_ipsec.id, 'UPDATE')
        psks += self.ipsec_keys(by_ipsec)
        self.assertEqual(2, len(set(psks)))
        self.check_while_cut(by_secret, 'neutron-b')
        self.check_while_cut(by_name, 'neutron-b')
        self.check_while_cut(by_ipsec, 'neutron-b')
        self.check_while_down(by_secret, 'keystone-b')

        needles = {'sandbox secret %s' % name: value for name, value
                   in sandbox.secrets(self.state_dir).items()}
        needles['password in the Barbican secret'] = auth['password']
        for index, psk in enumerate(psks):
            needles['IPsec pre-shared key %d' % index] = psk
        needles['token of the secret\'s user'] = ks_session.Session(
            auth=v3.Password(**auth)).get_token()
        for side in base.SIDES:
            for user in ('admin', 'tenant'):
                needles['token of the %s on %s' % (user, side)] = (
                    self.connection(side, user).session.get_token())

        places = {'Heat on stack %s' % s.name: self.shown(s)
                  for s in (by_secret, by_name, by_ipsec)}
        for path in sandbox.logs(self.state_dir):
            with open(path, errors='replace') as log:
                places[path] = log.read()
        self.assertNotEqual([], sandbox.logs(self.state_dir))
        # The scan finds what it looks for where it belongs.
        with open(sandbox.clouds_yaml(self.state_dir)) as clouds:
            self.assertIn(needles['sandbox secret admin_b'], clouds.read())
        hits = [(what, where) for what, value in needles.items()
                for where, text in places.items() if value in text]
        self.assertEqual([], hits)
