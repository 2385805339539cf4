#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""POST /v1/incidents/{slug}/claims (docs/api.md §1, §4, §5, §8.6, §9): the 201 receipt, every
validation rule of §9.1 one at a time from a valid body (the answer must hold that error and no
other), a request with many errors getting all of them, the incident's state (unknown, closed),
media type, malformed JSON and the body limit.

One server for the file, started without the public-POST rate limit; each test makes its own
incident.
"""

import datetime
import json

import harness
from harness import RawConnection, assert_problem
import claims_fixtures as F
from claims_fixtures import DROP, claim_body

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_BODY = 64 * 1024


def luhn_mod32_ok(reference):
    """Luhn mod N (N = 32) over the 8 symbols of RC-XXXX-XXXX, check symbol last."""
    values = [CROCKFORD.index(ch) for ch in reference[3:7] + reference[8:12]]
    total, factor = 0, 1
    for v in reversed(values):
        a = factor * v
        total += a // 32 + a % 32
        factor = 2 if factor == 1 else 1
    return total % 32 == 0


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


class ClaimsSubmitTest(F.IncidentTestCase):

    # --- helpers ---------------------------------------------------------------------------

    def submit(self, body, **kw):
        return F.submit(self.client, self.slug, body, **kw)

    def assert_created(self, body, what=""):
        r = self.submit(body)
        self.assertEqual(r.status, 201, f"{what}: expected 201, got {r!r}")
        return r.json()

    def assert_only_error(self, body, field, code, what=""):
        """The answer is 422 validation-error with exactly this one error."""
        r = self.submit(body)
        errors = F.errors_of(self, r)
        self.assertEqual(errors, {(field, code)}, f"{what}: errors of {r.body[:600]!r}")

    def assert_has_error(self, body, field, code, what=""):
        r = self.submit(body)
        errors = F.errors_of(self, r)
        self.assertIn((field, code), errors, f"{what}: errors of {r.body[:600]!r}")
        return errors

    def view(self, receipt):
        r = F.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, f"claim view: {r!r}")
        return r.json()

    # --- the receipt -----------------------------------------------------------------------

    def test_receipt_shape(self):
        r = self.submit(claim_body())
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.media_type, "application/json")
        self.assertIn("charset=utf-8", r.content_type.lower().replace(" ", ""))
        doc = r.json()
        self.assertEqual(set(doc), {"reference", "token", "status", "incident", "action_id",
                                    "created_at"}, doc)
        self.assertRegex(doc["reference"], F.REFERENCE_RE)
        self.assertTrue(luhn_mod32_ok(doc["reference"]),
                        f"check symbol of {doc['reference']} is not Luhn mod 32")
        self.assertIsInstance(doc["token"], str)
        self.assertRegex(doc["token"], F.TOKEN_RE)
        self.assertEqual(doc["status"], "received")
        self.assertEqual(doc["incident"], self.slug)
        self.assertIsNone(doc["action_id"])
        self.assertRegex(doc["created_at"], F.TIME_RE)
        created = datetime.datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - created).total_seconds()), 300, "created_at is not now")
        self.assertEqual(r.headers.get("Location"), "/v1/claims/" + doc["reference"])
        self.assertEqual(F.count_claims(self.slug), 1)

    def test_receipts_differ_per_claim(self):
        seen_refs, seen_tokens = set(), set()
        for _ in range(5):
            doc = self.assert_created(claim_body())
            seen_refs.add(doc["reference"])
            seen_tokens.add(doc["token"])
        self.assertEqual(len(seen_refs), 5)
        self.assertEqual(len(seen_tokens), 5)

    def test_optional_members_absent_or_null_are_accepted(self):
        for what, over in (
                ("no phone", {"claimant": {"phone": DROP}}),
                ("null phone", {"claimant": {"phone": None}}),
                ("no birth date", {"claimant": {"birth_date": DROP}}),
                ("null birth date", {"claimant": {"birth_date": None}}),
                ("no line2", {"claimant": {"address": {"line2": DROP}}}),
                ("line2 given", {"claimant": {"address": {"line2": "Bâtiment B"}}}),
                ("no harms", {"harms": DROP}),
                ("null harms", {"harms": None}),
                ("empty harms", {"harms": {}}),
                ("null action_id", {"action_id": None}),
                ("cash", {"payment_preference": "cash"}),
                ("charset in content type", {})):
            with self.subTest(what):
                body = claim_body(**over)
                headers = {"Content-Type": "application/json; charset=utf-8"} \
                    if what == "charset in content type" else None
                r = F.submit(self.client, self.slug, json.dumps(body), headers=headers)
                self.assertEqual(r.status, 201, f"{what}: {r!r}")

    # --- unknown members and types ---------------------------------------------------------

    def test_unknown_members_at_every_level(self):
        cases = (
            ({"nickname": "x"}, "nickname"),
            ({"claimant": {"nickname": "x"}}, "claimant.nickname"),
            ({"claimant": {"address": {"floor": 3}}}, "claimant.address.floor"),
            ({"harms": {"pets": True}}, "harms.pets"),
            ({"reference": "RC-0000-0000"}, "reference"),
            ({"token": "x"}, "token"),
            ({"status": "verified"}, "status"),
        )
        for over, field in cases:
            with self.subTest(field=field):
                self.assert_only_error(claim_body(**over), field, "unknown-field", field)

    def test_wrong_json_types(self):
        cases = (
            ({"claimant": "Hélène"}, "claimant"),
            ({"claimant": {"given_name": 5}}, "claimant.given_name"),
            ({"claimant": {"family_name": ["Dupont"]}}, "claimant.family_name"),
            ({"claimant": {"email": {"a": 1}}}, "claimant.email"),
            ({"claimant": {"phone": 612345678}}, "claimant.phone"),
            ({"claimant": {"birth_date": 19800412}}, "claimant.birth_date"),
            ({"claimant": {"address": "12 rue de Rivoli"}}, "claimant.address"),
            ({"claimant": {"address": {"line1": True}}}, "claimant.address.line1"),
            ({"claimant": {"address": {"line2": 2}}}, "claimant.address.line2"),
            ({"claimant": {"address": {"postal_code": 75001}}}, "claimant.address.postal_code"),
            ({"claimant": {"address": {"city": ["Paris"]}}}, "claimant.address.city"),
            ({"claimant": {"address": {"country": 250}}}, "claimant.address.country"),
            ({"data_categories": "email"}, "data_categories"),
            ({"data_categories": {"0": "email"}}, "data_categories"),
            ({"data_categories": ["email", 3]}, "data_categories[1]"),
            ({"harms": ["phishing"]}, "harms"),
            ({"harms": {"phishing": "yes"}}, "harms.phishing"),
            ({"harms": {"identity_theft": 1}}, "harms.identity_theft"),
            ({"harms": {"distress": "false"}}, "harms.distress"),
            ({"harms": {"documented_loss": "12000"}}, "harms.documented_loss"),
            ({"harms": {"documented_loss": 1.5}}, "harms.documented_loss"),
            ({"harms": {"hours_spent": True}}, "harms.hours_spent"),
            ({"harms": {"hours_spent": 2.5}}, "harms.hours_spent"),
            ({"harms": {"description": 42}}, "harms.description"),
            ({"payment_preference": 1}, "payment_preference"),
            ({"privacy_notice_version": 2026}, "privacy_notice_version"),
        )
        for over, field in cases:
            with self.subTest(field=field, value=repr(over)[:60]):
                self.assert_only_error(claim_body(**over), field, "invalid-type", field)

    # --- required members ------------------------------------------------------------------

    def test_required_members(self):
        cases = (
            ({"claimant": DROP}, "claimant"),
            ({"claimant": None}, "claimant"),
            ({"claimant": {"given_name": DROP}}, "claimant.given_name"),
            ({"claimant": {"given_name": None}}, "claimant.given_name"),
            ({"claimant": {"given_name": ""}}, "claimant.given_name"),
            ({"claimant": {"given_name": "   "}}, "claimant.given_name"),
            ({"claimant": {"family_name": DROP}}, "claimant.family_name"),
            ({"claimant": {"family_name": " \t "}}, "claimant.family_name"),
            ({"claimant": {"email": DROP}}, "claimant.email"),
            ({"claimant": {"email": None}}, "claimant.email"),
            ({"claimant": {"email": "  "}}, "claimant.email"),
            ({"claimant": {"address": DROP}}, "claimant.address"),
            ({"claimant": {"address": {"line1": DROP}}}, "claimant.address.line1"),
            ({"claimant": {"address": {"line1": " "}}}, "claimant.address.line1"),
            ({"claimant": {"address": {"postal_code": DROP}}}, "claimant.address.postal_code"),
            ({"claimant": {"address": {"city": None}}}, "claimant.address.city"),
            ({"data_categories": DROP}, "data_categories"),
            ({"data_categories": None}, "data_categories"),
            ({"payment_preference": DROP}, "payment_preference"),
            ({"privacy_notice_version": DROP}, "privacy_notice_version"),
        )
        for over, field in cases:
            with self.subTest(field=field, value=repr(over)[:60]):
                self.assert_only_error(claim_body(**over), field, "required", field)

    def test_missing_country_is_required_and_national_phone_then_unreadable(self):
        body = claim_body(claimant={"phone": "06 12 34 56 78", "address": {"country": DROP}})
        r = self.submit(body)
        self.assertEqual(F.errors_of(self, r), {("claimant.address.country", "required"),
                                                ("claimant.phone", "invalid-format")})

    # --- names -----------------------------------------------------------------------------

    def test_names_length(self):
        for field in ("given_name", "family_name"):
            with self.subTest(field=field):
                self.assert_only_error(claim_body(claimant={field: "A" * 101}),
                                       "claimant." + field, "too-long", "101 letters")
                self.assert_only_error(claim_body(claimant={field: "é" * 101}),
                                       "claimant." + field, "too-long", "101 code points")
                self.assert_created(claim_body(claimant={field: "B" * 100}), "100 letters")
                self.assert_created(claim_body(claimant={field: "  " + "é" * 100 + "  "}),
                                    "100 code points once trimmed")

    def test_names_control_characters(self):
        for field in ("given_name", "family_name"):
            for bad in ("Ann\u0007e", "Ann\te", "Ann\ne", "Ann\u007fe", "Ann\u0085e"):
                with self.subTest(field=field, value=bad):
                    self.assert_only_error(claim_body(claimant={field: bad}),
                                           "claimant." + field, "invalid-format", repr(bad))

    def test_names_with_nothing_but_spaces_marks_or_separators_are_refused(self):
        # docs/api.md §5.4: blank counts as missing. Blank is not only ASCII: a no-break or
        # ideographic space, a zero-width or soft hyphen, a lone combining accent or a lone
        # hyphen names no one, and must be a 422 on the name whether or not a birth date
        # (which makes the identity key) comes with it — never a 500, never a 201.
        for field in ("given_name", "family_name"):
            for value in ("\u00a0", "\u3000", "\u200b", "\u00ad", "\u0301", "-", "'"):
                for birth_date in ("1980-04-12", None):
                    with self.subTest(field=field, value=value, birth_date=birth_date):
                        r = self.submit(claim_body(claimant={field: value,
                                                             "birth_date": birth_date}))
                        errors = F.errors_of(self, r)
                        self.assertEqual({f for f, _ in errors}, {"claimant." + field},
                                         errors)
                        self.assertLessEqual({c for _, c in errors},
                                             {"required", "invalid-format"}, errors)
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_names_with_punctuation_and_letters_are_accepted(self):
        for given, family in (("Jean-Luc", "O'Brien"), ("Ōno", "Ā"), ("X", "Y"),
                              ("Mary Ann", "d'Artagnan-Blanc")):
            with self.subTest(given=given, family=family):
                self.assert_created(claim_body(claimant={"given_name": given,
                                                         "family_name": family}))

    def test_long_cjk_names_with_birth_date_are_accepted(self):
        # 100 code points each is within the rule; the identity key (docs/api.md §9.3) must be made
        # whatever the script, not only for Latin names.
        body = claim_body(claimant={"given_name": "語" * 100, "family_name": "漢" * 100})
        self.assert_created(body, "100 + 100 CJK code points with a birth date")
        body = claim_body(claimant={"given_name": "한" * 100, "family_name": "국" * 100})
        self.assert_created(body, "100 + 100 Hangul code points with a birth date")
        # U+FDFA expands to 18 code points under NFKD, the most of any character
        body = claim_body(claimant={"given_name": "\ufdfa" * 100, "family_name": "\ufdfa" * 100})
        self.assert_created(body, "100 + 100 U+FDFA with a birth date")

    # --- email -----------------------------------------------------------------------------

    def test_email_format(self):
        for bad in ("not-an-email", "a@b", "a@@example.org", "@example.org", "a@example.",
                    "a b@example.org", "a@exa mple.org", "a..b@example.org", ".a@example.org",
                    "a@-example.org", "a@example.c", "a@example.org>", "a@example.org.",
                    "a@.example.org"):
            with self.subTest(email=bad):
                self.assert_only_error(claim_body(claimant={"email": bad}), "claimant.email",
                                       "invalid-format", bad)

    def test_email_trimmed_and_length(self):
        self.assert_created(claim_body(claimant={"email": "  " + F.unique_email() + "  "}),
                            "email with spaces around")
        local = F.suffix(60)
        domain = ".".join(["d" + F.suffix(40)] * 4)[:190] + ".org"
        long_ok = f"{local}@{domain}"
        self.assertLessEqual(len(long_ok), 254)
        self.assert_created(claim_body(claimant={"email": long_ok}), f"{len(long_ok)} chars")
        too_long = local + "@" + ("a" * 60 + ".") * 3 + "b" * 20 + ".org"  # 60+1+183+4 > 254
        self.assertGreater(len(too_long), 254)
        r = self.submit(claim_body(claimant={"email": too_long}))
        errors = F.errors_of(self, r)
        self.assertEqual(len(errors), 1, errors)
        self.assertIn(next(iter(errors)), {("claimant.email", "too-long"),
                                           ("claimant.email", "invalid-format")})

    # --- phone -----------------------------------------------------------------------------

    def test_phone_format(self):
        for bad in ("hello", "12", "+", "+33 6 12", "06 12 34 56 78 ext 2", "+1 055 555 0100",
                    "+33 6 12 34 56 78 90 12", "06-12-34-56-78x", "++33612345678"):
            with self.subTest(phone=bad):
                self.assert_only_error(claim_body(claimant={"phone": bad}), "claimant.phone",
                                       "invalid-format", bad)

    def test_phone_accepted_forms(self):
        for good in ("+33 6 12 34 56 78", "06 12 34 56 78", "06.12.34.56.78", "0033612345678",
                     "+33 (0)6 12 34 56 78"):
            with self.subTest(phone=good):
                # the same number each time: a fresh incident per form avoids the phone key
                slug = F.make_incident(self.server)
                r = F.submit(self.client, slug, claim_body(claimant={"phone": good}))
                self.assertEqual(r.status, 201, f"{good}: {r!r}")
                self.assertEqual(self.view(r.json())["claimant"]["phone"], "+33612345678")

    def test_national_phone_reads_in_the_address_country(self):
        # a Belgian national mobile number: valid in BE
        r = self.submit(claim_body(claimant={"phone": "0470 12 34 56",
                                             "address": {"country": "BE"}}))
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(self.view(r.json())["claimant"]["phone"], "+32470123456")

    def test_national_phone_without_a_valid_country(self):
        body = claim_body(claimant={"phone": "06 12 34 56 78", "address": {"country": "XX"}})
        r = self.submit(body)
        self.assertEqual(F.errors_of(self, r), {("claimant.address.country", "invalid-value"),
                                                ("claimant.phone", "invalid-format")})

    # --- birth date ------------------------------------------------------------------------

    def test_birth_date(self):
        future = (utc_today() + datetime.timedelta(days=2)).isoformat()
        far_future = "2999-01-01"
        for value in (future, far_future, "1899-12-31", "1000-01-01"):
            with self.subTest(birth_date=value):
                self.assert_only_error(claim_body(claimant={"birth_date": value}),
                                       "claimant.birth_date", "out-of-range", value)
        for value in ("2026-02-30", "1980-13-01", "1980-00-10", "1980-04-31", "1981-02-29",
                      "12/04/1980", "1980-4-12", "1980-04-12T00:00:00Z", "", "yesterday"):
            with self.subTest(birth_date=value):
                self.assert_only_error(claim_body(claimant={"birth_date": value}),
                                       "claimant.birth_date", "invalid-format", value)
        for value in ("1900-01-01", "1980-02-29",
                      (utc_today() - datetime.timedelta(days=2)).isoformat()):
            with self.subTest(birth_date=value):
                self.assert_created(claim_body(claimant={"birth_date": value}), value)

    # --- address ---------------------------------------------------------------------------

    def test_address_lengths(self):
        for key, limit in (("line1", 200), ("line2", 200), ("postal_code", 20), ("city", 100)):
            with self.subTest(member=key):
                self.assert_only_error(claim_body(claimant={"address": {key: "x" * (limit + 1)}}),
                                       "claimant.address." + key, "too-long", key)
                # (a postal code of letters where its form is not checked: domain/postal_codes.c)
                address = {key: "ü" * limit, "country": "GB" if key == "postal_code" else "FR"}
                self.assert_created(claim_body(claimant={"address": address}),
                                    f"{key} of {limit} code points")

    def test_address_members_with_nothing_to_write_to_are_refused(self):
        # Counsel writes to these addresses: a no-break space, a zero-width space, a lone
        # accent or punctuation alone is blank (required → "required", line2 → "too-short").
        for key, code in (("line1", "required"), ("postal_code", "required"),
                          ("city", "required"), ("line2", "too-short")):
            for value in ("\u00a0", "\u200b", "\u3000", "\u0301", "-", ".,"):
                with self.subTest(member=key, value=value):
                    self.assert_only_error(claim_body(claimant={"address": {key: value}}),
                                           "claimant.address." + key, code, repr(value))
        self.assertEqual(F.count_claims(self.slug), 0)
        # (Arabic-Indic digits in a country whose codes' form is not checked: a French code
        # is 5 ASCII digits, domain/postal_codes.c)
        for key, value, country in (("line1", "12", "FR"), ("postal_code", "\u0663\u0663", "EG"),
                                    ("city", "\uc11c\uc6b8", "FR"), ("line2", "B", "FR")):
            with self.subTest(member=key, value=value):
                self.assert_created(
                    claim_body(claimant={"address": {key: value, "country": country}}), value)

    def test_blank_optional_address_members_say_how_to_say_none(self):
        # As every optional string of the API (docs/api.md §5.4): too-short, with the words
        # that say how to say none, for line2 and for the postal code where the country has none.
        hong_kong = {"line1": "1 Queen's Road Central", "city": "Hong Kong", "country": "HK"}
        for address, key in (({"line2": "\u00a0"}, "line2"), ({"line2": "-"}, "line2"),
                             ({"line2": " "}, "line2"),
                             (dict(hong_kong, postal_code="\u00a0"), "postal_code")):
            with self.subTest(address=address):
                r = self.submit(claim_body(claimant={"address": address, "phone": DROP}))
                self.assertEqual(F.errors_of(self, r), {("claimant.address." + key, "too-short")})
                message = r.json()["errors"][0]["message"]
                self.assertEqual(message, "is empty: omit the member, or send null, for none")
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_address_control_characters(self):
        self.assert_only_error(claim_body(claimant={"address": {"city": "Pa\u0001ris"}}),
                               "claimant.address.city", "invalid-format")

    def test_country(self):
        for bad in ("XX", "ZZ", "UK", "EU", "F", "12"):
            with self.subTest(country=bad):
                self.assert_only_error(claim_body(claimant={"address": {"country": bad},
                                                            "phone": DROP}),
                                       "claimant.address.country", "invalid-value", bad)
        receipt = self.assert_created(claim_body(claimant={"address": {"country": "fr"}}),
                                      "lower-case fr")
        self.assertEqual(self.view(receipt)["claimant"]["address"]["country"], "FR")
        stored = F.psql("SELECT country FROM claims WHERE reference = "
                        + F.sql_literal(receipt["reference"]))
        self.assertEqual(stored, [["FR"]])
        receipt = self.assert_created(claim_body(claimant={"address": {"country": "Be"},
                                                           "phone": DROP}), "mixed-case Be")
        self.assertEqual(self.view(receipt)["claimant"]["address"]["country"], "BE")

    def test_country_of_three_letters_is_invalid_value(self):
        # docs/api.md §9.1: not an assigned alpha-2 code → invalid-value, whatever its length
        for bad in ("FRA", "fra"):
            with self.subTest(country=bad):
                self.assert_only_error(claim_body(claimant={"address": {"country": bad},
                                                            "phone": DROP}),
                                       "claimant.address.country", "invalid-value", bad)

    # --- data categories -------------------------------------------------------------------

    def test_data_categories(self):
        self.assert_only_error(claim_body(data_categories=[]), "data_categories", "too-short")
        self.assert_only_error(claim_body(data_categories=["email", "nope"]),
                               "data_categories[1]", "invalid-value")
        self.assert_only_error(claim_body(data_categories=["Email"]),
                               "data_categories[0]", "invalid-value")
        self.assert_only_error(claim_body(data_categories=["email", "password", "email"]),
                               "data_categories[2]", "duplicate-value")
        self.assert_only_error(claim_body(data_categories=["email", "health"]),
                               "data_categories[1]", "not-in-incident")
        self.assert_only_error(claim_body(data_categories=["biometric", "email"]),
                               "data_categories[0]", "not-in-incident")
        r = self.submit(claim_body(data_categories=["nope", "health", "email", "email", 7]))
        self.assertEqual(F.errors_of(self, r), {("data_categories[0]", "invalid-value"),
                                                ("data_categories[1]", "not-in-incident"),
                                                ("data_categories[3]", "duplicate-value"),
                                                ("data_categories[4]", "invalid-type")})
        receipt = self.assert_created(claim_body(data_categories=list(
            reversed(F.INCIDENT_CATEGORIES))), "every category of the incident, reversed")
        self.assertEqual(self.view(receipt)["data_categories"], F.INCIDENT_CATEGORIES)

    def test_every_category_of_the_vocabulary_on_a_full_incident(self):
        vocabulary = ["name", "email", "phone", "postal_address", "birth_date", "password",
                      "financial", "national_id", "health", "order_history", "location",
                      "biometric"]
        slug = F.make_incident(self.server, data_categories=vocabulary)
        r = F.submit(self.client, slug, claim_body(data_categories=vocabulary))
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(self.view(r.json())["data_categories"], vocabulary)

    # --- harms -----------------------------------------------------------------------------

    def test_harms_ranges(self):
        for key, value in (("documented_loss", -1), ("documented_loss", 10 ** 10 + 1),
                           ("documented_loss", 2 ** 62), ("hours_spent", -1),
                           ("hours_spent", 1001)):
            with self.subTest(member=key, value=value):
                self.assert_only_error(claim_body(harms={key: value}), "harms." + key,
                                       "out-of-range", f"{key}={value}")
        for key, value in (("documented_loss", 0), ("documented_loss", 10 ** 10),
                           ("hours_spent", 0), ("hours_spent", 1000)):
            with self.subTest(member=key, value=value):
                receipt = self.assert_created(claim_body(harms={key: value}), f"{key}={value}")
                self.assertEqual(self.view(receipt)["harms"][key], value)

    def test_harms_description_length_in_code_points(self):
        # 2-, 3- and 4-byte characters: the limit counts code points, not bytes
        unit = "é€😀a"
        text_4000 = unit * 1000
        text_4001 = text_4000 + "ü"
        self.assertEqual(len(text_4000), 4000)
        self.assert_only_error(claim_body(harms={"description": text_4001}),
                               "harms.description", "too-long", "4001 code points")
        receipt = self.assert_created(claim_body(harms={"description": text_4000}),
                                      "4000 code points")
        self.assertEqual(self.view(receipt)["harms"]["description"], text_4000)

    def test_harms_description_line_breaks_and_tabs(self):
        text = "First line\nsecond\tline\n\n\tindented"
        receipt = self.assert_created(claim_body(harms={"description": text}))
        self.assertEqual(self.view(receipt)["harms"]["description"], text)

    def test_harms_description_other_control_characters(self):
        # docs/api.md §9.1: `\n` and `\t` are the only control characters allowed
        for bad in ("bell\u0007", "esc\u001b[31m", "del\u007f", "nel\u0085", "vt\u000b"):
            with self.subTest(value=bad):
                r = self.submit(claim_body(harms={"description": bad}))
                errors = F.errors_of(self, r)
                self.assertEqual({f for f, _ in errors}, {"harms.description"}, errors)

    def test_harms_description_line_breaks_of_any_system(self):
        # docs/api.md §8.8: CR LF (Windows, every browser's form post) and a lone CR are line
        # breaks, stored and returned as LF; they count one character each against the 4,000
        for sent, kept in (("first\r\nsecond", "first\nsecond"),
                           ("a\rb\r\n\r\nc\td", "a\nb\n\nc\td")):
            with self.subTest(sent=sent):
                receipt = self.assert_created(claim_body(harms={"description": sent}))
                self.assertEqual(self.view(receipt)["harms"]["description"], kept)
        receipt = self.assert_created(claim_body(harms={"description": "x\r\n" * 2000}))
        self.assertEqual(self.view(receipt)["harms"]["description"], "x\n" * 2000)

    def test_harms_defaults(self):
        receipt = self.assert_created(claim_body(harms=None))
        self.assertEqual(self.view(receipt)["harms"], {
            "phishing": False, "identity_theft": False, "distress": False,
            "documented_loss": 0, "hours_spent": 0, "description": ""})

    # --- the rest --------------------------------------------------------------------------

    def test_payment_preference(self):
        for bad in ("bank", "VOUCHER", "", "cash "):
            with self.subTest(value=bad):
                r = self.submit(claim_body(payment_preference=bad))
                errors = F.errors_of(self, r)
                self.assertEqual(len(errors), 1, errors)
                self.assertIn(next(iter(errors)), {("payment_preference", "invalid-value"),
                                                   ("payment_preference", "required")})
        self.assert_only_error(claim_body(payment_preference="bank"), "payment_preference",
                               "invalid-value")

    def test_privacy_notice_version(self):
        self.assert_only_error(claim_body(privacy_notice_version="2025-01"),
                               "privacy_notice_version", "mismatch")
        r = F.operator_request(self.server, "GET", f"/v1/incidents/{self.slug}")
        self.assertEqual(r.json()["privacy_notice_version"], F.NOTICE_VERSION)

    def test_action_id(self):
        self.assert_has_error(claim_body(action_id="0b6d3c1e-0000-4000-8000-000000000001",
                                         mandate_text_version="2026-03-a"),
                              "action_id", "unavailable")
        self.assert_has_error(claim_body(action_id="0b6d3c1e-0000-4000-8000-000000000001"),
                              "mandate_text_version", "required")
        self.assert_only_error(claim_body(action_id=7, mandate_text_version="v"), "action_id",
                               "invalid-type")

    def test_many_errors_at_once(self):
        body = {
            "claimant": {
                "given_name": "  ",
                "family_name": "D" * 101,
                "email": "not-an-email",
                "phone": "abc",
                "birth_date": "2026-02-30",
                "nickname": "x",
                "address": {"line1": "", "postal_code": "7" * 21, "city": 5,
                            "country": "XX", "floor": 2},
            },
            "data_categories": ["email", "nope", "email", "health"],
            "harms": {"phishing": "yes", "documented_loss": -1, "hours_spent": 1001,
                      "description": "x" * 4001, "pets": 1},
            "payment_preference": "bank",
            "privacy_notice_version": "1999-01",
            "extra": True,
        }
        r = self.submit(body)
        self.assertEqual(F.errors_of(self, r), {
            ("extra", "unknown-field"),
            ("claimant.nickname", "unknown-field"),
            ("claimant.given_name", "required"),
            ("claimant.family_name", "too-long"),
            ("claimant.email", "invalid-format"),
            ("claimant.phone", "invalid-format"),
            ("claimant.birth_date", "invalid-format"),
            ("claimant.address.floor", "unknown-field"),
            ("claimant.address.line1", "required"),
            ("claimant.address.postal_code", "too-long"),
            ("claimant.address.city", "invalid-type"),
            ("claimant.address.country", "invalid-value"),
            ("data_categories[1]", "invalid-value"),
            ("data_categories[2]", "duplicate-value"),
            ("data_categories[3]", "not-in-incident"),
            ("harms.pets", "unknown-field"),
            ("harms.phishing", "invalid-type"),
            ("harms.documented_loss", "out-of-range"),
            ("harms.hours_spent", "out-of-range"),
            ("harms.description", "too-long"),
            ("payment_preference", "invalid-value"),
            ("privacy_notice_version", "mismatch"),
        })
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_validation_error_stores_nothing_and_echoes_no_value(self):
        marker = "Zq" + F.letters(12)
        body = claim_body(claimant={"given_name": marker + "\u0007",
                                    "email": marker + "@@example.org"})
        r = self.submit(body)
        F.errors_of(self, r)
        self.assertNotIn(marker.encode(), r.body)
        self.assertEqual(F.count_claims(self.slug), 0)

    # --- the incident ----------------------------------------------------------------------

    def test_unknown_incident_is_404(self):
        for slug in ("no-such-incident-" + F.suffix(8), "UPPER-" + F.suffix(4), "x"):
            with self.subTest(slug=slug):
                r = F.submit(self.client, slug, claim_body())
                assert_problem(self, r, 404, "not-found")

    def test_closed_incident_is_409(self):
        first = self.assert_created(claim_body())
        F.close_incident(self.server, self.slug)
        r = self.submit(claim_body())
        assert_problem(self, r, 409, "incident-closed")
        self.assertEqual(F.count_claims(self.slug), 1)
        # reopened, it takes claims again
        r = F.operator_request(self.server, "PATCH", f"/v1/incidents/{self.slug}",
                               {"status": "open"})
        self.assertEqual(r.status, 200, repr(r))
        self.assert_created(claim_body())
        self.assertRegex(first["reference"], F.REFERENCE_RE)

    # --- media type, syntax, size ----------------------------------------------------------

    def test_unsupported_media_types(self):
        text = json.dumps(claim_body())
        for ctype in ("text/plain", "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x", "application/merge-patch+json",
                      "application/json; charset=latin-1", "application/jsonx"):
            with self.subTest(content_type=ctype):
                r = F.submit(self.client, self.slug, text, headers={"Content-Type": ctype})
                assert_problem(self, r, 415, "unsupported-media-type")
        r = self.client.request("POST", f"/v1/incidents/{self.slug}/claims",
                                body=text.encode())
        assert_problem(self, r, 415, "unsupported-media-type")
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_malformed_json(self):
        valid = json.dumps(claim_body())
        duplicate_keys = valid[:-1] + ', "payment_preference": "cash"}'
        nested_dup = json.dumps(claim_body()).replace(
            '"city": "Paris"', '"city": "Paris", "city": "Lyon"')
        self.assertIn('"city": "Lyon"', nested_dup)
        deep = valid[:-1] + ', "extra": ' + "[" * 40 + "]" * 40 + "}"
        for what, body in (
                ("truncated", valid[:-1].encode()),
                ("garbage", b"{not json"),
                ("duplicate keys", duplicate_keys.encode()),
                ("nested duplicate keys", nested_dup.encode()),
                ("array", json.dumps([claim_body()]).encode()),
                ("string", b'"claim"'),
                ("number", b"42"),
                ("null", b"null"),
                ("empty", b""),
                ("NUL in a string", valid.replace("Paris", "Par\\u0000is", 1).encode()),
                ("bad utf-8", valid.replace("Paris", "Par\udcffis", 1).encode(
                    "utf-8", "surrogateescape")),
                ("trailing garbage", valid.encode() + b" x"),
                ("two documents", valid.encode() + valid.encode()),
                ("too deep", deep.encode())):
            with self.subTest(what):
                r = F.submit(self.client, self.slug, body)
                assert_problem(self, r, 400, "malformed-json")
        self.assertEqual(F.count_claims(self.slug), 0)

    def _raw_head(self, length, extra=b""):
        return (f"POST /v1/incidents/{self.slug}/claims HTTP/1.1\r\n"
                f"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {length}\r\n").encode() + extra + b"\r\n"

    def test_body_over_64_kib_is_413_before_the_body(self):
        with RawConnection(self.server, timeout=10) as rc:
            rc.send(self._raw_head(MAX_BODY + 1, b"Expect: 100-continue\r\n"))
            r = rc.read_response("POST")
        assert_problem(self, r, 413, "payload-too-large")

    def test_body_of_exactly_64_kib_is_accepted(self):
        text = json.dumps(claim_body())
        padded = text[:-1] + " " * (MAX_BODY - len(text.encode())) + "}"
        self.assertEqual(len(padded.encode()), MAX_BODY)
        r = F.submit(self.client, self.slug, padded.encode())
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(F.count_claims(self.slug), 1)

    def test_chunked_body_over_64_kib_is_413(self):
        text = json.dumps(claim_body(harms={"description": "y" * 3000}))
        padded = text[:-1] + " " * (MAX_BODY + 100 - len(text)) + "}"
        data = padded.encode()
        head = (f"POST /v1/incidents/{self.slug}/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
        chunks = b""
        for i in range(0, len(data), 8192):
            piece = data[i:i + 8192]
            chunks += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        with RawConnection(self.server, timeout=10) as rc:
            rc.send(head + chunks + b"0\r\n\r\n")
            r = rc.read_response("POST")
        assert_problem(self, r, 413, "payload-too-large")
        self.assertEqual(F.count_claims(self.slug), 0)


if __name__ == "__main__":
    harness.main()
