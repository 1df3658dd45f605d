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

"""Start, stop and inspect the sandbox services."""

import contextlib
import errno
import fcntl
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox import profiles
from geo_heat_sandbox import services
from geo_heat_sandbox import topology
from geo_heat_sandbox.topology import SERVICES

RUNNER = 'geo_heat_sandbox.runner'
BOOTSTRAP = 'geo_heat_sandbox.bootstrap'
# geo-heat-watcher, a plain process (no port): as the tenant, against
# RegionOne's Heat, cloud B's sites through the tenant's entry there.
WATCHER, WATCHER_MODULE = 'watcher', 'geo_heat.watcher'
WATCHER_ARGS = ('--heat', 'tenant:RegionOne', '--site-cloud',
                'cloud-b=tenant-b', '--interval', '1')
WATCHER_STARTED = 'watching Heat tenant:RegionOne'
START_TIMEOUT = float(os.environ.get('GEO_HEAT_SANDBOX_TIMEOUT', '150'))
STOP_TIMEOUT = 10.0


class SandboxError(Exception):
    pass


# -- helpers -----------------------------------------------------------------

@contextlib.contextmanager
def locked(lay):
    lay.ensure_dirs()
    fd = os.open(lay.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def tail(path, lines=25):
    try:
        with open(path, 'rb') as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 16384))
            data = f.read().decode('utf-8', 'replace')
    except OSError:
        return '(no log)'
    return '\n'.join(data.splitlines()[-lines:])


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _read_from(path, offset):
    with open(path, 'rb') as f:
        f.seek(offset)
        return f.read().decode('utf-8', 'replace')


def _read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def _ours(lay, pid):
    """True if pid is alive, not a zombie, and one of this state dir's:
    a service (or launcher) or its watcher."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            # NUL-separated, or one space-separated string when the process
            # rewrote its title (setproctitle).
            cmdline = ' %s ' % f.read().decode('utf-8', 'replace').replace(
                '\0', ' ')
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
    except OSError:
        return False
    if stat.rsplit(')', 1)[-1].split()[0] == 'Z':
        return False
    return (((' %s ' % lay.root) in cmdline and
             (' -m %s ' % RUNNER) in cmdline) or
            ((' %s ' % lay.clouds_yaml) in cmdline and
             (' -m %s ' % WATCHER_MODULE) in cmdline))


def service_pid(lay, name):
    pid = _read_pid(lay.pid_file(name))
    if pid and _ours(lay, pid):
        return pid
    return None


def _memory_kb(pid):
    """{'rss_kb', 'pss_kb'} of a process (0 when it is gone). Services
    forked from one launcher share their imported code: RSS counts a
    shared page in each, PSS splits it among them, so PSS sums to what
    the sandbox holds."""
    memory = {'rss_kb': 0, 'pss_kb': 0}
    if not pid:
        return memory
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                key, _, value = line.partition(':')
                if key in ('Rss', 'Pss'):
                    memory[key.lower() + '_kb'] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return memory


def answering(url, timeout=2.0):
    try:
        urllib.request.urlopen(url, timeout=timeout).close()
        return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((_layout.HOST, port))
        return True
    except OSError as e:
        if e.errno in (errno.EADDRINUSE, errno.EACCES):
            return False
        raise
    finally:
        s.close()


def _env():
    env = dict(os.environ)
    # Never let an OpenStack client environment leak into the services.
    for key in list(env):
        if key.startswith('OS_'):
            del env[key]
    env['PYTHONUNBUFFERED'] = '1'
    return env


def _run_step(lay, step, logname):
    log = lay.log(logname)
    with open(log, 'ab') as out:
        proc = subprocess.run(
            [sys.executable, '-m', BOOTSTRAP, '--state-dir', lay.root, step],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            env=_env(), cwd=lay.root)
    if proc.returncode != 0:
        raise SandboxError('%s: initialisation step %r failed (exit %d); '
                           'log: %s\n%s' % (logname, step, proc.returncode,
                                            log, tail(log)))


class _Launcher(object):
    """The runner of one start: forks a launcher per family on request."""

    def __init__(self, lay):
        self.lay = lay
        with open(lay.log('launcher'), 'ab') as out:
            self.proc = subprocess.Popen(
                [sys.executable, '-m', RUNNER, '--state-dir', lay.root],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out,
                env=_env(), cwd=lay.root, start_new_session=True, text=True)
        with open(lay.pid_file('launcher'), 'w') as f:
            f.write('%d\n' % self.proc.pid)
        self.answered = threading.Condition()
        self.codes = {}
        self.ended = False
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self):
        for line in self.proc.stdout:
            family, code = line.split()
            with self.answered:
                self.codes[family] = int(code)
                self.answered.notify_all()
        with self.answered:
            self.ended = True
            self.answered.notify_all()

    def launch(self, family, names):
        """Import the family's code once and fork its services."""
        with self.answered:
            self.proc.stdin.write('%s %s\n' % (family, ' '.join(names)))
            self.proc.stdin.flush()
            self.answered.wait_for(lambda: family in self.codes or self.ended)
            code = self.codes.get(family)
        if code != 0:
            log = self.lay.log(family + '-launcher' if code else 'launcher')
            raise SandboxError('%s: launcher failed (%s) while importing the '
                               'service code; log: %s\n%s' % (
                                   ', '.join(names),
                                   'exit %d' % code if code else 'ended',
                                   log, tail(log)))

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def _wait_answering(lay, names, deadline):
    pending = list(names)
    while pending:
        for name in list(pending):
            pid = _read_pid(lay.pid_file(name))
            if pid and not _ours(lay, pid):
                raise SandboxError(
                    '%s failed to start (process %d exited); log: %s\n%s' % (
                        name, pid, lay.log(name), tail(lay.log(name))))
            if pid and answering(lay.url(name) + '/', timeout=1.0):
                pending.remove(name)
        if not pending:
            return
        if time.monotonic() > deadline:
            name = pending[0]
            raise SandboxError(
                '%s did not answer on %s within %.0f s; log: %s\n%s' % (
                    name, lay.url(name), START_TIMEOUT, lay.log(name),
                    tail(lay.log(name))))
        time.sleep(0.2)


