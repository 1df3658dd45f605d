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

"""Bring each site of a georedundant VNF to its target, step by step.

Each site's instance is a stack in that site's own Heat, created and
changed as the project that owns the VNF there, on the ports the VNF
reserved on the links there (geo_heat.vnf.ports).
"""

from concurrent import futures

from openstack import exceptions as sdk_exc

from geo_heat import failure
from geo_heat import resource_data
from geo_heat.vnf import model
from geo_heat.vnf import plan

# Minutes a site's Heat may take for one action on an instance stack.
STACK_TIMEOUT_MINUTES = 10


class SiteError(Exception):
    """An instance stack could not be brought to its target at a site."""

    def __init__(self, where, reason):
        self.where = where
        self.reason = reason
        super().__init__('%s: %s' % (where, reason))


class SiteUnreachable(SiteError):
    """The site's Keystone or Heat did not answer."""


class StackFailed(SiteError):
    """The site's Heat reports the instance stack FAILED."""


def _ask(connection, service, operation, *args, **kwargs):
    """The `operation` of the connection's `service` proxy. Making the
    proxy may ask the site's Keystone (a token, the catalog): a lost site
    fails there too, so it is made where the operation's failure is
    caught."""
    return getattr(getattr(connection, service), operation)(*args, **kwargs)


class SiteStacks:
    """The instance stack of one site, through that site's Heat, and its
    server through that site's Nova.

    `probe` is a connection to the same site as the same project whose
    requests time out sooner: it asks whether the site answers at all.
    """

    def __init__(self, connection, where, probe=None):
        self.connection = connection
        self.where = where
        self.probe = probe or connection
        self._silent = None

    def _call(self, what, operation, *args, service='orchestration',
              **kwargs):
        """_ask the site's `service`, its failure a SiteError naming
        `what`."""
        try:
            return _ask(self.connection, service, operation, *args,
                        **kwargs)
        except failure.SIDE_ERRORS as exc:
            if failure.is_unreachable(exc):
                raise SiteUnreachable(
                    self.where, 'cannot reach Heat to %s: %s'
                    % (what, failure.describe(exc))) from exc
            raise SiteError(self.where, 'failed to %s: %s'
                            % (what, failure.describe(exc))) from exc

    def create(self, name, template, parameters):
        """The ID of the instance stack `name`, created unless an earlier
        attempt did.

        The name is the VNF's own at this site, so a stack of that name is
        one of its creates whose answer was lost (a WAN timeout after the
        site's Heat committed): it is adopted, where a second create would
        collide with it (409). A create that gets no answer looks again.
        """
        stack = self._find(name)
        if stack is None:
            try:
                stack = self._call(
                    'create stack %s' % name, 'create_stack',
                    name=name, template=template, parameters=parameters,
                    is_rollback_disabled=True,
                    timeout_mins=STACK_TIMEOUT_MINUTES)
            except SiteError as exc:
                if not failure.is_unreachable(exc.__cause__):
                    raise
                stack = self._committed(name, exc)
        return stack.id

    def _find(self, name):
        """The stack `name` a create of this VNF made, or None.

        Heat hides a deleted stack; one being deleted, or one that already
        went through other actions, is no create to adopt.
        """
        stack = self._call('look up stack %s' % name, 'find_stack',
                           name, ignore_missing=True, resolve_outputs=False)
        if stack is not None and stack.status.split('_')[0] not in (
                'INIT', 'CREATE'):
            raise SiteError(self.where, 'cannot create stack %s: a stack of '
                            'that name is %s' % (name, stack.status))
        return stack

    def _committed(self, name, unanswered):
        """The stack a create that got no answer made, if the site's Heat
        committed it; else the create's error."""
        try:
            stack = self._find(name)
        except SiteError as exc:
            if not failure.is_unreachable(exc.__cause__):
                raise
            stack = None
        if stack is None:
            raise unanswered
        return stack

    def update(self, stack_id, name, template, parameters):
        self._call('update stack %s' % name, 'update_stack',
                   stack_id, name=name, template=template,
                   parameters=parameters, timeout_mins=STACK_TIMEOUT_MINUTES)

    def suspend(self, stack_id):
        self._call('suspend stack %s' % stack_id, 'suspend_stack',
                   stack_id)

    def resume(self, stack_id):
        self._call('resume stack %s' % stack_id, 'resume_stack',
                   stack_id)

    def delete(self, stack_id):
        self._call('delete stack %s' % stack_id, 'delete_stack',
                   stack_id)

    def get(self, stack_id):
        """The stack, or None once it is gone."""
        try:
            return self._call('read stack %s' % stack_id,
                              'get_stack', stack_id)
        except SiteError as exc:
            if isinstance(exc.__cause__, sdk_exc.NotFoundException):
                return None
            raise

    def server_status(self, server_id):
        """The server's status, or None once it is gone: a stack can be
        COMPLETE over a server that has stopped or failed since."""
        server = self._call('read server %s' % server_id,
                            'find_server', server_id,
                            ignore_missing=True, service='compute')
        return server and server.status

    def unreachable(self, record):
        """Why the site does not answer, or None when it does.

        Its Heat, Nova and Neutron are asked at once, each about the
        site's own objects: a datacenter is lost when any of them is
        silent, even if its Heat would still accept an update and fail
        it later. An answer, even an error, means the site is there.
        Asked once per operation.
        """
        if self._silent is None:
            ports = record.ports
            questions = {
                'Heat': ('orchestration', 'get_stack',
                         record.stack_id or record.stack_name),
                'Nova': ('compute', 'find_server',
                         record.server_id or record.stack_name),
                'Neutron': ('network', 'find_port',
                            ports[0].port_id if ports
                            else record.stack_name),
            }
            with futures.ThreadPoolExecutor(len(questions)) as pool:
                asked = {name: pool.submit(_ask, self.probe, *question)
                         for name, question in questions.items()}
            silent = []
            for service, future in sorted(asked.items()):
                exc = future.exception()
                kind = exc and failure.classify(exc)
                if exc is not None and kind is None:
                    raise exc
                if kind == failure.UNREACHABLE:
                    silent.append('%s does not answer: %s'
                                  % (service, failure.describe(exc)))
            self._silent = '; '.join(silent)
        return self._silent or None

    def wait(self, stack_id, action):
        """Yield while `action` runs; the stack's outputs when it is done
        (None for a stack deleted). Raises StackFailed."""
        while True:
            stack = self.get(stack_id)
            if stack is None:
                if action == 'DELETE':
                    return None
                raise StackFailed(self.where, 'stack %s is gone' % stack_id)
            status = stack.status or ''
            if status == '%s_COMPLETE' % action:
                return {o['output_key']: o.get('output_value')
                        for o in stack.outputs or []}
            if status.endswith('_FAILED'):
                raise StackFailed(self.where, 'stack %s is %s: %s' % (
                    stack_id, status, stack.status_reason))
            yield


