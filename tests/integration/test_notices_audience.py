#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who a notice goes to (docs/workspace.md "Notices", "Sending"):

  - a send that would reach nobody (an action without members yet, a filter matching no one,
    every member matching gone since the count, or every one stopped non-essential notices)
    is refused with 409 no-recipients, whatever expected_count says: nothing is queued, no
    send is recorded or audited, and the notice stays a draft, sent later to the members
    who joined meanwhile; a send racing the last member's removal either reaches that
    member or is refused so, each answer true to what the database then holds;
  - the audience's date filters (filter.mandated_from, filter.mandated_to) take a plain date
    as midnight UTC, as the member list's query does (docs/api.md §8.3), and the audience kept
    with the notice says the instant it was read as."""

import datetime
import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf


class NoticesAudienceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nf.start_delivering_server(cls, "notices_audience_", mail_rate=0)

    def setUp(self):
        af.set_up_open_action(self, self.server)
        self.base = f"/v1/actions/{self.action['id']}/notices"

    def call(self, method, path, body=None):
        return self.A.request(method, path, body, client=self.c)

    def member(self):
        return af.mandated_claim(self.server, self.slug, self.action, client=self.c)

    def draft(self, kind="information"):
        self.tag = " " + cf.letters(8)
        r = self.call("POST", self.base, nf.draft_body(kind, self.tag))
        self.assertEqual(r.status, 201, repr(r))
        return r.json()["id"]

    def send(self, notice, body):
        return self.call("POST", f"{self.base}/{notice}/send", body)

    def count(self, notice, filter_=None):
        body = {"dry_run": True} if filter_ is None else {"dry_run": True, "filter": filter_}
        r = self.send(notice, body)
        self.assertEqual(r.status, 200, repr(r))
        return r.json()

    def assert_nobody(self, notice, body, says):
        """The send refused as reaching nobody, its detail saying says; the notice untouched."""
        doc = harness.assert_problem(self, self.send(notice, body), 409, "no-recipients")
        self.assertIn(says, doc["detail"])
        got = self.call("GET", f"{self.base}/{notice}").json()
        self.assertEqual((got["state"], got["sent_at"], got["counts"], got["audience"]),
                         ("draft", None, None, None), got)
        self.assertEqual(mf.outbox(self.url, f"notice_id = '{notice}'"), [])
        self.assertEqual(cf.psql("SELECT action FROM audit_events WHERE object_type = 'notice'"
                                 f" AND object_id = '{notice}' ORDER BY seq", url=self.url),
                         [["action.notice.create"]], "no send recorded")

    def test_a_notice_to_nobody_stays_a_draft_for_the_members_who_join(self):
        notice = self.draft()
        self.assertEqual(self.count(notice)["recipients"], 0)
        self.assert_nobody(notice, {"expected_count": 0}, "no member matches")
        # a count the client made up changes nothing: nobody is nobody
        self.assert_nobody(notice, {"expected_count": 3}, "no member matches")
        joined = self.member()
        self.assertEqual(self.count(notice)["recipients"], 1)
        r = self.send(notice, {"expected_count": 1})
        self.assertEqual(r.status, 202, repr(r))
        tag = self.tag
        harness.poll(lambda: [m for m in (mf.parse(x.data) for x in self.relay.messages(
                         joined["body"]["claimant"]["email"])) if tag in str(m["Subject"])] or None,
                     60, what="the notice to the member who joined")
        harness.assert_problem(self, self.send(notice, {"expected_count": 1}), 409,
                               "invalid-transition")

    def test_the_send_decides_on_the_members_it_finds(self):
        gone = self.member()
        notice = self.draft()
        self.assertEqual(self.count(notice)["recipients"], 1)
        # the member leaves between the count the user saw and the send
        af.remove_member(self.A, self.action, gone["reference"], client=self.c)
        self.assert_nobody(notice, {"expected_count": 1}, "no member matches")

    def test_a_send_racing_the_last_members_removal_sends_to_one_or_to_none(self):
        """Either order, each answer true to what the database holds: a send to the member
        (202, one message), or a refusal (409 no-recipients) leaving a draft; never a notice
        sent to nobody, never a 5xx."""
        for _ in range(3):
            gone = self.member()
            notice = self.draft()
            self.assertEqual(self.count(notice)["recipients"], 1)
            other = harness.Client(self.server)
            self.addCleanup(other.close)
            start = threading.Barrier(2)
            answers = {}

            def send():
                start.wait(timeout=60)
                answers["send"] = self.send(notice, {"expected_count": 1})

            def remove():
                start.wait(timeout=60)
                answers["remove"] = self.A.request(
                    "DELETE", f"/v1/actions/{self.action['id']}/members/{gone['reference']}",
                    client=other)

            threads = [threading.Thread(target=f) for f in (send, remove)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            self.assertEqual(answers["remove"].status, 204, repr(answers["remove"]))
            r = answers["send"]
            got = self.call("GET", f"{self.base}/{notice}").json()
            queued = mf.outbox(self.url, f"notice_id = '{notice}'")
            if r.status == 202:
                self.assertEqual((got["state"], got["counts"]["recipients"], len(queued)),
                                 ("sent", 1, 1), got)
            else:
                harness.assert_problem(self, r, 409, "no-recipients")
                self.assertEqual((got["state"], queued), ("draft", []), got)

    def test_a_filter_matching_nobody(self):
        self.member()
        notice = self.draft()
        self.assertEqual(self.count(notice, {"status": "rejected"})["recipients"], 0)
        self.assert_nobody(notice, {"expected_count": 0, "filter": {"status": "rejected"}},
                           "no member matches")

    def test_members_who_stopped_notices_get_only_essential_ones(self):
        stopped = self.member()
        cf.psql("UPDATE claims SET notices_opt_out_at = now() WHERE reference = "
                + cf.sql_literal(stopped["reference"]), url=self.url)
        information = self.draft("information")
        counted = self.count(information)
        self.assertEqual((counted["matching"], counted["recipients"]), (1, 0), counted)
        self.assert_nobody(information, {"expected_count": 0}, "stopped non-essential notices")
        deadline = self.draft("deadline")  # essential: reaches them all the same
        r = self.send(deadline, {"expected_count": 1})
        self.assertEqual(r.status, 202, repr(r))

    def test_the_audience_dates_take_a_plain_date_as_midnight_utc(self):
        self.member()
        notice = self.draft()
        mandated = self.call("GET", f"/v1/actions/{self.action['id']}/members").json()
        day = datetime.date.fromisoformat(mandated["data"][0]["mandated_at"][:10])
        after = day + datetime.timedelta(days=1)
        cases = [({"mandated_from": str(day)}, 1), ({"mandated_from": str(after)}, 0),
                 ({"mandated_to": str(day)}, 0), ({"mandated_to": str(after)}, 1),
                 ({"mandated_from": f"{day}T00:00:00Z", "mandated_to": f"{after}T00:00:00+00:00"},
                  1)]
        for filter_, n in cases:
            with self.subTest(filter=filter_):
                self.assertEqual(self.count(notice, filter_)["recipients"], n)
        for bad in ("2026-02-30", "2026-12-1", "2026-12-01T24:00:00Z", "yesterday", ""):
            with self.subTest(bad=bad):
                doc = harness.assert_problem(self, self.send(notice, {
                    "dry_run": True, "filter": {"mandated_to": bad}}), 422, "validation-error")
                self.assertEqual([e["field"] for e in doc["errors"]], ["filter.mandated_to"], doc)
        r = self.send(notice, {"expected_count": 1, "filter": {"mandated_from": str(day)}})
        self.assertEqual(r.status, 202, repr(r))
        got = self.call("GET", f"{self.base}/{notice}").json()
        self.assertEqual(got["audience"], {"mandated_from": f"{day}T00:00:00Z"},
                         "the audience says the instant the date was read as")


if __name__ == "__main__":
    unittest.main()
