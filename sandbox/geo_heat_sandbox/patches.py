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

"""SANDBOX-ONLY changes to upstream behaviour.

Nothing in here is used by the geo-heat resources or should ever run in a
real deployment.  These small patches let real Keystone, Neutron, Heat,
Barbican, Nova, Placement, Glance and Tacker run on one laptop-sized box:
on SQLite, without agents, without a message broker, on loopback only.
Each one is documented in ``doc/sandbox.rst``:

``select_threading_backend``
    oslo.service's THREADING backend must be chosen before anything imports
    oslo.service (Heat's API and engine share one process over fake://).
``sqlite_begin_immediate``
    oslo.db starts SQLite transactions with a deferred ``BEGIN``; two threads
    that read then write deadlock and SQLite fails one of them at once
    ("database is locked").  Emit ``BEGIN IMMEDIATE`` (and set the marker
    oslo.db checks, so it does not emit its own ``BEGIN``) and a
    ``PRAGMA busy_timeout``: writers queue instead of failing.  (Done by
    rewriting the exact statement ``BEGIN`` that oslo.db emits.)  A
    transaction a thread begins inside its own (Placement's ``independent``
    read after a generation conflict) stays deferred: it reads beside the
    outer one instead of waiting the busy timeout for its own thread.
``sqlite_write_ahead_log`` (Tacker instead of the above)
    Tacker leaves read transactions open until garbage collection; under
    ``BEGIN IMMEDIATE`` they hold the write lock.  Write-ahead log and
    ``busy_timeout`` instead: open readers block no writer.
``autoincrement_integer_ids`` (Heat schema, at bootstrap)
    SQLite reuses a deleted row's integer ID; MySQL and PostgreSQL never do,
    and Heat relies on it (its cleanup of old resource_properties_data rows
    deleted new rows holding a recycled ID; a new resource inherited a
    deleted one's resource_data). Heat's tables get AUTOINCREMENT keys.
``shorten_convergence_sleep``
    Heat's convergence sleeps 1 s after triggering each leaf resource
    (``heat/engine/stack.py``); the sandbox shortens that to 20 ms.
``neutron_policy_warmup``
    Neutron publishes its policy enforcer before registering its rules: the
    first concurrent requests can get 403.  Initialise ``neutron.policy``
    before serving (the launcher also sends a warm-up request).
``keystone_policy_warmup``
    Keystone, likewise, publishes its policy enforcer before registering
    its rules: two services validating their first tokens at once got 403
    (a nova-compute then had no resource provider).  Build the enforcer
    before serving.
``barbican_config_files``
    Barbican re-parses its configuration from fixed default locations in
    many modules; point those parses at the sandbox's barbican.conf.
``nova_native_threading``
    Nova 34 runs natively threaded only if nothing imported eventlet before
    it decided so; the Nova process decides first.
``nova_cells_in_one_process`` and ``start_compute_in_cell``
    One process runs a region's whole Nova over ``fake://`` (a fake
    transport reaches only its own process), with one nova-compute per cell
    and no per-cell conductor; computes write their cell's database
    directly, as in Nova's functional tests.  A nova-compute normally
    reaches only its own cell's database through ``[database]``; here the
    cell is carried in the request context instead: incoming RPC to a
    compute, its start and its periodic tasks run with that cell targeted
    (``get_admin_context`` returns a context targeted at the cell of the
    compute the thread works for), and the cell travels in serialized
    contexts so that a rescheduled build reaches the super conductor with
    it.

The sandbox's drivers (ML2, VPNaaS, Nova virt) are in
``geo_heat_sandbox.drivers``.
"""

import os
import re
import sqlite3
import threading
import time

SQLITE_BUSY_TIMEOUT_MS = 60000
CONVERGENCE_LEAF_SLEEP = 0.02


def select_threading_backend():
    from oslo_service import backend
    try:
        backend.init_backend(backend.BackendType.THREADING)
    except backend.exceptions.BackendAlreadySelected:
        pass


