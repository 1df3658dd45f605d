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

"""Compute: a Placement and a Nova per region (placement-r1, nova-r1,
...). A region's whole Nova runs in one process over fake://: API, super
conductor, scheduler and one fake nova-compute per cell, each cell with
its database."""

import os
import sys
import time
import urllib.error
import urllib.request
import uuid

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox import snapshots
from geo_heat_sandbox.services import family
from geo_heat_sandbox import topology

NOVA_PASTE = 'nova-api-paste.ini'
# Registered in every Nova at the first up.
FLAVOR = {'name': 'm1.tiny', 'ram': 64, 'vcpus': 1, 'disk': 1,
          'os-flavor-access:is_public': True}
# drivers.nova_fake, under the name Nova finds (relative to nova.virt).
COMPUTE_DRIVER = 'fake.SandboxFakeDriver'


# -- Placement ----------------------------------------------------------------

def conf_dir(lay, name):
    """Own configuration directory of a Placement (it finds its file by
    directory)."""
    return os.path.join(lay.etc, name)


def placement_conf(lay, name, sec):
    _, _, cloud, region = topology.SERVICES[name]
    return ini.ini({
        'DEFAULT': [('debug', False)],
        'api': [('auth_strategy', 'keystone')],
        'placement_database': ini.database(lay, name),
        'keystone_authtoken': ini.authtoken(
            lay, cloud, 'placement', sec['placement_' + cloud], region),
    })


def configure_placement(lay, sec):
    for name in topology.services_of('placement'):
        os.makedirs(conf_dir(lay, name), exist_ok=True)
        _layout.write_file(os.path.join(conf_dir(lay, name),
                                        'placement.conf'),
                           placement_conf(lay, name, sec))


def placement_schema(lay):
    """Placement's own migrations (they run on SQLite)."""
    def fill(engine, path):
        from oslo_config import cfg
        from placement import conf
        from placement.db.sqlalchemy import migration
        from placement import db_api

        sync_conf = snapshots.sync_conf(
            lay, 'placement-sync.conf',
            '[placement_database]\nconnection = sqlite:///%s\n' % path)
        config = cfg.ConfigOpts()
        conf.register_opts(config)
        config([], default_config_files=[sync_conf])
        db_api.configure(config)
        migration.upgrade('head')
        os.unlink(sync_conf)

    snapshots.build(lay, 'placement', fill)


def load_placement(lay, name):
    os.environ['OS_PLACEMENT_CONFIG_DIR'] = conf_dir(lay, name)
    sys.argv = ['placement-api']
    from placement import wsgi
    return wsgi.init_application()


# -- Nova ---------------------------------------------------------------------

def nova_databases(lay, name):
    """{'api': path, 'cell0': path, cell name: path} of one Nova."""
    dbs = {'api': lay.sqlite(name + '-api'), 'cell0': lay.sqlite(name)}
    for cell in topology.NOVA_CELLS[name]:
        dbs[cell] = lay.sqlite('%s-%s' % (name, cell))
    return dbs


