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

"""State directory layout: its paths, the services' ports, its state and
secrets files.

No OpenStack package is imported here, so the CLI stays fast and this
module can be unit tested.
"""

import base64
import json
import os
import secrets as _secrets
import signal
import time
import uuid

from geo_heat_sandbox import topology

# Below the ephemeral range (32768-60999 on Linux), so outgoing
# connections never hold a port the sandbox needs.
DEFAULT_PORT_BASE = 25400
HOST = '127.0.0.1'
ENV_DIR = 'GEO_HEAT_SANDBOX_DIR'
ENV_PORT_BASE = 'GEO_HEAT_SANDBOX_PORT_BASE'
# The profile of a state dir's first up when `up` names none.
ENV_PROFILE = 'GEO_HEAT_SANDBOX_PROFILE'

# Names of the generated secrets (values are random per state dir).
SECRET_NAMES = ('admin_a', 'admin_b', 'neutron_a', 'heat_a', 'barbican_a',
                'neutron_b', 'barbican_kek', 'heat_b', 'nova_a', 'nova_b',
                'placement_a', 'placement_b', 'glance_a', 'glance_b',
                'geo_heat_a', 'tenant_a', 'tenant_b', 'other_a', 'silent',
                'tacker_a', 'heat_domain_admin_a', 'heat_domain_admin_b')


def default_state_dir():
    env = os.environ.get(ENV_DIR)
    if env:
        return os.path.abspath(os.path.expanduser(env))
    base = os.environ.get('XDG_STATE_HOME') or os.path.expanduser(
        '~/.local/state')
    return os.path.join(base, 'geo-heat-sandbox')


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
        # Production profile: RabbitMQ's server runs as user rabbitmq and
        # reaches its directory under the root (services.rabbitmq).
        os.chmod(self.root, 0o701 if self.profile == 'production' else 0o700)

    def data_dir(self, name):
        """A service's own files (keys, locks, images, state_path)."""
        return os.path.join(self.data, name)

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
        return self.port_base + topology.SERVICES[name][1]

    def backend_port(self, name):
        return self.port_base + topology.BACKEND_PORTS[name]

    @property
    def profile(self):
        """The profile chosen at this state dir's first up
        ($GEO_HEAT_SANDBOX_PROFILE until then): 'embedded' (SQLite,
        fake:// messaging, one engine per Heat) or 'production'
        (geo_heat_sandbox.profiles)."""
        chosen = self.read_state().get('profile')
        if chosen:
            return chosen
        if os.path.exists(os.path.join(self.data_dir('keystone-a'),
                                       'initialized')):
            return 'embedded'  # up before there were profiles
        return os.environ.get(ENV_PROFILE) or 'embedded'

    @property
    def silent_port(self):
        return self.port_base + topology.SILENT_PORT_OFFSET

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
        missing = [key for key, *_rest in topology.TENANTS if key not in ids]
        if missing:
            ids.update((key, uuid.uuid4().hex) for key in missing)
            self.write_state(project_ids=ids)
        return ids

    def write_state(self, **values):
        state = self.read_state()
        state.update(values)
        write_file(self.state_file,
                   json.dumps(state, indent=1, sort_keys=True))

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
                write_file(self.secrets_file, json.dumps(values, indent=1),
                       mode=0o600)
        return values


# Runs a server in a session of its own, no child of the caller's (no
# zombie in a test process that started the sandbox).
DETACHED = ('setsid', '-f')


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def alive(pid):
    """True if `pid` runs (not gone, not a zombie)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[-1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False


def terminate(pid, timeout=30.0):
    """SIGTERM a process and wait until it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def write_file(path, text, mode=0o600):
    """Write `text` to `path` atomically, readable by its owner only unless
    `mode` says otherwise."""
    tmp = path + '.tmp'
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w') as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
