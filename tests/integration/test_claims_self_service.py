#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The claimant's own routes (docs/api.md §2, §9.5–9.7, §2.3): GET,
PATCH (JSON merge patch) and DELETE /v1/claims/{reference} with the claim token; who gets 401
and who 404 (with one and the same document), validation and dedup of corrections, read-only
members, withdrawal and what it stops.

One server for the file, without the public-POST rate limit; each test makes its own incident.
"""

import json
import secrets
import unittest

import harness
from harness import Client, assert_problem
import claims_fixtures as F
from claims_fixtures import DROP, claim_body

VIEW_KEYS = {"reference", "incident", "status", "status_reason", "claimant", "data_categories",
             "harms", "payment_preference", "privacy_notice_version", "mandate", "action_id",
             "created_at", "updated_at", "withdrawn_at", "review_reason", "correctable_until"}
HARMS_KEYS = {"phishing", "identity_theft", "distress", "documented_loss", "hours_spent",
              "description"}


def random_token():
    return secrets.token_urlsafe(32)  # 43 characters of [A-Za-z0-9_-], like a claim token


class ClaimsSelfServiceTest(F.IncidentTestCase):
    def new_claim(self, body=None):
        body = body if body is not None else claim_body()
        r = F.submit(self.client, self.slug, body)
        self.assertEqual(r.status, 201, repr(r))
        return r.json(), body

    def call(self, method, receipt, body=None, token="<own>", headers=None, reference=None):
        token = receipt["token"] if token == "<own>" else token
        return F.claim_request(self.client, method, reference or receipt["reference"], token,
                               body, headers)

    def get(self, receipt, **kw):
        r = self.call("GET", receipt, **kw)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.media_type, "application/json")
        return r.json()

    def patch_ok(self, receipt, patch, **kw):
        r = self.call("PATCH", receipt, patch, **kw)
        self.assertEqual(r.status, 200, f"patch {patch}: {r!r}")
        return r.json()

    # --- the view --------------------------------------------------------------------------

    def test_view_as_submitted(self):
        body = claim_body(claimant={
            "given_name": "  He\u0301le\u0300ne ",          # decomposed, spaces around
            "family_name": "Dupont-Martin",
            "email": "  Helene.Dupont@Example.org ",
            "phone": "06 12 34 56 78",
            "address": {"line1": " 12 rue de Rivoli ", "line2": DROP, "postal_code": "75001",
                        "city": "Paris", "country": "fr"}},
            data_categories=["password", "email"],
            harms={"phishing": True, "identity_theft": DROP, "distress": False,
                   "documented_loss": 12000, "hours_spent": DROP,
                   "description": "Phishing SMS.\nTwice."},
            payment_preference="cash")
        receipt, _ = self.new_claim(body)
        view = self.get(receipt)
        self.assertEqual(set(view), VIEW_KEYS, view)
        self.assertEqual(view["reference"], receipt["reference"])
        self.assertEqual(view["incident"], self.slug)
        self.assertEqual(view["status"], "received")
        self.assertIsNone(view["status_reason"])
        self.assertEqual(view["claimant"], {
            "given_name": "H\u00e9l\u00e8ne",                # trimmed, NFC
            "family_name": "Dupont-Martin",
            "email": "Helene.Dupont@Example.org",            # trimmed, case kept
            "phone": "+33612345678",
            "birth_date": "1980-04-12",
            "address": {"line1": "12 rue de Rivoli", "line2": None, "postal_code": "75001",
                        "city": "Paris", "country": "FR"}})
        self.assertEqual(view["data_categories"], ["email", "password"])
        self.assertEqual(view["harms"], {"phishing": True, "identity_theft": False,
                                         "distress": False, "documented_loss": 12000,
                                         "hours_spent": 0,
                                         "description": "Phishing SMS.\nTwice."})
        self.assertEqual(view["payment_preference"], "cash")
        self.assertEqual(view["privacy_notice_version"], F.NOTICE_VERSION)
        self.assertIsNone(view["mandate"])
        self.assertIsNone(view["action_id"])
        self.assertEqual(view["created_at"], receipt["created_at"])
        self.assertRegex(view["created_at"], F.TIME_RE)
        self.assertRegex(view["updated_at"], F.TIME_RE)
        self.assertIsNone(view["withdrawn_at"])

    def test_absent_optional_members_are_null(self):
        receipt, _ = self.new_claim(claim_body(claimant={"phone": DROP, "birth_date": None},
                                               harms=DROP))
        view = self.get(receipt)
        self.assertIsNone(view["claimant"]["phone"])
        self.assertIsNone(view["claimant"]["birth_date"])
        self.assertIsNone(view["claimant"]["address"]["line2"])
        self.assertEqual(set(view["harms"]), HARMS_KEYS)
        self.assertEqual(view["harms"]["description"], "")

    def test_lower_case_reference(self):
        receipt, _ = self.new_claim()
        view = self.get(receipt, reference=receipt["reference"].lower())
        self.assertEqual(view["reference"], receipt["reference"])
        r = self.call("PATCH", receipt, {"payment_preference": "cash"},
                      reference=receipt["reference"].lower())
        self.assertEqual(r.status, 200, repr(r))

    # --- who may -----------------------------------------------------------------------------

    def test_no_credential_is_401(self):
        receipt, _ = self.new_claim()
        for method in ("GET", "PATCH", "DELETE"):
            with self.subTest(method=method):
                r = self.call(method, receipt, {"payment_preference": "cash"}
                              if method == "PATCH" else None, token=None)
                assert_problem(self, r, 401, "unauthorized")
                self.assertTrue(r.headers.get("WWW-Authenticate", "").startswith("Bearer"),
                                r.headers)
        self.assertEqual(self.get(receipt)["status"], "received")

    def test_unrecognised_credentials_are_401(self):
        # a valid operator or association key is out of its reach here: 404, like a missing
        # claim (issue 10; test_credential_kinds.py)
        receipt, _ = self.new_claim()
        for what, headers in (
                ("basic auth", {"Authorization": "Basic dXNlcjpwYXNz"}),
                ("empty bearer", {"Authorization": "Bearer "}),
                ("short token", {"Authorization": "Bearer abc"}),
                ("association-looking key", {"Authorization": "Bearer rk_Ab3dE6gH_"
                                             + random_token()}),
                ("token without scheme", {"Authorization": receipt["token"]})):
            for method in ("GET", "PATCH", "DELETE"):
                with self.subTest(what=what, method=method):
                    body = json.dumps({"payment_preference": "cash"}).encode() \
                        if method == "PATCH" else None
                    hdrs = dict(headers)
                    if body is not None:
                        hdrs["Content-Type"] = "application/merge-patch+json"
                    r = self.client.request(method, f"/v1/claims/{receipt['reference']}",
                                            body=body, headers=hdrs)
                    assert_problem(self, r, 401, "unauthorized")
                    self.assertIn("WWW-Authenticate", r.headers)
        self.assertEqual(self.get(receipt)["status"], "received")

    def test_out_of_reach_is_404_with_one_document(self):
        mine, _ = self.new_claim()
        other, _ = self.new_claim()
        unknown_ref = "RC-0000-0000"  # check symbol 0 over a zero payload: well formed
        cases = (
            ("another claim's token", mine["reference"], other["token"]),
            ("a wrong token", mine["reference"], random_token()),
            ("an unknown reference", unknown_ref, mine["token"]),
            ("a bad check symbol", mine["reference"][:-1]
             + ("1" if mine["reference"][-1] != "1" else "2"), mine["token"]),
            ("a malformed reference", "RC-ILOU-1234", mine["token"]),
            ("not a reference", "hello", mine["token"]),
            ("a reference too long", mine["reference"] + "0", mine["token"]),
        )
        bodies = set()
        for what, ref, token in cases:
            for method in ("GET", "PATCH", "DELETE"):
                with self.subTest(what=what, method=method):
                    r = F.claim_request(self.client, method, ref, token,
                                        {"payment_preference": "cash"}
                                        if method == "PATCH" else None)
                    assert_problem(self, r, 404, "not-found")
                    bodies.add(r.body)
        self.assertEqual(len(bodies), 1, f"404 documents differ: {bodies}")
        # an unknown path answers the same document too
        r = self.client.request("GET", "/v1/no-such-thing")
        self.assertEqual(r.status, 404)
        # nothing changed
        self.assertEqual(self.get(mine)["status"], "received")
        self.assertEqual(self.get(mine)["payment_preference"], "voucher")
        self.assertEqual(self.get(other)["status"], "received")

    # --- correcting --------------------------------------------------------------------------

    def test_merge_patch(self):
        receipt, body = self.new_claim()
        before = self.get(receipt)
        patch = {"claimant": {"phone": None, "address": {"city": "Lyon", "line2": "Bât. C"}},
                 "data_categories": ["password", "name", "email"],
                 "harms": {"hours_spent": 10, "identity_theft": True},
                 "payment_preference": "cash"}
        answer = self.patch_ok(receipt, patch)
        view = self.get(receipt)
        self.assertEqual(answer, view, "PATCH answers the claim view")
        c = view["claimant"]
        self.assertIsNone(c["phone"])
        self.assertEqual(c["address"]["city"], "Lyon")
        self.assertEqual(c["address"]["line2"], "Bât. C")
        # members not in the patch are kept
        self.assertEqual(c["address"]["line1"], before["claimant"]["address"]["line1"])
        self.assertEqual(c["given_name"], before["claimant"]["given_name"])
        self.assertEqual(c["email"], before["claimant"]["email"])
        self.assertEqual(c["birth_date"], before["claimant"]["birth_date"])
        self.assertEqual(view["data_categories"], ["name", "email", "password"])
        self.assertEqual(view["harms"], dict(before["harms"], hours_spent=10,
                                             identity_theft=True))
        self.assertEqual(view["payment_preference"], "cash")
        self.assertEqual(view["created_at"], before["created_at"])
        self.assertGreaterEqual(view["updated_at"], before["updated_at"])
        self.assertEqual(view["status"], "received")

        # the removed phone is free again; the old city was never a key
        r = F.submit(self.client, self.slug, claim_body(claimant={"phone":
                                                                  body["claimant"]["phone"]}))
        self.assertEqual(r.status, 201, f"phone released by the correction: {r!r}")

    def test_patch_accepts_application_json_and_refuses_other_types(self):
        receipt, _ = self.new_claim()
        r = self.call("PATCH", receipt, json.dumps({"payment_preference": "cash"}).encode(),
                      headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["payment_preference"], "cash")
        r = self.call("PATCH", receipt, json.dumps({"payment_preference": "voucher"}).encode(),
                      headers={"Content-Type": "text/plain"})
        assert_problem(self, r, 415, "unsupported-media-type")
        for bad in (b"{", b"[1]", b'{"a": 1, "a": 2}', b""):
            with self.subTest(body=bad):
                r = self.call("PATCH", receipt, bad,
                              headers={"Content-Type": "application/merge-patch+json"})
                assert_problem(self, r, 400, "malformed-json")
        self.assertEqual(self.get(receipt)["payment_preference"], "cash")

    def test_changed_email_moves_the_dedup_key(self):
        receipt, body = self.new_claim()
        old_email = body["claimant"]["email"]
        new_email = F.unique_email()
        self.patch_ok(receipt, {"claimant": {"email": new_email}})
        self.assertEqual(self.get(receipt)["claimant"]["email"], new_email)
        r = F.submit(self.client, self.slug, claim_body(claimant={"email": new_email}))
        assert_problem(self, r, 409, "duplicate-claim")
        r = F.submit(self.client, self.slug, claim_body(claimant={"email": old_email}))
        self.assertEqual(r.status, 201, f"old email released: {r!r}")

    def test_patch_with_its_own_values_is_no_conflict(self):
        receipt, body = self.new_claim()
        self.patch_ok(receipt, {"claimant": {"email": body["claimant"]["email"].upper(),
                                             "phone": body["claimant"]["phone"]}})
        self.patch_ok(receipt, {})

    def test_patch_validation_errors(self):
        receipt, _ = self.new_claim()
        before = self.get(receipt)
        r = self.call("PATCH", receipt, {
            "claimant": {"email": "not-an-email", "given_name": None,
                         "address": {"country": "XX", "floor": 1}},
            "data_categories": ["email", "nope", "health"],
            "harms": {"documented_loss": -5, "description": "x" * 4001},
            "payment_preference": "bank",
            "extra": 1})
        self.assertEqual(F.errors_of(self, r), {
            ("claimant.email", "invalid-format"),
            ("claimant.given_name", "required"),
            ("claimant.address.country", "invalid-value"),
            ("claimant.address.floor", "unknown-field"),
            ("data_categories[1]", "invalid-value"),
            ("data_categories[2]", "not-in-incident"),
            ("harms.documented_loss", "out-of-range"),
            ("harms.description", "too-long"),
            ("payment_preference", "invalid-value"),
            ("extra", "unknown-field"),
        })
        for patch, field, code in (
                ({"claimant": {"address": None}}, "claimant.address", "required"),
                ({"data_categories": []}, "data_categories", "too-short"),
                ({"data_categories": None}, "data_categories", "required"),
                ({"claimant": {"birth_date": "2026-02-30"}}, "claimant.birth_date",
                 "invalid-format"),
                ({"claimant": {"family_name": "x" * 101}}, "claimant.family_name", "too-long"),
                ({"harms": {"hours_spent": 1.5}}, "harms.hours_spent", "invalid-type"),
                ({"claimant": "x"}, "claimant", "invalid-type")):
            with self.subTest(patch=repr(patch)[:60]):
                r = self.call("PATCH", receipt, patch)
                self.assertEqual(F.errors_of(self, r), {(field, code)})
        self.assertEqual(self.get(receipt), before, "a refused correction changes nothing")

    def test_patch_to_a_blank_name_is_422(self):
        # blank is not only ASCII (docs/api.md §5.4: blank = missing): never a 500 from the
        # identity key, never a stored blank name
        receipt, _ = self.new_claim()
        before = self.get(receipt)
        for value in ("\u00a0", "\u200b", "-", "\u0301"):
            with self.subTest(value=value):
                r = self.call("PATCH", receipt, {"claimant": {"given_name": value}})
                errors = F.errors_of(self, r)
                self.assertEqual({f for f, _ in errors}, {"claimant.given_name"}, errors)
        self.assertEqual(self.get(receipt), before)

    def test_patch_of_read_only_members(self):
        receipt, _ = self.new_claim()
        before = self.get(receipt)
        values = {"reference": "RC-0000-0000", "status": "verified", "token": random_token(),
                  "privacy_notice_version": F.NOTICE_VERSION}
        for key, value in values.items():
            with self.subTest(member=key):
                r = self.call("PATCH", receipt, {key: value})
                self.assertEqual(F.errors_of(self, r), {(key, "read-only")})
                r = self.call("PATCH", receipt, {key: None})
                self.assertEqual(F.errors_of(self, r), {(key, "read-only")})
        r = self.call("PATCH", receipt, dict(values, payment_preference="cash"))
        self.assertEqual(F.errors_of(self, r), {(k, "read-only") for k in values})
        self.assertEqual(self.get(receipt), before)

    def test_patch_that_collides_is_409_and_changes_nothing(self):
        a, a_body = self.new_claim(claim_body(claimant={"given_name": "Hélène",
                                                        "family_name": "Dupont-Martin"}))
        b, _ = self.new_claim()
        before = self.get(b)
        for patch in ({"claimant": {"email": a_body["claimant"]["email"]}},
                      {"claimant": {"phone": a_body["claimant"]["phone"]}},
                      {"claimant": {"given_name": "helene", "family_name": "dupont martin"}}):
            with self.subTest(patch=patch):
                r = self.call("PATCH", b, patch)
                doc = assert_problem(self, r, 409, "duplicate-claim")
                self.assertNotIn(a["reference"], r.body.decode())
                self.assertNotIn(a_body["claimant"]["email"], r.body.decode())
                self.assertNotIn("errors", doc)
        self.assertEqual(self.get(b), before)
        # a collision with a withdrawn claim is none
        self.assertEqual(self.call("DELETE", a).status, 200)
        self.patch_ok(b, {"claimant": {"email": a_body["claimant"]["email"]}})

    # --- withdrawing -------------------------------------------------------------------------

    def test_withdraw(self):
        receipt, _ = self.new_claim()
        before = self.get(receipt)
        r = self.call("DELETE", receipt)
        self.assertEqual(r.status, 200, repr(r))
        view = r.json()
        self.assertEqual(set(view), VIEW_KEYS)
        self.assertEqual(view["status"], "withdrawn")
        self.assertRegex(view["withdrawn_at"] or "", F.TIME_RE)
        self.assertEqual(view["claimant"], before["claimant"])
        self.assertEqual(view["created_at"], before["created_at"])
        again = self.call("DELETE", receipt)
        self.assertEqual(again.status, 200, repr(again))
        self.assertEqual(again.json(), view, "a repeated DELETE gives the same answer")
        self.assertEqual(self.get(receipt), view)
        stored = F.psql("SELECT status, withdrawn_at IS NOT NULL FROM claims WHERE reference = "
                        + F.sql_literal(receipt["reference"]))
        self.assertEqual(stored, [["withdrawn", "t"]])

    def test_patch_after_withdraw_is_409(self):
        receipt, _ = self.new_claim()
        self.assertEqual(self.call("DELETE", receipt).status, 200)
        before = self.get(receipt)
        for patch in ({"payment_preference": "cash"}, {"claimant": {"email": "bad"}}):
            with self.subTest(patch=patch):
                r = self.call("PATCH", receipt, patch)
                assert_problem(self, r, 409, "claim-withdrawn")
        self.assertEqual(self.get(receipt), before)

    def test_withdraw_needs_the_token(self):
        receipt, _ = self.new_claim()
        other, _ = self.new_claim()
        r = self.call("DELETE", receipt, token=other["token"])
        assert_problem(self, r, 404, "not-found")
        r = self.call("DELETE", receipt, token=None)
        assert_problem(self, r, 401, "unauthorized")
        self.assertEqual(self.get(receipt)["status"], "received")

    def test_methods_not_allowed(self):
        receipt, _ = self.new_claim()
        for method in ("POST", "PUT"):
            with self.subTest(method=method):
                r = self.call(method, receipt, json.dumps({}).encode(),
                              headers={"Content-Type": "application/json"})
                assert_problem(self, r, 405, "method-not-allowed")
                allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
                self.assertTrue({"GET", "PATCH", "DELETE"} <= allow, allow)

    def test_patch_names_every_error_at_once(self):
        """A read-only member or a refused mandate is said beside the claim's own field errors,
        each once (docs/api.md §5.2): the PATCH answered them alone, and the bad email only
        after they were mended."""
        receipt, _ = self.new_claim()
        before = self.get(receipt)
        cases = [
            ({"status": "verified", "privacy_notice_version": "2020-01",
              "mandate_text_version": "x", "claimant": {"email": "bad"}},
             {("status", "read-only"), ("privacy_notice_version", "read-only"),
              ("mandate_text_version", "invalid-value"), ("claimant.email", "invalid-format")}),
            ({"action_id": "00000000-0000-4000-8000-000000000000", "mandate_text_version": "v",
              "data_categories": ["email", "email"]},
             {("action_id", "unavailable"), ("data_categories[1]", "duplicate-value")}),
        ]
        for patch, expected in cases:
            with self.subTest(patch=patch):
                r = self.call("PATCH", receipt, patch)
                self.assertEqual(F.errors_of(self, r), expected)
                self.assertEqual(len(r.json()["errors"]), len(expected), "each error once")
        self.assertEqual(self.get(receipt), before)


class CorrectionMemoryTest(unittest.TestCase):
    """Corrections free what they allocate: the plaintext claim a merge patch is applied to
    must not outlive the request (docs/product.md §5). Meaningful under the AddressSanitizer
    build, whose leak check at exit turns a leak into a non-zero exit code."""

    def test_corrections_leak_nothing(self):
        server = harness.Server(args=F.NO_RATE_LIMIT)
        server.start()
        self.addCleanup(server.close, check=False)
        slug = F.make_incident(server)
        with Client(server) as client:
            r = F.submit(client, slug, claim_body())
            self.assertEqual(r.status, 201, repr(r))
            receipt = r.json()
            for i in range(20):
                r = F.claim_request(client, "PATCH", receipt["reference"], receipt["token"],
                                    {"harms": {"hours_spent": i},
                                     "claimant": {"address": {"city": f"Ville {i}"}}})
                self.assertEqual(r.status, 200, repr(r))
        code = server.stop()
        log = server.log_text()
        leak = log.find("LeakSanitizer")
        self.assertEqual(leak, -1, "leak report at exit:\n" + log[leak:leak + 3000])
        self.assertEqual(code, 0, "exit code after SIGTERM")


if __name__ == "__main__":
    harness.main()
