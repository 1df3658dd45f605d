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

"""An in-memory Neutron network API, shaped like openstacksdk's proxy."""

import collections
import itertools
import uuid

import netaddr
from openstack import exceptions as sdk_exc

from geo_heat import definitions
from tests.unit.fakes.common import LosesAnswers
from tests.unit.fakes.common import neutron_error
from tests.unit.fakes.common import Record

# A keyword argument not given, where None means something else.
_DEFAULT = object()

# What ML2's type drivers raise for a segment in use, as Neutron words it.
_IN_USE = {
    'vlan': ('VlanIdInUse',
             ('Unable to create the network. The VLAN %(segmentation_id)s '
              'on physical network %(physnet)s is in use.')),
    'flat': ('FlatNetworkInUse',
             ('Unable to create the flat network. Physical network '
              '%(physnet)s is in use.')),
}
_TUNNEL_IN_USE = ('TunnelIdInUse',
                  ('Unable to create the network. The tunnel ID '
                   '%(segmentation_id)s is in use.'))


class FakeServices:
    """Routers, BGPVPNs and VPNaaS of a FakeNeutron, as openstacksdk
    spells them; every object records what it was created with."""

    def _new(self, kind, **attrs):
        self._call('create_' + kind)
        record = Record(id=str(uuid.uuid4()), **attrs)
        self.service_records[kind][record.id] = record
        return record

    def _list(self, kind, **query):
        """As Neutron filters: by what the query gives (not None)."""
        self._call(kind + 's')
        return [r for r in self.service_records[kind].values()
                if all(v is None or getattr(r, k, None) == v
                       for k, v in query.items())]

    def _find(self, kind, record_id):
        self._call('find_' + kind)
        return self.service_records[kind].get(getattr(record_id, 'id',
                                                      record_id))

    def _drop(self, kind, record_id):
        self._call('delete_' + kind)
        return self.service_records[kind].pop(
            getattr(record_id, 'id', record_id), None)

    # -- routers ------------------------------------------------------------

    def create_external_network(self, name='public',
                                cidr='203.0.113.0/24'):
        network = self.create_network(name=name)
        network.is_router_external = True
        self.create_subnet(network.id, cidr=cidr)
        return network

    def find_network(self, name_or_id, ignore_missing=True):
        self._call('find_network')
        if name_or_id in self.network_records:
            return self.network_records[name_or_id]
        for network in self.network_records.values():
            if network.name == name_or_id:
                return network
        return None

    def create_router(self, name=None, description='',
                      external_gateway_info=None):
        info = None
        if external_gateway_info:
            count = len(self.service_records['router']) + 10
            info = dict(external_gateway_info, external_fixed_ips=[
                {'ip_address': '203.0.113.%d' % count}])
        return self._new('router', name=name, description=description,
                         external_gateway_info=info)

    def routers(self, description=None):
        return self._list('router', description=description)

    def find_router(self, router_id, ignore_missing=True):
        return self._find('router', router_id)

    def update_router(self, router_id, **changes):
        self._call('update_router')
        vars(self.service_records['router'][router_id]).update(changes)

    def add_interface_to_router(self, router_id, subnet=None):
        self._call('add_interface_to_router')
        network_id = self.subnet_records[subnet].network_id
        port = self.create_port(network_id, fixed_ips=[
            {'subnet_id': subnet}])
        port.device_id = router_id
        port.device_owner = 'network:router_interface'

    def remove_interface_from_router(self, router, port=None):
        self._call('remove_interface_from_router')
        self.port_records.pop(port)

    def delete_router(self, router, ignore_missing=True):
        if self.ports(device_id=getattr(router, 'id', router)):
            raise neutron_error(409, 'RouterInUse', 'Router in use')
        self._drop('router', router)

    # -- BGPVPN ---------------------------------------------------------------

    def create_bgpvpn(self, name=None, type='l3', route_targets=()):
        return self._new('bgpvpn', name=name, type=type,
                         route_targets=list(route_targets),
                         import_targets=[], export_targets=[])

    def bgpvpns(self, name=None):
        return self._list('bgpvpn', name=name)

    def find_bgpvpn(self, bgpvpn_id, ignore_missing=True):
        return self._find('bgpvpn', bgpvpn_id)

    def delete_bgpvpn(self, bgpvpn_id, ignore_missing=True):
        bgpvpn = self._drop('bgpvpn', bgpvpn_id)
        if bgpvpn is None:
            return
        for kind in ('network_association', 'router_association'):
            for association in self._list(kind, bgpvpn_id=bgpvpn.id):
                self._drop(kind, association.id)

    def create_bgpvpn_network_association(self, bgpvpn, network_id):
        return self._new('network_association', bgpvpn_id=bgpvpn.id,
                         network_id=network_id)

    def create_bgpvpn_router_association(self, bgpvpn, router_id):
        return self._new('router_association', bgpvpn_id=bgpvpn.id,
                         router_id=router_id)

    def bgpvpn_network_associations(self, bgpvpn_id):
        return self._list('network_association', bgpvpn_id=bgpvpn_id)

    def bgpvpn_router_associations(self, bgpvpn_id):
        return self._list('router_association', bgpvpn_id=bgpvpn_id)

    # -- VPNaaS -------------------------------------------------------------

    def create_vpn_ike_policy(self, **attrs):
        return self._new('vpn_ike_policy', **attrs)

    def create_vpn_ipsec_policy(self, **attrs):
        return self._new('vpn_ipsec_policy', **attrs)

    def create_vpn_service(self, **attrs):
        return self._new('vpn_service', **attrs)

    def create_vpn_endpoint_group(self, **attrs):
        return self._new('vpn_endpoint_group', **attrs)

    def create_vpn_ipsec_site_connection(self, **attrs):
        return self._new('vpn_ipsec_site_connection', status='ACTIVE',
                         **attrs)

    def update_vpn_ipsec_site_connection(self, connection_id, **changes):
        self._call('update_vpn_ipsec_site_connection')
        vars(self.service_records['vpn_ipsec_site_connection'][
            connection_id]).update(changes)

    def find_vpn_ipsec_site_connection(self, connection_id,
                                       ignore_missing=True):
        return self._find('vpn_ipsec_site_connection', connection_id)

    def vpn_ipsec_site_connections(self, description=None):
        return self._list('vpn_ipsec_site_connection',
                          description=description)

    def vpn_endpoint_groups(self, description=None):
        return self._list('vpn_endpoint_group', description=description)

    def vpn_services(self, description=None):
        return self._list('vpn_service', description=description)

    def vpn_ipsec_policies(self, description=None):
        return self._list('vpn_ipsec_policy', description=description)

    def vpn_ike_policies(self, description=None):
        return self._list('vpn_ike_policy', description=description)

    def delete_vpn_ipsec_site_connection(self, record_id,
                                         ignore_missing=True):
        self._drop('vpn_ipsec_site_connection', record_id)

    def delete_vpn_endpoint_group(self, record_id, ignore_missing=True):
        self._drop('vpn_endpoint_group', record_id)

    def delete_vpn_service(self, record_id, ignore_missing=True):
        self._drop('vpn_service', record_id)

    def delete_vpn_ipsec_policy(self, record_id, ignore_missing=True):
        self._drop('vpn_ipsec_policy', record_id)

    def delete_vpn_ike_policy(self, record_id, ignore_missing=True):
        self._drop('vpn_ike_policy', record_id)

    def leftovers(self):
        """Every service object still held, as (kind, id)."""
        return [(kind, record_id) for kind, records
                in self.service_records.items() for record_id in records]


