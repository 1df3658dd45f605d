"""One-time initialisation steps, each run in its own subprocess.

``python -m geo_heat_sandbox.bootstrap --state-dir DIR STEP``

Steps:

``keystone-a`` / ``keystone-b``
    key repositories, schema (db_sync), ``bootstrap`` (admin, RegionOne,
    identity endpoint) and the sandbox's catalog, projects, users and roles,
    Heat's stack user domain and its admin, all in-process through
    Keystone's own managers (no HTTP round trips).
``neutron-schema``
    a pristine Neutron database (models of neutron + networking-bgpvpn +
    neutron-vpnaas, ``create_all`` then ``neutron-db-manage stamp heads``,
    since the migrations do not run on SQLite) in ``<state>/snapshots``.
``heat-schema``
    a pristine Heat database (alembic, works on SQLite) in
    ``<state>/snapshots``.
``placement-schema`` / ``glance-schema`` / ``nova-schema``
    pristine Placement, Glance, Nova API and Nova cell databases (their
    own migrations, which run on SQLite), likewise.
``tacker-schema``
    a pristine Tacker database (its models, ``create_all`` then
    ``tacker-db-manage stamp head``, since the migrations do not run on
    SQLite), likewise.

Passwords are read from the state dir's secrets file, never from argv.
"""

import argparse
import os
import sys
import uuid

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches


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


