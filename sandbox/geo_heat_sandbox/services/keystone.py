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

"""Keystone: one per cloud (keystone-a, keystone-b), fernet tokens, the
sandbox's catalog, projects, users and roles registered at its first
start."""

import os
import sys
import uuid

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology


def conf(lay, name):
    kdir = lay.data_dir(name)
    return ini.ini({
        'DEFAULT': [('debug', False), ('insecure_debug', False)],
        'database': ini.database(lay, name),
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


def configure(lay, sec):
    for name in topology.services_of('keystone'):
        _layout.write_file(lay.conf(name), conf(lay, name))


def _keys(directory, count):
    from cryptography import fernet
    os.makedirs(directory, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)
    for i in range(count):
        path = os.path.join(directory, str(i))
        if not os.path.exists(path):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, 'wb') as f:
                f.write(fernet.Fernet.generate_key())


def init(lay, name):
    """Key repositories, schema (db_sync), ``bootstrap`` (admin, RegionOne,
    identity endpoint) and the sandbox's catalog, projects, users and
    roles, Heat's stack user domain and its admin, all in-process through
    Keystone's own managers (no HTTP round trips)."""
    from geo_heat_sandbox import services

    cloud = topology.SERVICES[name][2]
    sec = lay.load_secrets()
    kdir = lay.data_dir(name)
    _keys(os.path.join(kdir, 'fernet-keys'), 2)
    _keys(os.path.join(kdir, 'credential-keys'), 2)

    sys.argv = ['keystone-manage']
    import keystone.server
    keystone.server.configure(config_files=[lay.conf(name)])
    from keystone.common.sql import upgrades
    upgrades.offline_sync_database_to_version()

    from keystone.cmd import bootstrap
    from keystone.common import provider_api
    from keystone import exception
    prov = provider_api.ProviderAPIs

    auth_url = lay.auth_url(cloud)
    b = bootstrap.Bootstrapper()
    b.admin_password = sec['admin_' + cloud]
    b.admin_username = 'admin'
    b.project_name = 'admin'
    b.admin_role_name = 'admin'
    b.service_name = 'keystone'
    b.region_id = topology.REGION_ONE
    b.public_url = b.internal_url = b.admin_url = auth_url
    b.bootstrap()
    domain = b.default_domain_id

    def role(rname):
        for r in prov.role_api.list_roles():
            if r['name'] == rname:
                return r['id']
        rid = uuid.uuid4().hex
        prov.role_api.create_role(rid, {'id': rid, 'name': rname})
        return rid

    def region(rid):
        try:
            prov.catalog_api.create_region({'id': rid})
        except exception.Conflict:
            pass

    def service(stype, sname):
        for s in prov.catalog_api.list_services():
            if s['type'] == stype:
                return s['id']
        sid = uuid.uuid4().hex
        prov.catalog_api.create_service(
            sid, {'id': sid, 'type': stype, 'name': sname, 'enabled': True})
        return sid

    def endpoints(sid, rid, url):
        existing = [e for e in prov.catalog_api.list_endpoints()
                    if e['service_id'] == sid and e['region_id'] == rid]
        have = {e['interface'] for e in existing}
        for iface in ('public', 'internal', 'admin'):
            if iface in have:
                continue
            eid = uuid.uuid4().hex
            prov.catalog_api.create_endpoint(eid, {
                'id': eid, 'interface': iface, 'url': url,
                'service_id': sid, 'region_id': rid, 'enabled': True})

    def project(pname, pid=None):
        try:
            return prov.resource_api.get_project_by_name(pname, domain)['id']
        except exception.ProjectNotFound:
            pid = pid or uuid.uuid4().hex
            prov.resource_api.create_project(pid, {
                'id': pid, 'name': pname, 'domain_id': domain,
                'enabled': True, 'description': 'sandbox ' + pname})
            return pid

    def user(uname, password, pid, roles):
        try:
            uid = prov.identity_api.get_user_by_name(uname, domain)['id']
        except exception.UserNotFound:
            uid = prov.identity_api.create_user({
                'name': uname, 'domain_id': domain, 'enabled': True,
                'password': password, 'default_project_id': pid})['id']
        for rid in roles:
            try:
                prov.assignment_api.add_role_to_user_and_project(
                    uid, pid, rid)
            except exception.Conflict:
                pass
        return uid

    def stack_user_domain():
        """Heat's stack user domain, where each Heat of this cloud makes
        the projects and users that signal a stack's resources, and the
        user that manages them, admin of that domain alone (as
        heat-keystone-setup-domain and devstack do)."""
        try:
            did = prov.resource_api.get_domain_by_name(
                topology.STACK_USER_DOMAIN)['id']
        except exception.DomainNotFound:
            did = uuid.uuid4().hex
            prov.resource_api.create_domain(did, {
                'id': did, 'name': topology.STACK_USER_DOMAIN,
                'enabled': True,
                'description': "Heat's stack users and projects"})
        try:
            uid = prov.identity_api.get_user_by_name(
                topology.STACK_DOMAIN_ADMIN, did)['id']
        except exception.UserNotFound:
            uid = prov.identity_api.create_user({
                'name': topology.STACK_DOMAIN_ADMIN, 'domain_id': did,
                'enabled': True,
                'password': sec[topology.STACK_DOMAIN_ADMIN + '_' + cloud],
            })['id']
        prov.assignment_api.create_grant(admin_role, user_id=uid,
                                         domain_id=did)

    admin_role = role('admin')
    service_role = role('service')
    member_role = role('member')
    for rname in ('reader', 'heat_stack_owner', 'heat_stack_user'):
        role(rname)
    stack_user_domain()
    # Tenants are members of their project and nothing else.
    project_ids = lay.project_ids()
    for key, tenant_cloud, tname, secret in topology.TENANTS:
        if tenant_cloud == cloud:
            user(tname, sec[secret], project(tname, project_ids[key]),
                 [member_role])
    service_pid = project('service')

    # The catalog: every service of this cloud, in its region or, without
    # one (Barbican, Glance), in every region of the cloud.
    regions = topology.regions_of(cloud)
    identity = service('identity', 'keystone')
    for rid in regions:
        region(rid)
        endpoints(identity, rid, auth_url)
    users = set()
    for svc, (fam, _, svc_cloud, svc_region) in topology.SERVICES.items():
        if svc_cloud != cloud:
            continue
        spec = services.FAMILIES[fam]
        if spec.service_user:
            users.add(fam)
        if spec.catalog:
            stype, path = spec.catalog
            sid = service(stype, fam)
            for rid in ([svc_region] if svc_region else regions):
                endpoints(sid, rid, lay.url(svc) + path)
    for uname in sorted(users):
        user(uname, sec['%s_%s' % (uname, cloud)], service_pid,
             [admin_role, service_role])
    if cloud == 'a':
        # The operator's link builder ([geo_heat] link_cloud).
        user(topology.LINK_BUILDER, sec['geo_heat_a'], service_pid,
             [admin_role])
    # The operator's user of this cloud in the other cloud's clouds_file
    # (the link builder of cloud A, cloud B's admin) is a member of the
    # tenant's project here: geo-heat re-scopes it there to run the
    # tenant's VNF stack in this cloud's Heat (OS::Geo::RedundantVNF).
    for key, tenant_cloud, tname, _secret in topology.TENANTS:
        if tenant_cloud == cloud and key.startswith('tenant'):
            user(topology.OPERATOR_USERS[cloud], None,
                 project(tname, project_ids[key]), [member_role])


def load(lay, name):
    os.environ['OS_KEYSTONE_CONFIG_FILES'] = lay.conf(name)
    sys.argv = ['keystone-' + name]
    from keystone.server import wsgi
    app = wsgi.initialize_public_application()
    patches.keystone_policy_warmup()
    return app


def _warm_up(sess):
    """A token validation, as every service's first request makes."""
    return '/v3/auth/tokens', {'X-Subject-Token': sess.get_token()}


def _catalog():
    """What init registers (its marker): a Keystone initialised for less
    registers the rest as it starts again."""
    from geo_heat_sandbox import services
    types = sorted(spec.catalog[0] for spec in services.FAMILIES.values()
                   if spec.catalog and topology.services_of(spec.name))
    return 'identity %s; stack user domain\n' % ' '.join(types)


FAMILY = family.Family(
    name='keystone', title='Keystone', configure=configure, load=load,
    warm_up=_warm_up, init=init, init_version=_catalog, service_user=False,
    preload=('keystone.server.wsgi', 'keystone.server.flask.application',
             'keystone.cmd.cli'))
