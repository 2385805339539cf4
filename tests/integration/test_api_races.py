#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON API under concurrency: the same change sent by two clients at once, each on its own
connection, released together by a barrier (never a sleep). For each race the rules are the
same (docs/api.md §4–§5, §10):

- never a 5xx; every refusal the documented problem (409 `idempotency-key-in-use`,
  `invalid-transition`, `count-changed`, `claim-withdrawn`; 401 for a revoked key);
- the database ends as one of the orders the two requests could have run in: nothing made
  twice (one membership, one review, one message per recipient), nothing lost;
- one audit event per change that was answered as made, none for a refusal, and the chain
  still verifies (`recours audit verify`).

One server for the file; each test makes its own incident, association and actions. Few
threads and small counts: the races are the point, not the load (the file runs under ASan).
"""

import os
import subprocess
import threading
import unittest
import uuid

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import notice_fixtures as nf
import test_idempotency_all_posts as idem


def at_once(*calls):
    """Runs each call in its own thread, released together; their results in order (an
    exception of a call is raised here)."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(i, call):
        try:
            start.wait(timeout=harness.RUN_TIMEOUT_S)
            results[i] = call()
        except BaseException as e:  # re-raised below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=harness.RUN_TIMEOUT_S)
    if errors:
        raise errors[0]
    if any(t.is_alive() for t in threads):
        raise AssertionError("a request did not end")
    return results


def count(sql):
    return int(cf.psql(sql)[0][0])


def events_on(object_id):
    """The audit events naming object_id, as (action) in chain order."""
    return [r[0] for r in cf.psql("SELECT action FROM audit_events WHERE object_id = "
                                  f"{cf.sql_literal(str(object_id))} ORDER BY seq")]


class RaceTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.addClassCleanup(cls.server.close)
        # one connection per racing thread, opened beforehand: the barrier then releases
        # requests, not TLS handshakes
        cls.clients = [harness.Client(cls.server) for _ in range(3)]
        for c in cls.clients:
            cls.addClassCleanup(c.close)
        cls.slug = cf.make_incident(cls.server)
        cls.A = af.approved_association(cls.server, client=cls.clients[0])

    @classmethod
    def tearDownClass(cls):
        # every test's writes left the chain whole (once for the file: each run costs a pass)
        env = dict(os.environ, RECOURS_SECRETS_DIR=cls.server.secrets_dir)
        run = subprocess.run([harness.recours_bin(), "audit", "verify"], env=env,
                             capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
        if run.returncode != 0:
            raise AssertionError("audit verify: " + run.stdout + run.stderr)

    def assert_no_5xx(self, answers):
        for r in answers:
            self.assertLess(r.status, 500, repr(r))

    def post(self, path, body, token="A", key=None, client=0):
        """POST as A (token "A"), with another credential, or none (token None)."""
        return af.request(self.server, "POST", path, token=self.A.key if token == "A" else token,
                          body=body,
                          headers={"Idempotency-Key": key} if key else None,
                          client=self.clients[client])

    # --- one Idempotency-Key sent twice at once ---------------------------------------------

    def test_one_key_twice_at_once_on_every_post_creates_once(self):
        """Each POST that takes an Idempotency-Key, sent twice at once with one key: one is
        done, the other is its answer replayed or 409 idempotency-key-in-use; one object."""
        recipes = idem.Recipes(self.server)
        for path, recipe in sorted(recipes.table().items()):
            case = recipe()
            with self.subTest(route=path):
                key = "race-" + cf.suffix(16)
                answers = at_once(*[lambda i=i: self.post(case.path, case.body, case.token,
                                                          key, client=i) for i in (0, 1)])
                self.assert_no_5xx(answers)
                done = [r for r in answers if r.status != 409 and
                        r.headers.get("Idempotency-Replayed") is None]
                self.assertEqual(len(done), 1, answers)
                self.assertIn(done[0].status, (200, 201, 202), repr(done[0]))
                for r in answers:
                    if r is done[0]:
                        continue
                    if r.status == 409:
                        harness.assert_problem(self, r, 409, "idempotency-key-in-use")
                    else:
                        self.assertEqual((r.status, r.body), (done[0].status, done[0].body))
                if case.counter:  # each recipe counts objects of its own: none before
                    self.assertEqual(case.counter(), 1, "one object made")

    # --- members and reviews ----------------------------------------------------------------

    def test_a_member_added_to_two_actions_at_once_joins_one(self):
        act1 = af.open_action(self.A, self.slug, client=self.clients[0])
        act2 = af.open_action(self.A, self.slug, client=self.clients[0])
        ref = af.mandated_free_claim(self.server, self.slug, self.A, act1,
                                     client=self.clients[0])["reference"]
        answers = at_once(*[lambda i=i, a=a: self.post(f"/v1/actions/{a['id']}/members",
                                                       {"references": [ref]}, client=i)
                            for i, a in enumerate((act1, act2))])
        self.assert_no_5xx(answers)
        self.assertEqual([r.status for r in answers], [200, 200], answers)
        counts = [r.json() for r in answers]
        self.assertEqual(sorted(c["added"] for c in counts), [0, 1], counts)
        self.assertEqual(sorted(c["in_other_action"] for c in counts), [0, 1], counts)
        joined = af.memberships_of_claims([ref])
        self.assertIn(joined.get(ref), (act1["id"], act2["id"]))

    def review(self, action, body, client=0):
        return self.post(f"/v1/actions/{action['id']}/reviews", body, client=client)

    def test_two_reviews_of_the_same_members_at_once_move_each_once(self):
        action = af.open_action(self.A, self.slug, client=self.clients[0])
        refs = [af.mandated_claim(self.server, self.slug, action,
                                  client=self.clients[0])["reference"] for _ in range(3)]
        body = {"references": refs, "decision": "verified"}
        answers = at_once(lambda: self.review(action, body),
                          lambda: self.review(action, body, client=1))
        self.assert_no_5xx(answers)
        self.assertEqual([r.status for r in answers], [200, 200], answers)
        moved = sorted(r.json()["count"] for r in answers)
        self.assertEqual(moved, [0, 3], "each member moved once")
        self.assertEqual(count("SELECT count(*) FROM claim_reviews WHERE action_id = "
                               f"{cf.sql_literal(action['id'])}::uuid"), 3)
        batches = [r.json()["batch_id"] for r in answers if r.json()["count"]]
        self.assertEqual(len(events_on(batches[0])), 1, "one audit event for the batch")

    def test_two_confirmed_reviews_of_a_filter_at_once_apply_once(self):
        action = af.open_action(self.A, self.slug, client=self.clients[0])
        for _ in range(2):
            af.mandated_claim(self.server, self.slug, action, client=self.clients[0])
        body = {"filter": {"status": "received"}, "decision": "rejected", "reason": "other"}
        dry = self.review(action, dict(body, dry_run=True))
        self.assertEqual((dry.status, dry.json()["count"]), (200, 2), repr(dry))
        confirmed = dict(body, expected_count=2)
        answers = at_once(lambda: self.review(action, confirmed),
                          lambda: self.review(action, confirmed, client=1))
        self.assert_no_5xx(answers)
        applied = [r for r in answers if r.status == 200]
        self.assertEqual(len(applied), 1, answers)
        self.assertEqual(applied[0].json()["count"], 2)
        refused = [r for r in answers if r is not applied[0]][0]
        harness.assert_problem(self, refused, 409, "count-changed")
        self.assertEqual(count("SELECT count(*) FROM claim_reviews WHERE action_id = "
                               f"{cf.sql_literal(action['id'])}::uuid"), 2)
        self.assertEqual(len(events_on(applied[0].json()["batch_id"])), 1)

    # --- an action's status -----------------------------------------------------------------

    def patch_status(self, action, status, client=0):
        return self.A.request("PATCH", f"/v1/actions/{action['id']}", {"status": status},
                              client=self.clients[client])

    def test_an_action_moved_twice_at_once_follows_its_lifecycle(self):
        """open → filed twice (filed → filed is a PATCH that changes nothing: 200 in turn, so
        at once too), and filed and closed at once (closed → filed is refused: 409)."""
        for pair in (("filed", "filed"), ("filed", "closed")):
            with self.subTest(pair=pair):
                action = af.open_action(self.A, self.slug, client=self.clients[0])
                before = len(events_on(action["id"]))
                answers = at_once(*[lambda i=i, s=s: self.patch_status(action, s, i)
                                    for i, s in enumerate(pair)])
                self.assert_no_5xx(answers)
                for r in answers:
                    if r.status != 200:
                        harness.assert_problem(self, r, 409, "invalid-transition")
                done = [r for r in answers if r.status == 200]
                self.assertTrue(done, answers)
                final = self.A.request("GET", f"/v1/actions/{action['id']}").json()
                self.assertIn(final["status"], [r.json()["status"] for r in done])
                # one audit event per PATCH answered 200, none for a refusal
                self.assertEqual(len(events_on(action["id"])) - before, len(done),
                                 events_on(action["id"]))
                # and the history holds each status reached once, in the lifecycle's order
                history = [h["kind"] for h in final["history"] if h["kind"] != "opened"]
                reached = [s for s in ("filed", "closed")
                           if s in [r.json()["status"] for r in done]]
                self.assertEqual(history, reached, final["history"])

    # --- notices --------------------------------------------------------------------------

    def test_a_notice_sent_twice_at_once_is_sent_once(self):
        action = af.open_action(self.A, self.slug, client=self.clients[0])
        for _ in range(2):
            af.mandated_claim(self.server, self.slug, action, client=self.clients[0])
        r = self.post(f"/v1/actions/{action['id']}/notices", nf.draft_body())
        self.assertEqual(r.status, 201, repr(r))
        notice = r.json()["id"]
        path = f"/v1/actions/{action['id']}/notices/{notice}/send"
        answers = at_once(*[lambda i=i: self.post(path, {"expected_count": 2}, client=i)
                            for i in (0, 1)])
        self.assert_no_5xx(answers)
        sent = [r for r in answers if r.status in (200, 202)]
        self.assertEqual(len(sent), 1, answers)
        refused = [r for r in answers if r is not sent[0]][0]
        harness.assert_problem(self, refused, 409, "invalid-transition")
        self.assertEqual(count("SELECT count(*) FROM outbox WHERE notice_id = "
                               f"{cf.sql_literal(notice)}::uuid"), 2, "one message each")
        self.assertEqual(events_on(notice).count("action.notice.send"), 1, events_on(notice))

    # --- the claimant's own routes ------------------------------------------------------------

    def test_a_claim_corrected_and_withdrawn_at_once(self):
        for _ in range(2):  # either order may win: two rounds
            claim = af.plain_claim(self.server, self.slug, client=self.clients[0])
            path = f"/v1/claims/{claim['reference']}"
            fix = {"claimant": {"given_name": "Corrigé"}}
            patch, delete = at_once(
                lambda: af.request(self.server, "PATCH", path, token=claim["token"], body=fix,
                                   client=self.clients[0]),
                lambda: af.request(self.server, "DELETE", path, token=claim["token"],
                                   client=self.clients[1]))
            self.assert_no_5xx([patch, delete])
            self.assertEqual(delete.status, 200, repr(delete))
            self.assertEqual(delete.json()["status"], "withdrawn")
            if patch.status != 200:
                harness.assert_problem(self, patch, 409, "claim-withdrawn")
            view = af.request(self.server, "GET", path, token=claim["token"])
            self.assertEqual((view.status, view.json()["status"]), (200, "withdrawn"))
            given = view.json()["claimant"]["given_name"]
            self.assertEqual(given, "Corrigé" if patch.status == 200
                             else claim["body"]["claimant"]["given_name"])
            # again: the withdrawal answers the same, the correction is refused
            again = af.request(self.server, "PATCH", path, token=claim["token"], body=fix)
            harness.assert_problem(self, again, 409, "claim-withdrawn")

    # --- keys and exports -------------------------------------------------------------------

    def test_a_key_revoked_while_in_use(self):
        key = af.issue_key(self.server, self.A.id)
        holder = af.Association(self.server, self.A.obj, key["secret"], key["id"])
        made_before = count("SELECT count(*) FROM actions WHERE association_id = "
                            f"{cf.sql_literal(self.A.id)}::uuid")

        def use(client):
            out = []
            for _ in range(3):
                out.append(holder.request("GET", "/v1/actions", client=client))
                out.append(holder.request("POST", "/v1/actions", af.action_body(self.slug),
                                          client=client))
            return out

        def revoke():
            return af.op(self.server, "DELETE", f"/v1/keys/{key['id']}",
                         client=self.clients[1])

        used_a, revoked, used_b = at_once(lambda: use(self.clients[0]), revoke,
                                          lambda: use(self.clients[2]))
        self.assertEqual(revoked.status, 204, repr(revoked))
        answers = used_a + used_b
        self.assert_no_5xx(answers)
        for r in answers:
            if r.status == 401:
                harness.assert_problem(self, r, 401, "unauthorized")
            else:
                self.assertIn(r.status, (200, 201), repr(r))
        made = [r for r in answers if r.status == 201]
        self.assertEqual(count("SELECT count(*) FROM actions WHERE association_id = "
                               f"{cf.sql_literal(self.A.id)}::uuid") - made_before, len(made))
        for r in made:
            self.assertEqual(events_on(r.json()["id"]), ["action.create"])
        after = holder.request("GET", "/v1/actions")
        harness.assert_problem(self, after, 401, "unauthorized")

    def test_an_export_started_twice_at_once(self):
        action = af.open_action(self.A, self.slug, client=self.clients[0])
        for _ in range(2):
            af.mandated_claim(self.server, self.slug, action, client=self.clients[0])
        path = f"/v1/actions/{action['id']}/export"
        answers = at_once(*[lambda i=i: self.A.request("GET", path, client=self.clients[i])
                            for i in (0, 1)])
        self.assert_no_5xx(answers)
        self.assertEqual([r.status for r in answers], [200, 200], answers)
        ids = [r.headers.get("X-Export-Id") for r in answers]
        self.assertEqual(len(set(ids)), 2, ids)
        self.assertEqual(answers[0].body, answers[1].body, "the same rows in each")
        for export_id in ids:
            record = self.A.request("GET", f"/v1/exports/{export_id}")
            self.assertEqual(record.status, 200, repr(record))
            self.assertEqual(record.json()["rows"], 2)
            self.assertEqual(len(events_on(export_id)), 1, events_on(export_id))

    def test_a_refused_move_names_the_status_its_transaction_found(self):
        """A PATCH reads its action before its transaction: closed meanwhile (by a transaction
        that commits while the PATCH waits on the row), its move to filed is refused from
        closed, the status the PATCH's transaction found, not from open (read before, and
        from which filed is allowed)."""
        action = af.open_action(self.A, self.slug, client=self.clients[0])
        app = "recours-mover-" + uuid.uuid4().hex[:8]
        mover = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                  cf.database_url()],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ, PGAPPNAME=app))
        self.addCleanup(lambda: mover.poll() is not None or mover.kill())
        mover.stdin.write("BEGIN;\nUPDATE actions SET status = 'closed' WHERE id = "
                          f"{cf.sql_literal(action['id'])}::uuid;\n")
        mover.stdin.flush()
        held = ("SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction' AND "
                f"application_name = {cf.sql_literal(app)}")
        pid = harness.poll(lambda: cf.psql(held), 10.0, what="the mover to hold the row")[0][0]
        answers = []
        patch = threading.Thread(target=lambda: answers.append(self.patch_status(action, "filed")))
        patch.start()
        harness.poll(lambda: count("SELECT count(*) FROM pg_stat_activity WHERE "
                                   f"{int(pid)} = ANY(pg_blocking_pids(pid))"), 10.0,
                     what="the PATCH to wait on the action's row")
        mover.stdin.write("COMMIT;\n\\q\n")
        mover.stdin.close()
        mover.wait(timeout=harness.RUN_TIMEOUT_S)
        patch.join(timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(len(answers), 1, "the PATCH did not end")
        harness.assert_problem(self, answers[0], 409, "invalid-transition")
        self.assertEqual(answers[0].json()["detail"], "the action is closed: it moves no further")


if __name__ == "__main__":
    harness.main()
