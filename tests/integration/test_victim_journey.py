#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A breach victim's whole journey in a real browser (tests/browser/victim_flow.mjs, Debian's
Chromium driven by playwright-core, axe-core for accessibility): with JavaScript off in French,
with JavaScript on in English on a 390 px phone, from the home page to the action's page to
the claim form, a mistake corrected, the receipt. Afterwards the database holds both claims,
each a member of the action (the mandate given on the form), and the confirmation emails have
reached a real SMTP server (smtp_fixture.py): the French one in French, the English one in
English, each with its reference and never its token; a third victim attaches a scan without
JavaScript on a phone (its long name wraps). Then "I lost my token" in the browser:
the page is the same for the English victim's address and an unknown one; the test reads the
recovery link at the SMTP server and hands it to tests/browser/victim_recover.mjs, which sets a
new token with it and sees the new token open /my-claim and the old one refused.

The journey's measures (measures.json: fields, words to read, key presses to a receipt) are kept
under the build directory, browser-artifacts/victim/, or $RECOURS_WEB_SCREENSHOTS when set; the
screenshots (390 and 1280 px) only when it is set (tests/browser/flow_kit.mjs, shoot). The test is skipped only where Chromium or Node.js is missing
outside CI; under CI a missing browser fails it."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import browser_fixtures as bf
import claims_fixtures as cf
import harness
import mail_fixtures as mf
from smtp_fixture import SmtpFixture

BROWSER_TIMEOUT_S = 280


def artifacts_dir():
    keep = os.environ.get("RECOURS_WEB_SCREENSHOTS")
    if keep:
        return os.path.join(keep, "victim")
    return os.path.join(os.path.dirname(harness.recours_bin()), "browser-artifacts", "victim")


class VictimJourney(unittest.TestCase):
    def test_journey(self):
        node = bf.prerequisites(self)
        relay = SmtpFixture().start()
        self.addCleanup(relay.close)
        server = cf.start_server(self, ["--smtp-url", relay.url, "--mail-retry-base", "1"])
        # a leading 0 puts the incident first on the home page of a shared database
        slug = cf.make_incident(server, slug="0vj-" + cf.suffix(12))
        assoc = af.approved_association(server)
        action = af.open_action(assoc, slug)
        setup = {"slug": slug, "action_id": action["id"], "association_name": assoc.obj["name"],
                 "privacy_version": cf.NOTICE_VERSION}
        shots = artifacts_dir()
        shutil.rmtree(shots, ignore_errors=True)
        os.makedirs(shots, exist_ok=True)
        self.browser(node, "victim_flow.mjs", server, setup, shots)
        self.assertEqual(cf.count_claims(slug), 5, "one claim per journey, one for evidence, one "
                         "from Hong Kong, one with a loss typed with JavaScript")
        self.assertEqual(cf.count_claims(slug, "c.country = 'HK'"), 1, "the claimant abroad")
        self.assertEqual(cf.count_claims(slug, "c.documented_loss = 123456"), 2,
                         "'1 234,56 €' typed in French, JavaScript on and off")
        self.assertEqual(cf.count_claims(slug, f"c.member_action_id = '{action['id']}'"), 2,
                         "both joined the action through the form's mandate")
        with open(os.path.join(shots, "measures.json")) as f:
            measures = json.load(f)
        for m in measures.values():
            self.assertGreater(m["keys"], 0)
            self.assertGreater(m["words"], 0)
        with open(os.path.join(shots, "receipts.json")) as f:
            receipts = json.load(f)
        self.check_confirmations(relay, receipts)
        self.recover(node, server, relay, receipts["en"], shots)
        bf.assert_no_libmicrohttpd_warnings(self, server)

    def browser(self, node, script, server, given, shots):
        """Runs tests/browser/<script> on server with given (a JSON file); fails on its
        failure."""
        fd, path = tempfile.mkstemp(prefix="recours-victim-", suffix=".json")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(given, f)
            run = subprocess.run([node, os.path.join(bf.browser_dir(), script), server.url, path,
                                  shots], cwd=bf.browser_dir(), capture_output=True, text=True,
                                 timeout=BROWSER_TIMEOUT_S)
        finally:
            os.unlink(path)
        if run.returncode != 0:
            self.fail(f"{script} exited with {run.returncode} (screenshots in {shots}):"
                      f"\n{run.stdout}\n{run.stderr}")
        print(run.stdout.strip())

    def check_confirmations(self, relay, receipts):
        """Each victim's confirmation: their language, their reference, never their token."""
        for lang, words in (("fr", "Votre réclamation a bien été enregistrée"),
                            ("en", "Your claim has been registered")):
            given = receipts[lang]
            msg = mf.parse(relay.wait_messages(given["email"])[0].data)
            self.assertEqual(msg["Content-Language"], lang)
            self.assertIn(given["reference"], msg["Subject"])
            for part in (mf.text_of(msg), mf.html_of(msg)):
                self.assertIn(words, part)
                self.assertIn(given["reference"], part)
            self.assertNotIn(given["token"].encode(), msg.as_bytes(),
                             "a message never carries the claim token")

    def recover(self, node, server, relay, given, shots):
        """The recovery message victim_flow.mjs asked for (the second message to the English
        victim), its link handed to victim_recover.mjs."""
        msgs = [mf.parse(m.data) for m in relay.wait_messages(given["email"], n=2)]
        links = [re.search(r"/my-claim\?recover=[A-Za-z0-9_=&-]+", mf.text_of(m)) for m in msgs]
        found = [link for link in links if link]
        self.assertEqual(len(found), 1, "one recovery message, with its link")
        for m in msgs:
            self.assertNotIn(given["token"].encode(), m.as_bytes())
        found = found[0]
        self.browser(node, "victim_recover.mjs", server,
                     {"path": found.group(0), "reference": given["reference"],
                      "token": given["token"]}, shots)


if __name__ == "__main__":
    harness.main()
