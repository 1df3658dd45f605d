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

"""SANDBOX-ONLY ML2 mechanism driver: binds ports on the fake compute hosts.

The sandbox runs no L2 agent, so ML2 has nothing that could bind a port and
every port Nova asks for fails to bind.  This driver binds a port as an Open
vSwitch agent would (``vif_type`` ovs, port ACTIVE) when the port's host is
wired to the segment: tunnel segments on any host, flat and VLAN segments
only on hosts listed with that physical network in ``[ml2_sandbox]
host_physnets`` (``host:physnet1 physnet2,...``).  A port on physnet-cell2
thus fails to bind on a cell1 host, as on a real routed network.

Registered as ``sandbox`` through the ``neutron.ml2.mechanism_drivers``
entry point of the geo-heat-sandbox distribution; see doc/sandbox.rst.
"""

from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api
from oslo_config import cfg

TUNNEL_TYPES = ('vxlan', 'gre', 'geneve')

cfg.CONF.register_opts([
    cfg.DictOpt('host_physnets', default={},
                help='host:space-separated physical networks it reaches'),
], 'ml2_sandbox')


def segment_to_bind(segments, physnets):
    """The first segment a host wired to `physnets` can bind, or None."""
    for segment in segments:
        if (segment[api.NETWORK_TYPE] in TUNNEL_TYPES or
                segment[api.PHYSICAL_NETWORK] in physnets):
            return segment
    return None


class SandboxMechanismDriver(api.MechanismDriver):

    def initialize(self):
        self.host_physnets = {
            host: frozenset(physnets.split())
            for host, physnets in cfg.CONF.ml2_sandbox.host_physnets.items()}

    def bind_port(self, context):
        segment = segment_to_bind(
            context.segments_to_bind,
            self.host_physnets.get(context.host, frozenset()))
        if segment is not None:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True},
                                status=constants.PORT_STATUS_ACTIVE)
