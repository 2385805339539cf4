#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Stopping a notice's send and deleting a draft (docs/workspace.md "Notices", "Stopping a
send"), against a real SMTP server (smtp_fixture.py) and a server sending one message a second
(--mail-rate 1), so that a notice to 30 members is still going out when it is stopped:

  - POST …/cancel stops the rest: every message still queued becomes cancelled and is never
    delivered afterwards (a later notice, queued after them, goes out first and alone); the
    counts add up (sent + failed + cancelled = recipients, exactly once the messages a mail
    thread held have settled);
  - a message a mail thread held when the send was stopped, then handed to the relay, moves
    from the cancelled count to the sent count (the statement marking a batch sent, run
    directly: no timing);
  - a notice never sent, stopped already, or with nothing queued → 409 invalid-transition;
    another association's action, or another action's notice → 404;
  - DELETE of a draft: 204, gone from the list and 404 after; of a sent notice: 409;
  - each is audited (action.notice.cancel, action.notice.delete) and the chain verifies.

The class has a database of its own, so that only its server delivers its outbox. Waits are for
states (rows, counts, messages at the relay), never for time."""

import hashlib
import json
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf
import prepared_sql

MEMBERS = 30


def tagged(relay, marker):
    """Messages at the relay whose subject holds marker."""
    return [m for m in (mf.parse(r.data) for r in relay.messages()) if marker in str(m["Subject"])]


class NoticesCancelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nf.start_delivering_server(cls, "notices_cancel_", mail_rate=1)

    def setUp(self):
        af.set_up_open_action(self, self.server)
        self.base = f"/v1/actions/{self.action['id']}/notices"

    def sql(self, text):
        return cf.psql(text, url=self.url)

    def call(self, method, path, body=None, assoc=None):
        return (assoc or self.A).request(method, path, body, client=self.c)

    def members(self, n, action=None):
        made = [af.mandated_claim(self.server, self.slug, action or self.action, client=self.c)
                for _ in range(n)]
        # their confirmations would hold the notice back at one a second (the messages about
        # one claim go first): they are not what this test is about
        self.sql("UPDATE outbox SET state = 'sent', sent_at = now()"
                 " WHERE notice_id IS NULL AND state = 'queued'")
        return made

    def draft(self, base=None):
        tag = " " + cf.letters(8)
        r = self.call("POST", base or self.base, nf.draft_body(tag=tag))
        self.assertEqual(r.status, 201, repr(r))
        return r.json(), tag

    def send(self, notice, n, base=None):
        r = self.call("POST", f"{base or self.base}/{notice['id']}/send", {"expected_count": n})
        self.assertEqual(r.status, 202, repr(r))

    def notice(self, notice_id):
        r = self.call("GET", f"{self.base}/{notice_id}")
        self.assertEqual(r.status, 200, repr(r))
        return r.json()

    def states(self, notice_id):
        return dict((s, int(n)) for s, n in self.sql(
            f"SELECT state, count(*) FROM outbox WHERE notice_id = '{notice_id}' GROUP BY 1"))

    def audit(self, notice_id):
        return self.sql("SELECT action, actor, encode(digest, 'hex') FROM audit_events"
                        f" WHERE object_type = 'notice' AND object_id = '{notice_id}'"
                        " ORDER BY seq")

    def assert_adds_up(self, n):
        p = n["progress"]
        self.assertEqual(p["queued"], 0, p)
        self.assertEqual(p["sent"] + p["failed"] + p["cancelled"], n["counts"]["recipients"], p)

    def test_a_slow_send_stopped_sends_no_more(self):
        self.members(MEMBERS)
        notice, tag = self.draft()
        self.send(notice, MEMBERS)
        harness.poll(lambda: self.notice(notice["id"])["progress"]["sent"] >= 1, 60,
                     what="the first message of the notice sent")

        r = self.call("POST", f"{self.base}/{notice['id']}/cancel")
        self.assertEqual(r.status, 200, repr(r))
        stopped = r.json()
        self.assertEqual(stopped["state"], "cancelled")
        self.assertEqual(stopped["cancelled_by"], f"association:{self.A.id}")
        self.assertIsNotNone(stopped["cancelled_at"])
        self.assert_adds_up(stopped)
        cancelled = stopped["progress"]["cancelled"]
        self.assertGreaterEqual(cancelled, 1, stopped)
        self.assertEqual(self.notice(notice["id"])["state"], "cancelled", "GET shows it")
        states = self.states(notice["id"])
        self.assertNotIn("queued", states, "nothing of the notice is left to take")
        self.assertEqual(states.get("cancelled"), cancelled)

        # the messages a mail thread held when it was stopped (taken: attempts > 0) may still
        # reach the relay; they settle as sent. Once they have, every count is exact.
        harness.poll(lambda: self.sql(f"SELECT count(*) FROM outbox WHERE notice_id ="
                                      f" '{notice['id']}' AND state = 'cancelled'"
                                      " AND attempts > 0") == [["0"]],
                     60, what="the messages held by a mail thread settled")
        done = self.notice(notice["id"])
        self.assert_adds_up(done)
        states = self.states(notice["id"])
        self.assertEqual((done["progress"]["sent"], done["progress"]["cancelled"]),
                         (states.get("sent", 0), states.get("cancelled", 0)), states)
        self.assertGreaterEqual(done["progress"]["cancelled"], 1)
        self.assertEqual(done["progress"]["sent"] + done["progress"]["cancelled"], cancelled
                         + stopped["progress"]["sent"], "a held message moves, none appears")
        harness.poll(lambda: len(tagged(self.relay, tag)) == done["progress"]["sent"], 60,
                     what="the relay holding the notice's sent messages")

        # a notice queued after the stopped rows goes out alone: were they still takeable, they
        # would go first (the takes are oldest first)
        other = af.open_action(self.A, self.slug, client=self.c)
        self.members(1, other)
        later, later_tag = self.draft(f"/v1/actions/{other['id']}/notices")
        self.send(later, 1, f"/v1/actions/{other['id']}/notices")
        harness.poll(lambda: len(tagged(self.relay, later_tag)) == 1, 60,
                     what="the later notice delivered")
        self.assertEqual(len(tagged(self.relay, tag)), done["progress"]["sent"],
                         "no stopped message was delivered")
        self.assertEqual(self.states(notice["id"]), states)

        # stopped once; audited with what it stopped
        r = self.call("POST", f"{self.base}/{notice['id']}/cancel")
        harness.assert_problem(self, r, 409, "invalid-transition")
        rows = self.audit(notice["id"])
        self.assertEqual([x[0] for x in rows],
                         ["action.notice.create", "action.notice.send", "action.notice.cancel"])
        self.assertEqual(rows[2][1], f"association:{self.A.id}")
        record = ('{"notice":"%s","texts_sha256":"%s","cancelled":%d}'
                  % (notice["id"], notice["texts_sha256"], cancelled))
        self.assertEqual(rows[2][2], hashlib.sha256(record.encode()).hexdigest())
        r = cf.operator_request(self.server, "GET", "/v1/audit/verify")
        self.assertTrue(r.json()["ok"], r.json())

    def test_a_held_message_sent_after_the_stop_counts_as_sent(self):
        """Three rows queued in SQL as a mail thread leaves them when it takes them (leased: due
        in a day, attempts 1), so that the server never takes them; the stop cancels them, then
        the statement a mail thread runs once the relay took a batch marks one of them sent."""
        claims = self.members(3)
        notice, _ = self.draft()
        refs = ", ".join(cf.sql_literal(m["reference"]) for m in claims)
        self.sql(f"""BEGIN;
            UPDATE notices SET sent_by = 'test', sent_at = now(), audience = '{{}}',
                   matching = 3, recipients = 3, skipped_opted_out = 0
             WHERE id = '{notice['id']}';
            INSERT INTO outbox (kind, claim_id, lang, notice_id, attempts, next_attempt_at)
            SELECT 'notice', id, lang, '{notice['id']}'::uuid, 1, now() + interval '1 day'
              FROM claims WHERE reference IN ({refs});
            COMMIT""")
        r = self.call("POST", f"{self.base}/{notice['id']}/cancel")
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["progress"],
                         {"queued": 0, "sent": 0, "failed": 0, "cancelled": 3})
        ids = [int(x[0]) for x in self.sql(
            f"SELECT id FROM outbox WHERE notice_id = '{notice['id']}' ORDER BY id")]
        mark_sent = prepared_sql.statements(harness.source_dir(), "api/db/outbox.c")[
            "db_outbox_mark_sent"]
        out = self.sql(f"PREPARE mark_sent(bigint[]) AS {mark_sent};"
                       f" EXECUTE mark_sent('{{{ids[0]}}}')")
        self.assertEqual(out, [["1"]], "the held row is marked sent")
        after = self.notice(notice["id"])
        self.assertEqual(after["progress"], {"queued": 0, "sent": 1, "failed": 0, "cancelled": 2})
        self.assertEqual(self.states(notice["id"]), {"sent": 1, "cancelled": 2})
        # a cancelled row that failed or is retried stays cancelled, its counts unchanged
        sql = prepared_sql.statements(harness.source_dir(), "api/db/outbox.c")
        self.sql(f"PREPARE f(bigint, text) AS {sql['db_outbox_mark_failed']};"
                 f" EXECUTE f({ids[1]}, 'relay said no')")
        self.assertEqual(self.notice(notice["id"])["progress"], after["progress"])
        self.assertEqual(self.states(notice["id"]), {"sent": 1, "cancelled": 2})

    def test_what_cannot_be_stopped(self):
        self.members(2)
        draft, _ = self.draft()
        r = self.call("POST", f"{self.base}/{draft['id']}/cancel")
        harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertIn("never sent", r.json()["detail"])
        # a notice sent with nothing queued (a send to nobody, as the server took one before
        # it refused them with no-recipients): nothing to stop
        empty = nf.sending_sql(self.action["id"], queued=0, url=self.url)
        r = self.call("POST", f"{self.base}/{empty}/cancel")
        harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertEqual(self.notice(empty)["state"], "sent", "unchanged")
        # another association, another action's notice, ids that are not uuids: 404
        B = af.approved_association(self.server, client=self.c)
        other = af.open_action(self.A, self.slug, client=self.c)
        for path, who in ((f"{self.base}/{draft['id']}/cancel", B),
                          (f"/v1/actions/{other['id']}/notices/{draft['id']}/cancel", self.A),
                          (f"{self.base}/not-a-uuid/cancel", self.A)):
            with self.subTest(path=path):
                harness.assert_problem(self, self.call("POST", path, assoc=who), 404, "not-found")
        for path, who in ((f"{self.base}/{draft['id']}", B),
                          (f"/v1/actions/{other['id']}/notices/{draft['id']}", self.A)):
            with self.subTest(path=path, method="DELETE"):
                harness.assert_problem(self, self.call("DELETE", path, assoc=who), 404,
                                       "not-found")
        self.assertEqual(self.notice(draft["id"])["state"], "draft", "still there")
        self.assertEqual([x[0] for x in self.audit(draft["id"])], ["action.notice.create"])

    def test_a_draft_is_deleted_and_a_sent_notice_is_not(self):
        self.members(1)
        draft, _ = self.draft()
        r = self.call("DELETE", f"{self.base}/{draft['id']}")
        self.assertEqual(r.status, 204, repr(r))
        self.assertEqual(r.body, b"")
        harness.assert_problem(self, self.call("GET", f"{self.base}/{draft['id']}"), 404,
                               "not-found")
        listed = [n["id"] for n in self.call("GET", self.base).json()["data"]]
        self.assertNotIn(draft["id"], listed)
        harness.assert_problem(self, self.call("DELETE", f"{self.base}/{draft['id']}"), 404,
                               "not-found")
        rows = self.audit(draft["id"])
        self.assertEqual([x[0] for x in rows], ["action.notice.create", "action.notice.delete"])
        self.assertEqual(rows[1][2], draft["texts_sha256"], "the texts' digest")

        sent, _ = self.draft()
        self.send(sent, 1)
        r = self.call("DELETE", f"{self.base}/{sent['id']}")
        harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertIn(sent["id"], [n["id"] for n in self.call("GET", self.base).json()["data"]])
        r = cf.operator_request(self.server, "GET", "/v1/audit/verify")
        self.assertTrue(r.json()["ok"], json.dumps(r.json()))

    def test_the_database_keeps_a_sent_notice_and_reads_no_outbox_to_delete_a_draft(self):
        # 0025's trigger: the outbox is read only for a deleted notice that was sent (a scan
        # of every message ever queued otherwise, since no index leads with notice_id);
        # pg_stat_xact_user_tables counts the scans of this transaction alone
        self.members(1)
        draft, _ = self.draft()
        rows = self.sql(f"BEGIN; DELETE FROM notices WHERE id = '{draft['id']}';"
                        " SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)"
                        "  FROM pg_stat_xact_user_tables WHERE relname = 'outbox'; ROLLBACK")
        self.assertEqual(rows, [["0"]], "a draft's delete read the outbox")
        sent, _ = self.draft()
        self.send(sent, 1)
        with self.assertRaisesRegex(AssertionError, "cannot be deleted"):
            self.sql(f"DELETE FROM notices WHERE id = '{sent['id']}'")


if __name__ == "__main__":
    harness.main()
