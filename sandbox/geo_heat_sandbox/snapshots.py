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

"""Pristine databases, built once per state dir in ``<state>/snapshots``
(bootstrap steps ``<family>-schema``): a new service database is a copy
of its family's snapshot, since copying a file takes milliseconds and a
schema sync seconds."""

import os
import sys


def build(lay, name, fill):
    """Build a pristine database in <snapshots>/<name>.sqlite atomically.

    `fill(engine, path)` fills the database; a half-built file never takes
    the snapshot's name.
    """
    import sqlalchemy as sa

    target = os.path.join(lay.snapshots, name + '.sqlite')
    tmp = target + '.building'
    if os.path.exists(tmp):
        os.unlink(tmp)
    engine = sa.create_engine('sqlite:///' + tmp)
    try:
        fill(engine, tmp)
    finally:
        engine.dispose()
    os.replace(tmp, target)


def stamp(lay, path, program, cli_main, revision):
    """Mark a schema built from the models as migrated to `revision`, with
    the service's own db-manage command (its migrations fail on SQLite)."""
    conf = os.path.join(lay.snapshots, program + '-stamp.conf')
    with open(conf, 'w') as f:
        f.write('[database]\nconnection = sqlite:///%s\n' % path)
    sys.argv = [program, '--config-file', conf, 'stamp', revision]
    cli_main()
    os.unlink(conf)


def sync_conf(lay, name, text):
    """A throwaway configuration file for a schema sync, in snapshots/."""
    path = os.path.join(lay.snapshots, name)
    with open(path, 'w') as f:
        f.write(text)
    return path
