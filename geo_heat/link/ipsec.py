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

"""IPsec links (VPNaaS) between two clouds that meet over the internet.

Each side gets a router on the operator's external network with its half
of the link's CIDR behind it, IKE and IPsec policies of the operator's
approved algorithms, a VPN service, endpoint groups (its own subnet, the
other side's CIDR) and a site connection to the other side's router
gateway. Both connections share one pre-shared key, which the caller keeps
where Heat keeps secrets: this module only ever sends it to Neutron, never
records, shows or logs it.
"""

from geo_heat.link import errors
from geo_heat.link import provider
from geo_heat.link import stitched

# The VPNaaS objects of a side in the order they are deleted, with the
# proxy's name of their list.
_DELETE_ORDER = (
    ('vpn_ipsec_site_connection', 'vpn_ipsec_site_connections'),
    ('vpn_endpoint_group', 'vpn_endpoint_groups'),
    ('vpn_service', 'vpn_services'),
    ('vpn_ipsec_policy', 'vpn_ipsec_policies'),
    ('vpn_ike_policy', 'vpn_ike_policies'),
)
ACTIVE, FAILED = 'ACTIVE', ('ERROR', 'DOWN')
# Each algorithm a template may choose, and the [geo_heat] option listing
# the values the operator approved, default first.
APPROVED_OPTIONS = {'encryption_algorithm': 'ipsec_encryption_algorithms',
                    'auth_algorithm': 'ipsec_auth_algorithms',
                    'pfs': 'ipsec_pfs_groups'}


