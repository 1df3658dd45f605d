"""State directory layout, ports, secrets and generated configuration files.

Everything here is pure file generation: no OpenStack package is imported,
so the CLI stays fast and this module can be unit tested.
"""

import base64
import importlib.util
import json
import os
import secrets as _secrets
import uuid

import yaml

# Below the ephemeral range (32768-60999 on Linux), so outgoing
# connections never hold a port the sandbox needs.
DEFAULT_PORT_BASE = 25400
HOST = '127.0.0.1'
ENV_DIR = 'GEO_HEAT_SANDBOX_DIR'
ENV_PORT_BASE = 'GEO_HEAT_SANDBOX_PORT_BASE'

REGION_ONE = 'RegionOne'
REGION_TWO = 'RegionTwo'

# name -> (family, port offset, cloud, region)
SERVICES = {
    'keystone-a': ('keystone', 0, 'a', None),
    'keystone-b': ('keystone', 1, 'b', None),
    'neutron-r1': ('neutron', 2, 'a', REGION_ONE),
    'neutron-r2': ('neutron', 3, 'a', REGION_TWO),
    'neutron-b': ('neutron', 4, 'b', REGION_ONE),
    'heat-r1': ('heat', 5, 'a', REGION_ONE),
    'heat-r2': ('heat', 6, 'a', REGION_TWO),
    'barbican': ('barbican', 7, 'a', None),
    'heat-b': ('heat', 8, 'b', REGION_ONE),
    'placement-r1': ('placement', 9, 'a', REGION_ONE),
    'placement-r2': ('placement', 10, 'a', REGION_TWO),
    'placement-b': ('placement', 11, 'b', REGION_ONE),
    'glance-a': ('glance', 12, 'a', None),
    'glance-b': ('glance', 13, 'b', None),
    'nova-r1': ('nova', 14, 'a', REGION_ONE),
    'nova-r2': ('nova', 15, 'a', REGION_TWO),
    'nova-b': ('nova', 16, 'b', REGION_ONE),
}
# Tacker (API and conductor) under Keystone A, its VNFs' VIM RegionOne:
# an extra of the sandbox distribution (geo-heat-sandbox[tacker]), a
# service only where it is installed.
if importlib.util.find_spec('tacker') is not None:
    SERVICES['tacker'] = ('tacker', 17, 'a', REGION_ONE)
FAMILIES = ('keystone', 'neutron', 'heat', 'barbican', 'placement', 'glance',
            'nova', 'tacker')

VLAN_RANGES = {
    'neutron-r1': ['physnet1:100:199', 'physnet-cell1:100:199',
                   'physnet-cell2:100:199'],
    'neutron-r2': ['physnet1:100:199'],
    'neutron-b': ['physnet1:100:199'],
}
# An operator cloud whose Keystone accepts connections and never answers
# (a WAN that drops packets): its port is free unless a test listens there.
SILENT_CLOUD = 'cloud-silent'
SILENT_PORT_OFFSET = 99

# What the sandbox's "datacenter interconnect" carries ([geo_heat]
# interconnects): physnet1 trunked between the regions, to cloud B and to
# clouds reached through a Barbican credential on VLANs 100-3999 (tests
# with fixed IDs and the benchmark use 2000-3999, apart from what the demo
# and the templates draw from), the cells' physical networks, and tunnels
# between the regions as if an EVPN gateway stitched them, on the ranges
# their Neutrons hand out. BGPVPN and IPsec stitch RegionOne to RegionTwo
# and to cloud B; RegionTwo reaches cloud B over the internet only (IPsec),
# the pair where auto has one choice. VLAN and flat links of tenants may use
# the trunk (physnet1) and the cells' own physical networks only: never
# extnet, the external networks' physical network.
INTERCONNECTS = (
    'region:RegionOne|region:RegionTwo|bgpvpn',
    'region:RegionOne|region:RegionTwo|ipsec',
    'region:RegionOne|cloud:cloud-b|bgpvpn',
    'region:RegionOne|cloud:cloud-b|ipsec',
    'region:RegionTwo|cloud:cloud-b|ipsec',
    'region:RegionOne|region:RegionTwo|vlan:100:3999|physnet=physnet1',
    'region:RegionOne|region:RegionTwo|flat|physnet=physnet1',
    'region:RegionOne|region:RegionTwo|vxlan:1000:1999',
    'region:RegionOne|region:RegionTwo|gre:1:999',
    'region:RegionOne|region:RegionTwo|geneve:2000:2999',
    'region:RegionOne|cloud:cloud-b|vlan:100:3999|physnet=physnet1',
    'region:RegionTwo|cloud:cloud-b|vlan:100:3999|physnet=physnet1',
    'region:RegionOne|*|vlan:100:3999|physnet=physnet1',
    'cell:cell1|cell:cell2|vlan:100:199|physnet=physnet-cell1/'
    'physnet-cell2',
    'cell:cell1|region:RegionTwo|vlan:195:199|physnet=physnet-cell1/'
    'physnet1',
    'region:RegionOne|cloud:%s|vlan:100:199|physnet=physnet1' % SILENT_CLOUD,
)
# The same trunk seen from cloud B's Heat: its RegionOne to cloud A.
INTERCONNECTS_OF_CLOUD_B = (
    'region:RegionOne|cloud:cloud-a|bgpvpn',
    'region:RegionOne|cloud:cloud-a|ipsec',
    'region:RegionOne|cloud:cloud-a|vlan:100:3999|physnet=physnet1',
)
# 100 route targets: 20 BGPVPN links at once (R2) often pick the same one.
ROUTE_TARGET_RANGE = '10000:10099'
# The external network of each Neutron ([geo_heat] ipsec_external_network):
# the gateways of IPsec links' routers, their peer addresses.
EXTERNAL_NETWORK = 'public'
EXTERNAL_PHYSNET = 'extnet'
EXTERNAL_CIDRS = {'neutron-r1': '203.0.113.0/26',
                  'neutron-r2': '203.0.113.64/26',
                  'neutron-b': '203.0.113.128/26'}
