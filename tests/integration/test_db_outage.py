#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL goes away under load and comes back (docs/api.md §6.3: 503 +
Retry-After, §13.2; docs/architecture.md §7): on a private cluster, `pg_ctl stop -m fast` while two
keep-alive connections poll /readyz and /healthz. /readyz turns into a 503
service-unavailable problem with Retry-After while /healthz stays 200; after the cluster is
started again /readyz is 200 within 5 s; the server never exits and the clients never see a
connection error. The whole test is bounded to 60 s.

fsync is off on the private cluster: this is an availability test, not a durability one.
"""

import collections
import re
import subprocess
import threading
import time
import unittest

import claims_fixtures as cf
import harness
from harness import Client, assert_problem

TEST_BUDGET_S = 60.0
RECOVERY_BOUND_S = 5.0


class LoadThread(threading.Thread):
    """GET /readyz and /healthz in turn on two keep-alive connections until stopped (or a
    hard deadline); records every status by path and connection, and every exception."""

    def __init__(self, server, deadline):
        super().__init__(daemon=True)
        self.server = server
        self.deadline = deadline
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.statuses = collections.Counter()       # (path, status) -> n
        self.timeline = []                           # (t, conn index, path, status)
        self.errors = []
        self.server_died = False

    def run(self):
        clients = [Client(self.server, timeout=10), Client(self.server, timeout=10)]
        try:
            while not self.stop_event.is_set() and time.monotonic() < self.deadline:
                for i, c in enumerate(clients):
                    for path in ("/readyz", "/healthz"):
                        try:
                            r = c.request("GET", path)
                        except Exception as e:  # noqa: BLE001 - every failure is recorded
                            with self.lock:
                                self.errors.append(f"{path} on connection {i}: {e!r}")
                            continue
                        with self.lock:
                            self.statuses[(path, r.status)] += 1
                            self.timeline.append((time.monotonic(), i, path, r.status))
                if self.server.proc.poll() is not None:
                    self.server_died = True
                    return
                self.stop_event.wait(0.01)  # pacing only, not synchronisation
        finally:
            for c in clients:
                c.close()

    def snapshot(self):
        with self.lock:
            return list(self.timeline), list(self.errors)


class DbOutageTest(unittest.TestCase):
    def test_readyz_follows_the_database_and_the_server_survives(self):
        t_begin = time.monotonic()
        pg = harness.PrivateCluster(settings={"fsync": "off"})
        pg.create()
        self.addCleanup(pg.close)
        pg.start()

        mig = subprocess.run([harness.recours_bin(), "migrate", "--database-url", pg.url,
                              "--migrations-dir", harness.migrations_dir()],
                             capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(mig.returncode, 0, mig.stdout + mig.stderr)

        server = harness.Server(database_url=pg.url, migrate=False)
        server.start()
        self.addCleanup(server.close)
        probe = Client(server, timeout=10)
        self.addCleanup(probe.close)

        def alive():
            self.assertIsNone(server.proc.poll(), "recours serve exited")

        r = probe.request("GET", "/readyz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"status": "ready"})

        load = LoadThread(server, deadline=t_begin + TEST_BUDGET_S - 5)
        load.start()
        self.addCleanup(load.join, 15)
        self.addCleanup(load.stop_event.set)
        harness.poll(lambda: load.snapshot()[0], 10, what="the load thread's first answer")

        # --- the database goes away ------------------------------------------------------
        t_stop = time.monotonic()
        pg.stop(mode="fast")
        print(f"\npg_ctl stop -m fast took {time.monotonic() - t_stop:.2f} s", flush=True)

        def readyz_down():
            alive()
            r = probe.request("GET", "/readyz")
            return r if r.status == 503 else None

        r = harness.poll(readyz_down, 15, what="/readyz to answer 503")
        print(f"/readyz 503 {time.monotonic() - t_stop:.2f} s after the stop began", flush=True)
        assert_problem(self, r, 503, "service-unavailable")
        self.assertRegex(r.headers.get("Retry-After", ""), r"^\d+$", r.headers)
        for _ in range(5):
            h = probe.request("GET", "/healthz")
            self.assertEqual(h.status, 200, h)
            r = probe.request("GET", "/readyz")
            assert_problem(self, r, 503, "service-unavailable")
            self.assertIn("Retry-After", r.headers)
        m = probe.request("GET", "/metrics")
        self.assertEqual(m.status, 200)
        down = re.search(r'^recours_db_connections\{state="down"\} (\d+)$',
                         m.body.decode("utf-8"), re.M)
        self.assertIsNotNone(down, m.body)
        self.assertGreaterEqual(int(down.group(1)), 1, "a dropped connection counts as down")
        alive()

        # --- it comes back ------------------------------------------------------------------
        pg.start()
        t_started = time.monotonic()

        def readyz_up():
            alive()
            return probe.request("GET", "/readyz").status == 200

        harness.poll(readyz_up, 15, what="/readyz to answer 200 again")
        recovery = time.monotonic() - t_started
        print(f"/readyz 200 again {recovery:.3f} s after pg_ctl start returned", flush=True)
        self.assertLess(recovery, RECOVERY_BOUND_S)

        # the load connections recover too (every worker reconnects on its own)
        t_recovered = time.monotonic()

        def load_recovered():
            timeline, _ = load.snapshot()
            ok = {i for t, i, path, status in timeline
                  if t > t_recovered and path == "/readyz" and status == 200}
            return ok == {0, 1}

        harness.poll(load_recovered, RECOVERY_BOUND_S,
                     what="both load connections to see /readyz 200")
        load.stop_event.set()
        load.join(15)
        self.assertFalse(load.is_alive(), "the load thread did not stop")

        timeline, errors = load.snapshot()
        self.assertFalse(load.server_died, "recours serve exited under load")
        self.assertEqual(errors, [], "connection errors seen by the load")
        counts = collections.Counter((path, status) for _, _, path, status in timeline)
        print(f"load: {dict(counts)}", flush=True)
        self.assertEqual({s for (p, s) in counts if p == "/healthz"}, {200})
        self.assertLessEqual({s for (p, s) in counts if p == "/readyz"}, {200, 503})
        self.assertIn(("/readyz", 503), counts, "the load saw the outage")
        alive()
        self.assertEqual(server.stop(), 0, harness.tail(server.log_text()))
        elapsed = time.monotonic() - t_begin
        print(f"whole test {elapsed:.1f} s", flush=True)
        self.assertLess(elapsed, TEST_BUDGET_S)

    def test_connections_closed_while_idle_are_replaced_before_the_request(self):
        # the database stays up, but the server's sessions end while idle (a PostgreSQL
        # restart, pg_terminate_backend, a proxy's idle timeout): each worker answered its
        # next request 503, as if the database were down; it now finds the closed connection
        # before using it and connects again for that request
        url = cf.new_database("idle_closed_", self.addCleanup, migrated=True)
        mine = ("datname = current_database() AND usename = current_user"
                " AND pid <> pg_backend_pid()")
        with harness.Server(database_url=url, migrate=False, workers=4) as server:
            clients = [Client(server) for _ in range(12)]  # keep-alive: one worker each
            for c in clients:
                self.addCleanup(c.close)
                self.assertEqual(c.request("GET", "/v1/associations").status, 200)
            for _ in range(2):
                ended = cf.psql(f"WITH s AS MATERIALIZED (SELECT pid FROM pg_stat_activity"
                                f" WHERE {mine}) SELECT pid FROM s"
                                " WHERE pg_terminate_backend(pid)", url=url)
                self.assertTrue(ended)
                harness.poll(lambda: not cf.psql("SELECT 1 FROM pg_stat_activity WHERE pid IN ("
                                                 + ",".join(p[0] for p in ended) + ")", url=url),
                             harness.RUN_TIMEOUT_S, what="the ended sessions gone")
                statuses = collections.Counter(c.request("GET", "/v1/associations").status
                                               for c in clients)
                self.assertEqual(statuses, {200: len(clients)})


if __name__ == "__main__":
    harness.main()
