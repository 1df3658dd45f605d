"""Functional tests: real Keystone, Neutron, Heat and Barbican (sandbox).

The sandbox is brought up once (or reused when running); each test gets
openstacksdk connections per region and cloud, creates stacks through
Heat's API with short polling, checks each side in that side's own Neutron
and leaves nothing behind: every stack is deleted and no network tagged
with it may remain on any side.
"""

import os
import re
import time
import uuid

from openstack.config import loader
from openstack import connection
from openstack import exceptions as sdk_exc
from heat.common import template_format
import testtools

from geo_heat import definitions
from geo_heat import sandbox

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TEMPLATES = os.path.join(ROOT, 'templates')

# Every Neutron of the sandbox, as (clouds.yaml entry, region).
SIDES = {
    'RegionOne': ('sandbox', 'RegionOne'),
    'RegionTwo': ('sandbox', 'RegionTwo'),
    'cloud-b': ('sandbox-b', 'RegionOne'),
}


def load_template(name):
    """A template of templates/ as Heat parses it (versions stay strings)."""
    with open(os.path.join(TEMPLATES, name)) as f:
        return template_format.parse(f.read())


class FunctionalTestCase(testtools.TestCase):

    POLL = 0.25
    TIMEOUT = 180

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_dir = sandbox.state_dir()
        sandbox.ensure_up(cls.state_dir)
        cls.clouds = loader.OpenStackConfig(
            config_files=[sandbox.clouds_yaml(cls.state_dir)],
            load_envvars=False, vendor_files=[], secure_files=[])
        cls._connections = {}

    def connection(self, side='RegionOne'):
        if side not in self._connections:
            cloud, region = SIDES[side]
            self._connections[side] = connection.Connection(
                config=self.clouds.get_one(cloud=cloud, region_name=region))
        return self._connections[side]

    @property
    def heat(self):
        return self.connection('RegionOne').orchestration

    # -- stacks -------------------------------------------------------------

    def create_stack(self, template, parameters=None, expect='COMPLETE'):
        test_name = re.sub(r'[^A-Za-z0-9_.-]', '-',
                           self.id().rsplit('.', 1)[-1])
        name = 'ft-%s-%s' % (test_name[:40], uuid.uuid4().hex[:6])
        stack = self.heat.create_stack(
            name=name, template=template, parameters=parameters or {},
            is_rollback_disabled=True, timeout_mins=5)
        self.addCleanup(self.delete_stack, stack.id)
        return self.wait(stack.id, 'CREATE', expect)

    def wait(self, stack_id, action, expect='COMPLETE'):
        """Poll until the stack's `action` is over; assert how it ended."""
        deadline = time.monotonic() + self.TIMEOUT
        while True:
            # Outputs are not resolved while polling: that reads every
            # resource's properties, racing with the action in progress.
            stack = self.heat.get_stack(stack_id, resolve_outputs=False)
            done_action, _sep, state = stack.status.rpartition('_')
            if done_action == action and state != 'IN_PROGRESS':
                break
            if time.monotonic() > deadline:
                self.fail('stack %s still %s after %ss'
                          % (stack_id, stack.status, self.TIMEOUT))
            time.sleep(self.POLL)
        self.assertEqual('%s_%s' % (action, expect), stack.status,
                         stack.status_reason)
        return stack

    def delete_stack(self, stack_id, expect='COMPLETE'):
        try:
            self.heat.delete_stack(stack_id)
            self.wait(stack_id, 'DELETE', expect)
        except sdk_exc.NotFoundException:
            pass
        if expect == 'COMPLETE':
            self.assertNothingLeft(stack_id)

    def outputs(self, stack):
        return {o['output_key']: o.get('output_value')
                for o in self.heat.get_stack(stack.id).outputs}

    def resource(self, stack, name):
        for rsrc in self.heat.resources(stack):
            if rsrc.name == name:
                return rsrc
        raise KeyError(name)

    def action(self, stack, verb, expect='COMPLETE'):
        getattr(self.heat, '%s_stack' % verb)(stack)
        return self.wait(stack.id, verb.upper(), expect)

    # -- each side's own Neutron ------------------------------------------

    def tagged_networks(self, stack_id, side):
        return list(self.connection(side).network.networks(
            tags=definitions.stack_tag(stack_id)))

    def assertNothingLeft(self, stack_id):
        for side in SIDES:
            left = self.tagged_networks(stack_id, side)
            self.assertEqual([], [(n.id, n.name) for n in left],
                             'left on %s' % side)

    def assertHalf(self, side, network_id, technology, segmentation_id,
                   cidr, mtu, physical_network=None):
        """One side's network and subnet, read from that side's Neutron."""
        network = self.connection(side).network.get_network(network_id)
        self.assertEqual(technology, network.provider_network_type)
        self.assertEqual(segmentation_id, network.provider_segmentation_id)
        if physical_network:
            self.assertEqual(physical_network,
                             network.provider_physical_network)
        self.assertEqual(mtu, network.mtu)
        (subnet_id,) = network.subnet_ids
        subnet = self.connection(side).network.get_subnet(subnet_id)
        self.assertEqual(cidr, subnet.cidr)
        return network, subnet