LINK_MTU_CAP = 1500
# Links the tenant's stacks may hold at once ([geo_heat]
# max_links_per_project): the benchmarks' 20 at once, beside the tests.
MAX_LINKS_PER_PROJECT = 100
CELL_MAPPINGS = {
    'heat-r1': 'cell1:az-cell1:physnet-cell1,cell2:az-cell2:physnet-cell2',
}

# Names of the generated secrets (values are random per state dir).
SECRET_NAMES = ('admin_a', 'admin_b', 'neutron_a', 'heat_a', 'barbican_a',
                'neutron_b', 'barbican_kek', 'heat_b', 'nova_a', 'nova_b',
                'placement_a', 'placement_b', 'glance_a', 'glance_b',
                'geo_heat_a', 'tenant_a', 'tenant_b', 'other_a', 'silent',
                'tacker_a', 'heat_domain_admin_a', 'heat_domain_admin_b')

# Projects of tenants, as (key, cloud, project and user name, password
# secret). A tenant is a `member`, never admin: `tenant` owns the VNF in
# cloud A and its standby project in cloud B is `tenant-b`; `other` is a
# second project of cloud A that must see none of tenant's links and may
# not use cloud B.
TENANTS = (
    ('tenant', 'a', 'geo-tenant', 'tenant_a'),
    ('other', 'a', 'geo-other', 'other_a'),
    ('tenant-b', 'b', 'geo-tenant', 'tenant_b'),
)
# Operator credentials that build links in cloud A ([geo_heat] link_cloud).
LINK_BUILDER = 'geo-heat'
# Heat's stack user domain in each Keystone and the user that manages it
# (secret heat_domain_admin_<cloud>): the stack users of SignalResponder
# resources (wait condition handles, scaling policies, software
# deployments) live there, one project per stack.
STACK_USER_DOMAIN = 'heat'
STACK_DOMAIN_ADMIN = 'heat_domain_admin'


def default_state_dir():
    env = os.environ.get(ENV_DIR)
    if env:
        return os.path.abspath(os.path.expanduser(env))
    base = os.environ.get('XDG_STATE_HOME') or os.path.expanduser(
        '~/.local/state')
    return os.path.join(base, 'geo-heat-sandbox')


def services_of(family):
    return [n for n, v in SERVICES.items() if v[0] == family]


