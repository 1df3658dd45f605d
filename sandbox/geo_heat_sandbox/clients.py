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

"""Clients of a running sandbox, shared by the functional tests and the
benchmark: openstacksdk connections from its clouds.yaml, and polling Heat
until a stack action is over."""

import time

from openstack.config import loader
from openstack import connection
from openstack import exceptions as sdk_exc

from geo_heat_sandbox import layout as _layout


def cloud_config(cloud='sandbox', region_name=None, state_dir=None):
    """A clouds.yaml entry of the sandbox, as openstacksdk configures it."""
    config = loader.OpenStackConfig(
        config_files=[_layout.Layout(state_dir).clouds_yaml],
        load_envvars=False, vendor_files=[], secure_files=[])
    return config.get_one(cloud=cloud, region_name=region_name)


def connect(cloud='sandbox', region_name=None, state_dir=None):
    return connection.Connection(
        config=cloud_config(cloud, region_name, state_dir))


# How much longer each poll waits than the one before, up to a maximum.
POLL_GROWTH = 1.25


class ActionTimeout(Exception):
    pass


def wait_for_action(heat, stack_ids, action, timeout, poll, max_poll=None):
    """Poll until each stack's `action` is over: {stack ID: Stack or None}.

    None means the stack is gone (deleted). Outputs are not resolved while
    polling: that reads every resource's properties, racing with the
    action in progress. With `max_poll`, the interval grows from `poll` to
    it (a long action is not polled as often as a short one).
    """
    deadline = time.monotonic() + timeout
    pending, done = set(stack_ids), {}
    while True:
        for stack_id in sorted(pending):
            try:
                stack = heat.get_stack(stack_id, resolve_outputs=False)
            except sdk_exc.NotFoundException:
                stack = None
            if stack is None or (
                    stack.status.startswith(action + '_') and
                    not stack.status.endswith('IN_PROGRESS')):
                done[stack_id] = stack
                pending.discard(stack_id)
        if not pending:
            return done
        if time.monotonic() > deadline:
            raise ActionTimeout('stack(s) %s still not done with %s after %ss'
                                % (', '.join(sorted(pending)), action,
                                   timeout))
        time.sleep(poll)
        poll = min(poll * POLL_GROWTH, max(poll, max_poll or poll))
