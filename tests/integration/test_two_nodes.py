#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two recours nodes on one database (issue 16; docs/decisions.md, "Several nodes"): what a
deployment behind a load balancer does, without the load balancer.

Nodes A and B share the database and the secrets (harness.Server(secrets_from=...)), both run
the erasure job every 0.2 s with a retention of 0 days. While they run:
  - 12 clients submit unique claims, half to A and half to B, each key retried with the same
    body until it has a final answer; a client whose node refuses the connection goes to the
    other node with the same key (what HAProxy's redispatch does);
  - an operator on each node creates incidents (audited writes), so both append to the audit
    chain at the same time;
  - 40 claims of another incident are withdrawn through both nodes: both erasure jobs race
    for them;
  - node B is killed with SIGKILL under that load, then restarted.
Afterwards:
  - every reference that got a 201 is in `claims` once, and nothing else is (0 lost, 0
    doubled), and a sample of them (all those whose key was retried) reads back, with its
    token, the claimant that was sent;
  - every withdrawn claim is erased, each by exactly one erasure event (an event's object_id
    is the erased_at its batch set: no event without its claims, no claim counted twice);
  - the audit chain verifies (GET /v1/audit/verify: one sequence, no gap, every link) and
    holds every event both operators were answered 201 for.
  - the mail outbox, delivered by both nodes (FOR UPDATE SKIP LOCKED like the erasure; each
    node writes .eml files in its own directory): no message written by both, every row
    marked sent has its message, no message without its row.
"""

import http.client
import json
import os
import random
import threading
import time
import unittest

import claims_fixtures as cf
import harness
from harness import Client, Server
from test_claims_crash import Outcome, claim_body, PRIVACY_NOTICE

N_CLIENTS = 12
N_WITHDRAWN = 40
TEST_BUDGET_S = 80.0
RETRY_PAUSE_S = 0.03
BUSY_PAUSE_S = 0.1
PROGRESS_TIMEOUT_S = 30.0
CONTENT_SAMPLE = 60
NODE_ARGS = cf.NO_RATE_LIMIT + ["--withdrawn-retention-days", "0", "--erasure-interval", "0.2",
                                "--shutdown-grace", "2"]


class FailoverSubmitter(threading.Thread):
    """Submits unique claims to its home node; on a refused or cut connection it retries the
    same key on the other node, as a load balancer would."""

    def __init__(self, index, nodes, path, tag, stop_event, deadline):
        super().__init__(daemon=True, name=f"submitter-{index}")
        self.index = index
        self.nodes = nodes
        self.home = index % 2
        self.path = path
        self.tag = tag
        self.stop_event = stop_event
        self.deadline = deadline
        self.outcomes = []
        self.switches = 0
        self.crash = None

    def run(self):
        clients = [Client(n, timeout=harness.IO_TIMEOUT_S) for n in self.nodes]
        try:
            n = 0
            while not self.stop_event.is_set() and time.monotonic() < self.deadline:
                n += 1
                out = Outcome(f"{self.tag}-{self.index}-{n}", claim_body(self.tag, self.index, n))
                self.outcomes.append(out)
                self.settle(clients, out)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.crash = repr(e)
        finally:
            for c in clients:
                c.close()

    def settle(self, clients, out):
        headers = {"Content-Type": "application/json", "Idempotency-Key": out.key}
        node = self.home
        while True:
            if time.monotonic() >= self.deadline:
                out.error = f"no final answer after {out.attempts} attempts"
                return
            out.attempts += 1
            try:
                r = clients[node].request("POST", self.path, body=out.body, headers=headers)
            except (OSError, http.client.HTTPException):
                out.conn_errors += 1
                node = 1 - node  # the other node, same key, same body
                self.switches += 1
                time.sleep(RETRY_PAUSE_S)
                continue
            problem = None
            if r.media_type == "application/problem+json":
                problem = r.json().get("type", "").rsplit("/", 1)[-1]
            if r.status == 503 or (r.status == 409 and problem == "idempotency-key-in-use"):
                out.busy += 1
                time.sleep(BUSY_PAUSE_S)
                continue
            out.status = r.status
            out.problem = problem
            if r.status == 201:
                out.reference = r.json().get("reference")
                out.response = r.body
            else:
                out.error = f"final answer {r.status} {problem or r.body[:200]!r}"
            return


class Operator(threading.Thread):
    """Audited writes on one node: creates incidents until stopped; remembers the 201s."""

    def __init__(self, node, tag, stop_event):
        super().__init__(daemon=True, name=f"operator-{tag}")
        self.node = node
        self.tag = tag
        self.stop_event = stop_event
        self.created = []
        self.failures = []

    def run(self):
        c = Client(self.node)
        n = 0
        try:
            while not self.stop_event.is_set():
                n += 1
                slug = f"two-nodes-{self.tag}-{n}-{cf.suffix(6)}"
                try:
                    r = c.request("POST", "/v1/incidents", token=self.node.operator_key, body={
                        "slug": slug, "controller": "Two Nodes SA", "title": "Audited write",
                        "disclosed_on": "2026-01-01", "affected_count": 10,
                        "data_categories": ["email"], "currency": "EUR"})
                except (OSError, http.client.HTTPException):
                    time.sleep(RETRY_PAUSE_S)  # its node was killed: an unanswered write
                    continue
                if r.status == 201:
                    self.created.append(slug)
                elif r.status != 503:
                    self.failures.append(f"{r.status} {r.body[:200]!r}")
        finally:
            c.close()


class TwoNodesTest(unittest.TestCase):
    def test_two_nodes_one_database_one_truth(self):
        started = time.monotonic()
        deadline = started + TEST_BUDGET_S - 20.0
        a = Server(args=NODE_ARGS)
        a.start()
        self.addCleanup(a.close)
        b = Server(args=NODE_ARGS, secrets_from=a)
        b.start()
        self.addCleanup(b.close)
        nodes = [a, b]

        tag = f"two{os.getpid()}{random.randrange(16 ** 6):06x}"
        slug = cf.make_incident(a, slug=f"two-nodes-{tag}")
        r = cf.operator_request(a, "GET", f"/v1/incidents/{slug}")
        PRIVACY_NOTICE["version"] = r.json()["privacy_notice_version"]
        path = f"/v1/incidents/{slug}/claims"

        # claims to withdraw, on an incident of their own made through B
        wslug = cf.make_incident(b, slug=f"two-nodes-w-{tag}")
        receipts = []
        with Client(a) as ca, Client(b) as cb:
            for i in range(N_WITHDRAWN):
                receipts.append(cf.submit_ok(self, (ca, cb)[i % 2], wslug, cf.claim_body()))

        stop = threading.Event()
        submitters = [FailoverSubmitter(i, nodes, path, tag, stop, deadline)
                      for i in range(N_CLIENTS)]
        operators = [Operator(a, "a", stop), Operator(b, "b", stop)]
        for t in submitters + operators:
            t.start()

        def created():
            return sum(1 for s in submitters for o in list(s.outcomes) if o.status == 201)

        try:
            before = created()
            harness.poll(lambda: created() > before + 50, PROGRESS_TIMEOUT_S, interval=0.05,
                         what="claims committed through both nodes")
            # withdrawals through both nodes while the load runs: both erasure jobs see them
            with Client(a) as ca, Client(b) as cb:
                for i, rec in enumerate(receipts):
                    r = cf.claim_request((ca, cb)[i % 2], "DELETE", rec["reference"],
                                         rec["token"])
                    self.assertEqual(r.status, 200, repr(r))
            time.sleep(random.uniform(0.3, 1.0))  # the moment of the kill, not a sync
            self.assertEqual(b.kill(), -9)
            before = created()
            harness.poll(lambda: created() > before + 50, PROGRESS_TIMEOUT_S, interval=0.05,
                         what="claims committed by A alone")
            b.restart()
            before = created()
            harness.poll(lambda: created() > before + 50, PROGRESS_TIMEOUT_S, interval=0.05,
                         what="claims committed after B came back")
        finally:
            stop.set()
            for t in submitters + operators:
                t.join(timeout=max(1.0, deadline + 5.0 - time.monotonic()))
        self.assertFalse([t.name for t in submitters + operators if t.is_alive()])
        self.assertEqual([s.crash for s in submitters if s.crash], [], "a submitter crashed")

        outcomes = [o for s in submitters for o in s.outcomes]
        ok = [o for o in outcomes if o.status == 201]
        self.assertEqual([f"{o.key}: {o.error}" for o in outcomes if o.error], [])
        switched = [o for o in ok if o.conn_errors > 0]
        self.assertGreater(len(switched), 0, "no request was cut by the kill: nothing tested")

        # 0 lost, 0 doubled
        db_refs = [row[0] for row in cf.psql(
            "SELECT c.reference FROM claims c JOIN incidents i ON i.id = c.incident_id"
            f" WHERE i.slug = '{slug}'")]
        ok_refs = [o.reference for o in ok]
        self.assertEqual(len(set(ok_refs)), len(ok_refs), "two keys got the same reference")
        self.assertEqual(sorted(set(ok_refs) - set(db_refs)), [], "acknowledged claims lost")
        self.assertEqual(sorted(set(db_refs) - set(ok_refs)), [], "rows no key got a 201 for")
        self.assertEqual(len(db_refs), len(set(db_refs)))
        self.assertEqual(cf.count_duplicates_on(slug), 0, "a retry refused as its own duplicate")

        # content: the claimant sent is the claimant stored (either node reads it back)
        sample = switched + random.sample([o for o in ok if o.conn_errors == 0],
                                          min(CONTENT_SAMPLE, len(ok) - len(switched)))
        wrong = []
        with Client(a) as ca, Client(b) as cb:
            for i, o in enumerate(sample):
                token = json.loads(o.response)["token"]
                r = cf.claim_request((ca, cb)[i % 2], "GET", o.reference, token)
                sent = json.loads(o.body)["claimant"]
                got = r.json().get("claimant") if r.status == 200 else None
                if got is None or any(got.get(k) != sent[k] for k in
                                      ("given_name", "family_name", "email", "phone")):
                    wrong.append(o.reference)
        self.assertEqual(wrong, [], "claims read back differ from what was sent")

        # the erasure: every withdrawn claim erased, each by exactly one event
        wrefs = ",".join(f"'{rec['reference']}'" for rec in receipts)
        harness.poll(lambda: cf.psql(f"SELECT count(*) FROM claims WHERE reference IN ({wrefs})"
                                     " AND erased_at IS NULL")[0][0] == "0",
                     PROGRESS_TIMEOUT_S, interval=0.1, what="every withdrawn claim erased")
        events = cf.psql("SELECT object_id FROM audit_events WHERE action = 'claims.erase'")
        per_event = cf.psql(
            "SELECT e.object_id, count(c.id) FROM audit_events e LEFT JOIN claims c"
            " ON to_char(c.erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            "    = e.object_id"
            " WHERE e.action = 'claims.erase' GROUP BY e.object_id")
        self.assertEqual([row for row in per_event if row[1] == "0"], [],
                         "an erasure event with no claim: a batch erased twice")
        self.assertEqual(len(per_event), len(events), "two erasure events share a batch")
        self.assertEqual(sum(int(row[1]) for row in per_event), N_WITHDRAWN)

        # one audit sequence, whichever node appended
        r = cf.operator_request(b, "GET", "/v1/audit/verify")
        self.assertEqual(r.status, 200, repr(r))
        doc = r.json()
        self.assertTrue(doc["ok"], doc)
        seqs = [int(row[0]) for row in cf.psql("SELECT seq FROM audit_events ORDER BY seq")]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)), "the audit sequence has a gap")
        audited = {row[0] for row in cf.psql(
            "SELECT object_id FROM audit_events WHERE action = 'incident.create'")}
        made = [s for op in operators for s in op.created]
        self.assertEqual([op.failures for op in operators], [[], []])
        self.assertTrue(all(op.created for op in operators), "an operator wrote nothing")
        self.assertEqual(sorted(set(made) - audited), [], "an incident without its event")

        # the outbox, delivered by both nodes: each message written once, by one node. A row
        # the killed node had leased stays leased (docs/mail.md: at least once after its lease
        # of minutes), so the wait is for nothing being due, not for everything sent.
        harness.poll(lambda: cf.psql("SELECT count(*) FROM outbox WHERE state = 'queued'"
                                     " AND next_attempt_at <= now()")[0][0] == "0",
                     PROGRESS_TIMEOUT_S, interval=0.2, what="no message left due")
        # the rows marked sent are read before the files are listed: a node writes a message's
        # file before it marks the row, and nothing being due still leaves the last batch taken
        # in flight (its files written, then its rows marked, after the poll saw it leased)
        sent = {int(row[0]) for row in cf.psql("SELECT id FROM outbox WHERE state = 'sent'")}
        written = {}
        for node in nodes:
            maildir = os.path.join(node.dir, "var", "mail")
            for name in (os.listdir(maildir) if os.path.isdir(maildir) else []):
                if name.endswith(".eml"):
                    written.setdefault(int(name.split("-", 1)[0]), []).append(node.dir)
        twice = sorted(i for i, where in written.items() if len(where) > 1)
        self.assertEqual(twice, [], "messages written by both nodes")
        self.assertGreater(len(sent), len(ok) // 2, "the outbox was not delivered")
        self.assertEqual(sorted(sent - set(written)), [], "rows marked sent with no message")
        self.assertEqual(sorted(set(written) - {int(r[0]) for r in cf.psql(
            "SELECT id FROM outbox")}), [], "a message with no row")

        print(f"\ntwo nodes: {len(outcomes)} keys, {len(ok)} claims acknowledged, "
              f"{len(switched)} moved to the other node after the kill, "
              f"{sum(s.switches for s in submitters)} switches; "
              f"{len(events)} erasure events for {N_WITHDRAWN} claims; "
              f"{len(seqs)} audit events ({len(made)} incidents by two operators); "
              f"{time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    harness.main()