class Layout(object):
    """Paths and ports of one sandbox state directory."""

    def __init__(self, state_dir=None):
        self.root = os.path.abspath(os.path.expanduser(
            state_dir or default_state_dir()))
        self.etc = os.path.join(self.root, 'etc')
        self.db = os.path.join(self.root, 'db')
        self.logs = os.path.join(self.root, 'logs')
        self.run = os.path.join(self.root, 'run')
        self.data = os.path.join(self.root, 'data')
        self.snapshots = os.path.join(self.root, 'snapshots')
        self.secrets_file = os.path.join(self.root, 'secrets.json')
        self.state_file = os.path.join(self.root, 'state.json')
        self.lock_file = os.path.join(self.root, '.lock')
        self.clouds_yaml = os.path.join(self.root, 'clouds.yaml')
        self.operator_clouds_yaml = os.path.join(self.root,
                                                 'operator-clouds.yaml')
        self._port_base = None

    # -- directories -----------------------------------------------------
    def ensure_dirs(self):
        for d in (self.root, self.etc, self.db, self.logs, self.run,
                  self.data, self.snapshots):
            os.makedirs(d, exist_ok=True)
        os.chmod(self.root, 0o700)

    def conf(self, name):
        return os.path.join(self.etc, name + '.conf')

    def log(self, name):
        return os.path.join(self.logs, name + '.log')

    def access_log(self, name):
        return os.path.join(self.logs, name + '-access.log')

    def pid_file(self, name):
        return os.path.join(self.run, name + '.pid')

    def sqlite(self, name):
        return os.path.join(self.db, name + '.sqlite')

    def db_url(self, name):
        return 'sqlite:///' + self.sqlite(name)

    # -- ports -----------------------------------------------------------
    @property
    def port_base(self):
        if self._port_base is None:
            state = self.read_state()
            base = state.get('port_base')
            if base is None:
                base = int(os.environ.get(ENV_PORT_BASE, DEFAULT_PORT_BASE))
            self._port_base = int(base)
        return self._port_base

    def port(self, name):
        return self.port_base + SERVICES[name][1]

    @property
    def silent_port(self):
        return self.port_base + SILENT_PORT_OFFSET

    def url(self, name):
        return 'http://%s:%d' % (HOST, self.port(name))

    def auth_url(self, cloud):
        return self.url('keystone-' + cloud) + '/v3'

    def read_state(self):
        try:
            with open(self.state_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def project_ids(self):
        """IDs of the tenant projects, chosen once per state dir so that
        Heat's configuration can name them before Keystone exists."""
        ids = self.read_state().get('project_ids', {})
        missing = [key for key, *_rest in TENANTS if key not in ids]
        if missing:
            ids.update((key, uuid.uuid4().hex) for key in missing)
            self.write_state(project_ids=ids)
        return ids

    def write_state(self, **values):
        state = self.read_state()
        state.update(values)
        _write(self.state_file, json.dumps(state, indent=1, sort_keys=True))

    # -- secrets ---------------------------------------------------------
    def load_secrets(self, create=False):
        try:
            with open(self.secrets_file) as f:
                values = json.load(f)
        except (OSError, ValueError):
            if not create:
                return {}
            values = {}
        changed = False
        if create:
            for name in SECRET_NAMES:
                if name not in values:
                    if name == 'barbican_kek':
                        values[name] = base64.b64encode(
                            _secrets.token_bytes(32)).decode()
                    else:
                        values[name] = _secrets.token_urlsafe(24)
                    changed = True
            if changed:
                _write(self.secrets_file, json.dumps(values, indent=1),
                       mode=0o600)
        return values


def _write(path, text, mode=0o600):
    tmp = path + '.tmp'
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _ini(sections):
    out = []
    for section, items in sections.items():
        out.append('[%s]' % section)
        for key, value in items:
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            out.append('%s = %s' % (key, value))
        out.append('')
    return '\n'.join(out)


def _authtoken(layout, cloud, user, password, region):
    return [
        ('www_authenticate_uri', layout.auth_url(cloud)),
        ('auth_url', layout.auth_url(cloud)),
        ('auth_type', 'password'),
        ('username', user),
        ('password', password),
        ('project_name', 'service'),
        ('user_domain_name', 'Default'),
        ('project_domain_name', 'Default'),
        ('region_name', region),
        ('service_token_roles_required', True),
    ]


def _database(layout, name):
    return [('connection', layout.db_url(name)),
            ('sqlite_synchronous', False)]


def keystone_conf(layout, name):
    kdir = os.path.join(layout.data, name)
    return _ini({
        'DEFAULT': [('debug', False), ('insecure_debug', False)],
        'database': _database(layout, name),
        'token': [('provider', 'fernet')],
        # sandbox: cheap bcrypt (every token issue hashes a password) and
        # no "Truncating password" warning on every authentication.
        'identity': [('password_hash_rounds', 4),
                     ('max_password_length', 72)],
        'fernet_tokens': [('key_repository',
                           os.path.join(kdir, 'fernet-keys'))],
        'fernet_receipts': [('key_repository',
                             os.path.join(kdir, 'fernet-keys'))],
        'credential': [('key_repository',
                        os.path.join(kdir, 'credential-keys'))],
        'cache': [('enabled', True),
                  ('backend', 'dogpile.cache.memory')],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


def neutron_conf(layout, name, sec):
    _, _, cloud, region = SERVICES[name]
    ndir = os.path.join(layout.data, name)
    password = sec['neutron_' + cloud]
    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('state_path', ndir),
            ('api_paste_config', os.path.join(layout.etc,
                                              'neutron-api-paste.ini')),
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
        'database': _database(layout, name),
        'keystone_authtoken': _authtoken(layout, cloud, 'neutron', password,
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
        'ml2_sandbox': [('host_physnets', host_physnets(name))],
        'ml2_type_flat': [('flat_networks', '*')],
        'ml2_type_vlan': [('network_vlan_ranges',
                           ','.join(VLAN_RANGES[name]))],
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
             'VPN:sandbox:geo_heat_sandbox.patches.'
             'SandboxIPsecVPNDriver:default'),
        ],
    })


