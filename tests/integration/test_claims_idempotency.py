#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Idempotency-Key on claim submission (docs/api.md §4): a replay gives the same status and the
same bytes (the claim token included) with `Idempotency-Replayed: true` and no new row; the
same key with another body is refused; a key that met a duplicate replays the 409; keys are
scoped by path; invalid keys are refused; 20 racing requests with one key make one claim.

One server for the file, without the public-POST rate limit; each test makes its own incident.
"""

import json
import threading

import harness
from harness import Client, assert_problem
import claims_fixtures as F
from claims_fixtures import claim_body


def new_key():
    return "idem-" + F.suffix(24)


class ClaimsIdempotencyTest(F.IncidentTestCase):
    def submit(self, body, key=None, slug=None, client=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return F.submit(client or self.client, slug or self.slug, data, idem_key=key)

    def test_replay_gives_the_same_bytes_and_no_new_row(self):
        key = new_key()
        body = json.dumps(claim_body()).encode()
        first = self.submit(body, key)
        self.assertEqual(first.status, 201, repr(first))
        self.assertNotIn("Idempotency-Replayed", first.headers)
        receipt = first.json()
        for attempt in range(3):
            with self.subTest(attempt=attempt):
                # a new connection each time: nothing may depend on the first one
                with Client(self.server) as other:
                    again = self.submit(body, key, client=other)
                self.assertEqual(again.status, 201, repr(again))
                self.assertEqual(again.body, first.body)
                self.assertEqual(again.json()["token"], receipt["token"])
                self.assertEqual(again.headers.get("Idempotency-Replayed"), "true")
                self.assertEqual(again.headers.get("Location"), first.headers.get("Location"))
                self.assertEqual(again.media_type, "application/json")
        self.assertEqual(F.count_claims(self.slug), 1)
        # the token replayed is the claim's: it opens the claim
        r = F.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, repr(r))

    def test_same_key_other_body_is_422(self):
        key = new_key()
        body = claim_body()
        first = self.submit(body, key)
        self.assertEqual(first.status, 201, repr(first))
        other = claim_body()
        r = self.submit(other, key)
        assert_problem(self, r, 422, "idempotency-key-reuse")
        # the same document with other bytes (spacing) is another body too
        spaced = json.dumps(body, indent=2).encode()
        r = self.submit(spaced, key)
        assert_problem(self, r, 422, "idempotency-key-reuse")
        self.assertEqual(F.count_claims(self.slug), 1)
        # and the original still replays
        r = self.submit(body, key)
        self.assertEqual((r.status, r.body), (201, first.body))

    def test_a_key_that_met_a_duplicate_replays_the_409(self):
        body = claim_body()
        first = self.submit(body)
        self.assertEqual(first.status, 201, repr(first))
        reference = first.json()["reference"]
        dup = claim_body(claimant={"email": body["claimant"]["email"]})
        key = new_key()
        r1 = self.submit(dup, key)
        assert_problem(self, r1, 409, "duplicate-claim")
        self.assertNotIn("Idempotency-Replayed", r1.headers)
        r2 = self.submit(dup, key)
        assert_problem(self, r2, 409, "duplicate-claim")
        self.assertEqual(r2.body, r1.body)
        self.assertEqual(r2.headers.get("Idempotency-Replayed"), "true")
        self.assertNotIn("Location", r2.headers)
        # the replay stored nothing more
        self.assertEqual(F.count_duplicates_of(reference), 1)
        self.assertEqual(F.count_claims(self.slug), 1)

    def test_a_key_replays_the_409_even_after_the_first_claim_is_withdrawn(self):
        body = claim_body()
        first = self.submit(body).json()
        dup = claim_body(claimant={"email": body["claimant"]["email"]})
        key = new_key()
        r1 = self.submit(dup, key)
        assert_problem(self, r1, 409, "duplicate-claim")
        r = F.claim_request(self.client, "DELETE", first["reference"], first["token"])
        self.assertEqual(r.status, 200, repr(r))
        r2 = self.submit(dup, key)
        self.assertEqual((r2.status, r2.body), (409, r1.body))
        self.assertEqual(r2.headers.get("Idempotency-Replayed"), "true")
        self.assertEqual(F.count_claims(self.slug), 1)
        # without the key the same submission goes in now
        r3 = self.submit(dup)
        self.assertEqual(r3.status, 201, repr(r3))

    def test_different_keys_same_person(self):
        body = claim_body()
        r1 = self.submit(body, new_key())
        self.assertEqual(r1.status, 201, repr(r1))
        r2 = self.submit(body, new_key())
        assert_problem(self, r2, 409, "duplicate-claim")
        self.assertNotIn("Idempotency-Replayed", r2.headers)
        self.assertEqual(F.count_claims(self.slug), 1)

    def test_key_is_scoped_by_path(self):
        other_slug = F.make_incident(self.server)
        key = new_key()
        body = claim_body()
        r1 = self.submit(body, key)
        r2 = self.submit(body, key, slug=other_slug)
        self.assertEqual(r1.status, 201, repr(r1))
        self.assertEqual(r2.status, 201, repr(r2))
        self.assertNotIn("Idempotency-Replayed", r2.headers)
        self.assertNotEqual(r1.json()["reference"], r2.json()["reference"])

    def test_a_key_is_kept_24_hours(self):
        key = new_key()
        first = self.submit(claim_body(), key)
        self.assertEqual(first.status, 201, repr(first))
        location = first.headers["Location"]
        # age the stored answer past the 24 h window (docs/api.md §4.3)
        rows = F.psql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
                      f" WHERE location = {F.sql_literal(location)} RETURNING status")
        self.assertEqual(rows, [["201"]])
        r = self.submit(claim_body(), key)
        self.assertEqual(r.status, 201, f"an expired key is a new key: {r!r}")
        self.assertNotIn("Idempotency-Replayed", r.headers)
        self.assertNotEqual(r.json()["reference"], first.json()["reference"])
        self.assertEqual(F.count_claims(self.slug), 2)

    def test_a_4xx_answer_is_stored_too(self):
        # docs/api.md §4.6: 5xx and 429 are never stored — every other answer is, a validation error
        # or a closed incident included, so the key cannot be reused with another body
        key = new_key()
        bad = json.dumps(claim_body(claimant={"email": "not-an-email"})).encode()
        r1 = self.submit(bad, key)
        F.errors_of(self, r1)
        r2 = self.submit(bad, key)
        self.assertEqual((r2.status, r2.body), (422, r1.body))
        self.assertEqual(r2.headers.get("Idempotency-Replayed"), "true",
                         "a stored 422 is replayed")
        r3 = self.submit(claim_body(), key)
        assert_problem(self, r3, 422, "idempotency-key-reuse")
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_a_closed_incident_answer_is_replayed_after_reopening(self):
        key = new_key()
        body = json.dumps(claim_body()).encode()
        F.close_incident(self.server, self.slug)
        r1 = self.submit(body, key)
        assert_problem(self, r1, 409, "incident-closed")
        r = F.operator_request(self.server, "PATCH", f"/v1/incidents/{self.slug}",
                               {"status": "open"})
        self.assertEqual(r.status, 200, repr(r))
        r2 = self.submit(body, key)
        self.assertEqual((r2.status, r2.body), (409, r1.body), "the stored answer is replayed")
        self.assertEqual(r2.headers.get("Idempotency-Replayed"), "true")
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_invalid_keys_are_400(self):
        body = claim_body()
        for what, key in (("empty", ""), ("256 characters", "k" * 256),
                          ("space inside", "abc def"), ("tab inside", "abc\tdef"),
                          ("non-ASCII", "cl\u00e9")):
            with self.subTest(what):
                hdr = key.encode("latin-1")
                raw = (f"POST /v1/incidents/{self.slug}/claims HTTP/1.1\r\n"
                       "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {len(json.dumps(body).encode())}\r\n").encode() \
                    + b"Idempotency-Key: " + hdr + b"\r\n\r\n" + json.dumps(body).encode()
                r = harness.raw_request(self.server, raw)
                self.assertEqual(r.status, 400, f"{what}: {r!r}")
                self.assertEqual(r.media_type, "application/problem+json")
                doc = r.json()
                self.assertTrue(doc["type"].startswith(harness.PROBLEM_BASE), doc)
        self.assertEqual(F.count_claims(self.slug), 0)
        r = self.submit(body, "k" * 255)
        self.assertEqual(r.status, 201, f"255 characters: {r!r}")
        r = self.submit(claim_body(), "!~" + "x" * 10)
        self.assertEqual(r.status, 201, f"punctuation: {r!r}")

    def test_twenty_racing_requests_with_one_key(self):
        key = new_key()
        body = json.dumps(claim_body()).encode()
        n = 20
        clients = [Client(self.server, timeout=30) for _ in range(n)]
        for c in clients:
            self.addCleanup(c.close)
            self.assertEqual(c.request("GET", "/healthz").status, 200)
        barrier = threading.Barrier(n)
        results = [None] * n

        def run(i):
            try:
                barrier.wait(timeout=30)
                results[i] = self.submit(body, key, client=clients[i])
            except BaseException as e:
                results[i] = e

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for i, r in enumerate(results):
            self.assertIsInstance(r, harness.Response, f"request {i}: {r!r}")
        statuses = sorted(r.status for r in results)
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        self.assertIn(201, statuses)
        created = [r for r in results if r.status == 201]
        for r in created:
            self.assertEqual(r.body, created[0].body)
        for r in results:
            if r.status == 409:
                assert_problem(self, r, 409, "idempotency-key-in-use")
        originals = [r for r in created if "Idempotency-Replayed" not in r.headers]
        self.assertLessEqual(len(originals), 1, "more than one original answer")
        self.assertEqual(F.count_claims(self.slug), 1)
        self.assertEqual(F.count_duplicates_on(self.slug), 0)
        # afterwards the key replays the one answer
        r = self.submit(body, key)
        self.assertEqual((r.status, r.body), (201, created[0].body))


class ManyWritersIdempotencyTest(F.IncidentTestCase):
    """The race again with 8 intake writers, so that the racing requests land in different
    transactions and meet on the idempotency_keys primary key."""

    SERVER_ARGS = ("--intake-writers", "8", "--workers", "8")

    submit = ClaimsIdempotencyTest.submit
    test_twenty_racing_requests_with_one_key_many_writers = \
        ClaimsIdempotencyTest.test_twenty_racing_requests_with_one_key


if __name__ == "__main__":
    harness.main()
