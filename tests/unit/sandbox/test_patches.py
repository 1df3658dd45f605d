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

"""How the sandbox's SQLite transactions begin."""

import os
import sqlite3
import threading

import fixtures
import testtools

from geo_heat_sandbox import patches


class BeginStatementTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'db')
        self.connect = lambda: sqlite3.connect(path, isolation_level=None,
                                               timeout=0.1)
        self.connect().execute('CREATE TABLE t (x)')

    def begin(self, connection):
        connection.execute(patches.begin_statement(connection))

    def test_a_transaction_inside_one_of_the_thread_reads_beside_it(self):
        outer, inner = self.connect(), self.connect()
        self.begin(outer)
        outer.execute('INSERT INTO t VALUES (1)')
        # Immediate, it would wait for outer's write lock and fail.
        self.assertEqual('BEGIN', patches.begin_statement(inner))
        inner.execute('BEGIN')
        self.assertEqual([], inner.execute('SELECT x FROM t').fetchall())
        inner.execute('COMMIT')
        outer.execute('COMMIT')
        # Alone again, the thread begins immediate.
        self.assertEqual('BEGIN IMMEDIATE', patches.begin_statement(inner))

    def test_other_threads_begin_immediate(self):
        outer = self.connect()
        self.begin(outer)
        statements = []
        thread = threading.Thread(target=lambda: statements.append(
            patches.begin_statement(self.connect())))
        thread.start()
        thread.join()
        outer.execute('COMMIT')
        self.assertEqual(['BEGIN IMMEDIATE'], statements)

    def test_a_closed_connection_holds_nothing(self):
        outer = self.connect()
        self.begin(outer)
        outer.close()
        self.assertEqual('BEGIN IMMEDIATE',
                         patches.begin_statement(self.connect()))
