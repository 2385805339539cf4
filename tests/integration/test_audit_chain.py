#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit chain (SPEC "Resources", API.md §11): a test changes, deletes and reorders rows
directly in SQL and sees each detected at the right link by GET /v1/audit/verify.

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end), so the
tampering never touches another test's chain. About a dozen audited writes are made through the
API (incidents, associations, keys, an action, members, a review); verify answers ok with
that many events and the last hash as head. Then, each time from a saved copy of the table:
  - a changed actor, object id, time or digest: first_broken is that row;
  - a row changed and its own hash recomputed in SQL: first_broken is the next row, whose
    prev_hash no longer matches;
  - a deleted first or middle row: first_broken is the missing seq;
  - two rows reordered (their seq swapped): first_broken is the first of them;
  - a deleted last row: NOT detected. Each link only vouches for what precedes it, so cutting
    the tail leaves a shorter chain that is whole: verify says ok, with one event fewer and
    the previous hash as head. Only an anchor kept outside the database (the head and count
    published or copied elsewhere) can reveal a truncated tail; the test asserts exactly this
    so that the limit stays visible.
"""

import hashlib
import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

COLUMNS = "seq, at, actor, action, object_type, object_id, digest, prev_hash, hash"




class AuditChainTest(unittest.TestCase):
    def setUp(self):
        self.url = cf.new_database("recours_audit_", self.addCleanup)
        self.server = cf.start_server(self, database_url=self.url)
        self.c = harness.Client(self.server)
        self.addCleanup(self.c.close)
        self.audited_writes()
        self.sql("CREATE TABLE audit_saved AS SELECT * FROM audit_events")
        self.n = int(self.sql("SELECT count(*) FROM audit_events")[0][0])

    def sql(self, statement):
        run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                              "ON_ERROR_STOP=1", "-d", self.url, "-c", statement],
                             capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
        if run.returncode != 0:
            raise AssertionError(f"psql failed: {run.stderr.strip()}")
        return [line.split("\t") for line in run.stdout.splitlines() if line]

    def restore(self):
        self.sql("BEGIN; DELETE FROM audit_events;"
                 f" INSERT INTO audit_events ({COLUMNS}) SELECT {COLUMNS} FROM audit_saved;"
                 " COMMIT")

    def audited_writes(self):
        s, c = self.server, self.c
        slug = cf.make_incident(s)
        r = af.op(s, "PATCH", f"/v1/incidents/{slug}", {"title": "Renamed"}, client=c)
        self.assertEqual(r.status, 200)
        x = af.approved_association(s, client=c)          # create, approve, key
        other = af.create_association(s, client=c)
        spare = af.issue_key(s, other["id"], client=c)
        af.revoke_key(s, spare["id"], client=c)
        action = af.open_action(x, slug, client=c)
        claim = af.mandated_free_claim(s, slug, x, action, client=c)   # remove
        af.add_members(x, action, [claim["reference"]], client=c)
        r = x.request("PATCH", f"/v1/claims/{claim['reference']}/status",
                      {"status": "verified"}, client=c)
        self.assertEqual(r.status, 200)
        af.set_action_status(x, action, "filed", client=c)

    def verify(self):
        r = af.op(self.server, "GET", "/v1/audit/verify", client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertEqual(set(doc), {"ok", "events", "head", "first_broken"})
        return doc

    def assert_ok(self, events=None):
        doc = self.verify()
        self.assertTrue(doc["ok"], doc)
        self.assertIsNone(doc["first_broken"])
        self.assertEqual(doc["events"], self.n if events is None else events)
        return doc

    def assert_broken_at(self, seq, what):
        doc = self.verify()
        self.assertFalse(doc["ok"], f"{what} went unnoticed: {doc}")
        self.assertEqual(doc["first_broken"]["seq"], seq, f"{what}: {doc}")
        self.assertIsInstance(doc["first_broken"]["reason"], str)
        self.assertTrue(doc["first_broken"]["reason"])
        self.assertEqual(doc["events"], seq - 1, "events counts the links checked before")
        self.restore()
        self.assert_ok()
        return doc

    def test_a_whole_chain_verifies(self):
        self.assertGreaterEqual(self.n, 12)
        doc = self.assert_ok()
        rows = self.sql("SELECT seq, encode(hash, 'hex'), actor, action FROM audit_events"
                        " ORDER BY seq")
        self.assertEqual([int(r[0]) for r in rows], list(range(1, self.n + 1)))
        self.assertEqual(doc["head"], rows[-1][1])
        self.assertRegex(doc["head"], r"^[0-9a-f]{64}$")
        actors = {r[2] for r in rows}
        self.assertIn("operator", actors)
        self.assertTrue(any(a.startswith("association:") for a in actors), actors)
        self.assertIn("claim.review", {r[3] for r in rows})

    def test_the_hashes_are_the_documented_ones(self):
        """hash = SHA-256(prev_hash || seq|at|actor|action|object_type|object_id| || digest)
        (0004_audit.sql, db/audit.c), recomputed here independently."""
        rows = self.sql("SELECT seq, to_char(at AT TIME ZONE 'UTC',"
                        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor, action, object_type,"
                        " object_id, encode(digest, 'hex'), encode(prev_hash, 'hex'),"
                        " encode(hash, 'hex') FROM audit_events ORDER BY seq")
        prev = bytes(32)
        for r in rows:
            self.assertEqual(r[7], prev.hex(), f"prev_hash of {r[0]}")
            canonical = "|".join(r[:6]) + "|"
            h = hashlib.sha256(prev + canonical.encode() + bytes.fromhex(r[6])).hexdigest()
            self.assertEqual(h, r[8], f"hash of {r[0]}")
            prev = bytes.fromhex(h)

    def test_a_changed_field_breaks_its_own_link(self):
        middle = self.n // 2
        for change in ("actor = 'operator-x'", "object_id = object_id || '0'",
                       "at = at + interval '1 microsecond'",
                       "digest = sha256('another change'::bytea)",
                       "action = 'association.delete'"):
            with self.subTest(change=change):
                self.sql(f"UPDATE audit_events SET {change} WHERE seq = {middle}")
                self.assert_broken_at(middle, change)

    def test_a_row_rewritten_with_its_hash_breaks_the_next_link(self):
        k = 3
        self.sql(
            "UPDATE audit_events SET actor = 'operator-x',"
            " hash = sha256(prev_hash || convert_to(seq::text || '|' ||"
            "   to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '|' ||"
            "   'operator-x' || '|' || action || '|' || object_type || '|' || object_id || '|',"
            "   'UTF8') || digest)"
            f" WHERE seq = {k}")
        self.assert_broken_at(k + 1, "a rewritten row with a recomputed hash")

    def test_a_deleted_row_is_found_missing(self):
        for seq in (1, self.n // 2):
            with self.subTest(seq=seq):
                self.sql(f"DELETE FROM audit_events WHERE seq = {seq}")
                self.assert_broken_at(seq, f"row {seq} deleted")

    def test_reordered_rows_break_at_the_first_of_them(self):
        a, b = 4, 7
        self.sql("BEGIN;"
                 f" UPDATE audit_events SET seq = 1000000 WHERE seq = {a};"
                 f" UPDATE audit_events SET seq = {a} WHERE seq = {b};"
                 f" UPDATE audit_events SET seq = {b} WHERE seq = 1000000;"
                 " COMMIT")
        self.assert_broken_at(a, f"rows {a} and {b} swapped")
        # the contents swapped instead of the numbers: the same link breaks
        cols = "at, actor, action, object_type, object_id, digest, prev_hash, hash"
        self.sql(f"UPDATE audit_events e SET ({cols}) = (SELECT {cols} FROM audit_saved s"
                 f" WHERE s.seq = CASE e.seq WHEN {a} THEN {b} ELSE {a} END)"
                 f" WHERE e.seq IN ({a}, {b})")
        self.assert_broken_at(a, f"contents of rows {a} and {b} swapped")

    def test_a_deleted_tail_is_not_detected_without_an_anchor(self):
        before = self.assert_ok()
        prev_head = self.sql(f"SELECT encode(hash, 'hex') FROM audit_events"
                             f" WHERE seq = {self.n - 1}")[0][0]
        self.sql(f"DELETE FROM audit_events WHERE seq = {self.n}")
        after = self.assert_ok(events=self.n - 1)
        self.assertEqual(after["head"], prev_head)
        self.assertNotEqual(after["head"], before["head"],
                            "only a head kept elsewhere shows the cut")
        self.restore()
        self.assert_ok()

    def test_new_events_extend_a_restored_chain(self):
        af.create_association(self.server, client=self.c)
        self.assert_ok(events=self.n + 1)


if __name__ == "__main__":
    harness.main()
