#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The claim form without JavaScript (docs/web-forms.md): GET /claim renders it, POST /claim
(application/x-www-form-urlencoded) is the JSON API's submission.

  - the page: the incident, what a claimant may receive in words (Coupang's four vouchers and
    50 000 KRW), the loss and hours questions only when the scheme pays them, a fresh
    Idempotency-Key per render, never cached;
  - refused fields come back beside their fields, in French and in English, with the values
    kept and an error summary linking to each field; the same rules as the API (a claim body
    the API refuses is refused here with the same field paths);
  - a double submit of one rendered form makes one claim and shows the same receipt twice;
  - a post from another site (Sec-Fetch-Site, Origin) is refused (403) and stores nothing;
  - hostile input (markup, quotes) comes back escaped in text and in attributes;
  - the receipt shows reference and token, what happens next, and the site's address.
"""

import html
import re
import time
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import form_fixtures as ff
import harness
import page_scripts
from harness import Client

REFERENCE_RE = re.compile(r'id="receipt-reference">(RC-[0-9A-Z]{4}-[0-9A-Z]{4})<')
TOKEN_RE = re.compile(r'id="receipt-token" class="token">([A-Za-z0-9_-]{32,})<')


def person(**over):
    """The fields a person types, named as the form names them."""
    fields = {
        "claimant.given_name": "Claire",
        "claimant.family_name": "Testa-" + cf.letters(10).capitalize(),
        "claimant.email": cf.unique_email(),
        "claimant.phone": "06 " + " ".join(cf.suffix(8)[i:i + 2] for i in range(0, 8, 2)),
        "claimant.birth_date": "1980-04-12",
        "claimant.address.line1": "12 rue de Rivoli",
        "claimant.address.line2": "",
        "claimant.address.postal_code": "75001",
        "claimant.address.city": "Paris",
        "claimant.address.country": "FR",
        "data_categories": ["email", "password"],
        "harms.phishing": "true",
        "harms.description": "",
        "payment_preference": "voucher",
        "privacy_notice_version": cf.NOTICE_VERSION,
    }
    fields["claimant.phone"] = "06" + "".join(c for c in cf.unique_phone()[4:])
    fields.update(over)
    return fields


def pairs_for(page_text, fields):
    """What a browser sends: the form's hidden fields, then the fields filled in (a list is
    a group of boxes, None leaves the control out)."""
    form = ff.form_by_id(page_text, "claim-form")
    pairs = list(ff.hidden_fields(form))
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, list):
            pairs += [(name, v) for v in value]
        else:
            pairs.append((name, value))
    return pairs


class ClaimForm(unittest.TestCase):
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

    def page(self, slug=None, lang="fr"):
        r = self.client.request("GET", f"/claim?incident={slug or self.slug}&lang={lang}",
                                headers={"Accept": "text/html"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.media_type, "text/html")
        return r

    def test_a_cut_action_link_still_leads_to_the_form(self):
        """A link whose action id lost its end (copied from a letter, cut in a message) is a
        bad parameter, 400, but a person is shown the incident's form, saying the link's
        action is not offered, rather than a bare error page; an API client gets the
        problem."""
        path = f"/claim?incident={self.slug}&action=3f2a0c5e-91b4-4c1e-8a&lang=en"
        r = self.client.request("GET", path, headers={
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        self.assertEqual((r.status, r.media_type), (400, "text/html"))
        text = r.body.decode()
        self.assertIn('id="claim-form"', text)
        self.assertIn("names its action incompletely", text)
        self.assertNotIn('name="action"', text)
        harness.assert_problem(self, self.client.request("GET", path), 400, "invalid-parameter")

    def test_page_is_a_form_of_the_api_members(self):
        r = self.page()
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        text = r.body.decode()
        form = ff.form_by_id(text, "claim-form")
        self.assertEqual(form["method"], "post")
        names = ff.control_names(form)
        for name in ("claimant.given_name", "claimant.address.country", "data_categories",
                     "harms.documented_loss", "harms.hours_spent", "payment_preference",
                     "privacy_notice_version", "idempotency_key", "incident"):
            self.assertIn(name, names)
        keys = {v for n, v in ff.hidden_fields(form) if n == "idempotency_key"}
        again = dict(ff.hidden_fields(ff.form_by_id(self.page().body.decode(), "claim-form")))
        self.assertNotIn(again["idempotency_key"], keys, "each render has its own key")
        self.assertRegex(again["idempotency_key"], r"^[0-9a-f]{32}$")

    def test_an_unreadable_amount_says_what_one_looks_like(self):
        """Without JavaScript the amount's message said "Enter an amount like {example}.":
        the server gives the example as the script does, in the page's language."""
        for lang, said in (("fr", "Saisissez un montant comme 120,50."),
                           ("en", "Enter an amount like 120.50.")):
            with self.subTest(lang=lang):
                r = ff.post_form(self.client, f"/claim?lang={lang}",
                                 pairs_for(self.page(lang=lang).body.decode(),
                                           person(**{"harms.documented_loss": "douze"})))
                self.assertEqual(r.status, 422, r)
                text = r.body.decode()
                plain = re.sub(r"</?bdi>", "", text)
                self.assertEqual(plain.count(said), 2, "in the summary and beside the field")
                self.assertNotIn("{example}", text)

    def test_a_loss_or_hours_too_large_say_the_largest(self):
        """Above the largest loss (10^10 minor units) the message said "from 0 to {max}", with
        or without JavaScript: the server writes the largest in the incident's currency (EUR
        here), as the script does; hours above 1000 say their range, not "out of range"."""
        for lang, said in (("fr", "Saisissez un montant entre 0 et 100\u202f000\u202f000,00\u00a0€."),
                           ("en", "Enter an amount from 0 to €100,000,000.00.")):
            with self.subTest(lang=lang):
                r = ff.post_form(self.client, f"/claim?lang={lang}",
                                 pairs_for(self.page(lang=lang).body.decode(),
                                           person(**{"harms.documented_loss": "100000000.01",
                                                     "harms.hours_spent": "1001"})))
                self.assertEqual(r.status, 422, r)
                plain = re.sub(r"</?bdi>", "", r.body.decode())
                self.assertEqual(plain.count(said), 2, "in the summary and beside the field")
                self.assertEqual(plain.count("entre 0 et 1000." if lang == "fr" else "from 0 to 1000."),
                                 2, "the hours' range, in the summary and beside the field")
                self.assertNotRegex(plain, r"\{(max|example|min)\}")

    def test_the_markup_the_html_validator_refused(self):
        """What the Nu HTML checker (vnu) refused on this page: maxlength on a date input, and
        a required country select whose first choice is a country. The select now starts with
        an empty choice, selected when a form comes back without a country (it showed the first
        country of the list as if chosen); France stays the fresh form's choice."""
        text = self.page(lang="en").body.decode()
        birth = re.search(r'<input id="birth_date"[^>]*>', text).group(0)
        self.assertIn('type="date"', birth)
        self.assertNotIn("maxlength", birth)
        select = re.search(r'<select id="country"[^>]*>(.*?)</select>', text, re.S).group(1)
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
        self.assertEqual(options[0][::2], ("", "Choose a country"))
        self.assertEqual([o[0] for o in options if o[1]], ["FR"])
        # sent back without a country: the empty choice, and the error at the select
        fields = person(**{"claimant.address.country": None})
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(text, fields))
        self.assertEqual(r.status, 422, r)
        back = r.body.decode()
        select = re.search(r'<select id="country"([^>]*)>(.*?)</select>', back, re.S)
        self.assertIn('aria-invalid="true"', select.group(1))
        self.assertEqual(re.findall(r'<option value="([^"]*)" selected>', select.group(2)), [""])

    def test_scheme_in_words_and_only_the_questions_it_pays(self):
        slug = cf.make_incident(self.server, currency="KRW")
        with Client(self.server) as c:
            presets = c.request("GET", "/v1/schemes/presets").json()["data"]
        coupang = next(p["scheme"] for p in presets if p["id"] == "coupang-2025")
        r = cf.operator_request(self.server, "PUT", f"/v1/incidents/{slug}/scheme", coupang)
        self.assertEqual(r.status, 200, r)
        for lang, amount, words in (("fr", "50\u202f000\u00a0KRW", "en quatre bons d'achat"),
                                    ("en", "50,000\u00a0KRW", "as four vouchers")):
            text = self.page(slug, lang).body.decode()
            self.assertIn(amount, text)
            self.assertIn(words, text.replace("&#39;", "'"))
            for voucher in ("Coupang Eats", "Coupang Travel", "R.LUX"):
                self.assertIn(voucher, text)
            names = ff.control_names(ff.form_by_id(text, "claim-form"))
            self.assertNotIn("harms.documented_loss", names)
            self.assertNotIn("harms.hours_spent", names)

    def test_errors_beside_fields_in_both_languages_values_kept(self):
        for lang, required, email_msg, title in (
                ("fr", "Saisissez votre prénom.", "Saisissez une adresse électronique comme",
                 "Erreur\u00a0: Déposer une réclamation — recours"),
                ("en", "Enter your given name.", "Enter an email address like",
                 "Error: Make a claim — recours")):
            page = self.page(lang=lang).body.decode()
            self.assertNotIn(f"<title>{title}</title>", page)
            fields = person(**{"claimant.given_name": "", "claimant.email": "claire@nowhere",
                               "claimant.address.city": "Lyon"})
            r = ff.post_form(self.client, f"/claim?lang={lang}", pairs_for(page, fields))
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.media_type, "text/html")
            text = r.body.decode()
            self.assertIn('id="error-summary"', text)
            self.assertIn('href="#given_name"', text)
            self.assertIn('href="#email"', text)
            self.assertIn(required, text)
            self.assertIn(email_msg, text)
            self.assertRegex(text, r'<input id="email"[^>]*aria-invalid="true"[^>]*'
                                   r'value="claire@nowhere"')
            self.assertRegex(text, r'<input id="city"[^>]*value="Lyon"')
            # a name or an address in Arabic or Hebrew is written right to left as it is typed
            for control in ("given_name", "family_name", "line1", "line2", "city"):
                self.assertRegex(text, rf'<input id="{control}"[^>]* dir="auto"')
            self.assertRegex(text, r'<textarea id="description"[^>]* dir="auto"')
            self.assertNotRegex(text, r'<input id="(email|phone|birth_date)"[^>]* dir="auto"')
            self.assertRegex(text, r'id="cat-password"[^>]*value="password" checked')
            self.assertIn(f'<html lang="{lang}"', text)
            # without JavaScript nothing moves the focus: the title, read first, says it
            self.assertIn(f"<title>{title}</title>", text)

    def test_the_language_switch_keeps_what_was_typed(self):
        """Without JavaScript, the switch of the claim form is a button of the form: the form
        comes back in the other language with every value kept, and no claim is made (none
        stored, no error shown); the key Enter in a field still sends the claim (the form's
        first button is its own submit, before the switch)."""
        family = "Switch-" + cf.letters(10).capitalize()
        before = cf.count_claims(self.slug)
        for lang, to, heading in (("fr", "en", "Make a claim"), ("en", "fr", "Déposer")):
            with self.subTest(to=to):
                page = self.page(lang=lang).body.decode()
                button = re.search(r'<button[^>]* form="claim-form"[^>]* name="switch_lang" '
                                   rf'value="{to}"[^>]*>', page)
                self.assertIsNotNone(button, "the switch is a button of the claim form")
                self.assertIn(f'formaction="/claim?lang={to}"', button.group(0))
                first = re.search(r'<button[^>]* form="claim-form"[^>]*>', page).group(0)
                self.assertNotIn("switch_lang", first, "Enter would switch the language")
                email = cf.unique_email()
                fields = person(**{"claimant.family_name": family, "claimant.email": email,
                                   "claimant.address.city": "Lyon",
                                   "harms.description": "Deux lignes\nici"})
                r = ff.post_form(self.client, f"/claim?lang={to}",
                                 pairs_for(page, fields) + [("switch_lang", to)])
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.headers.get("Cache-Control"), "no-store")
                text = r.body.decode()
                self.assertIn(f'<html lang="{to}"', text)
                self.assertIn(heading, text)
                self.assertNotIn("<title>Err", text, "no error: nothing was sent as a claim")
                self.assertRegex(text, rf'<input id="family_name"[^>]*value="{family}"')
                self.assertRegex(text, rf'<input id="email"[^>]*value="{re.escape(email)}"')
                self.assertRegex(text, r'<input id="city"[^>]*value="Lyon"')
                self.assertRegex(text, r'id="cat-password"[^>]*value="password" checked')
                self.assertIn(">Deux lignes\nici</textarea>", text)
                form = ff.form_by_id(text, "claim-form")
                self.assertEqual(dict(ff.hidden_fields(form))["lang"], to)
        self.assertEqual(cf.count_claims(self.slug), before, "a claim was made")

    def test_a_refused_form_keeps_its_errors_through_the_language_switch(self):
        """A form that came back with errors, then switched to the other language, shows its
        errors again in that language, summary and fields, as a refused post does: those of
        what is typed now (one fixed in the meantime is gone), and still no claim is made."""
        before = cf.count_claims(self.slug)
        for lang, to, given_msg, email_msg, title in (
                ("fr", "en", "Enter your given name.", "Enter an email address like",
                 "Error: Make a claim — recours"),
                ("en", "fr", "Saisissez votre prénom.", "Saisissez une adresse électronique comme",
                 "Erreur\u00a0: Déposer une réclamation — recours")):
            with self.subTest(to=to):
                fields = person(**{"claimant.given_name": "", "claimant.email": "claire@nowhere",
                                   "claimant.address.city": "Lyon"})
                refused = ff.post_form(self.client, f"/claim?lang={lang}",
                                       pairs_for(self.page(lang=lang).body.decode(), fields))
                self.assertEqual(refused.status, 422, refused)
                r = ff.post_form(self.client, f"/claim?lang={to}",
                                 pairs_for(refused.body.decode(), fields) + [("switch_lang", to)])
                self.assertEqual(r.status, 422, "the status of the refused post, as it said")
                text = r.body.decode()
                self.assertIn(f'<html lang="{to}"', text)
                self.assertIn(f"<title>{title}</title>", text)
                summary = text[text.index('id="error-summary"'):]
                summary = summary[:summary.index("</div>")]
                self.assertIn('role="alert"', summary)
                self.assertIn('href="#given_name"', summary)
                self.assertIn(given_msg, summary)
                self.assertIn('href="#email"', summary)
                self.assertIn(email_msg, summary)
                self.assertEqual(summary.count("<li>"), 2, "the errors of the form, no other")
                self.assertRegex(text, r'<input id="email"[^>]*aria-describedby="email-hint '
                                       r'email-error" aria-invalid="true"[^>]*'
                                       r'value="claire@nowhere"')
                self.assertRegex(text, r'<p class="error-msg" id="given_name-error">'
                                       r'<span class="error-line">')
                # the email fixed before the switch: only the given name is wrong now
                fixed = dict(fields, **{"claimant.email": cf.unique_email()})
                again = ff.post_form(self.client, f"/claim?lang={lang}",
                                     pairs_for(text, fixed) + [("switch_lang", lang)])
                at = again.body.decode()
                self.assertIn('href="#given_name"', at)
                self.assertNotIn('href="#email"', at)
                self.assertNotRegex(at, r'<input id="email"[^>]*aria-invalid')
        self.assertEqual(cf.count_claims(self.slug), before, "a claim was made")

    def test_a_refused_send_says_so_again_through_the_language_switch(self):
        """A send refused for no field (a duplicate, the rate limit) says the same again in the
        other language when the switch is used, with the same status (its hidden `sent` says
        which refusal; a word the server does not know says nothing)."""
        fields = person()
        made = ff.post_form(self.client, "/claim?lang=fr",
                            pairs_for(self.page().body.decode(), fields))
        self.assertEqual(made.status, 200, made)
        twice = ff.post_form(self.client, "/claim?lang=fr",
                             pairs_for(self.page().body.decode(), fields))
        self.assertEqual(twice.status, 409, twice)
        self.assertIn("Une réclamation existe déjà", twice.body.decode())
        r = ff.post_form(self.client, "/claim?lang=en",
                         pairs_for(twice.body.decode(), fields) + [("switch_lang", "en")])
        self.assertEqual(r.status, 409, "the status of the refused post")
        text = r.body.decode()
        self.assertIn("A claim already exists for this person", text)
        self.assertIn('<a href="/my-claim">Go to my claim</a>', text)
        self.assertIn("<title>Error: ", text)
        # the rate limit's message and what is left of its wait: `sent` keeps the moment the
        # wait ends (forged here: this server has no limit), so that a switch made later
        # says what is left, not the count the refused page said; a wait over says to send
        # again (200, no Retry-After); a moment further than a day is none the server wrote
        page = self.page(lang="en").body.decode()
        now = int(time.time())
        for sent, status, said in (
                (f"rate_limited:{now + 600}", 429, r"réessayez dans (\d+)\u00a0secondes"),
                (f"unavailable:{now + 300}", 503, r"réessayez dans (\d+)\u00a0secondes?\."),
                (f"rate_limited:{now - 5}", 200, r"vous pouvez maintenant l'envoyer de nouveau"),
                (f"rate_limited:{now + 90000}", 200, None), ("rate_limited:soon", 200, None),
                ("rate_limited:", 200, None), ("other", 200, None)):
            with self.subTest(sent=sent):
                r = ff.post_form(self.client, "/claim?lang=fr",
                                 pairs_for(page, person()) + [("sent", sent),
                                                              ("switch_lang", "fr")])
                self.assertEqual(r.status, status, r)
                text = r.body.decode()
                if said is None:
                    self.assertNotIn('id="form-notice"', text)
                    continue
                notice = re.search(r'id="form-notice"[^>]*><p>([^<]*)', text)
                m = re.search(said, notice.group(1) if notice else text[:300])
                self.assertTrue(m, notice.group(1) if notice else text[:300])
                left = m.groups()[0] if m.groups() else None
                if left is not None:  # at most what was left when the test wrote it
                    wait = int(sent.split(":")[1]) - now
                    self.assertTrue(1 <= int(left) <= wait, (left, wait))
                self.assertEqual(r.headers.get("Retry-After"), left)
                self.assertIn(f'name="sent" value="{sent}"', text, "said again at the next")
        # a refusal and fields wrong now (typed after it): both said, with the refusal's status
        wrong = pairs_for(page, person(**{"claimant.email": "claire@nowhere"}))
        r = ff.post_form(self.client, "/claim?lang=en",
                         wrong + [("sent", f"rate_limited:{now + 600}"), ("switch_lang", "en")])
        self.assertEqual(r.status, 429, r)
        text = r.body.decode()
        self.assertIn("Too many claims were sent from your connection", text)
        self.assertIn('href="#email"', text, "the field's error in the summary")
        self.assertRegex(text, r'<input id="email"[^>]*aria-invalid="true"')
        self.assertIn(f'name="sent" value="rate_limited:{now + 600}"', text)
        # one alert per refusal (a screen reader said both): the summary; the notice plain
        self.assertEqual(text.count('role="alert"'), 1, text[:2000])
        self.assertRegex(text, r'id="error-summary"[^>]*role="alert"')
        self.assertRegex(text, r'<div id="form-notice" class="status status-error"><p>')
        r = ff.post_form(self.client, "/claim?lang=fr",
                         wrong + [("sent", "duplicate"), ("switch_lang", "fr")])
        self.assertEqual(r.status, 409, r)
        self.assertIn("Une réclamation existe déjà", r.body.decode())
        self.assertIn('href="#email"', r.body.decode())
        reference = REFERENCE_RE.search(made.body.decode()).group(1)
        self.assertEqual(cf.count_claims(self.slug, f"reference = '{reference}'"), 1)

    def test_a_form_sent_after_the_incident_closed_says_where_to_go(self):
        """The incident closed while the form was filled in: 409, the message and the way to
        the incidents still open (as claim.js says it), no form to send again."""
        slug = cf.make_incident(self.server)
        page = self.page(slug=slug, lang="en").body.decode()
        cf.close_incident(self.server, slug)
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, person()))
        self.assertEqual(r.status, 409, r)
        text = r.body.decode()
        self.assertIn("This incident has stopped accepting claims. Your claim was not registered.",
                      text)
        self.assertIn('<p><a href="/">See the incidents open for claims</a></p>', text)
        self.assertNotIn('<form id="claim-form"', text)
        self.assertEqual(cf.count_claims(slug), 0)

    def test_an_unknown_field_is_named(self):
        """A forged post with a control the form does not have is told which one, escaped,
        cut when long, in both languages."""
        for lang, said in (("en", "The field “<bdi>{}</bdi>” is not accepted."),
                           ("fr", "Le champ «\u00a0<bdi>{}</bdi>\u00a0» n'est pas accepté.")):
            for name, shown in (("claimant.nickname", "claimant.nickname"),
                                ("claimant.<b>x</b>", "claimant.&lt;b&gt;x&lt;/b&gt;"),
                                ("z" * 100, "z" * 40 + "…"),
                                # 40 characters of two bytes each, not 40 bytes; the API
                                # cut the name (95 bytes) on a character's boundary
                                ("é" * 60, "é" * 40 + "…")):
                with self.subTest(lang=lang, name=name[:20]):
                    page = self.page(lang=lang).body.decode()  # a key per body
                    r = ff.post_form(self.client, f"/claim?lang={lang}",
                                     pairs_for(page, person(**{name: "x"})))
                    self.assertEqual(r.status, 422, r)
                    text = r.body.decode()
                    self.assertIn(said.format(shown), text)
                    self.assertNotIn("<b>x</b>", text)

    def test_the_apis_rules_and_paths(self):
        """A value the API refuses is refused here at the same path: hours as words, a
        category outside the incident, an unknown member."""
        page = self.page(lang="en").body.decode()
        fields = person(**{"harms.hours_spent": "three", "data_categories": ["health", "email"],
                           "claimant.nickname": "x"})
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, fields))
        self.assertEqual(r.status, 422, r)
        text = r.body.decode()
        self.assertIn('href="#hours_spent"', text)
        self.assertRegex(text, r'<input id="hours_spent"[^>]*value="three"')

    def test_double_submit_makes_one_claim(self):
        page = self.page().body.decode()
        fields = person()
        pairs = pairs_for(page, fields)
        first = ff.post_form(self.client, "/claim?lang=fr", pairs)
        self.assertEqual(first.status, 200, first)
        second = ff.post_form(self.client, "/claim?lang=fr", pairs)
        self.assertEqual(second.status, 200, second)
        ref1 = REFERENCE_RE.search(first.body.decode()).group(1)
        ref2 = REFERENCE_RE.search(second.body.decode()).group(1)
        self.assertEqual(ref1, ref2)
        email = fields["claimant.email"]
        self.assertEqual(cf.count_claims(self.slug, f"reference = '{ref1}'"), 1)
        token = TOKEN_RE.search(first.body.decode()).group(1)
        view = cf.claim_request(self.client, "GET", ref1, token)
        self.assertEqual(view.status, 200, view)
        self.assertEqual(view.json()["claimant"]["email"], email)
        self.assertEqual(view.json()["claimant"]["phone"][:4], "+336")

    def test_a_description_of_several_lines_as_a_browser_posts_it(self):
        """A browser posts a textarea's line breaks as CR LF (HTML's form submission, seen in
        Chromium with JavaScript off): a description of several lines is a claim, its lines
        kept as LF. It used to be refused as "Use text, line breaks and tabs only"."""
        page = self.page(lang="en").body.decode()
        typed = "Un SMS d'hameçonnage le 3 mars.\r\n\r\nPuis deux appels."
        r = ff.post_form(self.client, "/claim?lang=en",
                         pairs_for(page, person(**{"harms.description": typed})))
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        reference, token = REFERENCE_RE.search(text).group(1), TOKEN_RE.search(text).group(1)
        view = cf.claim_request(self.client, "GET", reference, token)
        self.assertEqual(view.json()["harms"]["description"],
                         "Un SMS d'hameçonnage le 3 mars.\n\nPuis deux appels.")

    def test_receipt_says_what_happens_next(self):
        page = self.page(lang="en").body.decode()
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, person()))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        text = r.body.decode()
        self.assertRegex(text, REFERENCE_RE)
        self.assertRegex(text, TOKEN_RE)
        self.assertIn("confirmation email", text)
        self.assertIn("/my-claim", text)
        self.assertIn(f'href="/i/{self.slug}"', text)
        reference, token = REFERENCE_RE.search(text).group(1), TOKEN_RE.search(text).group(1)
        # "See my claim" opens it, and the language switch keeps the token on show: both post
        # the credentials (a link would lose them), none is an address holding the token
        opens = ff.form_by_id(text, "receipt-open")
        self.assertEqual((opens["action"], dict(ff.hidden_fields(opens))),
                         ("/my-claim?lang=en", {"form": "open", "lang": "en",
                                                "reference": reference, "token": token}))
        self.assertNotIn(f"/claim?incident={self.slug}&amp;lang=fr", text)
        switch = [f for f in ff.forms_of(text) if f["action"] == "/my-claim?lang=fr"]
        self.assertEqual(len(switch), 1, "the switch to French")
        self.assertEqual(dict(ff.hidden_fields(switch[0])),
                         {"form": "keep", "lang": "fr", "reference": reference, "token": token})
        kept = ff.post_form(self.client, "/my-claim?lang=fr", ff.hidden_fields(switch[0]))
        self.assertEqual(kept.status, 200, kept)
        kt = kept.body.decode()
        self.assertIn('<html lang="fr"', kt)
        self.assertRegex(kt, r'id="receipt-token" class="token">' + re.escape(token) + "<")
        self.assertIn(f'id="claim-h2">Réclamation <bdi>{reference}</bdi><', kt)

    def test_the_receipt_isolates_an_association_written_right_to_left(self):
        """The receipt's sentence naming the association and its action keeps a name written
        right to left (Arabic, Hebrew) in its own <bdi>, in the page and in the line the script
        shows."""
        assoc = af.approved_association(self.server, name="עמותת הנפגעים " + cf.letters(6))
        action = af.open_action(assoc, self.slug, title="دعوى جماعية " + cf.letters(6))
        page = self.client.request("GET", f"/claim?action={action['id']}&lang=en",
                                   headers={"Accept": "text/html"}).body.decode()
        joined = re.search(r'<p id="mandate-joined" hidden>(.*?)</p>', page).group(1)
        name, title = f"<bdi>{assoc.obj['name']}</bdi>", f"<bdi>{action['title']}</bdi>"
        self.assertIn(name, joined)
        self.assertIn(title, joined)
        fields = person(action_id=action["id"])
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, fields))
        self.assertEqual(r.status, 200, r)
        steps = r.body.decode()
        steps = steps[steps.index('class="next-steps"'):]
        self.assertIn(f"You gave {name} a mandate for the action “{title}”", steps)

    def test_the_receipt_names_the_action_a_post_ticked_without_its_offer(self):
        """A post that ticks a mandate (action_id and its text version) without the hidden
        field naming the form's offer (a script's post, a page kept from before) joins the
        action; the receipt says which, not that the claim joined none."""
        slug = cf.make_incident(self.server)
        assoc = af.approved_association(self.server)
        action = af.open_action(assoc, slug)
        page = self.page(slug=slug, lang="en").body.decode()
        self.assertNotIn('name="action"', page)  # the plain form: no offer
        fields = person(action_id=action["id"],
                        mandate_text_version=action["mandate_text_version"])
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, fields))
        self.assertEqual(r.status, 200, r)
        steps = r.body.decode()
        steps = steps[steps.index('class="next-steps"'):]
        self.assertIn(f"a mandate for the action “<bdi>{action['title']}</bdi>”", steps)
        self.assertNotIn("You have not joined", steps)
        reference = REFERENCE_RE.search(r.body.decode()).group(1)
        members = assoc.request("GET", f"/v1/actions/{action['id']}/members")
        self.assertEqual([m["reference"] for m in members.json()["data"]], [reference])

    def test_cross_site_post_refused(self):
        page = self.page().body.decode()
        fields = person()
        before = cf.count_claims(self.slug)
        for site, headers in (("cross-site", {}), ("same-site", {}),
                              (None, {"Origin": "https://evil.example"}),
                              (None, {"Origin": "null"})):
            r = ff.post_form(self.client, "/claim", pairs_for(page, fields), site=site,
                             headers=headers)
            self.assertEqual(r.status, 403, (site, headers, r))
        self.assertEqual(cf.count_claims(self.slug), before)
        ok = ff.post_form(self.client, "/claim", pairs_for(page, fields), site=None,
                          headers={"Origin": f"https://{self.server.host}:{self.server.port}"})
        self.assertEqual(ok.status, 200, ok)

    def test_hostile_input_is_escaped(self):
        page = self.page(lang="en").body.decode()
        evil = '"><script>alert(1)</script>&amp;'
        fields = person(**{"claimant.family_name": evil, "claimant.address.city": evil,
                           "harms.description": "</textarea><script>x()</script>",
                           "claimant.email": "bad"})
        r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, fields))
        self.assertEqual(r.status, 422, r)
        text = r.body.decode()
        self.assertNotIn("<script>alert", text)
        self.assertNotIn("<script>x()", text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;", text)
        self.assertIn("&quot;&gt;", text)

    def test_a_field_sent_twice_is_refused_by_the_send_and_by_the_switch(self):
        """A name the form has once (an email, the family name) sent twice is no claim a person
        typed: 400, whether the form is sent or its language switched (nothing shown as if it
        were fine); names that are lists (the categories) may repeat."""
        page = self.page(lang="fr").body.decode()
        before = cf.count_claims(self.slug)
        pairs = pairs_for(page, person())
        twice = pairs + [("claimant.family_name", "Autre")]
        for switch in ([], [("switch_lang", "en")], [("switch_lang", "fr")]):
            with self.subTest(switch=switch):
                r = ff.post_form(self.client, "/claim?lang=fr", twice + switch)
                self.assertEqual((r.status, r.media_type), (400, "text/html"), r)
        ok = ff.post_form(self.client, "/claim?lang=fr", pairs + [("switch_lang", "en")])
        self.assertEqual(ok.status, 200, ok)
        self.assertGreater(sum(1 for name, _ in pairs if name == "data_categories"), 1)
        self.assertEqual(cf.count_claims(self.slug), before)

    def test_not_a_form(self):
        for body, ctype in (("a=1&&b", ff.FORM_TYPE), ("{}", "application/json"),
                            ("incident=" + self.slug + "&claimant=x&claimant.email=y",
                             ff.FORM_TYPE)):
            r = self.client.request("POST", "/claim", body=body,
                                    headers={"Content-Type": ctype, "Accept": "text/html",
                                             "Sec-Fetch-Site": "same-origin"})
            self.assertIn(r.status, (400, 415), (body, r))
            self.assertEqual(r.media_type, "text/html")


    def test_the_language_switch_gives_the_focus_back_to_the_switch(self):
        """A form switched to another language mid-way comes back with the focus on the
        switch's button of its new language, where the keyboard user was (autofocus, with
        JavaScript or without), not at the top of the page; a page opened fresh moves no
        focus."""
        fresh = self.page(lang="fr").body.decode()
        self.assertNotIn("autofocus", fresh)
        r = ff.post_form(self.client, "/claim?lang=en",
                         pairs_for(fresh, person()) + [("switch_lang", "en")])
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        self.assertRegex(text, r'<button type="submit" form="claim-form"[^>]*name="switch_lang" '
                               r'value="en"[^>]* lang="en" aria-current="true" autofocus>')
        self.assertEqual(text.count("autofocus"), 1, "one place for the focus")
    def test_the_receipt_says_which_address_the_message_goes_to(self):
        """What happens next names the address the confirmation goes to, as typed and
        isolated, with what to do if it is wrong: a letter off, the person waited for a message
        that went elsewhere, and nothing on the receipt said where it went."""
        for lang, says in (("en", "You will receive a confirmation email at "),
                           ("fr", "Vous allez recevoir à ")):
            page = self.page(lang=lang).body.decode()
            fields = person()
            r = ff.post_form(self.client, f"/claim?lang={lang}", pairs_for(page, fields))
            self.assertEqual(r.status, 200, r)
            steps = r.body.decode()
            steps = html.unescape(steps[steps.index('class="next-steps"'):])
            self.assertIn(f"{says}<bdi>{fields['claimant.email']}</bdi>", steps, lang)
            self.assertIn("“My claim”" if lang == "en" else "«\u00a0Ma réclamation\u00a0»", steps)

    def test_a_wrong_optional_phone_says_it_may_be_left_empty(self):
        """A phone number that cannot be read is refused beside the field, and the message
        says the field may be left empty: it is optional, and a person without a number that
        fits thought the form could not be sent without one."""
        for lang, says in (("en", "or leave it empty: it is optional."),
                           ("fr", "ou laissez le champ vide\u00a0: il est facultatif.")):
            page = self.page(lang=lang).body.decode()
            r = ff.post_form(self.client, f"/claim?lang={lang}",
                             pairs_for(page, person(**{"claimant.phone": "06 12 34"})))
            self.assertEqual(r.status, 422, r)
            error = re.search(r'<p class="error-msg" id="phone-error">(.*?)</p>', r.body.decode())
            self.assertIsNotNone(error, lang)
            self.assertIn(says, html.unescape(error.group(1)), lang)

    def test_the_receipt_says_what_the_token_is(self):
        """Beside the token, what it is for and that it is shown once, on the receipt and on
        the receipt its language switch shows again: "Token" alone left a person asking."""
        page = self.page(lang="fr").body.decode()
        r = ff.post_form(self.client, "/claim?lang=fr", pairs_for(page, person()))
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        hint = re.compile(r'id="receipt-token" class="token">[A-Za-z0-9_-]{32,}</code></dd>'
                          r'<dd id="receipt-token-hint" class="hint">([^<]*)</dd>')
        self.assertRegex(text, hint)
        said = html.unescape(hint.search(text).group(1))
        self.assertIn("Votre code secret\u00a0: avec la référence, il permet de consulter, "
                      "corriger ou retirer votre réclamation.", said)
        self.assertIn("affiché qu'une seule fois", said)
        switch = [f for f in ff.forms_of(text) if f["action"] == "/my-claim?lang=en"]
        kept = ff.post_form(self.client, "/my-claim?lang=en", ff.hidden_fields(switch[0]))
        self.assertEqual(kept.status, 200, kept)
        said = html.unescape(hint.search(kept.body.decode()).group(1))
        self.assertEqual(said, "Your secret code: with the reference, it lets you see, correct "
                               "or withdraw your claim. It is shown only once, on this page.")

    def test_the_money_option_says_in_money(self):
        """The option that is not vouchers answers the question above it ("Sous quelle
        forme…?": "En argent"), where "Argent" alone read as a heading; no bank transfer is
        promised (the product does not say how the money is paid); its value stays "cash"."""
        for lang, label in (("fr", "En argent"), ("en", "In money")):
            page = self.page(lang=lang).body.decode()
            self.assertRegex(page, r'<input id="pay-cash" type="radio" name="payment_preference"'
                                   r' value="cash"[^>]*><label for="pay-cash">' + label
                                   + "</label>", lang)

    def test_the_receipt_recalls_the_compensation_chosen(self):
        """The receipt recalls the compensation chosen, in the words of the form's option, as
        it recalls the address and the date of birth: it was the one choice it left out."""
        for lang, chosen, said in (
                ("fr", "voucher", "Indemnisation souhaitée\u00a0: en bons d'achat."),
                ("fr", "cash", "Indemnisation souhaitée\u00a0: en argent."),
                ("en", "voucher", "Compensation preferred: vouchers."),
                ("en", "cash", "Compensation preferred: in money.")):
            page = self.page(lang=lang).body.decode()
            r = ff.post_form(self.client, f"/claim?lang={lang}",
                             pairs_for(page, person(payment_preference=chosen)))
            self.assertEqual(r.status, 200, r)
            self.assertIn(f'<p id="receipt-payment">{said}</p>', html.unescape(r.body.decode()),
                          lang)

    def test_the_privacy_link_names_the_notice_the_box_accepts(self):
        """The form's link to the privacy notice calls it what the box below it and the page
        it opens call it: the French link said "politique de confidentialité", the box "notice
        de confidentialité", which read as two documents."""
        for lang, title in (("fr", "notice de confidentialité"), ("en", "privacy notice")):
            page = html.unescape(self.page(lang=lang).body.decode())
            link = re.search(r'<a href="/privacy">([^<]*)</a>', page)
            self.assertIsNotNone(link, lang)
            self.assertIn(title, link.group(1), lang)
            self.assertIn(f"{title} (version", page, lang)
            opened = self.client.request("GET", f"/privacy?lang={lang}",
                                         headers={"Accept": "text/html"})
            self.assertIn(title, html.unescape(opened.body.decode()).lower(), lang)

    def test_the_error_summary_follows_the_form(self):
        """The summary lists the errors in the form's order: the API's rules found the phone
        (read against the address's country) after the city, so the list went back up the
        page at its end. Every field wrong at once, in both languages: the summary's links
        come in the order of their controls on the page."""
        for lang in ("fr", "en"):
            page = self.page(lang=lang).body.decode()
            wrong = person(**{"claimant.given_name": "", "claimant.email": "a@b",
                              "claimant.phone": "123", "claimant.address.city": "",
                              "data_categories": None, "harms.hours_spent": "2,5",
                              "privacy_notice_version": None})
            r = ff.post_form(self.client, f"/claim?lang={lang}", pairs_for(page, wrong))
            self.assertEqual(r.status, 422, r)
            body = r.body.decode()
            summary = re.search(r'<div id="error-summary".*?</div>', body, re.S).group(0)
            linked = re.findall(r'<a href="#([a-z_-]+)">', summary)
            self.assertEqual(len(linked), 7, (lang, linked))
            on_page = [body.index(f'id="{i}"') for i in linked]
            self.assertEqual(on_page, sorted(on_page), (lang, linked))

    def test_a_postal_code_of_the_wrong_form_says_the_expected_one(self):
        """« 6900 » or « 75OO1 » passed as a French postal code. The form refuses a code not of
        its country's form where it is certain and says the form expected, in both languages,
        the value kept; the script checks by the same rule (the list the page writes on the
        select, common.js's postalCodeFits), compared here with the form's on one table. The
        JSON API takes any code of 1..20 characters, as its contract says (docs/decisions.md,
        "A postal code's form, on the pages only"; its posts lack the privacy notice: nothing
        is saved there; a form that fits is a claim made)."""
        for lang, typed, said in (("fr", "6900", "Saisissez le code postal en 5\u00a0chiffres"),
                                  ("en", "75OO1", "Enter the postal code as 5 digits, like 75001.")):
            page = self.page(lang=lang).body.decode()
            r = ff.post_form(self.client, f"/claim?lang={lang}",
                             pairs_for(page, person(**{"claimant.address.postal_code": typed})))
            self.assertEqual(r.status, 422, r)
            text = r.body.decode()
            self.assertIn('href="#postal_code"', text)
            self.assertRegex(text, rf'<input id="postal_code"[^>]*aria-invalid="true"[^>]*'
                                   rf'value="{typed}"')
            self.assertIn(said, re.sub(r"<[^>]+>", "", text))  # its values in their <bdi>
        select = re.search(r'<select id="country"[^>]*data-postal-forms="([^"]*)"', page).group(1)
        forms = {c: {"digits": int(d), "spaceAfter": int(s), "example": e}
                 for c, d, s, e in (f.split(":") for f in select.split())}
        cases = [("FR", "75001"), ("FR", "75 001"), ("FR", "6900"), ("FR", "75OO1"),
                 ("FR", "750 01"), ("GP", "97100"), ("GP", "97 100"), ("BE", "1000"),
                 ("BE", "B-1000"), ("DE", "1011"), ("GB", "SW1A 1AA"), ("NL", "1234 AB")]
        script = page_scripts.call(self, "common.js", "postalCodeFits",
                                   [[forms[c], code] for c, code in cases if c in forms])
        self.assertIn("FR", forms)
        fits = iter(script)
        for country, code in cases:
            page = self.page(lang="en").body.decode()  # its own Idempotency-Key: a claim each
            r = ff.post_form(self.client, "/claim?lang=en", pairs_for(page, person(**{
                "claimant.address.postal_code": code, "claimant.address.country": country})))
            refused = 'href="#postal_code"' in r.body.decode()
            expected = not next(fits) if country in forms else False
            self.assertEqual(refused, expected, (country, code))
            body = cf.claim_body(claimant={"address": {"postal_code": code, "country": country}},
                                 privacy_notice_version=cf.DROP)
            errors = cf.errors_of(self, cf.submit(self.client, self.slug, body))
            self.assertNotIn("claimant.address.postal_code", [f for f, _ in errors], errors)


    def test_a_forged_category_is_named(self):
        """A category the form does not offer, or one ticked twice (a forged post): the page
        said "« {item} » n'est pas un type de données connu", its placeholder unfilled. It names
        the value posted, escaped and cut as a field's name, in both languages."""
        for lang, said in (("fr", "«\u00a0<bdi>{}</bdi>\u00a0» n'est pas un type de données connu."),
                           ("en", "“<bdi>{}</bdi>” is not a known type of data.")):
            for posted, shown in (("pets", "pets"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
                                  ("z" * 100, "z" * 40 + "…")):
                with self.subTest(lang=lang, posted=posted[:20]):
                    page = self.page(lang=lang).body.decode()
                    r = ff.post_form(self.client, f"/claim?lang={lang}", pairs_for(
                        page, person(data_categories=["email", posted, "email"])))
                    self.assertEqual(r.status, 422, r)
                    text = r.body.decode()
                    self.assertNotIn("{item}", text)
                    self.assertIn(said.format(shown), text)
                    self.assertIn("<bdi>email</bdi>", text, "the one ticked twice")
                    self.assertNotIn("<b>x</b>", text)


if __name__ == "__main__":
    harness.main()
