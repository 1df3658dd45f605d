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

"""Heat: one per region (heat-r1, heat-r2, heat-b), geo-heat's plugin and
policy installed as an operator installs them. Embedded profile: API and
engine in one process over fake:// on SQLite; production profile
(geo_heat_sandbox.profiles): over RabbitMQ on MariaDB, the API's process
and one more forked process each run an engine worker."""

import ctypes
import importlib.util
import os
import signal
import sys

from geo_heat_sandbox import ini
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import patches
from geo_heat_sandbox import profiles
from geo_heat_sandbox import snapshots
from geo_heat_sandbox.services import family
from geo_heat_sandbox.services import mariadb
from geo_heat_sandbox.services import rabbitmq
from geo_heat_sandbox import topology

PASTE = 'heat-api-paste.ini'


def plugin_dirs():
    """Heat plugin_dirs: geo-heat's shim dir and networking_bgpvpn_heat."""
    from geo_heat import heat_plugin
    dirs = [heat_plugin.path()]
    spec = importlib.util.find_spec('networking_bgpvpn_heat')
    if spec and spec.submodule_search_locations:
        dirs.append(list(spec.submodule_search_locations)[0])
    return dirs


def geo_heat_options(lay, cloud):
    """[geo_heat] of a Heat of `cloud`: its own link builder, the other
    cloud as a named cloud open to the tenant (with the tenant's project
    there), and what the interconnect carries from this cloud's view."""
    projects = lay.project_ids()
    if cloud == 'a':
        link_cloud, other = 'cloud-a', 'cloud-b'
        mapping = [(other, projects['tenant'], projects['tenant-b']),
                   (topology.SILENT_CLOUD, projects['tenant'], 'unused')]
        interconnects = topology.INTERCONNECTS
    else:
        link_cloud, other = 'cloud-b', 'cloud-a'
        mapping = [(other, projects['tenant-b'], projects['tenant'])]
        interconnects = topology.INTERCONNECTS_OF_CLOUD_B
    geo = [('clouds_file', lay.operator_clouds_yaml),
           ('link_cloud', link_cloud),
           ('cloud_projects', ','.join(':'.join(item) for item in mapping)),
           ('link_mtu_cap', topology.LINK_MTU_CAP),
           ('max_links_per_project', topology.MAX_LINKS_PER_PROJECT),
           ('ipsec_external_network', topology.EXTERNAL_NETWORK),
           ('route_target_range', topology.ROUTE_TARGET_RANGE)]
    geo.extend(('interconnects', item) for item in interconnects)
    return geo


def messaging_and_database(lay, name):
    """(transport_url, [database] items, engine workers) of the profile."""
    if lay.profile == profiles.PRODUCTION:
        return (rabbitmq.transport_url(lay, name),
                [('connection', mariadb.url(lay, name))],
                profiles.ENGINE_WORKERS[profiles.PRODUCTION])
    return ('fake://', ini.database(lay, name),
            profiles.ENGINE_WORKERS[profiles.EMBEDDED])


def engine_pid_file(lay, name, worker):
    """PID file of a Heat's engine worker forked beside its API (worker
    2 and up; worker 1 is the API's own process)."""
    return lay.pid_file('%s-engine-%d' % (name, worker))


