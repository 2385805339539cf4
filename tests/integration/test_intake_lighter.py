#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Less work per claim in PostgreSQL, same data (db-migrations/0023, issue 15, intake):

  - the summary's fold builds each level of the radix-16 value trees from the level below: the
    trees of claims taken in through the API equal, node by node, the definition of 0013 (node
    (level k, prefix p) = count and sum of the eligible claims' values v > 0 with
    v >> 4k = p), computed here from the claims themselves;
  - the foreign keys the branch that wrote 0023 measured dropping are kept (docs/decisions.md
    "Intake: the work per claim"): deleting claims deletes their risk and eligibility rows,
    and deleting an incident that has claims is refused. The deletes run in a transaction
    rolled back: the application deletes neither.
"""

import random
import subprocess
import time
import unittest

import claims_fixtures as cf
import harness

DEADLINE_S = 60


def nodes_from_claims(url, incident_id):
    """0013's nodes of the incident, from the claims table."""
    return cf.psql(
        "SELECT dim, level, prefix, status, n, s FROM ("
        " SELECT 'l' AS dim, k AS level, c.documented_loss >> (4 * k) AS prefix, c.status,"
        "        count(*) AS n, sum(c.documented_loss) AS s"
        "   FROM claims c, generate_series(0, 8) k"
        f"  WHERE c.incident_id = {incident_id} AND c.documented_loss > 0"
        "     AND c.status IN ('received', 'verified') GROUP BY 1, 2, 3, 4"
        " UNION ALL"
        " SELECT 'h', k, c.hours_spent >> (4 * k), c.status, count(*), sum(c.hours_spent)"
        "   FROM claims c, generate_series(0, 2) k"
        f"  WHERE c.incident_id = {incident_id} AND c.hours_spent > 0"
        "     AND c.status IN ('received', 'verified') GROUP BY 1, 2, 3, 4) x"
        " ORDER BY 1, 2, 3, 4", url=url)


def nodes_folded(url, incident_id):
    """The nodes the fold wrote."""
    return cf.psql("SELECT dim, level, prefix, status, n, s::bigint FROM claim_value_tallies"
                   f" WHERE incident_id = {incident_id} AND (n <> 0 OR s <> 0)"
                   " ORDER BY 1, 2, 3, 4", url=url)


class IntakeLighterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("intake_lighter_", cls.addClassCleanup, migrated=True)
        # the fold job runs every 100 ms here, as it does every second by default
        cls.server = cf.start_server(database_url=cls.url,
                                     args=["--summary-fold-interval-ms", "100"])
        cls.addClassCleanup(cls.server.close)

    def psql(self, sql):
        return cf.psql(sql, url=self.url)

    def test_value_trees_equal_the_claims(self):
        rng = random.Random()
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        # values on several levels, some repeated, some sharing a prefix, zeros (not counted)
        losses = [0, 1, 15, 16, 17, 255, 256, 4095, 4096, 65537, 10 ** 10, 10 ** 10 - 1]
        for i in range(40):
            loss = losses[i] if i < len(losses) else rng.choice(
                [0, rng.randint(1, 300), rng.randint(1, 10 ** 10)])
            cf.submit_ok(self, c, slug, cf.claim_body(harms={
                "documented_loss": loss, "hours_spent": rng.choice([0, 1, 15, 16, 999])}))
        incident = self.psql(f"SELECT id FROM incidents WHERE slug = {cf.sql_literal(slug)}")[0][0]
        deadline = time.monotonic() + DEADLINE_S
        while self.psql(f"SELECT count(*) FROM claim_shape_log WHERE incident_id = {incident}"
                        ) != [["0"]]:
            self.assertLess(time.monotonic(), deadline, "the log was not folded in time")
            time.sleep(0.1)
        want = nodes_from_claims(self.url, incident)
        self.assertGreater(len(want), 40, "too few nodes: the case went untested")
        self.assertEqual(nodes_folded(self.url, incident), want)

    def test_deleting_claims_deletes_their_risk_and_eligibility(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        ref = cf.submit_ok(self, c, slug)["reference"]
        claim = self.psql(f"SELECT id FROM claims WHERE reference = {cf.sql_literal(ref)}")[0][0]
        rows = (f"SELECT (SELECT count(*) FROM claim_risk WHERE claim_id = {claim}) ||"
                f" '/' || (SELECT count(*) FROM claim_eligibility WHERE claim_id = {claim})")
        self.assertEqual(self.psql(rows), [["1/1"]])
        # its confirmation's link (if the mail job sent it already) refers to the claim too
        run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                              self.url], capture_output=True, text=True,
                             timeout=harness.RUN_TIMEOUT_S,
                             input="BEGIN;"
                                   f" DELETE FROM claim_links WHERE claim_id = {claim};"
                                   f" DELETE FROM claims WHERE id = {claim};"
                                   f" {rows};"
                                   " ROLLBACK;")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.split(), ["0/0"])
        self.assertEqual(self.psql(rows), [["1/1"]])

    def test_an_incident_with_claims_is_not_deleted(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        cf.submit_ok(self, c, slug)
        lit = cf.sql_literal(slug)
        run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                              self.url], capture_output=True, text=True,
                             timeout=harness.RUN_TIMEOUT_S,
                             input="BEGIN;"
                                   f" DELETE FROM incidents WHERE slug = {lit};"
                                   " ROLLBACK;")
        self.assertNotEqual(run.returncode, 0, "the incident was deleted")
        self.assertIn("violates foreign key constraint", run.stderr)
        self.assertEqual(self.psql(f"SELECT count(*) FROM incidents WHERE slug = {lit}"),
                         [["1"]])


if __name__ == "__main__":
    unittest.main()
