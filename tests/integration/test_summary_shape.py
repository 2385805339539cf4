# SPDX-License-Identifier: AGPL-3.0-or-later
"""The incident summary at any data shape (docs/decisions.md "Summary at any data shape",
db-migrations/0013_summary_shape.sql, api/domain/summary_shape.h): property tests on random
data of two shapes, the summary and random simulations checked against the claims themselves
(one plain read of the claims table, grouped by the model in test_compensation.py).

  today's shape: few losses, from a small set of round amounts, few small hours: few groups,
    under --summary-exact-groups, so every figure, median, min and max included, must equal the
    model's;
  worst case: every claim with a loss has its own amount (from 1 to 10^10, half the claims),
    hours spread over 0..1000, on a server whose limit is 0 (the cells and trees, as any
    incident beyond the limit): every count, component, total, the pro-rata factor, the mean,
    the vouchers and the projections must still equal the model's; median, min and max are
    within the documented bound |reported − true| ≤ true / 8 + 2 (equal when median_exact).

The claims go through the API (the intake's batch statement moves claim_tallies, whose
triggers move the derived tables), then some are reviewed, withdrawn and corrected (single-
claim moves, decrements). The seed is printed; RECOURS_TEST_SEED replays one.
"""

import os
import random
import sys
import time
import unittest

import claims_fixtures as cf
import test_compensation as tc

SEED = int(os.environ.get("RECOURS_TEST_SEED", random.randrange(1 << 30)))
CATS = ["name", "email", "phone", "password", "financial", "health"]


