#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Notices from an association to the members of its action (issue 13; docs/workspace.md
"Notices"), against a real SMTP server (smtp_fixture.py, aiosmtpd):

  - a notice written, previewed and sent to the action's members arrives once per member, in
    each member's language (the claim's), with the stop link of a non-essential notice
    (List-Unsubscribe, RFC 8058 one-click) and the progress per notice (queued, sent, failed);
    a second send is refused;
  - the stop link (a page without JavaScript, a POST) stops non-essential notices for that
    member, and only those: an essential one (a deadline) still reaches everyone, the counts
    say how many were skipped;
  - a member filter chooses the recipients; the count is confirmed (expected_count) or
    nothing is sent (409 count-changed);
  - another association gets 404 on every notice route;
  - each notice is audited (who, the texts' digest, the recipients), nothing personal logged;
  - two servers sharing a database and a --mail-rate send each message once, at the rate.

Each class has a database of its own, so that only its servers deliver its outbox."""

import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf
from smtp_fixture import SmtpFixture

PUBLIC_URL = "https://recours.example"


def claim_id(reference, url=None):
    return int(cf.psql("SELECT id FROM claims WHERE reference = " + cf.sql_literal(reference),
                       url=url)[0][0])


def notice_messages(relay, to, marker, test=None):
    """The messages to address `to` whose subject contains marker (the confirmations of the
    claims go to the same addresses); each checked as mail software reads it when a test is
    given (mf.assert_well_formed)."""
    read = mf.parse if test is None else (lambda raw: mf.assert_well_formed(test, raw))
    return [m for m in (read(r.data) for r in relay.messages(to)) if marker in str(m["Subject"])]


class NoticesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("notices_", cls.addClassCleanup, migrated=True)
        cls.relay = SmtpFixture().start()
        cls.addClassCleanup(cls.relay.close)
        cls.server = harness.Server(args=cf.NO_RATE_LIMIT + ["--smtp-url", cls.relay.url,
                                                             "--public-url", PUBLIC_URL,
                                                             "--mail-rate", "0"],
                                    database_url=cls.url)
        cls.addClassCleanup(cls.server.close)
        cls.server.start()

    def setUp(self):
        af.set_up_open_action(self, self.server)
        self.base = f"/v1/actions/{self.action['id']}/notices"

    def member(self, **overrides):
        return af.mandated_claim(self.server, self.slug, self.action, client=self.c, **overrides)

    def call(self, method, path, body=None, assoc=None):
        return (assoc or self.A).request(method, path, body, client=self.c)

    def draft(self, kind="information", tag=None):
        tag = tag if tag is not None else " " + cf.letters(8)
        body = nf.draft_body(kind, tag)
        r = self.call("POST", self.base, body)
        self.assertEqual(r.status, 201, repr(r))
        return r.json(), tag, body

    def send(self, notice, filter_=None, expect=None):
        """A dry run, then the send confirmed with its count; the dry run's answer."""
        body = {"dry_run": True} if filter_ is None else {"dry_run": True, "filter": filter_}
        r = self.call("POST", f"{self.base}/{notice['id']}/send", body)
        self.assertEqual(r.status, 200, repr(r))
        counted = r.json()
        if expect is not None:
            self.assertEqual(counted["recipients"], expect, counted)
        body = {"expected_count": counted["recipients"]}
        if filter_ is not None:
            body["filter"] = filter_
        r = self.call("POST", f"{self.base}/{notice['id']}/send", body)
        self.assertEqual(r.status, 202, repr(r))
        self.assertEqual(r.json()["recipients"], counted["recipients"])
        return counted

    def wait_delivered(self, notice, n):
        """The notice once n of its messages are sent and none is queued."""
        def done():
            r = self.call("GET", f"{self.base}/{notice['id']}")
            p = r.json()["progress"]
            return r.json() if p["sent"] == n and p["queued"] == 0 else None
        return harness.poll(done, 60, what=f"{n} messages of the notice sent")

    def test_each_member_gets_it_once_in_its_language(self):
        fr1, fr2 = self.member(), self.member()
        en = self.member(lang="en")
        notice, tag, body = self.draft()
        self.assertEqual(notice["state"], "draft")
        self.assertFalse(notice["essential"])
        self.assertEqual(notice["texts_sha256"], nf.texts_sha256(body))
        self.assertEqual(notice["texts"], body["texts"])
        # the preview is the message a member receives, nothing is queued
        for lang, words in (("fr", "Audience fixée"), ("en", "Hearing set")):
            r = self.call("GET", f"{self.base}/{notice['id']}/preview?lang={lang}")
            self.assertEqual(r.status, 200, repr(r))
            p = r.json()
            self.assertEqual(p["subject"], words + tag)
            self.assertIn(body["texts"][lang]["body"], p["text"])
            self.assertIn("RC-XXXX-XXXX", p["text"])
            self.assertIn(self.action["title"], p["text"])
            self.assertIn('<a href="https://example.org/audience?x=1">', p["html"])
            self.assertTrue(p["list_unsubscribe"].startswith(PUBLIC_URL + "/notices/stop/"))
        r = self.call("GET", f"{self.base}/{notice['id']}/preview?lang=de")
        harness.assert_problem(self, r, 400, "invalid-parameter")
        self.assertEqual(mf.outbox(self.url, f"notice_id = '{notice['id']}'"), [])

        self.send(notice, expect=3)
        done = self.wait_delivered(notice, 3)
        self.assertEqual(done["state"], "sent")
        self.assertEqual(done["counts"], {"matching": 3, "recipients": 3, "skipped_opted_out": 0})
        self.assertEqual(done["audience"], {})
        for m, lang, subject in ((fr1, "fr", "Audience fixée"), (fr2, "fr", "Audience fixée"),
                                 (en, "en", "Hearing set")):
            email = m["body"]["claimant"]["email"]
            msgs = harness.poll(lambda: notice_messages(self.relay, email, tag, self) or None, 30,
                                what="the notice at the relay")
            self.assertEqual(len(msgs), 1, f"one message for {m['reference']}")
            msg = msgs[0]
            self.assertEqual(str(msg["Subject"]), subject + tag)
            self.assertEqual(msg["Content-Language"], lang)
            self.assertIn(body["texts"][lang]["body"], mf.text_of(msg))
            self.assertIn(m["reference"], mf.text_of(msg))
            self.assertNotIn(m["token"], msg.as_string(), "never the claim token")
            stop = f"{PUBLIC_URL}/notices/stop/{nf.stop_token(self.server, claim_id(m['reference'], self.url))}"
            self.assertEqual(msg["List-Unsubscribe"], f"<{stop}>")
            self.assertEqual(msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
            self.assertIn(stop, mf.text_of(msg))
        # once per member: a second send is refused, and nothing more arrives
        r = self.call("POST", f"{self.base}/{notice['id']}/send", {"expected_count": 3})
        harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertEqual(len(mf.outbox(self.url, f"notice_id = '{notice['id']}'")), 3)
        listed = self.call("GET", self.base).json()["data"]
        self.assertEqual(listed[0]["id"], notice["id"])
        self.assertNotIn("body", listed[0]["texts"]["fr"], "a list leaves the bodies out")
        # nothing personal in the server's log
        log = self.server.log_text()
        for m in (fr1, fr2, en):
            self.assertNotIn(m["body"]["claimant"]["email"], log)

    def test_the_stop_page_honours_the_language_cookie_as_every_page(self):
        # the language switch of another page left its cookie: the reader chose French, over
        # the member's English; an unreadable cookie or ?lang= chooses nothing
        token = nf.stop_token(self.server, claim_id(self.member(lang="en")["reference"], self.url))
        for cookie, lang in (("lang=fr", "fr"), ("lang=de", "en"), ("other=1", "en")):
            with self.subTest(cookie=cookie):
                page = self.c.request("GET", f"/notices/stop/{token}",
                                      headers={"Accept": "text/html", "Cookie": cookie})
                self.assertEqual(page.status, 200, repr(page))
                self.assertEqual(page.headers.get("Content-Language"), lang)
                self.assertIn(f'<form method="post" action="/notices/stop/{token}?lang={lang}">',
                              page.body.decode(), "its button answers in the same language")
        page = self.c.request("GET", f"/notices/stop/{token}?lang=en",
                              headers={"Accept": "text/html", "Cookie": "lang=fr"})
        self.assertEqual(page.headers.get("Content-Language"), "en", "?lang= over the cookie")

    def test_the_stop_link_stops_non_essential_notices_only(self):
        stays, leaves = self.member(), self.member(lang="en")
        token = nf.stop_token(self.server, claim_id(leaves["reference"], self.url))
        page = self.c.request("GET", f"/notices/stop/{token}")
        self.assertEqual(page.status, 200, repr(page))
        html = page.body.decode()
        self.assertIn('lang="en"', html, "the member's language")
        self.assertIn('<form method="post"', html)
        self.assertIn(self.action["title"], html)
        self.assertNotIn("<script", html, "a page without JavaScript")
        self.assertEqual(page.headers.get("Cache-Control"), "no-store")
        # its language switch shows it in the other language, still never cached (the address
        # is the member's own), and its button then answers in that language too
        switched = self.c.request("GET", f"/notices/stop/{token}?lang=fr",
                                  headers={"Accept": "text/html"})
        self.assertEqual(switched.status, 200, repr(switched))
        self.assertEqual(switched.headers.get("Content-Language"), "fr")
        self.assertIn('<html lang="fr">', switched.body.decode())
        self.assertEqual(switched.headers.get("Cache-Control"), "no-store")
        self.assertIn(f'<form method="post" action="/notices/stop/{token}?lang=fr">',
                      switched.body.decode())
        self.assertEqual(self.c.request("GET", f"/notices/stop/{token}?lang=de",
                                        headers={"Accept": "text/html"}).status, 400)
        self.assertEqual(cf.psql("SELECT notices_opt_out_at IS NULL FROM claims WHERE reference = "
                                 + cf.sql_literal(leaves["reference"]), url=self.url), [["t"]],
                         "reading the page, in any language, stops nothing")
        # the page's button posts the same body as a mail client's one-click (RFC 8058)
        done = self.c.request("POST", f"/notices/stop/{token}", body=b"List-Unsubscribe=One-Click",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(done.status, 200, repr(done))
        self.assertIn('id="stop-done"', done.body.decode())
        self.assertEqual(cf.psql("SELECT notices_opt_out_at IS NOT NULL FROM claims WHERE reference = "
                                 + cf.sql_literal(leaves["reference"]), url=self.url), [["t"]])
        again = self.c.request("POST", f"/notices/stop/{token}", body=b"")
        self.assertEqual(again.status, 200, "the link keeps working")
        for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "1.x", "abc", "0." + token.split(".")[1]):
            r = self.c.request("GET", f"/notices/stop/{urllib.parse.quote(bad)}",
                               headers={"Accept": "text/html"})
            self.assertEqual(r.status, 404, bad)

        info, tag, _ = self.draft("information")
        counted = self.send(info, expect=1)
        self.assertEqual(counted["skipped_opted_out"], 1)
        self.assertEqual(counted["matching"], 2)
        done = self.wait_delivered(info, 1)
        self.assertEqual(done["counts"]["skipped_opted_out"], 1)
        deadline, dtag, _ = self.draft("deadline")
        self.assertTrue(deadline["essential"])
        counted = self.send(deadline, expect=2)
        self.assertEqual(counted["skipped_opted_out"], 0)
        self.wait_delivered(deadline, 2)
        # the essential notice reached the member who stopped the others, without a stop link
        msg = harness.poll(lambda: notice_messages(self.relay, leaves["body"]["claimant"]["email"],
                                                   dtag) or None, 30, what="the deadline")[0]
        self.assertIsNone(msg["List-Unsubscribe"])
        self.assertEqual(notice_messages(self.relay, leaves["body"]["claimant"]["email"], tag), [],
                         "the information was not sent to the member who stopped it")
        self.assertEqual(len(notice_messages(self.relay, stays["body"]["claimant"]["email"], tag)), 1)

    def test_a_filter_chooses_and_the_count_is_confirmed(self):
        members = [self.member() for _ in range(3)]
        r = self.call("POST", f"/v1/actions/{self.action['id']}/reviews",
                      {"references": [members[0]["reference"]], "decision": "verified"})
        self.assertEqual(r.status, 200, repr(r))
        notice, tag, _ = self.draft()
        path = f"{self.base}/{notice['id']}/send"
        r = self.call("POST", path, {"filter": {"status": "verified"}})
        harness.assert_problem(self, r, 422, "validation-error")  # no expected_count
        r = self.call("POST", path, {"filter": {"status": "gone"}, "dry_run": True})
        harness.assert_problem(self, r, 422, "validation-error")
        r = self.call("POST", path, {"filter": {"status": "verified"}, "expected_count": 2})
        harness.assert_problem(self, r, 409, "count-changed")
        # one recipient said in the singular, as an integrator reads the detail
        self.assertEqual(r.json()["detail"], "1 member would receive it now, not 2: nothing was sent")
        self.assertEqual(mf.outbox(self.url, f"notice_id = '{notice['id']}'"), [])
        self.send(notice, {"status": "verified"}, expect=1)
        done = self.wait_delivered(notice, 1)
        self.assertEqual(done["audience"], {"status": "verified"})
        self.assertEqual(len(notice_messages(self.relay, members[0]["body"]["claimant"]["email"], tag)), 1)
        for m in members[1:]:
            self.assertEqual(notice_messages(self.relay, m["body"]["claimant"]["email"], tag), [])

    def test_another_association_gets_404_on_every_route(self):
        self.member()
        notice, _, _ = self.draft()
        B = af.approved_association(self.server, client=self.c)
        other = af.open_action(self.A, self.slug, client=self.c)
        n = notice["id"]
        cases = [("POST", self.base, nf.draft_body()), ("GET", self.base, None),
                 ("GET", f"{self.base}/{n}", None), ("GET", f"{self.base}/{n}/preview", None),
                 ("POST", f"{self.base}/{n}/send", {"dry_run": True})]
        for method, path, body in cases:
            with self.subTest(path=path, who="another association"):
                harness.assert_problem(self, self.call(method, path, body, assoc=B), 404, "not-found")
        # A's notice under A's other action, and ids that are not uuids
        for method, path, body in [("GET", f"/v1/actions/{other['id']}/notices/{n}", None),
                                   ("POST", f"/v1/actions/{other['id']}/notices/{n}/send",
                                    {"dry_run": True}),
                                   ("GET", f"{self.base}/not-a-uuid", None),
                                   ("GET", "/v1/actions/x/notices", None)]:
            with self.subTest(path=path):
                harness.assert_problem(self, self.call(method, path, body), 404, "not-found")
        self.assertEqual(mf.outbox(self.url, f"notice_id = '{n}'"), [])

    def test_every_notice_is_audited(self):
        self.member()
        notice, _, body = self.draft()
        self.send(notice, expect=1)
        rows = cf.psql("SELECT action, actor, encode(digest, 'hex') FROM audit_events"
                       f" WHERE object_type = 'notice' AND object_id = '{notice['id']}'"
                       " ORDER BY seq", url=self.url)
        self.assertEqual([r[0] for r in rows], ["action.notice.create", "action.notice.send"])
        self.assertEqual({r[1] for r in rows}, {f"association:{self.A.id}"})
        self.assertEqual(rows[0][2], nf.texts_sha256(body), "the digest of the texts")
        sent = cf.psql("SELECT sent_by, recipients, sent_at IS NOT NULL FROM notices"
                       f" WHERE id = '{notice['id']}'", url=self.url)
        self.assertEqual(sent, [[f"association:{self.A.id}", "1", "t"]])
        r = cf.operator_request(self.server, "GET", "/v1/audit/verify")
        self.assertTrue(r.json()["ok"], r.json())
        # a draft that cannot be: a missing language, a subject on two lines, an unknown kind
        for bad in ({"kind": "information", "texts": {"fr": body["texts"]["fr"]}},
                    cf.deep_merge(body, {"texts": {"en": {"subject": "two\nlines"}}}),
                    dict(body, kind="gossip")):
            r = self.call("POST", self.base, bad)
            harness.assert_problem(self, r, 422, "validation-error")


class SharedRateTest(unittest.TestCase):
    """Two servers on one database, one relay, --mail-rate 20: every message once, and the
    notice's messages spread over the time the rate gives."""

    def test_two_servers_share_the_rate_and_send_each_message_once(self):
        url = cf.new_database("noticerate_", self.addCleanup, migrated=True)
        relay = SmtpFixture().start()
        self.addCleanup(relay.close)
        args = cf.NO_RATE_LIMIT + ["--smtp-url", relay.url, "--public-url", PUBLIC_URL,
                                   "--mail-rate", "20"]
        servers = []
        for _ in range(2):
            # the same secrets: either server opens any claim
            s = harness.Server(args=args, database_url=url,
                               secrets_from=servers[0] if servers else None)
            self.addCleanup(s.close)
            servers.append(s.start())
        with harness.Client(servers[0]) as c:
            slug = cf.make_incident(servers[0])
            A = af.approved_association(servers[0], client=c)
            action = af.open_action(A, slug, client=c)
            members = [af.mandated_claim(servers[0], slug, action, client=c) for _ in range(50)]
            # the confirmations of the claims first (the messages about one claim go first)
            harness.poll(lambda: len(relay.messages()) >= 50, 60, what="the confirmations")
            r = A.request("POST", f"/v1/actions/{action['id']}/notices", nf.draft_body(tag=" rate"),
                          client=c)
            notice = r.json()
            r = A.request("POST", f"/v1/actions/{action['id']}/notices/{notice['id']}/send",
                          {"expected_count": 50}, client=c)
            self.assertEqual(r.status, 202, repr(r))
        harness.poll(lambda: all(len(notice_messages(relay, m["body"]["claimant"]["email"], " rate")) >= 1
                                 for m in members), 60, what="the notice to the 50 members")
        for m in members:
            self.assertEqual(len(notice_messages(relay, m["body"]["claimant"]["email"], " rate")), 1)
        # 50 messages at 20 a second with a bucket of one second: 1.5 s at least between the
        # first and the last taken from the bucket. Read when they were taken, not when they
        # were settled: a take sets next_attempt_at to the database's now() plus the lease
        # (db/outbox.c), in the transaction that spent the tokens, and a send leaves it; a
        # settled time also holds the relay's delay, which on a loaded machine can be longer
        # for the first message than for the last.
        span = float(cf.psql("SELECT extract(epoch FROM max(next_attempt_at) - min(next_attempt_at))"
                             f" FROM outbox WHERE notice_id = '{notice['id']}'", url=url)[0][0])
        self.assertGreaterEqual(span, 1.4, "the rate was not exceeded")
        # and in slices: once the bucket is spent, a sender waits for a quarter of a second's
        # worth (5 at 20 a second) instead of taking each token as it comes, a transaction
        # each (service/mail_delivery.c, RATE_SLICE_S); only the last take may hold less
        takes = [int(row[0]) for row in cf.psql(
            "SELECT count(*) FROM outbox WHERE notice_id = '%s'"
            " GROUP BY next_attempt_at ORDER BY next_attempt_at" % notice["id"], url=url)]
        self.assertEqual(sum(takes), 50)
        self.assertTrue(all(n >= 5 for n in takes[:-1]), f"rows per take: {takes}")
        self.assertEqual(cf.psql("SELECT count(*), count(*) FILTER (WHERE state = 'sent')"
                                 f" FROM outbox WHERE notice_id = '{notice['id']}'", url=url),
                         [["50", "50"]])


if __name__ == "__main__":
    unittest.main()
