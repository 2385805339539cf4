#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice of a changed address (docs/mail.md, address-changed; migration 0027), against a
real SMTP server (smtp_fixture.py):

  - a correction changing the email address (PATCH with the claim token): the old address is
    told, in the claim's language, the day and the new address masked (never in full), whom to
    write to (--operator-email), and never the token; the new address gets the corrected
    message with its confirmation link;
  - the old address is kept in the outbox row sealed only (not in clear) while queued, and
    wiped once sent;
  - a correction keeping the address sends no such notice;
  - rotate-data-key re-seals a queued notice's old address, which still opens after it;
  - a claim withdrawn and erased while its notice is still queued (relay down): the notice is
    failed, its sealed address wiped, and nothing is sent once the relay is back.

Each test has a database of its own, so that only its server delivers its outbox."""

import datetime
import html
import subprocess
import unittest

import claims_fixtures as cf
import harness
import mail_fixtures as mf
from smtp_fixture import SmtpFixture

ARGS = ["--mail-retry-base", "0.2", "--public-url", "https://recours.example",
        "--operator-email", "dpo@operator.example"]


def row_of(url, kind):
    """(state, has a sealed address, sealed key set, last_error) of the claim's row of kind."""
    return cf.psql("SELECT state, sealed_email IS NOT NULL, sealed_key_id IS NOT NULL,"
                   f" coalesce(last_error, '') FROM outbox WHERE kind = '{kind}'", url=url)


def masked(address):
    local, domain = address.split("@")
    return f"{local[0]}***@{domain[0]}***.{domain.rsplit('.', 1)[1]}"


def due_now(url):
    """The queued messages due now, not at the end of their backoff (the relay was down)."""
    cf.psql("UPDATE outbox SET next_attempt_at = now() WHERE state = 'queued'", url=url)


def notice_to(relay, old, new, test=None):
    """The notice among the messages to the old address (the claim's confirmation goes there
    too when it was delivered before the correction: a message is rendered when delivered);
    each checked as mail software reads it when a test is given (mf.assert_well_formed)."""
    read = mf.parse if test is None else (lambda raw: mf.assert_well_formed(test, raw))

    def found():
        msgs = [read(m.data) for m in relay.messages(old)]
        return [m for m in msgs if masked(new) in mf.text_of(m)]
    return harness.poll(found, 30, what="the notice at the old address")[0]