class IpsecLink(stitched.StitchedLink):
    """VPNaaS site connections both ways, with one pre-shared key."""

    def __init__(self, spec, local, remote, psk=None):
        super().__init__(spec, local, remote)
        self._psk = psk

    def __repr__(self):
        return '<IpsecLink %s>' % self.spec.link_id

    @classmethod
    def spec_fields(cls, request, options):
        """The template's algorithms, else the operator's first, and the
        routers' external network."""
        fields = {key: request.ipsec.get(key) or getattr(options, option)[0]
                  for key, option in APPROVED_OPTIONS.items()}
        fields['external_network'] = options.ipsec_external_network
        return fields

    def _router_request(self, half):
        name = self.spec.external_network
        with half.site.calls('find external network %s' % name) as net:
            external = net.find_network(name, ignore_missing=True)
        if external is None or not external.is_router_external:
            raise errors.LinkError(
                'no external network %s for the IPsec router (the '
                'operator\'s [geo_heat] ipsec_external_network)' % name,
                site=half.site)
        return {'external_gateway_info': {'network_id': external.id}}

    def _stitch(self, state):
        provider.run_on_each(lambda half: self._create_service(state, half),
                             self.halves)
        yield state
        peers = dict(zip(self.halves, reversed(self.halves)))
        provider.run_on_each(
            lambda half: self._connect(state, half, peers[half]),
            self.halves)
        yield state
        while not self.is_active(state):
            yield None

    def _create_service(self, state, half):
        """Policies, VPN service and endpoint groups of a side."""
        role = half.roles[0]
        algorithms = {'encryption_algorithm': self.spec.encryption_algorithm,
                      'auth_algorithm': self.spec.auth_algorithm,
                      'pfs': self.spec.pfs}
        common = {'name': self.spec.name, 'description': self._description}
        other = [h for h in self.halves if h is not half][0]
        requests = (
            ('ike_policy', 'vpn_ike_policy',
             dict(common, ike_version='v2', **algorithms)),
            ('ipsec_policy', 'vpn_ipsec_policy', dict(common, **algorithms)),
            ('vpn_service', 'vpn_service',
             dict(common, router_id=getattr(state, role + '_router_id'))),
            ('local_group', 'vpn_endpoint_group',
             dict(common, type='subnet',
                  endpoints=[getattr(state, role + '_subnet_id')])),
            ('peer_group', 'vpn_endpoint_group',
             dict(common, type='cidr',
                  endpoints=[self._half_cidr(state, other)])),
        )
        for kind, resource, request in requests:
            with half.site.calls('create the IPsec %s'
                                 % kind.replace('_', ' ')) as net:
                created = getattr(net, 'create_' + resource)(**request)
            self._record_service(state, half, kind, created.id)

    def _connect(self, state, half, peer):
        address = self._service(state, peer, 'gateway_ip')
        service = state.services[half.roles[0]]
        with half.site.calls('create the IPsec site connection to %s'
                             % address) as net:
            connection = net.create_vpn_ipsec_site_connection(
                name=self.spec.name, description=self._description,
                peer_address=address, peer_id=address, psk=self._psk,
                vpnservice_id=service['vpn_service'],
                ikepolicy_id=service['ike_policy'],
                ipsecpolicy_id=service['ipsec_policy'],
                local_ep_group_id=service['local_group'],
                peer_ep_group_id=service['peer_group'])
        self._record_service(state, half, 'connection', connection.id)

    # -- status -------------------------------------------------------------

    def _connections(self, state):
        """(half, site connection or None) of every side."""
        def read(half):
            connection_id = self._service(state, half, 'connection')
            with half.site.calls('read IPsec site connection %s'
                                 % connection_id) as net:
                return half, net.find_vpn_ipsec_site_connection(
                    connection_id, ignore_missing=True)

        return provider.run_on_each(read, self.halves)

    def is_active(self, state):
        """Networks ACTIVE, and both site connections; one gone, in ERROR
        or DOWN is a LinkError."""
        active = super().is_active(state)
        for half, connection in self._connections(state):
            if connection is None or connection.status in FAILED:
                raise errors.LinkError(
                    'IPsec site connection %s is %s' % (
                        self._service(state, half, 'connection'),
                        'gone' if connection is None else connection.status),
                    site=half.site)
            active = active and connection.status == ACTIVE
        return active

    def status(self, state):
        problems = [status for status in [super().status(state)]
                    if status != ACTIVE]
        for half, connection in self._connections(state):
            if connection is not None and connection.status != ACTIVE:
                problems.append('%s: IPsec site connection is %s'
                                % (half.site.describe(), connection.status))
        return '; '.join(problems) or ACTIVE

    def _service_problems(self, half, state):
        connection_id = self._service(state, half, 'connection')
        with half.site.calls('read IPsec site connection %s'
                             % connection_id) as net:
            connection = net.find_vpn_ipsec_site_connection(
                connection_id, ignore_missing=True)
        if connection is None:
            return ['IPsec site connection %s is gone' % connection_id]
        problems = []
        if self._psk is not None and connection.psk != self._psk:
            # Never the key itself.
            problems.append('IPsec site connection %s has another '
                            'pre-shared key' % connection_id)
        return problems

    # -- update / delete ----------------------------------------------------

    def update(self, state, psk=None, **changes):
        """Set a new pre-shared key on both connections, in place."""
        super().update(state, **changes)
        if psk is None:
            return

        def rekey(half):
            connection_id = self._service(state, half, 'connection')
            with half.site.calls('set a new pre-shared key on IPsec site '
                                 'connection %s' % connection_id) as net:
                net.update_vpn_ipsec_site_connection(connection_id, psk=psk)

        provider.run_on_each(rekey, self.halves)
        self._psk = psk

    def _delete_service(self, half):
        """Every object of the link, found by description, in order."""
        for resource, listing in _DELETE_ORDER:
            with half.site.calls('look up the link\'s %s objects'
                                 % resource.replace('_', ' ')) as net:
                found = list(getattr(net, listing)(
                    description=self._description))
            for obj in found:
                with half.site.calls('delete %s %s' % (
                        resource.replace('_', ' '), obj.id)) as net:
                    getattr(net, 'delete_' + resource)(obj.id,
                                                      ignore_missing=True)
