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

"""Neutron: one per region (neutron-r1, neutron-r2, neutron-b), ML2 with
the sandbox mechanism driver, BGPVPN and VPNaaS service plugins, no
agent."""

import os
import sys

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox import snapshots
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology

PASTE = 'neutron-api-paste.ini'


def conf(lay, name, sec):
    _, _, cloud, region = topology.SERVICES[name]
    ndir = lay.data_dir(name)
    password = sec['neutron_' + cloud]
    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('state_path', ndir),
            ('api_paste_config', os.path.join(lay.etc, PASTE)),
            ('core_plugin', 'ml2'),
            ('service_plugins', 'router,segments,bgpvpn,vpnaas'),
            ('auth_strategy', 'keystone'),
            ('transport_url', 'fake://'),
            ('notify_nova_on_port_status_changes', False),
            ('notify_nova_on_port_data_changes', False),
            ('dhcp_agent_notification', False),
            ('allow_overlapping_ips', True),
            ('filter_validation', False),
            ('global_physnet_mtu', 1500),
            ('api_workers', 1),
            ('rpc_workers', 0),
            ('rpc_state_report_workers', 0),
            ('setproctitle', 'off'),
        ],
        'database': ini.database(lay, name),
        'keystone_authtoken': ini.authtoken(lay, cloud, 'neutron', password,
                                            region),
        'oslo_concurrency': [('lock_path', os.path.join(ndir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
        # tag_ports_during_bulk_creation stores the tags a port create
        # request carries (a VNF's reserved ports); without it Neutron
        # accepts and drops them.
        'ml2': [('type_drivers', 'flat,vlan,vxlan,gre,geneve'),
                ('tenant_network_types', 'vxlan'),
                ('mechanism_drivers', 'sandbox'),
                ('extension_drivers',
                 'port_security,tag_ports_during_bulk_creation')],
        'ml2_sandbox': [('host_physnets', topology.host_physnets(name))],
        'ml2_type_flat': [('flat_networks', '*')],
        'ml2_type_vlan': [('network_vlan_ranges',
                           ','.join(topology.VLAN_RANGES[name]))],
        'ml2_type_vxlan': [('vni_ranges', '1000:1999')],
        'ml2_type_gre': [('tunnel_id_ranges', '1:999')],
        'ml2_type_geneve': [('vni_ranges', '2000:2999')],
        # Every link shares its networks through an RBAC policy owned by
        # the link builder's project: Neutron's default of 10 per project
        # would cap a cloud at 10 links (README: operator configuration).
        'quotas': [('quota_rbac_policy', -1)],
        'service_providers': [
            ('service_provider',
             'BGPVPN:Dummy:networking_bgpvpn.neutron.services.'
             'service_drivers.driver_api.BGPVPNDriver:default'),
            ('service_provider',
             'VPN:sandbox:geo_heat_sandbox.drivers.vpn.'
             'SandboxIPsecVPNDriver:default'),
        ],
    })


def configure(lay, sec):
    for name in topology.services_of('neutron'):
        _layout.write_file(lay.conf(name), conf(lay, name, sec))
        os.makedirs(os.path.join(lay.data_dir(name), 'lock'), exist_ok=True)
    ini.install_paste(lay, PASTE)


def schema(lay):
    """Models of neutron + networking-bgpvpn + neutron-vpnaas,
    ``create_all`` then ``neutron-db-manage stamp heads``, since the
    migrations do not run on SQLite."""
    def fill(engine, path):
        from neutron.db.migration import cli
        from neutron.db.migration.models import head
        import networking_bgpvpn.neutron.db.head  # noqa: F401
        import neutron_vpnaas.db.models.head  # noqa: F401

        head.get_metadata().create_all(engine)
        snapshots.stamp(lay, path, 'neutron-db-manage', cli.main, 'heads')

    snapshots.build(lay, 'neutron', fill)


def load(lay, name):
    os.environ['OS_NEUTRON_CONFIG_DIR'] = lay.etc
    os.environ['OS_NEUTRON_CONFIG_FILES'] = name + '.conf'
    sys.argv = ['neutron-api']
    from neutron import server
    from neutron.server import api
    app = server.boot_server(api.api_server, prog='neutron-api')
    if app is None:
        raise RuntimeError('neutron did not build its WSGI application')
    patches.neutron_policy_warmup()
    return app


def provision(sess, lay, name):
    """The external network IPsec links' routers get their gateway on,
    once."""
    url = lay.url(name) + '/v2.0'
    networks = sess.get(url + '/networks', params={
        'name': topology.EXTERNAL_NETWORK}).json()['networks']
    network = networks[0] if networks else sess.post(
        url + '/networks', json={'network': {
            'name': topology.EXTERNAL_NETWORK, 'router:external': True,
            'provider:network_type': 'flat',
            'provider:physical_network': topology.EXTERNAL_PHYSNET}},
    ).json()['network']
    if not network['subnets']:
        sess.post(url + '/subnets', json={'subnet': {
            'network_id': network['id'], 'ip_version': 4,
            'cidr': topology.EXTERNAL_CIDRS[name], 'enable_dhcp': False}})


FAMILY = family.Family(
    name='neutron', title='Neutron', configure=configure, load=load,
    warm_up=family.get('/v2.0/networks'), schema=schema,
    provision=provision, catalog=('network', ''),
    preload=('neutron.server', 'neutron.server.api',
             'neutron.plugins.ml2.plugin', 'neutron.api.v2.router',
             'neutron.services.l3_router.l3_router_plugin',
             'neutron.services.segments.plugin',
             'neutron_vpnaas.services.vpn.plugin',
             'networking_bgpvpn.neutron.services.plugin',
             'neutron.pecan_wsgi.app', 'keystonemiddleware.auth_token'))