def conf(lay, name, sec, dirs):
    _, _, cloud, region = topology.SERVICES[name]
    transport_url, database, workers = messaging_and_database(lay, name)
    hdir = lay.data_dir(name)
    password = sec['heat_' + cloud]
    geo = geo_heat_options(lay, cloud)
    if name in topology.CELL_MAPPINGS:
        geo.append(('cell_mappings', topology.CELL_MAPPINGS[name]))
    url = lay.url(name)
    return ini.ini({
        'DEFAULT': [
            ('debug', False),
            ('host', 'sandbox-' + name),
            ('transport_url', transport_url),
            ('plugin_dirs', ','.join(dirs)),
            ('environment_dir', os.path.join(hdir, 'environment.d')),
            ('template_dir', os.path.join(hdir, 'templates')),
            ('deferred_auth_method', 'trusts'),
            ('region_name_for_services', region),
            ('convergence_engine', True),
            ('num_engine_workers', workers),
            ('heat_metadata_server_url', url),
            ('heat_waitcondition_server_url', url + '/v1/waitcondition'),
            ('max_nested_stack_depth', 10),
            ('stack_user_domain_name', topology.STACK_USER_DOMAIN),
            ('stack_domain_admin', topology.STACK_DOMAIN_ADMIN),
            ('stack_domain_admin_password',
             sec[topology.STACK_DOMAIN_ADMIN + '_' + cloud]),
        ],
        'database': database,
        'paste_deploy': [('api_paste_config',
                          os.path.join(lay.etc, PASTE))],
        'keystone_authtoken': ini.authtoken(lay, cloud, 'heat', password,
                                            region),
        'trustee': [
            ('auth_type', 'password'),
            ('auth_url', lay.auth_url(cloud)),
            ('username', 'heat'),
            ('password', password),
            ('user_domain_name', 'Default'),
        ],
        'clients_keystone': [('auth_uri', lay.url('keystone-' + cloud))],
        'ec2authtoken': [('auth_uri', lay.auth_url(cloud))],
        'oslo_messaging_notifications': [('driver', 'noop')],
        'oslo_concurrency': [('lock_path', os.path.join(hdir, 'lock'))],
        # geo-heat's policy defaults, as an operator installs them.
        'oslo_policy': [('policy_dirs', os.path.join(hdir, 'policy.d'))],
        'geo_heat': geo,
    })


def configure(lay, sec):
    from geo_heat import policy as geo_policy  # oslo.policy: only here
    dirs = plugin_dirs()
    for name in topology.services_of('heat'):
        _layout.write_file(lay.conf(name), conf(lay, name, sec, dirs))
        hdir = lay.data_dir(name)
        for sub in ('environment.d', 'templates', 'lock', 'policy.d'):
            os.makedirs(os.path.join(hdir, sub), exist_ok=True)
        _layout.write_file(os.path.join(hdir, 'policy.d', 'geo-heat.yaml'),
                           geo_policy.as_policy_file(), 0o644)
    ini.install_paste(lay, PASTE)


def schema(lay):
    """Heat's own migrations (they run on SQLite), then AUTOINCREMENT
    keys (patches.autoincrement_integer_ids)."""
    def fill(engine, path):
        from heat.db import migration

        migration.db_sync(engine=engine)
        with engine.begin() as conn:
            patches.autoincrement_integer_ids(conn)

    snapshots.build(lay, 'heat', fill)


def load(lay, name):
    sys.argv = ['heat-api', '--config-file', lay.conf(name)]
    # Engine workers fork before anything opens a database connection or
    # a messaging socket, which a forked process must not share.
    for worker in range(2, profiles.ENGINE_WORKERS[lay.profile] + 1):
        _fork_engine(engine_pid_file(lay, name, worker))
    from heat.api.openstack import wsgi
    app = wsgi.init_application()
    _start_engine()
    return app


def _start_engine():
    """This process's engine worker (its own RPC server and engine id)."""
    patches.shorten_convergence_sleep()
    from oslo_config import cfg
    from heat.common import config
    from heat.engine import service as engine
    from heat.engine import template
    from heat.rpc import api as rpc_api
    config.startup_sanity_check()
    mgr = template._get_template_extension_manager()
    if not mgr or not mgr.names():
        raise RuntimeError('no Heat template format plugins registered')
    engine.EngineService(cfg.CONF.host, rpc_api.ENGINE_TOPIC).start()


def _fork_engine(pid_path):
    """One more engine worker, as heat-engine forks its workers: a child
    that configures Heat as the API does and runs an engine only; it ends
    with the API's process."""
    pid = os.fork()
    if pid:
        with open(pid_path + '.tmp', 'w') as f:
            f.write('%d\n' % pid)
        os.replace(pid_path + '.tmp', pid_path)
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # DEATHSIG
        sys.stderr.write('engine worker (pid %d) starting\n' % os.getpid())
        from heat.api.openstack import wsgi
        wsgi.init_application()  # Heat's configuration, logging, messaging
        _start_engine()
        while True:
            signal.pause()
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        os._exit(3)


def _warm_up(sess):
    return '/v1/%s/stacks' % sess.get_project_id(), {}


FAMILY = family.Family(
    name='heat', title='Heat', configure=configure, load=load,
    warm_up=_warm_up, schema=schema,
    catalog=('orchestration', '/v1/$(project_id)s'),
    preload=('heat.api.openstack.wsgi', 'heat.api.openstack.v1',
             'heat.engine.service', 'heat.engine.resources',
             'keystonemiddleware.auth_token'))