class AddressChangedTest(unittest.TestCase):

    def setUp(self):
        self.url = cf.new_database("mail_moved_", self.addCleanup, migrated=True)

    def relay(self):
        fixture = SmtpFixture()
        self.addCleanup(fixture.close)
        return fixture

    def server(self, relay, args=()):
        s = harness.Server(args=cf.NO_RATE_LIMIT + ARGS + ["--smtp-url", relay.url] + list(args),
                           database_url=self.url)
        self.addCleanup(s.close)
        return s.start()

    def claim(self, server, **overrides):
        """A fresh claim on a new incident: (body, receipt)."""
        return mf.fresh_claim(self, server, **overrides)

    def correct(self, server, receipt, patch):
        with harness.Client(server) as c:
            r = cf.claim_request(c, "PATCH", receipt["reference"], receipt["token"], patch)
            self.assertEqual(r.status, 200, r)

    def assert_notice(self, msg, receipt, old, new, words):
        self.assertEqual(msg["To"], old)
        self.assertIn(receipt["reference"], msg["Subject"])
        self.assertNotIn(receipt["token"].encode(), msg.as_bytes(), "never the claim token")
        self.assertNotIn(new.encode(), msg.as_bytes(), "the new address only masked")
        self.assertNotIn(new.split("@")[0].encode(), msg.as_bytes())
        self.assertNotIn(b"/confirm-email/", msg.as_bytes(), "no link for the new address")
        today = datetime.datetime.now(datetime.timezone.utc)
        for part in (mf.text_of(msg), html.unescape(mf.html_of(msg))):
            for w in words + [masked(new), "dpo@operator.example", receipt["reference"]]:
                self.assertIn(w, part)
            self.assertTrue(str(today.year) in part)

    def test_the_old_address_is_told_masked_and_the_new_one_confirms(self):
        relay = self.relay().start()
        server = self.server(relay)
        body, receipt = self.claim(server, lang="en")
        old = body["claimant"]["email"]
        relay.wait_messages(old)  # the confirmation of the claim
        new = "moved." + old
        self.correct(server, receipt, {"claimant": {"email": new}})
        notice = notice_to(relay, old, new, self)
        self.assertEqual(notice["Content-Language"], "en")
        self.assert_notice(notice, receipt, old, new,
                           ["The email address of your claim was changed on",
                            "If this was not you, someone holds your claim's token"])
        self.assertTrue(notice["Subject"].startswith("The email address of your claim was "
                                                     "changed"))
        corrected = mf.assert_well_formed(self, relay.wait_messages(new)[0].data)
        self.assertIn("Your claim has just been corrected", mf.text_of(corrected))
        self.assertIn("https://recours.example/confirm-email/", mf.text_of(corrected))
        self.assertNotIn(receipt["token"].encode(), corrected.as_bytes())
        # sent: the old address is gone from the row, and the claim holds only the new one
        harness.poll(lambda: row_of(self.url, "address-changed")[0][0] == "sent", 30,
                     what="the notice's row sent")
        self.assertEqual(row_of(self.url, "address-changed"), [["sent", "f", "f", ""]])
        self.assertEqual(len(relay.messages(old)), 2, "the notice once")

    def test_in_french_and_sealed_while_queued(self):
        relay = self.relay()  # down: the notice stays queued
        server = self.server(relay)
        body, receipt = self.claim(server)  # no lang: French
        old = body["claimant"]["email"]
        new = "nouvelle." + old
        self.correct(server, receipt, {"claimant": {"email": new}})
        self.assertEqual(row_of(self.url, "address-changed")[0][:3], ["queued", "t", "t"])
        clear = cf.psql("SELECT count(*) FROM outbox WHERE position(convert_to("
                        + cf.sql_literal(old) + ", 'UTF8') IN coalesce(sealed_email, '')) > 0"
                        " OR params::text LIKE " + cf.sql_literal("%" + old + "%"), url=self.url)
        self.assertEqual(clear, [["0"]], "the old address only sealed")
        relay.start()
        due_now(self.url)
        notice = notice_to(relay, old, new, self)
        self.assertEqual(notice["Content-Language"], "fr")
        self.assert_notice(notice, receipt, old, new,
                           ["L'adresse électronique de votre réclamation a été remplacée le",
                            "Si ce n'est pas vous"])
        harness.poll(lambda: row_of(self.url, "address-changed")[0][0] == "sent", 30,
                     what="the notice's row sent")
        self.assertEqual(row_of(self.url, "address-changed")[0][:3], ["sent", "f", "f"])

    def test_a_queued_notice_is_resealed_by_a_key_rotation(self):
        """rotate-data-key re-seals the old address a queued notice carries (db/rotate.c), so
        the notice still opens once older keys are gone."""
        relay = self.relay()  # down: the notice stays queued through the rotation
        server = self.server(relay)
        body, receipt = self.claim(server, lang="en")
        old = body["claimant"]["email"]
        new = "rotated." + old
        self.correct(server, receipt, {"claimant": {"email": new}})
        self.assertEqual(cf.psql("SELECT sealed_key_id FROM outbox WHERE kind ="
                                 " 'address-changed'", url=self.url), [["1"]])
        run = subprocess.run([harness.recours_bin(), "rotate-data-key", "--secrets-dir",
                              server.secrets_dir, "--database-url", self.url],
                             capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("rotate: outbox: 1 rows re-encrypted", run.stdout)
        self.assertEqual(cf.psql("SELECT sealed_key_id FROM outbox WHERE kind ="
                                 " 'address-changed'", url=self.url), [["2"]])
        harness.poll(lambda: "data keys reloaded" in server.log_text(), 30,
                     what="the server reloading its keys")
        relay.start()
        due_now(self.url)
        self.assertEqual(notice_to(relay, old, new)["To"], old)

    def test_a_correction_keeping_the_address_sends_no_notice(self):
        relay = self.relay().start()
        server = self.server(relay)
        body, receipt = self.claim(server, lang="en")
        old = body["claimant"]["email"]
        self.correct(server, receipt, {"claimant": {"address": {"city": "Lyon"}}})
        self.correct(server, receipt, {"claimant": {"email": old}})  # the same, given again
        msgs = relay.wait_messages(old, n=3)
        harness.poll(lambda: all(r[2] == "sent" for r in mf.outbox(self.url)), 30,
                     what="every row sent")
        self.assertEqual([r[1] for r in mf.outbox(self.url)],
                         ["claim-accepted", "claim-corrected", "claim-corrected"])
        self.assertEqual(len(msgs), 3)
        for m in msgs:
            self.assertNotIn("was changed on", mf.text_of(mf.parse(m.data)))

    def test_an_erased_claims_queued_notice_is_failed_unsent(self):
        relay = self.relay()  # down: every message stays queued
        server = self.server(relay, ["--withdrawn-retention-days", "0",
                                     "--erasure-interval", "0.2"])
        body, receipt = self.claim(server)
        old = body["claimant"]["email"]
        self.correct(server, receipt, {"claimant": {"email": "other." + old}})
        self.assertEqual(row_of(self.url, "address-changed")[0][:2], ["queued", "t"])
        with harness.Client(server) as c:
            r = cf.claim_request(c, "DELETE", receipt["reference"], receipt["token"])
            self.assertEqual(r.status, 200, r)
        harness.poll(lambda: cf.psql("SELECT erased_at IS NOT NULL FROM claims", url=self.url)
                     == [["t"]], 30, what="the claim erased")
        self.assertEqual(row_of(self.url, "address-changed"),
                         [["failed", "f", "f", "the claim's personal data is erased"]])
        relay.start()
        due_now(self.url)  # the other messages fail at their next attempt: the claim is erased
        harness.poll(lambda: all(r[2] == "failed" for r in mf.outbox(self.url)), 60,
                     what="every message of the erased claim failed")
        self.assertEqual(relay.messages(), [], "nothing sent about an erased claim")


if __name__ == "__main__":
    unittest.main()
