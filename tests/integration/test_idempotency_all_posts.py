#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Idempotency-Key on every POST route (docs/api.md §4.2), the routes read from `recours routes`.

For each POST route a recipe makes a valid request with the credential the route wants, and
says how to count what it creates. Each request is sent twice with one Idempotency-Key: the
second answer must be the first one replayed (same status, same bytes, `Idempotency-Replayed:
true`) and nothing more may be created; the same key with another body answers 422
`idempotency-key-reuse`. A POST route without a recipe fails the test, so a new POST route
must show that it honours the key. The scope is the caller: the same key and body under
another credential is a new request.

One server for the file, without the public-POST rate limit; every recipe makes its own
incident, associations and names, so order never matters.
"""

import json
import subprocess
import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import evidence_fixtures as ef
import harness
import mail_fixtures as mf
import notice_fixtures as nf

SCHEME = {"currency": "EUR", "base_amount": 3000,
          "category_supplements": {"password": 1000},
          "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
          "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
          "vouchers": [], "cash_alternative_ratio": None}


# The pages' forms (docs/web-forms.md) are not API operations: a form carries its key in a
# hidden field made when the page is rendered, and hands it to the API's submission as its
# Idempotency-Key; test_claim_form.py proves a double submit makes one claim. The stop link of
# a notice (a page's form and a mail client's one-click) does the same however often it is
# posted (test_notices.py), as does the email confirmation page's button
# (test_mail_delivery.py).
FORM_PAGES = {"/claim", "/my-claim", "/my-claim/evidence", "/notices/stop/{token}",
              "/confirm-email/{token}"}


def post_routes():
    out = subprocess.run([harness.recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S, check=True)
    routes = [line.split() for line in out.stdout.splitlines() if line.strip()]
    return [path for method, path, _ in routes if method == "POST" and path not in FORM_PAGES]


def count(sql):
    return int(cf.psql(sql)[0][0])


class Case:
    """One POST as a recipe made it: path, credential, body, another body, and a function
    counting the objects the request creates (None for a route that stores nothing)."""

    def __init__(self, path, token, body, other_body, counter, other_token=None):
        self.path = path
        self.token = token
        self.body = body
        self.other_body = other_body
        self.counter = counter
        self.other_token = other_token  # another caller allowed on the route


class Recipes:
    """path template → a function making a Case on the server."""

    def __init__(self, server):
        self.server = server
        self.slug = cf.make_incident(server)
        self.A = af.approved_association(server)
        self.B = af.approved_association(server)

    def incidents(self):
        body = {"slug": "idem-" + cf.suffix(12), "controller": "ACME SA", "title": "Leak",
                "disclosed_on": "2026-02-10", "affected_count": 10,
                "data_categories": ["email"], "currency": "EUR"}
        other = dict(body, title="Another leak")
        return Case("/v1/incidents", self.server.operator_key, body, other,
                    lambda: count("SELECT count(*) FROM incidents WHERE slug = "
                                  + cf.sql_literal(body["slug"])))

    def simulate(self):
        body = {"incident": self.slug, "scheme": SCHEME}
        other = {"incident": self.slug, "scheme": dict(SCHEME, base_amount=4000)}
        return Case("/v1/compensation/simulate", self.A.key, body, other, None,
                    other_token=self.B.key)

    def claims(self):
        # the claimant's fields are sealed: count the claims of an incident of its own
        slug = cf.make_incident(self.server)
        return Case(f"/v1/incidents/{slug}/claims", None, cf.claim_body(), cf.claim_body(),
                    lambda: count("SELECT count(*) FROM claims c JOIN incidents i"
                                  " ON i.id = c.incident_id WHERE i.slug = "
                                  + cf.sql_literal(slug)))

    def associations(self):
        body = af.association_body()
        other = af.association_body()
        return Case("/v1/associations", self.server.operator_key, body, other,
                    lambda: count("SELECT count(*) FROM associations WHERE name = "
                                  + cf.sql_literal(body["name"])))

    def keys(self):
        label = "idem-" + cf.suffix(10)
        return Case(f"/v1/associations/{self.A.id}/keys", self.server.operator_key,
                    {"label": label}, {"label": label + "-other"},
                    lambda: count("SELECT count(*) FROM api_keys WHERE label = "
                                  + cf.sql_literal(label)))

    def actions(self):
        body = af.action_body(self.slug)
        other = af.action_body(self.slug)
        return Case("/v1/actions", self.A.key, body, other,
                    lambda: count("SELECT count(*) FROM actions WHERE title = "
                                  + cf.sql_literal(body["title"])),
                    other_token=self.B.key)

    def members(self):
        action = af.open_action(self.A, self.slug)
        claims = [af.mandated_free_claim(self.server, self.slug, self.A, action)
                  for _ in range(2)]
        refs = [c["reference"] for c in claims]
        return Case(f"/v1/actions/{action['id']}/members", self.A.key,
                    {"references": refs[:1]}, {"references": refs},
                    lambda: len(af.memberships_of_claims(refs)))

    def reviews(self):
        action = af.open_action(self.A, self.slug)
        refs = [af.mandated_claim(self.server, self.slug, action)["reference"] for _ in range(2)]
        return Case(f"/v1/actions/{action['id']}/reviews", self.A.key,
                    {"references": refs[:1], "decision": "verified"},
                    {"references": refs, "decision": "verified"},
                    lambda: count("SELECT count(*) FROM claim_reviews WHERE action_id = "
                                  + cf.sql_literal(action["id"]) + "::uuid"))

    def removal(self):
        action = af.open_action(self.A, self.slug)
        ref = af.mandated_claim(self.server, self.slug, action)["reference"]
        return Case(f"/v1/actions/{action['id']}/members/{ref}/removal", self.A.key,
                    {"reason": "other"}, {"reason": "duplicate"},
                    lambda: count("SELECT count(*) FROM claim_reviews WHERE action_id = "
                                  + cf.sql_literal(action["id"]) + "::uuid"
                                  " AND decision = 'removed'"))

    def notices(self):
        action = af.open_action(self.A, self.slug)
        return Case(f"/v1/actions/{action['id']}/notices", self.A.key, nf.draft_body(),
                    nf.draft_body(tag=" (2)"),
                    lambda: count("SELECT count(*) FROM notices WHERE action_id = "
                                  + cf.sql_literal(action["id"]) + "::uuid"))

    def notice_send(self):
        action = af.open_action(self.A, self.slug)
        af.mandated_claim(self.server, self.slug, action)
        notice = nf.draft_sql(action["id"])
        return Case(f"/v1/actions/{action['id']}/notices/{notice}/send", self.A.key,
                    {"expected_count": 1}, {"expected_count": 1, "filter": {"status": "received"}},
                    lambda: count("SELECT count(*) FROM outbox WHERE notice_id = "
                                  + cf.sql_literal(notice) + "::uuid"))

    def notice_cancel(self):
        action = af.open_action(self.A, self.slug)
        notice = nf.sending_sql(action["id"])
        # no body is read: another body is another request all the same
        return Case(f"/v1/actions/{action['id']}/notices/{notice}/cancel", self.A.key, None, {},
                    lambda: count("SELECT count(*) FROM audit_events WHERE action ="
                                  " 'action.notice.cancel' AND object_id = "
                                  + cf.sql_literal(notice)))

    def recovery(self):
        # a recovery stores an outbox row carrying the reference asked about
        with harness.Client(self.server) as c:
            ref = cf.submit_ok(unittest.TestCase(), c, self.slug)["reference"]
        body = {"email": cf.unique_email(), "reference": ref}
        return Case("/v1/claim-recovery", None, body, dict(body, lang="en"),
                    lambda: count("SELECT count(*) FROM outbox WHERE kind = 'recovery'"
                                  " AND params->>'reference' = " + cf.sql_literal(ref)))

    def recovery_redeem(self):
        with harness.Client(self.server) as c:
            ref = cf.submit_ok(unittest.TestCase(), c, self.slug)["reference"]
        token = mf.make_link(self.server, ref, "recovery")
        return Case(f"/v1/claim-recovery/{token}", None, {}, {"other": 1},
                    lambda: count("SELECT count(*) FROM claim_links WHERE used_at IS NOT NULL"
                                  f" AND '\\x{mf.link_hash(self.server, token).hex()}'::bytea"
                                  " = token_hash"))

    def evidence(self):
        # the body is the file: its SHA-256 is the request hash (docs/evidence.md)
        claim = af.plain_claim(self.server, self.slug)
        return Case(f"/v1/claims/{claim['reference']}/evidence", claim["token"], ef.pdf(),
                    ef.pdf(),
                    lambda: count("SELECT count(*) FROM evidence_files f JOIN claims c"
                                  " ON c.id = f.claim_id WHERE f.state = 'stored'"
                                  " AND c.reference = " + cf.sql_literal(claim["reference"])))

    def table(self):
        return {
            "/v1/incidents": self.incidents,
            "/v1/compensation/simulate": self.simulate,
            "/v1/incidents/{slug}/claims": self.claims,
            "/v1/associations": self.associations,
            "/v1/associations/{id}/keys": self.keys,
            "/v1/actions": self.actions,
            "/v1/actions/{id}/members": self.members,
            "/v1/actions/{id}/reviews": self.reviews,
            "/v1/actions/{id}/members/{reference}/removal": self.removal,
            "/v1/actions/{id}/notices": self.notices,
            "/v1/actions/{id}/notices/{notice}/send": self.notice_send,
            "/v1/actions/{id}/notices/{notice}/cancel": self.notice_cancel,
            "/v1/claim-recovery": self.recovery,
            "/v1/claim-recovery/{token}": self.recovery_redeem,
            "/v1/claims/{reference}/evidence": self.evidence,
        }


def send(server, case, body, key, token):
    return af.request(server, "POST", case.path, token=token, body=body,
                      headers={"Idempotency-Key": key})


class IdempotencyAllPostsTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.recipes = Recipes(cls.server)

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def test_every_post_route_has_a_recipe(self):
        routes = post_routes()
        self.assertGreaterEqual(len(routes), 7, routes)
        missing = [p for p in routes if p not in self.recipes.table()]
        self.assertEqual(missing, [], "POST routes without an idempotency recipe here")

    def test_every_post_replays_its_answer_and_creates_once(self):
        table = self.recipes.table()
        for path in post_routes():
            if path not in table:
                continue  # reported by test_every_post_route_has_a_recipe
            with self.subTest(route=path):
                self.check_route(table[path]())

    def check_route(self, case):
        key = "idem-" + cf.suffix(20)
        before = case.counter() if case.counter else None
        first = send(self.server, case, case.body, key, case.token)
        self.assertIn(first.status, (200, 201, 202), repr(first))
        self.assertNotIn("Idempotency-Replayed", first.headers)
        if case.counter:
            self.assertEqual(case.counter(), before + 1, "the first request created one")
        again = send(self.server, case, case.body, key, case.token)
        self.assertEqual(again.status, first.status, repr(again))
        self.assertEqual(again.body, first.body, "the replay is the same answer, byte for byte")
        self.assertEqual(again.headers.get("Idempotency-Replayed"), "true", repr(again))
        self.assertEqual(again.headers.get("Location"), first.headers.get("Location"))
        if case.counter:
            self.assertEqual(case.counter(), before + 1, "the replay created nothing")
        reuse = send(self.server, case, case.other_body, key, case.token)
        harness.assert_problem(self, reuse, 422, "idempotency-key-reuse")
        if case.counter:
            self.assertEqual(case.counter(), before + 1, "the refused reuse created nothing")
        if case.other_token is not None:
            # the scope is the caller: another credential with the same key is a new request
            other = send(self.server, case, case.body, key, case.other_token)
            self.assertIn(other.status, (200, 201), repr(other))
            self.assertNotIn("Idempotency-Replayed", other.headers)

    def test_a_malformed_key_is_refused_on_every_post(self):
        table = self.recipes.table()
        for path in post_routes():
            if path not in table:
                continue
            with self.subTest(route=path):
                case = table[path]()
                r = send(self.server, case, case.body, "bad key with spaces", case.token)
                harness.assert_problem(self, r, 400, "invalid-parameter")

    def test_racing_requests_with_one_key_create_once(self):
        """While the first is in flight the others answer 409 idempotency-key-in-use or, once
        it is done, its answer replayed: never a second object."""
        case = self.recipes.actions()
        key = "idem-" + cf.suffix(20)
        answers = []
        lock = threading.Lock()
        start = threading.Barrier(12)

        def one():
            start.wait()
            r = send(self.server, case, case.body, key, case.token)
            with lock:
                answers.append(r)

        threads = [threading.Thread(target=one) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(len(answers), 12)
        created = [r for r in answers if r.status == 201]
        self.assertTrue(created, [r.status for r in answers])
        for r in answers:
            if r.status == 409:
                harness.assert_problem(self, r, 409, "idempotency-key-in-use")
            else:
                self.assertEqual((r.status, r.body), (201, created[0].body), repr(r))
        self.assertEqual(case.counter(), 1)

    def test_without_a_key_nothing_is_replayed(self):
        case = self.recipes.actions()
        first = af.request(self.server, "POST", case.path, token=case.token, body=case.body)
        second = af.request(self.server, "POST", case.path, token=case.token, body=case.body)
        self.assertEqual((first.status, second.status), (201, 201))
        self.assertNotEqual(json.loads(first.body)["id"], json.loads(second.body)["id"])
        self.assertEqual(case.counter(), 2)


if __name__ == "__main__":
    unittest.main()
