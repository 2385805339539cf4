#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Email through a real mail path (issue 12; docs/mail.md), against a real SMTP server
(smtp_fixture.py, aiosmtpd):

  - plain relay: the confirmation reaches it in the claimant's language (en given, fr by
    default), with the reference and the incident, text and HTML parts, Auto-Submitted, and
    never the claim token; its confirmation link confirms the address once;
  - STARTTLS required and AUTH: the message goes over TLS with the configured login;
  - the relay refusing (4xx, then 5xx) or down: the claim's 201 is unaffected, the message
    stays queued with the reason and is delivered once the relay accepts, exactly once;
  - a relay down for longer than --mail-give-up-after: the message is failed, the reason kept;
  - the server killed (SIGKILL) between the claim's commit and the delivery: delivered once
    after restart;
  - no relay configured: the message is an .eml file under var/mail/, no temporary left.

Each test has a database of its own, so that only its server delivers its outbox."""

import os
import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
from smtp_fixture import SmtpFixture

# a retry 0.2 s after a failure (then 0.4, 0.8 s): the refused and down relays' tests wait for
# attempts, which a whole-second base made 1 + 2 + 4 s
FAST_RETRY = ["--mail-retry-base", "0.2", "--public-url", "https://recours.example"]


class MailDeliveryTest(unittest.TestCase):

    def setUp(self):
        self.url = cf.new_database("mail_", self.addCleanup, migrated=True)

    def relay(self, **kw):
        fixture = SmtpFixture(**kw)
        self.addCleanup(fixture.close)
        return fixture

    def server(self, args=()):
        s = harness.Server(args=cf.NO_RATE_LIMIT + FAST_RETRY + list(args),
                           database_url=self.url)
        self.addCleanup(s.close)
        return s.start()

    def claim(self, server, **overrides):
        """A fresh claim on a new incident: (body, receipt)."""
        return mf.fresh_claim(self, server, **overrides)

    def assert_confirmation(self, msg, receipt, body, words, lang):
        self.assertIn(receipt["reference"], msg["Subject"])
        self.assertEqual(msg["To"], body["claimant"]["email"])
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertTrue(msg["Date"] and msg["Message-ID"])
        text, html = mf.text_of(msg), mf.html_of(msg)
        for part in (text, html):
            self.assertIn(receipt["reference"], part)
            self.assertIn("Customer database leak", part)
            self.assertIn(words, part)
            # in the message's language whatever the browser it is opened in
            self.assertIn(f"https://recours.example/my-claim?lang={lang}", part)
            self.assertNotIn(receipt["token"], part, "a message never carries the claim token")
            self.assertNotIn(body["claimant"]["family_name"], part, "no personal data")
        self.assertNotIn(receipt["token"].encode(), msg.as_bytes())

    def test_plain_relay_in_the_claimants_language_and_the_link_confirms(self):
        relay = self.relay().start()
        server = self.server(["--smtp-url", relay.url])
        body_en, receipt_en = self.claim(server, lang="en")
        body_fr, receipt_fr = self.claim(server)  # no lang: French, the site's default
        msg = mf.assert_well_formed(self, relay.wait_messages(body_en["claimant"]["email"])[0].data)
        self.assert_confirmation(msg, receipt_en, body_en, "Your claim has been registered", "en")
        self.assertEqual(msg["Content-Language"], "en")
        msg_fr = mf.assert_well_formed(self, relay.wait_messages(body_fr["claimant"]["email"])[0].data)
        self.assert_confirmation(msg_fr, receipt_fr, body_fr,
                                 "Votre réclamation a bien été enregistrée", "fr")
        # the subject is RFC 2047-encoded UTF-8 and reads back as written
        self.assertTrue(msg_fr["Subject"].startswith("Votre réclamation est enregistrée"))
        # French typography: a no-break space before the colon, in the subject and in both
        # parts, so no mail reader wraps a line before it
        self.assertIn("enregistrée\u00a0: ", msg_fr["Subject"])
        for part in (mf.text_of(msg_fr), mf.html_of(msg_fr)):
            self.assertIn("Référence\u00a0: ", part)
            self.assertNotRegex(part, r"\w [:;?!]")
        # the confirmation link: its page asks, its button confirms (a mail scanner opens
        # links, it does not press buttons); again and again until it expires; an unknown one
        # a page in the reader's language
        link = [w for w in mf.text_of(msg).split() if "/confirm-email/" in w][0]
        path = link[len("https://recours.example"):]
        is_verified = ("SELECT email_verified_at IS NOT NULL FROM claims WHERE reference = "
                       + cf.sql_literal(receipt_en["reference"]))
        with harness.Client(server) as c:
            asked = c.request("GET", path, headers={"Accept": "text/html"})
            self.assertEqual((asked.status, asked.media_type), (200, "text/html"))
            self.assertIn(b"Confirm your email address", asked.body)
            self.assertIn(f'<form method="post" action="{path}">'.encode(), asked.body)
            self.assertEqual(cf.psql(is_verified, url=self.url), [["f"]],
                             "opening the link confirms nothing")
            first = c.request("POST", path, headers={"Accept": "text/html"})
            self.assertEqual((first.status, first.media_type), (200, "text/html"))
            self.assertIn(b"Email address confirmed", first.body)
            # the site's page (its header, style and footer), not a bare document
            for part in (b'<link rel="stylesheet" href="/static/style.css">',
                         b'class="site-header"', b'class="site-footer"',
                         b"<title>Email address confirmed \xe2\x80\x94 recours</title>"):
                self.assertIn(part, first.body)
            self.assertEqual(first.headers.get("Cache-Control"), "no-store")
            self.assertNotIn(path.encode(), first.body, "the link is in none of the page's")
            # an English claim's page opened in a French browser: its way on stays in English
            fr_browser = c.request("GET", path, headers={"Accept": "text/html",
                                                         "Accept-Language": "fr-FR,fr;q=0.9"})
            self.assertIn(b"Email address confirmed", fr_browser.body, "no button once confirmed")
            self.assertNotIn(b"<form", fr_browser.body.split(b"<main")[1])
            self.assertIn(b'<p><a href="/my-claim?lang=en">My claim</a></p>', fr_browser.body)
            again = c.request("POST", path, headers={"Accept": "text/html"})
            self.assertEqual((again.status, again.media_type), (200, "text/html"))
            self.assertIn(b"Email address confirmed", again.body)
            unknown = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
            for method in ("GET", "POST"):
                gone = c.request(method, unknown, headers={"Accept": "text/html",
                                                           "Accept-Language": "en-GB,en;q=0.8"})
                self.assertEqual((gone.status, gone.media_type), (404, "text/html"), method)
                self.assertIn(b'class="site-header"', gone.body)
                self.assertIn(b"This link no longer works", gone.body, "the reader's language")
                harness.assert_problem(self, c.request(method, unknown), 404, "not-found")
                # text/html listed below JSON is an API client's Accept, as for any error page
                harness.assert_problem(self, c.request(method, unknown, headers={
                    "Accept": "application/json, text/html;q=0.1"}), 404, "not-found")
        verified = cf.psql("SELECT email_verified_at IS NOT NULL FROM claims WHERE reference = "
                           + cf.sql_literal(receipt_en["reference"]), url=self.url)
        self.assertEqual(verified, [["t"]])
        unverified = cf.psql("SELECT email_verified_at IS NULL, lang FROM claims WHERE reference"
                             " = " + cf.sql_literal(receipt_fr["reference"]), url=self.url)
        self.assertEqual(unverified, [["t", "fr"]])

    def test_a_corrected_address_is_confirmed_again(self):
        """A correction that changes the email address makes it unconfirmed again, and the
        message about the correction carries a link confirming the new address: the confirmed
        flag (the members' filter, the risk flag email_unconfirmed) said "confirmed" of an
        address nobody had confirmed. A correction keeping the address keeps it confirmed. A
        confirmation link works again until it expires (mail scanners open links first), but
        not once the address it was sent to is replaced; the risk check of the email is then
        pending again."""
        relay = self.relay().start()
        server = self.server(["--smtp-url", relay.url])
        body, receipt = self.claim(server, lang="en")
        ref, token = receipt["reference"], receipt["token"]
        verified = ("SELECT email_verified_at IS NOT NULL FROM claims WHERE reference = "
                    + cf.sql_literal(ref))

        pending = ("SELECT r.email_pending FROM claim_risk r JOIN claims c ON c.id = r.claim_id"
                   " WHERE c.reference = " + cf.sql_literal(ref))

        def confirm(msg, status=200):
            link = [w for w in mf.text_of(msg).split() if "/confirm-email/" in w][0]
            with harness.Client(server) as c:
                r = c.request("POST", link[len("https://recours.example"):],
                              headers={"Accept": "text/html"})
                self.assertEqual(r.status, status, r)

        first = mf.parse(relay.wait_messages(body["claimant"]["email"])[0].data)
        confirm(first)
        self.assertEqual(cf.psql(verified, url=self.url), [["t"]])
        self.assertEqual(cf.psql(pending, url=self.url), [["f"]], "a confirmation settles it")
        # opened again (a mail scanner opened it first, say): still confirmed, not "spent"
        confirm(first)
        with harness.Client(server) as c:
            r = cf.claim_request(c, "PATCH", ref, token, {"claimant": {"address": {"city": "Lyon"}}})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(cf.psql(verified, url=self.url), [["t"]], "same address: confirmed")
        msgs = relay.wait_messages(body["claimant"]["email"], n=2)
        self.assertNotIn("/confirm-email/", mf.text_of(mf.assert_well_formed(self, msgs[1].data)))
        new_email = "moved." + body["claimant"]["email"]
        with harness.Client(server) as c:
            r = cf.claim_request(c, "PATCH", ref, token, {"claimant": {"email": new_email}})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(cf.psql(verified, url=self.url), [["f"]], "a new address: unconfirmed")
        # the first message's link reached the old address only: it confirms nothing now (0026)
        confirm(first, status=404)
        self.assertEqual(cf.psql(verified, url=self.url), [["f"]], "the old link confirmed")
        self.assertEqual(cf.psql(pending, url=self.url), [["t"]], "the risk check of the email")
        msg = mf.assert_well_formed(self, relay.wait_messages(new_email)[0].data)
        self.assertIn("To confirm your email address", mf.text_of(msg))
        confirm(msg)
        self.assertEqual(cf.psql(verified, url=self.url), [["t"]])
        self.assertEqual(cf.psql(pending, url=self.url), [["f"]])

    def test_two_servers_and_a_batch_send_each_message_once(self):
        """Claims committed in batches (concurrent submissions) each get one message, and two
        servers on one database (same secrets, as in a deployment) never send one twice."""
        relay = self.relay().start()
        first = self.server(["--smtp-url", relay.url])
        second = self.server(["--smtp-url", relay.url, "--secrets-dir", first.secrets_dir])
        slug = cf.make_incident(first)
        bodies = [cf.claim_body() for _ in range(24)]
        statuses = []

        def submit(body):
            with harness.Client(first) as c:
                statuses.append(cf.submit(c, slug, body).status)

        threads = [threading.Thread(target=submit, args=(b,)) for b in bodies]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(statuses, [201] * len(bodies))
        # a duplicate is not stored: no message for it
        with harness.Client(second) as c:
            self.assertEqual(cf.submit(c, slug, bodies[0]).status, 409)
        for b in bodies:
            relay.wait_messages(b["claimant"]["email"])
        harness.poll(lambda: all(r[2] == "sent" for r in mf.outbox(self.url)), 30,
                     what="every row sent")
        self.assertEqual(len(mf.outbox(self.url)), len(bodies))
        self.assertEqual(len(relay.messages()), len(bodies), "each message once")
        senders = ["delivered" in s.log_text() for s in (first, second)]
        self.assertTrue(any(senders))

    def test_starttls_and_auth(self):
        relay = self.relay(starttls=True, user="recours", password="s3cret pass").start()
        pw = os.path.join(relay.dir, "password")
        with open(pw, "w", encoding="utf-8") as f:
            f.write("s3cret pass\n")
        server = self.server(["--smtp-url", relay.url, "--smtp-user", "recours",
                              "--smtp-password-file", pw, "--smtp-ca-file", relay.cafile,
                              "--mail-from", "noreply@recours.example",
                              "--mail-reply-to", "contact@recours.example"])
        body, receipt = self.claim(server, lang="en")
        got = relay.wait_messages(body["claimant"]["email"])[0]
        self.assertTrue(got.tls, "the message went over STARTTLS")
        self.assertEqual(got.login, "recours")
        self.assertEqual(got.mail_from, "noreply@recours.example")
        msg = mf.assert_well_formed(self, got.data)
        self.assertEqual(msg["Reply-To"], "contact@recours.example")
        self.assertTrue(msg["Message-ID"].endswith("@recours.example>"))
        self.assertIn(receipt["reference"], msg["Subject"])

    def test_relay_refusing_then_accepting_delivers_once(self):
        relay = self.relay().start()
        relay.refuse = "451 4.3.0 try again later"
        server = self.server(["--smtp-url", relay.url])
        body, receipt = self.claim(server)  # 201 whatever the relay says
        relay.wait_attempts(2)  # refused, retried
        relay.refuse = "550 5.7.1 refused"
        relay.wait_attempts(3)
        row = harness.poll(lambda: [r for r in mf.outbox(self.url, "kind = 'claim-accepted'")
                                    if "reply 550" in r[4]], 30, what="the refusal recorded")[0]
        self.assertEqual(row[2], "queued", "a refusal is retried, not dropped")
        self.assertNotIn(body["claimant"]["email"], server.log_text(), "no address in the log")
        relay.refuse = None
        msgs = relay.wait_messages(body["claimant"]["email"])
        harness.poll(lambda: mf.outbox(self.url)[0][2] == "sent", 30, what="the row sent")
        self.assertEqual(len(relay.messages(body["claimant"]["email"])), 1)
        self.assertIn(receipt["reference"], mf.parse(msgs[0].data)["Subject"])

    def test_relay_down_then_up(self):
        relay = self.relay()  # not started: connections are refused
        server = self.server(["--smtp-url", relay.url])
        body, receipt = self.claim(server)
        row = harness.poll(lambda: [r for r in mf.outbox(self.url) if r[4] != ""], 30,
                           what="the failed attempt recorded")[0]
        self.assertEqual(row[2], "queued")
        self.assertIn("smtp:", row[4])
        relay.start()
        relay.wait_messages(body["claimant"]["email"])
        harness.poll(lambda: mf.outbox(self.url)[0][2] == "sent", 30, what="the row sent")
        self.assertEqual(len(relay.messages(body["claimant"]["email"])), 1)

    def test_given_up_after_the_configured_time_with_the_reason(self):
        relay = self.relay()  # down for good
        server = self.server(["--smtp-url", relay.url, "--mail-give-up-after", "2"])
        body, receipt = self.claim(server)
        row = harness.poll(lambda: [r for r in mf.outbox(self.url) if r[2] == "failed"], 30,
                           what="the message given up")[0]
        self.assertIn("smtp:", row[4], "the reason is kept")
        self.assertGreaterEqual(int(row[3]), 1)
        self.assertNotIn(body["claimant"]["email"], row[4])

    def test_killed_between_commit_and_delivery_delivers_once_after_restart(self):
        relay = self.relay()  # down: nothing can be delivered before the kill
        # retries a second apart, as before: the kill must land between two attempts, not
        # during one (its lease would hold the row for minutes)
        server = self.server(["--smtp-url", relay.url, "--mail-retry-base", "1"])
        body, receipt = self.claim(server)
        # committed (201); wait for the failed attempt to be settled (not mid-send, whose
        # lease would hold the row for minutes), then kill
        harness.poll(lambda: [r for r in mf.outbox(self.url) if r[4] != ""], 30,
                     what="an attempt settled")
        server.kill()
        relay.start()
        server.restart()
        relay.wait_messages(body["claimant"]["email"])
        harness.poll(lambda: mf.outbox(self.url)[0][2] == "sent", 30, what="the row sent")
        self.assertEqual(len(relay.messages(body["claimant"]["email"])), 1)
        self.assertEqual(len(mf.outbox(self.url)), 1)

    def test_an_unreadable_password_file_stops_the_start(self):
        s = harness.Server(args=["--smtp-url", "smtp://127.0.0.1:1", "--smtp-user", "u",
                                 "--smtp-password-file", "/nonexistent/password"],
                           database_url=self.url)
        self.addCleanup(s.close, check=False)
        with self.assertRaises(Exception):
            s.start()
        self.assertIn("could not open --smtp-password-file", s.log_text())

    def test_eml_files_without_relay(self):
        server = self.server()
        body, receipt = self.claim(server, lang="en")
        files = harness.poll(lambda: mf.eml_files(server), 30, what="an .eml file")
        self.assertEqual(len(files), 1)
        self.assertEqual(oct(os.stat(files[0]).st_mode & 0o777), "0o600")
        with open(files[0], "rb") as f:
            msg = mf.assert_well_formed(self, f.read())
        self.assert_confirmation(msg, receipt, body, "Your claim has been registered", "en")
        leftovers = [n for n in os.listdir(os.path.dirname(files[0])) if n.endswith(".tmp")]
        self.assertEqual(leftovers, [])
        harness.poll(lambda: mf.outbox(self.url)[0][2] == "sent", 30, what="the row sent")

    def test_a_mandated_claim_is_told_its_action_and_association(self):
        """The confirmation of a claim that mandated an action names the action and the
        association it mandated, the one that will act in the claimant's name."""
        server = self.server()
        setup = type("Setup", (), {"addCleanup": self.addCleanup})()
        af.set_up_open_action(setup, server)
        m = af.mandated_claim(server, setup.slug, setup.action, client=setup.c, lang="en")
        email = m["body"]["claimant"]["email"]
        files = harness.poll(lambda: mf.eml_files(server), 30, what="an .eml file")
        with open(files[0], "rb") as f:
            msg = mf.assert_well_formed(self, f.read())
        self.assertEqual(msg["To"], email)
        for part in (mf.text_of(msg), mf.html_of(msg)):
            self.assertIn(setup.action["title"], part)
            self.assertIn(setup.A.obj["name"], part)
        self.assertIn("Representative action: " + setup.action["title"], mf.text_of(msg))
        self.assertIn("Brought by the association: " + setup.A.obj["name"], mf.text_of(msg))


if __name__ == "__main__":
    unittest.main()