def _session(lay, cloud, sec):
    from keystoneauth1 import session
    from keystoneauth1.identity import v3
    auth = v3.Password(auth_url=lay.auth_url(cloud), username='admin',
                       password=sec['admin_' + cloud], project_name='admin',
                       user_domain_name='Default',
                       project_domain_name='Default')
    return session.Session(auth=auth)


def _copy_snapshots(lay, family, names):
    """New databases as copies of the family's snapshots (built once):
    copying a file takes milliseconds, a schema sync seconds."""
    missing = [(snapshot, path) for name in names
               for snapshot, path in services.of(name).databases_of(lay,
                                                                    name)
               if not os.path.exists(path)]
    if not missing:
        return
    snapshot_file = os.path.join(lay.snapshots, '%s.sqlite')
    if not all(os.path.exists(snapshot_file % snapshot)
               for snapshot, _ in missing):
        _run_step(lay, family + '-schema', family + '-schema')
    for snapshot, path in missing:
        shutil.copyfile(snapshot_file % snapshot, path + '.tmp')
        os.replace(path + '.tmp', path)


def _make_ready(lay, names, sec):
    """Warm up and provision the started services, all at once."""
    sessions = {}
    for name in names:
        cloud = SERVICES[name][2]
        if cloud not in sessions:
            sessions[cloud] = _session(lay, cloud, sec)
            sessions[cloud].get_project_id()  # authenticates once
    errors = []

    def make_ready(name):
        sess = sessions[SERVICES[name][2]]
        try:
            _warm_up(lay, name, sess)
            _provision(lay, name, sess)
        except SandboxError as e:
            errors.append(str(e))
        except Exception as e:  # noqa
            errors.append('%s: %s: %s' % (name, type(e).__name__, e))

    threads = [threading.Thread(target=make_ready, args=(name,))
               for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SandboxError('\n\n'.join(errors))


def _warm_up(lay, name, sess):
    """One authenticated request, which also loads the service's policy
    rules before any client comes: Neutron and Keystone publish their
    enforcer before the rules, and a first request racing them gets 403
    (Keystone: a service validating a user's token)."""
    path, headers = services.of(name).warm_up(sess)
    last = None
    for _ in range(20):
        try:
            resp = sess.get(lay.url(name) + path, headers=headers,
                            raise_exc=False)
            if resp.status_code == 200:
                return
            last = 'HTTP %d' % resp.status_code
        except Exception as e:  # noqa
            last = type(e).__name__
        time.sleep(0.25)
    raise SandboxError('%s answers but an authenticated GET %s failed (%s); '
                       'log: %s\n%s' % (name, path, last, lay.log(name),
                                        tail(lay.log(name))))


def _provision(lay, name, sess):
    """At a service's first start: what its family provisions (the image
    in a Glance; the flavor and the availability zones in a Nova; the
    external network in a Neutron)."""
    provision = services.of(name).provision
    if _provisioned(lay, name):
        return
    try:
        provision(sess, lay, name)
    except Exception as e:  # noqa
        raise SandboxError('%s: provisioning failed (%s: %s); log: %s\n%s'
                           % (name, type(e).__name__, e, lay.log(name),
                              tail(lay.log(name))))
    with open(_provision_marker(lay, name), 'w') as f:
        f.write('ok\n')


def _provision_marker(lay, name):
    return os.path.join(lay.data_dir(name), 'provisioned')


def _provisioned(lay, name):
    return (services.of(name).provision is None or
            os.path.exists(_provision_marker(lay, name)))


# -- public operations ------------------------------------------------------

def status(state_dir=None):
    lay = _layout.Layout(state_dir)
    services = {}
    for name in SERVICES:
        pid = service_pid(lay, name)
        services[name] = {
            'running': bool(pid), 'pid': pid, 'url': lay.url(name),
            'port': lay.port(name), 'log': lay.log(name),
            'access_log': lay.access_log(name),
            **_memory_kb(pid),
        }
    watcher = service_pid(lay, WATCHER)
    extras = {worker: service_pid(lay, worker)
              for name in topology.services_of('heat')
              for worker in engine_workers(lay, name)}
    if lay.profile == profiles.PRODUCTION:
        extras.update(profiles.backend_status(lay))
    return {'state_dir': lay.root, 'clouds_yaml': lay.clouds_yaml,
            'profile': lay.profile,
            'extras': {name: {'running': bool(pid), 'pid': pid,
                              **_memory_kb(pid)}
                       for name, pid in extras.items()},
            'operator_clouds_yaml': lay.operator_clouds_yaml,
            'last_up_seconds': lay.read_state().get('last_up_seconds'),
            'services': services,
            'watcher': {'running': bool(watcher), 'pid': watcher,
                        'log': lay.log(WATCHER), **_memory_kb(watcher)}}


def is_up(state_dir=None, check_http=True):
    lay = _layout.Layout(state_dir)
    for name in SERVICES:
        if not service_pid(lay, name):
            return False
        if check_http and not answering(lay.url(name) + '/', timeout=2.0):
            return False
    return True


def up(state_dir=None, out=None, profile=None, port_base=None):
    """Start every service; `profile` (geo_heat_sandbox.profiles) and
    `port_base` ($GEO_HEAT_SANDBOX_PORT_BASE by default) are chosen at a
    state dir's first up and kept."""
    info = _start(state_dir, list(SERVICES), out, 'geo-heat sandbox',
                  profile, port_base)
    lay = _layout.Layout(state_dir)
    with locked(lay):
        _start_watcher(lay, out or (lambda msg: None))
    info['watcher'] = status(lay.root)['watcher']
    return info


def _start_watcher(lay, out):
    """Start geo-heat-watcher unless it runs; once the services answer,
    so that its first round finds them."""
    if service_pid(lay, WATCHER):
        return
    log_path = lay.log(WATCHER)
    with open(log_path, 'ab') as log:
        offset = log.tell()
        proc = subprocess.Popen(
            [sys.executable, '-m', WATCHER_MODULE, '--clouds-file',
             lay.clouds_yaml, *WATCHER_ARGS],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=_env(), cwd=lay.root, start_new_session=True)
    with open(lay.pid_file(WATCHER), 'w') as f:
        f.write('%d\n' % proc.pid)
    # Its start line: it read its configuration and handles SIGTERM.
    deadline = time.monotonic() + START_TIMEOUT
    while WATCHER_STARTED not in _read_from(log_path, offset):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SandboxError('geo-heat-watcher failed to start (%s); '
                               'log: %s\n%s' % (
                                   'exit %d' % proc.returncode
                                   if proc.returncode is not None
                                   else 'no start line', log_path,
                                   tail(log_path)))
        time.sleep(0.1)
    out('watcher started (pid %d), log %s' % (proc.pid, log_path))


def start_service(name, state_dir=None, out=None):
    """Start one stopped service of a sandbox that was up before.

    Its database and keys are kept (a restart, not a reset).
    """
    lay = _layout.Layout(state_dir)
    _check_service(name)
    if not os.path.exists(os.path.join(lay.data, 'keystone-a',
                                       'initialized')):
        raise SandboxError('%s has never been up: run up first' % lay.root)
    return _start(state_dir, [name], out, name)


def stop_service(name, state_dir=None, out=None):
    """Stop one service (SIGTERM, SIGKILL if needed), e.g. to inject a fault.

    The others keep running; start_service or up starts it again.
    """
    _check_service(name)
    lay = _layout.Layout(state_dir)
    with locked(lay):
        return _stop(lay, [name], out or (lambda msg: None))


def _check_service(name):
    if name not in SERVICES:
        raise SandboxError('unknown service %r; services: %s'
                           % (name, ', '.join(SERVICES)))


def _start(state_dir, wanted, out, what, profile=None, port_base=None):
    out = out or (lambda msg: None)
    lay = _layout.Layout(state_dir)
    with locked(lay):
        t0 = time.monotonic()
        running = {n for n in SERVICES if service_pid(lay, n)}
        # Running but never provisioned: an up that failed half-way.
        unprovisioned = [n for n in wanted if not _provisioned(lay, n)]
        if running.issuperset(wanted) and unprovisioned:
            _make_ready(lay, unprovisioned, lay.load_secrets())
        if running.issuperset(wanted):
            info = status(lay.root)
            info['started'] = []
            info['seconds'] = 0.0
            out('%s already up in %s (nothing started)' % (what, lay.root))
            return info
        fresh = not os.path.exists(os.path.join(lay.data, 'keystone-a',
                                                'initialized'))
        env_base = port_base or os.environ.get(_layout.ENV_PORT_BASE)
        if fresh:
            # Nothing registered in a catalog yet: the caller decides.
            lay._port_base = int(env_base or _layout.DEFAULT_PORT_BASE)
        elif env_base and int(env_base) != lay.port_base:
            out('note: %s ignored, this state dir uses port base %d'
                % (_layout.ENV_PORT_BASE, lay.port_base))
        to_start = [n for n in wanted if n not in running]
        busy = [(n, lay.port(n)) for n in to_start
                if not port_free(lay.port(n))]
        if busy:
            raise SandboxError('port(s) already in use on %s: %s; stop '
                               'whatever listens there or set %s' % (
                                   _layout.HOST,
                                   ', '.join('%d (%s)' % (p, n)
                                             for n, p in busy),
                                   _layout.ENV_PORT_BASE))
        lay.write_state(port_base=lay.port_base)
        if fresh:
            lay.write_state(profile=profile or lay.profile)
        elif profile and profile != lay.profile:
            raise SandboxError('%s uses the %s profile: run down and remove '
                               'it to change profile' % (lay.root,
                                                         lay.profile))
        out('starting %s in %s (%s)' % (
            ', '.join(to_start), lay.root,
            'first start' if fresh else 'saved state'))
        sec = lay.load_secrets(create=True)
        services.write_configs(lay, sec)
        if lay.profile == profiles.PRODUCTION:
            try:
                profiles.start_backends(lay, START_TIMEOUT, out)
            except (profiles.Unavailable, RuntimeError,
                    subprocess.CalledProcessError) as e:
                raise SandboxError('production profile: %s' % e)
        # After the backends: installing them is no service's start.
        deadline = time.monotonic() + START_TIMEOUT
        errors = []

        def family_task(family):
            try:
                spec = services.FAMILIES[family]
                names = [n for n in topology.services_of(family)
                         if n in to_start]
                if not names:
                    return
                if spec.init:
                    for name in names:
                        marker = os.path.join(lay.data_dir(name),
                                              'initialized')
                        version = spec.init_version()
                        if _read(marker) != version:
                            _run_step(lay, name, name + '-init')
                            with open(marker, 'w') as f:
                                f.write(version)
                if spec.schema:
                    _copy_snapshots(lay, family, names)
                launcher.launch(family, names)
                _wait_answering(lay, names, deadline)
            except SandboxError as e:
                errors.append(str(e))
            except Exception as e:  # noqa
                errors.append('%s: %s: %s' % (family, type(e).__name__, e))

        launcher = _Launcher(lay)
        threads = [threading.Thread(target=family_task, args=(f,))
                   for f in services.FAMILIES]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        launcher.close()
        if not errors:
            try:
                _make_ready(lay, to_start, sec)
            except SandboxError as e:
                errors.append(str(e))
            except Exception as e:  # noqa
                errors.append('warm-up: %s: %s' % (type(e).__name__, e))
        if errors:
            raise SandboxError('\n\n'.join(errors))
        took = time.monotonic() - t0
        if wanted == list(SERVICES):  # an up, not one service's start
            lay.write_state(last_up_seconds=round(took, 1))
        info = status(lay.root)
        info['started'] = to_start
        info['seconds'] = took
        out('%s up in %.1f s' % (what, took))
        return info


def down(state_dir=None, out=None):
    out = out or (lambda msg: None)
    lay = _layout.Layout(state_dir)
    if not os.path.isdir(lay.root):
        out('nothing to stop: %s does not exist' % lay.root)
        return []
    with locked(lay):
        stopped = _stop(lay, list(SERVICES) + ['launcher', WATCHER], out)
        if lay.profile == profiles.PRODUCTION:
            profiles.stop_backends(lay)
            out('stopped: %s' % ', '.join(b.NAME for b in profiles.BACKENDS))
        return stopped


def engine_workers(lay, name):
    """The names of a Heat's engine workers forked beside its API (their
    PID files), none for other services."""
    if name not in topology.services_of('heat'):
        return []
    return ['%s-engine-%d' % (name, worker)
            for worker in range(2, profiles.ENGINE_WORKERS[lay.profile] + 1)]


def _stop(lay, names, out):
    """SIGTERM the named processes of this state dir (and a Heat's engine
    workers, which end with its API's process but may outlive it a
    moment, or for good if they ignore SIGTERM), SIGKILL stragglers; wait
    until their ports are free, even where a process was killed already."""
    processes = {service: [service, *engine_workers(lay, service)]
                 for service in names}
    victims, ports = {}, set()
    for service, own in processes.items():
        for name in own:
            pid = _read_pid(lay.pid_file(name))
            if not pid:
                continue
            # Even a process just killed (not ours any more: gone from
            # /proc's view, or a zombie) may hold its socket a moment.
            if service in SERVICES:
                ports.add(lay.port(service))
            if _ours(lay, pid):
                victims[name] = pid
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
    deadline = time.monotonic() + STOP_TIMEOUT

    def stopping():
        # A dying process drops its command line before its sockets: wait
        # for the ports too, so a start right after finds them free.
        return (any(_ours(lay, pid) for pid in victims.values()) or
                not all(port_free(port) for port in ports))

    while time.monotonic() < deadline and stopping():
        time.sleep(0.05)
    for name, pid in victims.items():
        if _ours(lay, pid):
            out('%s (pid %d) ignored SIGTERM: SIGKILL' % (name, pid))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for name in itertools.chain(*processes.values()):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lay.pid_file(name))
    stopped = sorted(n for n in victims if n in SERVICES or n == WATCHER)
    out('stopped: %s' % (', '.join(stopped) if stopped else 'nothing'))
    return stopped
