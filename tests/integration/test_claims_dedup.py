#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deduplication of claims (docs/product.md §3, docs/api.md §9.3): the examples for the
identity, phone and email keys, what must not match (dots of non-gmail addresses, another
incident, a withdrawn claim, names without a birth date), refused submissions stored in
claim_duplicates and refused corrections not, and 50 racing submissions of one person of
which exactly one wins.

One server for the file, without the public-POST rate limit; each test makes its own incident.
"""

import threading

import harness
from harness import Client, assert_problem
import claims_fixtures as F
from claims_fixtures import DROP, claim_body

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def person(given, family, birth_date="1980-04-12", **claimant):
    """Overrides for a claimant with these names, fresh email and phone unless given."""
    over = {"given_name": given, "family_name": family, "birth_date": birth_date}
    over.update(claimant)
    return {"claimant": over}


# How many times a racing submission is sent while the server answers 503 (see _race).
RACE_RETRIES = 20


class ClaimsDedupTest(F.IncidentTestCase):
    def submit(self, body, slug=None):
        return F.submit(self.client, slug or self.slug, body)

    def created(self, body, slug=None, what=""):
        r = self.submit(body, slug)
        self.assertEqual(r.status, 201, f"{what}: expected 201, got {r!r}")
        return r.json()

    def assert_duplicate(self, body, slug=None, what=""):
        """409 duplicate-claim that names nothing of either person nor any reference."""
        r = self.submit(body, slug)
        doc = assert_problem(self, r, 409, "duplicate-claim")
        self.assertLessEqual(set(doc), PROBLEM_KEYS, f"{what}: members of {doc}")
        text = r.body.decode("utf-8")
        self.assertNotRegex(text, r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}", f"{what}: a reference in {doc}")
        claimant = body["claimant"]
        for value in (claimant.get("given_name"), claimant.get("family_name"),
                      claimant.get("email"), claimant.get("phone"), claimant.get("birth_date"),
                      claimant["address"]["line1"], claimant["address"]["city"]):
            if value and len(value.strip()) > 3:
                self.assertNotIn(value.strip().lower(), text.lower(),
                                 f"{what}: personal data in {doc}")
        self.assertNotIn("token", doc)
        return doc

    def view(self, receipt):
        r = F.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, repr(r))
        return r.json()

    # --- identity --------------------------------------------------------------------------

    def test_identity_spec_example(self):
        first = self.created(claim_body(**person("Hélène", "Dupont-Martin")))
        for what, given, family in (
                ("docs/product.md §3.1 example", "helene", "dupont  martin"),
                ("upper case, spaces around", "  HÉLÈNE ", " DUPONT-MARTIN "),
                ("decomposed accents", "He\u0301le\u0300ne", "Dupont-Martin"),
                ("en dash", "Hélène", "Dupont – Martin"),
                ("no separator left out", "hélène", "dupont martin")):
            with self.subTest(what):
                self.assert_duplicate(claim_body(**person(given, family)), what=what)
        self.assertEqual(F.count_claims(self.slug), 1)
        self.assertEqual(F.count_duplicates_of(first["reference"]), 5)

    def test_identity_needs_the_same_birth_date(self):
        self.created(claim_body(**person("Hélène", "Dupont-Martin")))
        self.created(claim_body(**person("Hélène", "Dupont-Martin", "1980-04-13")),
                     what="other birth date")
        self.created(claim_body(**person("Hélène", "Dupont-Martin", None)),
                     what="no birth date: names alone never match")
        self.created(claim_body(**person("Hélène", "Dupont-Martin", DROP)),
                     what="birth date absent")
        self.created(claim_body(**person("Hélène", "Dupont-Marti")), what="other family name")
        self.created(claim_body(**person("Hélèna", "Dupont-Martin")), what="other given name")
        self.assertEqual(F.count_claims(self.slug), 6)

    def test_given_and_family_name_are_not_interchangeable(self):
        self.created(claim_body(**person("Martin", "Dupont")))
        self.created(claim_body(**person("Dupont", "Martin")), what="names swapped")

    # --- phone -----------------------------------------------------------------------------

    def test_phone_spec_example(self):
        digits = F.unique_phone()[4:]  # the 8 digits after +336
        national = "06 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2))
        first = self.created(claim_body(claimant={"phone": national,
                                                  "address": {"country": "FR"}}))
        self.assertEqual(self.view(first)["claimant"]["phone"], "+336" + digits)
        for what, phone, country in (("E.164", "+336" + digits, "FR"),
                                     ("E.164 from elsewhere", "+33 6" + digits, "BE"),
                                     ("00 prefix", "00336" + digits, "FR"),
                                     ("(0) after the code", "+33 (0)6" + digits, "DE"),
                                     ("dots", "06." + ".".join(digits[i:i + 2]
                                                               for i in range(0, 8, 2)), "FR")):
            with self.subTest(what):
                self.assert_duplicate(claim_body(claimant={"phone": phone,
                                                           "address": {"country": country}}),
                                      what=what)
        self.assertEqual(F.count_duplicates_of(first["reference"]), 5)

    def test_same_national_digits_in_another_country_do_not_match(self):
        self.created(claim_body(claimant={"phone": "0470 12 34 56",
                                          "address": {"country": "BE"}}))
        # 0470123456 read in France is +33470123456, another line
        self.created(claim_body(claimant={"phone": "04 70 12 34 56",
                                          "address": {"country": "FR"}}))

    # --- email -----------------------------------------------------------------------------

    def test_gmail_spec_example(self):
        a, b = F.letters(6), F.letters(6)
        first = self.created(claim_body(claimant={"email": f"{a}.{b}+tag@gmail.com"}))
        for what, email in (("googlemail, no dots", f"{a}{b}@googlemail.com"),
                            ("other tag, more dots", f"{a[:3]}.{a[3:]}.{b}+other@gmail.com"),
                            ("upper case", f"{a.upper()}.{b.upper()}@GMAIL.COM"),
                            ("spaces around", f"  {a}{b}@gmail.com  ")):
            with self.subTest(what):
                self.assert_duplicate(claim_body(claimant={"email": email}), what=what)
        self.assertEqual(F.count_duplicates_of(first["reference"]), 4)

    def test_other_domains_keep_dots_and_tags(self):
        local = F.letters(8)
        self.created(claim_body(claimant={"email": f"{local[0]}.{local}@example.org"}))
        self.created(claim_body(claimant={"email": f"{local[0]}{local}@example.org"}),
                     what="the same without the dot is another mailbox")
        self.created(claim_body(claimant={"email": f"{local[0]}{local}+tag@example.org"}),
                     what="a +tag elsewhere is part of the address")
        self.assert_duplicate(claim_body(claimant={"email": f"{local[0].upper()}."
                                                            f"{local.upper()}@EXAMPLE.ORG"}),
                              what="case is not")
        self.assertEqual(F.count_claims(self.slug), 3)

    # --- scope -----------------------------------------------------------------------------

    def test_same_person_on_two_incidents(self):
        other = F.make_incident(self.server)
        body = claim_body(**person("Hélène", "Dupont-Martin"))
        self.created(body)
        self.created(body, slug=other, what="the same person on another incident")
        self.assertEqual(F.count_claims(self.slug), 1)
        self.assertEqual(F.count_claims(other), 1)
        self.assertEqual(F.count_duplicates_on(self.slug), 0)
        self.assertEqual(F.count_duplicates_on(other), 0)

    def test_withdrawn_claim_no_longer_counts(self):
        body = claim_body(**person("Hélène", "Dupont-Martin"))
        first = self.created(body)
        self.assert_duplicate(claim_body(claimant={"email": body["claimant"]["email"]}))
        r = F.claim_request(self.client, "DELETE", first["reference"], first["token"])
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["status"], "withdrawn")
        second = self.created(body, what="the same person after withdrawing")
        self.assertNotEqual(second["reference"], first["reference"])
        # the new claim is the active one now: a third is refused and linked to it
        self.assert_duplicate(claim_body(claimant={"phone": body["claimant"]["phone"]}))
        self.assertEqual(F.count_duplicates_of(first["reference"]), 1)
        self.assertEqual(F.count_duplicates_of(second["reference"]), 1)
        self.assertEqual(F.count_claims(self.slug), 2)
        self.assertEqual(F.count_claims(self.slug, "c.status = 'withdrawn'"), 1)

    # --- what is stored --------------------------------------------------------------------

    def test_refused_submissions_are_stored_refused_corrections_not(self):
        first_body = claim_body()
        first = self.created(first_body)
        other = self.created(claim_body())
        self.assert_duplicate(claim_body(claimant={"email": first_body["claimant"]["email"]}))
        self.assert_duplicate(claim_body(claimant={"phone": first_body["claimant"]["phone"]}))
        self.assertEqual(F.count_duplicates_of(first["reference"]), 2)
        rows = F.psql("SELECT d.incident_id, d.claim_id = c.id, d.pii IS NOT NULL,"
                      "       d.aad ~ '^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'"
                      " FROM claim_duplicates d JOIN claims c ON c.id = d.claim_id"
                      f" WHERE c.reference = {F.sql_literal(first['reference'])}")
        incident = str(F.incident_id(self.slug))
        self.assertEqual(rows, [[incident, "t", "t", "t"]] * 2)

        # a correction that would collide is refused, and not stored
        patch = {"claimant": {"email": first_body["claimant"]["email"]}}
        r = F.claim_request(self.client, "PATCH", other["reference"], other["token"], patch)
        assert_problem(self, r, 409, "duplicate-claim")
        patch = {"claimant": {"phone": first_body["claimant"]["phone"]}}
        r = F.claim_request(self.client, "PATCH", other["reference"], other["token"], patch)
        assert_problem(self, r, 409, "duplicate-claim")
        self.assertEqual(F.count_duplicates_of(first["reference"]), 2)
        self.assertEqual(F.count_duplicates_of(other["reference"]), 0)
        self.assertEqual(F.count_duplicates_on(self.slug), 2)

    def test_a_match_on_two_claims_is_stored_once(self):
        a_body, b_body = claim_body(), claim_body()
        a = self.created(a_body)
        b = self.created(b_body)
        # email of one, phone of the other
        self.assert_duplicate(claim_body(claimant={"email": a_body["claimant"]["email"],
                                                   "phone": b_body["claimant"]["phone"]}))
        self.assertEqual(F.count_duplicates_on(self.slug), 1)
        self.assertEqual(F.count_duplicates_of(a["reference"])
                         + F.count_duplicates_of(b["reference"]), 1)

    # --- races -----------------------------------------------------------------------------

    def _race(self, bodies):
        """Submits every body at once, each on its own connection; returns the statuses."""
        n = len(bodies)
        clients = [Client(self.server, timeout=30) for _ in range(n)]
        for c in clients:
            self.addCleanup(c.close)
            self.assertEqual(c.request("GET", "/healthz").status, 200)  # TLS set up first
        barrier = threading.Barrier(n)
        results = [None] * n

        def run(i):
            # A 503 (Retry-After) is the server's "not now": a worker's first database
            # connection may take longer than --db-connect-timeout on a loaded machine (seen
            # under ASan at load 20). The client sends the same submission again, as a real
            # one would, with its Idempotency-Key: if the first attempt did commit, the retry
            # replays its answer instead of meeting itself as a duplicate.
            key = f"race-{i}-{F.suffix(12)}"
            try:
                barrier.wait(timeout=30)
                for _ in range(RACE_RETRIES):
                    results[i] = F.submit(clients[i], self.slug, bodies[i], idem_key=key)
                    if results[i].status != 503:
                        break
            except BaseException as e:  # reported below
                results[i] = e

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for i, r in enumerate(results):
            self.assertIsInstance(r, harness.Response, f"request {i}: {r!r}")
        return results

    def assert_one_winner(self, results):
        statuses = [r.status for r in results]
        self.assertEqual(statuses.count(201), 1, f"statuses: {sorted(statuses)}")
        self.assertEqual(statuses.count(409), len(results) - 1, f"statuses: {sorted(statuses)}")
        for r in results:
            if r.status == 409:
                assert_problem(self, r, 409, "duplicate-claim")
        winner = next(r for r in results if r.status == 201).json()
        self.assertEqual(F.count_claims(self.slug), 1)
        self.assertEqual(F.count_duplicates_of(winner["reference"]), len(results) - 1)
        return winner

    def test_fifty_racing_submissions_same_phone(self):
        phone = F.unique_phone()
        bodies = [claim_body(claimant={"phone": phone}) for _ in range(50)]
        self.assert_one_winner(self._race(bodies))

    def test_fifty_racing_submissions_same_email(self):
        email = F.unique_email()
        bodies = [claim_body(claimant={"email": email}) for _ in range(50)]
        self.assert_one_winner(self._race(bodies))

    def test_fifty_racing_submissions_same_identity(self):
        bodies = [claim_body(**person("Hélène", "Dupont-Martin")) for _ in range(25)]
        bodies += [claim_body(**person("helene", "dupont martin")) for _ in range(25)]
        self.assert_one_winner(self._race(bodies))

    def test_racing_corrections_to_the_same_email(self):
        # two claims both corrected to one new address at once: at most one may hold it
        email = F.unique_email()
        receipts = [self.created(claim_body()) for _ in range(10)]
        clients = [Client(self.server, timeout=30) for _ in receipts]
        barrier = threading.Barrier(len(receipts))
        results = [None] * len(receipts)

        def run(i):
            try:
                barrier.wait(timeout=30)
                results[i] = F.claim_request(clients[i], "PATCH", receipts[i]["reference"],
                                             receipts[i]["token"],
                                             {"claimant": {"email": email}})
            except BaseException as e:
                results[i] = e
            finally:
                clients[i].close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(receipts))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(409), len(receipts) - 1, statuses)
        self.assertEqual(F.count_duplicates_on(self.slug), 0)


class ManyWritersRaceTest(F.IncidentTestCase):
    """The same race with 8 intake writers: racing submissions then land in different
    transactions and meet in the unique indexes, not inside one batch."""

    SERVER_ARGS = ("--intake-writers", "8", "--workers", "8")

    _race = ClaimsDedupTest._race
    assert_one_winner = ClaimsDedupTest.assert_one_winner

    def test_fifty_racing_submissions_same_phone_many_writers(self):
        for _ in range(3):
            self.slug = F.make_incident(self.server)
            phone = F.unique_phone()
            bodies = [claim_body(claimant={"phone": phone}) for _ in range(50)]
            self.assert_one_winner(self._race(bodies))


if __name__ == "__main__":
    harness.main()
