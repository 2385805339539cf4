#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The date filters in bodies read as the query's (docs/api.md §8.3): a plain date is midnight
UTC of that day, a date-time is taken as before, `*_to` / `*_before` say "before that
instant", and an impossible date is a 422 naming the field:

  - the review's filter.mandated_from / filter.mandated_to (POST …/reviews, docs/workspace.md);
  - the members' filter.submitted_after / filter.submitted_before (POST …/members, §10.6).

The day is the claim's own (its mandated_at as the member list gives it), so that a run
crossing midnight UTC reads the same day the server stored."""

import datetime
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

BAD = ("2026-02-30", "2026-13-01", "2026-12-1", "2026-12-01T24:00:00Z", "2026-06-30T23:59:60Z",
       "yesterday", "")


class BodyDateFiltersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("ws_dates_", cls.addClassCleanup, migrated=True)
        cls.server = cf.start_server(database_url=cls.url)
        cls.addClassCleanup(cls.server.close)

    def setUp(self):
        af.set_up_open_action(self, self.server)

    def post(self, path, body):
        return self.A.request("POST", f"/v1/actions/{self.action['id']}{path}", body,
                              client=self.c)

    def claim_day(self):
        """The UTC day the action's one member was mandated, and the day after."""
        r = self.A.request("GET", f"/v1/actions/{self.action['id']}/members", client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        day = datetime.date.fromisoformat(r.json()["data"][0]["mandated_at"][:10])
        return day, day + datetime.timedelta(days=1)

    def test_the_review_filter_takes_a_plain_date(self):
        af.mandated_claim(self.server, self.slug, self.action, client=self.c)
        day, after = self.claim_day()

        def would_verify(flt):
            r = self.post("/reviews", {"filter": flt, "decision": "verified", "dry_run": True})
            self.assertEqual(r.status, 200, repr(r))
            return r.json()["count"]

        for flt, n in [({"mandated_from": str(day)}, 1), ({"mandated_from": str(after)}, 0),
                       ({"mandated_to": str(day)}, 0), ({"mandated_to": str(after)}, 1),
                       ({"mandated_from": f"{day}T00:00:00Z",
                         "mandated_to": f"{day}T23:59:59.999999+00:00"}, 1)]:
            with self.subTest(filter=flt):
                self.assertEqual(would_verify(flt), n)
        for bad in BAD:
            for name in ("mandated_from", "mandated_to"):
                with self.subTest(bad=bad, name=name):
                    doc = harness.assert_problem(self, self.post("/reviews", {
                        "filter": {name: bad}, "decision": "verified", "dry_run": True}),
                        422, "validation-error")
                    self.assertEqual([e["field"] for e in doc["errors"]], [f"filter.{name}"],
                                     doc)

    def test_the_members_filter_takes_a_plain_date(self):
        free = af.mandated_free_claim(self.server, self.slug, self.A, self.action, client=self.c)
        created = cf.psql("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                          " FROM claims WHERE reference = " + cf.sql_literal(free["reference"]),
                          url=self.url)[0][0]
        day = datetime.date.fromisoformat(created)
        after = day + datetime.timedelta(days=1)

        def add(flt):
            r = self.post("/members", {"filter": flt})
            self.assertEqual(r.status, 200, repr(r))
            return r.json()["added"]

        # none of these reaches the claim: nothing added, the next case still finds it free
        for flt in ({"submitted_after": str(after)}, {"submitted_before": str(day)},
                    {"submitted_after": f"{after}T00:00:00Z"}):
            with self.subTest(filter=flt):
                self.assertEqual(add(flt), 0)
        for bad in BAD:
            for name in ("submitted_after", "submitted_before"):
                with self.subTest(bad=bad, name=name):
                    doc = harness.assert_problem(self, self.post("/members", {
                        "filter": {name: bad}}), 422, "validation-error")
                    self.assertEqual([e["field"] for e in doc["errors"]], [f"filter.{name}"],
                                     doc)
        # the day itself, both ends: the claim joins
        self.assertEqual(add({"submitted_after": str(day), "submitted_before": str(after)}), 1)
        self.assertEqual(af.memberships_of_claims([free["reference"]], url=self.url),
                         {free["reference"]: self.action["id"]})


if __name__ == "__main__":
    unittest.main()
