#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cursor pagination over 10,000 members with inserts happening meanwhile (docs/api.md §7.3 "a walk
sees every item present at its start exactly once", GET /v1/actions/{id}/members).

The 10,000 members are loaded in SQL in one statement: claims with well-formed references
(RC- and Crockford base32, the table's CHECK), random 32-byte keys and hashes, a sealed-looking
`pii` of 64 bytes (the member list never opens it), mandated to the action by the web form,
and their memberships. Then GET …/members?limit=137 is walked to the end while other threads
add members through the API (new mandated submissions, which join at once, and additions by
reference): every member present at the start is seen exactly once, no reference twice, in
reference order. A forged cursor, and a cursor of another action's members or of another list,
answer 400 invalid-cursor.

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end): the
10,000 rows do not pile up in the shared one run after run.
"""

import secrets
import subprocess
import threading
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness

MEMBERS = 10_000
PAGE = 137
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


DB_URL = None   # the database of this file, made in setUpModule


def setUpModule():
    global DB_URL
    DB_URL = cf.new_database("recours_members_", unittest.addModuleCleanup, migrated=True)


def psql_script(sql):
    """Runs a script on this file's database (stdin, one transaction); the output."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-1", "-d", DB_URL], input=sql, capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"psql failed ({run.returncode}): {run.stderr.strip()}")
    return run.stdout


def psql_rows(sql):
    return [line.split("\t") for line in psql_script(sql).splitlines() if line]


def load_members(slug, assoc, action, n):
    """n claims mandated to action (web form) and in it, straight into the tables. References
    are consecutive base-32 numbers from a random start, so they do not meet another run's;
    one that meets an existing claim is skipped (ON CONFLICT), hence the count is returned."""
    seed = secrets.token_hex(8)
    start = secrets.randbelow(32 ** 8 - n)
    alphabet = cf.sql_literal(CROCKFORD)
    symbols = " || ".join(
        f"substr({alphabet}, ((v >> {5 * (7 - i)}) & 31)::int + 1, 1)"
        + (" || '-'" if i == 3 else "") for i in range(8))
    key = ("sha256(convert_to(" + cf.sql_literal(seed) + " || '{}' || g::text, 'UTF8'))")
    return int(psql_script(f"""
        WITH inc AS (SELECT id FROM incidents WHERE slug = {cf.sql_literal(slug)}),
        rows AS (
            SELECT g, ({start}::bigint + g) AS v FROM generate_series(1, {n}) g),
        c AS (
            INSERT INTO claims (incident_id, reference, token_hash, email_key, data_key_id, pii,
                                country, categories, payment_preference,
                                privacy_notice_version, created_at, updated_at,
                                mandate_action_id, mandate_association_id,
                                mandate_text_version, mandated_at, mandate_channel,
                                member_action_id, member_added_at)
            SELECT inc.id, 'RC-' || {symbols}, {key.format('t')}, {key.format('e')}, 1,
                   {key.format('p1')} || {key.format('p2')}, 'FR', 2, 'voucher',
                   {cf.sql_literal(cf.NOTICE_VERSION)}, now(), now(),
                   {cf.sql_literal(action['id'])}::uuid, {cf.sql_literal(assoc.id)}::uuid,
                   {cf.sql_literal(action['mandate_text_version'])}, now(), 'web-form',
                   {cf.sql_literal(action['id'])}::uuid, now()
            FROM rows, inc
            ON CONFLICT (reference) DO NOTHING
            RETURNING id)
        SELECT count(*) FROM c;
    """).strip())


def member_references(action_id):
    return {r[0] for r in psql_rows(
        "SELECT c.reference FROM claims c"
        f" WHERE c.member_action_id = {cf.sql_literal(action_id)}")}


class MemberPaginationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=6, database_url=DB_URL)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        af.set_up_open_action(self, self.server)

    def page(self, client, action, cursor=None, limit=PAGE):
        path = f"/v1/actions/{action['id']}/members?limit={limit}"
        if cursor is not None:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        return self.A.request("GET", path, client=client)

    def test_walk_sees_every_initial_member_once_while_members_are_added(self):
        loaded = load_members(self.slug, self.A, self.action, MEMBERS)
        self.assertGreaterEqual(loaded, MEMBERS - 5, "references met existing claims")
        initial = member_references(self.action["id"])
        self.assertEqual(len(initial), loaded)
        got = self.A.request("GET", f"/v1/actions/{self.action['id']}", client=self.c).json()
        self.assertEqual(got["member_count"], loaded)

        stop = threading.Event()
        added, errors = [], []

        def keep_adding(by_reference):
            try:
                with harness.Client(self.server) as c:
                    while not stop.is_set():
                        if by_reference:
                            claim = af.mandated_free_claim(self.server, self.slug, self.A,
                                                           self.action, client=c)
                            counts = af.add_members(self.A, self.action, [claim["reference"]],
                                                    client=c)
                            if counts["added"] != 1:
                                raise AssertionError(f"not added: {counts}")
                        else:
                            claim = af.mandated_claim(self.server, self.slug, self.action,
                                                      client=c)
                        added.append(claim["reference"])
            except BaseException as e:
                errors.append(e)

        adders = [threading.Thread(target=keep_adding, args=(i % 2 == 0,), daemon=True)
                  for i in range(3)]
        for t in adders:
            t.start()
        self.addCleanup(stop.set)
        seen, cursor, pages = [], None, 0
        max_pages = (MEMBERS + 2000) // PAGE   # far more than inserts can add: a loop guard
        try:
            while True:
                self.assertLess(pages, max_pages, "the walk does not end (cursor loop)")
                r = self.page(self.c, self.action, cursor)
                self.assertEqual(r.status, 200, repr(r))
                doc = r.json()
                self.assertLessEqual(len(doc["data"]), PAGE)
                seen += [m["reference"] for m in doc["data"]]
                pages += 1
                cursor = doc["next"]
                if cursor is None:
                    break
                self.assertEqual(len(doc["data"]), PAGE, "a page before the last is full")
        finally:
            stop.set()
            for t in adders:
                t.join(timeout=30)
        if errors:
            raise errors[0]
        self.assertGreater(len(added), 0, "no member was added during the walk")
        self.assertGreaterEqual(pages, MEMBERS // PAGE)
        self.assertEqual(len(seen), len(set(seen)), "a reference was seen twice")
        self.assertEqual(seen, sorted(seen), "members come in reference order")
        missing = initial - set(seen)
        self.assertEqual(missing, set(), f"{len(missing)} initial members were not seen")
        self.assertLessEqual(set(seen) - initial, set(added), "a reference from nowhere")
        # the walk afterwards, at rest, sees exactly the action's members
        after, cursor = [], None
        for _ in range(100):
            doc = self.page(self.c, self.action, cursor, limit=1000).json()
            after += [m["reference"] for m in doc["data"]]
            cursor = doc["next"]
            if cursor is None:
                break
        self.assertEqual(set(after), initial | set(added))
        self.assertEqual(len(after), len(set(after)))

    def test_country_filter_is_an_index_range(self):
        """A country none of the members has answers an empty page from the index of 0014
        (claims_members_country) without walking the action's members: at 1,000,000 members
        the walk read 47,600 pages for 2 s (bench/RESULTS.md)."""
        self.assertEqual(load_members(self.slug, self.A, self.action, 5000), 5000)
        psql_script("ANALYZE claims")
        r = self.A.request("GET", f"/v1/actions/{self.action['id']}/members?country=US",
                           client=self.c)
        self.assertEqual((r.status, r.json()["data"]), (200, []), repr(r))
        plan = psql_script(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT c.reference FROM claims c"
            f" WHERE c.member_action_id = {cf.sql_literal(self.action['id'])}::uuid"
            " AND c.country = 'US' AND c.payment_preference = 'cash'"
            " ORDER BY c.reference LIMIT 101")
        self.assertIn('"Index Name": "claims_members_country"', plan)
        self.assertNotIn("Rows Removed by Filter", plan.replace('"Rows Removed by Filter": 0', ""))

    def test_foreign_and_forged_cursors_are_refused(self):
        other = af.open_action(self.A, self.slug, client=self.c)
        for action in (self.action, other):
            for _ in range(2):
                af.mandated_claim(self.server, self.slug, action, client=self.c)
        r = self.page(self.c, other, limit=1)
        self.assertEqual(r.status, 200, repr(r))
        foreign = r.json()["next"]
        self.assertIsNotNone(foreign)
        r = self.page(self.c, other, cursor=foreign, limit=1)
        self.assertEqual(r.status, 200, "the cursor works on its own action")
        r = self.page(self.c, self.action, cursor=foreign)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        # a cursor of another list
        af.open_action(self.A, self.slug, client=self.c)
        r = self.A.request("GET", "/v1/actions?limit=1", client=self.c)
        list_cursor = r.json()["next"]
        self.assertIsNotNone(list_cursor)
        r = self.page(self.c, self.action, cursor=list_cursor)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        # forged: made up, or a real one with a character changed
        flipped = foreign[:-2] + ("A" if foreign[-2] != "A" else "B") + foreign[-1]
        for forged in ("AAAA", "not a cursor", flipped, foreign + "x", ""):
            with self.subTest(cursor=forged):
                r = self.page(self.c, other, cursor=forged)
                harness.assert_problem(self, r, 400, "invalid-cursor")
        # another association cannot walk this action at all
        b = af.approved_association(self.server, client=self.c)
        r = b.request("GET", f"/v1/actions/{other['id']}/members?cursor={foreign}",
                      client=self.c)
        harness.assert_problem(self, r, 404, "not-found")


if __name__ == "__main__":
    harness.main()