NEUTRON_PASTE = """\
[composite:neutron]
use = egg:Paste#urlmap
/: neutronversions_composite
/v2.0: neutronapi_v2_0

[composite:neutronapi_v2_0]
use = call:neutron.auth:pipeline_factory
keystone = cors http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0

[composite:neutronversions_composite]
use = call:neutron.auth:pipeline_factory
keystone = cors http_proxy_to_wsgi neutronversions

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = neutron

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory

[app:neutronversions]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory

[app:neutronapiapp_v2_0]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
"""

HEAT_PASTE = """\
[composite:heat-api]
use = egg:Paste#urlmap
/: api

[composite:api]
paste.composite_factory = heat.api:pipeline_factory
default = cors request_id faultwrap http_proxy_to_wsgi versionnegotiation authurl authtoken context apiv1app

[app:apiv1app]
paste.app_factory = heat.common.wsgi:app_factory
heat.app_factory = heat.api.openstack.v1:API

[filter:versionnegotiation]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:version_negotiation_filter

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = heat

[filter:faultwrap]
paste.filter_factory = heat.common.wsgi:filter_factory
heat.filter_factory = heat.api.openstack:faultwrap_filter

[filter:context]
paste.filter_factory = heat.common.context:ContextMiddleware_filter_factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory

[filter:authurl]
paste.filter_factory = heat.common.auth_url:filter_factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:request_id]
paste.filter_factory = oslo_middleware.request_id:RequestId.factory
"""

BARBICAN_PASTE = """\
[composite:main]
use = egg:Paste#urlmap
/: barbican_version
/v1: barbican-api-keystone

[pipeline:barbican_version]
pipeline = cors request_id http_proxy_to_wsgi microversion versionapp

[pipeline:barbican-api-keystone]
pipeline = cors request_id http_proxy_to_wsgi authtoken context microversion apiapp

[app:apiapp]
paste.app_factory = barbican.api.app:create_main_app

[app:versionapp]
paste.app_factory = barbican.api.app:create_version_app

[filter:context]
paste.filter_factory = barbican.api.middleware.context:ContextMiddleware.factory

[filter:microversion]
paste.filter_factory = barbican.api.middleware.microversion:MicroversionMiddleware.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = barbican

[filter:request_id]
paste.filter_factory = oslo_middleware.request_id:RequestId.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
"""


def geo_heat_options(layout, cloud):
    """[geo_heat] of a Heat of `cloud`: its own link builder, the other
    cloud as a named cloud open to the tenant (with the tenant's project
    there), and what the interconnect carries from this cloud's view."""
    projects = layout.project_ids()
    if cloud == 'a':
        link_cloud, other = 'cloud-a', 'cloud-b'
        mapping = [(other, projects['tenant'], projects['tenant-b']),
                   (SILENT_CLOUD, projects['tenant'], 'unused')]
        interconnects = INTERCONNECTS
    else:
        link_cloud, other = 'cloud-b', 'cloud-a'
        mapping = [(other, projects['tenant-b'], projects['tenant'])]
        interconnects = INTERCONNECTS_OF_CLOUD_B
    geo = [('clouds_file', layout.operator_clouds_yaml),
           ('link_cloud', link_cloud),
           ('cloud_projects', ','.join(':'.join(item) for item in mapping)),
           ('link_mtu_cap', LINK_MTU_CAP),
           ('max_links_per_project', MAX_LINKS_PER_PROJECT),
           ('ipsec_external_network', EXTERNAL_NETWORK),
           ('route_target_range', ROUTE_TARGET_RANGE)]
    geo.extend(('interconnects', item) for item in interconnects)
    return geo


def heat_conf(layout, name, sec, plugin_dirs):
    _, _, cloud, region = SERVICES[name]
    hdir = os.path.join(layout.data, name)
    password = sec['heat_' + cloud]
    geo = geo_heat_options(layout, cloud)
    if name in CELL_MAPPINGS:
        geo.append(('cell_mappings', CELL_MAPPINGS[name]))
    url = layout.url(name)
    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('transport_url', 'fake://'),
            ('plugin_dirs', ','.join(plugin_dirs)),
            ('environment_dir', os.path.join(hdir, 'environment.d')),
            ('template_dir', os.path.join(hdir, 'templates')),
            ('deferred_auth_method', 'trusts'),
            ('region_name_for_services', region),
            ('convergence_engine', True),
            ('num_engine_workers', 1),
            ('heat_metadata_server_url', url),
            ('heat_waitcondition_server_url', url + '/v1/waitcondition'),
            ('max_nested_stack_depth', 10),
            ('stack_user_domain_name', STACK_USER_DOMAIN),
            ('stack_domain_admin', STACK_DOMAIN_ADMIN),
            ('stack_domain_admin_password',
             sec[STACK_DOMAIN_ADMIN + '_' + cloud]),
        ],
        'database': _database(layout, name),
        'paste_deploy': [('api_paste_config',
                          os.path.join(layout.etc, 'heat-api-paste.ini'))],
        'keystone_authtoken': _authtoken(layout, cloud, 'heat', password,
                                         region),
        'trustee': [
            ('auth_type', 'password'),
            ('auth_url', layout.auth_url(cloud)),
            ('username', 'heat'),
            ('password', password),
            ('user_domain_name', 'Default'),
        ],
        'clients_keystone': [('auth_uri', layout.url('keystone-' + cloud))],
        'ec2authtoken': [('auth_uri', layout.auth_url(cloud))],
        'oslo_messaging_notifications': [('driver', 'noop')],
        'oslo_concurrency': [('lock_path', os.path.join(hdir, 'lock'))],
        # geo-heat's policy defaults, as an operator installs them.
        'oslo_policy': [('policy_dirs', os.path.join(hdir, 'policy.d'))],
        'geo_heat': geo,
    })


