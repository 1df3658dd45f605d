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

"""Resources that signal (Heat's SignalResponder) work in the sandbox's
Heats: a guest signals a wait condition handle from outside Heat, with the
handle's token (TOKEN_SIGNAL, the default) or with the stack user's own
credentials (HEAT_SIGNAL), in cloud A's RegionOne and in cloud B, and the
stack's delete leaves no stack user or project behind in that cloud's
stack user domain."""

import json

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
import requests
import testscenarios

import geo_heat_sandbox as sandbox
from geo_heat_sandbox import layout
from geo_heat_sandbox import topology
from tests.functional import base

load_tests = testscenarios.load_tests_apply_scenarios


def waiting(transport, *attributes):
    """A wait condition (count 1) on a handle of `transport`, the handle's
    `attributes` and the signal's data as outputs."""
    outputs = {name: {'value': {'get_attr': ['handle', name]}}
               for name in attributes}
    outputs['data'] = {'value': {'get_attr': ['wait', 'data']}}
    return {
        'heat_template_version': '2021-04-16',
        'resources': {
            'handle': {'type': 'OS::Heat::WaitConditionHandle',
                       'properties': {'signal_transport': transport}},
            'wait': {'type': 'OS::Heat::WaitCondition',
                     'properties': {'handle': {'get_resource': 'handle'},
                                    'count': 1, 'timeout': 60}},
        },
        'outputs': outputs,
    }


class SignalTest(base.FunctionalTestCase):

    # The side, its cloud and its Heat service.
    scenarios = [
        ('RegionOne', {'side': 'RegionOne', 'cloud': 'a',
                       'service': 'heat-r1'}),
        ('cloud-b', {'side': 'cloud-b', 'cloud': 'b', 'service': 'heat-b'}),
    ]

    def output(self, stack, key):
        """One output, resolved while the stack is still being created
        (None until the handle exists)."""
        return self.heat_of(stack.id).get('/stacks/%s/%s/outputs/%s' % (
            stack.name, stack.id, key)).json()['output'].get('output_value')

    def handle_output(self, stack, key):
        return self.wait_for(lambda: self.output(stack, key),
                             'output %s of the handle' % key)

    def test_guest_signals_with_the_handles_token(self):
        stack = self.start_stack(waiting('TOKEN_SIGNAL', 'endpoint', 'token'),
                                 side=self.side)
        endpoint = self.handle_output(stack, 'endpoint')
        heat_url = layout.Layout(self.state_dir).url(self.service)
        self.assertTrue(endpoint.startswith(heat_url + '/v1/'), endpoint)
        token = self.handle_output(stack, 'token')
        resp = requests.post(
            endpoint, json={'status': 'SUCCESS', 'data': 'booted'},
            headers={'X-Auth-Token': token}, timeout=30)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertSignalled(stack, 'booted')
        self.assertNotLogged(token)

    def test_guest_signals_with_the_stack_users_credentials(self):
        stack = self.start_stack(waiting('HEAT_SIGNAL', 'signal'),
                                 side=self.side)
        signal = json.loads(self.handle_output(stack, 'signal'))
        self.assertEqual(layout.Layout(self.state_dir).auth_url(self.cloud),
                         signal['auth_url'].rstrip('/'))
        guest = ks_session.Session(auth=v3.Password(
            auth_url=signal['auth_url'], user_id=signal['user_id'],
            password=signal['password'], project_id=signal['project_id']))
        resp = guest.post(signal['alarm_url'],
                          json={'status': 'SUCCESS', 'data': 'configured'},
                          raise_exc=False)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertSignalled(stack, 'configured')
        self.assertNotLogged(signal['password'], guest.get_token())

    def assertSignalled(self, stack, data):
        """The stack completes with the signal's data; its delete removes
        the stack user and project it had in the stack user domain."""
        stack = self.wait(stack.id, 'CREATE')
        (value,) = json.loads(self.output(stack, 'data')).values()
        self.assertEqual(data, value)
        self.assertEqual(['project', 'user'], sorted(
            kind for kind, _name in self.stack_domain_objects(stack)))
        self.delete_stack(stack.id)
        self.assertEqual([], self.stack_domain_objects(stack))

    def assertNotLogged(self, *values):
        """What a guest signals with shows in no log of the sandbox."""
        for path in sandbox.logs(self.state_dir):
            with open(path, errors='replace') as log:
                text = log.read()
            self.assertEqual([], [i for i, v in enumerate(values)
                                  if v in text], path)

    def stack_domain_objects(self, stack):
        """The stack's project and users in its cloud's stack user domain,
        read as the cloud's admin: Heat names the project after the owner's
        project and the stack's ID (64 characters at most), the users after
        the stack."""
        identity = self.connection(self.side).identity
        domain = identity.find_domain(topology.STACK_USER_DOMAIN,
                                      ignore_missing=False)
        owner = self.connection(self.side, self.USER).current_project_id
        project_name = ('%s-%s' % (owner, stack.id))[:64]
        found = [('project', p.name)
                 for p in identity.projects(domain_id=domain.id)
                 if p.name == project_name]
        found += [('user', u.name)
                  for u in identity.users(domain_id=domain.id)
                  if u.name.startswith(stack.name + '-')]
        return found
