#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The intake's read cache (api/service/lookup_cache.c, docs/decisions.md "Intake read cache"):
submissions read their incident and mandated action through a 1-second cache. What a user must
still see:

- a write through this server's API (action filed, association suspended or re-approved,
  incident closed) applies to the very next submission;
- a write by another process (psql here; the CLI or another replica in production) applies
  within the cache's second (no old answer to a request sent more than 2.5 s after it);
- an opt-in deadline is exact: no claim joins after it, even from a cached action.

Every check goes through the public API; the cache is warmed by submitting first.
"""

import datetime
import time
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

# The cache's bound is 1 s; a request sent this long after a write that still gets the old
# state is stale (compared with the moment each request is sent, not with a window of time).
STALENESS_LIMIT_S = 2.5
# A submission after the opt-in deadline that is still accepted this long after it: a failure,
# not a wait (the first refusal ends a trial).
REFUSAL_BOUND_S = 30.0


def mandated_body(action):
    return cf.claim_body(action_id=action["id"],
                         mandate_text_version=action["mandate_text_version"])


class IntakeCacheTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.c = harness.Client(self.server)
        self.addCleanup(self.c.close)
        self.assoc = af.approved_association(self.server, client=self.c)
        self.slug = cf.make_incident(self.server)
        self.action = af.open_action(self.assoc, self.slug, client=self.c)

    def submit_mandated(self, action=None):
        return cf.submit(self.c, self.slug, mandated_body(action or self.action))

    def assert_mandate_refused(self, r):
        self.assertEqual(cf.errors_of(self, r), {("action_id", "unavailable")})

    def warm(self, action=None):
        """Two accepted submissions: the first fills the cache, the second reads from it."""
        for _ in range(2):
            r = self.submit_mandated(action)
            self.assertEqual(r.status, 201, repr(r))

    def test_api_writes_apply_to_the_next_submission(self):
        self.warm()
        af.set_action_status(self.assoc, self.action, "filed", client=self.c)
        self.assert_mandate_refused(self.submit_mandated())

        other = af.open_action(self.assoc, self.slug, client=self.c)
        self.warm(other)
        af.suspend(self.server, self.assoc, client=self.c)
        self.assert_mandate_refused(self.submit_mandated(other))
        af.patch_association(self.server, self.assoc.id, {"status": "approved"}, client=self.c)
        r = self.submit_mandated(other)
        self.assertEqual(r.status, 201, repr(r))

        r = cf.submit(self.c, self.slug, cf.claim_body())
        self.assertEqual(r.status, 201, repr(r))
        cf.close_incident(self.server, self.slug)
        r = cf.submit(self.c, self.slug, cf.claim_body())
        harness.assert_problem(self, r, 409, "incident-closed")

    def wait_until_refused(self, submit, refused):
        """Submits until refused(response) and returns that response. Every answer before it
        is a 201 (the old state, from the cache) and nothing else, and no 201 answers a
        request sent more than STALENESS_LIMIT_S after the write: on a slow machine there are
        fewer submissions, never a different verdict."""
        written = time.monotonic()
        while True:
            sent = time.monotonic()
            r = submit()
            if refused(r):
                return r
            self.assertEqual(r.status, 201, repr(r))
            self.assertLess(sent - written, STALENESS_LIMIT_S,
                            "a write of another process still not seen")

    def test_writes_of_another_process_apply_within_the_second(self):
        self.warm()
        cf.psql("UPDATE actions SET status = 'filed' WHERE id = "
                f"{cf.sql_literal(self.action['id'])}")
        self.wait_until_refused(
            self.submit_mandated,
            lambda r: r.status == 422 and cf.errors_of(self, r) == {("action_id",
                                                                      "unavailable")})

        r = cf.submit(self.c, self.slug, cf.claim_body())
        self.assertEqual(r.status, 201, repr(r))
        cf.psql(f"UPDATE incidents SET status = 'closed' WHERE slug = {cf.sql_literal(self.slug)}")
        self.wait_until_refused(lambda: cf.submit(self.c, self.slug, cf.claim_body()),
                                lambda r: r.status == 409)
        harness.assert_problem(self, cf.submit(self.c, self.slug, cf.claim_body()), 409,
                               "incident-closed")

    def deadline_trial(self, ahead_s):
        """An action whose opt-in deadline is ahead_s (rounded down to the second) away,
        mandated back to back until the first refusal. Returns the accepted claims'
        created_at; every check on the answers is made here."""
        deadline = (datetime.datetime.now(datetime.timezone.utc)
                    + datetime.timedelta(seconds=ahead_s)).replace(microsecond=0)
        action = af.open_action(self.assoc, self.slug, client=self.c,
                                opt_in_deadline=deadline.strftime("%Y-%m-%dT%H:%M:%SZ"))
        accepted = []
        while True:
            self.assertLess(time.time(), deadline.timestamp() + REFUSAL_BOUND_S,
                            "still accepted long after the deadline")
            r = self.submit_mandated(action)
            if r.status != 201:
                self.assert_mandate_refused(r)
                self.assertGreaterEqual(time.time(), deadline.timestamp(),
                                        "refused before the deadline")
                break
            accepted.append(self.claim_created_at(r.json()["reference"]))
        # created_at is stamped just after the check: allow the submission's own few ms
        for created in accepted:
            self.assertLess(created, deadline + datetime.timedelta(milliseconds=100),
                            "a claim joined after the opt-in deadline")
        return accepted

    def test_the_deadline_is_exact_with_a_cached_action(self):
        # the cache is exercised once two claims joined before the deadline (the first fills
        # it, the next read it) and the refusal came after them; a machine too slow for two
        # submissions before the deadline gets a trial with a deadline twice as far away
        ahead_s, trials = 3, []
        while len(trials) < 4:
            trials.append(len(self.deadline_trial(ahead_s)))
            if trials[-1] >= 2:
                break
            ahead_s *= 2
        self.assertGreaterEqual(trials[-1], 2,
                                f"the cache was never exercised before a deadline: {trials}")

    @staticmethod
    def claim_created_at(reference):
        text = cf.psql("SELECT to_char(created_at AT TIME ZONE 'UTC',"
                       " 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM claims WHERE reference = "
                       f"{cf.sql_literal(reference)}")[0][0]
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(
            tzinfo=datetime.timezone.utc)


if __name__ == "__main__":
    harness.main()
