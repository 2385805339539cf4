#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Associations, API keys, actions, members, mandates, the association's claim list and the
review of claims (docs/product.md §2, §4; docs/api.md §9, §10), through the real server, with
the stored effect checked in SQL where it counts. The operator's CLI (`recours association`,
`recours key`) is exercised against the same server.
"""

import datetime
import hashlib
import os
import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import openapi_check

SERVER = None


def setUpModule():
    global SERVER
    SERVER = cf.start_server()


def tearDownModule():
    SERVER.close()


class Base(unittest.TestCase):
    def setUp(self):
        self.server = SERVER
        self.c = harness.Client(SERVER)
        self.addCleanup(self.c.close)

    def op(self, method, path, body=None):
        return af.op(self.server, method, path, body, client=self.c)

    def assoc(self, **kw):
        return af.approved_association(self.server, client=self.c, **kw)

    def incident(self, **kw):
        return cf.make_incident(self.server, **kw)

    def action(self, assoc, slug, **kw):
        return af.open_action(assoc, slug, client=self.c, **kw)

    def mandated(self, slug, action, **kw):
        return af.mandated_claim(self.server, slug, action, client=self.c, **kw)

    def plain(self, slug, **kw):
        return af.plain_claim(self.server, slug, client=self.c, **kw)

    def errors(self, r):
        return cf.errors_of(self, r)

    def members(self, assoc, action):
        """Every member reference of an action (walking the cursor)."""
        refs, cursor = [], None
        for _ in range(100):
            path = f"/v1/actions/{action['id']}/members?limit=1000"
            if cursor:
                path += "&cursor=" + cursor
            r = assoc.request("GET", path, client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            page = r.json()
            refs += [m["reference"] for m in page["data"]]
            cursor = page["next"]
            if cursor is None:
                return refs
        self.fail("the member walk does not end")


# --- associations ---------------------------------------------------------------------------------

class AssociationsTest(Base):
    def test_create_answers_pending_with_location(self):
        body = af.association_body(country="be", approved_until="2030-12-31")
        r = self.op("POST", "/v1/associations", body)
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertEqual(set(doc), {"id", "name", "approval_reference", "approved_from",
                                    "approved_until", "country", "contact_email", "status",
                                    "created_at", "updated_at"})
        self.assertRegex(doc["id"], af.UUID_RE)
        self.assertEqual(r.headers["Location"], f"/v1/associations/{doc['id']}")
        self.assertEqual(doc["status"], "pending")
        self.assertEqual(doc["country"], "BE")
        self.assertEqual(doc["approved_until"], "2030-12-31")
        self.assertEqual(doc["name"], body["name"])
        self.assertRegex(doc["created_at"], cf.TIME_RE)

    def test_create_validation_reports_every_error(self):
        r = self.op("POST", "/v1/associations",
                    {"name": "", "approved_from": "2026-02-30", "country": "XX",
                     "contact_email": "nobody", "status": "approved", "colour": "red"})
        errs = self.errors(r)
        for expected in [("approval_reference", "required"), ("approved_from", "invalid-format"),
                         ("country", "invalid-value"), ("contact_email", "invalid-format"),
                         ("status", "read-only"), ("colour", "unknown-field")]:
            self.assertIn(expected, errs)
        self.assertTrue({e for e in errs if e[0] == "name"}, errs)
        r = self.op("POST", "/v1/associations",
                    af.association_body(approved_from="2026-05-01", approved_until="2026-04-30"))
        self.assertIn(("approved_until", "out-of-range"), self.errors(r))
        r = self.op("POST", "/v1/associations", af.association_body(name="x" * 201))
        self.assertIn(("name", "too-long"), self.errors(r))

    def test_patch_approve_suspend(self):
        obj = af.create_association(self.server, client=self.c)
        r = self.op("PATCH", f"/v1/associations/{obj['id']}", {"name": "Renamed"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json()["name"], r.json()["status"]), ("Renamed", "pending"))
        for status in ("approved", "suspended", "approved"):
            r = self.op("PATCH", f"/v1/associations/{obj['id']}", {"status": status})
            self.assertEqual(r.status, 200, repr(r))
            self.assertEqual(r.json()["status"], status)
        r = self.op("PATCH", f"/v1/associations/{obj['id']}", {"status": "pending"})
        self.assertIn(("status", "invalid-value"), self.errors(r))
        r = self.op("PATCH", f"/v1/associations/{obj['id']}", {"approved_until": "2000-01-01"})
        self.assertIn(("approved_until", "out-of-range"), self.errors(r))
        r = self.op("PATCH", f"/v1/associations/{obj['id']}", {"contact_email": None})
        self.assertEqual(r.status, 200, repr(r))
        self.assertIsNone(r.json()["contact_email"])
        r = self.op("PATCH", "/v1/associations/00000000-0000-4000-8000-000000000000",
                    {"name": "x"})
        harness.assert_problem(self, r, 404, "not-found")

    def public_list(self):
        """Every item of GET /v1/associations (walking the cursor)."""
        items, cursor = [], None
        while True:
            path = "/v1/associations?limit=1000" + (f"&cursor={cursor}" if cursor else "")
            r = af.request(self.server, "GET", path, client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            page = r.json()
            items += page["data"]
            cursor = page["next"]
            if cursor is None:
                return items

    def test_public_list_shows_only_approved_in_period(self):
        # the database's date decides, as the server asks it
        today = datetime.date.fromisoformat(cf.psql("SELECT current_date")[0][0])
        current = self.assoc(approved_until=(today + datetime.timedelta(days=10)).isoformat())
        ends_today = self.assoc(approved_until=today.isoformat())
        pending = af.create_association(self.server, client=self.c)
        suspended = af.suspended_association(self.server, client=self.c)
        past = af.lapsed_association(self.server, client=self.c)
        future = af.create_association(
            self.server, client=self.c,
            approved_from=(today + datetime.timedelta(days=3)).isoformat())
        future = af.patch_association(self.server, future["id"], {"status": "approved"})
        self.assertEqual(future["status"], "lapsed", "approved but not yet in period")
        listed = {item["id"]: item for item in self.public_list()}
        self.assertIn(current.id, listed)
        self.assertIn(ends_today.id, listed, "the last day of the period is inside it")
        for absent in (pending["id"], suspended.id, past.id, future["id"]):
            self.assertNotIn(absent, listed)
        self.assertEqual(listed[current.id],
                         {"id": current.id, "name": current.obj["name"],
                          "approval_reference": current.obj["approval_reference"],
                          "country": "FR", "approved_from": current.obj["approved_from"],
                          "approved_until": current.obj["approved_until"]})
        r = af.request(self.server, "GET", "/v1/associations?limit=0", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-parameter")
        r = af.request(self.server, "GET", "/v1/associations?cursor=forged", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")

    def test_lapsed_reads_but_does_not_write_until_renewed(self):
        slug = self.incident()
        x = self.assoc()
        action = self.action(x, slug)
        af.lapse(self.server, x, client=self.c)
        self.assertEqual(x.request("GET", "/v1/actions", client=self.c).status, 200)
        self.assertEqual(x.request("GET", f"/v1/actions/{action['id']}", client=self.c).status,
                         200)
        r = x.request("POST", "/v1/actions", af.action_body(slug), client=self.c)
        harness.assert_problem(self, r, 409, "approval-lapsed")
        r = x.request("PATCH", f"/v1/actions/{action['id']}", {"title": "x"}, client=self.c)
        harness.assert_problem(self, r, 409, "approval-lapsed")
        # its action takes no mandate while it is lapsed
        r = cf.submit(self.c, slug, cf.claim_body(action_id=action["id"],
                                                  mandate_text_version=af.MANDATE_VERSION))
        self.assertIn(("action_id", "unavailable"), self.errors(r))
        renewed = af.patch_association(self.server, x.id,
                                       {"approved_from": "2020-01-01", "approved_until": None})
        self.assertEqual(renewed["status"], "approved")
        self.assertEqual(x.request("POST", "/v1/actions", af.action_body(slug),
                                   client=self.c).status, 201)

    def test_pending_association_reads_but_does_not_write(self):
        obj = af.create_association(self.server, client=self.c)
        key = af.issue_key(self.server, obj["id"], client=self.c)
        x = af.Association(self.server, obj, key["secret"], key["id"])
        r = x.request("GET", "/v1/actions", client=self.c)
        self.assertEqual((r.status, r.json()["data"]), (200, []))
        r = x.request("POST", "/v1/actions", af.action_body(self.incident()), client=self.c)
        harness.assert_problem(self, r, 409, "approval-lapsed")


# --- keys -----------------------------------------------------------------------------------------

    def test_lower_case_country_is_taken_as_the_document_says(self):
        """The server takes a country in any case and stores it upper case; api/openapi.json's
        AssociationInput and AssociationPatch said upper case only, so a client validating
        its bodies refused what the server takes."""
        doc = openapi_check.document(harness.source_dir())
        body = af.association_body(country="de")
        schemas = doc.doc["components"]["schemas"]
        for name in ("AssociationInput", "AssociationPatch"):
            errors = list(doc.validator(schemas[name]).iter_errors(
                body if name == "AssociationInput" else {"country": "de"}))
            self.assertEqual(errors, [], name)
        r = self.op("POST", "/v1/associations", body)
        self.assertEqual(r.status, 201, repr(r))
        r = self.op("PATCH", f"/v1/associations/{r.json()['id']}", {"country": "nl"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["country"], "NL")

    def test_a_patch_names_dates_out_of_order_beside_its_other_errors(self):
        """docs/api.md §5.2: an approved_until before the stored approved_from (or an
        approved_from after the stored approved_until) was said only once the body's other
        errors were mended, by the write's transaction."""
        obj = af.create_association(self.server, client=self.c, approved_from="2026-05-01",
                                    approved_until="2026-12-31")
        path = f"/v1/associations/{obj['id']}"
        for dates in ({"approved_until": "2026-04-30"}, {"approved_from": "2027-01-01"},
                      {"approved_from": "2026-05-01", "approved_until": "2026-04-30"}):
            with self.subTest(dates=dates):
                errs = self.errors(self.op("PATCH", path, dict(dates, country="XX")))
                self.assertEqual(errs, {("approved_until", "out-of-range"),
                                        ("country", "invalid-value")})
        # dates in order, or one cleared, beside an error: only that error
        for dates in ({"approved_until": "2026-05-01"}, {"approved_until": None},
                      {"approved_from": "2026-12-31"}):
            with self.subTest(dates=dates):
                errs = self.errors(self.op("PATCH", path, dict(dates, country="XX")))
                self.assertEqual(errs, {("country", "invalid-value")})
        r = self.op("PATCH", path, {"name": "Unchanged"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json()["approved_from"], r.json()["approved_until"]),
                         ("2026-05-01", "2026-12-31"), "nothing refused was written")


