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

"""SANDBOX-ONLY VPNaaS service driver: IPsec without an agent.

With no VPN agent, IPsec site connections stay PENDING_CREATE forever.
This driver (derived from the reference IPsec driver) marks the VPN
service and its site connections ACTIVE after create and update, so the
control plane completes. Note that neutron-vpnaas 29 still defaults
``auth_algorithm`` to sha1 in its API but no longer reads such rows back:
always send sha256.

Named in each Neutron's [service_providers] (services.neutron); only a
Neutron imports it.
"""

import logging

from neutron_lib import constants as lib_const
from neutron_vpnaas.services.vpn.service_drivers import ipsec

LOG = logging.getLogger(__name__)


class SandboxIPsecVPNDriver(ipsec.IPsecVPNDriver):
    """Reference IPsec driver that reports ACTIVE without an agent."""

    def _activate(self, context, vpnservice_id, conn_id=None):
        plugin = self.service_plugin
        try:
            plugin.set_vpnservice_status(context, vpnservice_id,
                                         lib_const.ACTIVE,
                                         updated_pending_status=True)
            if conn_id:
                plugin.update_ipsec_site_conn_status(
                    context, conn_id, lib_const.ACTIVE)
        except Exception:  # pragma: no cover - best effort
            LOG.exception('sandbox VPN driver: status update failed')

    def create_vpnservice(self, context, vpnservice_dict):
        super().create_vpnservice(context, vpnservice_dict)
        self._activate(context, vpnservice_dict['id'])

    def update_vpnservice(self, context, old_vpnservice, vpnservice):
        super().update_vpnservice(context, old_vpnservice, vpnservice)
        self._activate(context, vpnservice['id'])

    def create_ipsec_site_connection(self, context, conn):
        super().create_ipsec_site_connection(context, conn)
        self._activate(context, conn['vpnservice_id'], conn['id'])

    def update_ipsec_site_connection(self, context, old_conn, conn):
        super().update_ipsec_site_connection(context, old_conn, conn)
        self._activate(context, conn['vpnservice_id'], conn['id'])
