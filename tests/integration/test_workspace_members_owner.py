#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The member list checks the action's owner inside the page's statement (issue 13: one
round trip fewer per page; api/handlers/workspace_members.c), and asks separately only when
the page is empty or the query is refused. The answers are those of a separate check:

  - the owner's empty page (a filter nobody matches) is 200 with no data;
  - another association gets 404 whether the page would be full or empty, and before any 400
    for a bad parameter or cursor; an action that does not exist is 404;
  - an upper-case id in the path lists the same members, and its cursor walks on."""

import unittest
import urllib.parse
import uuid

import assoc_fixtures as af
import claims_fixtures as cf
import harness


class WorkspaceMembersOwnerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.addClassCleanup(cls.server.close)

    def test_owner_checked_in_the_page_and_for_an_empty_one(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        A = af.approved_association(self.server, client=c)
        B = af.approved_association(self.server, client=c)
        action = af.open_action(A, slug, client=c)
        refs = sorted(af.mandated_claim(self.server, slug, action, client=c)["reference"]
                      for _ in range(3))
        base = f"/v1/actions/{action['id']}/members"

        r = A.request("GET", base + "?status=verified", client=c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["data"], [])
        for query in ("", "?status=verified", "?status=bogus", "?cursor=nonsense",
                      "?limit=0", "?sort=mandated_at&cursor=x"):
            with self.subTest(query=query):
                harness.assert_problem(self, B.request("GET", base + query, client=c), 404,
                                       "not-found")
        harness.assert_problem(self, A.request("GET", base + "?status=bogus", client=c), 400,
                               "invalid-parameter")
        nowhere = f"/v1/actions/{uuid.uuid4()}/members"
        for query in ("", "?status=bogus"):
            harness.assert_problem(self, A.request("GET", nowhere + query, client=c), 404,
                                   "not-found")

        upper = f"/v1/actions/{action['id'].upper()}/members"
        r = A.request("GET", upper + "?limit=2", client=c)
        self.assertEqual(r.status, 200, repr(r))
        first = [m["reference"] for m in r.json()["data"]]
        cursor = r.json()["next"]
        self.assertIsNotNone(cursor)
        r = A.request("GET", base + "?limit=2&cursor=" + urllib.parse.quote(cursor, safe=""), client=c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(first + [m["reference"] for m in r.json()["data"]], refs)


if __name__ == "__main__":
    unittest.main()
