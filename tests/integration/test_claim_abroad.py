#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Victims the forms turned away for input a person would call valid (docs/web-forms.md,
docs/decisions.md "Postal code optional where a country has none"):

  - a claimant in Hong Kong (no postal codes) claims without one, through the API and the
    page without JavaScript; Belgium and Korea still need theirs; the member views, the
    association's list, the export (an empty CSV cell, null in NDJSON) and /my-claim cope;
  - amounts typed the French or the English way on the page ("50 €", "1 234,56 EUR",
    "1.234,56", "€50", "1,234.56") read as meant; ambiguous ones and another currency
    refused with their message; the API stays strict;
  - a birth date typed "12/03/1985" without a date picker is read day first and written out
    on the receipt; before 1900 or in the future refused with the range;
  - /confirm-email/... answers in the language the reader chose (?lang=, the cookie), 400
    for an unknown one, and names the claim it confirms (reference, incident);
  - /my-claim refuses a repeated field (400) as /claim does.
"""

import json
import re
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import export_fixtures as ef
import form_fixtures as ff
import harness
import mail_fixtures as mf
from harness import Client
from test_claim_form import REFERENCE_RE, TOKEN_RE, pairs_for, person

HONG_KONG = {"line1": "1 Queen's Road Central", "postal_code": cf.DROP, "city": "Hong Kong",
             "country": "HK"}


def hong_kong_body(**over):
    return cf.claim_body(claimant={"address": HONG_KONG}, **over)


def plain(text):
    return re.sub(r"</?bdi>", "", text)


class ClaimAbroad(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.client = Client(self.server)
        self.addCleanup(self.client.close)

    def page(self, lang="fr"):
        r = self.client.request("GET", f"/claim?incident={self.slug}&lang={lang}",
                                headers={"Accept": "text/html"})
        self.assertEqual(r.status, 200, r)
        return r.body.decode()

    def post(self, lang, **fields):
        return ff.post_form(self.client, f"/claim?lang={lang}",
                            pairs_for(self.page(lang), person(**fields)))

    def receipt_view(self, r):
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        ref, token = REFERENCE_RE.search(text).group(1), TOKEN_RE.search(text).group(1)
        view = cf.claim_request(self.client, "GET", ref, token)
        self.assertEqual(view.status, 200, view)
        return text, view.json()

    # --- 1. countries without postal codes ------------------------------------------------

    def test_api_postal_code_optional_only_where_the_country_has_none(self):
        receipt = cf.submit_ok(self, self.client, self.slug, hong_kong_body())
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(view.json()["claimant"]["address"]["postal_code"], None)
        self.assertEqual(view.json()["claimant"]["address"]["country"], "HK")
        # given anyway, it is kept
        kept = cf.submit_ok(self, self.client, self.slug, cf.claim_body(
            claimant={"address": dict(HONG_KONG, postal_code="999077", country="hk")}))
        view = cf.claim_request(self.client, "GET", kept["reference"], kept["token"])
        self.assertEqual(view.json()["claimant"]["address"]["postal_code"], "999077")
        # everywhere else required, as before
        for country in ("FR", "BE", "KR", "IE"):
            with self.subTest(country=country):
                r = cf.submit(self.client, self.slug, cf.claim_body(
                    claimant={"address": {"postal_code": cf.DROP, "country": country}}))
                self.assertIn(("claimant.address.postal_code", "required"),
                              cf.errors_of(self, r))
        # blank is no postal code, said as for the second line
        r = cf.submit(self.client, self.slug, cf.claim_body(
            claimant={"address": dict(HONG_KONG, postal_code=" ")}))
        self.assertEqual(r.status, 422, r)
        # a correction moving the claim to France needs one there
        moved = cf.claim_request(self.client, "PATCH", receipt["reference"], receipt["token"],
                                 {"claimant": {"address": {"country": "FR"}}})
        self.assertEqual(moved.status, 422, moved)
        self.assertIn(("claimant.address.postal_code", "required"), cf.errors_of(self, moved))

    def test_the_form_without_javascript_from_hong_kong_belgium_korea(self):
        fresh = self.page("fr")
        # France chosen: the code asked; the hint says when to leave it; the select carries
        # the countries without one for the script
        self.assertRegex(fresh, r'<input id="postal_code"[^>]* required')
        self.assertIn("Hong Kong", plain(fresh.split('id="postal_code-hint"')[1][:300]))
        self.assertRegex(fresh, r'<select id="country"[^>]*data-no-postal-code="[A-Z ]*\bHK\b')
        r = self.post("fr", **{"claimant.address.postal_code": "",
                               "claimant.address.country": "HK",
                               "claimant.address.city": "Hong Kong",
                               "claimant.phone": "+852 2123 4567"})
        _, view = self.receipt_view(r)
        self.assertIsNone(view["claimant"]["address"]["postal_code"])
        for country, city in (("BE", "Bruxelles"), ("KR", "Seoul")):
            with self.subTest(country=country):
                r = self.post("fr", **{"claimant.address.postal_code": "",
                                       "claimant.address.country": country,
                                       "claimant.address.city": city, "claimant.phone": ""})
                self.assertEqual(r.status, 422, r)
                self.assertEqual(plain(r.body.decode()).count("Saisissez votre code postal."), 2)
        # a form sent back for Hong Kong does not mark the code required
        r = self.post("en", **{"claimant.address.postal_code": "", "claimant.email": "nope",
                               "claimant.address.country": "HK"})
        self.assertEqual(r.status, 422, r)
        text = r.body.decode()
        field = re.search(r'<input id="postal_code"[^>]*>', text).group(0)
        self.assertNotIn("required", field)
        self.assertIn('<label for="postal_code">Postal code (optional)</label>', text)

    def test_member_views_export_and_my_claim_without_postal_code(self):
        with Client(self.server) as c:
            assoc = af.approved_association(self.server, client=c)
            action = af.open_action(assoc, self.slug, client=c)
            member = af.mandated_claim(self.server, self.slug, action, client=c,
                                       claimant={"address": HONG_KONG,
                                                 "phone": "+852 2987 6543"})
            ref = member["reference"]
            one = assoc.request("GET", f"/v1/actions/{action['id']}/members/{ref}", client=c)
            self.assertEqual(one.status, 200, one)
            self.assertIsNone(one.json()["claim"]["claimant"]["address"]["postal_code"])
            listed = assoc.request("GET", f"/v1/incidents/{self.slug}/claims?limit=100",
                                   client=c)
            self.assertEqual(listed.status, 200, listed)
            mine = [x for x in listed.json()["data"] if x["reference"] == ref]
            self.assertEqual(len(mine), 1)
            self.assertIsNone(mine[0]["claimant"]["address"]["postal_code"])
            csv_r = assoc.request("GET", ef.export_path(action), client=c)
            self.assertEqual(csv_r.status, 200, csv_r)
            rows = {r["reference"]: r for r in ef.csv_records(self, csv_r.body, ",")}
            self.assertEqual(rows[ref]["postal_code"], "")
            self.assertEqual((rows[ref]["city"], rows[ref]["country"]), ("Hong Kong", "HK"))
            nd = assoc.request("GET", ef.export_path(action, "ndjson"), client=c)
            self.assertEqual(nd.status, 200, nd)
            lines = [json.loads(x) for x in nd.body.decode().splitlines() if x]
            self.assertIsNone([x for x in lines if x["reference"] == ref][0]["postal_code"])
            # the claimant's page: the address without a hole, the correction form optional
            page = ff.post_form(c, "/my-claim?lang=en", [
                ("form", "open"), ("reference", ref), ("token", member["token"])])
            self.assertEqual(page.status, 200, page)
            text = plain(page.body.decode())
            self.assertIn("1 Queen's Road Central, Hong Kong, ", text.replace("&#39;", "'"))
            self.assertNotIn("null", text.split("<main")[1].split("</main>")[0])
            self.assertIn("Postal code (optional)", text)
            # a Hong Kong number is not cut in French pairs: its calling code, then as written
            self.assertIn("<dt>Phone number</dt><dd>+852 29876543</dd>", text)

    # --- 2. amounts as typed ------------------------------------------------------------

    def test_amounts_typed_the_french_and_the_english_way(self):
        for lang, typed, minor in (("fr", "50 €", 5000), ("fr", "50,00 €", 5000),
                                   ("fr", "1 234,56", 123456), ("fr", "1 234,56 EUR", 123456),
                                   ("fr", "1.234,56", 123456), ("fr", "1.234", 123400),
                                   ("en", "€50", 5000), ("en", "1,234.56", 123456),
                                   ("en", "1,234", 123400)):
            with self.subTest(lang=lang, typed=typed):
                _, view = self.receipt_view(self.post(lang, **{"harms.documented_loss": typed}))
                self.assertEqual(view["harms"]["documented_loss"], minor)

    def test_ambiguous_amounts_and_other_currencies_refused(self):
        for lang, typed, said in (
                ("en", "1.234", "Enter an amount like 120.50."),
                ("fr", "1,234", "Saisissez un montant comme 120,50."),
                ("en", "$50", "Enter the amount in EUR, the currency of this incident."),
                ("fr", "50 £", "Saisissez le montant en EUR, la monnaie de cet incident.")):
            with self.subTest(lang=lang, typed=typed):
                r = self.post(lang, **{"harms.documented_loss": typed})
                self.assertEqual(r.status, 422, r)
                text = plain(r.body.decode())
                self.assertEqual(text.count(said), 2, "in the summary and beside the field")
                self.assertIn(f'value="{typed}"', text.replace("&#36;", "$"))
        # the API takes no such text: a JSON integer of minor units
        r = cf.submit(self.client, self.slug, cf.claim_body(harms={"documented_loss": "50 €"}))
        self.assertEqual(r.status, 422, r)
        self.assertEqual(cf.errors_of(self, r), {("harms.documented_loss", "invalid-type")})

    # --- 3. birth dates typed -----------------------------------------------------------

    def test_a_birth_date_typed_day_first_and_written_out_on_the_receipt(self):
        for lang, typed, iso, written in (("fr", "12/03/1985", "1985-03-12", "12 mars 1985"),
                                          ("en", "03/04/1985", "1985-04-03", "3 April 1985"),
                                          ("fr", "1985-03-12", "1985-03-12", "12 mars 1985")):
            with self.subTest(lang=lang, typed=typed):
                text, view = self.receipt_view(self.post(lang, **{"claimant.birth_date": typed}))
                self.assertEqual(view["claimant"]["birth_date"], iso)
                shown = re.search(r'<p id="receipt-birth-date">(.*?)</p>', text).group(1)
                self.assertIn(written, shown)
        for typed, said in (("01/01/2999", "Enter a date between 1 January 1900 and yesterday."),
                            ("31/12/1899", "Enter a date between 1 January 1900 and yesterday."),
                            ("31/02/1985", "Enter a real date."),
                            ("12/03/85", "Enter a real date.")):
            with self.subTest(typed=typed):
                r = self.post("en", **{"claimant.birth_date": typed})
                self.assertEqual(r.status, 422, r)
                self.assertEqual(plain(r.body.decode()).count(said), 2)

    # --- 4. the confirmation link's language --------------------------------------------

    def test_the_confirmation_page_answers_in_the_language_chosen(self):
        receipt = cf.submit_ok(self, self.client, self.slug, cf.claim_body())  # French
        path = "/confirm-email/" + mf.make_link(self.server, receipt["reference"],
                                                "confirm-email")
        html = {"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}
        claims_own = self.client.request("GET", path, headers=html)
        self.assertEqual(claims_own.status, 200, claims_own)
        self.assertIn('<html lang="fr"', claims_own.body.decode())
        asked = self.client.request("GET", path + "?lang=en", headers={"Accept": "text/html"})
        self.assertEqual(asked.status, 200, asked)
        self.assertIn("Confirm your email address", asked.body.decode())
        # its button keeps the choice for the answer
        self.assertIn(f'<form method="post" action="{path}?lang=en">', asked.body.decode())
        cookie = self.client.request("GET", path, headers={"Accept": "text/html",
                                                           "Cookie": "lang=en"})
        self.assertIn("Confirm your email address", cookie.body.decode())
        done = self.client.request("POST", path + "?lang=en", headers={"Accept": "text/html"})
        self.assertEqual(done.status, 200, done)
        self.assertIn("Email address confirmed", done.body.decode())
        for method in ("GET", "POST"):
            with self.subTest(method=method):
                harness.assert_problem(self, self.client.request(method, path + "?lang=de"),
                                       400, "invalid-parameter")

    # --- 5. a field sent twice ------------------------------------------------------------

    def test_my_claim_refuses_a_repeated_field_as_the_claim_form_does(self):
        receipt = cf.submit_ok(self, self.client, self.slug, cf.claim_body())
        other = cf.submit_ok(self, self.client, self.slug, cf.claim_body())
        twice = ff.post_form(self.client, "/my-claim?lang=en", [
            ("form", "open"), ("reference", receipt["reference"]),
            ("reference", other["reference"]), ("token", receipt["token"])])
        self.assertEqual((twice.status, twice.media_type), (400, "text/html"))
        self.assertNotIn(receipt["reference"], twice.body.decode())
        claim = ff.post_form(self.client, "/claim?lang=en",
                             pairs_for(self.page("en"), person()) + [("claimant.email", "x@y.z")])
        self.assertEqual(claim.status, 400, claim)
        # a list is no repeat
        once = ff.post_form(self.client, "/my-claim?lang=en", [
            ("form", "open"), ("reference", receipt["reference"]), ("token", receipt["token"])])
        self.assertEqual(once.status, 200, once)

    # --- 6. which claim the confirmation is about --------------------------------------

    def test_the_confirmation_pages_name_the_claim_and_its_incident(self):
        """A wary victim opening /confirm-email/... asked which claim it confirmed: the page that
        asks and the one after the button name the reference and the incident as /my-claim
        does (company first, escaped), in the page's language, and nothing personal; an
        unknown link names nothing. One claim, ~1 s."""
        slug = cf.make_incident(self.server, controller="Lésés & Fils", title="Fuite <clients>")
        body = cf.claim_body()
        receipt = cf.submit_ok(self, self.client, slug, body)  # French
        ref = receipt["reference"]
        path = "/confirm-email/" + mf.make_link(self.server, ref, "confirm-email")
        said = {"fr": f"Réclamation {ref}, incident\u00a0: Lésés &amp; Fils — Fuite &lt;clients&gt;.",
                "en": f"Claim {ref}, incident: Lésés &amp; Fils — Fuite &lt;clients&gt;."}
        html = {"Accept": "text/html"}
        for method, query, lang in (("GET", "", "fr"), ("POST", "?lang=en", "en"),
                                    ("GET", "?lang=en", "en")):  # confirmed: no button
            with self.subTest(method=method, lang=lang):
                r = self.client.request(method, path + query, headers=html)
                self.assertEqual(r.status, 200, r)
                page = r.body.decode()
                shown = re.search(r'<p id="confirm-claim">(.*?)</p>', page)
                self.assertIsNotNone(shown, page)
                self.assertEqual(plain(shown.group(1)), said[lang])
                for personal in (body["claimant"]["email"], body["claimant"]["family_name"],
                                 body["claimant"]["phone"]):
                    self.assertNotIn(personal, page)
        gone = self.client.request("GET", "/confirm-email/" + "A" * 43, headers=html)
        self.assertEqual(gone.status, 404, gone)
        self.assertNotIn('id="confirm-claim"', gone.body.decode())


if __name__ == "__main__":
    unittest.main()
