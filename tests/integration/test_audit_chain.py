#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit chain (docs/product.md §8, docs/api.md §13, docs/decisions.md "Hardening: a
keyed, append-only audit chain"), attacked through the application's own database login (the
DATABASE_URL role, which owns the database):

A database of its own for the class (CREATE DATABASE on DATABASE_URL's server, dropped at the
end), so the tampering never touches another test's chain; each test puts the saved chain back. About a dozen audited writes are made through the
API (incidents, associations, keys, an action, members, a review); verify answers ok with
that many events and the last hash as head; each link is the documented HMAC, recomputed here
from the server's hmac-key.
  - UPDATE, DELETE and TRUNCATE of audit_events are refused by the database (trigger
    audit_events_append_only), a row rewritten with its hash recomputed in SQL included.
  - The owner can disable that trigger (ALTER TABLE ... DISABLE TRIGGER); each tampering below
    does so, in the same transaction, and verify finds it at the right link:
    a changed field, a row rewritten with its hash recomputed in SQL (SHA-256: the database
    never sees the HMAC key), the whole tail rewritten that way, a deleted first or middle row,
    two reordered rows.
  - Two servers and CLI commands appending at once still make one chain that verifies.
  - A deleted last event, or a truncated table, leaves a shorter chain that is whole: verify
    alone says ok; verify with the head kept outside the database (?head=<seq>:<hex>, as
    `recours audit head` prints it) says not ok, with where. A malformed head is a 400.
  - `recours migrate` re-seals a chain of the old unkeyed format under the key when it
    applies 0009, and refuses (0009 not applied) when that chain is already broken.