class KeysTest(Base):
    def test_issue_shows_the_secret_once(self):
        x = self.assoc()
        r = self.op("POST", f"/v1/associations/{x.id}/keys", {"label": "dashboard"})
        self.assertEqual(r.status, 201, repr(r))
        key = r.json()
        self.assertEqual(set(key), {"id", "association_id", "label", "prefix", "secret",
                                    "created_at", "last_used_at", "revoked_at"})
        self.assertRegex(key["secret"], af.KEY_RE)
        self.assertRegex(key["prefix"], r"^rk_[A-Za-z0-9]{8}$")
        self.assertTrue(key["secret"].startswith(key["prefix"] + "_"))
        self.assertEqual((key["association_id"], key["label"]), (x.id, "dashboard"))
        self.assertIsNone(key["last_used_at"])
        self.assertIsNone(key["revoked_at"])
        secret = key["secret"]
        tail = secret[len(key["prefix"]) + 1:]
        # a second read of anything shows it nowhere
        k = af.Association(self.server, x.obj, secret, key["id"])
        action = self.action(k, self.incident())
        reads = [af.request(self.server, "GET", "/v1/associations?limit=1000", client=self.c),
                 k.request("GET", "/v1/actions", client=self.c),
                 k.request("GET", f"/v1/actions/{action['id']}", client=self.c),
                 self.op("PATCH", f"/v1/associations/{x.id}", {"name": "Same"}),
                 self.op("GET", "/v1/audit/verify")]
        for resp in reads:
            self.assertNotIn(tail.encode(), resp.body)
        # stored only as a keyed hash: the secret is in no column of any table
        hex_secret = secret.encode().hex()
        tables = [row[0] for row in cf.psql(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")]
        self.assertIn("api_keys", tables)
        checks = " UNION ALL ".join(
            f"SELECT '{t}', count(*) FROM \"{t}\" x WHERE strpos(x::text, {cf.sql_literal(tail)})"
            f" > 0 OR strpos(x::text, {cf.sql_literal(hex_secret[24:])}) > 0" for t in tables)
        found = [row for row in cf.psql(checks) if row[1] != "0"]
        self.assertEqual(found, [], "the key's secret is stored somewhere")
        rows = cf.psql("SELECT encode(secret_hash, 'hex'), prefix FROM api_keys"
                       f" WHERE id = {cf.sql_literal(key['id'])}")
        self.assertEqual(rows[0][1], key["prefix"])
        self.assertNotEqual(rows[0][0], hashlib.sha256(secret.encode()).hexdigest(),
                            "a bare hash of the key, not a keyed one")
        self.assertNotIn(tail, self.server.log_text())

    def test_issue_for_unknown_association_and_bad_label(self):
        r = self.op("POST", "/v1/associations/00000000-0000-4000-8000-000000000000/keys", {})
        harness.assert_problem(self, r, 404, "not-found")
        x = self.assoc()
        r = self.op("POST", f"/v1/associations/{x.id}/keys", {"label": "l" * 201})
        self.assertIn(("label", "too-long"), self.errors(r))
        r = self.op("POST", f"/v1/associations/{x.id}/keys", {"owner": "me"})
        self.assertIn(("owner", "unknown-field"), self.errors(r))
        r = af.request(self.server, "POST", f"/v1/associations/{x.id}/keys",
                       token=self.server.operator_key, client=self.c)
        self.assertEqual(r.status, 201, "a key without body: no label")
        self.assertIsNone(r.json()["label"])

    def test_revoke_then_401_and_repeat_204(self):
        x = self.assoc()
        self.assertEqual(x.request("GET", "/v1/actions", client=self.c).status, 200)
        r = self.op("DELETE", f"/v1/keys/{x.key_id}")
        self.assertEqual((r.status, r.body), (204, b""))
        r = x.request("GET", "/v1/actions", client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")
        self.assertIn("Bearer", r.headers.get("WWW-Authenticate", ""))
        r = self.op("DELETE", f"/v1/keys/{x.key_id}")
        self.assertEqual((r.status, r.body), (204, b""))
        revoked = cf.psql(f"SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = "
                          f"{cf.sql_literal(x.key_id)}")
        self.assertEqual(revoked, [["t"]])
        r = self.op("DELETE", "/v1/keys/00000000-0000-4000-8000-000000000000")
        harness.assert_problem(self, r, 404, "not-found")
        # the association's other keys still work
        other = af.issue_key(self.server, x.id, client=self.c)
        r = af.request(self.server, "GET", "/v1/actions", token=other["secret"], client=self.c)
        self.assertEqual(r.status, 200)

    def test_last_used_at_is_set_after_use(self):
        x = self.assoc()
        query = ("SELECT last_used_at IS NOT NULL FROM api_keys"
                 f" WHERE id = {cf.sql_literal(x.key_id)}")
        self.assertEqual(cf.psql(query), [["f"]])
        self.assertEqual(x.request("GET", "/v1/actions", client=self.c).status, 200)
        harness.poll(lambda: cf.psql(query) == [["t"]], 5.0, what="last_used_at set")

    def test_a_forged_key_of_a_real_prefix_is_401(self):
        x = self.assoc()
        forged = x.key[:12] + ("A" if x.key[12] != "A" else "B") + x.key[13:]
        r = af.request(self.server, "GET", "/v1/actions", token=forged, client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")
        r = af.request(self.server, "GET", "/v1/actions", token=x.key + "x", client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")


class CliTest(Base):
    """`recours association …` and `recours key …` on the server's database and secrets."""

    def cli(self, *args, secrets=True):
        env = dict(os.environ, DATABASE_URL=self.server.database_url)
        if secrets:
            env["RECOURS_SECRETS_DIR"] = self.server.secrets_dir
        return subprocess.run([harness.recours_bin()] + list(args), env=env,
                              capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)

    def test_register_approve_issue_use_revoke(self):
        name = "Cli " + cf.letters(8)
        run = self.cli("association", "add", "--name", name, "--approval-reference", "AGR-CLI",
                       "--approved-from", "2025-01-01", "--country", "fr",
                       "--contact-email", "cli@example.org")
        self.assertEqual(run.returncode, 0, run.stderr)
        words = run.stdout.split()
        self.assertEqual(words[:1] + words[2:], ["association", "added", "(pending)"],
                         run.stdout)
        assoc_id = words[1]
        self.assertRegex(assoc_id, af.UUID_RE)
        rows = cf.psql(f"SELECT name, country, status FROM associations WHERE id = '{assoc_id}'")
        self.assertEqual(rows, [[name, "FR", "pending"]])
        self.assertEqual(self.cli("association", "approve", assoc_id).returncode, 0)
        run = self.cli("key", "issue", "--association", assoc_id, "--label", "cli")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = run.stdout.splitlines()
        secret = lines[lines.index("secret (shown once, store it now):") + 1]
        self.assertRegex(secret, af.KEY_RE)
        key_id = lines[0].split()[1]
        x = af.Association(self.server, {"id": assoc_id}, secret, key_id)
        slug = self.incident()
        self.action(x, slug)  # approved: it writes
        self.assertEqual(self.cli("association", "suspend", assoc_id).returncode, 0)
        r = x.request("POST", "/v1/actions", af.action_body(slug), client=self.c)
        harness.assert_problem(self, r, 409, "approval-lapsed")
        run = self.cli("key", "revoke", key_id)
        self.assertEqual((run.returncode, run.stdout.strip()), (0, f"key {key_id} revoked"))
        r = x.request("GET", "/v1/actions", client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")
        self.assertEqual(self.cli("key", "revoke", key_id).returncode, 0, "revoke twice")
        actors = cf.psql("SELECT actor, action FROM audit_events WHERE object_id IN "
                         f"('{assoc_id}', '{key_id}') ORDER BY seq")
        self.assertEqual(actors, [["operator", "association.create"],
                                  ["operator", "association.update"],
                                  ["operator", "key.issue"],
                                  ["operator", "association.update"],
                                  ["operator", "key.revoke"], ["operator", "key.revoke"]])

    def test_operator_api_key(self):
        run = self.cli("key", "issue", "--operator")
        self.assertEqual(run.returncode, 0, run.stderr)
        lines = run.stdout.splitlines()
        secret = lines[lines.index("secret (shown once, store it now):") + 1]
        key_id = lines[0].split()[1]
        self.assertEqual(cf.psql(f"SELECT association_id IS NULL FROM api_keys WHERE id = "
                                 f"'{key_id}'"), [["t"]])
        r = af.request(self.server, "GET", "/v1/audit/verify", token=secret, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = af.request(self.server, "GET", "/v1/actions", token=secret, client=self.c)
        harness.assert_problem(self, r, 404, "not-found")
        self.assertEqual(self.cli("key", "revoke", key_id).returncode, 0)
        r = af.request(self.server, "GET", "/v1/audit/verify", token=secret, client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")

    def test_key_issued_to_a_full_stdout_fails_and_names_the_key(self):
        """The secret is shown once and only its hash kept: a stdout that cannot take it (a
        full disk, here /dev/full) fails the run and says which key to revoke."""
        env = dict(os.environ, DATABASE_URL=self.server.database_url,
                   RECOURS_SECRETS_DIR=self.server.secrets_dir)
        with open("/dev/full", "w") as full:
            run = subprocess.run([harness.recours_bin(), "key", "issue", "--operator",
                                  "--label", "to-dev-full"], env=env, stdout=full,
                                 stderr=subprocess.PIPE, text=True,
                                 timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 1, run.stderr)
        key_id = cf.psql("SELECT id FROM api_keys WHERE label = 'to-dev-full'")[0][0]
        self.assertIn(f"revoke key {key_id}", run.stderr)
        self.assertEqual(self.cli("key", "revoke", key_id).returncode, 0)

    def test_invalid_input_exits_2_and_unknown_ids_exit_1(self):
        base = ["association", "add", "--name", "N", "--approval-reference", "R",
                "--country", "FR"]
        cases = [
            (base + ["--approved-from", "2025-02-30"], "--approved-from"),
            (base + ["--approved-from", "2025-02-01", "--approved-until", "2025-01-31"],
             "--approved-until"),
            (base[:-1] + ["XX", "--approved-from", "2025-02-01"], "--country"),
            (base + ["--approved-from", "2025-02-01", "--contact-email", "nope"],
             "--contact-email"),
            (base + ["--approved-from", "2025-02-01", "--colour", "red"], "--colour"),
            (["association", "add", "--name", "N"], "--approval-reference is required"),
            (["association", "approve", "not-a-uuid"], "UUID"),
            (["association", "frobnicate"], "usage"),
            (["key", "issue", "--operator", "--association",
              "00000000-0000-4000-8000-000000000000"], "exactly one"),
            (["key", "issue"], "exactly one"),
            (["key", "revoke", "xyz"], "UUID"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                run = self.cli(*args)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertIn(word, run.stderr)
                self.assertEqual(run.stdout, "")
        unknown = "00000000-0000-4000-8000-000000000000"
        for args in (["association", "approve", unknown], ["key", "revoke", unknown],
                     ["key", "issue", "--association", unknown]):
            with self.subTest(args=args):
                run = self.cli(*args)
                self.assertEqual(run.returncode, 1, run.stderr)
                self.assertIn("no ", run.stderr)
        run = subprocess.run([harness.recours_bin(), "key", "revoke", unknown],
                             env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                             capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 2)
        self.assertIn("DATABASE_URL", run.stderr)

    def test_every_operator_command_answers_help_without_a_database(self):
        """`recours <command> --help` prints the command's usage on stdout and exits 0, with or
        without DATABASE_URL: `incident --help` said "set DATABASE_URL" (exit 2), or printed
        its usage as an error."""
        no_db = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        for command in ("incident", "association", "key", "audit", "eligibility"):
            for env in (no_db, dict(no_db, DATABASE_URL=self.server.database_url)):
                with self.subTest(command=command, database="DATABASE_URL" in env):
                    run = subprocess.run([harness.recours_bin(), command, "--help"], env=env,
                                         capture_output=True, text=True,
                                         timeout=harness.RUN_TIMEOUT_S)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    self.assertTrue(run.stdout.startswith(f"usage: recours {command} "),
                                    run.stdout)


# --- actions --------------------------------------------------------------------------------------

class ActionsTest(Base):
    def test_create_reads_back(self):
        x = self.assoc()
        slug = self.incident()
        body = af.action_body(slug, legal_basis="fr-lil-art37")
        r = x.request("POST", "/v1/actions", body, client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        doc = r.json()
        self.assertEqual(r.headers["Location"], f"/v1/actions/{doc['id']}")
        self.assertEqual(set(doc), {"id", "association_id", "incident", "title", "legal_basis",
                                    "opt_in_deadline", "counsel_name", "counsel_email",
                                    "mandate_text", "mandate_text_version", "status",
                                    "member_count", "created_at", "updated_at",
                                    # the public record (docs/api.md §10.8)
                                    "next_date", "next_date_note", "funding_sources",
                                    "fees_charged", "mandate_text_en", "history"})
        self.assertEqual((doc["association_id"], doc["incident"], doc["status"],
                          doc["member_count"], doc["legal_basis"]),
                         (x.id, slug, "open", 0, "fr-lil-art37"))
        self.assertRegex(doc["opt_in_deadline"], cf.TIME_RE)
        r = x.request("GET", f"/v1/actions/{doc['id']}", client=self.c)
        self.assertEqual(r.json(), doc)

    def test_create_validation(self):
        x = self.assoc()
        slug = self.incident()
        past = "2020-01-01T00:00:00Z"
        r = x.request("POST", "/v1/actions",
                      {"incident": slug, "title": "", "legal_basis": "class-action",
                       "opt_in_deadline": past, "counsel_email": "counsel",
                       "mandate_text_version": "v" * 65, "status": "filed", "extra": 1},
                      client=self.c)
        errs = self.errors(r)
        for expected in [("legal_basis", "invalid-value"), ("opt_in_deadline", "out-of-range"),
                         ("counsel_name", "required"), ("counsel_email", "invalid-format"),
                         ("mandate_text", "required"), ("mandate_text_version", "too-long"),
                         ("status", "read-only"), ("extra", "unknown-field")]:
            self.assertIn(expected, errs)
        self.assertTrue([e for e in errs if e[0] == "title"], errs)
        r = x.request("POST", "/v1/actions", af.action_body(slug, opt_in_deadline="tomorrow"),
                      client=self.c)
        self.assertIn(("opt_in_deadline", "invalid-format"), self.errors(r))
        r = x.request("POST", "/v1/actions", af.action_body("no-such-incident-" + cf.suffix()),
                      client=self.c)
        self.assertEqual(self.errors(r), {("incident", "not-found")})
        closed = self.incident()
        cf.close_incident(self.server, closed)
        r = x.request("POST", "/v1/actions", af.action_body(closed), client=self.c)
        self.assertEqual(self.errors(r), {("incident", "not-found")})
        for basis in af.LEGAL_BASES:
            r = x.request("POST", "/v1/actions", af.action_body(slug, legal_basis=basis),
                          client=self.c)
            self.assertEqual(r.status, 201, f"{basis}: {r!r}")

    def test_lifecycle_transitions(self):
        x = self.assoc()
        slug = self.incident()
        allowed = [["filed", "settled", "closed"], ["closed"], ["filed", "closed"]]
        for path in allowed:
            action = self.action(x, slug)
            for status in path:
                r = x.request("PATCH", f"/v1/actions/{action['id']}", {"status": status},
                              client=self.c)
                self.assertEqual(r.status, 200, f"→ {status}: {r!r}")
                self.assertEqual(r.json()["status"], status)
        forbidden = [([], "settled"), (["filed"], "open"), (["filed", "settled"], "filed"),
                     (["filed", "settled"], "open"), (["closed"], "open"),
                     (["closed"], "filed"), (["filed", "settled", "closed"], "settled")]
        for before, status in forbidden:
            with self.subTest(before=before, to=status):
                action = self.action(x, slug)
                for s in before:
                    af.set_action_status(x, action, s, client=self.c)
                r = x.request("PATCH", f"/v1/actions/{action['id']}", {"status": status},
                              client=self.c)
                harness.assert_problem(self, r, 409, "invalid-transition")
                now = (before or ["open"])[-1]
                # the detail names the moves allowed from there, for an integrator
                moves = {"open": "filed or closed", "filed": "settled or closed", "settled": "closed"}
                self.assertEqual(r.json()["detail"], f"the action is {now}: it may move to {moves[now]}, "
                                 f"not to {status}" if now in moves else f"the action is {now}: it moves no further")
                got = x.request("GET", f"/v1/actions/{action['id']}", client=self.c).json()
                self.assertEqual(got["status"], now)
        action = self.action(x, slug)
        r = x.request("PATCH", f"/v1/actions/{action['id']}", {"status": "archived"},
                      client=self.c)
        self.assertIn(("status", "invalid-value"), self.errors(r))
        r = x.request("PATCH", f"/v1/actions/{action['id']}", {"incident": self.incident()},
                      client=self.c)
        self.assertIn(("incident", "immutable"), self.errors(r))
        r = x.request("PATCH", f"/v1/actions/{action['id']}",
                      {"title": "New title", "mandate_text_version": "2026-04-b"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual((r.json()["title"], r.json()["mandate_text_version"]),
                         ("New title", "2026-04-b"))

    def test_list_filters_and_cursor(self):
        x = self.assoc()
        other = self.assoc()
        i1, i2 = self.incident(), self.incident()
        a1 = self.action(x, i1)
        a2 = self.action(x, i1)
        a3 = self.action(x, i2)
        self.action(other, i1)
        af.set_action_status(x, a2, "filed", client=self.c)

        def ids(query):
            r = x.request("GET", "/v1/actions" + query, client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            return [a["id"] for a in r.json()["data"]]

        self.assertEqual(ids(""), [a1["id"], a2["id"], a3["id"]])
        self.assertEqual(ids(f"?incident={i1}"), [a1["id"], a2["id"]])
        self.assertEqual(ids("?status=filed"), [a2["id"]])
        self.assertEqual(ids(f"?incident={i2}&status=open"), [a3["id"]])
        self.assertEqual(ids(f"?incident={i2}&status=filed"), [])
        seen, cursor = [], None
        while True:
            page = x.request("GET", "/v1/actions?limit=1" + (f"&cursor={cursor}" if cursor
                                                              else ""), client=self.c).json()
            seen += [a["id"] for a in page["data"]]
            cursor = page["next"]
            if cursor is None:
                break
        self.assertEqual(seen, [a1["id"], a2["id"], a3["id"]])
        r = x.request("GET", "/v1/actions?status=pending", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-parameter")
        r = x.request("GET", "/v1/actions?limit=1001", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-parameter")
        r = x.request("GET", "/v1/actions?cursor=AAAA", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        # a genuine cursor of x's list is not one of other's: each list is the caller's own
        # (it walked other's actions from x's position)
        first = x.request("GET", "/v1/actions?limit=1", client=self.c).json()["next"]
        self.assertIsNotNone(first)
        r = other.request("GET", f"/v1/actions?cursor={first}", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")

    def test_an_incident_without_actions_is_said_with_the_other_errors(self):
        """POST /v1/actions names an unknown or closed incident beside the body's other errors
        (docs/api.md §5.2); it was said only once they were mended."""
        x = self.assoc()
        closed = self.incident()
        cf.close_incident(self.server, closed)
        for slug in ("no-such-incident-" + cf.suffix(6), closed):
            r = x.request("POST", "/v1/actions", af.action_body(slug, title="", legal_basis="x"),
                          client=self.c)
            self.assertEqual(self.errors(r), {("incident", "not-found"), ("title", "required"),
                                              ("legal_basis", "invalid-value")}, slug)
        r = x.request("POST", "/v1/actions", af.action_body(self.incident(), title=""),
                      client=self.c)
        self.assertEqual(self.errors(r), {("title", "required")})


# --- members --------------------------------------------------------------------------------------

class MembersTest(Base):
    def test_add_by_references_counts_every_outcome(self):
        x, y = self.assoc(), self.assoc()
        slug, elsewhere = self.incident(), self.incident()
        here = self.action(x, slug)
        second = self.action(x, slug)
        theirs = self.action(y, slug)
        x_elsewhere = self.action(x, elsewhere)
        free = af.mandated_free_claim(self.server, slug, x, here, client=self.c)
        member = self.mandated(slug, here)
        in_second = self.mandated(slug, second)
        withdrawn = af.mandated_free_claim(self.server, slug, x, here, client=self.c)
        r = af.request(self.server, "DELETE", f"/v1/claims/{withdrawn['reference']}",
                       token=withdrawn["token"], client=self.c)
        self.assertEqual(r.status, 200)
        other_incident = af.mandated_free_claim(self.server, elsewhere, x, x_elsewhere,
                                                client=self.c)
        unmandated = self.plain(slug)
        mandated_to_y = af.mandated_free_claim(self.server, slug, y, theirs, client=self.c)
        refs = [free["reference"], free["reference"].lower(), member["reference"],
                in_second["reference"], withdrawn["reference"], other_incident["reference"],
                unmandated["reference"], mandated_to_y["reference"], "RC-0000-0000"]
        counts = af.add_members(x, here, refs, client=self.c)
        self.assertEqual(counts, {"added": 1, "already_in_action": 1, "in_other_action": 1,
                                  "not_mandated": 5})
        self.assertEqual(sum(counts.values()), len({r.upper() for r in refs}))
        stored = af.memberships_of_claims([free["reference"], member["reference"],
                                           in_second["reference"], withdrawn["reference"],
                                           other_incident["reference"],
                                           unmandated["reference"],
                                           mandated_to_y["reference"]])
        self.assertEqual(stored, {free["reference"]: here["id"],
                                  member["reference"]: here["id"],
                                  in_second["reference"]: second["id"]})
        self.assertEqual(sorted(self.members(x, here)),
                         sorted([free["reference"], member["reference"]]))
        got = x.request("GET", f"/v1/actions/{here['id']}", client=self.c).json()
        self.assertEqual(got["member_count"], 2)
        # the same call again: nothing new
        again = af.add_members(x, here, refs, client=self.c)
        self.assertEqual(again, {"added": 0, "already_in_action": 2, "in_other_action": 1,
                                 "not_mandated": 5})

    def test_references_validation(self):
        x = self.assoc()
        action = self.action(x, self.incident())
        path = f"/v1/actions/{action['id']}/members"
        cases = [({}, ("references", "required")),
                 ({"references": [], "filter": {}}, ("references", "required")),
                 ({"references": []}, ("references", "too-short")),
                 ({"references": ["RC-0000-0000"] * 1001}, ("references", "too-long")),
                 ({"references": "RC-0000-0000"}, ("references", "invalid-type")),
                 ({"references": [12]}, ("references[0]", "invalid-type")),
                 ({"references": ["RC-0000-0000", "RC-ILOU-1234"]},
                  ("references[1]", "invalid-value")),
                 ({"filter": {"colour": "red"}}, ("filter.colour", "unknown-field")),
                 ({"filter": {"category": "shoe"}}, ("filter.category", "invalid-value")),
                 ({"filter": {"submitted_after": "yesterday"}},
                  ("filter.submitted_after", "invalid-format")),
                 ({"refs": ["RC-0000-0000"]}, ("refs", "unknown-field"))]
        for body, expected in cases:
            with self.subTest(body=str(body)[:60]):
                r = x.request("POST", path, body, client=self.c)
                self.assertIn(expected, self.errors(r))

    def test_add_by_filter(self):
        x, y = self.assoc(), self.assoc()
        slug = self.incident(data_categories=["name", "email", "phone", "postal_address",
                                              "birth_date", "password", "financial", "health"])
        intake = self.action(x, slug)
        target = self.action(x, slug)
        theirs = self.action(y, slug)

        def claim(**kw):
            return af.mandated_free_claim(self.server, slug, x, intake, client=self.c, **kw)

        fr_email = claim()
        be_health = claim(claimant={"address": {"country": "BE"}, "phone": cf.DROP},
                          data_categories=["email", "health"])
        verified = claim()
        r = x.request("PATCH", f"/v1/claims/{verified['reference']}/status",
                      {"status": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        stays_in_intake = self.mandated(slug, intake)
        ys = af.mandated_free_claim(self.server, slug, y, theirs, client=self.c)
        path = f"/v1/actions/{target['id']}/members"

        def add(flt):
            r = x.request("POST", path, {"filter": flt}, client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            return r.json()

        self.assertEqual(add({"country": "BE"}), {"added": 1, "already_in_action": 0,
                                                  "in_other_action": 0, "not_mandated": 0})
        self.assertEqual(add({"category": "health"}), {"added": 0, "already_in_action": 1,
                                                       "in_other_action": 0,
                                                       "not_mandated": 0})
        self.assertEqual(add({"status": "verified"})["added"], 1)
        future = af.future_deadline(days=1)
        self.assertEqual(add({"submitted_after": future})["added"], 0)
        everything = add({})
        self.assertEqual(everything, {"added": 1, "already_in_action": 2,
                                      "in_other_action": 1, "not_mandated": 0})
        self.assertEqual(sorted(self.members(x, target)),
                         sorted([fr_email["reference"], be_health["reference"],
                                 verified["reference"]]))
        stored = af.memberships_of_claims([stays_in_intake["reference"], ys["reference"]])
        self.assertEqual(stored, {stays_in_intake["reference"]: intake["id"]})

    def test_filter_country_is_a_country_in_any_case(self):
        """docs/api.md §9.1: countries are ISO 3166-1 in any case, stored upper; the claim list's
        ?country= reads them so, and so must the members filter."""
        x = self.assoc()
        slug = self.incident()
        intake, target = self.action(x, slug), self.action(x, slug)
        be = af.mandated_free_claim(self.server, slug, x, intake, client=self.c,
                                    claimant={"address": {"country": "BE"}, "phone": cf.DROP})
        path = f"/v1/actions/{target['id']}/members"
        r = x.request("POST", path, {"filter": {"country": "XX"}}, client=self.c)
        self.assertIn(("filter.country", "invalid-value"), self.errors(r))
        r = x.request("POST", path, {"filter": {"country": "be"}}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["added"], 1, "a lower-case country meets the BE claim")
        self.assertEqual(af.memberships_of_claims([be["reference"]]),
                         {be["reference"]: target["id"]})

    def test_action_not_open(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        free = af.mandated_free_claim(self.server, slug, x, action, client=self.c)
        af.set_action_status(x, action, "filed", client=self.c)
        path = f"/v1/actions/{action['id']}/members"
        for body in ({"references": [free["reference"]]}, {"filter": {}}):
            r = x.request("POST", path, body, client=self.c)
            harness.assert_problem(self, r, 409, "action-not-open")
        self.assertEqual(af.memberships_of_claims([free["reference"]]), {})
        # a claim cannot mandate a filed action either
        r = cf.submit(self.c, slug, cf.claim_body(action_id=action["id"],
                                                  mandate_text_version=af.MANDATE_VERSION))
        self.assertIn(("action_id", "unavailable"), self.errors(r))

    def test_remove_member_then_404(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.mandated(slug, action)
        path = f"/v1/actions/{action['id']}/members/{claim['reference'].lower()}"
        r = x.request("DELETE", path, client=self.c)
        self.assertEqual((r.status, r.body), (204, b""), "a lower-case reference in the path")
        r = x.request("DELETE", path, client=self.c)
        harness.assert_problem(self, r, 404, "not-found")
        self.assertEqual(af.memberships_of_claims([claim["reference"]]), {})
        # still mandated to the association: it may add it again
        self.assertEqual(af.mandate_of(claim["reference"])[1], x.id)
        self.assertEqual(af.add_members(x, action, [claim["reference"]], client=self.c)["added"],
                         1)
        r = x.request("DELETE", f"/v1/actions/{action['id']}/members/RC-0000-0000",
                      client=self.c)
        harness.assert_problem(self, r, 404, "not-found")

    def test_withdrawn_claim_leaves_its_action(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        stays = self.mandated(slug, action)
        leaves = self.mandated(slug, action)
        r = af.request(self.server, "DELETE", f"/v1/claims/{leaves['reference']}",
                       token=leaves["token"], client=self.c)
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.json()["action_id"])
        self.assertEqual(self.members(x, action), [stays["reference"]])
        self.assertEqual(af.memberships_of_claims([leaves["reference"]]), {})
        got = x.request("GET", f"/v1/actions/{action['id']}", client=self.c).json()
        self.assertEqual(got["member_count"], 1)
        counts = af.add_members(x, action, [leaves["reference"]], client=self.c)
        self.assertEqual(counts["not_mandated"], 1)

    def test_member_list_items(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claims = [self.mandated(slug, action) for _ in range(5)]
        r = x.request("GET", f"/v1/actions/{action['id']}/members?limit=2", client=self.c)
        self.assertEqual(r.status, 200)
        page = r.json()
        self.assertEqual(len(page["data"]), 2)
        self.assertIsNotNone(page["next"])
        item = page["data"][0]
        self.assertEqual(set(item), {"reference", "claim_status", "country", "data_categories",
                                     "added_at", "mandated_at", "mandate_text_version",
                                     "channel", "payment_preference", "email_confirmed",
                                     "reviewed_at", "review_reason", "correctable_until",
                                     "duplicate_attempts"})
        self.assertEqual((item["claim_status"], item["country"], item["data_categories"],
                          item["mandate_text_version"], item["channel"]),
                         ("received", "FR", ["email", "password"], af.MANDATE_VERSION,
                          "web-form"))
        self.assertEqual(self.members(x, action), sorted(c["reference"] for c in claims))

    def test_both_references_and_filter_name_the_errors_inside_each(self):
        """docs/api.md §5.2: a body giving both was told only "give exactly one"; mending that
        by dropping either then met the errors inside the one kept."""
        x = self.assoc()
        action = self.action(x, self.incident())
        r = x.request("POST", f"/v1/actions/{action['id']}/members",
                      {"references": ["RC-0000-0000", "RC-ILOU-1234"],
                       "filter": {"category": "shoe", "colour": "red"}}, client=self.c)
        self.assertEqual(self.errors(r),
                         {("filter.category", "invalid-value"), ("filter.colour", "unknown-field"),
                          ("references", "required"), ("references[1]", "invalid-value")})


# --- mandates -------------------------------------------------------------------------------------

class MandatesTest(Base):
    def claim_view(self, claim):
        r = af.request(self.server, "GET", f"/v1/claims/{claim['reference']}",
                       token=claim["token"], client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        return r.json()

    def test_mandate_with_the_form(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.mandated(slug, action)
        view = self.claim_view(claim)
        self.assertEqual(view["action_id"], action["id"])
        self.assertEqual(view["mandate"]["action_id"], action["id"])
        self.assertEqual(view["mandate"]["mandate_text_version"], af.MANDATE_VERSION)
        self.assertEqual(view["mandate"]["channel"], "web-form")
        self.assertRegex(view["mandate"]["mandated_at"], cf.TIME_RE)
        self.assertEqual(af.mandate_of(claim["reference"]), (action["id"], x.id, "web-form"))
        self.assertEqual(af.memberships_of_claims([claim["reference"]]),
                         {claim["reference"]: action["id"]})

    def test_mandate_with_the_form_refused(self):
        x = self.assoc()
        slug, other = self.incident(), self.incident()
        action = self.action(x, slug)
        elsewhere = self.action(x, other)
        passed = self.action(x, slug)
        cf.psql("UPDATE actions SET opt_in_deadline = now() - interval '1 hour'"
                f" WHERE id = {cf.sql_literal(passed['id'])}")
        for action_id in (elsewhere["id"], passed["id"], "00000000-0000-4000-8000-000000000000",
                          "not-a-uuid"):
            with self.subTest(action_id=action_id):
                r = cf.submit(self.c, slug, cf.claim_body(
                    action_id=action_id, mandate_text_version=af.MANDATE_VERSION))
                self.assertEqual(self.errors(r), {("action_id", "unavailable")})
        r = cf.submit(self.c, slug, cf.claim_body(action_id=action["id"],
                                                  mandate_text_version="2025-old"))
        self.assertEqual(self.errors(r), {("mandate_text_version", "mismatch")})
        r = cf.submit(self.c, slug, cf.claim_body(action_id=action["id"]))
        self.assertEqual(self.errors(r), {("mandate_text_version", "required")})
        # beside another mistake, every one is named at once (docs/api.md §5.2): the action
        # that takes no mandate, and a version that is not the action's
        bad_email = {"claimant": {"email": "not-an-email"}}
        cases = (
            ({"action_id": "00000000-0000-4000-8000-000000000000"},
             {("action_id", "unavailable"), ("mandate_text_version", "required")}),
            ({"action_id": passed["id"], "mandate_text_version": af.MANDATE_VERSION},
             {("action_id", "unavailable")}),
            ({"action_id": action["id"], "mandate_text_version": "2025-old"},
             {("mandate_text_version", "mismatch")}),
            ({"action_id": action["id"], "mandate_text_version": af.MANDATE_VERSION}, set()),
        )
        for fields, mandate_errors in cases:
            with self.subTest(**fields):
                r = cf.submit(self.c, slug, cf.claim_body(**bad_email, **fields))
                self.assertEqual(self.errors(r),
                                 {("claimant.email", "invalid-format")} | mandate_errors)

    def test_mandate_later_by_patch_then_revoke(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.plain(slug)
        self.assertIsNone(self.claim_view(claim)["mandate"])
        view = af.mandate_later(self.server, claim, action, client=self.c)
        self.assertEqual(view["action_id"], action["id"])
        self.assertEqual((view["mandate"]["action_id"], view["mandate"]["channel"]),
                         (action["id"], "api"))
        r = x.request("GET", f"/v1/actions/{action['id']}/members", client=self.c)
        self.assertEqual([(m["reference"], m["channel"]) for m in r.json()["data"]],
                         [(claim["reference"], "api")])
        # the same action again: confirmed, nothing changes
        again = af.mandate_later(self.server, claim, action, client=self.c)
        self.assertEqual(again["mandate"]["mandated_at"], view["mandate"]["mandated_at"])
        # null revokes and leaves
        r = af.claimant_patch(self.server, claim, {"action_id": None}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertIsNone(r.json()["mandate"])
        self.assertIsNone(r.json()["action_id"])
        self.assertEqual(af.mandate_of(claim["reference"]), (None, None, None))
        self.assertEqual(af.memberships_of_claims([claim["reference"]]), {})
        r = x.request("GET", f"/v1/incidents/{slug}/claims", client=self.c)
        self.assertEqual(r.json()["data"], [])
        r = x.request("PATCH", f"/v1/claims/{claim['reference']}/status",
                      {"status": "verified"}, client=self.c)
        harness.assert_problem(self, r, 404, "not-found")

    def test_the_same_action_under_its_new_text_records_the_mandate_again(self):
        """A claimant in an action who gives its mandate again under the text the association
        published since: the claim's mandate names the new version (the export tells counsel
        which text was agreed); it answered 200 and kept the old version, time and channel."""
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.plain(slug)
        first = af.mandate_later(self.server, claim, action, client=self.c)
        added = af.memberships_of_claims([claim["reference"]])
        new_version = action["mandate_text_version"] + "-2"
        r = x.request("PATCH", f"/v1/actions/{action['id']}",
                      {"mandate_text_version": new_version,
                       "mandate_text": "Mandat, deuxième version"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        # the old version is no longer the action's: refused as before
        r = af.claimant_patch(self.server, claim,
                              {"action_id": action["id"],
                               "mandate_text_version": action["mandate_text_version"]},
                              client=self.c)
        self.assertEqual(self.errors(r), {("mandate_text_version", "mismatch")})
        again = af.mandate_later(self.server, claim, dict(action,
                                 mandate_text_version=new_version), client=self.c)
        self.assertEqual(again["mandate"]["mandate_text_version"], new_version)
        self.assertGreater(again["mandate"]["mandated_at"], first["mandate"]["mandated_at"])
        self.assertEqual(again["action_id"], action["id"])
        self.assertEqual(af.memberships_of_claims([claim["reference"]]), added)
        stored = cf.psql("SELECT mandate_text_version, mandate_channel FROM claims WHERE "
                         "reference = " + cf.sql_literal(claim["reference"]))
        self.assertEqual(stored, [[new_version, "api"]])

    def test_patch_to_another_action_while_in_one(self):
        x, y = self.assoc(), self.assoc()
        slug = self.incident()
        mine, second = self.action(x, slug), self.action(x, slug)
        theirs = self.action(y, slug)
        claim = self.mandated(slug, mine)
        for target in (second, theirs):
            r = af.claimant_patch(self.server, claim,
                                  {"action_id": target["id"],
                                   "mandate_text_version": af.MANDATE_VERSION}, client=self.c)
            harness.assert_problem(self, r, 409, "already-in-action")
        self.assertEqual(af.memberships_of_claims([claim["reference"]]),
                         {claim["reference"]: mine["id"]})
        self.assertEqual(af.mandate_of(claim["reference"])[0], mine["id"])
        # out of its action (removed by the association), the claimant may mandate another
        af.remove_member(x, mine, claim["reference"], client=self.c)
        view = af.mandate_later(self.server, claim, theirs, client=self.c)
        self.assertEqual(view["action_id"], theirs["id"])
        self.assertEqual(af.mandate_of(claim["reference"]), (theirs["id"], y.id, "api"))
        self.assertEqual(af.add_members(x, mine, [claim["reference"]],
                                        client=self.c)["not_mandated"], 1)

    def test_patch_mandate_validation(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.plain(slug)
        r = af.claimant_patch(self.server, claim, {"mandate_text_version": af.MANDATE_VERSION},
                              client=self.c)
        self.assertIn(("mandate_text_version", "invalid-value"), self.errors(r))
        r = af.claimant_patch(self.server, claim, {"action_id": action["id"],
                                                   "mandate_text_version": "old"},
                              client=self.c)
        self.assertIn(("mandate_text_version", "mismatch"), self.errors(r))
        r = af.claimant_patch(self.server, claim, {"action_id": 42}, client=self.c)
        self.assertIn(("action_id", "invalid-type"), self.errors(r))
        r = af.claimant_patch(self.server, claim, {"action_id": action["id"]}, client=self.c)
        self.assertIn(("mandate_text_version", "required"), self.errors(r),
                      "docs/api.md §9.2: required with action_id, correction checked as submission")
        self.assertEqual(af.mandate_of(claim["reference"]), (None, None, None))
        # a revocation with a version beside it: refused whole, the mandate in force kept
        af.mandate_later(self.server, claim, action, client=self.c)
        r = af.claimant_patch(self.server, claim, {"action_id": None,
                                                   "mandate_text_version": af.MANDATE_VERSION},
                              client=self.c)
        self.assertIn(("mandate_text_version", "invalid-value"), self.errors(r))
        self.assertEqual(af.mandate_of(claim["reference"])[0], action["id"])

    def test_blank_or_mistyped_version_said_once_as_in_a_submission(self):
        """Beside an action id, a blank mandate_text_version is a missing one (`required`, once)
        and a number is `invalid-type`, in a submission and in the claimant's PATCH alike: the
        submission said `required` and `too-short` at once, the PATCH `mismatch`."""
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.plain(slug)
        for version, code in (("", "required"), ("  ", "required"), (5, "invalid-type")):
            body = cf.claim_body(action_id=action["id"], mandate_text_version=version)
            r = af.request(self.server, "POST", f"/v1/incidents/{slug}/claims", body=body,
                           client=self.c)
            self.assertEqual(self.errors(r), {("mandate_text_version", code)}, version)
            r = af.claimant_patch(self.server, claim, {"action_id": action["id"],
                                                       "mandate_text_version": version},
                                  client=self.c)
            self.assertEqual(self.errors(r), {("mandate_text_version", code)}, version)
        self.assertEqual(af.mandate_of(claim["reference"]), (None, None, None))


# --- the association's claim list and review ------------------------------------------------------

class ClaimListTest(Base):
    def list(self, assoc, slug, query=""):
        items, cursor = [], None
        while True:
            sep = "&" if query else "?"
            path = f"/v1/incidents/{slug}/claims{query}" + (f"{sep}cursor={cursor}"
                                                             if cursor else "")
            r = assoc.request("GET", path, client=self.c)
            self.assertEqual(r.status, 200, repr(r))
            page = r.json()
            items += page["data"]
            cursor = page["next"]
            if cursor is None:
                return items

    def test_filters_and_cursor(self):
        x, y = self.assoc(), self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        theirs = self.action(y, slug)
        first = self.mandated(slug, action)
        be = self.mandated(slug, action, claimant={"address": {"country": "BE"},
                                                   "phone": cf.DROP},
                           data_categories=["email", "financial"])
        later = [self.mandated(slug, action) for _ in range(4)]
        verified = later[0]
        r = x.request("PATCH", f"/v1/claims/{verified['reference']}/status",
                      {"status": "verified"}, client=self.c)
        self.assertEqual(r.status, 200)
        gone = later[1]
        af.request(self.server, "DELETE", f"/v1/claims/{gone['reference']}",
                   token=gone["token"], client=self.c)
        removed = later[2]   # out of the action, still mandated: still listed
        af.remove_member(x, action, removed["reference"], client=self.c)
        theirs_claim = self.mandated(slug, theirs)
        self.plain(slug)
        dup = cf.submit(self.c, slug, first["body"])
        self.assertEqual(dup.status, 409)
        expected = [first, be] + [c for c in later if c is not gone]
        items = self.list(x, slug, "?limit=2")
        self.assertEqual([i["reference"] for i in items], [c["reference"] for c in expected],
                         "oldest first, each once, withdrawn left out")
        by_ref = {i["reference"]: i for i in items}
        self.assertEqual(by_ref[first["reference"]]["duplicate_attempts"], 1)
        self.assertEqual(by_ref[be["reference"]]["duplicate_attempts"], 0)
        self.assertEqual(by_ref[first["reference"]]["claimant"]["email"],
                         first["body"]["claimant"]["email"])
        self.assertEqual(by_ref[removed["reference"]]["action_id"], None)

        def refs(query):
            return [i["reference"] for i in self.list(x, slug, query)]

        self.assertEqual(refs("?country=be"), [be["reference"]])
        self.assertEqual(refs("?category=financial"), [be["reference"]])
        self.assertEqual(refs("?status=verified"), [verified["reference"]])
        self.assertEqual(refs("?status=withdrawn"), [])
        since = later[0]["receipt"]["created_at"]
        self.assertEqual(refs(f"?since={since}"),
                         [c["reference"] for c in later if c is not gone])
        self.assertEqual([i["reference"] for i in self.list(y, slug)],
                         [theirs_claim["reference"]])
        for query in ("?status=pending", "?category=shoe", "?country=XX", "?since=yesterday",
                      "?limit=0"):
            with self.subTest(query=query):
                r = x.request("GET", f"/v1/incidents/{slug}/claims{query}", client=self.c)
                harness.assert_problem(self, r, 400, "invalid-parameter")
        r = x.request("GET", f"/v1/incidents/{slug}/claims?cursor=forged", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        # a genuine cursor is bound to its caller and its incident: y's list and another
        # incident's refuse it (both were walked from x's position)
        first = x.request("GET", f"/v1/incidents/{slug}/claims?limit=1",
                          client=self.c).json()["next"]
        self.assertIsNotNone(first)
        r = y.request("GET", f"/v1/incidents/{slug}/claims?cursor={first}", client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        r = x.request("GET", f"/v1/incidents/{self.incident()}/claims?cursor={first}",
                      client=self.c)
        harness.assert_problem(self, r, 400, "invalid-cursor")
        r = x.request("GET", "/v1/incidents/no-such-incident-x/claims", client=self.c)
        harness.assert_problem(self, r, 404, "not-found")


class ReviewTest(Base):
    def review(self, who, claim, body):
        return af.request(self.server, "PATCH", f"/v1/claims/{claim['reference']}/status",
                          token=who, body=body, client=self.c)

    def test_transitions(self):
        x = self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.mandated(slug, action)
        r = self.review(x.key, claim, {"status": "verified"})
        self.assertEqual(r.status, 200, repr(r))
        doc = r.json()
        self.assertEqual(set(doc), {"reference", "status", "status_reason", "review_reason",
                                    "reviewed_at"})
        self.assertEqual((doc["reference"], doc["status"], doc["status_reason"]),
                         (claim["reference"], "verified", None))
        self.assertRegex(doc["reviewed_at"], cf.TIME_RE)
        r = self.review(x.key, claim, {"status": "rejected"})
        self.assertEqual(self.errors(r), {("reason", "required")})
        r = self.review(x.key, claim, {"status": "rejected", "reason": "r" * 1001})
        self.assertIn(("reason", "too-long"), self.errors(r))
        r = self.review(x.key, claim, {"status": "rejected", "reason": "no proof of loss"})
        self.assertEqual((r.status, r.json()["status"], r.json()["status_reason"]),
                         (200, "rejected", "no proof of loss"))
        r = self.review(x.key, claim, {"status": "verified", "reason": "proof received"})
        self.assertEqual((r.status, r.json()["status"]), (200, "verified"))
        r = self.review(x.key, claim, {"status": "received"})
        self.assertIn(("status", "invalid-value"), self.errors(r))
        r = self.review(x.key, claim, {"status": "withdrawn"})
        self.assertIn(("status", "invalid-value"), self.errors(r))
        view = af.request(self.server, "GET", f"/v1/claims/{claim['reference']}",
                          token=claim["token"], client=self.c).json()
        self.assertEqual((view["status"], view["status_reason"]), ("verified", "proof received"))
        # received → rejected directly
        other = self.mandated(slug, action)
        r = self.review(x.key, other, {"status": "rejected", "reason": "duplicate person"})
        self.assertEqual((r.status, r.json()["status"]), (200, "rejected"))
        # withdrawn: no review
        af.request(self.server, "DELETE", f"/v1/claims/{other['reference']}",
                   token=other["token"], client=self.c)
        r = self.review(x.key, other, {"status": "verified"})
        harness.assert_problem(self, r, 409, "invalid-transition")
        r = self.review(self.server.operator_key, other, {"status": "verified"})
        harness.assert_problem(self, r, 409, "invalid-transition")

    def test_who_may_review(self):
        x, y = self.assoc(), self.assoc()
        slug = self.incident()
        action = self.action(x, slug)
        claim = self.mandated(slug, action)
        plain = self.plain(slug)
        r = self.review(y.key, claim, {"status": "verified"})
        harness.assert_problem(self, r, 404, "not-found")
        r = self.review(x.key, plain, {"status": "verified"})
        harness.assert_problem(self, r, 404, "not-found")
        r = self.review(self.server.operator_key, plain, {"status": "verified"})
        self.assertEqual(r.status, 200, "the operator reviews any claim")
        # out of the action but still mandated to x: x may review it
        af.remove_member(x, action, claim["reference"], client=self.c)
        r = self.review(x.key, claim, {"status": "rejected", "reason": "checked"})
        self.assertEqual(r.status, 200, repr(r))
        audit = cf.psql("SELECT actor FROM audit_events WHERE action = 'claim.review'"
                        f" AND object_id = {cf.sql_literal(claim['reference'])}")
        self.assertEqual(audit, [[f"association:{x.id}"]])

    def test_rejection_blank_reason_is_missing(self):
        """A rejection's blank reason is a missing one (`required`, docs/api.md §5.4); it was
        `too-short`, "omit the member, or send null", which a rejection refuses. A verification
        keeps the rule of optional texts."""
        x = self.assoc()
        slug = self.incident()
        claim = self.mandated(slug, self.action(x, slug))
        for blank in ("", "   "):
            r = self.review(x.key, claim, {"status": "rejected", "reason": blank})
            self.assertEqual(self.errors(r), {("reason", "required")})
        r = self.review(x.key, claim, {"status": "verified", "reason": ""})
        self.assertEqual(self.errors(r), {("reason", "too-short")})


if __name__ == "__main__":
    harness.main()