# -- bringing sites to their targets -----------------------------------------

def _converge_site(target, record, stacks, save):
    """Steps that bring one site's stack from its record to its target."""
    stack_id = record.stack_id
    if target.state == plan.ABSENT:
        if stack_id:
            stacks.delete(stack_id)
            yield from stacks.wait(stack_id, 'DELETE')
            record.stack_id, record.state = None, plan.ABSENT
            record.digest, record.outputs = None, {}
            save()
        return
    if not stack_id:
        record.stack_id = stacks.create(record.stack_name, target.template,
                                        target.parameters)
        # Known only once the create is over: a failed one is redone by
        # the next update.
        record.state, record.digest = plan.RUNNING, None
        save()
        outputs = yield from stacks.wait(record.stack_id, 'CREATE')
    elif target.state == plan.SUSPENDED:
        if record.state != plan.SUSPENDED:
            stacks.suspend(stack_id)
            yield from stacks.wait(stack_id, 'SUSPEND')
            record.state = plan.SUSPENDED
            save()
        return
    else:
        outputs = record.outputs
        if record.state == plan.SUSPENDED:
            stacks.resume(stack_id)
            yield from stacks.wait(stack_id, 'RESUME')
            record.state = plan.RUNNING
            save()
        if record.digest != target.digest:
            stacks.update(stack_id, record.stack_name, target.template,
                          target.parameters)
            record.digest = None  # unknown until the update is over
            save()
            outputs = yield from stacks.wait(stack_id, 'UPDATE')
    record.role, record.digest, record.outputs = (
        target.role, target.digest, model.kept_outputs(outputs))
    save()


def run(steps, records, stacks_of, save, fence, lost=frozenset()):
    """Steps that take every site through the plan's steps, in order.

    A step whose site may be silent (plan.OWE, plan.FENCE, or a site that
    owes fencing already) first asks the site whether it answers: if not,
    what it owes is recorded as its pending problem (and fence for an
    instance that may still act as the active one) for a later update or
    check to finish, and the others go on. Where the site answers, any
    failure is a refusal and stops the operation, naming the site. A site
    that owes fencing is fenced (fence(key, False): its ports on the links
    down) before anything else is done there, and unfenced after. A site
    in `lost` was given up for good: nothing is asked of it.
    """
    for step in steps:
        key = step.target.key
        if key in lost:
            continue
        record = records[key]
        stacks = stacks_of(key)
        if record.fence or step.if_unreachable != plan.FAIL:
            silent = stacks.unreachable(record)
            if silent:
                record.pending = resource_data.clipped(silent)
                record.fence = (record.fence or
                                step.if_unreachable == plan.FENCE)
                save()
                continue
        if record.fence:
            fence(key, False)
            yield from _converge_site(step.target, record, stacks, save)
            fence(key, True)
            record.fence = False
        else:
            yield from _converge_site(step.target, record, stacks, save)
        record.pending = None
        save()


def remove(records, stacks_of, save, lost=frozenset()):
    """Steps that delete every site's stack; an already gone one is fine,
    and a site given up for good is not asked."""
    for key, record in sorted(records.items()):
        if key in lost:
            continue
        yield from _converge_site(
            plan.Target(key=key, role=record.role, state=plan.ABSENT,
                        parameters={}, template=''),
            record, stacks_of(key), save)
        record.pending, record.fence = None, False
        save()
