#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lost token recovery and the short messages (issue 12; docs/mail.md §4), against a real SMTP
server (smtp_fixture.py):

  - POST /v1/claim-recovery answers the same 202 for an address that claimed and for one that
    never did; only the first gets a message (in the language asked for), with a link per
    claim and never a token; the link sets a new token once: the old token stops working, the
    new one works, the link does not work twice;
  - the per-address limit answers 429 with Retry-After;
  - a correction and a withdrawal each send their short message, in the claim's language;
  - the recovery request is audited without the address.

A database of its own, so that only this file's server delivers its outbox."""

import html
import re
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf

BASE = "https://recours.example"


class MailRecoveryTest(mf.RelayServer, unittest.TestCase):
    DB_PREFIX = "mailrec_"
    BASE = BASE

    def claim(self, **overrides):
        body = cf.claim_body(**overrides)
        with harness.Client(self.server) as c:
            return body, cf.submit_ok(self, c, self.slug, body)

    def request(self, method, path, body=None, token=None):
        with harness.Client(self.server) as c:
            return c.request(method, path, body=body, token=token)

    def test_recovery_sets_a_new_token_and_an_unknown_address_gets_the_same_answer(self):
        body, receipt = self.claim()
        email = body["claimant"]["email"]
        self.relay.wait_messages(email)  # the confirmation
        known = self.request("POST", "/v1/claim-recovery", {"email": email, "lang": "en"})
        unknown = self.request("POST", "/v1/claim-recovery", {"email": cf.unique_email()})
        self.assertEqual((known.status, known.body), (202, unknown.body))
        self.assertEqual(unknown.status, 202)
        # the unknown address's row is settled as "no active claim" and nothing is sent
        harness.poll(lambda: [r for r in mf.outbox(self.url, "kind = 'recovery'")
                              if r[4] == "no active claim matches"], 30,
                     what="the unknown address settled")
        msg = mf.assert_well_formed(self, self.relay.wait_messages(email, n=2)[1].data)
        self.assertEqual(msg["Subject"], "Your link to get a new token")
        text = mf.text_of(msg)
        self.assertIn(receipt["reference"], text)
        self.assertNotIn(receipt["token"], text)
        self.assertIn("30 minutes", text)
        link = [w for w in text.split() if "/my-claim?recover=" in w][0]
        link_token, _, lang = link.split("recover=", 1)[1].partition("&")
        self.assertEqual(lang, "lang=en", "the link opens the page in the language asked")
        # the old token works until the link is followed
        self.assertEqual(self.request("GET", f"/v1/claims/{receipt['reference']}",
                                      token=receipt["token"]).status, 200)
        redeemed = self.request("POST", f"/v1/claim-recovery/{link_token}")
        self.assertEqual(redeemed.status, 200, repr(redeemed))
        new = redeemed.json()
        self.assertEqual(new["reference"], receipt["reference"])
        self.assertNotEqual(new["token"], receipt["token"])
        old = self.request("GET", f"/v1/claims/{receipt['reference']}", token=receipt["token"])
        self.assertIn(old.status, (401, 404), "the old token stops working")
        self.assertEqual(self.request("GET", f"/v1/claims/{receipt['reference']}",
                                      token=new["token"]).status, 200)
        again = self.request("POST", f"/v1/claim-recovery/{link_token}")
        harness.assert_problem(self, again, 404, "not-found")
        # audited, without the address
        events = cf.psql("SELECT action, object_type, object_id FROM audit_events"
                         " WHERE action LIKE 'claim.%recover%' ORDER BY seq", url=self.url)
        self.assertIn(["claim.recovery-request", "recovery", "-"], events)
        self.assertIn(["claim.token-recovered", "claim", receipt["reference"]], events)
        self.assertNotIn(email, cf.psql("SELECT string_agg(actor || action || object_id, ' ')"
                                        " FROM audit_events", url=self.url)[0][0])

    def test_an_expired_link_is_refused(self):
        body, receipt = self.claim()
        token = mf.make_link(self.server, receipt["reference"], "recovery", url=self.url)
        cf.psql("UPDATE claim_links SET created_at = now() - interval '2 hours',"
                " expires_at = now() - interval '1 hour' WHERE claim_id ="
                " (SELECT id FROM claims WHERE reference = "
                + cf.sql_literal(receipt["reference"]) + ")", url=self.url)
        r = self.request("POST", f"/v1/claim-recovery/{token}")
        harness.assert_problem(self, r, 404, "not-found")
        self.assertEqual(self.request("GET", f"/v1/claims/{receipt['reference']}",
                                      token=receipt["token"]).status, 200)

    def test_the_per_address_limit(self):
        email = cf.unique_email()
        answers = [self.request("POST", "/v1/claim-recovery", {"email": email}).status
                   for _ in range(4)]
        self.assertEqual(answers, [202, 202, 202, 429])
        r = self.request("POST", "/v1/claim-recovery", {"email": email})
        harness.assert_problem(self, r, 429, "rate-limited")
        self.assertEqual(r.headers.get("Retry-After"), "900")

    def test_invalid_requests(self):
        r = self.request("POST", "/v1/claim-recovery", {"email": "not an address"})
        harness.assert_problem(self, r, 422, "validation-error")
        r = self.request("POST", "/v1/claim-recovery",
                         {"email": cf.unique_email(), "reference": "RC-0000-0000", "x": 1})
        self.assertEqual(r.status, 422)

    def test_correction_and_withdrawal_messages(self):
        body, receipt = self.claim(lang="en")
        email = body["claimant"]["email"]
        self.relay.wait_messages(email)
        ref, token = receipt["reference"], receipt["token"]
        with harness.Client(self.server) as c:
            r = cf.claim_request(c, "PATCH", ref, token, {"payment_preference": "cash"})
        self.assertEqual(r.status, 200, repr(r))
        corrected = mf.assert_well_formed(self, self.relay.wait_messages(email, n=2)[1].data)
        self.assertEqual(corrected["Subject"], f"Your claim was corrected: {ref}")
        r = self.request("DELETE", f"/v1/claims/{ref}", token=token)
        self.assertEqual(r.status, 200, repr(r))
        withdrawn = mf.assert_well_formed(self, self.relay.wait_messages(email, n=3)[2].data)
        self.assertEqual(withdrawn["Subject"], f"Your claim is withdrawn: {ref}")
        for m in (corrected, withdrawn):
            self.assertNotIn(token, mf.text_of(m))
        # a withdrawal made with the token: if not by the claimant, whom to write to (no
        # --operator-email here: the legal page, which names the operator)
        self.assertIn("If this was not you, someone holds your claim's token: write at once to"
                      " the service's operator (their address is on this page), who will help"
                      f" you recover your claim:\n{BASE}/legal?lang=en\n", mf.text_of(withdrawn))

    def test_a_confirmation_link_says_how_long_it_works(self):
        """The confirmation link of a new claim, and of its correction while the address is
        not confirmed, says how long it works (30 days, MAIL_CONFIRM_LINK_S), in the text and
        the HTML part, in the claim's language: one opened a month later failed unannounced."""
        body, receipt = self.claim(lang="fr")
        email = body["claimant"]["email"]
        accepted = mf.assert_well_formed(self, self.relay.wait_messages(email)[0].data)
        with harness.Client(self.server) as c:
            r = cf.claim_request(c, "PATCH", receipt["reference"], receipt["token"],
                                 {"payment_preference": "cash"})
        self.assertEqual(r.status, 200, repr(r))
        corrected = mf.assert_well_formed(self, self.relay.wait_messages(email, n=2)[1].data)
        for m in (accepted, corrected):
            text = mf.text_of(m)
            self.assertRegex(text, r"/confirm-email/\S+\n\nCe lien est valable 30\u00a0jours\.\n")
            self.assertIn("<p>Ce lien est valable 30\u00a0jours.</p>", mf.html_of(m))

    def test_a_withdrawal_says_in_how_many_days_the_data_goes(self):
        """The withdrawal's message says when the personal data is erased as /my-claim does:
        so many days after the withdrawal (--withdrawn-retention-days, 30 here), in the claim's
        language, in both parts: "at the end of the retention period" left it unsaid."""
        said = {"fr": "Ses données personnelles seront effacées 30\u00a0jours après le retrait.",
                "en": "Its personal data will be erased 30 days after the withdrawal."}
        for lang, words in said.items():
            body, receipt = self.claim(lang=lang)
            email = body["claimant"]["email"]
            self.relay.wait_messages(email)
            r = self.request("DELETE", f"/v1/claims/{receipt['reference']}",
                             token=receipt["token"])
            self.assertEqual(r.status, 200, repr(r))
            withdrawn = mf.assert_well_formed(self, self.relay.wait_messages(email, n=2)[1].data)
            self.assertIn(words + "\n", mf.text_of(withdrawn), lang)
            self.assertIn(f"{words}</p>", mf.html_of(withdrawn), lang)

    def test_the_confirmation_names_the_company_and_where_the_token_was(self):
        """A victim reading the confirmation checks first whose leak it is about: the incident's
        title alone ("Customer database leak") did not say, the company (ACME SA) does, as the
        site's pages say it. The token was shown on the page, never mailed: "le jeton reçu à
        l'envoi" sent readers looking for it in their mail; and one who did not note it learns
        that the page gives another. In both parts and both languages."""
        said = {"fr": ("Incident\u00a0: ACME SA — Customer database leak",
                       "avec le jeton affiché après l'envoi de votre réclamation\u00a0; si vous "
                       "l'avez perdu, cette page permet d'en obtenir un nouveau"),
                "en": ("Incident: ACME SA — Customer database leak",
                       "with the token shown after you sent your claim; if you lost it, this "
                       "page gets you a new one")}
        for lang, (incident, token_words) in said.items():
            body, _ = self.claim(lang=lang)
            accepted = mf.assert_well_formed(
                self, self.relay.wait_messages(body["claimant"]["email"])[0].data)
            html_text = html.unescape(re.sub(r"<[^>]+>", "", mf.html_of(accepted)))
            for part in (mf.text_of(accepted), html_text):
                self.assertIn(incident, part, lang)
                self.assertIn(token_words, part, lang)

    def test_the_sender_is_named_as_the_operator_is(self):
        """A victim who never heard of recours took a message "From: recours" for phishing: with
        --operator-name set, the sender bears that name, in RFC 2047 words when it is not ASCII
        (this class's server sets none: "recours", mf.assert_well_formed). A server of its own
        on a database of its own (the class's would deliver its outbox too), one claim: ~2 s.
        The signature names it too, in both parts and both languages: it said "sent
        automatically by recours" under a message from the association (a claim a language:
        ~1 s more)."""
        url = cf.new_database("mailop_", self.addCleanup, migrated=True)
        server = cf.start_server(self, database_url=url, args=[
            "--smtp-url", self.relay.url, "--mail-retry-base", "0.2", "--public-url", BASE,
            "--operator-name", "Association Lésés & Co"])
        for lang, signed in (("fr", "envoyé automatiquement par Association Lésés & Co\u00a0;"),
                             ("en", "sent automatically by Association Lésés & Co;")):
            body, _ = mf.fresh_claim(self, server, lang=lang)
            raw = self.relay.wait_messages(body["claimant"]["email"])[0].data
            accepted = mf.parse(raw)
            self.assertEqual([(a.display_name, a.addr_spec) for a in accepted["From"].addresses],
                             [("Association Lésés & Co", "recours@localhost")])
            html_text = html.unescape(re.sub(r"<[^>]+>", "", mf.html_of(accepted)))
            for part in (mf.text_of(accepted), html_text):
                self.assertIn(signed, part, lang)
                self.assertNotRegex(part, r"(par|by) recours", lang)
        # an association's preview of a notice is signed as its members' messages are (it
        # said "recours" while they read the operator's name): one notice, ~1 s
        af.set_up_open_action(self, server)
        notices = f"/v1/actions/{self.action['id']}/notices"
        r = self.A.request("POST", notices, nf.draft_body(), client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        notice_id = r.json()["id"]
        for lang, signed in (("fr", "envoyé automatiquement par Association Lésés & Co"),
                             ("en", "sent automatically by Association Lésés & Co")):
            r = self.A.request("GET", f"{notices}/{notice_id}/preview?lang={lang}",
                               client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            preview = r.json()
            html_text = html.unescape(re.sub(r"<[^>]+>", "", preview["html"]))
            for part in (preview["text"], html_text):
                self.assertIn(signed, part, lang)
                self.assertNotRegex(part, r"(par|by) recours", lang)


if __name__ == "__main__":
    unittest.main()
