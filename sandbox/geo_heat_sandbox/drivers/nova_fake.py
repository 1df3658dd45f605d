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

"""SANDBOX-ONLY Nova virt driver: ``nova.virt.fake.FakeDriver`` with node
UUIDs derived from the host name (FakeDriver's are random per process, so
a restarted compute registered a second compute node), which re-adopts
the guests Nova's database places on its host after a restart
(FakeDriver forgets them: stop and start failed with InstanceNotFound).

Nova loads its compute driver relative to ``nova.virt`` only: install()
defines it there, as ``fake.SandboxFakeDriver``
(services.compute.COMPUTE_DRIVER). Only a Nova imports this module.
"""

import uuid

from nova.virt import fake


def node_uuid(nodename):
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, nodename))


class SandboxFakeDriver(fake.FakeDriver):
    """FakeDriver with stable node UUIDs that re-adopts its guests."""

    def get_available_resource(self, nodename):
        resources = super().get_available_resource(nodename)
        resources['uuid'] = node_uuid(nodename)
        return resources

    def get_nodenames_by_uuid(self, refresh=False):
        return {node_uuid(n): n for n in self.get_available_nodes()}

    def _adopt(self, instance):
        """A guest the database says ran here before a restart."""
        if instance.uuid in self.instances or not instance.power_state:
            return
        flavor = instance.flavor
        self.resources.claim(vcpus=flavor.vcpus, mem=flavor.memory_mb,
                             disk=flavor.root_gb)
        self.instances[instance.uuid] = fake.FakeInstance(
            instance.name, instance.power_state, instance.uuid)

    def get_info(self, instance, use_cache=True):
        self._adopt(instance)
        return super().get_info(instance, use_cache)

    def power_off(self, instance, timeout=0, retry_interval=0):
        self._adopt(instance)
        return super().power_off(instance, timeout, retry_interval)

    def power_on(self, context, instance, *args, **kwargs):
        self._adopt(instance)
        return super().power_on(context, instance, *args, **kwargs)


def install():
    fake.SandboxFakeDriver = SandboxFakeDriver
