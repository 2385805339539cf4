#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Export for counsel (docs/api.md §12): large exports.

On an action of 20,000 members (submitted through the API, since their personal data must be
sealed by the server): every member once, in submission order; the server's resident memory
does not grow with the export's size nor with the worker that serves it; a client that
vanishes mid-stream leaves the record aborted with what was sent so far; a node killed mid
export, an export that lost its lease and a server stopping mid export leave the record
interrupted or aborted. What an export holds is in test_export.py.

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end).
"""

import json
import os
import subprocess
import sys
import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
from export_fixtures import ExportTestBase, csv_records, export_path, submitted

SMALL = 100           # members of the reference action for the memory comparison
RSS_GROWTH_MAX_KB = 4 * 1024
WORKERS = 4
# after exports of BIG members on each of the WORKERS threads. With glibc's default thresholds
# each thread's arena kept its page buffers (+1,048 kB over 4 workers at pages of 256 members;
# 240 kB with api/main.c's policy). Pages are of 1,024 members now (handlers/export_stream.c),
# and libpq keeps each connection's input buffer at the most it ever held: on a loaded machine
# a good part of a page (~0.45 MiB of these rows) can arrive before its worker reads it, so
# each worker's connection may keep that much. Measured with the policy: +132 and +312 kB
# alone, +860 kB in a loaded CI run; without it the arenas alone would keep about four times
# their 0.26 MiB of pages of 256, well above this bound.
WORKER_RSS_GROWTH_MAX_KB = 2048


def setUpModule():
    LargeExportTest.db_url = cf.new_database("recours_export_large_", unittest.addModuleCleanup,
                                             migrated=True)


def psql(sql):
    return cf.psql(sql, url=LargeExportTest.db_url)


def built_with_asan():
    run = subprocess.run(["ldd", harness.recours_bin()], capture_output=True, text=True)
    return "libasan" in run.stdout


# Members of the large action (memory, disconnection, leases): an export of several MB, more
# than the sockets' buffers hold, so that it is still streaming while a test kills, stops or
# starves it. Under ASan 20,000 submissions alone outlasted the test's time at load 20, and the
# memory comparison does not run there (ASan's quarantine): 5,000 members there, each with a
# long harm description to keep the export's size. Elsewhere the rows stay short, so that the
# memory comparison measures per-row costs, not the buffers of longer pages; and 20,000 of
# them, because the CSV export is then 5.2 MB (258 bytes a row; NDJSON 14.5 MB), above the
# 4 MB bound on the RSS's growth: an export held whole in memory fails that bound, which it
# would pass unseen at a quarter of the members.
ASAN = built_with_asan()
BIG = 5_000 if ASAN else 20_000
BIG_DESCRIPTION = ("Les identifiants ont servi à des achats que je n'ai pas faits. " * 50)[:3000] \
    if ASAN else ""



# Every submission queues its claimant's confirmation email, which the server's mail threads
# then write out (.eml files here) at --mail-rate, 50 a second by default, for the rest of the
# file: each take over the queue of 20,000 cost the server and PostgreSQL about 50 ms of CPU,
# a quarter of a core for the whole file, time the exports under test competed with. Mail is
# not what this file tests (test_mail_*): one a second here, on every node.
QUIET_MAIL = ["--mail-rate", "1"]


def submit_members(server, slug, action, n, threads=8, first_thread=0, description=""):
    """n claims mandating action through the API (they join at once); their references.
    Calls on one incident must use distinct first_thread ranges (phone numbers). description:
    each claim's harm description."""
    refs, errors = [], []
    lock = threading.Lock()
    per = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]
    # One body made by the fixture, then only what must differ per claim (phone, email, family
    # name: no dedup key meets another's) set in a shallow copy, and each request written on a
    # raw keep-alive connection: with cf.claim_body's deep copies and http.client's parsing of
    # every answer, this file's Python took 0.5-0.7 ms of CPU a claim, as much as the server
    # (11-15 s for the 20,000); 0.2 ms this way.
    # The answers' shape is checked by the intake's own tests; here every one must be a 201.
    base = cf.claim_body(action_id=action["id"],
                         mandate_text_version=action["mandate_text_version"],
                         harms={"description": description})
    head = (f"POST /v1/incidents/{slug}/claims HTTP/1.1\r\nHost: {server.host}\r\n"
            "Content-Type: application/json\r\nContent-Length: ")

    def work(thread, count):
        try:
            rc = harness.RawConnection(server)
            try:
                for k in range(count):
                    claimant = dict(base["claimant"],
                                    # numbered, not drawn: 20,000 random ones would meet
                                    phone=f"+336{thread:02d}{k:06d}",
                                    email=f"c.{thread}.{k}@example.org",
                                    family_name="Testa-" + letters_of(thread * 1_000_000 + k))
                    body = json.dumps(dict(base, claimant=claimant)).encode()
                    rc.send(f"{head}{len(body)}\r\n\r\n".encode() + body)
                    r = rc.read_response("POST")
                    if r.status != 201:
                        raise AssertionError(f"submission refused: {r.status} {r.body[:300]!r}")
                    with lock:
                        refs.append(json.loads(r.body)["reference"])
                    if r.closed:
                        rc.close()
                        rc = harness.RawConnection(server)
            finally:
                rc.close()
        except BaseException as e:
            errors.append(e)

    run_at_once([lambda i=i, k=k: work(i + first_thread, k) for i, k in enumerate(per)],
                errors)
    return refs


