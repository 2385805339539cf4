#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The mail threads' take of due messages reaches its rows through indexes, in the custom and
the generic plan (the one a prepared statement settles on), however long the outbox.

The takes (db_outbox_take_first, db_outbox_take_notices, api/db/outbox.c), their own text
PREPAREd in psql and EXPLAIN (ANALYZE)d on an outbox of 20,000 messages, 19,000 of them sent:
with `id IN (subquery)` the generic plan joined the batch to a sequential scan of the whole
outbox (every message ever sent), 50 ms a take after a surge of 20,000 claims. No server: the
database is this file's own (harness), migrated; the rows are written alone (the outbox has no
foreign key: the claims' trigger removes their messages)."""

import json
import unittest

import claims_fixtures as cf
import harness

import prepared_sql

MESSAGES = 20000
QUEUED = 1000
TAKE = 12

FILL = f"""
TRUNCATE outbox;
INSERT INTO outbox (kind, claim_id, lang, state, next_attempt_at, sent_at)
SELECT 'claim-accepted', i, 'fr', CASE WHEN i <= {MESSAGES - QUEUED} THEN 'sent' ELSE 'queued' END,
       now() - interval '1 hour' + i * interval '100 ms',
       CASE WHEN i <= {MESSAGES - QUEUED} THEN now() END
  FROM generate_series(1, {MESSAGES}) i;
ANALYZE outbox;
"""


class OutboxTakePlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.ensure_migrated(cf.database_url())
        cls.sql = prepared_sql.statements(harness.source_dir(), "api/db/outbox.c")

    def explain(self, name, mode):
        """The take's plan, run once (rolled back), as JSON."""
        out = cf.psql_text(
            FILL + f"SET plan_cache_mode = {mode};\n"
            f"PREPARE take(int, int) AS {self.sql[name]};\n"
            f"BEGIN;\nEXPLAIN (ANALYZE, FORMAT JSON) EXECUTE take(300, {TAKE});\nROLLBACK;\n")
        return json.loads(out)[0]["Plan"]

    def test_a_take_reads_its_rows_through_indexes(self):
        for name, taken in (("db_outbox_take_first", TAKE), ("db_outbox_take_notices", 0)):
            for mode in ("force_custom_plan", "force_generic_plan"):
                with self.subTest(take=name, mode=mode):
                    plan = self.explain(name, mode)
                    scans = prepared_sql.scans_of(plan, "outbox")
                    shown = json.dumps(plan, indent=1)
                    # the UPDATE itself, the due rows' walk, the rows reached by their ids
                    self.assertEqual(len(scans), 3, shown)
                    for scan in scans[1:]:
                        self.assertIn(scan["Node Type"], ("Index Scan", "Index Only Scan"), shown)
                        self.assertLessEqual(scan["Actual Rows"], TAKE, shown)
                    self.assertEqual(scans[-1]["Actual Rows"], taken, shown)


if __name__ == "__main__":
    unittest.main()