def _on_sqlite_engines(listen):
    """Call listen(engine) on every SQLite engine oslo.db creates."""
    from oslo_db.sqlalchemy import engines

    if getattr(engines.create_engine, '_geo_heat_sandbox', False):
        return
    orig = engines.create_engine

    def create_engine(sql_connection, *args, **kwargs):
        engine = orig(sql_connection, *args, **kwargs)
        if engine.dialect.name == 'sqlite':
            listen(engine)
        return engine

    create_engine._geo_heat_sandbox = True
    engines.create_engine = create_engine


def _pragmas(*statements):
    def on_connect(dbapi_con, con_record):
        for statement in statements:
            dbapi_con.execute(statement)
    return on_connect


_IMMEDIATE = threading.local()


def begin_statement(connection):
    """How a transaction on this DB-API SQLite connection begins: BEGIN
    IMMEDIATE, unless the thread holds one so begun on another connection
    (then BEGIN, deferred: it reads beside that one)."""
    held = [other for other in getattr(_IMMEDIATE, 'connections', ())
            if other is not connection and _in_transaction(other)]
    if held:
        _IMMEDIATE.connections = held
        return 'BEGIN'
    _IMMEDIATE.connections = [connection]
    return 'BEGIN IMMEDIATE'


def _in_transaction(connection):
    try:
        return connection.in_transaction
    except sqlite3.ProgrammingError:  # closed
        return False


