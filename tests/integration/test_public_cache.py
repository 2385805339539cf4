#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public compensation summary is served from a per-process cache (issue 10, "The public
compensation summary costs as much as the full one"; docs/decisions.md, "Hardening: HTTP"):
`Cache-Control: public, max-age=5` and `Vary: Authorization` on the public answer only, the
full view and every error keep `no-store`; a claim written since shows within 5 s (the
public answer is at most that old), a new scheme PUT on this process shows at once; a burst
of concurrent public reads gets one and the same answer. That a burst is computed once is
tested in tests/unit/test_public_cache.c.
"""

import concurrent.futures
import time
import unittest

import claims_fixtures as cf
import harness

TTL_S = 5
SCHEME = {
    "currency": "EUR", "base_amount": 3000, "category_supplements": {},
    "documented_loss": {"reimburse": False, "cap_per_claimant": 0},
    "time_spent": {"hourly_rate": 0, "max_hours": 0}, "fund_cap": None,
    "vouchers": [], "cash_alternative_ratio": None,
}


class PublicCacheTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def get(self, slug, token=None, query=""):
        with harness.Client(self.server) as c:
            return c.request("GET", f"/v1/incidents/{slug}/compensation{query}", token=token)

    def test_public_answer_says_it_may_be_cached(self):
        slug = cf.make_incident(self.server)
        pub = self.get(slug)
        self.assertEqual(pub.status, 200, pub)
        self.assertEqual(pub.json()["view"], "public")
        self.assertEqual(pub.headers.get("Cache-Control"), f"public, max-age={TTL_S}")
        self.assertEqual(pub.headers.get("Vary"), "Authorization")
        full = self.get(slug, token=self.server.operator_key)
        self.assertEqual(full.status, 200, full)
        self.assertEqual(full.json()["view"], "full")
        self.assertEqual(full.headers.get("Cache-Control"), "no-store")
        for r in (self.get("nope-" + cf.suffix(8)), self.get(slug, query="?basis=some"),
                  self.get(slug, token="rk_bogus")):
            self.assertIn(r.status, (400, 401, 404), r)
            self.assertEqual(r.headers.get("Cache-Control"), "no-store", r)

    def test_claims_show_within_the_ttl_and_a_new_scheme_at_once(self):
        slug = cf.make_incident(self.server)
        first = self.get(slug)
        t_first = time.monotonic()
        self.assertEqual(first.json()["eligible"], 0)
        with harness.Client(self.server) as c:
            cf.submit_ok(self, c, slug)
        full = self.get(slug, token=self.server.operator_key).json()
        self.assertEqual(full["eligible"], 1, "the full view is not cached")
        again = self.get(slug)
        if time.monotonic() - t_first < TTL_S:
            # served from the cache: the same answer, computed_at included
            self.assertEqual(again.body, first.body)

        def shows_claim():
            doc = self.get(slug).json()
            return doc["eligible"] == 1 or None
        harness.poll(shows_claim, TTL_S + 10, interval=0.2,
                     what="the public summary to show the new claim")

        # this process's own write of the scheme drops the cached answers at once
        self.assertIsNone(self.get(slug).json()["scheme_version"])
        r = cf.operator_request(self.server, "PUT", f"/v1/incidents/{slug}/scheme", SCHEME)
        self.assertEqual(r.status, 200, r)
        doc = self.get(slug).json()
        self.assertEqual(doc["scheme_version"], r.json()["version"])
        self.assertEqual(doc["total_after_cap"], 3000)

    def test_burst_of_public_reads(self):
        slug = cf.make_incident(self.server)
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: self.get(slug), range(32)))
        elapsed = time.monotonic() - t0
        for r in answers:
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["view"], "public")
        # one computation per TTL at most (without the cache: one per request)
        computed = {r.json()["computed_at"] for r in answers}
        self.assertLessEqual(len(computed), int(elapsed / TTL_S) + 1, sorted(computed))

if __name__ == "__main__":
    harness.main()