def barbican_conf(layout, sec):
    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('host_href', layout.url('barbican')),
            ('db_auto_create', True),
        ],
        'database': _database(layout, 'barbican'),
        'keystone_authtoken': _authtoken(layout, 'a', 'barbican',
                                         sec['barbican_a'], REGION_ONE),
        'secretstore': [('enabled_secretstore_plugins', 'store_crypto')],
        'crypto': [('enabled_crypto_plugins', 'simple_crypto')],
        'simple_crypto_plugin': [('kek', sec['barbican_kek'])],
        'oslo_messaging_notifications': [('driver', 'noop')],
        'queue': [('enable', False)],
    })


def _cloud(layout, cloud, password, region=None, regions=None,
           username='admin', project_name='admin'):
    entry = {
        'auth': {
            'auth_url': layout.auth_url(cloud),
            'username': username,
            'password': password,
            'project_name': project_name,
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
        },
        'identity_api_version': 3,
        'interface': 'public',
    }
    if regions:
        entry['regions'] = regions
    if region:
        entry['region_name'] = region
    return entry


def _tenant_cloud(layout, sec, key, region=None, regions=None):
    _key, cloud, name, secret = next(t for t in TENANTS if t[0] == key)
    return _cloud(layout, cloud, sec[secret], region, regions,
                  username=name, project_name=name)


def clouds(layout, sec):
    """The user-facing clouds.yaml content (dict): the admins of each
    cloud, and the tenants (members of their project)."""
    both = [REGION_ONE, REGION_TWO]
    return {'clouds': {
        'sandbox': _cloud(layout, 'a', sec['admin_a'], REGION_ONE, both),
        'sandbox-r2': _cloud(layout, 'a', sec['admin_a'], REGION_TWO,
                             [REGION_TWO, REGION_ONE]),
        'sandbox-b': _cloud(layout, 'b', sec['admin_b'], REGION_ONE),
        'tenant': _tenant_cloud(layout, sec, 'tenant', REGION_ONE, both),
        'tenant-r2': _tenant_cloud(layout, sec, 'tenant', REGION_TWO,
                                   [REGION_TWO, REGION_ONE]),
        'tenant-b': _tenant_cloud(layout, sec, 'tenant-b', REGION_ONE),
        'other': _tenant_cloud(layout, sec, 'other', REGION_ONE, both),
    }}


def operator_clouds(layout, sec):
    """The operator-side clouds.yaml read by Heat ([geo_heat] clouds_file):
    the link builder of cloud A, and cloud B's admin."""
    return {'clouds': {
        'cloud-a': _cloud(layout, 'a', sec['geo_heat_a'], REGION_ONE,
                          [REGION_ONE, REGION_TWO], username=LINK_BUILDER,
                          project_name='service'),
        'cloud-b': _cloud(layout, 'b', sec['admin_b'], REGION_ONE),
        SILENT_CLOUD: dict(
            _cloud(layout, 'b', sec['silent'], REGION_ONE),
            auth=dict(_cloud(layout, 'b', sec['silent'])['auth'],
                      auth_url='http://%s:%d/v3' % (HOST,
                                                    layout.silent_port))),
    }}


def write_configs(layout, sec, plugin_dirs):
    """(Re)write every generated file of the state dir."""
    from geo_heat import policy as geo_policy  # oslo.policy: only here
    layout.ensure_dirs()
    for name in services_of('keystone'):
        _write(layout.conf(name), keystone_conf(layout, name))
    for name in services_of('neutron'):
        _write(layout.conf(name), neutron_conf(layout, name, sec))
        os.makedirs(os.path.join(layout.data, name, 'lock'), exist_ok=True)
    for name in services_of('heat'):
        _write(layout.conf(name), heat_conf(layout, name, sec, plugin_dirs))
        hdir = os.path.join(layout.data, name)
        for sub in ('environment.d', 'templates', 'lock', 'policy.d'):
            os.makedirs(os.path.join(hdir, sub), exist_ok=True)
        _write(os.path.join(hdir, 'policy.d', 'geo-heat.yaml'),
               geo_policy.as_policy_file(), 0o644)
    _write(layout.conf('barbican'), barbican_conf(layout, sec))
    _write(os.path.join(layout.etc, 'neutron-api-paste.ini'), NEUTRON_PASTE,
           0o644)
    _write(os.path.join(layout.etc, 'heat-api-paste.ini'), HEAT_PASTE, 0o644)
    _write(os.path.join(layout.etc, 'barbican-api-paste.ini'),
           BARBICAN_PASTE, 0o644)
    write_compute_configs(layout, sec)
    for name in services_of('tacker'):
        _write(layout.conf(name), tacker_conf(layout, name, sec))
        for sub in TACKER_DIRS:
            os.makedirs(os.path.join(layout.data, name, sub), exist_ok=True)
        _write(os.path.join(layout.etc, 'tacker-api-paste.ini'),
               TACKER_PASTE, 0o644)
    _write(layout.clouds_yaml,
           yaml.safe_dump(clouds(layout, sec), default_flow_style=False))
    _write(layout.operator_clouds_yaml,
           yaml.safe_dump(operator_clouds(layout, sec),
                          default_flow_style=False))