def nova_conf(lay, name, sec):
    _, _, cloud, region = topology.SERVICES[name]
    ndir = lay.data_dir(name)
    dbs = nova_databases(lay, name)

    def auth(user):
        return ini.service_auth(lay, cloud, user, sec[user + '_' + cloud],
                                region)

    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('my_ip', _layout.HOST),
            ('state_path', ndir),
            ('instances_path', os.path.join(ndir, 'instances')),
            ('transport_url', 'fake://'),
            ('compute_driver', COMPUTE_DRIVER),
            ('vif_plugging_is_fatal', False),
            ('vif_plugging_timeout', 0),
            ('heal_instance_info_cache_interval', -1),
        ],
        'api': [('auth_strategy', 'keystone')],
        'wsgi': [('api_paste_config', os.path.join(lay.etc, NOVA_PASTE))],
        'api_database': [('connection', 'sqlite:///' + dbs['api']),
                         ('sqlite_synchronous', False)],
        'database': [('connection', 'sqlite:///' + dbs['cell0']),
                     ('sqlite_synchronous', False)],
        'keystone_authtoken': ini.authtoken(lay, cloud, 'nova',
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


def configure_nova(lay, sec):
    for name in topology.services_of('nova'):
        _layout.write_file(lay.conf(name), nova_conf(lay, name, sec))
        ndir = lay.data_dir(name)
        for sub in ('instances', 'lock'):
            os.makedirs(os.path.join(ndir, sub), exist_ok=True)
        # A restarted nova-compute refuses to start without a node
        # identity file; the fake hosts' node UUIDs do not depend on it.
        compute_id = os.path.join(ndir, 'compute_id')
        if not os.path.exists(compute_id):
            _layout.write_file(compute_id, str(uuid.uuid5(
                uuid.NAMESPACE_URL, lay.url(name))))
    ini.install_paste(lay, NOVA_PASTE)


def nova_schema(lay):
    """Nova's API database and its main (cell) database, one snapshot each
    (Nova's own migrations); every cell of every Nova gets a copy of the
    latter."""
    paths = {}

    def fill(engine, path):
        from nova import config
        from nova.db import migration

        conf = snapshots.sync_conf(
            lay, 'nova-sync.conf',
            '[api_database]\nconnection = sqlite:///%s\n'
            '[database]\nconnection = sqlite:///%s\n' % (paths['api'], path))
        config.parse_args(['nova-manage', '--config-file', conf])
        migration.db_sync(database='api')
        migration.db_sync(database='main')
        os.unlink(conf)

    # The API snapshot's file is filled by the main snapshot's build.
    target = os.path.join(lay.snapshots, 'nova-api.sqlite')
    paths['api'] = target + '.building'
    if os.path.exists(paths['api']):
        os.unlink(paths['api'])
    snapshots.build(lay, 'nova', fill)
    os.replace(paths['api'], target)


def nova_snapshots(lay, name):
    return [('nova-api' if db == 'api' else 'nova', path)
            for db, path in nova_databases(lay, name).items()]


def load_nova(lay, name):
    """A region's whole Nova in one process (fake:// reaches no other):
    API, super conductor, scheduler and one fake nova-compute per cell."""
    from geo_heat_sandbox.drivers import nova_fake
    os.environ['OS_NOVA_CONFIG_DIR'] = lay.etc
    os.environ['OS_NOVA_CONFIG_FILES'] = '%s;%s.conf' % (NOVA_PASTE, name)
    sys.argv = ['nova-api']
    from nova.api.openstack import wsgi_app
    from nova.conductor import rpcapi as conductor_rpcapi
    from nova import context
    from nova.objects import host_mapping
    from nova.scheduler import rpcapi as scheduler_rpcapi
    from nova import service

    # Configuration first (run once): the API's own init repeats none of it.
    wsgi_app.init_global_data(wsgi_app._get_config_files(), 'osapi_compute',
                              'nova-api')
    patches.nova_cells_in_one_process()
    nova_fake.install()
    cells = map_cells(lay, name)
    for binary, topic in (('nova-conductor', conductor_rpcapi.RPC_TOPIC),
                          ('nova-scheduler', scheduler_rpcapi.RPC_TOPIC)):
        service.Service.create(binary=binary, topic=topic).start()
    app = wsgi_app.init_application('osapi_compute', 'nova-api')
    # A compute registers its node in Placement as it starts.
    _wait_for_answers(lay.auth_url(topology.SERVICES[name][2]),
                      lay.url(topology.sibling(name, 'placement')))
    for cell, (host, _) in topology.NOVA_CELLS[name].items():
        patches.start_compute_in_cell(host, cells[cell])
    host_mapping.discover_hosts(context.get_admin_context())
    return app


def _wait_for_answers(*urls, timeout=120.0):
    """Until each URL answers (any HTTP status)."""
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                urllib.request.urlopen(url, timeout=1.0).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError('%s does not answer' % url)
                time.sleep(0.1)


def map_cells(lay, name):
    """Cell mappings of a Nova (cell0 and its cells), created once."""
    from nova import context
    from nova import objects

    ctxt = context.get_admin_context()
    dbs = nova_databases(lay, name)
    existing = {c.name: c for c in objects.CellMappingList.get_all(ctxt)}
    wanted = {'cell0': (objects.CellMapping.CELL0_UUID, 'none:///')}
    for cell in topology.NOVA_CELLS[name]:
        wanted[cell] = (str(uuid.uuid5(uuid.NAMESPACE_URL,
                                       '%s/%s' % (lay.url(name), cell))),
                        'fake://')
    for cell, (cell_uuid, transport) in wanted.items():
        if cell not in existing:
            existing[cell] = objects.CellMapping(
                ctxt, uuid=cell_uuid, name=cell, transport_url=transport,
                database_connection='sqlite:///' + dbs[cell])
            existing[cell].create()
    return existing


def provision_nova(sess, lay, name):
    """The flavor and the zones' aggregates (of the cells' hosts), once."""
    url = lay.url(name) + '/v2.1'
    resp = sess.post(url + '/flavors', json={'flavor': FLAVOR},
                     raise_exc=False)
    if resp.status_code not in (200, 409):
        resp.raise_for_status()
    aggregates = {a['name']: a for a in
                  sess.get(url + '/os-aggregates').json()['aggregates']}
    for cell, (host, zone) in topology.NOVA_CELLS[name].items():
        if zone is None:
            continue
        aggregate = aggregates.get('agg-' + cell) or sess.post(
            url + '/os-aggregates', json={'aggregate': {
                'name': 'agg-' + cell, 'availability_zone': zone}},
        ).json()['aggregate']
        if host not in aggregate.get('hosts', []):
            sess.post(url + '/os-aggregates/%d/action' % aggregate['id'],
                      json={'add_host': {'host': host}})


def _nova_prepare():
    """Nova 34 runs natively threaded only if it decides before anything
    imports eventlet."""
    patches.nova_native_threading()
    patches.select_threading_backend()


PLACEMENT = family.Family(
    name='placement', title='Placement', configure=configure_placement,
    load=load_placement, warm_up=family.get('/resource_providers'),
    schema=placement_schema, catalog=('placement', ''),
    preload=('placement.deploy', 'placement.handler',
             'placement.objects.resource_provider',
             'keystonemiddleware.auth_token'))

NOVA = family.Family(
    name='nova', title='Nova', configure=configure_nova, load=load_nova,
    warm_up=family.get('/v2.1/flavors'), schema=nova_schema,
    databases=nova_snapshots, provision=provision_nova,
    catalog=('compute', '/v2.1'), prepare=_nova_prepare,
    preload=('nova.api.openstack.wsgi_app', 'nova.api.openstack.compute',
             'nova.compute.manager', 'nova.conductor.manager',
             'nova.scheduler.manager', 'nova.virt.fake',
             'keystonemiddleware.auth_token'))