class FakeNeutron(FakeServices, LosesAnswers):
    """Enough of openstack.network.v2._proxy.Proxy for the link core."""

    def __init__(self, physical_networks=('physnet1',), extensions=None,
                 physnet_mtu=1500, project_id='operator-project'):
        self.physical_networks = set(physical_networks)
        self.physnet_mtu = physnet_mtu
        # The project requests are made in: it owns what they create.
        self.project_id = project_id
        self.network_records = {}
        self.subnet_records = {}
        self.rbac_policy_records = {}
        self.port_records = {}
        # Routers, BGPVPNs and VPNaaS objects, as {kind: {id: record}}.
        self.service_records = collections.defaultdict(dict)
        self._vnis = itertools.count(1000)
        self.calls = []
        self.fail = {}
        self.lose = set()
        # Neutron quotas, as {resource: limit}; unlimited when absent.
        self.quotas = {}
        self._clock = itertools.count()
        self._extensions = extensions or [
            'provider', 'multi-provider', 'segment', 'net-mtu',
            'net-mtu-writable', 'standard-attr-tag', 'tag-creation',
            'tag-ports-during-bulk-creation']

    def _call(self, name):
        self.calls.append(name)
        if name in self.fail:
            raise self.fail[name]

    def _check_quota(self, resource, records):
        limit = self.quotas.get(resource)
        if limit is not None and len(records) >= limit:
            raise neutron_error(409, 'OverQuota',
                                "Quota exceeded for resources: ['%s']."
                                % resource)

    @property
    def writes(self):
        return [c for c in self.calls
                if c.split('_')[0] in ('create', 'update', 'delete', 'set')]

    def extensions(self):
        self._call('extensions')
        return [Record(alias=a) for a in self._extensions]

    def _segments_of(self, network):
        return network.segments or [{
            'provider:network_type': network.provider_network_type,
            'provider:physical_network': network.provider_physical_network,
            'provider:segmentation_id': network.provider_segmentation_id}]

    def segments(self, network_type=None, physical_network=None):
        self._call('segments')
        found = []
        for network in self.network_records.values():
            for seg in self._segments_of(network):
                if (seg['provider:network_type'] == network_type and
                        (physical_network is None or
                         seg.get('provider:physical_network') ==
                         physical_network)):
                    found.append(Record(
                        segmentation_id=seg.get('provider:segmentation_id')))
        return found

    def create_network(self, name=None, description='', admin_state_up=True,
                       segments=None, mtu=None, provider_network_type=None,
                       provider_physical_network=None,
                       provider_segmentation_id=None):
        self._call('create_network')
        self._check_quota('network', self.network_records)
        if not segments and provider_network_type is None:
            # The tenant network type, as Neutron allocates it.
            provider_network_type = 'vxlan'
            provider_segmentation_id = next(self._vnis)
        wanted = segments or [{
            'provider:network_type': provider_network_type,
            'provider:physical_network': provider_physical_network,
            'provider:segmentation_id': provider_segmentation_id}]
        for seg in wanted:
            physnet = seg.get('provider:physical_network')
            if physnet is not None and physnet not in self.physical_networks:
                raise sdk_exc.BadRequestException(
                    'physical network %s unknown' % physnet)
            self._refuse_in_use(seg)
        computed = min(self.physnet_mtu - definitions.ENCAPSULATION_OVERHEAD[
            seg['provider:network_type']] for seg in wanted)
        if mtu is not None and mtu > computed:
            raise sdk_exc.BadRequestException(
                'Requested MTU is too big, maximum is %d' % computed)
        network = Record(
            id=str(uuid.uuid4()), name=name, description=description, tags=[],
            project_id=self.project_id,
            is_admin_state_up=admin_state_up, status='ACTIVE',
            mtu=mtu or computed, subnet_ids=[], is_router_external=False,
            segments=segments,
            provider_network_type=None if segments else provider_network_type,
            provider_physical_network=(None if segments
                                       else provider_physical_network),
            provider_segmentation_id=(None if segments
                                      else provider_segmentation_id))
        self.network_records[network.id] = network
        return network

    def _refuse_in_use(self, seg, exclude=None):
        """Raise as ML2 does when another network holds the segment."""
        for existing in self.network_records.values():
            if existing.id == exclude:
                continue
            for other in self._segments_of(existing):
                if (other['provider:network_type'] ==
                        seg['provider:network_type'] and
                        other.get('provider:physical_network') ==
                        seg.get('provider:physical_network') and
                        other.get('provider:segmentation_id') ==
                        seg.get('provider:segmentation_id')):
                    error_type, message = _IN_USE.get(
                        seg['provider:network_type'], _TUNNEL_IN_USE)
                    raise neutron_error(409, error_type, message % {
                        'segmentation_id':
                            seg.get('provider:segmentation_id'),
                        'physnet': seg.get('provider:physical_network')})

    def set_tags(self, resource, tags):
        self._call('set_tags')
        resource.tags = list(tags)
        return resource

    def networks(self, tags=None, description=None):
        self._call('networks')
        return [n for n in self.network_records.values()
                if (tags is None or tags in n.tags) and
                (description is None or description == n.description)]

    def update_network(self, network_id, **changes):
        self._call('update_network')
        if network_id not in self.network_records:
            raise sdk_exc.NotFoundException('network %s' % network_id)
        network = self.network_records[network_id]
        if 'provider_segmentation_id' in changes:
            if network.segments:
                raise sdk_exc.BadRequestException(
                    'Provider network attributes can be updated only in '
                    'provider networks with a single segment.')
            self._refuse_in_use(dict(
                self._segments_of(network)[0],
                **{'provider:segmentation_id':
                   changes['provider_segmentation_id']}), exclude=network_id)
        if 'admin_state_up' in changes:
            network.is_admin_state_up = changes.pop('admin_state_up')
        for key, value in changes.items():
            setattr(network, key, value)
        return network

    def delete_network(self, network_id, ignore_missing=True):
        self._call('delete_network')
        network = self.network_records.pop(network_id, None)
        if network is None:
            if not ignore_missing:
                raise sdk_exc.NotFoundException('network %s' % network_id)
            return
        for subnet_id in network.subnet_ids:
            self.subnet_records.pop(subnet_id, None)
        for policy in self._policies(object_id=network_id):
            del self.rbac_policy_records[policy.id]

    def create_subnet(self, network_id, name=None, ip_version=4, cidr=None,
                      gateway_ip=_DEFAULT, enable_dhcp=True,
                      allocation_pools=None):
        """As Neutron: unless told otherwise, the gateway is the first
        host address and the pool the other ones."""
        self._call('create_subnet')
        self._check_quota('subnet', self.subnet_records)
        network = netaddr.IPNetwork(cidr)
        first = network.first + 1
        last = network.last - (1 if network.version == 4 else 0)
        if gateway_ip is _DEFAULT:
            gateway_ip = str(netaddr.IPAddress(first, network.version))
        if allocation_pools is None:
            start = first + (1 if gateway_ip else 0)
            allocation_pools = [{
                'start': str(netaddr.IPAddress(start, network.version)),
                'end': str(netaddr.IPAddress(last, network.version))}]
        subnet = Record(id=str(uuid.uuid4()), network_id=network_id,
                         created_at='2026-01-01T00:%05d' % next(self._clock),
                         name=name, ip_version=ip_version, cidr=cidr,
                         gateway_ip=gateway_ip, enable_dhcp=enable_dhcp,
                         allocation_pools=allocation_pools)
        self.subnet_records[subnet.id] = subnet
        self.network_records[network_id].subnet_ids.append(subnet.id)
        return subnet

    def subnets(self, ip_version=None, cidr=None):
        self._call('subnets')
        return [s for s in self.subnet_records.values()
                if (ip_version is None or s.ip_version == ip_version) and
                (cidr is None or s.cidr == cidr)]

    def delete_subnet(self, subnet_id, ignore_missing=True):
        self._call('delete_subnet')
        subnet = self.subnet_records.pop(subnet_id, None)
        if subnet is not None:
            self.network_records[subnet.network_id].subnet_ids.remove(
                subnet_id)

    def get_subnet(self, subnet_id):
        self._call('get_subnet')
        return self.subnet_records[subnet_id]

    def find_subnet(self, subnet_id, ignore_missing=True):
        self._call('find_subnet')
        return self.subnet_records.get(subnet_id)

    def update_subnet(self, subnet_id, **changes):
        self._call('update_subnet')
        for key, value in changes.items():
            setattr(self.subnet_records[subnet_id], key, value)

    def create_port(self, network_id, name=None, project_id=None,
                    fixed_ips=None, tags=()):
        """Ports take tags in their create request, kept only with ML2's
        tag_ports_during_bulk_creation extension driver."""
        self._call('create_port')
        for ip in fixed_ips or []:
            if any(ip.get('ip_address') == held.get('ip_address') and
                   ip.get('subnet_id') == held.get('subnet_id')
                   for port in self.port_records.values()
                   for held in port.fixed_ips):
                raise neutron_error(
                    409, 'IpAddressAlreadyAllocated',
                    'IP address %s already allocated in subnet %s'
                    % (ip['ip_address'], ip['subnet_id']))
        port = Record(id=str(uuid.uuid4()), network_id=network_id,
                       name=name, project_id=project_id,
                       fixed_ips=list(fixed_ips or []), tags=list(
                           tags if 'tag-ports-during-bulk-creation' in
                           self._extensions else ()),
                       is_admin_state_up=True)
        self.port_records[port.id] = port
        return self._answer('create_port', port)

    def ports(self, network_id=None, tags=None, device_id=None,
              device_owner=None):
        self._call('ports')
        return [p for p in self.port_records.values()
                if network_id in (None, p.network_id) and
                (tags is None or tags in p.tags) and
                device_id in (None, getattr(p, 'device_id', None)) and
                device_owner in (None, getattr(p, 'device_owner', None))]

    def find_port(self, name_or_id, ignore_missing=True):
        self._call('find_port')
        return self.port_records.get(name_or_id) or next(
            (p for p in self.port_records.values() if p.name == name_or_id),
            None)

    def update_port(self, port_id, **changes):
        self._call('update_port')
        port = self.port_records[port_id]
        port.is_admin_state_up = changes.pop('admin_state_up',
                                             port.is_admin_state_up)
        for key, value in changes.items():
            setattr(port, key, value)
        return port

    def delete_port(self, port_id, ignore_missing=True):
        self._call('delete_port')
        self.port_records.pop(port_id, None)

    def create_rbac_policy(self, object_type, object_id, action,
                           target_project_id):
        self._call('create_rbac_policy')
        self._check_quota('rbac_policy', self.rbac_policy_records)
        if object_id not in self.network_records:
            raise neutron_error(404, 'NetworkNotFound',
                                'Network %s could not be found.' % object_id)
        if self._policies(object_id=object_id, action=action,
                          target_project_id=target_project_id):
            raise neutron_error(409, 'DuplicateRbacPolicy',
                                'An RBAC policy already exists with those '
                                'values.')
        policy = Record(id=str(uuid.uuid4()), object_type=object_type,
                         object_id=object_id, action=action,
                         target_project_id=target_project_id,
                         project_id=self.project_id)
        self.rbac_policy_records[policy.id] = policy
        return policy

    def rbac_policies(self, **query):
        self._call('rbac_policies')
        return self._policies(**query)

    def _policies(self, **query):
        return [p for p in self.rbac_policy_records.values()
                if all(getattr(p, key) == value
                       for key, value in query.items())]

    def delete_rbac_policy(self, policy_id, ignore_missing=True):
        self._call('delete_rbac_policy')
        if (self.rbac_policy_records.pop(policy_id, None) is None and
                not ignore_missing):
            raise sdk_exc.NotFoundException('rbac policy %s' % policy_id)