# -- compute: Placement, Glance, Nova ----------------------------------------

# Nova service -> {cell name: (its fake compute host, availability zone)}.
# A zone of None leaves the host in Nova's default zone.
NOVA_CELLS = {
    'nova-r1': {'cell1': ('nova-r1-cell1', 'az-cell1'),
                'cell2': ('nova-r1-cell2', 'az-cell2')},
    'nova-r2': {'cell1': ('nova-r2-cell1', None)},
    'nova-b': {'cell1': ('nova-b-cell1', None)},
}
# Physical networks each fake compute host is wired to: the sandbox ML2
# mechanism driver binds a flat or VLAN port there only.
HOST_PHYSNETS = {
    'nova-r1-cell1': ('physnet1', 'physnet-cell1'),
    'nova-r1-cell2': ('physnet1', 'physnet-cell2'),
    'nova-r2-cell1': ('physnet1',),
    'nova-b-cell1': ('physnet1',),
}
# Registered in every Glance and every Nova at the first up.
IMAGE_NAME = 'cirros-fake'
FLAVOR = {'name': 'm1.tiny', 'ram': 64, 'vcpus': 1, 'disk': 1,
          'os-flavor-access:is_public': True}
COMPUTE_DRIVER = 'fake.SandboxFakeDriver'


def sibling(name, family):
    """The service of `family` in the same cloud and region as `name`."""
    _, _, cloud, region = SERVICES[name]
    for other, (fam, _, other_cloud, other_region) in SERVICES.items():
        if fam == family and other_cloud == cloud and other_region in (
                region, None):
            return other
    raise KeyError('no %s beside %s' % (family, name))


def nova_databases(layout, name):
    """{'api': path, 'cell0': path, cell name: path} of one Nova."""
    dbs = {'api': layout.sqlite(name + '-api'), 'cell0': layout.sqlite(name)}
    for cell in NOVA_CELLS[name]:
        dbs[cell] = layout.sqlite('%s-%s' % (name, cell))
    return dbs


def host_physnets(neutron):
    """[ml2_sandbox] host_physnets of one Neutron: its region's hosts."""
    nova = sibling(neutron, 'nova')
    return ','.join('%s:%s' % (host, ' '.join(HOST_PHYSNETS[host]))
                    for host, _ in NOVA_CELLS[nova].values())


def _service_auth(layout, cloud, user, password, region):
    """Password auth of a service user, for a [section] of nova.conf."""
    return [(key, value) for key, value in _authtoken(
        layout, cloud, user, password, region)
        if key not in ('www_authenticate_uri',
                       'service_token_roles_required')]


def placement_conf(layout, name, sec):
    _, _, cloud, region = SERVICES[name]
    return _ini({
        'DEFAULT': [('debug', False)],
        'api': [('auth_strategy', 'keystone')],
        'placement_database': _database(layout, name),
        'keystone_authtoken': _authtoken(
            layout, cloud, 'placement', sec['placement_' + cloud], region),
    })


