# SPDX-License-Identifier: AGPL-3.0-or-later
"""The restore drill of docs/operating.md, run: a database holding claims is dumped with
pg_dump, restored with pg_restore into a new database, and a server started on the restored
database with the same secrets reads the claims (the member view shows the decrypted names,
the association's key still works, the audit chain verifies against the head kept before the
dump). With other secrets (a lost secrets directory, made again) the same database leaks
nothing and the server stays up: the association's key is unknown, the audit chain reads as
broken from its first event, and a member's claim, read with a new key, is refused without a
name in the answer."""

import os
import shutil
import subprocess
import tempfile
import types
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness


def pg_tool(name):
    """PostgreSQL 15's own pg_dump or pg_restore (first in the tests' PATH under ctest)."""
    return shutil.which(name) or os.path.join(harness.PG_BIN, name)


def run_tool(tc, argv):
    run = subprocess.run(argv, capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S,
                         env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
    tc.assertEqual(run.returncode, 0, f"{argv[0]} failed:\n{run.stdout}\n{run.stderr}")
    return run


def recours(database_url, secrets_dir, *args):
    return subprocess.run([harness.recours_bin(), *args],
                          env=dict(os.environ, DATABASE_URL=database_url,
                                   RECOURS_SECRETS_DIR=secrets_dir),
                          capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)


class BackupRestoreTest(unittest.TestCase):
    def test_restore_drill(self):
        tmp = tempfile.mkdtemp(prefix="recours-backup-")
        self.addCleanup(shutil.rmtree, tmp, True)
        source_url = cf.database_url()  # the test file's own database (harness.py)
        source = cf.start_server(self, database_url=source_url)
        with harness.Client(source) as c:
            slug = cf.make_incident(source)
            assoc = af.approved_association(source, client=c)
            action = af.open_action(assoc, slug, client=c)
            members = [af.mandated_claim(source, slug, action, client=c)]
        # the head kept with the backup: an ok verification's <events>:<head> (README)
        verdict = af.op(source, "GET", "/v1/audit/verify").json()
        self.assertTrue(verdict["ok"], verdict)
        head = f"{verdict['events']}:{verdict['head']}"

        # the backup: the database (custom format) and the secrets directory, as the drill says
        dump = os.path.join(tmp, "recours.dump")
        run_tool(self, [pg_tool("pg_dump"), "--format=custom", "--file", dump, source_url])
        kept = types.SimpleNamespace(secrets_dir=os.path.join(tmp, "secrets"),
                                     operator_key=source.operator_key)
        shutil.copytree(source.secrets_dir, kept.secrets_dir)
        source.close()  # its directory, secrets included, is gone: only the backup is left

        # the restore: a new, empty database owned by the same role
        restored_url = cf.new_database("recours_rs_", self.addCleanup)
        run_tool(self, [pg_tool("pg_restore"), "--no-owner", "--no-privileges",
                        "--exit-on-error", "--dbname", restored_url, dump])
        migrate = recours(restored_url, kept.secrets_dir, "migrate",
                          "--migrations-dir", harness.migrations_dir())
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        self.assertIn("migrations: 0 applied", migrate.stdout)

        # with the same secrets: everything reads as before
        same = harness.Server(args=cf.NO_RATE_LIMIT, database_url=restored_url,
                              secrets_from=kept, migrate=False)
        same.start()
        self.addCleanup(same.close)
        assoc.server = same
        for m in members:
            r = assoc.request("GET", f"/v1/actions/{action['id']}/members/{m['reference']}")
            self.assertEqual(r.status, 200, repr(r))
            self.assertEqual(r.json()["claim"]["claimant"]["family_name"],
                             m["body"]["claimant"]["family_name"])
        verdict = af.op(same, "GET", f"/v1/audit/verify?head={head}").json()
        self.assertTrue(verdict["ok"], verdict)
        same.close()

        # with other secrets: no name, no crash, and the chain says the key is not the one
        other = harness.Server(args=cf.NO_RATE_LIMIT, database_url=restored_url, migrate=False)
        other.start()
        self.addCleanup(other.close)
        assoc.server = other
        harness.assert_problem(
            self, assoc.request("GET", f"/v1/actions/{action['id']}/members"), 401,
            "unauthorized")
        r = af.op(other, "GET", "/v1/audit/verify")
        self.assertEqual(r.status, 200, repr(r))
        self.assertFalse(r.json()["ok"])
        self.assertEqual(r.json()["first_broken"]["seq"], 1, r.json())
        verify = recours(restored_url, other.secrets_dir, "audit", "verify")
        self.assertEqual(verify.returncode, 1, verify.stdout + verify.stderr)
        self.assertIn("broken at seq 1", verify.stdout)
        self.assertIn("hmac-key", verify.stdout)
        fresh = af.issue_key(other, assoc.id, label="after a lost secrets directory")
        assoc.key = fresh["secret"]
        # a claim sealed under another data key cannot be opened: 500 internal-error (not in
        # api/openapi.json: no client input leads there, only a wrong secrets directory)
        with harness.Client(other, check_openapi=False) as c:
            for m in members:
                r = c.request("GET", f"/v1/actions/{action['id']}/members/{m['reference']}",
                              token=assoc.key)
                harness.assert_problem(self, r, 500, "internal-error")
                self.assertNotIn(m["body"]["claimant"]["family_name"], r.body.decode("utf-8"))
            self.assertEqual(c.request("GET", "/healthz").status, 200)


if __name__ == "__main__":
    harness.main()