def random_scheme(rng, currency="EUR"):
    base = rng.choice([0, 1000, 3000, 10000])
    vouchers = []
    if base and rng.random() < 0.5:
        vouchers = [{"name": "Bon A", "amount": base // 2},
                    {"name": "Bon B", "amount": base - base // 2}]
    scheme = {
        "currency": currency, "base_amount": base,
        "category_supplements": {k: rng.choice([0, 500, 5000]) for k in
                                 rng.sample(["password", "financial", "health"],
                                            rng.randint(0, 3))},
        "documented_loss": {"reimburse": rng.random() < 0.8,
                            "cap_per_claimant": rng.choice([0, 1, 15, 20000, 123456,
                                                            10 ** 7, 10 ** 10, 10 ** 12])},
        "time_spent": {"hourly_rate": rng.choice([0, 7, 2500]),
                       "max_hours": rng.choice([0, 1, 17, 300, 1000])},
        "fund_cap": None, "vouchers": vouchers,
        "cash_alternative_ratio": rng.choice([None, "0.5", "0.75"]) if vouchers else None,
    }
    return scheme


def with_binding_cap(rng, scheme, claims):
    """The scheme with a fund cap below its total (when there is one to bind)."""
    total = sum(tc.award(scheme, c)[0] for c in claims if c["status"] in ("received", "verified"))
    if total > 1:
        scheme = dict(scheme, fund_cap=rng.randint(1, total - 1))
    return scheme


class SummaryShapeTests(unittest.TestCase):
    server = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        print(f"test_summary_shape: RECOURS_TEST_SEED={SEED}", file=sys.stderr)

    # One server at a time (they share the test file's database: a fold thread folds every
    # incident's changes, so the server without one must be alone to keep them unfolded).
    DEFAULT = []
    # every incident over the limit: the cells and the radix trees, whatever the size
    CELLS = ["--summary-exact-groups", "0"]
    # the same without a fold thread: every change stays in claim_shape_log until the test
    # folds it, so the summary adds the unfolded changes to the folded cells
    UNFOLDED = CELLS + ["--summary-fold-interval-ms", "0"]

    def use(self, args):
        server = tc.harness.Server(args=cf.NO_RATE_LIMIT + args)
        server.start()
        self.addCleanup(server.close)
        self.server = server
        self.api = tc.Api(server)
        self.addCleanup(self.api.close)
        self.t = tc.CompensationTests("run")  # its API helpers, on that server
        self.t.server, self.t.api = server, self.api

    def load(self, rng, slug, n, loss_of, hours_of, cat_sets):
        bodies = []
        for _ in range(n):
            cats = rng.choice(cat_sets)
            bodies.append(tc.claim_for(cats, loss=loss_of(), hours=hours_of(),
                                       payment=rng.choice(["voucher", "cash"]),
                                       country=rng.choice(list(tc.ADDRESSES))))
        claims = self.t.submit_all(slug, bodies, threads=4)
        rng.shuffle(claims)
        for c in claims[:n // 5]:
            self.t.review(c, "verified")
        for c in claims[n // 5:n // 5 + n // 10]:
            self.t.review(c, "rejected", "not affected")
        for c in claims[n // 3:n // 3 + n // 12]:
            self.t.withdraw(c)
        for c in claims[n // 2:n // 2 + n // 8]:  # single-claim moves of loss and hours
            if c["status"] != "withdrawn":
                self.t.correct(c, {"harms": {"documented_loss": loss_of(),
                                             "hours_spent": hours_of()}})

    def claims_of(self, slug):
        """The incident's claims as the model sees them, from the claims table itself; and the
        plain GROUP BY over them, checked against the model's records."""
        rows = cf.psql("SELECT c.reference, c.status, c.payment_preference, c.country,"
                       " c.categories, c.documented_loss, c.hours_spent"
                       " FROM claims c JOIN incidents i ON i.id = c.incident_id"
                       f" WHERE i.slug = {cf.sql_literal(slug)}")
        claims = [{"ref": r[0], "status": r[1], "cash": r[2] == "cash", "country": r[3],
                   "cats": [k for i, k in enumerate(tc.CATEGORIES) if int(r[4]) >> i & 1],
                   "loss": int(r[5]), "hours": int(r[6])} for r in rows]
        groups = cf.psql("SELECT c.status, count(*), sum(c.documented_loss), sum(c.hours_spent)"
                         " FROM claims c JOIN incidents i ON i.id = c.incident_id"
                         f" WHERE i.slug = {cf.sql_literal(slug)} GROUP BY c.status")
        for status, n, loss, hours in groups:
            mine = [c for c in claims if c["status"] == status]
            self.assertEqual((int(n), int(loss), int(hours)),
                             (len(mine), sum(c["loss"] for c in mine),
                              sum(c["hours"] for c in mine)))
        return claims

    def check(self, got, want, exact_stats):
        got = tc.without_time(self, got)
        if not exact_stats and want["award_stats"] is not None:
            gs, ws = got.pop("award_stats"), dict(want.pop("award_stats"))
            for k in ("median", "min", "max"):
                true = ws[k]
                self.assertLessEqual(abs(gs[k] - true), true // 8 + 2, (k, gs, ws))
            if gs["median_exact"]:
                self.assertEqual(gs["median"], ws["median"], (gs, ws))
            self.assertEqual(gs["mean"], ws["mean"])
            # deciles: the median's bound, equal when flagged exact
            self.assertEqual([d["percentile"] for d in gs["deciles"]],
                             [d["percentile"] for d in ws["deciles"]])
            for g, w in zip(gs["deciles"], ws["deciles"]):
                self.assertLessEqual(abs(g["award"] - w["award"]), w["award"] // 8 + 2, (g, w))
                if g["exact"]:
                    self.assertEqual(g["award"], w["award"], (g, w))
            self.assertEqual(gs["deciles"][4]["award"], gs["median"])
            # histogram: at most 10 bins of the documented width from the reported min to
            # max, every eligible claim in one of them
            bins = gs["histogram"]["bins"]
            if ws["histogram"]["bins"]:
                w = (gs["max"] - gs["min"]) // 10 + 1
                self.assertLessEqual(len(bins), 10)
                self.assertEqual([b["from"] for b in bins],
                                 [gs["min"] + i * w for i in range(len(bins))])
                self.assertEqual(bins[-1]["to"], gs["max"])
                self.assertEqual(sum(b["claims"] for b in bins), want["eligible"])
            if gs["histogram"]["exact"]:
                self.assertEqual(gs["histogram"], ws["histogram"])
        self.assertEqual(got, want)

    def unfolded(self, slug):
        return int(cf.psql("SELECT count(*) FROM claim_shape_log l JOIN incidents i"
                           " ON i.id = l.incident_id WHERE i.slug = " +
                           cf.sql_literal(slug))[0][0])

    def wait_folded(self, slug):
        deadline = time.monotonic() + 60
        while self.unfolded(slug) > 0:
            self.assertLess(time.monotonic(), deadline, "the fold thread did not fold")
            time.sleep(0.1)

    def run_shape(self, rng, loss_of, hours_of, exact_stats, cat_sets, n=72, fold=None):
        """fold: None (the server's fold thread folds), or a function of the step called
        between the checks (the test folds by hand on a server without a fold thread)."""
        slug = cf.make_incident(self.server, currency="EUR", affected_count=50_000,
                                data_categories=list(tc.CATEGORIES))
        stored = random_scheme(rng)
        self.t.put_scheme(slug, stored)
        self.load(rng, slug, n, loss_of, hours_of, cat_sets)
        claims = self.claims_of(slug)
        if fold is None:
            self.wait_folded(slug)
        else:
            self.assertGreater(self.unfolded(slug), 0, "nothing unfolded: the log path untested")
        inexact = cf.psql("SELECT count(*) FROM claim_shape_cells s JOIN incidents i"
                          " ON i.id = s.incident_id WHERE i.slug = " + cf.sql_literal(slug) +
                          " GROUP BY s.cash, s.categories, s.loss_bucket, s.hours_bucket"
                          " HAVING min(loss_min) <> max(loss_max)"
                          " OR min(hours_min) <> max(hours_max)")
        if not exact_stats and fold is None:  # the bounded path: cells whose claims differ
            self.assertTrue(inexact, "no inexact cell: the bounded path went untested")
        dups = 0
        want = tc.expected_summary(stored, claims, 50_000, scheme_version=1)
        self.check(self.t.summary(slug), want, exact_stats)
        for i in range(8):
            if fold is not None:
                fold(i)
            scheme = random_scheme(rng)
            if i % 2 == 0:
                scheme = with_binding_cap(rng, scheme, claims)
            basis = rng.choice(["all", "verified"])
            doc = self.t.simulate({"incident": slug, "scheme": scheme, "basis": basis}).json()
            want = tc.expected_summary(scheme, claims, 50_000, basis=basis, duplicates=dups,
                                       simulated=True)
            self.check(doc, want, exact_stats)
        # the stored scheme again (its figures kept by the server: service/summary_cache.h),
        # then one claim more: the figures kept for the state before must not answer
        for _ in range(2):  # check() takes what it compared out of want
            want = tc.expected_summary(stored, claims, 50_000, scheme_version=1)
            self.check(self.t.summary(slug), want, exact_stats)
        self.load(rng, slug, 1, loss_of, hours_of, cat_sets)
        claims = self.claims_of(slug)
        self.check(self.t.summary(slug),
                   tc.expected_summary(stored, claims, 50_000, scheme_version=1), exact_stats)

    def test_todays_shape_is_exact(self):
        # a few hundred groups: under the default limit, the exact groups
        self.use(self.DEFAULT)
        rng = random.Random(SEED)
        self.run_shape(rng,
                       lambda: rng.choice([0] * 6 + [k * 10000 for k in range(1, 17)]),
                       lambda: rng.choice([0] * 8 + list(range(1, 9))), exact_stats=True,
                       cat_sets=[rng.sample(CATS, rng.randint(1, 3)) for _ in range(12)])

    def test_worst_case_shape(self):
        # distinct losses, most of them close together (several per bucket: cells whose
        # claims differ), hours anywhere in 0..1000, two category sets
        self.use(self.CELLS)
        rng = random.Random(SEED + 1)
        seen = set()

        def loss():
            while True:
                v = 0 if rng.random() < 0.5 else rng.choice(
                    [rng.randint(1, 15), rng.randint(1000, 1300), rng.randint(1000, 1300),
                     rng.randint(16, 10 ** 5), rng.randint(1, 10 ** 10)])
                if v == 0 or v not in seen:
                    seen.add(v)
                    return v

        self.run_shape(rng, loss, lambda: 0 if rng.random() < 0.6 else rng.randint(1, 1000),
                       exact_stats=False, cat_sets=[["email"], ["email", "password"]])

    def test_a_decrement_folded_before_its_increment(self):
        # A fold takes slices of the log in heap order, skipping the rows another folder holds:
        # a claim's −1 (reviewed, withdrawn, corrected) can be folded while its +1 is still in
        # the log, and the folded tables then hold a negative count until the +1 is folded.
        # Here the test folds every −1 of the incident alone, as such a slice would.
        self.use(self.UNFOLDED)
        rng = random.Random(SEED + 3)
        slug = cf.make_incident(self.server, currency="EUR", affected_count=50_000,
                                data_categories=list(tc.CATEGORIES))
        stored = random_scheme(rng)
        self.t.put_scheme(slug, stored)
        self.load(rng, slug, 24, lambda: rng.randint(1, 10 ** 6),
                  lambda: 0 if rng.random() < 0.5 else rng.randint(1, 50), [["email"]])
        lit = cf.sql_literal(slug)
        folded = cf.psql(
            "WITH gone AS (DELETE FROM claim_shape_log WHERE n < 0 AND incident_id ="
            f"  (SELECT id FROM incidents WHERE slug = {lit}) RETURNING *),"
            " bump AS (INSERT INTO claim_shape_folds AS f (incident_id, version)"
            "  SELECT DISTINCT incident_id, 1 FROM gone"
            "  ON CONFLICT ON CONSTRAINT claim_shape_folds_pkey DO UPDATE"
            "  SET version = f.version + 1)"
            " SELECT (SELECT count(*) FROM gone),"
            "        summary_shape_apply((SELECT array_agg(ROW(g.*)::claim_shape_log)"
            "                             FROM gone g))")
        self.assertGreater(int(folded[0][0]), 0, "no decrement to fold: the case went untested")
        negative = cf.psql("SELECT count(*) FROM claim_count_tallies t JOIN incidents i"
                           f" ON i.id = t.incident_id WHERE i.slug = {lit} AND t.n < 0")
        self.assertGreater(int(negative[0][0]), 0, "no negative folded count")
        claims = self.claims_of(slug)
        self.check(self.t.summary(slug),
                   tc.expected_summary(stored, claims, 50_000, scheme_version=1), False)
        for basis in ("all", "verified"):
            scheme = random_scheme(rng)
            doc = self.t.simulate({"incident": slug, "scheme": scheme, "basis": basis}).json()
            self.check(doc, tc.expected_summary(scheme, claims, 50_000, basis=basis,
                                                simulated=True), False)
        cf.psql("SELECT summary_shape_fold(100000)")  # then the +1s: every count at 0 or more
        self.check(self.t.summary(slug),
                   tc.expected_summary(stored, claims, 50_000, scheme_version=1), False)

    def test_unfolded_changes(self):
        # the worst case on a server that does not fold: the first checks read the changes
        # from the log only, then part of them is folded (a slice), then all of them; every
        # check against the claims themselves (the cache of folded cells follows the version)
        self.use(self.UNFOLDED)
        rng = random.Random(SEED + 2)

        def fold(step):
            if step in (2, 5):
                cf.psql(f"SELECT summary_shape_fold({20 if step == 2 else 100000})")

        self.run_shape(rng, lambda: 0 if rng.random() < 0.5 else rng.randint(1, 10 ** 7),
                       lambda: 0 if rng.random() < 0.6 else rng.randint(1, 1000),
                       exact_stats=False, cat_sets=[["email"], ["email", "password"]],
                       fold=fold)


if __name__ == "__main__":
    unittest.main(verbosity=2)
