#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The intake writers' database connection is cut in the middle of a batch and around its
COMMIT (docs/api.md §3.1, §9.4; docs/decisions.md "Process and threading"):
the server talks to PostgreSQL through fault_proxy.FaultProxy, which cuts one batch
transaction out of two, in turn in the middle of the batch's INSERT, before the COMMIT is
forwarded, after it was forwarded with PostgreSQL's answer dropped (committed, the writer
cannot know it), and just after the answer (committed and known; the next batch meets a dead
connection); now and then it also cuts every connection open (the request threads' too).

Clients submit unique claims concurrently, each with its own Idempotency-Key; a 503 or a
connection error is retried with the SAME body and key until a final answer. Afterwards, on a
database of its own:
  - every key got a 201 (no 500, no other final answer, no request left without an answer);
  - every reference answered 201 is in `claims` once, and `claims` holds nothing else: rows ==
    distinct keys that got a 201; no email, phone or identity twice; no retry refused as a
    duplicate of its own claim; the summary tallies count exactly the rows; one stored answer
    per key;
  - a commit whose answer was lost is found again: at least as many keys ended with a replayed
    201 as answers were dropped, and every key that met a 503 or a connection error before its
    201, asked once more, gets the same answer replayed byte for byte;
  - at least 50 cuts, at least MIN_PER_KIND of each kind.

The load stops on counts of cuts (a state), bounded by TEST_BUDGET_S.
"""

import http.client
import json
import threading
import time
import unittest

import claims_fixtures as cf
import fault_proxy
import harness
from harness import Client

N_CLIENTS = 12
CUT_EVERY = 2                  # one batch transaction out of this many is cut
MIN_PER_KIND = 13              # 4 kinds: at least 52 cuts
MIN_CUTS = 50
CUT_ALL_EVERY = 15             # a cut of every connection after this many batch cuts
TEST_BUDGET_S = 150.0          # ASan on a loaded machine included
RETRY_PAUSE_S = 0.02           # pacing between two attempts of one key, not synchronisation


class Outcome:
    """What one Idempotency-Key went through."""

    __slots__ = ("key", "body", "attempts", "unknown", "status", "problem", "reference",
                 "response", "location", "replayed", "error")

    def __init__(self, key, body):
        self.key = key
        self.body = body
        self.attempts = 0
        self.unknown = 0         # answers that left the outcome unknown: 503, connection error
        self.status = None       # the final status
        self.problem = None
        self.reference = None
        self.response = None     # the 201 body, bytes
        self.location = None
        self.replayed = False    # the final 201 carried Idempotency-Replayed: true
        self.error = None        # why this key is a failure, if it is


class Submitter(threading.Thread):
    """Submits unique claims one after the other until stopped; each key is retried until it
    has a final answer (or the deadline, which is a failure)."""

    def __init__(self, index, server, slug, stop_event, deadline):
        super().__init__(daemon=True, name=f"submitter-{index}")
        self.index = index
        self.server = server
        self.path = f"/v1/incidents/{slug}/claims"
        self.stop_event = stop_event
        self.deadline = deadline
        self.outcomes = []
        self.conn_errors = 0
        self.timeouts = 0        # no answer within the client's timeout: a hang
        self.crash = None

    def run(self):
        client = Client(self.server, timeout=harness.IO_TIMEOUT_S)
        try:
            n = 0
            while not self.stop_event.is_set() and time.monotonic() < self.deadline:
                n += 1
                body = json.dumps(cf.claim_body()).encode("utf-8")
                out = Outcome(f"faults-{self.index}-{n}-{cf.suffix(8)}", body)
                self.outcomes.append(out)
                self.settle(client, out)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.crash = repr(e)
        finally:
            client.close()

    def settle(self, client, out):
        headers = {"Content-Type": "application/json", "Idempotency-Key": out.key}
        while True:
            if time.monotonic() >= self.deadline:
                out.error = f"no final answer before the deadline after {out.attempts} attempts"
                return
            out.attempts += 1
            try:
                r = client.request("POST", self.path, body=out.body, headers=headers)
            except TimeoutError:
                self.timeouts += 1
                out.unknown += 1
                continue
            except (OSError, http.client.HTTPException):
                self.conn_errors += 1
                out.unknown += 1
                time.sleep(RETRY_PAUSE_S)
                continue
            problem = None
            if r.media_type == "application/problem+json":
                try:
                    problem = r.json().get("type", "").rsplit("/", 1)[-1]
                except ValueError:
                    problem = "unparsable"
            if r.status == 503:
                out.unknown += 1
                time.sleep(RETRY_PAUSE_S)
                continue
            if r.status == 409 and problem == "idempotency-key-in-use":
                time.sleep(RETRY_PAUSE_S)  # an earlier attempt still committing
                continue
            out.status = r.status
            out.problem = problem
            if r.status == 201:
                out.reference = r.json().get("reference")
                out.response = r.body
                out.location = r.headers.get("Location")
                out.replayed = r.headers.get("Idempotency-Replayed") == "true"
                if out.location != f"/v1/claims/{out.reference}":
                    out.error = f"201 with Location {out.location!r} for {out.reference!r}"
            else:
                out.error = f"final answer {r.status} {problem or r.body[:200]!r}"
            return


class IntakeWriteFaultsTest(unittest.TestCase):
    def test_no_acknowledged_claim_is_lost_or_duplicated_when_connections_are_cut(self):
        started = time.monotonic()
        deadline = started + TEST_BUDGET_S - 20.0  # leaves time for the checks
        db_url = cf.new_database("recours_faults_", self.addCleanup, migrated=True)
        harness.ensure_migrated(db_url)
        proxy = fault_proxy.FaultProxy(db_url).start()
        self.addCleanup(proxy.close)
        server = cf.start_server(self, database_url=proxy.url, migrate=False)
        slug = cf.make_incident(server)

        def sql(statement):
            return cf.psql(statement, url=db_url)

        stop = threading.Event()
        submitters = [Submitter(i, server, slug, stop, deadline) for i in range(N_CLIENTS)]
        for s in submitters:
            s.start()
        cut_alls = []

        def enough_cuts():
            for s in submitters:
                self.assertIsNone(s.crash, f"{s.name} crashed")
            self.assertIsNone(server.proc.poll(), "recours serve exited")
            counts = proxy.counts()
            batch_cuts = sum(counts[k] for k in fault_proxy.KINDS)
            if batch_cuts >= CUT_ALL_EVERY * (len(cut_alls) + 1):
                cut_alls.append(proxy.cut_all())
            return (batch_cuts >= MIN_CUTS
                    and all(counts[k] >= MIN_PER_KIND for k in fault_proxy.KINDS))

        try:
            created = lambda: sum(1 for s in submitters for o in list(s.outcomes)  # noqa: E731
                                  if o.status == 201)
            harness.poll(lambda: created() > 0, 30, what="a first claim without faults")
            proxy.every = CUT_EVERY
            harness.poll(enough_cuts, deadline - time.monotonic(), interval=0.05,
                         what=f"{MIN_PER_KIND} cuts of each kind")
            proxy.every = 0
            # the faults are over: a claim committed after them says the server recovered
            before = created()
            harness.poll(lambda: created() > before + N_CLIENTS, 30, interval=0.05,
                         what="claims committed after the faults")
        finally:
            proxy.every = 0
            stop.set()
            for s in submitters:
                s.join(timeout=max(1.0, deadline + 5.0 - time.monotonic()))
        self.assertFalse([s.name for s in submitters if s.is_alive()],
                         "submitters still running after the deadline")
        self.assertEqual([s.crash for s in submitters if s.crash], [], "a submitter crashed")

        outcomes = [o for s in submitters for o in s.outcomes]
        failures = [f"{o.key}: {o.error}" for o in outcomes if o.error]
        ok = [o for o in outcomes if o.status == 201]
        unknown_then_ok = [o for o in ok if o.unknown > 0]
        replayed = [o for o in ok if o.replayed]
        counts = proxy.counts()

        db_refs = [row[0] for row in sql(
            "SELECT c.reference FROM claims c JOIN incidents i ON i.id = c.incident_id"
            f" WHERE i.slug = {cf.sql_literal(slug)}")]
        dup_keys = sql("""
            SELECT k, count(*) FROM (
              SELECT 'email' AS k, email_key AS v FROM claims
              UNION ALL SELECT 'phone', phone_key FROM claims WHERE phone_key IS NOT NULL
              UNION ALL SELECT 'identity', identity_key FROM claims WHERE identity_key IS NOT NULL
            ) t GROUP BY k, v HAVING count(*) > 1""")
        refused = int(sql("SELECT count(*) FROM claim_duplicates")[0][0])
        tallied = int(sql("SELECT coalesce(sum(n), 0) FROM claim_tallies")[0][0])
        stored_answers = int(sql("SELECT count(*) FROM idempotency_keys")[0][0])

        # every key whose outcome was once unknown, asked again now that nothing is cut
        replay_errors = cf.replay_mismatches(server, f"/v1/incidents/{slug}/claims",
                                             unknown_then_ok)

        ok_refs = [o.reference for o in ok]
        print(f"\nintake write faults: {N_CLIENTS} clients, {time.monotonic() - started:.1f} s; "
              f"proxy: {proxy.connections} connections, cuts {counts}, cut-all sizes "
              f"{cut_alls}", flush=True)
        print(f"  keys {len(outcomes)}, POSTs {sum(o.attempts for o in outcomes)}, 201s "
              f"{len(ok)} ({len(replayed)} replayed), unknown outcomes (503/connection error) "
              f"{sum(o.unknown for o in outcomes)} on {len(unknown_then_ok)} keys, connection "
              f"errors {sum(s.conn_errors for s in submitters)}, timeouts "
              f"{sum(s.timeouts for s in submitters)}", flush=True)
        print(f"  claims rows {len(db_refs)}, tallied {tallied}, stored answers "
              f"{stored_answers}, duplicate keys {len(dup_keys)}, refused as duplicates "
              f"{refused}, answers asked again {len(unknown_then_ok)} "
              f"({len(replay_errors)} wrong)", flush=True)

        self.assertEqual(failures, [], "keys without a 201")
        self.assertEqual(sum(s.timeouts for s in submitters), 0, "requests without an answer")
        self.assertGreaterEqual(sum(counts[k] for k in fault_proxy.KINDS), MIN_CUTS)
        for kind in fault_proxy.KINDS:
            self.assertGreaterEqual(counts[kind], MIN_PER_KIND, f"cuts {kind}")
        self.assertEqual(len(set(ok_refs)), len(ok_refs), "two keys got the same reference")
        lost = sorted(set(ok_refs) - set(db_refs))
        self.assertEqual(lost, [], f"{len(lost)} references answered 201 are not in claims")
        extra = sorted(set(db_refs) - set(ok_refs))
        self.assertEqual(extra, [], f"{len(extra)} claims rows no key got a 201 for")
        self.assertEqual(len(db_refs), len({o.key for o in ok}),
                         "claims rows != distinct Idempotency-Keys that got a 201")
        self.assertEqual(dup_keys, [], "an email, phone or identity appears twice")
        self.assertEqual(refused, 0, "a retry was refused as a duplicate of its own claim")
        self.assertEqual(tallied, len(db_refs), "claim_tallies disagree with the claims")
        self.assertEqual(stored_answers, len(ok), "stored Idempotency-Key answers != 201s")
        # each lost answer hid at least one committed claim, found again by its key
        self.assertGreaterEqual(len(replayed), counts["reply_lost"],
                                "a commit whose answer was lost was not replayed")
        self.assertEqual(replay_errors, [], "replayed answers differ from the first ones")
        self.assertLess(time.monotonic() - started, TEST_BUDGET_S + 30.0)

    def test_a_connection_cut_after_its_commit_costs_the_next_claim_nothing(self):
        """The writer's connection dies right after a COMMIT answered (idle, as after a
        server restart or a proxy's idle cut): the next batch finds it dead at BEGIN, when
        nothing of it can have been written, so it takes a new connection and the claim gets
        its 201 at once, not a 503."""
        db_url = cf.new_database("recours_faults_", self.addCleanup, migrated=True)
        harness.ensure_migrated(db_url)
        proxy = fault_proxy.FaultProxy(db_url).start()
        self.addCleanup(proxy.close)
        server = cf.start_server(self, args=["--intake-writers", "1"], database_url=proxy.url,
                                 migrate=False)
        slug = cf.make_incident(server)
        with Client(server) as c:
            for n in range(3):
                proxy.cut_next("after_reply")
                cf.submit_ok(self, c, slug, idem_key=f"first-{n}-{cf.suffix(8)}")
                harness.poll(lambda: proxy.counts()["after_reply"] == n + 1, 10,
                             what="the writer's connection cut after its COMMIT answered")
                r = cf.submit(c, slug, cf.claim_body(), idem_key=f"next-{n}-{cf.suffix(8)}")
                self.assertEqual(r.status, 201, f"the claim after a cut connection: {r!r}")
        self.assertEqual(int(cf.psql("SELECT count(*) FROM claims", url=db_url)[0][0]), 6)


if __name__ == "__main__":
    harness.main()