def letters_of(number):
    """number written in lower-case letters (base 26), capitalised: a family name per claim."""
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out = chr(ord("a") + digit) + out
        if number == 0:
            return out.capitalize()


def run_at_once(jobs, errors):
    """Runs every job on a thread of its own, all at once; raises the first of errors (which
    the jobs fill) once they are done."""
    ts = [threading.Thread(target=job, daemon=True) for job in jobs]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=600)
    if errors:
        raise errors[0]


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")



class LargeExportTest(ExportTestBase):
    # the lease renewed every second, not every 10 s, so that a lost lease stops the stream
    # within a second (test_an_export_that_lost_its_lease_stops_and_stays_interrupted)
    server_args = ExportTestBase.server_args + ["--export-beat", "1"] + QUIET_MAIL

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.slug = cf.make_incident(cls.server)
            cls.A = af.approved_association(cls.server, client=cls.c)
            cls.big = af.open_action(cls.A, cls.slug, client=cls.c)
            cls.small = af.open_action(cls.A, cls.slug, client=cls.c)
            cls.big_refs = submit_members(cls.server, cls.slug, cls.big, BIG,
                                          description=BIG_DESCRIPTION)
            cls.small_refs = submit_members(cls.server, cls.slug, cls.small, SMALL,
                                            first_thread=50)
        except BaseException:
            cls.c.close()
            cls.server.close(check=False)
            raise

    def test_memory_stays_flat_whatever_the_size(self):
        # the small export first, twice, so every worker's buffers exist before the baseline
        for _ in range(2):
            for fmt in ("csv", "ndjson"):
                r = self.get_export(self.A, self.small, fmt)
        self.assertEqual(len(csv_records(self, self.get_export(self.A, self.small).body, ",")),
                         SMALL)
        before = vm_rss_kb(self.server.pid)
        r = self.get_export(self.A, self.big)
        rows = csv_records(self, r.body, ",")
        # every member once, over many pages, in submission order (docs/api.md §12.2: ties
        # of submitted_at in an order of their own, the same from one export to the next)
        self.assertEqual(sorted(g["reference"] for g in rows), sorted(self.big_refs))
        times = [submitted(g["submitted_at"]) for g in rows]
        self.assertEqual(times, sorted(times), "rows in submission order")
        self.check_record(r, self.big, self.A, "csv", ",", BIG)
        r = self.get_export(self.A, self.big, "ndjson")
        self.assertEqual(r.body.count(b"\n"), BIG)
        rec = self.check_record(r, self.big, self.A, "ndjson", ",", BIG)
        self.check_audit(rec, self.A)
        after = vm_rss_kb(self.server.pid)
        print(f"\nVmRSS {before} kB before, {after} kB after two exports of {BIG} members",
              file=sys.stderr)
        if ASAN:
            return  # ASan's quarantine holds freed memory back: RSS says nothing there
        self.assertLess(after - before, RSS_GROWTH_MAX_KB,
                        f"RSS grew from {before} kB to {after} kB over a {BIG}-member export "
                        f"of {len(r.body)} bytes")

    def test_memory_stays_flat_whichever_worker_exports(self):
        """docs/decisions.md "Export at 1,000,000 members": with glibc's default thresholds each
        worker thread kept the size of the export's page buffers resident in its own malloc
        arena once it had served one, so the RSS rose in steps until every worker had; the
        malloc policy of api/main.c returns them. A node of its own (a fresh process), every
        worker serving an export at once."""
        node = cf.start_server(self, workers=WORKERS, database_url=self.db_url, migrate=False,
                               secrets_from=self.server,
                               args=["--shutdown-grace", "2"] + QUIET_MAIL)

        def on_every_worker(action):
            """One CSV export of action per worker, each on a connection of its own, all at
            once (MHD's threads each take connections): the rows each one received."""
            rows, errors = [], []

            def one():
                try:
                    r = af.request(node, "GET", export_path(action), token=self.A.key)
                    self.assertEqual(r.status, 200, repr(r))
                    rows.append(r.body.count(b"\r\n") - 1)
                except BaseException as e:  # reported by the test's thread
                    errors.append(e)

            run_at_once([one] * WORKERS, errors)
            return rows

        # each worker's database connection, prepared statements and caches first
        self.assertEqual(on_every_worker(self.small), [SMALL] * WORKERS)
        before = vm_rss_kb(node.pid)
        # twice, should MHD have given one thread two of the connections; once under ASan,
        # where the RSS says nothing and the second round only repeated the first
        rounds = 1 if ASAN else 2
        for _ in range(rounds):
            self.assertEqual(on_every_worker(self.big), [BIG] * WORKERS)
        after = vm_rss_kb(node.pid)
        print(f"\nVmRSS {before} kB before, {after} kB after {rounds} x {WORKERS} exports of "
              f"{BIG} members at once", file=sys.stderr)
        if ASAN:
            return  # ASan's quarantine holds freed memory back: RSS says nothing there
        self.assertLess(after - before, WORKER_RSS_GROWTH_MAX_KB,
                        f"RSS grew from {before} kB to {after} kB: the workers kept the "
                        f"export's buffers")

    def start_reading(self, rc):
        """Asks for the large export on rc and reads its head and some rows; the export id."""
        rc.send((f"GET {export_path(self.big)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 f"Authorization: Bearer {self.A.key}\r\n\r\n").encode())
        _version, status, _reason, headers = rc._read_head()
        self.assertEqual(status, 200)
        while len(rc._buf) < 20_000:   # some rows, far from all
            self.assertTrue(rc._fill(), "the server closed early")
        return headers["X-Export-Id"]

    def test_a_client_that_vanishes_leaves_the_record_aborted(self):
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
        finally:
            rc.close()

        def ended():
            rec = self.record(export_id, self.A.key)
            return rec if rec["status"] != "streaming" else None

        rec = harness.poll(ended, 30, interval=0.1, what="the export record to end")
        print(f"\naborted after {rec['rows']} rows, {rec['bytes']} bytes", file=sys.stderr)
        self.assertEqual(rec["status"], "aborted")
        self.assertGreater(rec["rows"], 0)
        self.assertLess(rec["rows"], BIG)
        self.assertGreater(rec["bytes"], 20_000)
        self.assertRegex(rec["sha256"], r"^[0-9a-f]{64}$")
        self.assertIsNotNone(rec["completed_at"])
        self.check_audit(rec, self.A)
        # the server goes on serving, the worker's connection included
        r = self.get_export(self.A, self.small)
        self.assertEqual(len(csv_records(self, r.body, ",")), SMALL)

    def test_a_node_killed_mid_export_reads_interrupted_once_its_lease_runs_out(self):
        """SIGKILL while streaming: nothing records the end. The record reads streaming while
        its lease runs, then interrupted for good, with no digest (0019)."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            self.server.kill()
        finally:
            rc.close()
            self.server.restart()
            self.c.close()
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "streaming", "its lease (120 s) still runs")
        # the lease's end, without waiting for it
        psql(f"UPDATE exports SET claimed_until = now() - interval '1 second'"
             f" WHERE id = '{export_id}'")
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "interrupted")
        self.assertIsNone(rec["sha256"])
        self.assertIsNone(rec["completed_at"])
        self.assertLess(rec["rows"], BIG)
        self.assertEqual(psql(f"SELECT status FROM exports WHERE id = '{export_id}'"),
                         [["streaming"]], "read as interrupted, not rewritten")

    def test_an_export_that_lost_its_lease_stops_and_stays_interrupted(self):
        """A live export whose lease has run out (a client slower than the lease, or a
        record another node reads as interrupted): its next renewal is refused, the stream
        stops, and nothing ends the record afterwards."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            psql(f"UPDATE exports SET claimed_until = now() - interval '1 second'"
                 f" WHERE id = '{export_id}'")
            refused = f"export {export_id}: its lease ran out"

            def stopped():
                # a slow reader (a TLS record of 16 kB a call, every 20 ms: 0.8 MB/s at
                # most), so that the renewal (every second) comes long before the end of the
                # export's 5 MB; until the server says it refused it. At a record every 0.2 s
                # the refusal came 15-20 s later: the server writes again, and so renews,
                # only once much of what the sockets hold has been read.
                rc._buf = b""
                return not rc._fill() or refused in self.server.log_text()

            harness.poll(stopped, 120, interval=0.02, what="the server to stop the stream")
            while rc._fill():  # what the sockets hold, then the end: the stream stopped
                rc._buf = b""
        finally:
            rc.close()
        self.assertIn(refused, self.server.log_text())
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "interrupted")
        self.assertIsNone(rec["sha256"])
        self.assertLess(rec["rows"], BIG, "stopped before the end")
        # the server goes on serving
        r = self.get_export(self.A, self.small)
        self.assertEqual(len(csv_records(self, r.body, ",")), SMALL)

    def test_a_page_that_fails_leaves_the_connection_serving(self):
        """A page statement that fails while its connection stays up (the statement timeout:
        another session holds claim_eligibility locked): the export stops and its record says
        aborted, and the worker's connection serves the next requests, exports included. A
        node of one worker, so that they all go through that connection."""
        node = cf.start_server(self, workers=1, database_url=self.db_url, migrate=False,
                               secrets_from=self.server,
                               args=["--shutdown-grace", "2"] + QUIET_MAIL,
                               # long enough for the first page under a loaded machine's
                               # pace (1 s timed it out before the lock, prep38), short
                               # enough to end the locked page soon
                               env={"RECOURS_DB_STATEMENT_TIMEOUT_MS": "5000"})
        app = "export-page-lock"
        rc = harness.RawConnection(node)
        locker = None
        try:
            export_id = self.start_reading(rc)
            locker = subprocess.Popen(
                ["psql", "-X", "-q", "-d", self.db_url, "-c",
                 "BEGIN; LOCK TABLE claim_eligibility IN ACCESS EXCLUSIVE MODE;"
                 " SELECT pg_sleep(120); COMMIT"],
                env=dict(os.environ, PGAPPNAME=app), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            harness.poll(lambda: psql("SELECT 1 FROM pg_locks l JOIN pg_stat_activity a"
                                      " USING (pid) WHERE l.granted AND l.mode ="
                                      f" 'AccessExclusiveLock' AND a.application_name = '{app}'"),
                         30, interval=0.1, what="the lock on claim_eligibility")
            while rc._fill():  # the rest, up to where the server stops
                rc._buf = b""
        finally:
            rc.close()
            psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                 f" WHERE application_name = '{app}'")
            if locker is not None:
                locker.wait(timeout=30)

        def ended():
            rec = self.record(export_id, self.A.key)
            return rec if rec["status"] != "streaming" else None

        rec = harness.poll(ended, 30, interval=0.1, what="the export record to end")
        self.assertEqual(rec["status"], "aborted")
        self.assertLess(rec["rows"], BIG)
        # the same worker, its connection idle again
        for fmt in ("csv", "ndjson"):
            r = af.request(node, "GET", export_path(self.small, fmt), token=self.A.key)
            self.assertEqual(r.status, 200, repr(r))
            self.assertEqual(self.record(r.headers["X-Export-Id"], self.A.key)["rows"], SMALL)
        self.assertIn("57014", node.log_text(), "the page failed on the statement timeout")

    def test_a_server_stopping_mid_export_leaves_it_aborted(self):
        """SIGTERM while a client holds an export open: after the grace period the server
        stops cleanly (exit 0: no leak, no crash under the sanitizers) and the record says
        aborted, with its audit event."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            self.assertEqual(self.server.stop(), 0, "the server stops cleanly")
        finally:
            rc.close()
            self.server.restart()
            self.c.close()  # its keep-alive connection died with the server; it reconnects
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "aborted")
        self.assertLess(rec["rows"], BIG)
        self.check_audit(rec, self.A)


if __name__ == "__main__":
    harness.main()
