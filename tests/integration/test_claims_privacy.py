#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Personal data at rest and in logs (docs/product.md §5, docs/api.md §4.4): claims
with distinctive marker values go through every path that stores or logs something — accepted,
refused as a duplicate, replayed with an Idempotency-Key, corrected, withdrawn, refused by
validation, malformed JSON — and then a raw SELECT of claims, claim_duplicates and
idempotency_keys (as text, bytea as hex and through encode(…, 'escape')) and the server's
stderr must hold none of the markers, nor the lower-cased email, the E.164 phone or the claim
tokens.
"""

import json
import random

import harness
from harness import assert_problem
import claims_fixtures as F
from claims_fixtures import claim_body


def person_markers():
    """A claimant whose every personal value is unique to this run and unlikely anywhere else."""
    sfx = F.letters(10)
    digits = "".join(random.choice("0123456789") for _ in range(8))
    return {
        "given_name": "Zorglubine" + sfx.capitalize(),
        "family_name": "Quixwort-" + sfx.upper(),
        "email": f"Marker.{sfx}@Example-{sfx[:4]}.org",
        "phone_national": "06 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2)),
        "phone_e164": "+336" + digits,
        "phone_digits": "06" + digits,
        "birth_date": "19%02d-0%d-%02d" % (random.randint(30, 99), random.randint(1, 9),
                                           random.randint(10, 28)),
        "line1": f"{random.randint(100, 999)} impasse Marqueur{sfx}",
        "line2": f"Escalier Zeta{sfx}",
        # a French one is 5 digits (domain/postal_codes.c): not a needle (below)
        "postal_code": "".join(random.choice("0123456789") for _ in range(5)),
        "city": "Villemarq" + sfx,
        "description": f"Secret narrative {sfx} about the phishing calls",
    }


def body_of(m, **over):
    body = claim_body(claimant={
        "given_name": m["given_name"], "family_name": m["family_name"], "email": m["email"],
        "phone": m["phone_national"], "birth_date": m["birth_date"],
        "address": {"line1": m["line1"], "line2": m["line2"], "postal_code": m["postal_code"],
                    "city": m["city"], "country": "FR"}},
        harms={"description": m["description"]})
    return F.deep_merge(body, over)


def needles(m):
    """Every string that must not be found, in the forms it could take."""
    out = set()
    for key, value in m.items():
        if key == "postal_code":
            continue  # 5 digits turn up by chance in a dump or a log; its address's city does not
        out.add(value)
        if key == "email":
            out.add(value.lower())
            out.add(value.split("@")[0])
    return out


class ClaimsPrivacyTest(F.IncidentTestCase):
    def setUp(self):
        super().setUp()
        self.started = F.psql("SELECT now()")[0][0]

    def exercise(self):
        """Runs every path; returns (markers, tokens, references)."""
        a, b, c, d = (person_markers() for _ in range(4))
        tokens, refs = [], []
        key = "privacy-" + F.suffix(16)

        # accepted, with an Idempotency-Key, then replayed
        body_a = json.dumps(body_of(a)).encode()
        r = F.submit(self.client, self.slug, body_a, idem_key=key)
        self.assertEqual(r.status, 201, repr(r))
        ra = r.json()
        tokens.append(ra["token"])
        refs.append(ra["reference"])
        r = F.submit(self.client, self.slug, body_a, idem_key=key)
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.headers.get("Idempotency-Replayed"), "true")

        # refused as a duplicate (same email as a, everything else b's), with a key too
        dup = body_of(b, claimant={"email": a["email"].upper()})
        r = F.submit(self.client, self.slug, dup, idem_key="privacy-dup-" + F.suffix(16))
        assert_problem(self, r, 409, "duplicate-claim")
        r = F.submit(self.client, self.slug, body_of(b, claimant={"phone": a["phone_e164"]}))
        assert_problem(self, r, 409, "duplicate-claim")

        # corrected: every personal member replaced by c's
        patch = {"claimant": {"given_name": c["given_name"], "family_name": c["family_name"],
                              "email": c["email"], "phone": c["phone_national"],
                              "birth_date": c["birth_date"],
                              "address": {"line1": c["line1"], "line2": c["line2"],
                                          "postal_code": c["postal_code"], "city": c["city"]}},
                 "harms": {"description": c["description"]}}
        r = F.claim_request(self.client, "PATCH", ra["reference"], ra["token"], patch)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["claimant"]["given_name"], c["given_name"])
        # a refused correction (collides with d's claim below) leaves nothing either
        r = F.submit(self.client, self.slug, body_of(d))
        self.assertEqual(r.status, 201, repr(r))
        rd = r.json()
        tokens.append(rd["token"])
        refs.append(rd["reference"])
        r = F.claim_request(self.client, "PATCH", ra["reference"], ra["token"],
                            {"claimant": {"email": d["email"]}})
        assert_problem(self, r, 409, "duplicate-claim")

        # withdrawn
        r = F.claim_request(self.client, "DELETE", rd["reference"], rd["token"])
        self.assertEqual(r.status, 200, repr(r))
        r = F.claim_request(self.client, "GET", rd["reference"], rd["token"])
        self.assertEqual(r.status, 200, repr(r))

        # refused by validation, and malformed JSON, with personal data inside
        e = person_markers()
        r = F.submit(self.client, self.slug, body_of(e, claimant={"phone": "not a phone " +
                                                                  e["phone_digits"]}))
        F.errors_of(self, r)
        self.assertNotIn(e["given_name"].encode(), r.body)
        f = person_markers()
        broken = json.dumps(body_of(f)).encode()[:-40]
        r = F.submit(self.client, self.slug, broken)
        assert_problem(self, r, 400, "malformed-json")
        self.assertNotIn(f["email"].encode(), r.body)
        self.assertNotIn(f["line1"].encode(), r.body)
        g = person_markers()
        dup_keys = json.dumps(body_of(g))[:-1] + ', "payment_preference": "' + g["city"] + '"}'
        r = F.submit(self.client, self.slug, dup_keys)
        assert_problem(self, r, 400, "malformed-json")
        self.assertNotIn(g["city"].encode(), r.body)

        # one more accepted claim without a key, so claims holds more than one row
        h = person_markers()
        r = F.submit(self.client, self.slug, body_of(h))
        self.assertEqual(r.status, 201, repr(r))
        tokens.append(r.json()["token"])
        refs.append(r.json()["reference"])

        markers = set()
        for m in (a, b, c, d, e, f, g, h):
            markers |= needles(m)
        return markers, tokens, refs

    def assert_absent(self, text, strings, where):
        low = text.lower()
        for s in sorted(strings):
            self.assertNotIn(s.lower(), low, f"{s!r} found in {where}")
            hexed = s.encode("utf-8").hex()
            if len(hexed) >= 12:
                self.assertNotIn(hexed, low, f"{s!r} found hex-encoded in {where}")

    def test_no_personal_data_at_rest_or_in_logs(self):
        markers, tokens, refs = self.exercise()
        self.assertEqual(F.count_claims(self.slug), 3)
        self.assertEqual(F.count_duplicates_on(self.slug), 2)
        inc = F.incident_id(self.slug)
        since = F.sql_literal(self.started)
        dumps = {
            "claims": F.psql_text(f"SELECT * FROM claims WHERE incident_id = {inc}"),
            "claims.pii escaped": F.psql_text(
                f"SELECT encode(pii, 'escape') FROM claims WHERE incident_id = {inc}"),
            "claim_duplicates": F.psql_text(
                f"SELECT * FROM claim_duplicates WHERE incident_id = {inc}"),
            "claim_duplicates.pii escaped": F.psql_text(
                f"SELECT encode(pii, 'escape') FROM claim_duplicates WHERE incident_id = {inc}"),
            "idempotency_keys": F.psql_text(
                f"SELECT * FROM idempotency_keys WHERE created_at >= {since}::timestamptz"),
            "idempotency_keys.response escaped": F.psql_text(
                "SELECT encode(response, 'escape') FROM idempotency_keys"
                f" WHERE created_at >= {since}::timestamptz"),
        }
        # the dumps are not empty: what they show is sealed, not missing
        self.assertEqual(len(dumps["claims"].strip().splitlines()), 3)
        self.assertEqual(len(dumps["claim_duplicates"].strip().splitlines()), 2)
        self.assertGreaterEqual(len(dumps["idempotency_keys"].strip().splitlines()), 2)
        for where, text in dumps.items():
            with self.subTest(where=where):
                self.assert_absent(text, markers, where)
                self.assert_absent(text, tokens, where)

        # every claim reads back whole through the API, so the data is there, sealed
        log = self.server.log_text()
        self.assertIn('"route"', log)
        self.assert_absent(log, markers, "the server log")
        self.assert_absent(log, tokens, "the server log")
        for ref in refs:
            self.assertNotIn(ref, log, "a claim reference in the server log")

    def test_the_token_is_stored_only_as_a_keyed_hash(self):
        body = claim_body()
        r = F.submit(self.client, self.slug, body)
        self.assertEqual(r.status, 201, repr(r))
        receipt = r.json()
        rows = F.psql("SELECT encode(token_hash, 'hex'), octet_length(token_hash),"
                      "       encode(sha256(convert_to(" + F.sql_literal(receipt["token"])
                      + ", 'UTF8')), 'hex')"
                      " FROM claims WHERE reference = " + F.sql_literal(receipt["reference"]))
        self.assertEqual(len(rows), 1)
        stored, length, bare = rows[0]
        self.assertEqual(length, "32")
        self.assertNotEqual(stored, bare, "the token is stored as a bare SHA-256")
        self.assertNotIn(receipt["token"], F.psql_text(
            "SELECT * FROM claims WHERE reference = " + F.sql_literal(receipt["reference"])))


if __name__ == "__main__":
    harness.main()
