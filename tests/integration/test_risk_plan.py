#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The risk counts' plan whatever the statistics (issue 15; docs/decisions.md "Risk counts:
one plan whatever the statistics"; db-migrations/0024).

The intake's risk statement (db_risk_insert_batch, api/db/risk.c), its own text PREPAREd in
psql, EXPLAIN (ANALYZE)d on tables whose statistics mislead the planner, with its custom and
its generic plan: each count must walk its own index (claim_risk_network,
claim_risk_address) and read at most the threshold + 1 claims per claim of the batch (the
network count: per network of the batch, its claims sharing one walk).
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
And the network count of every claim of a batch, whose claims share one walk per network, is
its own count: random claims and batches spread over two hours, each claim's count compared
with the count of its hour by a plain query.
No server: the database is this file's own (harness), migrated, with claim_risk's foreign key
to claims dropped so that risk rows can be written alone (the plans do not depend on it)."""

import json
import os
import random
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
                    # one network walk per network of the batch (the address shape's claims
                    # each have their own), one address walk per claim
                    loops = (BATCH if shape == "address" else 1, BATCH)
                    for scan, index, n in zip(scans, ("claim_risk_network", "claim_risk_address"),
                                              loops):
                        self.assertIn(scan["Node Type"], ("Index Scan", "Index Only Scan"),
                                      json.dumps(scan, indent=1))
                        self.assertEqual(scan["Index Name"], index)
                        self.assertEqual(scan["Actual Loops"], n)
                        # per loop (EXPLAIN's rows are each loop's average)
                        read = scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0)
                        self.assertLessEqual(read, THRESHOLD + 1, json.dumps(scan, indent=1))
                    # the network's round is past the threshold: each count stopped there
                    want = 0 if shape == "address" else THRESHOLD + 1
                    self.assertEqual(scans[0]["Actual Rows"], want)

    def test_each_claim_counts_its_own_hour(self):
        """Claims of 3 networks over the last two hours, then batches whose claims of one
        network are minutes apart: each claim's stored count is the batch's claims of its
        network plus the earlier ones within an hour before it, capped at threshold + 1."""
        rnd = random.Random(15)
        cap = THRESHOLD + 1
        for trial in range(12):
            with self.subTest(trial=trial):
                # 0 to 60 earlier claims per network, at random minutes of the last 2 hours
                earlier = [(10 + i, rnd.randrange(3), rnd.uniform(0, 120))
                           for i in range(rnd.randrange(0, 61) * 3)]
                values = ",".join(f"({cid}, 1, now() - interval '{age:.4f} minutes', 'ipv4/24',"
                                  f" sha256('n{net}'::bytea))" for cid, net, age in earlier)
                batch = [(100000 + i, rnd.randrange(3), rnd.uniform(0, 90))
                         for i in range(rnd.randrange(1, 30))]
                ids = ",".join(str(b[0]) for b in batch)
                nets = ",".join(f"sha256('n{b[1]}'::bytea)" for b in batch)
                ts = ",".join(f"now() - interval '{b[2]:.4f} minutes'" for b in batch)
                n = len(batch)
                rows = cf.psql_text(
                    "TRUNCATE claim_risk;\n"
                    + ("INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind,"
                       f" net_mac) VALUES {values};\n" if earlier else "")
                    + "PREPARE risk_ins(bigint[], bigint[], timestamptz[], text[], bytea[],"
                    " bytea[], boolean[], int, int) AS " + self.sql + ";\n"
                    f"EXECUTE risk_ins(ARRAY[{ids}]::bigint[], array_fill(1::bigint, ARRAY[{n}]),"
                    f" ARRAY[{ts}]::timestamptz[], array_fill('ipv4/24'::text, ARRAY[{n}]),"
                    f" ARRAY[{nets}]::bytea[], array_fill(NULL::bytea, ARRAY[{n}]),"
                    f" array_fill(false, ARRAY[{n}]), {THRESHOLD}, {THRESHOLD});\n"
                    # the count each claim should have: the batch's claims of its network, and
                    # the earlier ones of its hour up to the cap
                    "SELECT b.claim_id, b.net_count, (SELECT count(*) FROM claim_risk x"
                    "   WHERE x.claim_id >= 100000 AND x.net_mac = b.net_mac)"
                    " + least(" + str(cap) + ", (SELECT count(*) FROM claim_risk o"
                    "   WHERE o.claim_id < 100000 AND o.net_mac = b.net_mac"
                    "   AND o.created_at > b.created_at - interval '1 hour'))"
                    " FROM claim_risk b WHERE b.claim_id >= 100000 ORDER BY 1;\n"
                    "DEALLOCATE risk_ins;\n")
                got = [line.split("|") for line in rows.splitlines() if "|" in line]
                self.assertEqual(len(got), n, rows)
                for claim_id, stored, want in got:
                    self.assertEqual(stored, want, f"claim {claim_id}: {rows}")


if __name__ == "__main__":
    unittest.main()
