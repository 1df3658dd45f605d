"""Process launcher of the sandbox services.

``python -m geo_heat_sandbox.runner --state-dir DIR``, then one line
``FAMILY NAME [NAME...]`` on its stdin per family to start.

The launcher (a zygote) imports what every family uses once, then forks a
family launcher per line, which imports the heavy modules of its family
(Keystone, Neutron, Heat, Barbican, Placement, Glance, Nova or Tacker) once
and forks one child per service: the import cost is paid once per family
and the children share those pages.  The zygote answers ``FAMILY EXIT-CODE`` on
its stdout once the family's services are forked.  Each child redirects its
output to ``<state>/logs/<name>.log``, writes its PID file, loads its WSGI
application and serves it on 127.0.0.1 with a threaded HTTP server.  The
launchers exit (the zygote at the end of its stdin), so the services are
never children of the caller (no zombies in a test process).

Every request is written to ``<state>/logs/<name>-access.log`` as one line:
time, method, path (no query string), status and duration.  No bodies and no
headers (so no tokens) are logged.  A test injects a fault into one
service's answers to its own requests through ``<state>/faults/<name>/``
(geo_heat_sandbox.faults).
"""

import argparse
import importlib
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from geo_heat_sandbox import faults
from geo_heat_sandbox import layout as _layout

# Imported once by the launcher of every family (the zygote), before it forks
# the family launchers: nothing that imports eventlet, which Nova refuses.
COMMON = ['oslo_config.cfg', 'oslo_log.log', 'oslo_concurrency.lockutils',
          'oslo_db.sqlalchemy.enginefacade', 'oslo_db.sqlalchemy.engines',
          'sqlalchemy.orm', 'sqlalchemy.dialects.sqlite', 'alembic.command',
          'oslo_policy.policy', 'oslo_middleware', 'keystoneauth1.session',
          'webob', 'paste.deploy', 'routes',
          'stevedore', 'jsonschema', 'cryptography.fernet',
          'werkzeug.serving']

PRELOAD = {
    'keystone': ['keystone.server.wsgi', 'keystone.server.flask.application',
                 'keystone.cmd.cli'],
    'neutron': ['neutron.server', 'neutron.server.api',
                'neutron.plugins.ml2.plugin', 'neutron.api.v2.router',
                'neutron.services.l3_router.l3_router_plugin',
                'neutron.services.segments.plugin',
                'neutron_vpnaas.services.vpn.plugin',
                'networking_bgpvpn.neutron.services.plugin',
                'neutron.pecan_wsgi.app', 'keystonemiddleware.auth_token'],
    'heat': ['heat.api.openstack.wsgi', 'heat.api.openstack.v1',
             'heat.engine.service', 'heat.engine.resources',
             'keystonemiddleware.auth_token'],
    'barbican': ['barbican.common.config'],
    'placement': ['placement.deploy', 'placement.handler',
                  'placement.objects.resource_provider',
                  'keystonemiddleware.auth_token'],
    'glance': ['glance.common.wsgi_app', 'glance.api.v2.router',
               'keystonemiddleware.auth_token'],
    'nova': ['nova.api.openstack.wsgi_app', 'nova.api.openstack.compute',
             'nova.compute.manager', 'nova.conductor.manager',
             'nova.scheduler.manager', 'nova.virt.fake',
             'keystonemiddleware.auth_token'],
    'tacker': ['tacker.common.config', 'tacker.service',
               'tacker.conductor.conductor_server',
               'tacker.sol_refactored.api.router',
               'tacker.api.vnfpkgm.v1.router',
               'keystonemiddleware.auth_token'],
}


class AccessLog(object):
    """WSGI middleware: one line per request, no bodies, no headers."""

    def __init__(self, app, path):
        self.app = app
        self.lock = threading.Lock()
        self.fh = open(path, 'a', buffering=1)

    def _write(self, method, path, status, start):
        line = '%s %s %s %s %.1fms\n' % (
            time.strftime('%Y-%m-%dT%H:%M:%S'), method, path, status,
            (time.monotonic() - start) * 1000.0)
        with self.lock:
            self.fh.write(line)

    def __call__(self, environ, start_response):
        start = time.monotonic()
        method = environ.get('REQUEST_METHOD', '-')
        path = (environ.get('SCRIPT_NAME', '') +
                environ.get('PATH_INFO', '')) or '/'
        status = ['-']

        def _start_response(st, headers, exc_info=None):
            status[0] = st.split(' ', 1)[0]
            return start_response(st, headers, exc_info)

        try:
            result = self.app(environ, _start_response)
        except Exception:
            self._write(method, path, '500', start)
            raise
        return _Closing(result, lambda: self._write(method, path, status[0],
                                                    start))


