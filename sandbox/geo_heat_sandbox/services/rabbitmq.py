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

"""RabbitMQ of the production profile: the Heats' RPC (oslo.messaging),
one node under the state dir on 127.0.0.1.

Debian's wrapper drops to user ``rabbitmq`` when run as root: every
directory it writes is owned by that user."""

import os
import pwd
import shutil
import socket
import subprocess
import time

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox.layout import DETACHED

NAME = 'rabbitmq'
NODE = 'geo-heat@localhost'
PROGRAMS = ('rabbitmq-server', 'rabbitmqctl', 'epmd')
USER = 'rabbitmq'


def directory(lay):
    return lay.data_dir(NAME)


def transport_url(lay, name):
    """oslo.messaging's URL of a service, its own virtual host (guest may
    log in over loopback only): Heats that shared one would take each
    other's RPC calls, every engine listening on topic ``engine``."""
    return 'rabbit://guest:guest@%s:%d/%s' % (
        _layout.HOST, lay.backend_port(NAME), name)


def add_vhosts(lay, names):
    """A virtual host per service, guest allowed there, once."""
    marker = os.path.join(directory(lay), 'vhosts')
    try:
        with open(marker) as f:
            done = f.read().split()
    except OSError:
        done = []
    env = environment(lay)
    for name in names:
        if name in done:
            continue
        for command in (['add_vhost', name],
                        ['set_permissions', '-p', name, 'guest', '.*', '.*',
                         '.*']):
            subprocess.run(['rabbitmqctl', '-q', '-n', NODE, *command],
                           env=env, check=True, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        done.append(name)
        with open(marker, 'w') as f:
            f.write('\n'.join(done))


def environment(lay):
    top = directory(lay)
    env = dict(os.environ)
    env.update({
        'RABBITMQ_MNESIA_BASE': os.path.join(top, 'mnesia'),
        'RABBITMQ_LOG_BASE': os.path.join(top, 'log'),
        'RABBITMQ_NODE_PORT': str(lay.backend_port(NAME)),
        'RABBITMQ_NODENAME': NODE,
        'RABBITMQ_NODE_IP_ADDRESS': _layout.HOST,
        'RABBITMQ_DIST_PORT': str(lay.backend_port('rabbitmq-dist')),
        'ERL_EPMD_PORT': str(lay.backend_port('epmd')),
        'ERL_EPMD_ADDRESS': _layout.HOST,
        # Erlang distribution (rabbitmqctl's way in) on loopback too.
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
            '-kernel inet_dist_use_interface {%s}' % _layout.HOST.replace(
                '.', ','),
        'RABBITMQ_PID_FILE': os.path.join(top, 'rabbitmq.pid'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': os.path.join(top, 'enabled_plugins'),
        'RABBITMQ_CONFIG_FILE': os.path.join(top, 'rabbitmq'),
        'RABBITMQ_FEATURE_FLAGS_FILE': os.path.join(top, 'feature_flags'),
        'RABBITMQ_PLUGINS_EXPAND_DIR': os.path.join(top, 'plugins-expand'),
        'HOME': top,
    })
    return env


def config(lay):
    """rabbitmq.conf: AMQP on loopback only (a bare port listens on
    every interface)."""
    return 'listeners.tcp.default = %s:%d\n' % (_layout.HOST,
                                                 lay.backend_port(NAME))


def pid(lay):
    value = _layout.read_pid(os.path.join(directory(lay), 'rabbitmq.pid'))
    if value and _layout.alive(value):
        return value
    return None


def start(lay, timeout):
    """Start the node and wait until its AMQP port accepts connections
    (rabbitmq-diagnostics costs about a second a call)."""
    if pid(lay) and _listening(lay):
        return
    top = directory(lay)
    os.makedirs(top, exist_ok=True)
    with open(os.path.join(top, 'enabled_plugins'), 'w') as f:
        f.write('[].\n')
    with open(os.path.join(top, 'rabbitmq.conf'), 'w') as f:
        f.write(config(lay))
    if os.geteuid() == 0:
        _give_to_rabbitmq(lay, top)
    with open(lay.log(NAME), 'ab') as log:
        subprocess.run([*DETACHED, 'rabbitmq-server'], env=environment(lay),
                         stdin=subprocess.DEVNULL, stdout=log,
                         stderr=subprocess.STDOUT,
                         cwd=top)
    deadline = time.monotonic() + timeout
    while not _listening(lay):
        if time.monotonic() > deadline:
            raise RuntimeError('RabbitMQ did not listen on %d within %.0f s; '
                               'log: %s' % (lay.backend_port(NAME), timeout,
                                            lay.log(NAME)))
        time.sleep(0.2)


def _give_to_rabbitmq(lay, top):
    """Its directory owned by rabbitmq, its parents up to the state dir
    traversable (Layout.ensure_dirs keeps the state dir so)."""
    user = pwd.getpwnam(USER)
    for dirpath, dirnames, filenames in os.walk(top):
        for entry in [dirpath] + [os.path.join(dirpath, f)
                                  for f in filenames]:
            os.chown(entry, user.pw_uid, user.pw_gid)
    parent = top
    while parent != lay.root:
        parent = os.path.dirname(parent)
        os.chmod(parent, os.stat(parent).st_mode | 0o001)


def _listening(lay):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((_layout.HOST, lay.backend_port(NAME))) == 0


def stop(lay):
    """rabbitmqctl stop, then the epmd the node started."""
    env = environment(lay)
    if pid(lay):
        subprocess.run(['rabbitmqctl', '-n', NODE, 'stop'], env=env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    subprocess.run(['epmd', '-port', env['ERL_EPMD_PORT'], '-kill'],
                   env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def installed():
    return all(shutil.which(program) for program in PROGRAMS)
