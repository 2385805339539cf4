#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Notices tab of /dashboard in a real browser (issue 13, "a notice to the members of an
action arrives once per member in each member's language"): tests/browser/notices_flow.mjs
writes a notice in the dashboard, previews it, sends it to the action's members with the count
confirmed and follows its progress (axe-core on the tab: no serious or critical violation),
stops the send of another notice whose messages are held queued (made in SQL) and deletes a
draft; then each member's message is read at the real SMTP server (smtp_fixture.py): once, in
the member's language, and the stopped notice's messages are cancelled. Label `browser` (tests/CMakeLists.txt): skipped where Chromium or Node.js is
missing outside CI, like test_web_pages.py, whose prerequisites it shares. Screenshots go to
$RECOURS_WEB_SCREENSHOTS when set."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import browser_fixtures as bf
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf
import test_web_pages as web
from smtp_fixture import SmtpFixture


class NoticesBrowserTest(unittest.TestCase):
    def test_a_notice_written_in_the_dashboard_reaches_each_member_once_in_its_language(self):
        node = bf.prerequisites(self)
        relay = SmtpFixture().start()
        self.addCleanup(relay.close)
        s = cf.start_server(self, args=["--smtp-url", relay.url,
                                        "--public-url", "https://recours.example"])
        slug = cf.make_incident(s)
        assoc = af.approved_association(s)
        action = af.open_action(assoc, slug)
        members = [(af.mandated_claim(s, slug, action, lang=lang), lang)
                   for lang in ("fr", "en", "fr")]
        tag = "n" + cf.letters(8)
        # written before the flow's notice (listed below it), its 2 messages held by no thread
        sending = nf.sending_sql(action["id"], queued=2)
        cf.psql(f"UPDATE notices SET created_at = now() - interval '1 hour' WHERE id = '{sending}'")
        setup = {"key": assoc.key, "action_id": action["id"], "action_title": action["title"],
                 "members": len(members), "tag": tag, "sending": sending}
        keep = os.environ.get("RECOURS_WEB_SCREENSHOTS")
        shots = keep or tempfile.mkdtemp(prefix="recours-notices-shots-")
        fd, setup_path = tempfile.mkstemp(prefix="recours-notices-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(setup, f)
            run = subprocess.run([node, os.path.join(bf.browser_dir(), "notices_flow.mjs"), s.url,
                                  setup_path, shots], cwd=bf.browser_dir(), capture_output=True,
                                 text=True, timeout=web.BROWSER_TIMEOUT_S)
        finally:
            os.unlink(setup_path)
        if run.returncode != 0:
            self.fail(f"notices_flow.mjs exited with {run.returncode} (screenshots kept in "
                      f"{shots}):\n{run.stdout}\n{run.stderr}")
        if not keep:
            shutil.rmtree(shots, ignore_errors=True)
        notice_id = json.loads(run.stdout.strip().splitlines()[-1])["notice_id"]

        subjects = {"fr": f"Audience fixée {tag}", "en": f"Hearing set {tag}"}
        for m, lang in members:
            email = m["body"]["claimant"]["email"]
            mine = lambda: [x for x in (mf.parse(r.data) for r in relay.messages(email))  # noqa: E731
                            if tag in str(x["Subject"])]
            msgs = harness.poll(lambda: mine() or None, 60, what=f"the notice to {m['reference']}")
            self.assertEqual(len(msgs), 1, "once per member")
            self.assertEqual(str(msgs[0]["Subject"]), subjects[lang])
            self.assertEqual(msgs[0]["Content-Language"], lang)
            self.assertIn(m["reference"], mf.text_of(msgs[0]))
        self.assertEqual(cf.psql("SELECT count(*), count(DISTINCT claim_id) FROM outbox"
                                 f" WHERE notice_id = '{notice_id}'"), [["3", "3"]])
        self.assertEqual(cf.psql(f"SELECT state, count(*) FROM outbox WHERE notice_id = '{sending}'"
                                 " GROUP BY 1"), [["cancelled", "2"]])
        self.assertEqual(cf.psql("SELECT count(*) FROM notices WHERE action_id ="
                                 f" '{action['id']}'"), [["2"]], "the draft deleted")
        bf.assert_no_libmicrohttpd_warnings(self, s)


if __name__ == "__main__":
    unittest.main()