def keystone(lay, name):
    cloud = _layout.SERVICES[name][2]
    sec = lay.load_secrets()
    kdir = os.path.join(lay.data, name)
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
    b.region_id = _layout.REGION_ONE
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
                _layout.STACK_USER_DOMAIN)['id']
        except exception.DomainNotFound:
            did = uuid.uuid4().hex
            prov.resource_api.create_domain(did, {
                'id': did, 'name': _layout.STACK_USER_DOMAIN,
                'enabled': True,
                'description': "Heat's stack users and projects"})
        try:
            uid = prov.identity_api.get_user_by_name(
                _layout.STACK_DOMAIN_ADMIN, did)['id']
        except exception.UserNotFound:
            uid = prov.identity_api.create_user({
                'name': _layout.STACK_DOMAIN_ADMIN, 'domain_id': did,
                'enabled': True,
                'password': sec[_layout.STACK_DOMAIN_ADMIN + '_' + cloud],
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
    for key, tenant_cloud, tname, secret in _layout.TENANTS:
        if tenant_cloud == cloud:
            user(tname, sec[secret], project(tname, project_ids[key]),
                 [member_role])
    service_pid = project('service')
    identity = service('identity', 'keystone')

    if cloud == 'a':
        regions = [_layout.REGION_ONE, _layout.REGION_TWO]
        region(_layout.REGION_TWO)
        endpoints(identity, _layout.REGION_TWO, auth_url)
        net = service('network', 'neutron')
        orch = service('orchestration', 'heat')
        kms = service('key-manager', 'barbican')
        for rid, suffix in zip(regions, ('r1', 'r2')):
            endpoints(net, rid, lay.url('neutron-' + suffix))
            endpoints(orch, rid,
                      lay.url('heat-' + suffix) + '/v1/$(project_id)s')
            endpoints(kms, rid, lay.url('barbican'))
        for uname in ('neutron', 'heat', 'barbican'):
            user(uname, sec[uname + '_a'], service_pid,
                 [admin_role, service_role])
        if 'tacker' in _layout.SERVICES:
            user('tacker', sec['tacker_a'], service_pid,
                 [admin_role, service_role])
        # The operator's link builder ([geo_heat] link_cloud).
        user(_layout.LINK_BUILDER, sec['geo_heat_a'], service_pid,
             [admin_role])
    else:
        net = service('network', 'neutron')
        endpoints(net, _layout.REGION_ONE, lay.url('neutron-b'))
        user('neutron', sec['neutron_b'], service_pid,
             [admin_role, service_role])
    compute_catalog(lay, cloud, service, endpoints)
    for uname in COMPUTE_USERS[cloud]:
        user(uname, sec['%s_%s' % (uname, cloud)], service_pid,
             [admin_role, service_role])
    # The operator's user of this cloud in the other cloud's clouds_file
    # (the link builder of cloud A, cloud B's admin) is a member of the
    # tenant's project here: geo-heat re-scopes it there to run the
    # tenant's VNF stack in this cloud's Heat (OS::Geo::RedundantVNF).
    for key, tenant_cloud, tname, _secret in _layout.TENANTS:
        if tenant_cloud == cloud and key.startswith('tenant'):
            user(OPERATOR_USERS[cloud], None,
                 project(tname, project_ids[key]), [member_role])


# The user of each cloud's entry in the operator clouds file.
OPERATOR_USERS = {'a': _layout.LINK_BUILDER, 'b': 'admin'}
# Service users of the compute services (and of cloud B's Heat) per cloud.
COMPUTE_USERS = {'a': ('nova', 'placement', 'glance'),
                 'b': ('nova', 'placement', 'glance', 'heat')}
CATALOG = {'nova': ('compute', '/v2.1'), 'placement': ('placement', ''),
           'glance': ('image', ''),
           'heat': ('orchestration', '/v1/$(project_id)s'),
           'tacker': ('nfv-orchestration', '')}


def compute_catalog(lay, cloud, service, endpoints):
    """Compute, placement and image endpoints, Heat's in cloud B and
    Tacker's (nfv-orchestration) in cloud A.

    A Glance serves every region of its cloud.
    """
    regions = sorted({v[3] for v in _layout.SERVICES.values()
                      if v[2] == cloud and v[3]})
    for name, (family, _, svc_cloud, region) in _layout.SERVICES.items():
        if svc_cloud != cloud or family not in CATALOG or (
                family == 'heat' and cloud == 'a'):
            continue
        stype, path = CATALOG[family]
        sid = service(stype, family)
        for rid in ([region] if region else regions):
            endpoints(sid, rid, lay.url(name) + path)


def _build_snapshot(lay, name, build):
    """Build a pristine database in <snapshots>/<name>.sqlite atomically.

    `build(engine, path)` fills the database; a half-built file never takes
    the snapshot's name.
    """
    import sqlalchemy as sa

    target = os.path.join(lay.snapshots, name + '.sqlite')
    tmp = target + '.building'
    if os.path.exists(tmp):
        os.unlink(tmp)
    engine = sa.create_engine('sqlite:///' + tmp)
    try:
        build(engine, tmp)
    finally:
        engine.dispose()
    os.replace(tmp, target)


def _stamp(lay, path, program, cli_main, revision):
    """Mark a schema built from the models as migrated to `revision`, with
    the service's own db-manage command (its migrations fail on SQLite)."""
    conf = os.path.join(lay.snapshots, program + '-stamp.conf')
    with open(conf, 'w') as f:
        f.write('[database]\nconnection = sqlite:///%s\n' % path)
    sys.argv = [program, '--config-file', conf, 'stamp', revision]
    cli_main()
    os.unlink(conf)


def neutron_schema(lay):
    def build(engine, path):
        from neutron.db.migration import cli
        from neutron.db.migration.models import head
        import networking_bgpvpn.neutron.db.head  # noqa: F401
        import neutron_vpnaas.db.models.head  # noqa: F401

        head.get_metadata().create_all(engine)
        _stamp(lay, path, 'neutron-db-manage', cli.main, 'heads')

    _build_snapshot(lay, 'neutron', build)


def heat_schema(lay):
    def build(engine, path):
        from heat.db import migration

        migration.db_sync(engine=engine)
        with engine.begin() as conn:
            patches.autoincrement_integer_ids(conn)

    _build_snapshot(lay, 'heat', build)


def placement_schema(lay):
    def build(engine, path):
        from oslo_config import cfg
        from placement import conf
        from placement.db.sqlalchemy import migration
        from placement import db_api

        sync_conf = os.path.join(lay.snapshots, 'placement-sync.conf')
        with open(sync_conf, 'w') as f:
            f.write('[placement_database]\nconnection = sqlite:///%s\n'
                    % path)
        config = cfg.ConfigOpts()
        conf.register_opts(config)
        config([], default_config_files=[sync_conf])
        db_api.configure(config)
        migration.upgrade('head')
        os.unlink(sync_conf)

    _build_snapshot(lay, 'placement', build)


def glance_schema(lay):
    def build(engine, path):
        from glance.cmd import manage

        conf = os.path.join(lay.snapshots, 'glance-sync.conf')
        with open(conf, 'w') as f:
            f.write('[database]\nconnection = sqlite:///%s\n' % path)
        sys.argv = ['glance-manage', '--config-file', conf, 'db', 'sync']
        try:
            manage.main()
        except SystemExit as exc:
            if exc.code:
                raise
        os.unlink(conf)

    _build_snapshot(lay, 'glance', build)


def nova_schema(lay):
    """Nova's API database and its main (cell) database, one snapshot each;
    every cell of every Nova gets a copy of the latter."""
    paths = {}

    def sync(engine, path):
        from nova import config
        from nova.db import migration

        conf = os.path.join(lay.snapshots, 'nova-sync.conf')
        with open(conf, 'w') as f:
            f.write('[api_database]\nconnection = sqlite:///%s\n'
                    '[database]\nconnection = sqlite:///%s\n'
                    % (paths['api'], path))
        config.parse_args(['nova-manage', '--config-file', conf])
        migration.db_sync(database='api')
        migration.db_sync(database='main')
        os.unlink(conf)

    # The API snapshot's file is filled by the main snapshot's build.
    target = os.path.join(lay.snapshots, 'nova-api.sqlite')
    paths['api'] = target + '.building'
    if os.path.exists(paths['api']):
        os.unlink(paths['api'])
    _build_snapshot(lay, 'nova', sync)
    os.replace(paths['api'], target)


def tacker_schema(lay):
    def build(engine, path):
        from tacker.db.db_sqlalchemy import models  # noqa: F401
        from tacker.db.migration import cli
        from tacker.db.migration.models import head  # noqa: F401
        from tacker.db import model_base

        model_base.BASE.metadata.create_all(engine)
        _stamp(lay, path, 'tacker-db-manage', cli.main, 'head')

    _build_snapshot(lay, 'tacker', build)


SCHEMA_STEPS = {'neutron-schema': neutron_schema,
                'heat-schema': heat_schema,
                'placement-schema': placement_schema,
                'glance-schema': glance_schema,
                'nova-schema': nova_schema,
                'tacker-schema': tacker_schema}


def main(argv=None):
    parser = argparse.ArgumentParser(prog='geo-heat-sandbox-bootstrap')
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('step', choices=['keystone-a', 'keystone-b'] +
                        sorted(SCHEMA_STEPS))
    args = parser.parse_args(argv)
    lay = _layout.Layout(args.state_dir)
    if args.step == 'nova-schema':
        patches.nova_native_threading()
    patches.select_threading_backend()
    if args.step.startswith('keystone-'):
        keystone(lay, args.step)
    else:
        SCHEMA_STEPS[args.step](lay)
    return 0


if __name__ == '__main__':
    sys.exit(main())