"""

import hashlib
import hmac
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

COLUMNS = "seq, at, actor, action, object_type, object_id, digest, prev_hash, hash"
TRIGGER = "audit_events_append_only"
AT_TEXT = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
# the hash a database login can compute: SHA-256 of the same bytes (the format before 0009)
SQL_SHA256 = ("sha256(prev_hash || convert_to(seq::text || '|' || " + AT_TEXT + " || '|' ||"
              " actor || '|' || action || '|' || object_type || '|' || object_id || '|',"
              " 'UTF8') || digest)")
REFUSED = "audit_events is append-only"


def sql_on(url, statement, check=True):
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", url, "-c", statement],
                         capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
    if check and run.returncode != 0:
        raise AssertionError(f"psql failed: {run.stderr.strip()}")
    return run if not check else [line.split("\t") for line in run.stdout.splitlines() if line]


def audit_key(secrets_dir):
    """The audit key: HMAC-SHA256(hmac-key, "audit-chain" 0x00) (crypto/audit_mac.h)."""
    with open(os.path.join(secrets_dir, "hmac-key"), encoding="ascii") as f:
        hmac_key = bytes.fromhex(f.read().strip())
    return hmac.new(hmac_key, b"audit-chain\x00", hashlib.sha256).digest()


def cli(args, url, secrets_dir):
    env = dict(os.environ, DATABASE_URL=url, RECOURS_SECRETS_DIR=secrets_dir)
    return subprocess.run([harness.recours_bin()] + args, env=env, capture_output=True,
                          text=True, timeout=harness.RUN_TIMEOUT_S)


class AuditChainTest(unittest.TestCase):
    """One database, server and chain for the class; each test starts from the saved chain
    and puts it back at the end (a test's appends and tampering included)."""

    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("recours_audit_", cls.addClassCleanup, migrated=True)
        cls.server = cf.start_server(database_url=cls.url)
        cls.addClassCleanup(cls.server.close)
        cls.c = harness.Client(cls.server)
        cls.addClassCleanup(cls.c.close)
        cls.audited_writes(cls)
        sql_on(cls.url, "CREATE TABLE audit_saved AS SELECT * FROM audit_events")
        cls.saved_n = int(sql_on(cls.url, "SELECT count(*) FROM audit_events")[0][0])

    def setUp(self):
        self.n = self.saved_n
        self.addCleanup(self.restore)

    def sql(self, statement):
        return sql_on(self.url, statement)

    def refused(self, statement):
        """statement fails on the trigger, and the chain is as it was."""
        run = sql_on(self.url, statement, check=False)
        self.assertNotEqual(run.returncode, 0, f"{statement} was accepted")
        self.assertIn(REFUSED, run.stderr)
        self.assert_ok()

    def tamper(self, statement):
        """statement with the trigger disabled, as the table's owner may: one transaction."""
        self.sql(f"BEGIN; ALTER TABLE audit_events DISABLE TRIGGER {TRIGGER}; {statement};"
                 f" ALTER TABLE audit_events ENABLE TRIGGER {TRIGGER}; COMMIT")

    def restore(self):
        self.tamper("DELETE FROM audit_events;"
                    f" INSERT INTO audit_events ({COLUMNS}) SELECT {COLUMNS} FROM audit_saved")

    @staticmethod
    def audited_writes(cls):
        s, c = cls.server, cls.c
        slug = cf.make_incident(s)
        r = af.op(s, "PATCH", f"/v1/incidents/{slug}", {"title": "Renamed"}, client=c)
        assert r.status == 200, repr(r)
        x = af.approved_association(s, client=c)          # create, approve, key
        other = af.create_association(s, client=c)
        spare = af.issue_key(s, other["id"], client=c)
        af.revoke_key(s, spare["id"], client=c)
        action = af.open_action(x, slug, client=c)
        claim = af.mandated_free_claim(s, slug, x, action, client=c)   # remove
        af.add_members(x, action, [claim["reference"]], client=c)
        r = x.request("PATCH", f"/v1/claims/{claim['reference']}/status",
                      {"status": "verified"}, client=c)
        assert r.status == 200, repr(r)
        af.set_action_status(x, action, "filed", client=c)

    def verify(self, head=None):
        path = "/v1/audit/verify" + (f"?head={head}" if head is not None else "")
        r = af.op(self.server, "GET", path, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertEqual(set(doc), {"ok", "events", "head", "first_broken"})
        return doc

    def assert_ok(self, events=None, head=None):
        doc = self.verify(head)
        self.assertTrue(doc["ok"], doc)
        self.assertIsNone(doc["first_broken"])
        self.assertEqual(doc["events"], self.n if events is None else events)
        return doc

    def assert_broken_at(self, seq, what, head=None):
        doc = self.verify(head)
        self.assertFalse(doc["ok"], f"{what} went unnoticed: {doc}")
        self.assertEqual(doc["first_broken"]["seq"], seq, f"{what}: {doc}")
        self.assertIsInstance(doc["first_broken"]["reason"], str)
        self.assertTrue(doc["first_broken"]["reason"])
        self.assertEqual(doc["events"], seq - 1, "events counts the links checked before")
        self.restore()
        self.assert_ok()
        return doc

    def kept_head(self):
        run = cli(["audit", "head"], self.url, self.server.secrets_dir)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertRegex(run.stdout, r"^[1-9][0-9]*:[0-9a-f]{64}\n$")
        return run.stdout.strip()

    def test_a_whole_chain_verifies(self):
        self.assertGreaterEqual(self.n, 12)
        doc = self.assert_ok()
        rows = self.sql("SELECT seq, encode(hash, 'hex'), actor, action FROM audit_events"
                        " ORDER BY seq")
        self.assertEqual([int(r[0]) for r in rows], list(range(1, self.n + 1)))
        self.assertEqual(doc["head"], rows[-1][1])
        self.assertRegex(doc["head"], r"^[0-9a-f]{64}$")
        self.assertEqual(self.kept_head(), f"{self.n}:{doc['head']}")
        actors = {r[2] for r in rows}
        self.assertIn("operator", actors)
        self.assertTrue(any(a.startswith("association:") for a in actors), actors)
        self.assertIn("claim.review", {r[3] for r in rows})

    def test_concurrent_appends_from_two_servers_and_the_cli_make_one_chain(self):
        """One chain whichever process appends: the advisory lock serialises reading the head
        and inserting the next link, across servers and CLI commands."""
        second = cf.start_server(self, database_url=self.url)
        created = int(self.sql("SELECT count(*) FROM audit_events"
                               " WHERE action = 'association.create'")[0][0])
        errors = []

        def writes(server):
            try:
                for _ in range(4):
                    af.create_association(server)
            except Exception as e:  # reported below, in the test's thread
                errors.append(e)

        threads = [threading.Thread(target=writes, args=(s,)) for s in (self.server, second) * 3]
        env = dict(os.environ, DATABASE_URL=self.url,
                   RECOURS_SECRETS_DIR=self.server.secrets_dir)
        procs = [subprocess.Popen([harness.recours_bin(), "association", "add", "--name",
                                   f"Cli {i}", "--approval-reference", "AGR-CLI",
                                   "--approved-from", "2025-01-01", "--country", "fr",
                                   "--contact-email", "cli@example.org"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for i in range(4)]
        for t in threads:
            t.start()
        for p in procs:
            out, err = p.communicate(timeout=harness.RUN_TIMEOUT_S)
            self.assertEqual(p.returncode, 0, err)
        for t in threads:
            t.join(timeout=harness.RUN_TIMEOUT_S)
            self.assertFalse(t.is_alive())
        self.assertEqual(errors, [])
        self.n += 6 * 4 + 4
        self.assert_ok()
        self.assertEqual(int(self.sql("SELECT count(*) FROM audit_events WHERE action ="
                                      " 'association.create'")[0][0]) - created, 6 * 4 + 4)

    def test_the_links_are_the_documented_hmacs(self):
        """hash = HMAC-SHA256(audit key, prev_hash || seq|at|actor|action|object_type|
        object_id| || digest) (crypto/audit_mac.h, db/audit.c), recomputed here."""
        key = audit_key(self.server.secrets_dir)
        rows = self.sql(f"SELECT seq, {AT_TEXT}, actor, action, object_type,"
                        " object_id, encode(digest, 'hex'), encode(prev_hash, 'hex'),"
                        " encode(hash, 'hex') FROM audit_events ORDER BY seq")
        prev = bytes(32)
        for r in rows:
            self.assertEqual(r[7], prev.hex(), f"prev_hash of {r[0]}")
            canonical = "|".join(r[:6]) + "|"
            h = hmac.new(key, prev + canonical.encode() + bytes.fromhex(r[6]),
                         hashlib.sha256).hexdigest()
            self.assertEqual(h, r[8], f"hash of {r[0]}")
            self.assertNotEqual(h, hashlib.sha256(prev + canonical.encode()
                                                  + bytes.fromhex(r[6])).hexdigest())
            prev = bytes.fromhex(h)

    def test_the_database_refuses_changes(self):
        k = 3
        self.refused(f"UPDATE audit_events SET actor = 'operator-x' WHERE seq = {k}")
        self.refused("UPDATE audit_events SET actor = 'operator-x'")
        self.refused(f"UPDATE audit_events SET hash = {SQL_SHA256} WHERE seq = {k}")
        self.refused(f"DELETE FROM audit_events WHERE seq = {self.n}")
        self.refused("DELETE FROM audit_events")
        self.refused("TRUNCATE audit_events")
        self.refused("BEGIN; DELETE FROM audit_events WHERE seq > 0; COMMIT")
        # appends still work, through the application, after a restore too
        self.restore()
        af.create_association(self.server, client=self.c)
        self.n += 1
        self.assert_ok()

    def test_a_changed_field_breaks_its_own_link(self):
        middle = self.n // 2
        for change in ("actor = 'operator-x'", "object_id = object_id || '0'",
                       "at = at + interval '1 microsecond'",
                       "digest = sha256('another change'::bytea)",
                       "action = 'association.delete'"):
            with self.subTest(change=change):
                self.tamper(f"UPDATE audit_events SET {change} WHERE seq = {middle}")
                self.assert_broken_at(middle, change)

    def test_a_row_rewritten_with_its_hash_recomputed_breaks_its_own_link(self):
        k = 3
        self.tamper(f"UPDATE audit_events SET actor = 'operator-x' WHERE seq = {k};"
                    f" UPDATE audit_events SET hash = {SQL_SHA256} WHERE seq = {k}")
        self.assert_broken_at(k, "a rewritten row with its hash recomputed in SQL")
        # the whole tail from k rewritten, each prev_hash and hash recomputed in order
        steps = [f"UPDATE audit_events SET actor = 'operator-x' WHERE seq = {k}"]
        for seq in range(k, self.n + 1):
            if seq > k:
                steps.append(f"UPDATE audit_events SET prev_hash = (SELECT hash FROM"
                             f" audit_events WHERE seq = {seq - 1}) WHERE seq = {seq}")
            steps.append(f"UPDATE audit_events SET hash = {SQL_SHA256} WHERE seq = {seq}")
        self.tamper("; ".join(steps))
        self.assert_broken_at(k, "the tail rewritten with every hash recomputed in SQL")

    def test_a_deleted_row_is_found_missing(self):
        for seq in (1, self.n // 2):
            with self.subTest(seq=seq):
                self.tamper(f"DELETE FROM audit_events WHERE seq = {seq}")
                self.assert_broken_at(seq, f"row {seq} deleted")

    def test_reordered_rows_break_at_the_first_of_them(self):
        a, b = 4, 7
        self.tamper(f"UPDATE audit_events SET seq = 1000000 WHERE seq = {a};"
                    f" UPDATE audit_events SET seq = {a} WHERE seq = {b};"
                    f" UPDATE audit_events SET seq = {b} WHERE seq = 1000000")
        self.assert_broken_at(a, f"rows {a} and {b} swapped")
        # the contents swapped instead of the numbers: the same link breaks
        cols = "at, actor, action, object_type, object_id, digest, prev_hash, hash"
        self.tamper(f"UPDATE audit_events e SET ({cols}) = (SELECT {cols} FROM audit_saved s"
                    f" WHERE s.seq = CASE e.seq WHEN {a} THEN {b} ELSE {a} END)"
                    f" WHERE e.seq IN ({a}, {b})")
        self.assert_broken_at(a, f"contents of rows {a} and {b} swapped")

    def test_a_deleted_tail_is_found_with_the_kept_head(self):
        head = self.kept_head()
        before = self.assert_ok(head=head)
        self.assertEqual(head, f"{self.n}:{before['head']}")
        # a head kept earlier is still in the chain: ok
        earlier = self.sql(f"SELECT encode(hash, 'hex') FROM audit_events WHERE seq = 5")[0][0]
        self.assert_ok(head=f"5:{earlier}")
        self.tamper(f"DELETE FROM audit_events WHERE seq = {self.n}")
        # each link only vouches for what precedes it: alone, the shorter chain is whole
        after = self.assert_ok(events=self.n - 1)
        self.assertNotEqual(after["head"], before["head"])
        doc = self.assert_broken_at(self.n, "the last event deleted", head=head)
        self.assertIn("kept head", doc["first_broken"]["reason"])
        run = cli(["audit", "verify", "--head", head], self.url, self.server.secrets_dir)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.tamper(f"DELETE FROM audit_events WHERE seq >= {self.n - 2}")
        run = cli(["audit", "verify", "--head", head], self.url, self.server.secrets_dir)
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertIn(f"broken at seq {self.n - 2}", run.stdout)
        self.assert_broken_at(self.n - 2, "the last three events deleted", head=head)
        # the table emptied
        self.tamper("TRUNCATE audit_events")
        self.assert_ok(events=0)
        self.assert_broken_at(1, "the table truncated", head=head)

    def test_a_malformed_head_is_a_400_and_another_hash_is_reported(self):
        self.assert_broken_at(4, "another hash at seq 4", head=f"4:{'0' * 64}")
        h = "a" * 64
        for bad in ("", "abc", f"0:{h}", f"01:{h}", f"-1:{h}", f"1:{h[:63]}", f"1:{h}0",
                    f"1:{h.upper()}", f"1{h}", f":{h}", f"1:{'g' * 64}", f"1 {h}",
                    f"1234567890123456789:{h}"):
            with self.subTest(head=bad):
                r = af.op(self.server, "GET", f"/v1/audit/verify?head={bad.replace(' ', '%20')}",
                          client=self.c)
                self.assertEqual(r.status, 400, repr(r))
                doc = r.json()
                self.assertEqual(doc["type"], "https://recours.dev/problems/invalid-parameter")
                self.assertEqual([e["field"] for e in doc["errors"]], ["head"])
        run = cli(["audit", "verify", "--head", "12:xyz"], self.url, self.server.secrets_dir)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--head", run.stderr)


def sha256_chain_insert(i):
    """An INSERT of event i as the application wrote it before 0009 (unkeyed, in SQL)."""
    return ("WITH head AS (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1),"
            " n AS (SELECT coalesce((SELECT seq FROM head), 0) + 1 AS seq,"
            "  coalesce((SELECT hash FROM head), '\\x" + "00" * 32 + "'::bytea) AS prev,"
            "  date_trunc('microseconds', clock_timestamp()) AS at)"
            " INSERT INTO audit_events (seq, at, actor, action, object_type, object_id, digest,"
            "  prev_hash, hash)"
            " SELECT n.seq, n.at, 'operator', 'incident.create', 'incident', 'old-" + str(i)
            + "', sha256('change'::bytea), n.prev, sha256(n.prev || convert_to(n.seq::text"
            " || '|' || to_char(n.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            " || '|operator|incident.create|incident|old-" + str(i) + "|', 'UTF8')"
            " || sha256('change'::bytea)) FROM n")


class ResealTest(unittest.TestCase):
    """0009 on a database whose chain was written in the old, unkeyed format."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="recours_reseal_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.secrets = os.path.join(self.tmp, "secrets")
        run = cli(["secrets", "init", "--secrets-dir", self.secrets], "", self.secrets)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.old = os.path.join(self.tmp, "old")
        os.mkdir(self.old)
        for name in sorted(os.listdir(harness.migrations_dir())):
            if re.match(r"^000[1-8]_", name):
                shutil.copy(os.path.join(harness.migrations_dir(), name), self.old)
        self.url = cf.new_database("recours_reseal_", self.addCleanup)
        self.migrate(self.old, check=True)
        for i in range(1, 8):
            sql_on(self.url, sha256_chain_insert(i))

    def migrate(self, directory, check=False, secrets=True):
        env = dict(os.environ, DATABASE_URL=self.url)
        if secrets:
            env["RECOURS_SECRETS_DIR"] = self.secrets
        else:
            env["RECOURS_SECRETS_DIR"] = os.path.join(self.tmp, "none")
        run = subprocess.run([harness.recours_bin(), "migrate", "--migrations-dir", directory],
                             env=env, capture_output=True, text=True,
                             timeout=harness.RUN_TIMEOUT_S)
        if check:
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        return run

    def applied(self):
        return [int(r[0]) for r in sql_on(self.url, "SELECT version FROM schema_migrations"
                                                    " ORDER BY version")]

    def test_an_old_chain_is_resealed_under_the_key(self):
        run = self.migrate(harness.migrations_dir(), check=True)
        self.assertIn("applied 0009_audit_keyed.sql", run.stdout)
        head = cli(["audit", "head"], self.url, self.secrets).stdout.strip()
        self.assertRegex(head, r"^7:[0-9a-f]{64}$")
        self.assertIn(f"re-sealed 7 events under the audit key; keep the new head: {head}",
                      run.stdout)
        verify = cli(["audit", "verify", "--head", head], self.url, self.secrets)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        self.assertEqual(verify.stdout, f"ok: 7 events, head {head}\n")
        # the old formula no longer verifies a row: every link is the HMAC now
        key = audit_key(self.secrets)
        rows = sql_on(self.url, f"SELECT seq, {AT_TEXT}, actor, action, object_type, object_id,"
                                " encode(digest, 'hex'), encode(prev_hash, 'hex'),"
                                " encode(hash, 'hex') FROM audit_events ORDER BY seq")
        prev = bytes(32)
        for r in rows:
            msg = prev + ("|".join(r[:6]) + "|").encode() + bytes.fromhex(r[6])
            self.assertEqual(r[8], hmac.new(key, msg, hashlib.sha256).hexdigest())
            prev = bytes.fromhex(r[8])
        # and the table is append-only
        run = sql_on(self.url, "DELETE FROM audit_events WHERE seq = 7", check=False)
        self.assertIn(REFUSED, run.stderr)

    def test_a_head_stdout_cannot_take_rolls_the_reseal_back(self):
        """The new head is printed once, to be kept: a stdout that cannot take it (a full
        disk, here /dev/full) fails the run and rolls 0009 back, so that it can run again."""
        env = dict(os.environ, DATABASE_URL=self.url, RECOURS_SECRETS_DIR=self.secrets)
        with open("/dev/full", "w") as full:
            run = subprocess.run([harness.recours_bin(), "migrate", "--migrations-dir",
                                  harness.migrations_dir()], env=env, stdout=full,
                                 stderr=subprocess.PIPE, text=True,
                                 timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertIn("migrate: could not write to standard output; the audit chain's new head"
                      " is lost", run.stderr)
        self.assertEqual(self.applied(), list(range(1, 9)), "0009 is rolled back")
        again = self.migrate(harness.migrations_dir(), check=True)
        self.assertIn("re-sealed 7 events under the audit key", again.stdout)

    def test_a_broken_old_chain_is_not_sealed(self):
        sql_on(self.url, "UPDATE audit_events SET actor = 'operator-x' WHERE seq = 4")
        run = self.migrate(harness.migrations_dir())
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("already broken at seq 4", run.stderr)
        self.assertEqual(self.applied(), list(range(1, 9)), "0009 is rolled back")
        self.assertEqual(sql_on(self.url, "SELECT actor FROM audit_events WHERE seq = 4"),
                         [["operator-x"]])

    def test_without_the_secrets_nothing_is_sealed(self):
        run = self.migrate(harness.migrations_dir(), secrets=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("RECOURS_SECRETS_DIR", run.stderr)
        self.assertEqual(self.applied(), list(range(1, 9)))


if __name__ == "__main__":
    harness.main()