def read_access_log(path, offset=0):
    """(method, path, status) of each request AccessLog wrote to `path`,
    from byte `offset` on (a file size noted earlier)."""
    with open(path) as log:
        log.seek(offset)
        return [tuple(line.split()[1:4]) for line in log.read().splitlines()]


class _Closing(object):
    def __init__(self, result, on_close):
        self.result = result
        self.on_close = on_close

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, 'close'):
                self.result.close()
        finally:
            self.on_close()


def serve(app, port, name):
    from werkzeug import serving

    class Handler(serving.WSGIRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_request(self, *args, **kwargs):
            pass

        def log(self, type, message, *args):
            if type == 'error':
                sys.stderr.write('%s http: %s\n' % (name, message % args))

    server = serving.make_server(_layout.HOST, port, app, threaded=True,
                                 request_handler=Handler)
    server.daemon_threads = True
    sys.stderr.write('%s: serving on http://%s:%d\n' % (name, _layout.HOST,
                                                       port))
    sys.stderr.flush()
    server.serve_forever()


# -- per family application loaders -----------------------------------------

def load_keystone(lay, name):
    os.environ['OS_KEYSTONE_CONFIG_FILES'] = lay.conf(name)
    sys.argv = ['keystone-' + name]
    from keystone.server import wsgi
    from geo_heat_sandbox import patches
    app = wsgi.initialize_public_application()
    patches.keystone_policy_warmup()
    return app


def load_neutron(lay, name):
    from geo_heat_sandbox import patches
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


def load_heat(lay, name):
    from geo_heat_sandbox import patches
    sys.argv = ['heat-api', '--config-file', lay.conf(name)]
    from heat.api.openstack import wsgi
    app = wsgi.init_application()
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
    srv = engine.EngineService(cfg.CONF.host, rpc_api.ENGINE_TOPIC)
    srv.start()
    return app


def load_barbican(lay, name):
    from geo_heat_sandbox import patches
    sys.argv = ['barbican-api']
    patches.barbican_config_files(lay.conf(name))
    from paste import deploy
    return deploy.loadapp('config:' + os.path.join(
        lay.etc, 'barbican-api-paste.ini'))


def load_placement(lay, name):
    os.environ['OS_PLACEMENT_CONFIG_DIR'] = _layout.conf_dir(lay, name)
    sys.argv = ['placement-api']
    from placement import wsgi
    return wsgi.init_application()


def load_glance(lay, name):
    os.environ['OS_GLANCE_CONFIG_DIR'] = _layout.conf_dir(lay, name)
    sys.argv = ['glance-api']
    from glance.common import wsgi_app
    return wsgi_app.init_app()


def load_nova(lay, name):
    """A region's whole Nova in one process (fake:// reaches no other):
    API, super conductor, scheduler and one fake nova-compute per cell."""
    from geo_heat_sandbox import patches
    os.environ['OS_NOVA_CONFIG_DIR'] = lay.etc
    os.environ['OS_NOVA_CONFIG_FILES'] = 'nova-api-paste.ini;%s.conf' % name
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
    patches.install_sandbox_fake_driver()
    cells = map_cells(lay, name)
    for binary, topic in (('nova-conductor', conductor_rpcapi.RPC_TOPIC),
                          ('nova-scheduler', scheduler_rpcapi.RPC_TOPIC)):
        service.Service.create(binary=binary, topic=topic).start()
    app = wsgi_app.init_application('osapi_compute', 'nova-api')
    # A compute registers its node in Placement as it starts.
    _wait_for_answers(lay.auth_url(_layout.SERVICES[name][2]),
                      lay.url(_layout.sibling(name, 'placement')))
    for cell, (host, _) in _layout.NOVA_CELLS[name].items():
        patches.start_compute_in_cell(host, cells[cell])
    host_mapping.discover_hosts(context.get_admin_context())
    return app


def load_tacker(lay, name):
    """Tacker's API and its conductor in one process over fake:// (as
    tacker-server and tacker-conductor would run, threaded, no eventlet).
    The v2 VNF LCM conductor is the conductor's own v2 hook."""
    sys.argv = ['tacker-server', '--config-file', lay.conf(name)]
    from keystoneauth1 import loading
    from oslo_config import cfg
    from tacker.common import config
    from tacker.common import topics
    from tacker import objects
    from tacker import service
    from tacker.sol_refactored import objects as sol_objects

    config.init(sys.argv[1:])
    config.setup_logging(cfg.CONF)
    objects.register_all()
    sol_objects.register_all()
    # The API's auth_token reads its service credentials from there
    # (layout.tacker_conf: the conductor owns [keystone_authtoken]).
    loading.register_auth_conf_options(cfg.CONF, 'tacker_service_auth')
    # The v2 API's controllers read the configuration (their own links'
    # endpoint) as their module is imported: the launcher imported it
    # before there was a configuration.
    importlib.reload(importlib.import_module(
        'tacker.sol_refactored.api.router'))
    app = config.load_paste_app('tacker')
    conductor = service.Service.create(
        binary='tacker-conductor', topic=topics.TOPIC_CONDUCTOR,
        manager='tacker.conductor.conductor_server.Conductor')
    conductor.start()
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
    dbs = _layout.nova_databases(lay, name)
    existing = {c.name: c for c in objects.CellMappingList.get_all(ctxt)}
    wanted = {'cell0': (objects.CellMapping.CELL0_UUID, 'none:///')}
    for cell in _layout.NOVA_CELLS[name]:
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


LOADERS = {'keystone': load_keystone, 'neutron': load_neutron,
           'heat': load_heat, 'barbican': load_barbican,
           'placement': load_placement, 'glance': load_glance,
           'nova': load_nova, 'tacker': load_tacker}


def _imports_file(lay, family):
    return os.path.join(lay.data, family + '-imports.txt')


def _record_imports(lay, family, preloaded):
    """Note what a service imported after the fork (its plugins, drivers,
    client libraries): the next launcher of its family imports them too, so
    that its services share those pages and import them once."""
    known = set(preloaded)
    new = [name for name in list(sys.modules) if name not in known]
    if not new:
        return
    path = _imports_file(lay, family)
    recorded = _recorded_imports(lay, family)
    tmp = '%s.%d' % (path, os.getpid())
    with open(tmp, 'w') as f:
        f.writelines(name + '\n' for name in dict.fromkeys(recorded + new))
    os.replace(tmp, path)


def _recorded_imports(lay, family):
    try:
        with open(_imports_file(lay, family)) as f:
            return f.read().split()
    except OSError:
        return []


def run_service(lay, family, name):
    """Body of one service child (never returns)."""
    _redirect(lay.log(name))
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    try:
        sys.stderr.write('--- %s starting (pid %d) at %s\n' % (
            name, os.getpid(), time.strftime('%Y-%m-%d %H:%M:%S')))
        preloaded = list(sys.modules)
        app = LOADERS[family](lay, name)
        _record_imports(lay, family, preloaded)
        app = AccessLog(app, lay.access_log(name))
        app = faults.Faults(app, faults.directory(lay.root, name), name)
        serve(app, lay.port(name), name)
    except BaseException:
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(3)
    os._exit(0)


def launch_family(lay, family, names):
    """A family launcher: import the family's code once, then fork one
    process per service and write its PID file."""
    from geo_heat_sandbox import patches
    if family == 'nova':
        patches.nova_native_threading()
    patches.select_threading_backend()
    if family == 'tacker':
        patches.sqlite_write_ahead_log()
    else:
        patches.sqlite_begin_immediate()
    for mod in PRELOAD[family] + _recorded_imports(lay, family):
        try:
            importlib.import_module(mod)
        except Exception:  # noqa - a recorded import is only a hint
            pass
    sys.stdout.flush()
    sys.stderr.flush()

    for name in names:
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()
            except OSError:
                pass
            run_service(lay, family, name)
        with open(lay.pid_file(name) + '.tmp', 'w') as f:
            f.write('%d\n' % pid)
        os.replace(lay.pid_file(name) + '.tmp', lay.pid_file(name))


def zygote(lay):
    """Import what every family uses once, then fork a family launcher for
    each line "FAMILY NAME..." read from stdin; answer "FAMILY EXIT-CODE" on
    stdout once its services are forked.  Ends at the end of stdin."""
    for mod in COMMON:
        importlib.import_module(mod)
    replies = threading.Lock()

    def reply(family, pid):
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        with replies:
            sys.stdout.write('%s %d\n' % (family, code))
            sys.stdout.flush()

    for line in sys.stdin:
        family, *names = line.split()
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                _redirect(lay.log(family + '-launcher'))
                launch_family(lay, family, names)
                code = 0
            except BaseException:
                import traceback
                traceback.print_exc()
            finally:
                os._exit(code)
        threading.Thread(target=reply, args=(family, pid)).start()


def _redirect(log):
    """stdin from /dev/null, stdout and stderr to `log`."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    # Not owning the descriptors: replacing these again (a service forked
    # by a family launcher) must not close them.
    sys.stdout = os.fdopen(1, 'w', buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, 'w', buffering=1, closefd=False)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='geo-heat-sandbox-runner')
    parser.add_argument('--state-dir', required=True)
    args = parser.parse_args(argv)
    zygote(_layout.Layout(args.state_dir))
    return 0


if __name__ == '__main__':
    sys.exit(main())
