# SPDX-License-Identifier: AGPL-3.0-or-later
"""The restore drill of docs/operating.md, run: a database holding claims is dumped with
pg_dump, restored with pg_restore into a new database, and a server started on the restored
database with the same secrets reads the claims (the member view shows the decrypted names,
the association's key still works, the audit chain verifies against the head kept before the
dump). With other secrets (a lost secrets directory made again, or a wrong copy of one of its
files) the server refuses to start, in one line naming the key that does not match, and adds
nothing to the database; `recours audit verify` reads the chain as broken from its first
event."""

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


def serve_once(database_url, secrets_dir, tmp):
    """`recours serve` as harness.Server runs it, for a start expected to be refused: it exits
    before it listens (a server that did start is killed at the timeout, failing the test)."""
    tls = os.path.join(tmp, "tls")
    return recours(database_url, secrets_dir, "serve", "--port", str(harness.free_port()),
                   "--secrets-dir", secrets_dir,
                   "--tls-cert", os.path.join(tls, "cert.pem"),
                   "--tls-key", os.path.join(tls, "key.pem"),
                   "--migrations-dir", harness.migrations_dir(),
                   "--web-dir", os.path.join(harness.source_dir(), "web"),
                   "--risk-domains-file",
                   os.path.join(harness.source_dir(), "data", "disposable_domains.txt"))


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

        # with other secrets (a lost directory made again by `recours secrets init`, or a
        # wrong copy of one file): serve refuses to start, names the key that does not match
        # and what to do, and the database is left as it was
        def database_state():
            return cf.psql("SELECT (SELECT count(*) FROM audit_events),"
                           " (SELECT max(seq) FROM audit_events), (SELECT count(*) FROM claims),"
                           " (SELECT count(*) FROM server_nodes)", url=restored_url)

        before = database_state()
        fresh = os.path.join(tmp, "fresh")
        init = recours(restored_url, fresh, "secrets", "init", "--secrets-dir", fresh)
        self.assertEqual(init.returncode, 0, init.stderr)
        # the files taken from the fresh directory, the others kept: the keys the line names
        mixes = (("hmac-key", "data-keys"), ("data-keys",), ("hmac-key",))
        for i, from_fresh in enumerate(mixes):
            with self.subTest(from_fresh=from_fresh):
                mixed = os.path.join(tmp, f"mixed{i}")  # no key's name in the path
                shutil.copytree(kept.secrets_dir, mixed)
                for name in from_fresh:
                    shutil.copy2(os.path.join(fresh, name), os.path.join(mixed, name))
                run = serve_once(restored_url, mixed, tmp)
                self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
                refusals = [line for line in run.stderr.splitlines()
                            if line.startswith("serve: ")]
                self.assertEqual(len(refusals), 1, run.stderr)
                self.assertIn(f"the secrets in {mixed} are not this database's", refusals[0])
                for key in ("hmac-key", "data-keys"):
                    self.assertEqual(key in refusals[0], key in from_fresh, refusals[0])
                self.assertIn("secrets directory kept with this database", refusals[0])
                self.assertIn("docs/operating.md", refusals[0])
                self.assertNotIn("listening on", run.stderr)
        self.assertEqual(database_state(), before)
        # the commands that open sealed data are not refused: audit verify says why
        verify = recours(restored_url, fresh, "audit", "verify")
        self.assertEqual(verify.returncode, 1, verify.stdout + verify.stderr)
        self.assertIn("broken at seq 1", verify.stdout)
        self.assertIn("hmac-key", verify.stdout)

if __name__ == "__main__":
    harness.main()
