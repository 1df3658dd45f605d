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

"""Sandbox profiles. ``embedded`` (the default): every service on SQLite,
each Heat's API and one engine in one process over ``fake://``.
``production`` (``geo-heat-sandbox up --profile production``): each Heat
with two engine workers over RabbitMQ on MariaDB in strict SQL mode, as
operators run Heat; the other services as in ``embedded``.

MariaDB and RabbitMQ come from Debian's packages, installed here when the
profile is asked for and they are missing, and run as plain processes
under the state dir on 127.0.0.1."""

import os
import shutil
import subprocess
import sys

from geo_heat_sandbox.services import mariadb
from geo_heat_sandbox.services import rabbitmq
from geo_heat_sandbox import topology

EMBEDDED, PRODUCTION = 'embedded', 'production'
PROFILES = (EMBEDDED, PRODUCTION)
# Heat's num_engine_workers per profile.
ENGINE_WORKERS = {EMBEDDED: 1, PRODUCTION: 2}
BACKENDS = (mariadb, rabbitmq)
PACKAGES = ('rabbitmq-server', 'mariadb-server')


class Unavailable(Exception):
    """The profile cannot run on this machine (the reason says why)."""


def ensure_installed(out):
    """Install MariaDB and RabbitMQ from Debian's packages if missing."""
    if all(backend.installed() for backend in BACKENDS):
        return
    if not shutil.which('apt-get'):
        raise Unavailable('the production profile needs %s (Debian '
                          'packages) and this machine has no apt-get; '
                          'install them, or use the embedded profile'
                          % ' and '.join(PACKAGES))
    if os.geteuid() != 0:
        raise Unavailable('the production profile needs %s: run as root, or '
                          'sudo apt-get install -y --no-install-recommends %s'
                          % (' and '.join(PACKAGES), ' '.join(PACKAGES)))
    out('installing %s (Debian packages)' % ' '.join(PACKAGES))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for command in (['apt-get', 'update', '-qq'],
                    ['apt-get', 'install', '-y', '-qq',
                     '--no-install-recommends', *PACKAGES]):
        proc = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise Unavailable('%s failed (exit %d):\n%s' % (
                ' '.join(command), proc.returncode, proc.stderr[-2000:]))
    if not all(backend.installed() for backend in BACKENDS):
        raise Unavailable('%s installed but %s not found on PATH' % (
            ' '.join(PACKAGES), ', '.join(
                p for b in BACKENDS for p in b.PROGRAMS
                if not shutil.which(p))))


def start_backends(lay, timeout, out):
    """MariaDB and RabbitMQ up; the first time, each Heat's database
    created and synced (heat-manage db_sync) and its RabbitMQ virtual
    host added."""
    ensure_installed(out)
    for backend in BACKENDS:
        backend.start(lay, timeout)
    rabbitmq.add_vhosts(lay, topology.services_of('heat'))
    for name in topology.services_of('heat'):
        if mariadb.create_database(lay, name):
            _db_sync(lay, name)


def _db_sync(lay, name):
    log = lay.log(name + '-db-sync')
    with open(log, 'ab') as f:
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'heat-manage'),
             '--config-file', lay.conf(name), 'db_sync'],
            stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise Unavailable('%s: heat-manage db_sync failed (exit %d); log: %s'
                          % (name, proc.returncode, log))


def stop_backends(lay):
    for backend in reversed(BACKENDS):
        backend.stop(lay)


def backend_status(lay):
    """{name: pid or None} of the backing services."""
    return {backend.NAME: backend.pid(lay) for backend in BACKENDS}
