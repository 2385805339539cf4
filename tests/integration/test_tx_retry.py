#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The transaction runner (api/service/tx.c, docs/architecture.md "Transactions") retries a
write whose transaction meets a serialization failure, and the client never sees it.

A real 40001, made by two transactions racing on one row: the test's database runs every
transaction at REPEATABLE READ (ALTER DATABASE ... SET default_transaction_isolation; the
server's own paths run at the default level, which is READ COMMITTED elsewhere, where an update
of a row changed meanwhile waits instead of failing). A psql session updates the incident and
holds its transaction open; PATCH /v1/incidents/{slug} then locks the same row and waits for
it (seen in pg_stat_activity through pg_blocking_pids, never by sleeping); the psql session
commits, so the server's transaction, whose snapshot predates that commit, fails with 40001
("could not serialize access due to concurrent update"). The runner rolls back and runs the
whole body again on a fresh snapshot: the PATCH answers 200 with the change applied on top of
the other one, one audit event, and the log shows the SQLSTATE and the retry. Without the
runner the same race answers 503.
"""

import os
import select
import subprocess
import threading
import time
import unittest

import claims_fixtures as cf
import harness

WAIT_S = 30.0


class HeldSession:
    """A psql session driven through its stdin, whose transaction the test holds open."""

    def __init__(self, url):
        self.proc = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                      "-d", url], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
        self._pending = b""  # bytes read from psql, not yet returned as lines
        self.pid = int(self.run("SELECT pg_backend_pid();")[0])

    def _next_line(self, deadline, sql, lines):
        """The next line psql printed. Reads the pipe's descriptor itself: a buffered reader
        would keep a second line in its buffer, where select() cannot see it."""
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise AssertionError(f"psql did not answer {sql!r}; so far: {lines}")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"psql exited on {sql!r}; output: {lines}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", "replace").strip()

    def run(self, sql):
        """Sends sql, then a marker query; returns the lines printed before the marker."""
        marker = "done-" + cf.suffix(8)
        self.proc.stdin.write(f"{sql}\nSELECT '{marker}';\n".encode("utf-8"))
        self.proc.stdin.flush()
        lines = []
        deadline = time.monotonic() + WAIT_S
        while True:
            line = self._next_line(deadline, sql, lines)
            if line == marker:
                return lines
            lines.append(line)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=WAIT_S)
        self.proc.stdout.close()


class TxRetryTest(unittest.TestCase):
    def setUp(self):
        self.url = cf.new_database("recours_txretry_", self.addCleanup, migrated=True)
        cf.psql("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET"
                " default_transaction_isolation = %L', current_database(), 'repeatable read');"
                " END $$", url=self.url)
        self.server = cf.start_server(self, database_url=self.url)

    def sql(self, statement):
        return cf.psql(statement, url=self.url)

    def test_a_serialization_failure_is_retried_and_the_write_succeeds(self):
        slug = cf.make_incident(self.server)
        held = HeldSession(self.url)
        self.addCleanup(held.close)
        self.assertEqual(held.run("SHOW transaction_isolation;"), ["repeatable read"])
        held.run("BEGIN; UPDATE incidents SET controller = 'Held SA' WHERE slug = "
                 f"{cf.sql_literal(slug)};")

        answer = {}

        def patch():
            answer["r"] = cf.operator_request(self.server, "PATCH", f"/v1/incidents/{slug}",
                                              {"title": "Renamed leak"})

        writer = threading.Thread(target=patch)
        writer.start()
        self.addCleanup(writer.join, WAIT_S)
        # the server's transaction waits on the row the held session updated
        harness.poll(lambda: int(self.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            f" AND {held.pid} = ANY(pg_blocking_pids(pid))")[0][0]) == 1,
            WAIT_S, what="the PATCH waiting on the held row")
        self.assertNotIn("r", answer)
        held.run("COMMIT;")
        writer.join(WAIT_S)
        self.assertFalse(writer.is_alive(), "the PATCH did not answer")

        r = answer["r"]
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["title"], "Renamed leak")
        self.assertEqual(r.json()["controller"], "Held SA")  # applied on the committed row
        self.server.wait_log(lambda l: "sqlstate 40001" in l.get("msg", ""),
                             what="the serialization failure logged")
        self.server.wait_log(lambda l: "tx incidents.update: retry 1 " in l.get("msg", ""),
                             what="the retry logged")
        self.assertEqual(self.sql("SELECT title, controller FROM incidents WHERE slug = "
                                  f"{cf.sql_literal(slug)}"), [["Renamed leak", "Held SA"]])
        self.assertEqual(self.sql("SELECT count(*) FROM audit_events WHERE action ="
                                  " 'incident.update' AND object_id = "
                                  f"{cf.sql_literal(slug)}"), [["1"]])


if __name__ == "__main__":
    harness.main()