def glance_conf(layout, name, sec):
    cloud = SERVICES[name][2]
    gdir = os.path.join(layout.data, name)
    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('enabled_backends', 'fs:file'),
            ('worker_self_reference_url', layout.url(name)),
            ('enabled_import_methods', '[]'),
        ],
        'database': _database(layout, name),
        'keystone_authtoken': _authtoken(layout, cloud, 'glance',
                                         sec['glance_' + cloud], REGION_ONE),
        'paste_deploy': [('flavor', 'keystone'),
                         ('config_file',
                          os.path.join(layout.etc, 'glance-api-paste.ini'))],
        'glance_store': [('default_backend', 'fs')],
        'fs': [('filesystem_store_datadir', os.path.join(gdir, 'images'))],
        'os_glance_staging_store': [('filesystem_store_datadir',
                                     os.path.join(gdir, 'staging'))],
        'os_glance_tasks_store': [('filesystem_store_datadir',
                                   os.path.join(gdir, 'tasks'))],
        'oslo_concurrency': [('lock_path', os.path.join(gdir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


def nova_conf(layout, name, sec):
    _, _, cloud, region = SERVICES[name]
    ndir = os.path.join(layout.data, name)
    dbs = nova_databases(layout, name)

    def auth(user):
        return _service_auth(layout, cloud, user, sec[user + '_' + cloud],
                             region)

    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('my_ip', HOST),
            ('state_path', ndir),
            ('instances_path', os.path.join(ndir, 'instances')),
            ('transport_url', 'fake://'),
            ('compute_driver', COMPUTE_DRIVER),
            ('vif_plugging_is_fatal', False),
            ('vif_plugging_timeout', 0),
            ('heal_instance_info_cache_interval', -1),
        ],
        'api': [('auth_strategy', 'keystone')],
        'wsgi': [('api_paste_config',
                  os.path.join(layout.etc, 'nova-api-paste.ini'))],
        'api_database': [('connection', 'sqlite:///' + dbs['api']),
                         ('sqlite_synchronous', False)],
        'database': [('connection', 'sqlite:///' + dbs['cell0']),
                     ('sqlite_synchronous', False)],
        'keystone_authtoken': _authtoken(layout, cloud, 'nova',
                                         sec['nova_' + cloud], region),
        'placement': auth('nova'),
        'neutron': auth('nova'),
        # Nova acts for a tenant with its token plus a service token, as
        # deployments must: Neutron lets only a service delete a member's
        # compute port (a server delete as a tenant fails with 403 else).
        'service_user': [('send_service_user_token', True)] + auth('nova'),
        'glance': [('region_name', region)],
        'scheduler': [('discover_hosts_in_cells_interval', -1)],
        'filter_scheduler': [('track_instance_changes', False)],
        'quota': [('instances', -1), ('cores', -1), ('ram', -1)],
        'vnc': [('enabled', False)],
        'oslo_concurrency': [('lock_path', os.path.join(ndir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


NOVA_PASTE = """\
[composite:osapi_compute]
use = call:nova.api.openstack.urlmap:urlmap_factory
/: oscomputeversions
/v2.1: oscomputeversion_v2
/v2.1/+: openstack_compute_api_v21

[composite:openstack_compute_api_v21]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors http_proxy_to_wsgi compute_req_id faultwrap sizelimit authtoken keystonecontext osapi_compute_app_v21

[filter:compute_req_id]
paste.filter_factory = nova.api.compute_req_id:ComputeReqIdMiddleware.factory

[filter:faultwrap]
paste.filter_factory = nova.api.openstack:FaultWrapper.factory

[filter:sizelimit]
paste.filter_factory = oslo_middleware:RequestBodySizeLimiter.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[app:osapi_compute_app_v21]
paste.app_factory = nova.api.openstack.compute:APIRouterV21.factory

[pipeline:oscomputeversions]
pipeline = cors faultwrap http_proxy_to_wsgi oscomputeversionapp

[pipeline:oscomputeversion_v2]
pipeline = cors compute_req_id faultwrap http_proxy_to_wsgi oscomputeversionapp_v2

[app:oscomputeversionapp]
paste.app_factory = nova.api.openstack.compute.versions:Versions.factory

[app:oscomputeversionapp_v2]
paste.app_factory = nova.api.openstack.compute.versions:VersionsV2.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = nova

[filter:keystonecontext]
paste.filter_factory = nova.api.auth:NovaKeystoneContext.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
"""

GLANCE_PASTE = """\
[composite:glance-api-keystone]
paste.composite_factory = glance.api:root_app_factory
/: api

[composite:api]
paste.composite_factory = glance.api:pipeline_factory
keystone = cors http_proxy_to_wsgi versionnegotiation authtoken context rootapp

[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app

[app:apiversions]
paste.app_factory = glance.api.versions:create_resource

[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory

[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory

[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
"""


def conf_dir(layout, name):
    """Own configuration directory of a Placement or Glance (both find
    their file by directory)."""
    return os.path.join(layout.etc, name)


def write_compute_configs(layout, sec):
    """Placement, Glance and Nova files (part of write_configs)."""
    for name in services_of('placement'):
        os.makedirs(conf_dir(layout, name), exist_ok=True)
        _write(os.path.join(conf_dir(layout, name), 'placement.conf'),
               placement_conf(layout, name, sec))
    for name in services_of('glance'):
        os.makedirs(conf_dir(layout, name), exist_ok=True)
        _write(os.path.join(conf_dir(layout, name), 'glance-api.conf'),
               glance_conf(layout, name, sec))
        for sub in ('images', 'staging', 'tasks', 'lock'):
            os.makedirs(os.path.join(layout.data, name, sub), exist_ok=True)
    for name in services_of('nova'):
        _write(layout.conf(name), nova_conf(layout, name, sec))
        ndir = os.path.join(layout.data, name)
        for sub in ('instances', 'lock'):
            os.makedirs(os.path.join(ndir, sub), exist_ok=True)
        # A restarted nova-compute refuses to start without a node
        # identity file; the fake hosts' node UUIDs do not depend on it.
        compute_id = os.path.join(ndir, 'compute_id')
        if not os.path.exists(compute_id):
            _write(compute_id, str(uuid.uuid5(uuid.NAMESPACE_URL,
                                              layout.url(name))))
    _write(os.path.join(layout.etc, 'nova-api-paste.ini'), NOVA_PASTE, 0o644)
    _write(os.path.join(layout.etc, 'glance-api-paste.ini'), GLANCE_PASTE,
           0o644)


# -- Tacker -------------------------------------------------------------------

# Under <data>/tacker: extracted packages, uploaded package files (Tacker's
# glance_store "file" backend, no Glance service) and locks.
TACKER_DIRS = ('vnfpackages', 'csar_files', 'lock')
TACKER_SERVICE_AUTH_KEYS = ('auth_url', 'auth_type', 'username', 'password',
                            'project_name', 'user_domain_name',
                            'project_domain_name')


def tacker_conf(layout, name, sec):
    _, _, cloud, region = SERVICES[name]
    tdir = os.path.join(layout.data, name)
    authtoken = _authtoken(layout, cloud, 'tacker', sec['tacker_' + cloud],
                           region)
    return _ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('state_path', tdir),
            ('auth_strategy', 'keystone'),
            ('transport_url', 'fake://'),
            ('api_paste_config', os.path.join(layout.etc,
                                              'tacker-api-paste.ini')),
            ('bind_host', HOST),
            ('bind_port', layout.port(name)),
        ],
        'database': _database(layout, name),
        # The API's keystonemiddleware takes its password plugin's options
        # from another section: in the same process the conductor
        # registers options of its own (auth_url, ...) in
        # [keystone_authtoken], and the plugin's would be duplicates.
        'keystone_authtoken': [
            (key, value) for key, value in authtoken
            if key not in TACKER_SERVICE_AUTH_KEYS] + [
            ('auth_section', 'tacker_service_auth')],
        'tacker_service_auth': [(key, value) for key, value in authtoken
                                if key in TACKER_SERVICE_AUTH_KEYS],
        # The links Tacker's v2 API answers with.
        'v2_vnfm': [('endpoint', layout.url(name))],
        'vnf_lcm': [('endpoint_url', layout.url(name))],
        'vnf_package': [('vnf_package_csar_path',
                         os.path.join(tdir, 'vnfpackages'))],
        'glance_store': [('filesystem_store_datadir',
                          os.path.join(tdir, 'csar_files'))],
        'coordination': [('backend_url',
                          'file://' + os.path.join(tdir, 'lock'))],
        'oslo_concurrency': [('lock_path', os.path.join(tdir, 'lock'))],
        'oslo_messaging_notifications': [('driver', 'noop')],
    })


# Tacker's api-paste.ini, keystone pipelines only: packages (vnfpkgm v1),
# VNF LCM v1 and v2, the v1.0 API (VIMs) and the version lists.
TACKER_PASTE = """\
[composite:tacker]
use = egg:Paste#urlmap
/: tackerversions
/v1.0: tackerapi_v1_0
/vnfpkgm/v1: vnfpkgmapi_v1
/vnflcm: vnflcm_versions
/vnflcm/v1: vnflcm_v1
/vnflcm/v2: vnflcm_v2

[composite:tackerapi_v1_0]
use = call:tacker.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext extensions tackerapiapp_v1_0

[composite:vnfpkgmapi_v1]
use = call:tacker.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext vnfpkgmapp_v1

[composite:vnflcm_v1]
use = call:tacker.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext vnflcmaapp_v1

[composite:vnflcm_v2]
use = call:tacker.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext vnflcmaapp_v2

[composite:vnflcm_versions]
use = call:tacker.auth:pipeline_factory
keystone = request_id catch_errors authtoken keystonecontext vnflcm_api_versions

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory

[filter:keystonecontext]
paste.filter_factory = tacker.auth:TackerKeystoneContext.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:extensions]
paste.filter_factory = tacker.api.extensions:extension_middleware_factory

[app:tackerversions]
paste.app_factory = tacker.api.versions:Versions.factory

[app:tackerapiapp_v1_0]
paste.app_factory = tacker.api.v1.router:APIRouter.factory

[app:vnfpkgmapp_v1]
paste.app_factory = tacker.api.vnfpkgm.v1.router:VnfpkgmAPIRouter.factory

[app:vnflcmaapp_v1]
paste.app_factory = tacker.api.vnflcm.v1.router:VnflcmAPIRouter.factory

[app:vnflcmaapp_v2]
paste.app_factory = tacker.sol_refactored.api.router:VnflcmAPIRouterV2.factory

[app:vnflcm_api_versions]
paste.app_factory = tacker.sol_refactored.api.router:VnflcmVersions.factory
"""
