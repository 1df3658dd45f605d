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

"""MariaDB of the production profile: Heat's databases, in strict SQL
mode (a value too long for its column is refused, as on an operator's
MariaDB, never truncated), one mariadbd under the state dir on 127.0.0.1."""

import os
import shutil
import subprocess
import time

from geo_heat_sandbox import layout as _layout
from geo_heat_sandbox.layout import DETACHED

NAME = 'mariadb'
PROGRAMS = ('mariadbd', 'mariadb-install-db', 'mariadb')
# utf8mb4: what Heat's migrations expect of a MySQL database.
SERVER_OPTIONS = ('--sql-mode=STRICT_TRANS_TABLES', '--skip-name-resolve',
                  '--innodb-buffer-pool-size=64M',
                  '--character-set-server=utf8mb4',
                  '--collation-server=utf8mb4_general_ci')


def directory(lay):
    return lay.data_dir(NAME)


def socket(lay):
    return os.path.join(directory(lay), 'mysql.sock')


def pid_file(lay):
    return os.path.join(directory(lay), 'mysql.pid')


def database_name(name):
    """heat-r1 -> heat_r1."""
    return name.replace('-', '_')


def url(lay, name):
    """The SQLAlchemy URL of a service's database (PyMySQL)."""
    return 'mysql+pymysql://root@%s:%d/%s?charset=utf8mb4' % (
        _layout.HOST, lay.backend_port(NAME), database_name(name))


def pid(lay):
    value = _layout.read_pid(pid_file(lay))
    if value and _layout.alive(value):
        return value
    return None


def start(lay, timeout):
    """Initialise the data directory once, start mariadbd, wait until it
    answers."""
    if pid(lay):
        return
    top = directory(lay)
    data = os.path.join(top, 'data')
    os.makedirs(top, exist_ok=True)
    if not os.path.isdir(os.path.join(data, 'mysql')):
        subprocess.run(
            ['mariadb-install-db', '--no-defaults', '--datadir=' + data,
             '--user=root', '--auth-root-authentication-method=normal',
             '--skip-test-db'], check=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    with open(lay.log(NAME), 'ab') as log:
        subprocess.run(
            [*DETACHED, 'mariadbd', '--no-defaults', '--datadir=' + data,
             '--socket=' + socket(lay), '--port=%d' % lay.backend_port(NAME),
             '--bind-address=' + _layout.HOST, '--pid-file=' + pid_file(lay),
             '--user=root', *SERVER_OPTIONS],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            check=True)
    deadline = time.monotonic() + timeout
    while not _answers(lay):
        if time.monotonic() > deadline:
            raise RuntimeError('MariaDB did not answer within %.0f s; log: %s'
                               % (timeout, lay.log(NAME)))
        time.sleep(0.1)


def _answers(lay):
    return subprocess.run(
        ['mariadb', '-S', socket(lay), '-uroot', '-e', 'select 1'],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0


def create_database(lay, name):
    """Create a service's database unless it exists; True if it was new."""
    db = database_name(name)
    found = subprocess.run(
        ['mariadb', '-S', socket(lay), '-uroot', '-N', '-e',
         "SHOW DATABASES LIKE '%s'" % db], check=True, capture_output=True,
        text=True).stdout.strip()
    if found:
        return False
    subprocess.run(['mariadb', '-S', socket(lay), '-uroot', '-e',
                    'CREATE DATABASE %s CHARACTER SET utf8mb4' % db],
                   check=True)
    return True


def stop(lay):
    """SIGTERM mariadbd (it shuts down cleanly) and wait for it."""
    value = pid(lay)
    if value:
        _layout.terminate(value)


def installed():
    return all(shutil.which(program) for program in PROGRAMS)
