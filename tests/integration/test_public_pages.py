#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The server-rendered public pages (api/web/, handlers/page_*.c), read as curl reads them:
no JavaScript, so every fact must be in the HTML the server sends.

  - the catalogue the scripts load, /i18n/<lang>.json: the file of web/i18n byte for byte,
    same keys in both languages, ETag and 304 on If-None-Match, other names 404;
  - errors: a browser (Accept: text/html preferred) gets an HTML page in its language for an
    unknown path, a 405 (with Allow) and a page's 404; an API client (application/json, */*,
    no Accept) keeps problem+json, for a page's own refusals too (a form post in another
    encoding, an unknown incident's claim form, a stop link we did not make); a path with
    markup is shown escaped;
  - / lists the open incidents with their public totals and open actions; /i/{slug} says what
    a claimant may receive, in words and figures (Coupang's preset: 50 000 KRW in four
    vouchers, in French and English; an Equifax-like scheme: loss, time and the pro-rata
    note); /a/{id} carries the Art. 13 fields, OpenGraph/Twitter tags and the canonical URL;
  - the action's public record through the API: GET/PATCH /v1/actions/{id}, the history
    written by status changes, the mandate per language (?lang=, fallback flag, versions kept);
  - an incident and an action named with <script> and quotes appear escaped in text,
    attribute and URL contexts;
  - ETag/304, Cache-Control public, the language cookie; /privacy (versioned), /legal,
    /accessibility with the operator's settings; every page under 100 KB with its CSS and
    scripts, and without any script.
"""

import datetime
import gzip
import html
import html.parser
import json
import os
import re
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness
from harness import Client

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OPERATOR = "Association Démo <&> \"Recours\""
PAGE_WEIGHT_MAX = 100 * 1024
EVIL = "<script>alert(\"x\")</script> l'\"incident\""


def web_dir():
    return os.path.join(harness.source_dir(), "web")


def text_of(html):
    """The page's text with tags dropped and spaces (narrow, no-break) made plain."""
    t = re.sub(r"<[^>]+>", " ", html)
    t = t.replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", t)


class PublicPagesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(args=[
            "--operator-name", OPERATOR, "--operator-email", "contact@recours.example",
            "--operator-address", "1 rue de la Paix, 75002 Paris",
            "--host-name", "Hébergeur SAS", "--host-address", "2 rue du Cloud, Lille",
            "--public-url", "https://recours.example", "--claim-retention-months", "61"])
        cls.api = Client(cls.server)
        today = datetime.date.today().isoformat()
        # Coupang's preset on a KRW incident
        cls.coupang = cf.make_incident(cls.server, controller="Coupang Corp.",
                                       title="Coupang account breach", currency="KRW",
                                       affected_count=33700000, disclosed_on=today)
        r = cls.api.request("GET", "/v1/schemes/presets")
        presets = {p["id"]: p for p in r.json()["data"]}
        cls.put_scheme(cls.coupang, presets["coupang-2025"]["scheme"])
        cls.equifax = cf.make_incident(cls.server, controller="Equifax Inc.",
                                       title="Equifax-like breach", currency="USD",
                                       disclosed_on=today)
        cls.put_scheme(cls.equifax, presets["equifax-2019"]["scheme"])
        for _ in range(3):
            r = cf.submit(cls.api, cls.coupang, cf.claim_body())
            assert r.status == 201, r
        cls.assoc = af.approved_association(cls.server)
        cls.action = af.open_action(
            cls.assoc, cls.coupang, title="Action Coupang 2026",
            mandate_text="Je donne mandat.\n\nArticle 2 : durée.",
            funding_sources="Cotisations des membres et subvention de la Fondation X.",
            fees_charged="Aucuns frais.", next_date="2027-03-15",
            next_date_note="Audience de mise en état")
        cls.evil = cf.make_incident(cls.server, controller=EVIL, title=EVIL, disclosed_on=today)
        cls.evil_action = af.open_action(cls.assoc, cls.evil, title=EVIL)

    @classmethod
    def put_scheme(cls, slug, scheme):
        r = cls.api.request("PUT", f"/v1/incidents/{slug}/scheme", scheme,
                            token=cls.server.operator_key)
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.server.close()

    def page(self, path, lang="fr", headers=None):
        """A page as curl gets it (200, HTML, no script), its text and its HTML."""
        sep = "&" if "?" in path else "?"
        r = self.get(f"{path}{sep}lang={lang}", headers=headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.media_type, "text/html")
        body = r.body.decode("utf-8")
        self.assertIn(f'<html lang="{lang}">', body)
        self.assertNotIn("<script", body)
        return text_of(body), body

    def get(self, path, headers=None, check_openapi=True):
        with Client(self.server, check_openapi=check_openapi) as c:
            return c.request("GET", path, headers=headers)

    def browser_get(self, path, lang=None, method="GET"):
        """As a browser asks (the HTML error pages are not API answers: not checked against
        api/openapi.json)."""
        headers = {"Accept": BROWSER_ACCEPT}
        if lang:
            headers["Accept-Language"] = lang
        with Client(self.server, check_openapi=False) as c:
            return c.request(method, path, headers=headers)

    # --- the catalogue ------------------------------------------------------------------

    def test_catalogue_is_the_file_with_validators(self):
        keys = {}
        for lang in ("fr", "en"):
            with self.subTest(lang=lang):
                r = self.get(f"/i18n/{lang}.json")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.media_type, "application/json")
                with open(os.path.join(web_dir(), "i18n", lang + ".json"), "rb") as f:
                    self.assertEqual(r.body, f.read())
                keys[lang] = set(r.json())
                etag = r.headers.get("ETag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
                self.assertIn("max-age=", r.headers.get("Cache-Control", ""))
                again = self.get(f"/i18n/{lang}.json", headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304, again)
                self.assertEqual(again.body, b"")
                self.assertEqual(again.headers.get("ETag"), etag)
        self.assertEqual(keys["fr"], keys["en"])
        self.assertGreater(len(keys["fr"]), 400)
        for name in ("de.json", "fr.js", "FR.json", "fr.json.bak", "xx.json"):
            with self.subTest(name=name):
                harness.assert_problem(self, self.get("/i18n/" + name), 404, "not-found")

    # --- errors for browsers and for API clients ----------------------------------------

    def test_unknown_path_is_a_page_for_a_browser(self):
        r = self.browser_get("/no/such/page")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.media_type, "text/html")
        body = r.body.decode("utf-8")
        self.assertIn('<html lang="fr">', body)
        self.assertIn("Page introuvable", body)
        self.assertIn('href="/"', body)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        en = self.browser_get("/no/such/page", lang="en-GB,en;q=0.9")
        self.assertEqual(en.status, 404)
        self.assertIn('<html lang="en">', en.body.decode("utf-8"))
        self.assertIn("Page not found", en.body.decode("utf-8"))
        with Client(self.server, check_openapi=False) as c:
            cookie = c.request("GET", "/no/such/page",
                               headers={"Accept": BROWSER_ACCEPT, "Cookie": "lang=en"})
        self.assertIn("Page not found", cookie.body.decode("utf-8"))

    def test_unknown_path_stays_problem_json_for_api_clients(self):
        for accept in (None, "*/*", "application/json", "application/problem+json",
                       "application/json, text/html;q=0.5", "text/html;q=0.5, */*"):
            with self.subTest(accept=accept):
                headers = {"Accept": accept} if accept is not None else {}
                r = self.get("/no/such/page", headers=headers)
                harness.assert_problem(self, r, 404, "not-found")

    def test_a_pages_404_is_a_page_for_a_browser(self):
        for path in ("/a/00000000-0000-4000-8000-000000000000", "/i/no-such-incident",
                     "/privacy/v/1999-01"):
            with self.subTest(path=path):
                r = self.browser_get(path, lang="en")
                self.assertEqual(r.status, 404, r)
                self.assertEqual(r.media_type, "text/html")
                self.assertIn("Page not found", r.body.decode("utf-8"))
                harness.assert_problem(self, self.get(path), 404, "not-found")

    def test_a_pages_own_refusal_is_problem_json_for_api_clients(self):
        """The refusals a page's handler answers itself (an unknown incident on the claim form,
        a form post in another encoding, a stop link we did not make) are pages for a browser
        only: curl, fetch() and a JSON client keep the problem document, as for an unknown
        path."""
        form = "application/x-www-form-urlencoded"
        cases = [
            ("GET", "/claim?incident=no-such-incident", None, None, 404, "not-found"),
            ("GET", "/notices/stop/not-a-link", None, None, 404, "not-found"),
            ("POST", "/notices/stop/not-a-link", form, b"List-Unsubscribe=One-Click", 404,
             "not-found"),
            ("POST", "/claim", "application/json", b"{}", 415, "unsupported-media-type"),
            ("POST", "/my-claim", "text/plain", b"form=open", 415, "unsupported-media-type"),
            ("POST", "/my-claim", None, b"form=open", 415, "unsupported-media-type"),
            ("POST", "/claim", form, b"incident=%zz", 400, "malformed-request"),
        ]
        for method, path, ctype, body, status, name in cases:
            for accept in (None, "*/*", "application/json"):
                with self.subTest(path=path, ctype=ctype, accept=accept):
                    headers = {"Accept": accept} if accept is not None else {}
                    if ctype is not None:
                        headers["Content-Type"] = ctype
                    with Client(self.server) as c:
                        r = c.request(method, path, body=body, headers=headers)
                    harness.assert_problem(self, r, status, name)
            with self.subTest(path=path, ctype=ctype, accept="browser"):
                headers = {"Accept": BROWSER_ACCEPT, "Accept-Language": "en"}
                if ctype is not None:
                    headers["Content-Type"] = ctype
                with Client(self.server, check_openapi=False) as c:
                    page = c.request(method, path, body=body, headers=headers)
                self.assertEqual(page.status, status, page)
                self.assertEqual(page.media_type, "text/html")
                self.assertIn('<html lang="en">', page.body.decode("utf-8"))
                self.assertEqual(page.headers.get("Cache-Control"), "no-store")

    def test_method_not_allowed_page_keeps_allow(self):
        r = self.browser_get("/healthz", method="DELETE")
        self.assertEqual(r.status, 405, r)
        self.assertEqual(r.media_type, "text/html")
        self.assertEqual(r.headers.get("Allow"), "GET, HEAD")
        with Client(self.server) as c:
            api = c.request("DELETE", "/healthz")
        harness.assert_problem(self, api, 405, "method-not-allowed")
        self.assertEqual(api.headers.get("Allow"), "GET, HEAD")

    def test_error_page_escapes_the_path(self):
        r = self.browser_get("/%3Cscript%3Ealert(1)%3C/script%3E%22'")
        self.assertEqual(r.status, 404, r)
        body = r.body.decode("utf-8")
        self.assertNotIn("<script>", body)
        self.assertNotIn("alert(1)<", body)
        # the language switch links back to the path, URL-encoded
        self.assertIn("/%3Cscript%3Ealert%281%29%3C/script%3E%22%27?lang=en", body)


    # --- the pages ----------------------------------------------------------------------

    def test_home_lists_incidents_totals_and_actions(self):
        text, body = self.page("/")
        self.assertIn("Coupang account breach", text)
        card = body[body.index(f'data-slug="{self.coupang}"'):]
        card = text_of(card[:card.index("</li>\n<li") if "</li>\n<li" in card else None])
        self.assertIn("Réclamations enregistrées 3", card)
        self.assertIn("33 700 000", card)
        self.assertIn("Action Coupang 2026", card)
        self.assertIn(f'href="/a/{self.action["id"]}"', body)
        self.assertIn(f'href="/claim?incident={self.coupang}', body)
        self.assertIn(f'href="/i/{self.coupang}"', body)
        en, _ = self.page("/", "en")
        self.assertIn("33,700,000", en)
        self.assertIn("Claims registered", en)

    def test_make_a_claim_offers_the_mandate_of_the_only_open_action(self):
        """"Make a claim" (the incident's page; its home card is the same link): while one
        action takes mandates, it opens the form offering that action's mandate (unticked, its
        text in full; docs/decisions.md); with none or several, the plain form (the site picks
        no association). Each incident is read once its actions are open (pages are cached
        for 5 s)."""
        today = datetime.date.today().isoformat()
        none, one, two = (cf.make_incident(self.server, disclosed_on=today) for _ in range(3))
        only = af.open_action(self.assoc, one)
        for slug in (two, two):
            af.open_action(af.approved_association(self.server), slug)
        for slug in (none, two):
            body = self.page(f"/i/{slug}")[1]
            self.assertIn(f'href="/claim?incident={slug}"', body)
            self.assertNotIn(f"/claim?incident={slug}&amp;action=", body)
        body = self.page(f"/i/{one}")[1]
        self.assertIn(f'href="/claim?incident={one}&amp;action={only["id"]}"', body)
        self.assertNotIn(f'href="/claim?incident={one}"', body)
        form = self.get(f"/claim?incident={one}&action={only['id']}&lang=fr",
                        headers={"Accept": "text/html"}).body.decode()
        self.assertRegex(form, r'<input id="mandate" type="checkbox" name="action_id" value="'
                         + only["id"] + '"')
        self.assertNotRegex(form, r'<input id="mandate"[^>]* checked')

    def test_incident_page_says_what_coupang_pays(self):
        text, body = self.page(f"/i/{self.coupang}")
        self.assertIn("50 000 KRW en quatre bons d'achat : Coupang 5 000 KRW, Coupang Eats "
                      "5 000 KRW, Coupang Travel 20 000 KRW, R.LUX 20 000 KRW.", text)
        self.assertIn("Coupang Corp.", text)
        # the tab names the company, then the incident (core/incident_name.h), then the site
        self.assertRegex(body, r"<title>Coupang Corp\. — [^<—]+ — recours</title>")
        self.assertIn("33 700 000", text)
        self.assertNotIn("Pertes financières", text)   # the scheme pays no loss
        self.assertNotIn("Temps passé", text)          # nor time
        self.assertNotIn("prorata", text)              # and has no fund cap
        self.assertIn(f'href="/claim?incident={self.coupang}', body)
        self.assertIn("Action Coupang 2026", text)
        en, _ = self.page(f"/i/{self.coupang}", "en")
        self.assertIn("50,000 KRW as four vouchers: Coupang 5,000 KRW, Coupang Eats 5,000 KRW, "
                      "Coupang Travel 20,000 KRW, R.LUX 20,000 KRW.", en)
        self.assertIn("Make a claim", en)

    def test_incident_page_states_loss_time_and_cap_when_paid(self):
        text, _ = self.page(f"/i/{self.equifax}", "en")
        self.assertIn("Financial losses you can document: reimbursed up to", text)
        self.assertIn("an hour, up to", text)
        self.assertIn("reduced pro rata", text)
        fr, _ = self.page(f"/i/{self.equifax}")
        self.assertIn("réduite au prorata", fr)
        harness.assert_problem(self, self.get("/i/no-such-incident"), 404, "not-found")
        harness.assert_problem(self, self.get("/i/%3Cx%3E"), 404, "not-found")

    def test_closed_incident_without_scheme_does_not_invite_a_claim(self):
        """Found in walk20's journey: an incident closed before its scheme was set said
        "you can already register your claim" just above "this incident no longer accepts
        claims", on its page and on the claim form. An open one still says both."""
        closed = cf.make_incident(self.server, disclosed_on=datetime.date.today().isoformat())
        cf.close_incident(self.server, closed)
        for path in (f"/i/{closed}", f"/claim?incident={closed}"):
            for lang, none, closed_words, invite in (
                    ("fr", "Le barème d'indemnisation n'est pas encore fixé.",
                     "Cet incident n'accepte plus de réclamations.", "Vous pouvez déjà"),
                    ("en", "The compensation scheme is not set yet.",
                     "This incident no longer accepts claims.", "You can already")):
                with self.subTest(path=path, lang=lang):
                    r = self.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
                    self.assertEqual(r.status, 200, r)
                    text = text_of(r.body.decode("utf-8"))
                    self.assertIn(none, text)
                    self.assertIn(closed_words, text)
                    self.assertNotIn(invite, text)
        opened = cf.make_incident(self.server, disclosed_on=datetime.date.today().isoformat())
        en, _ = self.page(f"/i/{opened}", "en")
        self.assertIn("The compensation scheme is not set yet. You can already register your "
                      "claim.", en)

    def test_action_page_has_the_art13_fields_and_social_tags(self):
        aid = self.action["id"]
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}", {
            "history_add": {"kind": "hearing", "date": "2026-11-20",
                            "court_reference": "RG 26/01234", "note": "Audience d'orientation"},
            "mandate_text_en": "I give a mandate.\n\nArticle 2: duration."})
        self.assertEqual(r.status, 200, r)
        text, body = self.page(f"/a/{aid}")
        for fact in (self.assoc.obj["name"], self.assoc.obj["approval_reference"],
                     "Agréée depuis le", "Ouverte" if False else "Ouvert",
                     "Audience", "RG 26/01234", "Action ouverte", "15 mars 2027",
                     "Audience de mise en état", "Maître Dupont",
                     "Cotisations des membres et subvention de la Fondation X.",
                     "Aucuns frais.", "Personnes représentées 0", "Je donne mandat.",
                     "Article 2 : durée.", "Coupang Corp.", "Date limite pour rejoindre l'action",
                     "Pays France"):
            self.assertIn(fact, text)
        # the mandate box keeps white space (pre-wrap): nothing between its paragraphs, which
        # showed as blank lines
        self.assertIn('<div class="mandate-text" lang="fr"><p>Je donne mandat.</p>'
                      '<p>Article 2 : durée.</p></div>', body)
        deadline = af.future_deadline()[:10]
        self.assertIn(f'href="/claim?incident={self.coupang}&amp;action={aid}"', body)
        meta = MetaParser.of(body)
        self.assertEqual(meta[("property", "og:title")], "Action Coupang 2026")
        self.assertIn(self.assoc.obj["name"], meta[("property", "og:description")])
        self.assertEqual(meta[("property", "og:url")], f"https://recours.example/a/{aid}")
        self.assertEqual(meta[("name", "twitter:card")], "summary")
        self.assertEqual(meta[("name", "twitter:title")], "Action Coupang 2026")
        self.assertEqual(meta[("link", "canonical")], f"https://recours.example/a/{aid}")
        self.assertRegex(meta[("property", "og:description")], r"\d{4}\.$")
        self.assertTrue(deadline)
        en, en_body = self.page(f"/a/{aid}", "en")
        self.assertIn("I give a mandate.", en)
        self.assertIn("Join this action", en)
        self.assertIn("Country France", en, "the association's country named, not its code")
        self.assertEqual(MetaParser.of(en_body)[("link", "canonical")],
                         f"https://recours.example/a/{aid}?lang=en")
        # an action with no English mandate: the French original, said so
        en_evil, _ = self.page(f"/a/{self.evil_action['id']}", "en")
        self.assertIn("This mandate exists in French only", en_evil)
        harness.assert_problem(self, self.get("/a/not-a-uuid"), 404, "not-found")
        harness.assert_problem(self, self.get("/a/00000000-0000-4000-8000-000000000000"),
                               404, "not-found")

    def test_unconfigured_operator_in_the_pages_language(self):
        """The placeholder for a setting not given ("(not configured: --flag)", the
        configuration's English default) and the default operator's name ("recours
        (demonstration)") are said in the page's language: in the footer, and
        in the legal notice, the privacy notice and the accessibility statement that name the
        operator and the host."""
        bare = cf.start_server(self)
        with Client(bare) as c:
            for path in ("/", "/legal", "/privacy", "/accessibility"):
                with self.subTest(page=path):
                    fr = text_of(c.request("GET", f"{path}?lang=fr").body.decode("utf-8"))
                    en = text_of(c.request("GET", f"{path}?lang=en").body.decode("utf-8"))
                    # neutral: the placeholder stands beside labels of either gender
                    # ("Adresse", "Contact")
                    self.assertIn("(à configurer : --operator-email)", fr)
                    self.assertNotIn("not configured", fr)
                    self.assertIn("(not configured: --operator-email)", en)
                    self.assertNotIn("à configurer", en)
                    # the default operator's name too (the footer of every page)
                    self.assertIn("recours (démonstration)", fr)
                    self.assertNotIn("(demonstration)", fr)
                    self.assertIn("recours (demonstration)", en)
                    if path in ("/", "/legal"):
                        self.assertIn("(à configurer : --operator-address)", fr)
                    if path in ("/legal", "/privacy"):
                        self.assertIn("(à configurer : --host-name)", fr)

    def test_public_url_defaults_to_the_served_port(self):
        """Without --public-url the links (canonical here; the emails' too) name the port the
        server listens on: a fixed https://localhost:8443 sent the emails of
        `./scripts/run --port 9443` to a port nobody listened on."""
        bare = cf.start_server(self)
        with Client(bare) as c:
            body = c.request("GET", "/?lang=en").body.decode("utf-8")
        self.assertEqual(MetaParser.of(body)[("link", "canonical")],
                         f"https://localhost:{bare.port}/?lang=en")

    def test_action_public_record_through_the_api(self):
        action = af.open_action(self.assoc, self.coupang, title="Record test")
        aid = action["id"]
        self.assertEqual([e["kind"] for e in action["history"]], ["opened"])
        for k in ("next_date", "next_date_note", "funding_sources", "fees_charged",
                  "mandate_text_en"):
            self.assertIsNone(action[k], k)
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}", {
            "next_date": "2027-01-05", "funding_sources": "Dons", "status": "filed",
            "history_add": {"kind": "hearing", "date": "2027-01-05"}})
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual((doc["status"], doc["next_date"], doc["funding_sources"]),
                         ("filed", "2027-01-05", "Dons"))
        self.assertEqual([e["kind"] for e in doc["history"]], ["opened", "filed", "hearing"])
        got = self.assoc.request("GET", f"/v1/actions/{aid}").json()
        self.assertEqual(got["history"], doc["history"])
        # null clears
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}", {"next_date": None})
        self.assertIsNone(r.json()["next_date"])
        self.assertEqual(r.json()["funding_sources"], "Dons")
        # bad values, every error at once
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}", {
            "next_date": "2027-02-30", "fees_charged": "x" * 2001,
            "history_add": {"kind": "opened", "date": "soon", "extra": 1}})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(cf.errors_of(self, r), {
            ("next_date", "invalid-format"), ("fees_charged", "too-long"),
            ("history_add.kind", "invalid-value"), ("history_add.date", "invalid-format"),
            ("history_add.extra", "unknown-field")})
        # another association's action stays out of reach
        other = af.approved_association(self.server)
        r = other.request("PATCH", f"/v1/actions/{aid}", {"funding_sources": "x"})
        harness.assert_problem(self, r, 404, "not-found")

    def test_mandate_per_language_and_versions(self):
        action = af.open_action(self.assoc, self.coupang, title="Mandate languages",
                                mandate_text="Texte v1", mandate_text_version="v1")
        aid = action["id"]
        path = f"/v1/actions/{aid}/mandate"
        doc = self.get(path + "?lang=en").json()
        self.assertEqual((doc["mandate_text"], doc["mandate_text_lang"],
                          doc["mandate_text_fallback"]), ("Texte v1", "fr", True))
        self.assertNotIn("mandate_text_lang", self.get(path).json())
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}", {"mandate_text_en": "Text v1"})
        self.assertEqual(r.json()["mandate_text_en"], "Text v1")
        doc = self.get(path + "?lang=en").json()
        self.assertEqual((doc["mandate_text"], doc["mandate_text_lang"],
                          doc["mandate_text_fallback"], doc["mandate_text_version"]),
                         ("Text v1", "en", False, "v1"))
        doc = self.get(path + "?lang=fr").json()
        self.assertEqual((doc["mandate_text"], doc["mandate_text_fallback"]), ("Texte v1", False))
        harness.assert_problem(self, self.get(path + "?lang=de"), 400, "invalid-parameter")
        # a new version: new mandates get it, the old texts are kept
        r = self.assoc.request("PATCH", f"/v1/actions/{aid}",
                               {"mandate_text": "Texte v2", "mandate_text_version": "v2"})
        self.assertIsNone(r.json()["mandate_text_en"])
        doc = self.get(path + "?lang=en").json()
        self.assertEqual((doc["mandate_text"], doc["mandate_text_fallback"],
                          doc["mandate_text_version"]), ("Texte v2", True, "v2"))
        kept = cf.psql_text(
            "SELECT string_agg(version || ':' || lang || ':' || text, '|' ORDER BY version, lang)"
            f" FROM action_mandate_texts WHERE action_id = '{aid}'")
        self.assertEqual(kept.strip(), "v1:en:Text v1|v1:fr:Texte v1|v2:fr:Texte v2")

    def test_markup_in_names_is_escaped_in_every_context(self):
        raw = EVIL
        for path in ("/", f"/i/{self.evil}", f"/a/{self.evil_action['id']}"):
            with self.subTest(path=path):
                _, body = self.page(path)
                self.assertNotIn("<script>alert", body)
                self.assertNotIn(raw, body)
                # text
                self.assertIn("&lt;script&gt;alert(\"x\")&lt;/script&gt; l'\"incident\"", body)
                if path == "/":
                    # attribute: the claim link's aria-label
                    self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                                  "l&#39;&quot;incident&quot;", body)
                    continue
                # attribute: og:title / twitter:title
                self.assertIn('content="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
                              'l&#39;&quot;incident&quot;', body)
                # URL: the share link's subject
                self.assertIn("mailto:?subject=" + urllib.parse.quote(
                    raw if path.startswith("/a/") else f"{raw} — {raw}", safe="-._~"), body)
                meta = MetaParser.of(body)
                self.assertIn(raw, meta[("property", "og:title")])

    def test_etag_304_and_cache_headers(self):
        for path in ("/", f"/i/{self.coupang}", f"/a/{self.action['id']}", "/privacy",
                     "/legal", "/accessibility"):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r)
                etag = r.headers.get("ETag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
                self.assertRegex(r.headers.get("Cache-Control", ""), r"^public, max-age=\d+$")
                self.assertIn("Accept-Language", r.headers.get("Vary", ""))
                self.assertEqual(r.headers.get("Content-Language"), "fr")
                self.assertIsNone(r.headers.get("Set-Cookie"))
                again = self.get(path, headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304, again)
                self.assertEqual(again.body, b"")
                other = self.get(path, headers={"If-None-Match": '"0000000000000000"'})
                self.assertEqual(other.status, 200)
                en = self.get(path, headers={"Accept-Language": "en"})
                self.assertNotEqual(en.headers.get("ETag"), etag)
                self.assertEqual(en.headers.get("Content-Language"), "en")
        r = self.get("/legal?lang=en")
        self.assertIn("lang=en", r.headers.get("Set-Cookie", ""))
        self.assertIn("Secure", r.headers.get("Set-Cookie", ""))
        self.assertTrue(r.headers.get("Cache-Control", "").startswith("private"))
        # a language we do not have is a bad parameter, as everywhere (docs/api.md §5.2)
        for path in ("/legal?lang=de", f"/a/{self.action['id']}?lang=", "/?lang=EN"):
            harness.assert_problem(self, self.get(path), 400, "invalid-parameter")
        # a browser is told which languages there are, in the one it reads when it can, and
        # offered this very page (its query kept) in each, every link in its own language
        aid = self.action["id"]
        for path, lang, said, query in (
                (f"/claim?incident={self.coupang}&action={aid}&lang=de", "de,en;q=0.5",
                 "This page is in French and in English",
                 f"incident={self.coupang}&amp;action={aid}&amp;"),
                ("/legal?lang=de", "de", "Cette page existe en français et en anglais", "")):
            with self.subTest(path=path):
                r = self.browser_get(path, lang=lang)
                self.assertEqual(r.status, 400, r)
                body = r.body.decode("utf-8")
                self.assertIn(f"<h1>{said}</h1>", body)
                base = path.split("?")[0]
                for code, read in (("fr", "Lire cette page en français"),
                                   ("en", "Read this page in English")):
                    self.assertRegex(body, f'<a class="button [a-z]+" lang="{code}" '
                                           f'hreflang="{code}" href="{re.escape(base)}\\?'
                                           f'{re.escape(query)}lang={code}">{read}</a>')
                    self.assertIn(f'href="{base}?{query}lang={code}" hreflang="{code}"', body,
                                  "the language switch keeps the page too")
                self.assertIsNone(r.headers.get("Set-Cookie"))
        # the cookie then chooses the language
        r = self.get("/legal", headers={"Cookie": "lang=en", "Accept-Language": "fr"})
        self.assertIn('<html lang="en">', r.body.decode("utf-8"))

    def test_language_switch_keeps_the_page(self):
        _, body = self.page(f"/i/{self.coupang}")
        self.assertIn(f'href="/i/{self.coupang}?lang=en" hreflang="en"', body)
        self.assertIn(f'href="/i/{self.coupang}?lang=fr" hreflang="fr"', body)

    def test_privacy_legal_accessibility(self):
        text, body = self.page("/privacy")
        self.assertIn("Version 2026-01", text)
        self.assertIn("C'est la version en vigueur", text)
        self.assertIn(html.escape(OPERATOR, quote=False), body)   # escaped once
        self.assertNotIn(OPERATOR, body)
        for fact in ("61 mois", "30 jours", "CNIL", "contact@recours.example",
                     "Hébergeur SAS", "droit d'accéder", "6.1.b"):
            self.assertIn(fact, text)
        self.assertIn('href="/my-claim"', body)
        en, _ = self.page("/privacy", "en")
        for fact in ("61 months", "supervisory authority", "Art. 6(1)(b)", "portability"):
            self.assertIn(fact, en)
        v, _ = self.page("/privacy/v/2026-01")
        self.assertIn("Version 2026-01", v)
        harness.assert_problem(self, self.get("/privacy/v/1999-01"), 404, "not-found")
        legal, _ = self.page("/legal")
        for fact in ("1 rue de la Paix, 75002 Paris", "Hébergeur SAS", "2 rue du Cloud, Lille",
                     "contact@recours.example", "AGPL-3.0"):
            self.assertIn(fact, legal)
        a11y, _ = self.page("/accessibility", "en")
        self.assertIn("partially compliant", a11y)
        self.assertIn("contact@recours.example", a11y)
        # true of the site: the pages work without JavaScript but the associations' workspace,
        # whose page says it needs it (test_web_pages.py)
        for lang, needs in (("en", "except the approved associations' workspace"),
                            ("fr", "sauf l'espace des associations agréées")):
            with self.subTest(lang=lang):
                statement, _ = self.page("/accessibility", lang)
                self.assertIn(needs, statement)
                self.assertIn("/dashboard", statement)
        # every page's footer names the operator and links the notices
        for path in ("/", "/legal", f"/a/{self.action['id']}"):
            _, body = self.page(path)
            footer = body[body.index('<footer'):]
            self.assertIn(html.escape(OPERATOR, quote=False), footer)
            for link in ("/legal", "/privacy", "/accessibility"):
                self.assertIn(f'href="{link}"', footer)

    def test_page_weight_under_100_kb(self):
        # every page a victim may open, the claim form and /my-claim included
        paths = ["/", f"/i/{self.coupang}", f"/a/{self.action['id']}", "/privacy", "/legal",
                 "/accessibility", "/no/such/page", f"/claim?incident={self.coupang}",
                 f"/claim?action={self.action['id']}", "/my-claim"]
        for path in paths:
            with self.subTest(path=path):
                total, parts = self.weight(path)
                self.assertLess(total, PAGE_WEIGHT_MAX, f"{path}: {parts}")

    @staticmethod
    def decoded(r):
        return gzip.decompress(r.body) if r.headers.get("Content-Encoding") == "gzip" else r.body

    def test_assets_are_revalidated_not_downloaded_again(self):
        """A script or the stylesheet was no-store: every page view downloaded them again. Now
        a cache keeps them and asks again each time (no-cache); the ETag of the bytes sent
        answers 304 without a body, the gzip and the plain bytes each with their own tag."""
        for ref in ("/static/style.css", "/static/claim.js"):
            with self.subTest(ref=ref):
                plain = self.get(ref)
                self.assertEqual(plain.status, 200)
                self.assertEqual(plain.headers.get("Cache-Control"), "no-cache")
                tag = plain.headers.get("ETag")
                self.assertRegex(tag or "", r'^"[0-9a-f]{16}"$')
                again = self.get(ref, headers={"If-None-Match": tag})
                self.assertEqual((again.status, again.body), (304, b""))
                self.assertEqual(again.headers.get("ETag"), tag)
                self.assertEqual(again.headers.get("Cache-Control"), "no-cache")
                packed = self.get(ref, headers={"Accept-Encoding": "gzip"}, check_openapi=False)
                self.assertEqual(packed.headers.get("Content-Encoding"), "gzip")
                gz_tag = packed.headers.get("ETag")
                self.assertNotEqual(gz_tag, tag, "each representation its own tag")
                self.assertEqual(self.get(ref, headers={"Accept-Encoding": "gzip",
                                                        "If-None-Match": gz_tag},
                                          check_openapi=False).status, 304)
                # a tag of other bytes (an older deploy's) gets the file
                stale = self.get(ref, headers={"If-None-Match": '"0000000000000000"'})
                self.assertEqual((stale.status, stale.body), (200, plain.body))

    def test_static_texts_gzip(self):
        # stylesheets, scripts and the catalogue are sent gzip to a client that accepts it,
        # byte for byte the same once decoded; never to one that refuses it (q=0)
        for ref in ("/static/style.css", "/static/claim.js", "/i18n/fr.json", "/i18n/en.json"):
            with self.subTest(ref=ref):
                plain = self.get(ref, check_openapi=False)
                self.assertEqual(plain.status, 200)
                self.assertIsNone(plain.headers.get("Content-Encoding"))
                self.assertIn("Accept-Encoding", plain.headers.get("Vary") or "")
                packed = self.get(ref, headers={"Accept-Encoding": "br, gzip;q=0.8"},
                                  check_openapi=False)
                self.assertEqual(packed.headers.get("Content-Encoding"), "gzip")
                self.assertIn("Accept-Encoding", packed.headers.get("Vary") or "")
                self.assertLess(len(packed.body), len(plain.body) // 2)
                self.assertEqual(gzip.decompress(packed.body), plain.body)
                refused = self.get(ref, headers={"Accept-Encoding": "gzip;q=0, identity"},
                                   check_openapi=False)
                self.assertIsNone(refused.headers.get("Content-Encoding"))
                if ref.startswith("/i18n/"):
                    # each representation its own validator, each revalidated
                    self.assertNotEqual(packed.headers.get("ETag"), plain.headers.get("ETag"))
                    again = self.get(ref, headers={"Accept-Encoding": "gzip",
                                                   "If-None-Match": packed.headers.get("ETag")},
                                     check_openapi=False)
                    self.assertEqual(again.status, 304)

    def weight(self, path):
        """Bytes of the page with its stylesheets, scripts and the modules they import, and
        the catalogue a script loads."""
        r = self.browser_get(path)
        self.assertIn(r.status, (200, 404), r)
        parts = {path: len(r.body)}
        refs = AssetParser.of(r.body.decode("utf-8"))
        seen = set()
        while refs:
            ref = refs.pop()
            if ref in seen or not ref.startswith("/"):
                continue
            seen.add(ref)
            # as a browser fetches them: gzip where the server offers it (transferred bytes)
            a = self.get(ref, headers={"Accept-Encoding": "gzip"}, check_openapi=False)
            self.assertEqual(a.status, 200, ref)
            parts[ref] = len(a.body)
            if ref.endswith(".js"):
                src = self.decoded(a).decode("utf-8")
                refs += ["/static/" + m for m in re.findall(r'from\s+"\./([^"]+)"', src)]
                if "/i18n/" in src:
                    refs.append("/i18n/fr.json")
        return sum(parts.values()), parts


    # --- what the last walk of the victims' pages found -------------------------------

    def test_the_claim_form_offers_vouchers_only_when_the_scheme_has_them(self):
        """Coupang's scheme has vouchers: both choices. Equifax's has none: no voucher to
        pick, the money said in words and posted as the API's "cash". No scheme yet: both
        (the preference is kept for the scheme to come)."""
        for slug, vouchers in ((self.coupang, True), (self.equifax, False), (self.evil, True)):
            for lang in ("fr", "en"):
                with self.subTest(slug=slug, lang=lang):
                    r = self.browser_get(f"/claim?incident={slug}&lang={lang}")
                    self.assertEqual(r.status, 200, r)
                    body = r.body.decode("utf-8")
                    self.assertEqual('value="voucher"' in body, vouchers)
                    self.assertEqual('id="pay-money-only"' in body, not vouchers)
                    if vouchers:
                        self.assertIn('name="payment_preference" value="cash"', body)
                    else:
                        self.assertIn('<input type="hidden" name="payment_preference" '
                                      'value="cash">', body)
                        self.assertIn("bons d'achat" if lang == "fr" else "no vouchers",
                                      html.unescape(body))

    def test_a_stale_confirmation_link_is_an_error_page_that_says_what_next(self):
        """An expired or unknown e-mail confirmation link: a 404 page titled like every error
        page ("Erreur : " / "Error: "), in the reader's language, that says the claim is safe
        and how to get a new link, with a button to the claim."""
        path = "/confirm-email/" + "A" * 43
        for lang, prefix, safe, button in (
                ("fr-FR,fr;q=0.9", "<title>Erreur\u00a0: Ce lien ne fonctionne plus",
                 "elle reste enregistrée", "Ouvrir ma réclamation"),
                ("en-GB,en;q=0.8", "<title>Error: This link no longer works",
                 "it stays registered", "Open my claim")):
            with self.subTest(lang=lang):
                r = self.browser_get(path, lang=lang)
                self.assertEqual((r.status, r.media_type), (404, "text/html"))
                body = r.body.decode("utf-8")
                self.assertIn(prefix, body)
                self.assertIn(safe, body)
                self.assertIn('id="confirm-next"', body)
                self.assertRegex(body, r'<a class="button primary" href="/my-claim\?lang=(fr|en)">'
                                 + re.escape(button) + "</a>")
                self.assertNotIn(path, body, "the link is in none of the page's")

    def test_the_payment_options_say_what_the_scheme_pays(self):
        """Under a scheme with vouchers the voucher option says what they are, in the words
        the page writes above the form (the incident page's sentence); the money option says
        its amount when the scheme pays less in money (a cash ratio below one), the same amount
        when it sets none. With no scheme yet, the hints that say "if the settlement offers
        them"."""
        presets = {p["id"]: p for p in self.get("/v1/schemes/presets").json()["data"]}
        lower = cf.make_incident(self.server, currency="KRW",
                                 disclosed_on=datetime.date.today().isoformat())
        self.put_scheme(lower, dict(presets["coupang-2025"]["scheme"],
                                    cash_alternative_ratio="0.75"))

        def hints(slug, lang):
            r = self.browser_get(f"/claim?incident={slug}&lang={lang}")
            self.assertEqual(r.status, 200, r)
            body = html.unescape(r.body.decode("utf-8"))
            found = {k: re.search(r'<p class="option-hint" id="pay-' + k + r'-hint">(.*?)</p>',
                                  body) for k in ("voucher", "cash")}
            self.assertTrue(all(found.values()), (slug, lang))
            award = re.search(r'<p class="award">(.*?)</p>', body)
            return ({k: text_of(m.group(1)) for k, m in found.items()},
                    text_of(award.group(1)) if award else None)

        for lang, four, less, same in (
                ("en", "50,000 KRW as four vouchers: Coupang 5,000 KRW, ",
                 "A payment to you of 37,500 KRW instead of the vouchers' 50,000 KRW.",
                 "A payment to you of 50,000 KRW, the same amount as the vouchers."),
                ("fr", "50 000 KRW en quatre bons d'achat : Coupang 5 000 KRW, ",
                 "Un versement de 37 500 KRW au lieu des 50 000 KRW en bons.",
                 "Un versement de 50 000 KRW, le même montant que les bons.")):
            with self.subTest(lang=lang):
                for slug, cash in ((self.coupang, same), (lower, less)):
                    got, award = hints(slug, lang)
                    self.assertEqual(got["voucher"], award, "the incident page's sentence")
                    self.assertTrue(got["voucher"].startswith(four), got["voucher"])
                    self.assertEqual(got["cash"], cash)
                got, _ = hints(self.evil, lang)
                self.assertIn("when the settlement offers them" if lang == "en"
                              else "si l'accord d'indemnisation en prévoit", got["voucher"])

    def test_the_schemes_version_is_said_in_plain_words(self):
        """Under the amounts, on the incident page and on the claim form, where they come from
        in a victim's words: "Scheme in force (version 1)" was jargon."""
        said = {"fr": r"Montants fixés pour cet incident à ce jour \(version \d+ du barème "
                      r"d'indemnisation\)\.",
                "en": r"Amounts set for this incident so far \(version \d+ of the compensation "
                      r"scheme\)\."}
        for lang, words in said.items():
            for path in (f"/i/{self.coupang}", f"/claim?incident={self.coupang}"):
                r = self.browser_get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
                self.assertEqual(r.status, 200, r)
                text = text_of(html.unescape(r.body.decode("utf-8")))
                self.assertRegex(text, words, (lang, path))
                self.assertNotIn("in force" if lang == "en" else "en vigueur", text)

    def test_the_french_pages_name_the_action_one_way(self):
        """The home page and the incident page invite to join an "action de groupe"; the
        form's mandate then asked to join an "action représentative", the directive's term
        for the same thing, which read as another procedure. Only a legal basis keeps it."""
        form = self.browser_get(f"/claim?incident={self.coupang}&action={self.action['id']}"
                                "&lang=fr")
        self.assertEqual(form.status, 200, form)
        text = text_of(html.unescape(form.body.decode("utf-8")))
        self.assertIn("Rejoindre l'action de groupe", text)
        self.assertIn("mène l'action de groupe « Action Coupang 2026 »", text)
        for path in ("/", f"/i/{self.coupang}", f"/claim?incident={self.coupang}"
                     f"&action={self.action['id']}"):
            r = self.browser_get(f"{path}{'&' if '?' in path else '?'}lang=fr")
            text = text_of(html.unescape(r.body.decode("utf-8")))
            self.assertRegex(text.lower(), r"actions? de groupe", path)
            self.assertNotIn("action représentative", text, path)

    def test_no_supplement_for_a_category_the_incident_did_not_expose(self):
        """A scheme may name a supplement for any category (docs/api.md §11.1), but one the
        incident did not expose pays nothing: no claimant can declare it. The incident page and
        the claim form listed "Données de santé : + 100,00 €" on a leak of emails and passwords,
        a promise no victim of it could ever be paid."""
        slug = cf.make_incident(self.server, data_categories=["email", "password"])
        self.put_scheme(slug, {
            "currency": "EUR", "base_amount": 3000,
            "category_supplements": {"password": 1000, "health": 10000},
            "documented_loss": {"reimburse": False, "cap_per_claimant": 0},
            "time_spent": {"hourly_rate": 0, "max_hours": 0}, "fund_cap": None,
            "vouchers": [], "cash_alternative_ratio": None})
        for path in (f"/i/{slug}", f"/claim?incident={slug}"):
            for lang, paid, unpaid in (("fr", "Mot de passe : + 10,00 €", "100,00"),
                                       ("en", "Password: + €10.00", "100.00")):
                r = self.browser_get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
                self.assertEqual(r.status, 200, r)
                page = html.unescape(r.body.decode("utf-8"))
                text = text_of(page)
                self.assertIn(paid, text, path)
                self.assertNotIn(unpaid, text, path)
                # the sign stays with its amount at a line's end (a phone wrapped "+" alone)
                self.assertRegex(page, r"\+\u00a0(€|10,00)", path)


    def test_the_evidence_forms_refusal_switches_language_to_the_claims_page(self):
        """/my-claim/evidence is the address of a post (a file too large gets its 413 page
        there): the refusal's language switch led to a GET of it, a second error page (405)
        where a victim who clicked "English" expected the same words in English. It leads to
        /my-claim, where the form is, and that page answers."""
        r = self.browser_get("/my-claim/evidence?lang=fr")
        self.assertEqual(r.status, 405, r)
        self.assertEqual(r.media_type, "text/html")
        links = re.findall(r'<a class="lang-button" href="([^"]*)" hreflang="([a-z]+)"',
                           r.body.decode("utf-8"))
        self.assertEqual(links, [("/my-claim?lang=fr", "fr"), ("/my-claim?lang=en", "en")])
        for href, lang in links:
            self.assertEqual(self.browser_get(href).status, 200, href)

    def test_a_fund_cap_says_where_it_stands_today(self):
        """A fund cap was only a rule ("if the claims exceed it, every award is reduced pro
        rata"): "50,00 € par personne" stood on a page whose claims had long passed the cap. The
        incident page and the claim form say where it stands, from the public summary's
        figures: above the cap the share each award keeps and what the base comes to, within
        it how much of the fund the claims take; nothing before the first claim."""
        def capped(cap, claims):
            slug = cf.make_incident(self.server)
            self.put_scheme(slug, {
                "currency": "EUR", "base_amount": 5000, "category_supplements": {},
                "documented_loss": {"reimburse": False, "cap_per_claimant": 0},
                "time_spent": {"hourly_rate": 0, "max_hours": 0}, "fund_cap": cap,
                "vouchers": [], "cash_alternative_ratio": None})
            for _ in range(claims):
                cf.submit_ok(self, self.api, slug)
            s = self.get(f"/v1/incidents/{slug}/compensation").json()
            self.assertEqual((s["eligible"], s["total_before_cap"]), (claims, claims * 5000))
            return slug, s

        over, s = capped(10000, 3)       # 150,00 € of awards for a fund of 100,00 €
        hundredths = s["total_after_cap"] * 10000 // s["total_before_cap"]
        share = 5000 * s["total_after_cap"] // s["total_before_cap"]
        within, w = capped(100000, 2)    # 100,00 € of a fund of 1 000,00 €
        pct_within = w["total_before_cap"] * 100 // w["fund_cap"]
        empty, _ = capped(10000, 0)
        said = {
            "fr": (f"Aujourd'hui, avec les 3 réclamations comptées, les indemnisations dépassent "
                   f"le fonds : chacune est réduite à environ {hundredths // 100} % de son "
                   f"montant (la base de 50,00 € revient à environ {share // 100},"
                   f"{share % 100:02d} €). Plus il y a de réclamations, plus chaque part est "
                   "petite.",
                   f"À ce jour, les 2 réclamations comptées restent dans les limites du fonds "
                   f"({pct_within} % de celui-ci)."),
            "en": (f"Today, with the 3 claims counted so far, the awards add up to more than the "
                   f"fund: each is reduced to about {hundredths // 100}% of its amount (the base "
                   f"of €50.00 comes to about €{share // 100}.{share % 100:02d}). The more "
                   "claims, the smaller each share.",
                   f"So far, the 2 claims counted stay within the fund ({pct_within}% of it).")}
        self.assertEqual((hundredths // 100, share, pct_within), (66, 3333, 10))

        def words_of(path, lang):
            r = self.browser_get(f"{path}&lang={lang}" if "?" in path else f"{path}?lang={lang}")
            self.assertEqual(r.status, 200, r)
            return text_of(html.unescape(r.body.decode("utf-8")))

        for lang, (above, below) in said.items():
            for path in ("/i/{}", "/claim?incident={}"):
                text = {slug: words_of(path.format(slug), lang) for slug in (over, within, empty)}
                self.assertIn(above, text[over], path)
                self.assertIn(below, text[within], path)
                self.assertNotIn(above.split(",")[0], text[within], path)
                for words in ("comptée", "counted"):
                    self.assertNotIn(words, text[empty], path)
        # French typography: a narrow no-break space before "%", as in its figures
        body = self.browser_get(f"/claim?incident={over}&lang=fr").body.decode("utf-8")
        self.assertIn(f"environ {hundredths // 100}\u202f%", body)


class MetaParser(html.parser.HTMLParser):
    """<meta name|property=… content=…> and <link rel=canonical> of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a:
            for kind in ("property", "name"):
                if kind in a:
                    self.found[(kind, a[kind])] = a["content"]
        if tag == "link" and a.get("rel") == "canonical":
            self.found[("link", "canonical")] = a["href"]

    @classmethod
    def of(cls, body):
        p = cls()
        p.feed(body)
        p.close()
        return p.found


class AssetParser(html.parser.HTMLParser):
    """Stylesheets and scripts a page loads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet":
            self.refs.append(a["href"])
        if tag == "script" and a.get("src"):
            self.refs.append(a["src"])

    @classmethod
    def of(cls, body):
        p = cls()
        p.feed(body)
        p.close()
        return p.refs


if __name__ == "__main__":
    harness.main()