def sqlite_begin_immediate():
    """Make every oslo.db SQLite engine use BEGIN IMMEDIATE + busy_timeout.

    Except for a transaction a thread begins inside one of its own that
    holds the write lock (an oslo.db ``independent`` one, as Placement's
    read of a resource provider after a generation conflict): that begins
    deferred and reads beside it. Begun immediate, it would wait for its
    own thread's lock for the whole busy timeout, and fail.
    """
    import sqlalchemy

    def _immediate(conn, cursor, statement, parameters, context,
                   executemany):
        # oslo.db emits its own plain BEGIN on the engine's "begin"
        # event: turn exactly that statement into BEGIN IMMEDIATE.
        if statement == 'BEGIN':
            statement = begin_statement(cursor.connection)
        return statement, parameters

    def listen(engine):
        sqlalchemy.event.listen(engine, 'connect', _pragmas(
            'PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS))
        sqlalchemy.event.listen(engine, 'before_cursor_execute', _immediate,
                                retval=True)

    _on_sqlite_engines(listen)


def sqlite_write_ahead_log():
    """Tacker's SQLite engines: write-ahead log + busy_timeout, deferred
    BEGIN.

    Tacker leaves read transactions open (e.g. VNFMPlugin's start-up
    query on a request context's session, rolled back only when garbage
    collected). Under BEGIN IMMEDIATE each holds the write lock meanwhile:
    the conductor's start waited behind the API's plugin and failed. With
    a write-ahead log, open readers block no writer.
    """
    import sqlalchemy

    def listen(engine):
        sqlalchemy.event.listen(engine, 'connect', _pragmas(
            'PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS,
            'PRAGMA journal_mode = WAL'))

    _on_sqlite_engines(listen)


def autoincrement_integer_ids(conn):
    """Give every table with an integer ``id`` key SQLite AUTOINCREMENT.

    Run once on Heat's freshly migrated, empty schema. Without it SQLite
    hands a deleted row's ID to the next insert, which MySQL and PostgreSQL
    never do, and Heat relies on that: its cleanup of old
    resource_properties_data rows then deletes new rows that got a recycled
    ID, and resource_data of a deleted resource reattaches to a new one.
    """
    conn.exec_driver_sql('PRAGMA legacy_alter_table = ON')
    tables = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    for name, sql in tables:
        new_sql = re.sub(r'\bid INTEGER NOT NULL',
                         'id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT',
                         sql, count=1)
        new_sql = re.sub(r',\s*(CONSTRAINT \w+ )?PRIMARY KEY \(id\)', '',
                         new_sql)
        if new_sql == sql or 'PRIMARY KEY (id)' in new_sql:
            continue
        indexes = [row[0] for row in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND "
            "tbl_name = ? AND sql IS NOT NULL", (name,))]
        conn.exec_driver_sql('ALTER TABLE "%s" RENAME TO "%s__old"'
                             % (name, name))
        conn.exec_driver_sql(new_sql)
        conn.exec_driver_sql('DROP TABLE "%s__old"' % name)
        for index in indexes:
            conn.exec_driver_sql(index)


def shorten_convergence_sleep():
    from heat.engine import stack

    class _Time(object):
        def __getattr__(self, name):
            return getattr(time, name)

        @staticmethod
        def sleep(seconds):
            time.sleep(min(seconds, CONVERGENCE_LEAF_SLEEP))

    stack.time = _Time()


def neutron_policy_warmup():
    from neutron import policy
    policy.init()


def keystone_policy_warmup():
    from keystone.common.rbac_enforcer import enforcer
    enforcer.RBACEnforcer()._enforcer.load_rules()


def barbican_config_files(config_file):
    from barbican.common import config

    orig = config.parse_args

    def parse_args(conf, args=None, usage=None, default_config_files=None):
        return orig(conf, args=args, usage=usage,
                    default_config_files=default_config_files or
                    [config_file])

    config.parse_args = parse_args
    parse_args(config.CONF)


# The cell mapping of the compute the current thread works for (None: no
# compute, e.g. the API, the conductor or the scheduler).
_COMPUTE_CELL = threading.local()
CELL_CONTEXT_KEY = 'sandbox_cell_uuid'


def _compute_cell():
    return getattr(_COMPUTE_CELL, 'mapping', None)


def nova_cells_in_one_process():
    """Cell targeting for several cells' computes in one Nova process."""
    from nova import context
    from nova import objects
    from nova import rpc

    mappings = {}
    get_admin_context = context.get_admin_context

    def admin_context(*args, **kwargs):
        ctxt = get_admin_context(*args, **kwargs)
        if _compute_cell() is not None:
            context.set_target_cell(ctxt, _compute_cell())
        return ctxt

    serializer = rpc.RequestContextSerializer
    serialize_context = serializer.serialize_context
    deserialize_context = serializer.deserialize_context

    def serialize_with_cell(self, ctxt):
        values = serialize_context(self, ctxt)
        if getattr(ctxt, 'cell_uuid', None):
            values[CELL_CONTEXT_KEY] = ctxt.cell_uuid
        return values

    def deserialize_with_cell(self, values):
        ctxt = deserialize_context(self, values)
        # A compute's own cell (its RPC server's), else the caller's.
        own = getattr(self, 'sandbox_cell', None)
        _COMPUTE_CELL.mapping = own
        cell = own
        if cell is None and values.get(CELL_CONTEXT_KEY):
            cell_uuid = values[CELL_CONTEXT_KEY]
            if cell_uuid not in mappings:
                mappings[cell_uuid] = objects.CellMapping.get_by_uuid(
                    get_admin_context(), cell_uuid)
            cell = mappings[cell_uuid]
        if cell is not None:
            context.set_target_cell(ctxt, cell)
        return ctxt

    get_server = rpc.get_server

    def get_server_in_cell(target, endpoints, serializer=None):
        server = get_server(target, endpoints, serializer)
        server.dispatcher.serializer.sandbox_cell = _compute_cell()
        return server

    context.get_admin_context = admin_context
    serializer.serialize_context = serialize_with_cell
    serializer.deserialize_context = deserialize_with_cell
    rpc.get_server = get_server_in_cell


def start_compute_in_cell(host, cell):
    """Create and start nova-compute `host`, targeted at `cell`."""
    from nova.compute import rpcapi
    from nova import service

    class CellCompute(service.Service):
        def periodic_tasks(self, raise_on_error=False):
            _COMPUTE_CELL.mapping = cell
            try:
                return super().periodic_tasks(raise_on_error)
            finally:
                _COMPUTE_CELL.mapping = None

    _COMPUTE_CELL.mapping = cell
    try:
        compute = CellCompute.create(host=host, binary='nova-compute',
                                     topic=rpcapi.RPC_TOPIC,
                                     topic_alt=rpcapi.RPC_TOPIC_ALT)
        compute.start()
    finally:
        _COMPUTE_CELL.mapping = None


def nova_native_threading():
    """Nova 34 without eventlet: must run before anything imports eventlet
    (oslo.service's backend selection would)."""
    os.environ['OS_NOVA_DISABLE_EVENTLET_PATCHING'] = '1'
    from nova import monkey_patch
    monkey_patch.patch('threading')
