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

"""A site's Heat for a VNF's instance stacks, and the Nova of their
servers, shaped like openstacksdk's proxies."""

import uuid

from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
import yaml

from tests.unit.fakes.common import heat_error
from tests.unit.fakes.common import LosesAnswers
from tests.unit.fakes.common import Record

SERVER = 'OS::Nova::Server'
# An instance template as a VNF's: a server, its ID and the instance's
# address as outputs.
INSTANCE_TEMPLATE = """
heat_template_version: 2021-04-16
parameters:
  role: {type: string, default: standby}
  address: {type: string, default: ''}
resources:
  server: {type: OS::Nova::Server}
outputs:
  server_id: {value: {get_resource: server}}
  address: {value: {get_param: address}}
"""
# The Nova status of a stack's servers while the stack is in a status;
# ACTIVE otherwise.
_SERVER_STATUS = {'CREATE_IN_PROGRESS': 'BUILD',
                  'SUSPEND_COMPLETE': 'SUSPENDED',
                  'RESUME_IN_PROGRESS': 'SUSPENDED'}


class FakeHeat(LosesAnswers):
    """Enough of openstack.orchestration.v1._proxy.Proxy for a VNF's
    instance stacks, as Heat answers.

    A stack has the resources its template declares, a server for each
    OS::Nova::Server, and the outputs it declares (get_param, get_resource
    and plain values are evaluated, anything else is None); a template
    that is no HOT mapping, a parameter it does not declare or one it
    requires and is not given are refused (400), as is a second stack of
    one name (409). An action ends at the stack's first read after it,
    or, with `in_progress_reads`, after that many reads that see it
    IN_PROGRESS.

    Set `down` to answer nothing (a site whose Heat is unreachable),
    `fail` to an action whose stacks end FAILED (a site whose Nova is
    down) or `lose` to the calls whose answer gets lost. Its `nova` shows
    each stack's servers, with the status the stack's leaves them in
    unless `server_status` overrides it.
    """

    def __init__(self, in_progress_reads=0):
        self.in_progress_reads = in_progress_reads
        self.stacks = {}
        self.calls = []
        self.down = False
        self.fail = None
        self.lose = set()
        self.server_status = {}
        self.nova = FakeNova(self)

    def _call(self, name, stack_id=None):
        if self.down:
            raise ks_exc.ConnectFailure('heat is down')
        self.calls.append((name, stack_id))

    @staticmethod
    def _parsed(template, parameters):
        """The template as a mapping; refused as Heat refuses it."""
        try:
            parsed = yaml.safe_load(template)
        except yaml.YAMLError as exc:
            parsed = exc
        if not (isinstance(parsed, dict) and
                'heat_template_version' in parsed):
            raise heat_error(400, 'StackValidationFailed',
                             'The template is not a HOT template.')
        declared = parsed.get('parameters') or {}
        for name in parameters:
            if name not in declared:
                raise heat_error(400, 'UnknownUserParameter',
                                 'The Parameter (%s) was not defined in '
                                 'template.' % name)
        for name, schema in declared.items():
            if name not in parameters and 'default' not in (schema or {}):
                raise heat_error(400, 'UserParameterMissing',
                                 'The Parameter (%s) was not provided.'
                                 % name)
        return parsed

    def _set(self, stack_id, action, template=None, parameters=None):
        """Start an action; what it makes of the resources is there at
        once (IDs kept for those of the same name and type)."""
        stack = self.stacks[stack_id]
        if template is not None:
            parsed = self._parsed(template, parameters)
            held = stack.get('resources', {})
            resources = {}
            for name, definition in (parsed.get('resources') or {}).items():
                kind = definition.get('type')
                resources[name] = (
                    held[name] if held.get(name, {}).get('type') == kind
                    else {'type': kind, 'id': str(uuid.uuid4())})
            stack.update(template=template, parsed=parsed,
                         parameters=dict(parameters), resources=resources,
                         server_id=next((r['id'] for r in resources.values()
                                         if r['type'] == SERVER), None))
        stack.update(action=action, reads_left=self.in_progress_reads,
                     outcome='FAILED' if self.fail == action else 'COMPLETE')
        self._advance(stack_id, read=False)

    def _advance(self, stack_id, read=True):
        """The stack's status, after one more read of it."""
        stack = self.stacks[stack_id]
        if stack['reads_left']:
            stack['reads_left'] -= 1 if read else 0
            stack['status'] = stack['action'] + '_IN_PROGRESS'
            return
        stack['status'] = '%s_%s' % (stack['action'], stack['outcome'])
        if stack['status'] == 'DELETE_COMPLETE':
            del self.stacks[stack_id]

    def _outputs(self, stack):
        declared = stack['parsed'].get('parameters') or {}
        parameters = dict({name: (schema or {}).get('default')
                           for name, schema in declared.items()},
                          **stack['parameters'])

        def value(given):
            if isinstance(given, dict) and len(given) == 1:
                ((function, argument),) = given.items()
                if function == 'get_param':
                    return parameters.get(argument)
                if function == 'get_resource':
                    return stack['resources'][argument]['id']
                return None
            return given

        return [{'output_key': key,
                 'output_value': value((output or {}).get('value'))}
                for key, output in (stack['parsed'].get('outputs') or
                                    {}).items()]

    def create_stack(self, name, template, parameters, **options):
        stack_id = str(uuid.uuid4())
        self._call('create', stack_id)
        if any(stack['name'] == name for stack in self.stacks.values()):
            raise heat_error(409, 'StackExists',
                             'The Stack (%s) already exists.' % name)
        self._parsed(template, parameters)
        self.stacks[stack_id] = {'name': name}
        self._set(stack_id, 'CREATE', template, parameters)
        return self._answer('create', Record(id=stack_id))

    def find_stack(self, name_or_id, ignore_missing=True,
                   resolve_outputs=True):
        """Heat finds a stack by ID or name and hides a deleted one."""
        self._call('find', name_or_id)
        for stack_id, stack in self.stacks.items():
            if name_or_id in (stack_id, stack['name']):
                return Record(id=stack_id, name=stack['name'],
                              status=stack['status'])
        if not ignore_missing:
            raise sdk_exc.NotFoundException('stack %s' % name_or_id)
        return None

    def update_stack(self, stack_id, name, template, parameters, **options):
        self._call('update', stack_id)
        self._set(stack_id, 'UPDATE', template, parameters)

    def suspend_stack(self, stack_id):
        self._call('suspend', stack_id)
        self._set(stack_id, 'SUSPEND')

    def resume_stack(self, stack_id):
        self._call('resume', stack_id)
        self._set(stack_id, 'RESUME')

    def delete_stack(self, stack_id):
        self._call('delete', stack_id)
        if stack_id in self.stacks:
            self._set(stack_id, 'DELETE')

    def get_stack(self, stack_id):
        self._call('get', stack_id)
        if stack_id not in self.stacks:
            raise sdk_exc.NotFoundException('stack %s' % stack_id)
        stack = self.stacks[stack_id]
        self._advance(stack_id)
        return Record(id=stack_id, status=stack['status'],
                      status_reason='fake', outputs=self._outputs(stack))


class FakeNova:
    """The servers of a FakeHeat's instance stacks."""

    def __init__(self, heat):
        self.heat = heat

    def find_server(self, server_id, ignore_missing=True):
        if self.heat.down:
            raise ks_exc.ConnectFailure('nova is down')
        for stack in self.heat.stacks.values():
            if any(r['type'] == SERVER and r['id'] == server_id
                   for r in stack['resources'].values()):
                status = _SERVER_STATUS.get(stack['status'], 'ACTIVE')
                return Record(id=server_id, status=self.heat.server_status
                              .get(server_id, status))
        return None
