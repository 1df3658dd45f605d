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

"""Process launcher of the sandbox services.

``python -m geo_heat_sandbox.runner --state-dir DIR``, then one line
``FAMILY NAME [NAME...]`` on its stdin per family to start.

The launcher (a zygote) imports what every family uses once, then forks a
family launcher per line, which imports the heavy modules of its family
(its ``preload`` in geo_heat_sandbox.services) once and forks one child
per service: the import cost is paid once per family and the children
share those pages.  The zygote answers ``FAMILY EXIT-CODE`` on
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
import gc
import importlib
import os
import signal
import sys
import threading
import time

from geo_heat_sandbox import faults
from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import services

# Imported once by the launcher of every family (the zygote), before it forks
# the family launchers: nothing that imports eventlet, which Nova refuses.
COMMON = ['oslo_config.cfg', 'oslo_log.log', 'oslo_concurrency.lockutils',
          'oslo_db.sqlalchemy.enginefacade', 'oslo_db.sqlalchemy.engines',
          'sqlalchemy.orm', 'sqlalchemy.dialects.sqlite', 'alembic.command',
          'oslo_policy.policy', 'oslo_middleware', 'keystoneauth1.session',
          'webob', 'paste.deploy', 'routes',
          'stevedore', 'jsonschema', 'cryptography.fernet',
          'werkzeug.serving']

class AccessLog(object):
    """WSGI middleware: one line per request, no bodies, no headers but
    the global request ID (so that a test can count its own requests)."""

    def __init__(self, app, path):
        self.app = app
        self.lock = threading.Lock()
        self.fh = open(path, 'a', buffering=1)

    def _write(self, method, path, status, start, request_id):
        line = '%s %s %s %s %.1fms %s\n' % (
            time.strftime('%Y-%m-%dT%H:%M:%S'), method, path, status,
            (time.monotonic() - start) * 1000.0, request_id)
        with self.lock:
            self.fh.write(line)

    def __call__(self, environ, start_response):
        start = time.monotonic()
        method = environ.get('REQUEST_METHOD', '-')
        path = (environ.get('SCRIPT_NAME', '') +
                environ.get('PATH_INFO', '')) or '/'
        # One field, whatever the client sent.
        request_id = ''.join(environ.get(
            'HTTP_X_OPENSTACK_REQUEST_ID', '').split()) or '-'
        status = ['-']

        def _start_response(st, headers, exc_info=None):
            status[0] = st.split(' ', 1)[0]
            return start_response(st, headers, exc_info)

        try:
            result = self.app(environ, _start_response)
        except Exception:
            self._write(method, path, '500', start, request_id)
            raise
        return _Closing(result, lambda: self._write(
            method, path, status[0], start, request_id))


def read_access_log(path, offset=0, request_id=None):
    """(method, path, status) of each request AccessLog wrote to `path`,
    from byte `offset` on (a file size noted earlier); with `request_id`,
    of the requests that carried that global request ID only."""
    with open(path) as log:
        log.seek(offset)
        fields = [line.split() for line in log.read().splitlines()]
    return [tuple(line[1:4]) for line in fields
            if request_id is None or line[5:] == [request_id]]


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
        app = services.FAMILIES[family].load(lay, name)
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
    spec = services.FAMILIES[family]
    spec.prepare()
    spec.sqlite()
    for mod in list(spec.preload) + _recorded_imports(lay, family):
        try:
            importlib.import_module(mod)
        except Exception:  # noqa - a recorded import is only a hint
            pass
    sys.stdout.flush()
    sys.stderr.flush()
    _keep_shared()
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
    _keep_shared()
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


def _keep_shared():
    """Before forking: what is imported so far stays out of the garbage
    collector's reach, so that no collection in a child writes to those
    objects and copies the pages the children share (gc.freeze)."""
    gc.collect()
    gc.freeze()


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
