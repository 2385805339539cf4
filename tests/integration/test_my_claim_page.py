#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""/my-claim without JavaScript (docs/web-forms.md): reference and token in a POST (never in
the address); the claim as given (phone written for reading); a correction of any field the
API allows, refused beside its field with the values kept, then saved; the mandate given to
the action a link offers, with the action's page linked, then revoked; the withdrawal, after
which nothing is said about a mandate; "I lost my token": the same page whether the address
has a claim or not, the emailed link (a real SMTP server, smtp_fixture.py) opens a button, and
the new token replaces the old one."""

import html
import json
import os
import re
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import evidence_fixtures as ef
import form_fixtures as ff
import harness
import mail_fixtures as mf
from harness import Client

BASE = "https://recours.test"


def catalogue(lang):
    with open(os.path.join(harness.source_dir(), "web", "i18n", f"{lang}.json"),
              encoding="utf-8") as f:
        return json.load(f)


class MyClaimPage(mf.RelayServer, unittest.TestCase):
    DB_PREFIX = "mypage_"
    BASE = BASE

    def setUp(self):
        self.client = Client(self.server)
        self.addCleanup(self.client.close)

    def claim(self):
        body = cf.claim_body()
        return body, cf.submit_ok(self, self.client, self.slug, body)

    def post(self, pairs, lang="en", **kw):
        return ff.post_form(self.client, f"/my-claim?lang={lang}", pairs, **kw)

    def open(self, receipt, lang="en", action=None):
        pairs = [("form", "open"), ("lang", lang), ("reference", receipt["reference"]),
                 ("token", receipt["token"])]
        if action:
            pairs.append(("action", action))
        return self.post(pairs, lang)

    @staticmethod
    def sent(form):
        """What a browser sends of a form whose controls are all hidden or buttons."""
        return [(c["name"], c["value"]) for c in form["controls"] if c["name"]]

    def status_of(self, receipt):
        return cf.claim_request(self.client, "GET", receipt["reference"],
                                receipt["token"]).json()["status"]

    def test_access_form_and_wrong_token(self):
        r = self.client.request("GET", "/my-claim?lang=fr", headers={"Accept": "text/html"})
        self.assertEqual(r.status, 200)
        text = r.body.decode()
        access = ff.form_by_id(text, "access-form")
        self.assertEqual(access["method"], "post")
        self.assertIn("token", ff.control_names(access))
        self.assertIn("recover_reference", ff.control_names(access), "one form for both")
        _, receipt = self.claim()
        bad = self.open(dict(receipt, token=receipt["token"][:-4] + "AAAA"))
        self.assertEqual(bad.status, 404)
        self.assertIn("not recognised", bad.body.decode())
        # its language switch is a button of the access form (a link lost the reference
        # typed): the form again in French, the reference kept, the refusal said again, the
        # token typed never written back
        self.assertRegex(text, r'<button type="submit" form="access-form" '
                               r'formaction="/my-claim\?lang=en"')
        page = bad.body.decode()
        self.assertRegex(page, r'<button type="submit" form="access-form" '
                               r'formaction="/my-claim\?lang=fr" formnovalidate '
                               r'name="switch_lang" value="fr"')
        typed = [(c["name"], "typed-again-secret" if c["name"] == "token" else c["value"])
                 for c in ff.form_by_id(page, "access-form")["controls"] if c["name"]]
        self.assertIn(("sent", "not_found"), typed)
        fr = self.post(typed + [("switch_lang", "fr")], lang="fr")
        self.assertEqual(fr.status, 404, fr)
        ft = fr.body.decode()
        self.assertIn("Référence ou jeton non reconnu.", ft)
        self.assertRegex(ft, r'<input id="reference"[^>]*value="' + receipt["reference"] + '"')
        self.assertNotIn("typed-again-secret", ft)
        self.assertNotIn('id="claim-h2"', ft, "a switch opens nothing")

    def test_the_access_forms_switch_says_a_wait_while_it_holds(self):
        """The limit's refusal kept as its moment (`sent`, page_wait_kept): the switch says
        what is left of the wait, 429 with Retry-After; once over, nothing (its words speak of
        a claim not registered)."""
        import time
        now = int(time.time())
        base = [("form", "open"), ("lang", "en"), ("reference", "RC-7K3M-Q9XD"), ("token", "")]
        held = self.post(base + [("sent", f"rate_limited:{now + 100}"), ("switch_lang", "fr")],
                         lang="fr")
        self.assertEqual(held.status, 429, held)
        self.assertLessEqual(int(held.headers.get("Retry-After")), 100)
        self.assertIn("Trop de demandes ont été envoyées", held.body.decode())
        self.assertIn('value="RC-7K3M-Q9XD"', held.body.decode())
        over = self.post(base + [("sent", f"rate_limited:{now - 5}"), ("switch_lang", "fr")],
                         lang="fr")
        self.assertEqual(over.status, 200, over)
        self.assertNotIn('id="claim-status"', over.body.decode())
        self.assertNotIn("Retry-After", over.headers)

    def test_a_long_wait_is_said_in_minutes(self):
        """A fourth link asked for one address in 15 minutes: the page said "Réessayez dans 900
        secondes", a sum to do. A wait of two minutes or more is said in minutes, rounded up,
        by the refusal and by its language switch; a short one stays in seconds."""
        import time
        email = cf.unique_email()
        ask = [("form", "recover"), ("lang", "fr"), ("email", email)]
        answers = [self.post(ask, lang="fr") for _ in range(4)]
        self.assertEqual([r.status for r in answers], [200, 200, 200, 429])
        said = re.sub(r"<[^>]+>", "", answers[-1].body.decode())
        self.assertIn("Réessayez dans 15\u00a0minutes.", said)
        self.assertNotIn("secondes", said)
        now = int(time.time())
        for left, words in ((600, "Try again in 10 minutes."), (150, "Try again in 3 minutes."),
                            (40, "Try again in ")):
            switched = self.post(ask + [("sent", f"rate_limited:{now + left}"),
                                        ("switch_lang", "en")])
            self.assertEqual(switched.status, 429, switched)
            self.assertIn(words, re.sub(r"<[^>]+>", "", switched.body.decode()), left)
            self.assertEqual("seconds" in switched.body.decode(), left < 120, left)

    def test_reference_and_token_as_a_person_pastes_them(self):
        """Copied from a note or a message, a reference and a token come with spaces around
        them (or inside the reference, as it is read out); the page reads what was meant, and
        the claim's own forms then carry them clean."""
        _, receipt = self.claim()
        ref = receipt["reference"]
        pasted = dict(receipt, reference=f"  {ref[:7]} {ref[7:].lower()}\t",
                      token=f" {receipt['token']}\u00a0\r\n")
        r = self.open(pasted)
        self.assertEqual(r.status, 200, r)
        withdraw = ff.form_by_id(r.body.decode(), "withdraw-form")
        sent = {c["name"]: c["value"] for c in withdraw["controls"] if c["name"]}
        self.assertEqual((sent["reference"], sent["token"]), (ref, receipt["token"]))
        # read out in groups, a reference is typed with blanks for its dashes, or none, or a
        # dash a phone's keyboard made into another: the page puts its dashes back
        for typed in (ref.replace("-", " "), ref.replace("-", "").lower(),
                      ref.replace("-", "\u2013"), ref.replace("-", " - ")):
            with self.subTest(typed=typed):
                r = self.open(dict(receipt, reference=typed))
                self.assertEqual(r.status, 200, r)
                form = ff.form_by_id(r.body.decode(), "withdraw-form")
                self.assertIn(("reference", ref), ff.hidden_fields(form))
        for wrong in (ref.replace("-", "") + "X", ref[:-1], ref.replace("-", "_")):
            with self.subTest(wrong=wrong):
                self.assertEqual(self.open(dict(receipt, reference=wrong)).status, 404)

    def test_empty_access_fields_say_what_is_missing(self):
        for ref, token in (("", ""), ("RC-0000-0000", ""), ("", "x" * 40), ("  ", " ")):
            r = self.post([("form", "open"), ("lang", "en"), ("reference", ref),
                           ("token", token)])
            self.assertEqual(r.status, 422, (ref, token))
            text = r.body.decode()
            self.assertIn("Enter the reference and the token of your claim.", text)
            self.assertNotIn("not recognised", text)
            self.assertIn(f'value="{ref.strip()}"', text, "the reference typed is kept")
            self.assertIn("<title>Error: My claim — recours</title>", text)
        fr = self.post([("form", "open"), ("lang", "fr"), ("reference", ""), ("token", "")],
                       lang="fr")
        self.assertIn("Saisissez la référence et le jeton de votre réclamation.",
                      fr.body.decode())

    def test_view_correct_withdraw(self):
        body, receipt = self.claim()
        r = self.open(receipt)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        text = r.body.decode()
        phone = body["claimant"]["phone"]
        self.assertIn(f"<dt>Phone number</dt><dd>+33 6 {phone[4:6]} {phone[6:8]} {phone[8:10]} "
                      f"{phone[10:12]}</dd>", text, "the claim as given: no form's '(optional)'")
        self.assertIn("<dt>Date of birth</dt><dd>12 April 1980</dd>", text)
        self.assertIn("<dt>Documented financial loss</dt><dd>€120.00</dd>", text)
        self.assertIn(receipt["reference"], text)
        # a loss left empty on the form (the API's 0) is not given, not "€0.00"
        none = cf.submit_ok(self, self.client, self.slug,
                            cf.claim_body(harms={"documented_loss": 0}))
        self.assertIn("<dt>Documented financial loss</dt><dd>Not given</dd>",
                      self.open(none).body.decode())
        # in French, words that agree with a label of either gender ("Perte … justifiable")
        self.assertIn("<dt>Perte financière justifiable</dt><dd>Vous n'avez rien indiqué</dd>",
                      self.open(none, lang="fr").body.decode())
        form = ff.form_by_id(text, "claim-form")
        pairs = [(c["name"], c["value"]) for c in form["controls"]
                 if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"]
        pairs.append(("claimant.address.country", "FR"))
        bad = [(n, "12" if n == "claimant.phone" else v) for n, v in pairs]
        refused = self.post(bad)
        self.assertEqual(refused.status, 422, refused)
        rt = refused.body.decode()
        self.assertRegex(rt, r'<input id="phone"[^>]*aria-invalid="true"[^>]*value="12"')
        self.assertIn('href="#phone"', rt)
        good = [(n, "Lyon" if n == "claimant.address.city" else
                 "" if n == "claimant.phone" else v) for n, v in pairs]
        saved = self.post(good)
        self.assertEqual(saved.status, 200, saved)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["claimant"]["address"]["city"], "Lyon")
        self.assertIsNone(view["claimant"]["phone"], "an emptied phone is removed")
        self.assertEqual(view["harms"]["phishing"], body["harms"]["phishing"])
        asked = self.post(self.sent(ff.form_by_id(saved.body.decode(), "withdraw-form")))
        self.assertEqual(asked.status, 200, asked)
        gone = self.post(self.sent(ff.form_by_id(asked.body.decode(), "withdraw-confirm-form")))
        self.assertEqual(gone.status, 200, gone)
        gt = gone.body.decode()
        self.assertIn("Withdrawn", gt)
        self.assertNotIn('id="action-part"', gt, "nothing about a mandate after a withdrawal")
        self.assertNotIn('id="claim-form"', gt)

    def test_withdrawing_asks_first_and_going_back_keeps_the_claim_open(self):
        """Withdrawing is not undone: the claim's button asks first, on a page that says what
        it means in the page's language, with a button that withdraws and one that goes back
        to the claim (its reference and token posted again, never in an address)."""
        _, receipt = self.claim()
        token = receipt["token"]
        for lang, says, confirm, back in (
                ("en", "This cannot be undone", "Yes, withdraw my claim", "No, keep it"),
                ("fr", "C'est définitif", "Oui, retirer ma réclamation", "Non, la garder")):
            with self.subTest(lang=lang):
                page = self.open(receipt, lang=lang).body.decode()
                ask = ff.form_by_id(page, "withdraw-form")
                asked = self.post(self.sent(ask), lang=lang)
                self.assertEqual(asked.status, 200, asked)
                self.assertEqual(asked.headers.get("Cache-Control"), "no-store")
                at = asked.body.decode()
                self.assertIn(f'<html lang="{lang}"', at)
                self.assertIn(says, at.replace("&#39;", "'"))
                self.assertIn(receipt["reference"], at)
                # the incident named as everywhere else, its company first (the title alone
                # did not say whose leak), quoted as a name run into a sentence is
                said = re.sub(r"<[^>]+>", "", html.unescape(at))
                self.assertIn("«\u00a0ACME SA — Customer database leak\u00a0»." if lang == "fr"
                              else "“ACME SA — Customer database leak”.", said)
                self.assertEqual(self.status_of(receipt), "received", "nothing withdrawn yet")
                self.assertNotIn('id="claim-form"', at, "the question alone, not the claim")
                yes = ff.form_by_id(at, "withdraw-confirm-form")
                self.assertEqual(dict(ff.hidden_fields(yes))["form"], "withdraw_confirm")
                self.assertIn(confirm, at.replace("&#39;", "'"))
                self.assertIn(back, at)
                for f in ff.forms_of(at):
                    self.assertNotIn(token, f["action"] or "", "a token in an address")
                self.assertNotRegex(at, r'href="[^"]*' + re.escape(token))
                # the way back: the claim again, still open, its forms still holding the token
                no = self.post(self.sent(ff.form_by_id(at, "withdraw-back-form")), lang=lang)
                self.assertEqual(no.status, 200, no)
                nt = no.body.decode()
                self.assertIn('id="claim-form"', nt)
                self.assertEqual(dict(ff.hidden_fields(ff.form_by_id(nt, "withdraw-form")))
                                 ["token"], token)
                self.assertEqual(self.status_of(receipt), "received")
        # the question in the other language (its switch posts the question again)
        asked = self.post(self.sent(ff.form_by_id(self.open(receipt).body.decode(),
                                                  "withdraw-form")))
        switch = [f for f in ff.forms_of(asked.body.decode())
                  if f["action"] == "/my-claim?lang=fr"][0]
        fr = self.post(self.sent(switch), lang="fr").body.decode()
        self.assertIn("withdraw-confirm-form", fr)
        self.assertIn("C'est définitif", fr.replace("&#39;", "'"))
        done = self.post(self.sent(ff.form_by_id(fr, "withdraw-confirm-form")), lang="fr")
        self.assertEqual(done.status, 200, done)
        self.assertIn("Votre réclamation a été retirée", done.body.decode())
        self.assertEqual(self.status_of(receipt), "withdrawn")
        # asked again once withdrawn: nothing to confirm, the claim says it is withdrawn
        again = self.post(self.sent(ask))
        self.assertNotIn("withdraw-confirm-form", again.body.decode())
        self.assertNotIn(token, self.server.log_text(), "the token in the server log")

    def test_right_to_left_values_are_isolated(self):
        """A name, an address or an action written right to left (Arabic, Hebrew) shown in a
        row or inside a sentence of the page is in its own <bdi>: it keeps its order and the
        page's words keep theirs."""
        assoc = af.approved_association(self.server, name="جمعية الضحايا " + cf.letters(6))
        action = af.open_action(assoc, self.slug, title="תביעה ייצוגית " + cf.letters(6))
        family = "العلي " + cf.letters(8)
        body = cf.claim_body(claimant={"given_name": "محمد", "family_name": family,
                                       "address": {"line1": "רחוב הרצל 12",
                                                   "city": "תל אביב"}},
                             harms={"description": "رسالة احتيالية"})
        receipt = cf.submit_ok(self, self.client, self.slug, body)
        page = self.open(receipt, action=action["id"]).body.decode()
        self.assertIn(f"<dd><bdi>محمد {family}</bdi></dd>", page, "the name, one piece")
        self.assertIn("<bdi>רחוב הרצל 12</bdi>, <bdi>75001</bdi> <bdi>תל אביב</bdi>, France",
                      page, "each part of the address")
        self.assertIn("<dd><bdi>رسالة احتيالية</bdi></dd>", page)
        give = page[page.index('id="join-form"'):]
        self.assertIn(f"<bdi>{assoc.obj['name']}</bdi>", give[:give.index("</form>")],
                      "the association in the mandate's sentences")
        joined = self.post(self.sent(ff.form_by_id(page, "join-form"))).body.decode()
        member = re.search(r'<p id="member-of">(.*?)</p>', joined).group(1)
        self.assertIn(f"<bdi>{action['title']}</bdi>", member)
        self.assertIn(f"<bdi>{assoc.obj['name']}</bdi>", member)
        asked = self.post(self.sent(ff.form_by_id(joined, "withdraw-form"))).body.decode()
        self.assertIn("<bdi>" + receipt["reference"] + "</bdi>", asked)

    def test_the_language_switch_keeps_a_correction_being_typed(self):
        """On the claim's page the switch is a button of the correction form: the claim comes
        back in the other language with the correction as typed, nothing saved, the token still
        only in the forms; Enter in a field still saves (the form's first button is its own)."""
        body, receipt = self.claim()
        page = self.open(receipt).body.decode()
        button = re.search(r'<button[^>]* form="claim-form"[^>]* name="switch_lang" '
                           r'value="fr"[^>]*>', page)
        self.assertIsNotNone(button, "the switch is a button of the correction form")
        self.assertIn('formaction="/my-claim?lang=fr"', button.group(0))
        first = re.search(r'<button[^>]* form="claim-form"[^>]*>', page).group(0)
        self.assertNotIn("switch_lang", first, "Enter would switch the language")
        form = ff.form_by_id(page, "claim-form")
        pairs = [(c["name"], "Lyon" if c["name"] == "claimant.address.city" else c["value"])
                 for c in form["controls"]
                 if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"]
        pairs.append(("claimant.address.country", "FR"))
        r = self.post(pairs + [("switch_lang", "fr")], lang="fr")
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        self.assertIn('<html lang="fr"', text)
        self.assertIn("Corriger votre réclamation", text)
        self.assertRegex(text, r'<input id="city"[^>]*value="Lyon"')
        self.assertNotIn('class="status status-success"', text, "nothing said saved")
        self.assertEqual(dict(ff.hidden_fields(ff.form_by_id(text, "claim-form")))["token"],
                         receipt["token"])
        for f in ff.forms_of(text):
            self.assertNotIn(receipt["token"], f["action"] or "")
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["claimant"]["address"]["city"],
                         body["claimant"]["address"]["city"], "the correction was saved")

    def test_a_refused_correction_keeps_its_errors_through_the_language_switch(self):
        """A correction that came back with errors, switched to the other language, shows them
        again in that language (summary and field, linked), for what is typed now; nothing is
        saved. The switch of a correction never sent shows none."""
        body, receipt = self.claim()
        page = self.open(receipt).body.decode()

        def typed(text, **over):
            form = ff.form_by_id(text, "claim-form")
            pairs = [(c["name"], over.get(c["name"], c["value"])) for c in form["controls"]
                     if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                     and c["tag"] not in ("select", "button")]
            return pairs + [("claimant.address.country", "FR")]

        fresh = self.post(typed(page) + [("switch_lang", "fr")], lang="fr").body.decode()
        self.assertNotIn('role="alert"', fresh)
        self.assertNotIn("<title>Erreur", fresh)
        refused = self.post(typed(page, **{"claimant.phone": "12"}))
        self.assertEqual(refused.status, 422, refused)
        # the errors are far below the claim as given: the top of the page says so, and links
        top = refused.body.decode()
        top = top[top.index("<main"):top.index('id="claim"')]
        # one alert per refusal: the error summary; the notice that links to it is plain
        self.assertEqual(top.count('role="alert"'), 0, top)
        self.assertEqual(refused.body.decode().count('role="alert"'), 1)
        self.assertIn('id="error-summary" class="error-summary" tabindex="-1" role="alert"',
                      refused.body.decode())
        self.assertRegex(top, r'<div id="claim-status" class="status status-error">'
                              r'<p>Your corrections are not saved yet: some answers need to be '
                              r'changed. <a href="#error-summary">See what to change</a></p>')
        r = self.post(typed(refused.body.decode(), **{"claimant.phone": "12"})
                      + [("switch_lang", "fr")], lang="fr")
        self.assertEqual(r.status, 422, "the status of the refused correction")
        text = r.body.decode()
        self.assertIn('<html lang="fr"', text)
        self.assertIn("<title>Erreur\u00a0: ", text)
        summary = text[text.index('id="error-summary"'):]
        summary = summary[:summary.index("</div>")]
        self.assertIn('role="alert"', summary)
        self.assertIn('href="#phone"', summary)
        self.assertIn("Téléphone", summary)
        self.assertIn("Vos corrections ne sont pas encore enregistrées", text[:text.index('id="claim"')])
        self.assertRegex(text, r'<input id="phone"[^>]*aria-invalid="true"[^>]*value="12"')
        self.assertRegex(text, r'<p class="error-msg" id="phone-error"><span class="error-line">')
        # the phone emptied before the next switch: no error left
        again = self.post(typed(text, **{"claimant.phone": ""}) + [("switch_lang", "en")])
        self.assertEqual(again.status, 200, again)
        self.assertNotIn('role="alert"', again.body.decode())
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["claimant"]["phone"], body["claimant"]["phone"], "saved")

    def test_a_new_address_in_the_form_tells_the_old_one(self):
        """The page's correction form is the API's correction: a new email address there
        sends the old address the notice of the change (docs/mail.md, address-changed), the
        new one masked, never the token."""
        body, receipt = self.claim()
        old = body["claimant"]["email"]
        new = "form." + old
        form = ff.form_by_id(self.open(receipt).body.decode(), "claim-form")
        pairs = [(c["name"], new if c["name"] == "claimant.email" else c["value"])
                 for c in form["controls"]
                 if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"]
        pairs.append(("claimant.address.country", "FR"))
        self.assertIn(("claimant.email", new), pairs)
        saved = self.post(pairs)
        self.assertEqual(saved.status, 200, saved)
        local, domain = new.split("@")
        hint = f"{local[0]}***@{domain[0]}***.{domain.rsplit('.', 1)[1]}"

        def notice():
            return [t for t in (mf.text_of(mf.parse(m.data)) for m in self.relay.messages(old))
                    if hint in t]
        text = harness.poll(notice, 30, what="the notice at the old address")[0]
        self.assertNotIn(new, text)
        self.assertNotIn(receipt["token"], text)
        # in the claim's language (French: none given), whatever the page's
        self.assertIn("L'adresse électronique de votre réclamation a été remplacée le", text)

    def test_view_names_the_country_and_leaves_out_a_loss_never_asked(self):
        """The address ends with the country's name in the page's language, not its code; on
        an incident whose scheme pays no documented loss (Coupang's vouchers) the form never
        asks for one, so the view does not show "Documented financial loss: 0"."""
        slug = cf.make_incident(self.server, currency="KRW")
        presets = {p["id"]: p for p in self.client.request("GET", "/v1/schemes/presets").json()["data"]}
        r = self.client.request("PUT", f"/v1/incidents/{slug}/scheme",
                                presets["coupang-2025"]["scheme"], token=self.server.operator_key)
        self.assertEqual(r.status, 200, r)
        body = cf.claim_body(harms={"phishing": True, "identity_theft": False, "distress": False,
                                    "documented_loss": 0, "hours_spent": 0})
        receipt = cf.submit_ok(self, self.client, slug, body)
        en = self.open(receipt).body.decode()
        self.assertTrue("<bdi>75001</bdi> <bdi>Paris</bdi>, France</dd>" in en,
                        "the country named (en)")
        self.assertFalse("Documented financial loss" in en, "no loss row (en)")
        fr = self.open(receipt, lang="fr").body.decode()
        self.assertTrue("<bdi>75001</bdi> <bdi>Paris</bdi>, France</dd>" in fr,
                        "the country named (fr)")
        self.assertFalse("Perte financière" in fr, "no loss row (fr)")
        # where losses are paid (no scheme here), the row stays, even at 0
        _, other = self.claim()
        self.assertTrue("Documented financial loss" in self.open(other).body.decode(),
                        "the loss row where losses are paid")

    def test_a_rejected_claim_says_why_and_until_when_it_may_be_corrected(self):
        """The rejection email sends the claimant to /my-claim; the page said only "Rejected".
        It now gives the reason and the last day to correct the claim (the API's view carries
        review_reason and correctable_until); once verified, neither."""
        assoc = af.approved_association(self.server)
        action = af.open_action(assoc, self.slug)
        claim = af.mandated_claim(self.server, self.slug, action, client=self.client)
        r = assoc.request("POST", f"/v1/actions/{action['id']}/reviews",
                          {"references": [claim["reference"]], "decision": "rejected",
                           "reason": "outside_period"}, client=self.client)
        self.assertEqual(r.status, 200, r)
        view = cf.claim_request(self.client, "GET", claim["reference"], claim["token"]).json()
        self.assertEqual(view["review_reason"], "outside_period")
        until = cf.psql("SELECT to_char(correctable_until AT TIME ZONE 'UTC', 'FMDD FMMonth YYYY'),"
                        " " + "to_char(correctable_until AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                        " FROM claims WHERE reference = " + cf.sql_literal(claim["reference"]),
                        url=self.url)[0]
        self.assertTrue(view["correctable_until"].startswith(until[1]), view)
        text = re.sub(r"<[^>]+>", " ", self.open(claim).body.decode())
        text = re.sub(r"\s+", " ", text)
        self.assertTrue("Reason for the rejection Outside the period" in text, "the reason")
        self.assertTrue(f"You can correct your claim until {until[0]}" in text, "the date")
        r = assoc.request("POST", f"/v1/actions/{action['id']}/reviews",
                          {"references": [claim["reference"]], "decision": "verified"},
                          client=self.client)
        self.assertEqual(r.status, 200, r)
        view = cf.claim_request(self.client, "GET", claim["reference"], claim["token"]).json()
        self.assertEqual((view["review_reason"], view["correctable_until"]), (None, None))
        self.assertFalse("Reason for the rejection" in self.open(claim).body.decode())

    def test_the_reviewers_message_is_shown_escaped(self):
        """The reviewer's note (the review's `note`, the claim view's `status_reason`; docs/api.md
        §5.5) is written for the claimant: the page shows it, labelled as the reviewer's message,
        in either language, escaped; a decision without one leaves no such row."""
        assoc = af.approved_association(self.server)
        action = af.open_action(assoc, self.slug)
        claim = af.mandated_claim(self.server, self.slug, action, client=self.client)
        note = "Pièce <b>illisible</b> & \"scan\" : renvoyez-la <script>x()</script>"
        r = assoc.request("POST", f"/v1/actions/{action['id']}/reviews",
                          {"references": [claim["reference"]], "decision": "rejected",
                           "reason": "incomplete", "note": note}, client=self.client)
        self.assertEqual(r.status, 200, r)
        view = cf.claim_request(self.client, "GET", claim["reference"], claim["token"]).json()
        self.assertEqual(view["status_reason"], note)
        escaped = ("Pièce &lt;b&gt;illisible&lt;/b&gt; &amp; \"scan\" : renvoyez-la"
                   " &lt;script&gt;x()&lt;/script&gt;")
        for lang, label in (("en", "Message from the reviewer"),
                            ("fr", "Message de la personne qui a examiné votre réclamation")):
            with self.subTest(lang=lang):
                page = self.open(claim, lang=lang).body.decode()
                self.assertTrue(f"<div><dt>{label}</dt><dd><bdi>{escaped}</bdi></dd></div>"
                                in page,
                                "the note, escaped, labelled as the reviewer's")
                self.assertFalse("<b>illisible" in page or "<script>x()" in page, "unescaped")
        # verified without a note: the note is gone from the claim, and from the page
        r = assoc.request("POST", f"/v1/actions/{action['id']}/reviews",
                          {"references": [claim["reference"]], "decision": "verified"},
                          client=self.client)
        self.assertEqual(r.status, 200, r)
        page = self.open(claim).body.decode()
        self.assertFalse("Message from the reviewer" in page or "illisible" in page,
                         "no note, no row")

    def test_join_then_revoke(self):
        assoc = af.approved_association(self.server)
        action = af.open_action(assoc, self.slug)
        _, receipt = self.claim()
        page = self.open(receipt, action=action["id"]).body.decode()
        join = ff.form_by_id(page, "join-form")
        joined = self.post([(c["name"], c["value"]) for c in join["controls"] if c["name"]])
        self.assertEqual(joined.status, 200, joined)
        jt = joined.body.decode()
        self.assertIn(f'href="/a/{action["id"]}"', jt)
        self.assertIn(assoc.obj["name"], jt)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["action_id"], action["id"])
        revoke = ff.form_by_id(jt, "revoke-form")
        revoked = self.post([(c["name"], c["value"]) for c in revoke["controls"] if c["name"]])
        self.assertEqual(revoked.status, 200, revoked)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertIsNone(view["action_id"])

    def test_a_join_without_its_action_is_refused_and_revokes_nothing(self):
        """Found by walk20: a join post whose `action` was missing or empty became the patch
        {"action_id": null}, which revoked the mandate in force, and the page said "mandate
        given". It is a malformed form (400 page); the claim stays in its action."""
        assoc = af.approved_association(self.server)
        action = af.open_action(assoc, self.slug)
        _, receipt = self.claim()
        page = self.open(receipt, action=action["id"]).body.decode()
        join = ff.form_by_id(page, "join-form")
        pairs = [(c["name"], c["value"]) for c in join["controls"] if c["name"]]
        self.assertEqual(self.post(pairs).status, 200)
        for forged in ([p for p in pairs if p[0] != "action"],
                       [(k, "" if k == "action" else v) for k, v in pairs]):
            with self.subTest(action=dict(forged).get("action")):
                r = self.post(forged)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.media_type, "text/html")
                view = cf.claim_request(self.client, "GET", receipt["reference"],
                                        receipt["token"]).json()
                self.assertEqual(view["action_id"], action["id"], "the mandate was revoked")

    def test_join_any_open_action_of_the_incident(self):
        """Opened without ?action=, the page lists the incident's open actions with their
        association; "join" opens that action's mandate, which is then given."""
        slug = cf.make_incident(self.server)
        first = af.approved_association(self.server)
        second = af.approved_association(self.server)
        action_a = af.open_action(first, slug)
        action_b = af.open_action(second, slug)
        body = cf.claim_body()
        receipt = cf.submit_ok(self, self.client, slug, body)
        page = self.open(receipt).body.decode()
        listed = page[page.index('id="open-actions"'):]
        listed = listed[:listed.index("</ul>")]
        for action, assoc in ((action_a, first), (action_b, second)):
            self.assertIn(f'href="/a/{action["id"]}"', listed)
            self.assertIn(assoc.obj["name"], listed)
        self.assertNotIn('id="join-form"', page, "no mandate given before its text is shown")
        forms = [ff.form_by_id(page, f"open-action-{i}") for i in (1, 2)]
        chosen = [f for f in forms if any(c["name"] == "action" and c["value"] == action_b["id"]
                                          for c in f["controls"])][0]
        offer = self.post([(c["name"], c["value"]) for c in chosen["controls"] if c["name"]])
        self.assertEqual(offer.status, 200, offer)
        ot = offer.body.decode()
        self.assertIn(second.obj["name"], ot[ot.index('id="join-form"'):])
        join = ff.form_by_id(ot, "join-form")
        joined = self.post([(c["name"], c["value"]) for c in join["controls"] if c["name"]])
        self.assertEqual(joined.status, 200, joined)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["action_id"], action_b["id"])
        jt = joined.body.decode()
        self.assertIn(f'href="/a/{action_b["id"]}"', jt)
        self.assertNotIn('id="open-actions"', jt, "a member is offered no other action")

    def test_recovery_by_email(self):
        body, receipt = self.claim()
        email = body["claimant"]["email"]
        self.relay.wait_messages(email)  # the confirmation
        known = self.post([("form", "recover"), ("lang", "en"), ("email", email),
                           ("reference", "")])
        unknown = self.post([("form", "recover"), ("lang", "en"), ("email", cf.unique_email()),
                             ("reference", "")])
        self.assertEqual(known.status, 200, known)
        self.assertEqual((unknown.status, unknown.body), (known.status, known.body),
                         "the same page whether a claim matches or not")
        import mail_fixtures as mf
        msg = mf.parse(self.relay.wait_messages(email, n=2)[1].data)
        link = [w for w in mf.text_of(msg).split() if "/my-claim?recover=" in w][0]
        # the line before the link says what it is for: the link is not the token
        self.assertIn("To get a new token:\n" + link, mf.text_of(msg))
        self.assertNotIn("New token:", mf.text_of(msg))
        path = link[len(BASE):]
        landing = self.client.request("GET", path, headers={"Accept": "text/html"})
        self.assertEqual(landing.status, 200)
        redeem = ff.form_by_id(landing.body.decode(), "redeem-form")
        # its language switch keeps the link (it lost it: the access form in French)
        secret = re.search(r"recover=([A-Za-z0-9_-]+)", path).group(1)
        self.assertIn(f'href="/my-claim?recover={secret}&amp;lang=fr"', landing.body.decode())
        # the page alone does not use the link: the old token still works
        self.assertEqual(cf.claim_request(self.client, "GET", receipt["reference"],
                                          receipt["token"]).status, 200)
        done = self.post([(c["name"], c["value"]) for c in redeem["controls"] if c["name"]])
        self.assertEqual(done.status, 200, done)
        new_token = re.search(r'id="receipt-token" class="token">([A-Za-z0-9_-]{32,})<',
                              done.body.decode()).group(1)
        self.assertNotEqual(new_token, receipt["token"])
        # the claim itself, the new token on show: nothing to type back
        dt = done.body.decode()
        self.assertIn("<h2>Your new token</h2>", dt)
        self.assertIn(f'id="claim-h2">Claim <bdi>{receipt["reference"]}</bdi><', dt)
        self.assertEqual(dict(ff.hidden_fields(ff.form_by_id(dt, "withdraw-form")))["token"],
                         new_token)
        self.assertNotIn('id="access-form"', dt)
        switch = [f for f in ff.forms_of(dt) if f["action"] == "/my-claim?lang=fr"]
        self.assertEqual(dict(ff.hidden_fields(switch[0])),
                         {"form": "renewed", "lang": "fr", "reference": receipt["reference"],
                          "token": new_token}, "the switch keeps the new token on show")
        fr = self.post(ff.hidden_fields(switch[0]), lang="fr").body.decode()
        self.assertIn("<h2>Votre nouveau jeton</h2>", fr)
        self.assertIn(f'class="token">{new_token}<', fr)
        self.assertEqual(self.open(dict(receipt, token=new_token)).status, 200)
        self.assertEqual(self.open(receipt).status, 404, "the old token stops working")
        again = self.post([(c["name"], c["value"]) for c in redeem["controls"] if c["name"]])
        self.assertEqual(again.status, 404, "the link works once")

    def test_a_correction_with_no_category_ticked_is_refused(self):
        """Unticking every category is refused beside the question ("at least one"), as on
        the claim form; it was saved as "corrected" while the claim kept its categories."""
        body, receipt = self.claim()
        form = ff.form_by_id(self.open(receipt).body.decode(), "claim-form")
        pairs = [(c["name"], c["value"]) for c in form["controls"]
                 if c["name"] and c["name"] != "data_categories"
                 and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"] + [("claimant.address.country", "FR")]
        r = self.post(pairs)
        self.assertEqual(r.status, 422, r)
        text = r.body.decode()
        self.assertIn('href="#categories"', text)
        self.assertIn("Select at least one type of data.", text)
        self.assertNotIn("Your corrections are saved.", text)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["data_categories"], body["data_categories"])

    def test_a_refused_recovery_keeps_what_was_typed(self):
        """An address the recovery refuses comes back in its field, to mend rather than type
        again, with the reference given; a sent request leaves the form empty."""
        r = self.post([("form", "recover"), ("lang", "en"), ("email", "jean.dupont@gmail"),
                       ("recover_reference", "RC-7K3M-Q9XD")])
        self.assertEqual(r.status, 422, r)
        text = r.body.decode()
        self.assertIn("Enter an email address like name@example.org.", text)
        self.assertRegex(text, r'<input id="recover-email" name="email" type="email"[^>]*'
                               r'value="jean.dupont@gmail">')
        self.assertRegex(text, r'<input id="recover-reference" name="recover_reference"'
                               r'[^>]*value="RC-7K3M-Q9XD">')
        # the field is far below the refusal on a phone: marked, described by the refusal,
        # which leads to it
        self.assertRegex(text, r'<input id="recover-email"[^>]*aria-invalid="true" '
                               r'aria-describedby="claim-status"')
        self.assertIn('<div id="claim-status" class="status status-error" role="alert"><p>'
                      '<a href="#recover-email">Enter an email address like', text)
        self.assertNotRegex(text, r'<input id="recover-reference"[^>]*aria-invalid')
        # the switch is a button of the page's one form: the address kept to mend, in French
        self.assertRegex(text, r'<button type="submit" form="access-form" '
                               r'formaction="/my-claim\?lang=fr"')
        typed = [(c["name"], c["value"]) for c in ff.form_by_id(text, "access-form")["controls"]
                 if c["name"]]
        fr = self.post(typed + [("switch_lang", "fr")], lang="fr")
        self.assertEqual(fr.status, 422, fr)
        ft = fr.body.decode()
        self.assertIn("Saisissez une adresse électronique comme nom@exemple.fr.", ft)
        self.assertRegex(ft, r'<input id="recover-email"[^>]*aria-invalid="true"[^>]*'
                             r'value="jean.dupont@gmail">')
        self.assertRegex(ft, r'<button type="submit" form="access-form" '
                             r'formaction="/my-claim\?lang=en"')
        sent = self.post([("form", "recover"), ("lang", "en"), ("email", cf.unique_email()),
                          ("recover_reference", "")]).body.decode()
        self.assertRegex(sent, r'<input id="recover-email"[^>]*value="">')
        self.assertNotIn('aria-invalid', sent)

    def test_the_switch_after_a_refused_recovery_keeps_both_questions(self):
        """After a refused recovery the visitor finds the reference and types it in the access
        question, with a token, then changes the language: what was typed in both questions
        comes back (one form holds both), the token never."""
        r = self.post([("form", "recover"), ("lang", "en"), ("email", "jean.dupont@gmail"),
                       ("recover_reference", "")])
        self.assertEqual(r.status, 422, r)
        form = ff.form_by_id(r.body.decode(), "access-form")
        self.assertTrue({"reference", "token", "email", "recover_reference"}
                        <= ff.control_names(form), form)
        typed = {"reference": "RC-7K3M-Q9XD", "token": "a-secret-typed-here"}
        pairs = [(c["name"], typed.get(c["name"], c["value"])) for c in form["controls"]
                 if c["name"]]
        fr = self.post(pairs + [("switch_lang", "fr")], lang="fr")
        self.assertEqual(fr.status, 422, "the recovery's refusal said again")
        ft = fr.body.decode()
        self.assertIn("Saisissez une adresse électronique comme nom@exemple.fr.", ft)
        self.assertRegex(ft, r'<input id="reference"[^>]*value="RC-7K3M-Q9XD">')
        self.assertRegex(ft, r'<input id="recover-email"[^>]*value="jean.dupont@gmail">')
        self.assertNotIn("a-secret-typed-here", ft)

    def test_enter_sends_the_question_whose_fields_were_filled(self):
        """Enter in a field presses the form's hidden default button, which names no `form`:
        an address without a token asks for a link, a token opens the claim."""
        _, receipt = self.claim()
        asked = self.post([("lang", "en"), ("reference", ""), ("token", ""),
                           ("email", "jean.dupont@gmail"), ("recover_reference", "")])
        self.assertEqual(asked.status, 422, "the recovery refused the address")
        self.assertIn("Enter an email address like name@example.org.", asked.body.decode())
        opened = self.post([("lang", "en"), ("reference", receipt["reference"]),
                            ("token", receipt["token"]), ("email", "someone@example.org"),
                            ("recover_reference", "")])
        self.assertEqual(opened.status, 200, opened)
        self.assertIn('id="claim-h2"', opened.body.decode())
        empty = self.post([("lang", "en"), ("reference", ""), ("token", ""), ("email", ""),
                           ("recover_reference", "")])
        self.assertEqual(empty.status, 422, "enter the reference and the token")

    def test_a_damaged_recovery_link_says_so_beside_the_recovery_form(self):
        # a link a mail program cut short or wrapped: the secret is no longer one
        for damaged in ("abc", "a" * 20 + "%20" + "b" * 20, "x" * 200):
            with self.subTest(damaged=damaged):
                r = self.client.request("GET", f"/my-claim?lang=en&recover={damaged}",
                                        headers={"Accept": "text/html"})
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.media_type, "text/html", r)
                page = r.body.decode()
                self.assertIn("This link is no longer valid", page)
                self.assertIn('id="recover-email"', page, "the form that asks for another link")
                self.assertNotIn('id="redeem-form"', page)
                self.assertTrue(re.search(r"<title>Error: ", page), page[:400])
                api = self.client.request("GET", f"/my-claim?recover={damaged}",
                                          headers={"Accept": "application/json"})
                self.assertEqual((api.status, api.media_type),
                                 (400, "application/problem+json"), api)

    def test_cross_site_refused(self):
        _, receipt = self.claim()
        for what in ("withdraw", "withdraw_confirm"):
            r = self.post([("form", what), ("reference", receipt["reference"]),
                           ("token", receipt["token"])], site="cross-site")
            self.assertEqual(r.status, 403)
        view = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"]).json()
        self.assertEqual(view["status"], "received")

    def test_the_claim_shows_what_happened_as_it_was_ticked(self):
        """The claim's page says what the claimant said happened: each box ticked in the form's
        own words, the hours spent; none ticked and none given read "not given", as an empty
        field."""
        def rows(receipt, lang):
            page = self.open(receipt, lang=lang).body.decode()
            harms = re.search(r'<dt>([^<]*)</dt><dd id="claim-harms">(.*?)</dd>', page, re.S)
            self.assertIsNotNone(harms, f"the row of what happened ({lang})")
            ticked = re.findall(r"<li>(.*?)</li>", harms.group(2))
            hours = re.search(r"<dt>" + re.escape(html.escape(words[lang]["my.harm_hours"]))
                              + r"</dt><dd>(.*?)</dd>", page)
            self.assertIsNotNone(hours, f"the row of the hours ({lang})")
            return (html.unescape(harms.group(1)), [html.unescape(t) for t in ticked]
                    or html.unescape(harms.group(2)), html.unescape(hours.group(1)))

        words = {lang: catalogue(lang) for lang in ("en", "fr")}
        body = cf.claim_body(harms={"phishing": True, "identity_theft": False, "distress": True,
                                    "documented_loss": 0, "hours_spent": 12})
        receipt = cf.submit_ok(self, self.client, self.slug, body)
        for lang, w in words.items():
            self.assertEqual(rows(receipt, lang),
                             (w["my.harms_h3"], [w["harm.phishing"], w["harm.distress"]], "12"))
        body = cf.claim_body(harms={"phishing": False, "identity_theft": False,
                                    "distress": False, "documented_loss": 0, "hours_spent": 0})
        nothing = cf.submit_ok(self, self.client, self.slug, body)
        w = words["fr"]
        self.assertEqual(rows(nothing, "fr"),
                         (w["my.harms_h3"], w["common.not_given"], w["common.not_given"]))

    def test_a_correction_switched_to_another_language_gives_the_focus_back(self):
        """The correction form switched to French comes back with the focus on the switch's
        French button (autofocus), where the keyboard user was; the claim opened moves none."""
        _, receipt = self.claim()
        page = self.open(receipt).body.decode()
        self.assertNotIn("autofocus", page)
        form = ff.form_by_id(page, "claim-form")
        pairs = [(c["name"], c["value"]) for c in form["controls"]
                 if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"]
        r = self.post(pairs + [("claimant.address.country", "FR"), ("switch_lang", "fr")],
                      lang="fr")
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        self.assertRegex(text, r'<button type="submit" form="claim-form"[^>]*name="switch_lang" '
                               r'value="fr"[^>]* lang="fr" aria-current="true" autofocus>')
        self.assertEqual(text.count("autofocus"), 1)

    def test_vouchers_chosen_before_a_scheme_without_them_read_as_money(self):
        """A claim made with "voucher" while no scheme was set, then a scheme without vouchers:
        the claim's page says it will be paid in money (as the correction form does), the
        preference stored stays "voucher"."""
        slug = cf.make_incident(self.server, currency="USD")
        body = cf.claim_body()
        self.assertEqual(body["payment_preference"], "voucher")
        receipt = cf.submit_ok(self, self.client, slug, body)
        presets = {p["id"]: p for p in self.client.request("GET", "/v1/schemes/presets").json()["data"]}
        r = self.client.request("PUT", f"/v1/incidents/{slug}/scheme",
                                presets["equifax-2019"]["scheme"], token=self.server.operator_key)
        self.assertEqual(r.status, 200, r)
        for lang in ("en", "fr"):
            w = catalogue(lang)
            page = html.unescape(self.open(receipt, lang=lang).body.decode())
            row = re.search(r"<dt>" + re.escape(w["my.payment"]) + r"</dt><dd>(.*?)</dd>", page)
            self.assertIsNotNone(row, f"the payment row ({lang})")
            self.assertEqual(row.group(1), w["pay.money_only"], lang)
            self.assertNotIn(w["pay.voucher"], row.group(1))
        stored = cf.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(stored.json()["payment_preference"], "voucher")

    def test_the_payment_chosen_says_what_it_is_worth_under_vouchers(self):
        """Under a scheme with vouchers (Coupang's: 50,000 KRW in four), the claim's page says
        what the stored choice is in amounts, in the words the form said under it: the
        vouchers one by one for "voucher", the money's amount for "cash" once corrected to it;
        the correction form below keeps its own hints."""
        slug = cf.make_incident(self.server, currency="KRW")
        presets = {p["id"]: p for p in self.client.request("GET", "/v1/schemes/presets").json()["data"]}
        r = self.client.request("PUT", f"/v1/incidents/{slug}/scheme",
                                presets["coupang-2025"]["scheme"], token=self.server.operator_key)
        self.assertEqual(r.status, 200, r)
        body = cf.claim_body()
        self.assertEqual(body["payment_preference"], "voucher")
        receipt = cf.submit_ok(self, self.client, slug, body)

        def row(lang):
            page = self.open(receipt, lang=lang).body.decode()
            m = re.search(r'<dd id="claim-payment">(.*?)<p class="option-hint" '
                          r'id="claim-payment-hint">(.*?)</p></dd>', page)
            self.assertIsNotNone(m, f"the payment row with its amounts ({lang})")
            return html.unescape(m.group(1)), html.unescape(m.group(2)).replace("\u202f", " ")

        expected = {
            "en": ("Vouchers", "50,000 KRW as four vouchers: Coupang 5,000 KRW, Coupang Eats "
                   "5,000 KRW, Coupang Travel 20,000 KRW, R.LUX 20,000 KRW.",
                   "In money",
                   "A payment to you of 50,000 KRW, the same amount as the vouchers."),
            "fr": ("Bons d'achat", "50 000 KRW en quatre bons d'achat\u00a0: Coupang 5 000 KRW, "
                   "Coupang Eats 5 000 KRW, Coupang Travel 20 000 KRW, R.LUX 20 000 KRW.",
                   "En argent", "Un versement de 50 000 KRW, le même montant que les bons."),
        }
        for lang, (label, vouchers, _, _) in expected.items():
            got = row(lang)
            self.assertEqual(got[0], label, lang)
            self.assertEqual(got[1].replace("\u00a0KRW", " KRW"), vouchers, lang)
        r = cf.claim_request(self.client, "PATCH", receipt["reference"], receipt["token"],
                             {"payment_preference": "cash"})
        self.assertEqual(r.status, 200, r)
        for lang, (_, _, label, money) in expected.items():
            got = row(lang)
            self.assertEqual(got[0], label, lang)
            self.assertEqual(got[1].replace("\u00a0KRW", " KRW"), money, lang)

    def test_a_withdrawal_says_when_the_personal_data_goes(self):
        """The question before a withdrawal and the page after it say when the personal data
        is erased: so many days after the withdrawal (--withdrawn-retention-days, 30 on this
        class's server, its default), not "at the end of the retention period", which left a
        person asking how long that is."""
        _, receipt = self.claim()
        for lang in ("fr", "en"):
            w = catalogue(lang)
            said = w["my.withdraw_data"].replace("{days}", "30")
            page = self.open(receipt, lang=lang).body.decode()
            asked = self.post(self.sent(ff.form_by_id(page, "withdraw-form")), lang=lang)
            self.assertEqual(asked.status, 200, asked)
            self.assertIn(said, html.unescape(asked.body.decode()), lang)
            self.assertNotIn("{days}", asked.body.decode())
        at = self.post(self.sent(ff.form_by_id(
            self.open(receipt, lang="fr").body.decode(), "withdraw-form")), lang="fr")
        done = self.post(self.sent(ff.form_by_id(at.body.decode(), "withdraw-confirm-form")),
                         lang="fr")
        self.assertEqual(done.status, 200, done)
        self.assertIn(catalogue("fr")["my.withdrawn_done"].replace("{days}", "30"),
                      html.unescape(done.body.decode()))
        # said once on that page, and again whenever the claim is opened later (or through
        # that page's language switch), which said only "It no longer counts"
        self.assertEqual(html.unescape(done.body.decode()).count("30\u00a0jours"), 1)
        for lang in ("fr", "en"):
            again = html.unescape(self.open(receipt, lang=lang).body.decode())
            self.assertIn(catalogue(lang)["my.withdraw_data"].replace("{days}", "30"), again, lang)

    def test_the_status_says_what_it_means(self):
        """Beside the status word, what it means and what comes next ("Received" alone left a
        person asking "and then?"), in the page's language; the status's own value stays the
        word (the browser journey reads it)."""
        _, receipt = self.claim()

        def status(lang):
            page = html.unescape(self.open(receipt, lang=lang).body.decode())
            m = re.search(r'<dd id="claim-status-value">([^<]*)</dd>'
                          r'<dd id="claim-status-help" class="hint">([^<]*)</dd>', page)
            self.assertIsNotNone(m, f"the status and its meaning ({lang})")
            return m.groups()

        for lang in ("en", "fr"):
            w = catalogue(lang)
            self.assertEqual(status(lang), (w["status.received"], w["status.received_help"]))
        r = cf.claim_request(self.client, "DELETE", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, r)
        w = catalogue("fr")
        self.assertEqual(status("fr"), (w["status.withdrawn"], w["status.withdrawn_help"] + " " +
                                        w["my.withdraw_data"].replace("{days}", "30")))

    def test_a_withdrawn_claims_files_say_when_they_go(self):
        """The files of a withdrawn claim say when they are erased with its personal data: so
        many days after the withdrawal (30, this server's default), not "at the end of the
        retention period"."""
        _, receipt = self.claim()  # a documented loss: it may have files
        ef.uploaded(self.server, receipt, client=self.client)
        r = cf.claim_request(self.client, "DELETE", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, r)
        for lang in ("fr", "en"):
            page = html.unescape(self.open(receipt, lang=lang).body.decode())
            said = catalogue(lang)["ev.final_withdrawn"].replace("{days}", "30")
            self.assertIn(f"<p>{said}</p>", page, lang)

    def test_the_token_typed_can_be_shown_with_javascript(self):
        """The token is typed into a password field, 43 characters copied from paper that a
        person could not check before sending: the box that showed them was lost when the page
        became the server's. It is back, written hidden (without JavaScript nothing could show
        the token), nameless (never posted), and the page loads the script that shows it; the
        claim's own page loads none."""
        for lang in ("fr", "en"):
            r = self.client.request("GET", f"/my-claim?lang={lang}",
                                    headers={"Accept": "text/html"})
            page = html.unescape(r.body.decode())
            self.assertIn('<input id="token" name="token" type="password"', page, lang)
            shown = catalogue(lang)["my.show_token"]
            self.assertIn('<div class="check" id="show-token-field" hidden><input '
                          'id="show-token" type="checkbox"><label for="show-token">'
                          f'{shown}</label></div>', page, lang)
            self.assertIn('src="/static/my-claim.js"', page, lang)
            self.assertNotIn("show-token", ff.control_names(ff.form_by_id(page, "access-form")))
        script = self.client.request("GET", "/static/my-claim.js")
        self.assertEqual(script.status, 200, script)
        self.assertIn(b"show-token", script.body)
        _, receipt = self.claim()
        self.assertNotIn("my-claim.js", self.open(receipt).body.decode(), "the claim's page")

    def test_the_correction_and_the_withdrawal_are_reached_from_the_top(self):
        """Under the claim's heading, links down to its correction form and its withdrawal
        (a person who came to change an address scrolled past the facts, the actions and the
        files to find them); a withdrawn claim, which has neither, has none."""
        _, receipt = self.claim()
        for lang in ("fr", "en"):
            page = html.unescape(self.open(receipt, lang=lang).body.decode())
            jump = re.search(r'</h2>\n<ul id="claim-jump" class="jump-links">(.*?)</ul>', page)
            self.assertIsNotNone(jump, lang)
            links = re.findall(r'<a href="#([a-z]+)">([^<]*)</a>', jump.group(1))
            self.assertEqual([t for t, _ in links], ["correct", "withdraw"], lang)
            for target, said in links:
                # each link reads as the heading it leads to, and both speak to the claimant
                # as the page's headings do ("votre", not "ma")
                heading = re.search(rf'<section id="{target}"[^>]*>\n<h2[^>]*>([^<]*)</h2>', page)
                self.assertIsNotNone(heading, f"{lang} {target}")
                self.assertEqual(said, heading.group(1), f"{lang} {target}")
                self.assertRegex(said, r"\b(votre|your)\b", f"{lang} {target}")
                self.assertNotRegex(said, r"\b(ma|my)\b", f"{lang} {target}")
        r = cf.claim_request(self.client, "DELETE", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("claim-jump", self.open(receipt).body.decode(), "withdrawn")

    def test_the_incident_is_named_with_its_company_and_linked(self):
        """The claim's incident row said the title alone ("Customer database leak"): whose
        leak? It names the company first, as the incident's page does, and links to that page
        (what the claim may receive, the actions open), in both languages."""
        _, receipt = self.claim()
        for lang in ("fr", "en"):
            page = self.open(receipt, lang=lang).body.decode()
            self.assertIn(f'<a id="claim-incident" href="/i/{self.slug}"><bdi>ACME SA</bdi> — '
                          '<bdi>Customer database leak</bdi></a>', page, lang)

    def test_a_token_not_recognised_points_to_the_lost_token_question(self):
        """"Reference or token not recognised. Check both and try again." left a person who
        lost the token trying again; the message says where, on the same page, to get a new
        one, naming that question by its heading."""
        _, receipt = self.claim()
        for lang in ("fr", "en"):
            r = self.open(dict(receipt, token=receipt["token"][:-2] + "zz"), lang=lang)
            self.assertEqual(r.status, 404, r)
            page = html.unescape(r.body.decode())
            heading = catalogue(lang)["myform.lost_h2"]
            self.assertRegex(page, r'id="claim-status"[^>]*>[^<]*<p>[^<]*' + re.escape(heading),
                             lang)


if __name__ == "__main__":
    harness.main()
