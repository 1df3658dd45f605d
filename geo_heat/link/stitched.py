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

"""Links stitched by a Neutron service: the part BGPVPN and IPsec share.

Each side gets an overlay network of its Neutron's own tenant type, built,
shared and deleted as a provider link's halves are (one subnet stretched
across the sides, or for a routed link a half of the link's CIDR per side
behind a router). A service then stitches the sides together; its objects
carry the link's description (or name) so that delete finds them on every
side, even those of an interrupted create.
"""

from geo_heat import definitions
from geo_heat.link import provider
from geo_heat.link import site as site_mod

ROUTER_INTERFACE = 'network:router_interface'
# The service objects a side's state records, as {kind: how to name it};
# gateway_ip is an address, not an object.
SERVICE_OBJECTS = {
    'bgpvpn': 'BGPVPN', 'association': 'BGPVPN association',
    'ike_policy': 'IKE policy', 'ipsec_policy': 'IPsec policy',
    'vpn_service': 'VPN service', 'local_group': 'VPN endpoint group',
    'peer_group': 'VPN endpoint group', 'connection': 'IPsec site connection',
}


class StitchedLink(provider.ProviderNetworkLink):
    """Networks as a provider link builds them, then a service on top.

    Subclasses build the service (_stitch), delete it (_delete_service),
    check it (_service_problems) and may give routers a gateway
    (_router_request).
    """

    def _segment(self, physnet, segmentation_id):
        """No provider attributes: Neutron's tenant network type, whatever
        the side's underlay; the service does the stitching."""
        return {}

    @property
    def _description(self):
        return definitions.link_description(self.spec.link_id)

    @staticmethod
    def _record_service(state, half, kind, value):
        for role in half.roles:
            state.services.setdefault(role, {})[kind] = value

    @staticmethod
    def _service(state, half, kind):
        return state.services.get(half.roles[0], {}).get(kind)

    # -- create -------------------------------------------------------------

    def _adopt(self, state):
        """A retried create starts afresh: a stitched link is cheap to
        rebuild, and half a service is hard to take over."""
        self.delete()
        return None

    def _service_steps(self, state):
        if self.spec.routed:
            yield from self._router_steps(state)
        yield from self._stitch(state)

    def _router_steps(self, state):
        def create(half):
            with half.site.calls('create the link router',
                                 quota='router') as net:
                router = net.create_router(
                    name=self.spec.name, description=self._description,
                    **self._router_request(half))
            self._record_service(state, half, 'gateway_ip',
                                 _gateway_ip(router))
            return router

        routers = provider.run_on_each(create, self.halves)
        self._record(state, 'router', routers)
        yield state

        def attach(half):
            role = half.roles[0]
            router_id = getattr(state, role + '_router_id')
            with half.site.calls('attach subnet %s to router %s' % (
                    getattr(state, role + '_subnet_id'), router_id)) as net:
                net.add_interface_to_router(
                    router_id, subnet=getattr(state, role + '_subnet_id'))

        provider.run_on_each(attach, self.halves)
        yield state

    def _router_request(self, half):
        """Hook: more of a router's create request (its gateway)."""
        return {}

    def _stitch(self, state):
        raise NotImplementedError

    def update(self, state, **changes):
        """The networks as a provider link's, and the routers' name."""
        super().update(state, **changes)
        if 'name' not in changes or not self.spec.routed:
            return

        def rename(half):
            router_id = getattr(state, half.roles[0] + '_router_id')
            with half.site.calls('rename router %s' % router_id) as net:
                net.update_router(router_id, name=changes['name'])

        provider.run_on_each(rename, self.halves)

    # -- delete ---------------------------------------------------------------

    def delete(self):
        """The service, the routers, then the networks, on every side."""
        def delete_half(half):
            self._delete_service(half)
            with half.site.calls('look up the link routers') as net:
                routers = list(net.routers(description=self._description))
            for router in routers:
                with half.site.calls('delete router %s' % router.id) as net:
                    for port in net.ports(device_id=router.id,
                                          device_owner=ROUTER_INTERFACE):
                        net.remove_interface_from_router(router,
                                                         port=port.id)
                    net.delete_router(router, ignore_missing=True)

        provider.run_on_each(delete_half, self.halves)
        super().delete()

    def _delete_service(self, half):
        raise NotImplementedError

    # -- check / status / show --------------------------------------------

    def check(self, state):
        problems = super().check(state)
        for half in self.halves:
            where = half.site.describe()
            if self.spec.routed:
                problems += ['%s: %s' % (where, problem) for problem in
                             self._router_problems(half, state)]
            problems += ['%s: %s' % (where, problem) for problem in
                         self._service_problems(half, state)]
        return problems

    def _router_problems(self, half, state):
        role = half.roles[0]
        router_id = getattr(state, role + '_router_id')
        with half.site.calls('read router %s' % router_id) as net:
            router = net.find_router(router_id, ignore_missing=True)
            if router is None:
                return ['router %s is gone' % router_id]
            subnets = {ip['subnet_id'] for port in net.ports(
                device_id=router_id, device_owner=ROUTER_INTERFACE)
                for ip in port.fixed_ips}
        if getattr(state, role + '_subnet_id') not in subnets:
            return ['router %s is not attached to subnet %s'
                    % (router_id, getattr(state, role + '_subnet_id'))]
        return []

    def _service_problems(self, half, state):
        raise NotImplementedError

    def _objects_of(self, half, state):
        """The networks', and the router and service objects."""
        role = half.roles[0]
        found = super()._objects_of(half, state)
        router_id = getattr(state, role + '_router_id')
        if router_id:
            found.append('router %s' % router_id)
        services = state.services.get(role, {})
        found += ['%s %s' % (name, services[kind])
                  for kind, name in SERVICE_OBJECTS.items()
                  if services.get(kind)]
        return found

    def show(self, state):
        show = super().show(state)
        for role in (site_mod.LOCAL, site_mod.REMOTE):
            show[role]['services'] = dict(state.services.get(role, {}))
        return show


def _gateway_ip(router):
    """A router's address on its external network (an IPsec peer
    address), or None without a gateway."""
    info = router.external_gateway_info or {}
    for fixed_ip in info.get('external_fixed_ips') or ():
        return fixed_ip['ip_address']
    return None
