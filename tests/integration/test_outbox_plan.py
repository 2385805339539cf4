#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The mail threads' take of due messages reaches its rows through indexes, in the custom and
the generic plan (the one a prepared statement settles on), however long the outbox.

The takes (db_outbox_take_first, db_outbox_take_notices, api/db/outbox.c), their own text
PREPAREd in psql and EXPLAIN (ANALYZE)d on an outbox of 20,000 messages, 19,000 of them sent:
with `id IN (subquery)` the generic plan joined the batch to a sequential scan of the whole
outbox (every message ever sent), 50 ms a take after a surge of 20,000 claims. No server: the
database is this file's own (harness), migrated; the rows are written alone (the outbox has no
foreign key: the claims' trigger removes their messages).

A notice's stop (db_notices_cancel, api/db/notices.c) reads the notice's queued messages only,
never the messages sent, nor since migration 0028 (outbox_notice_queued) the queued messages of
other notices: a small notice stopped while a large one is going out reads its own rows."""

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

# the same rows as messages of notices, the queued ones alternately of one notice (%s) and of
# others
NOTICE_FILL = f"""
TRUNCATE outbox;
INSERT INTO outbox (kind, claim_id, lang, state, next_attempt_at, sent_at, notice_id)
SELECT 'notice', i, 'fr', CASE WHEN i <= {MESSAGES - QUEUED} THEN 'sent' ELSE 'queued' END,
       now() - interval '1 hour' + i * interval '100 ms',
       CASE WHEN i <= {MESSAGES - QUEUED} THEN now() END,
       CASE i %% 2 WHEN 0 THEN '%s'::uuid ELSE gen_random_uuid() END
  FROM generate_series(1, {MESSAGES}) i;
ANALYZE outbox;
"""


# the confirmations of CONFIRMATIONS claims, sent (notice_id NULL: most of an outbox), a large
# send going out (MESSAGES queued messages of two notices), and a small notice, {stopped}, of
# FEW queued messages and FEW sent
CONFIRMATIONS = 100000
FEW = 10
SMALL_BESIDE_LARGE_FILL = f"""
TRUNCATE outbox;
INSERT INTO outbox (kind, claim_id, lang, state, next_attempt_at, sent_at)
SELECT 'claim-accepted', i, 'fr', 'sent', now() - interval '2 hours', now()
  FROM generate_series(1, {CONFIRMATIONS}) i;
INSERT INTO outbox (kind, claim_id, lang, next_attempt_at, notice_id)
SELECT 'notice', i, 'fr', now() - interval '1 hour' + i * interval '100 ms',
       CASE WHEN i <= {MESSAGES // 2} THEN '00000000-0000-0000-0000-0000000000b1'::uuid
            ELSE '00000000-0000-0000-0000-0000000000b2'::uuid END
  FROM generate_series(1, {MESSAGES}) i;
INSERT INTO outbox (kind, claim_id, lang, state, next_attempt_at, sent_at, notice_id)
SELECT 'notice', {MESSAGES} + i, 'fr', CASE WHEN i <= {FEW} THEN 'queued' ELSE 'sent' END,
       now() - interval '1 hour' + i * interval '150 ms',
       CASE WHEN i > {FEW} THEN now() END, '{{stopped}}'::uuid
  FROM generate_series(1, 2 * {FEW}) i;
ANALYZE outbox;
"""


def walk_of_notice(scans):
    """The scan that looks for the notice's rows (its condition or filter names notice_id), the
    index it goes through, and how many rows it read."""
    found = [s for s in scans if "notice_id" in s.get("Index Cond", "") + s.get("Filter", "")
             + s.get("Recheck Cond", "")]
    assert len(found) == 1, found
    scan = found[0]
    index = (scan["Plans"][0] if scan["Node Type"] == "Bitmap Heap Scan" else scan).get("Index Name")
    read = (scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0)
            + scan.get("Rows Removed by Index Recheck", 0))
    return scan, index, read


class OutboxTakePlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.ensure_migrated(cf.database_url())
        cls.sql = prepared_sql.statements(harness.source_dir(), "api/db/outbox.c")
        cls.sql.update(prepared_sql.statements(harness.source_dir(), "api/db/notices.c"))

    def explain(self, name, mode, fill=FILL, types="int, int", args=f"300, {TAKE}", setup=None):
        """The statement's plan, run once (rolled back), as JSON; setup: the statement the
        server runs before it in its transaction."""
        first = f"\\o /dev/null\n{self.sql[setup]};\n\\o\n" if setup else ""
        out = cf.psql_text(
            fill + f"SET plan_cache_mode = {mode};\n"
            f"PREPARE s({types}) AS {self.sql[name]};\n"
            f"BEGIN;\n{first}EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE s({args});\nROLLBACK;\n")
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


    def test_a_stop_reads_the_queued_messages_of_notices_only(self):
        # the messages of notices, most of them sent; half of the queued ones are the stopped
        # notice's (its row need not exist: the statement then changes the outbox only)
        stopped = "00000000-0000-0000-0000-00000000000a"
        for mode in ("force_custom_plan", "force_generic_plan"):
            with self.subTest(mode=mode):
                plan = self.explain("db_notices_cancel", mode, NOTICE_FILL % stopped, "uuid, text",
                                    f"'{stopped}', 'test'")
                scans = prepared_sql.scans_of(plan, "outbox")
                shown = json.dumps(plan, indent=1)
                # the queued messages walked, then the stopped notice's reached by their ids
                self.assertEqual(len(scans), 3, shown)
                for scan in scans[1:]:
                    self.assertIn(scan["Node Type"], ("Index Scan", "Index Only Scan"), shown)
                    self.assertLessEqual(scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0),
                                         QUEUED, shown)
                self.assertEqual(scans[0]["Actual Rows"], QUEUED // 2, shown)

    def test_a_stop_reads_its_own_notices_rows_only(self):
        # a notice of 10 stopped while a send of 20,000 is going out: the stop reads its 10
        # queued rows through outbox_notice_queued (0028), not the 20,000 queued rows of the
        # others through outbox_due_notices. Whatever plan the session's cache would use: the
        # server's transaction asks for a plan made for the notice (db_notices_cancel_timeout),
        # since a generic one, which sees every notice as an average one, walks the others'
        stopped = "00000000-0000-0000-0000-00000000000c"
        for mode in ("force_custom_plan", "force_generic_plan", "auto"):
            with self.subTest(mode=mode):
                plan = self.explain("db_notices_cancel", mode,
                                    SMALL_BESIDE_LARGE_FILL.format(stopped=stopped), "uuid, text",
                                    f"'{stopped}', 'test'", setup="db_notices_cancel_timeout")
                scans = prepared_sql.scans_of(plan, "outbox")
                shown = json.dumps(plan, indent=1)
                scan, index, read = walk_of_notice(scans)
                self.assertIn(scan["Node Type"], ("Index Scan", "Bitmap Heap Scan"), shown)
                self.assertEqual(index, "outbox_notice_queued", shown)
                self.assertEqual(read, FEW, shown)
                self.assertEqual(scans[0]["Actual Rows"], FEW, shown)


if __name__ == "__main__":
    unittest.main()
