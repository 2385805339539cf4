#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The risk counts' plan whatever the statistics (issue 15; docs/decisions.md "Risk counts:
one plan whatever the statistics"; db-migrations/0024).

The intake's risk statement (db_risk_insert_batch, api/db/risk.c), its own text PREPAREd in
psql, EXPLAIN (ANALYZE)d on tables whose statistics mislead the planner, with its custom and
its generic plan: each count must walk its own index (claim_risk_network,
claim_risk_address) and read at most the threshold + 1 claims per claim of the batch.
  - a young table: 3,000 claims of one incident from one network, ANALYZE (statistics: one
    incident, one network), then 500 claims of a second incident from the same network (the
    intake bench's warm-up incident and its round). Before 0024 the planner walked
    claim_risk_network_age from an hour before each claim: every claim of the first incident,
    for every claim;
  - a bot run: 3,000 claims of one incident at one address, ANALYZE, then claims of another
    incident at their own addresses. Before, the address count scanned the whole table for
    every claim;
  - a new network in an analysed table: 100,000 claims of 200 incidents from 50 networks,
    ANALYZE, then 3,000 claims of another incident from a network the statistics do not know.
    With a cap the planner knew (the statement's parameters folded into a custom plan) and
    statistics saying fewer matches than the cap, it took a bitmap scan of claim_risk_network
    that read, and sorted, every claim of that network in the hour.
No server: the database is this file's own (harness), migrated, with claim_risk's foreign key
to claims dropped so that risk rows can be written alone (the plans do not depend on it)."""

import json
import os
import sys
import unittest

import claims_fixtures as cf
import harness

import prepared_sql

sys.path.insert(0, os.path.join(harness.source_dir(), "bench", "risk"))
import run as bench  # noqa: E402  (bench/risk/run.py: the tables and the batch)

THRESHOLD = 20
BATCH = 25
FLOOD = 3000
ROUND = 500

# the shapes and the batch of bench/risk/run.py: network (young), address (bot), rare (a new
# network in an analysed table)
SHAPES = ("network", "address", "rare")


class RiskPlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.ensure_migrated(cf.database_url())
        cf.psql("ALTER TABLE claim_risk DROP CONSTRAINT IF EXISTS claim_risk_claim_fkey")
        cls.sql = prepared_sql.statements(harness.source_dir())["db_risk_insert_batch"]

    def explain(self, shape, mode):
        """The statement's plan, run on one batch (rolled back), as JSON."""
        out = cf.psql_text(
            "TRUNCATE claim_risk;" + bench.FILL[shape].format(n=FLOOD, m=ROUND)
            + bench.BATCH.format(b=BATCH, shape=shape) + f"SET plan_cache_mode = {mode};\n"
            "PREPARE risk_ins(bigint[], bigint[], timestamptz[], text[], bytea[], bytea[],"
            " boolean[], int, int) AS " + self.sql + ";\n"
            "BEGIN;\nEXPLAIN (ANALYZE, FORMAT JSON)"
            f" EXECUTE risk_ins(:'ids', :'incs', :'ts', :'kinds', :'nets', :'addrs', :'disp',"
            f" {THRESHOLD}, {THRESHOLD});\nROLLBACK;\n")
        return json.loads(out)[0]["Plan"]

    def test_each_count_walks_its_index_up_to_the_threshold(self):
        for shape in SHAPES:
            for mode in ("force_custom_plan", "force_generic_plan"):
                with self.subTest(shape=shape, mode=mode):
                    plan = self.explain(shape, mode)
                    # the INSERT itself is the plan's root (ModifyTable on claim_risk); the
                    # counts are the scans below it
                    scans = prepared_sql.scans_of(plan, "claim_risk")[1:]
                    self.assertEqual(len(scans), 2, json.dumps(plan, indent=1))
                    for scan, index in zip(scans, ("claim_risk_network", "claim_risk_address")):
                        self.assertIn(scan["Node Type"], ("Index Scan", "Index Only Scan"),
                                      json.dumps(scan, indent=1))
                        self.assertEqual(scan["Index Name"], index)
                        self.assertEqual(scan["Actual Loops"], BATCH)
                        read = scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0)
                        self.assertLessEqual(read, THRESHOLD + 1, json.dumps(scan, indent=1))
                    # the network's round is past the threshold: each count stopped there
                    want = 0 if shape == "address" else THRESHOLD + 1
                    self.assertEqual(scans[0]["Actual Rows"], want)


if __name__ == "__main__":
    unittest.main()
