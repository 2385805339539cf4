#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""`recours migrate` against a real PostgreSQL: first run, idempotent rerun, a changed or
vanished applied file, a new file, two concurrent runs, a failing file, duplicate versions.

Each case makes its own database (recours_mig_<random>) on the server of DATABASE_URL and its
own copy of db-migrations/, and drops the database at the end, so order never matters.
Environment: DATABASE_URL (a role with CREATEDB), RECOURS_BIN, RECOURS_SOURCE_DIR.
Python 3 standard library and the psql client only.
"""

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

import claims_fixtures as cf

RUN_TIMEOUT_S = 120


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"test_migrate: {name} is not set")
    return value


DATABASE_URL = env("DATABASE_URL")
RECOURS_BIN = env("RECOURS_BIN")
SOURCE_MIGRATIONS = os.path.join(env("RECOURS_SOURCE_DIR"), "db-migrations")


def psql(url, sql):
    """Runs sql through psql on url; returns the rows as lists of fields (unaligned output)."""
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", url,
         "-c", sql],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    if out.returncode != 0:
        raise AssertionError(f"psql failed ({out.returncode}): {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line != ""]


def url_with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise AssertionError("DATABASE_URL must be a postgresql:// URL")
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@contextlib.contextmanager
def fresh_database():
    """A new empty database and its URL; dropped afterwards whatever happens."""
    name = "recours_mig_" + secrets.token_hex(6)
    psql(DATABASE_URL, f"CREATE DATABASE {name}")
    try:
        yield url_with_database(DATABASE_URL, name)
    finally:
        cf.drop_database(name, url=DATABASE_URL)


def migration_files(directory):
    return sorted(f for f in os.listdir(directory) if f.endswith(".sql") and f[:4].isdigit())


def migrate_command(url, directory):
    return [RECOURS_BIN, "migrate", "--database-url", url, "--migrations-dir", directory]


def run_migrate(url, directory):
    return subprocess.run(migrate_command(url, directory), capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)


def applied_lines(stdout):
    return [line.split(" ", 1)[1] for line in stdout.splitlines() if line.startswith("applied ")]


def applied_rows(url):
    """schema_migrations as (version, name, checksum, applied_at) tuples, by version."""
    return [tuple(r) for r in psql(
        url, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")]


def table_exists(url, table):
    return psql(url, f"SELECT to_regclass('{table}') IS NOT NULL")[0][0] == "t"


class MigrateTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="recours-mig-")
        self.addCleanup(tmp.cleanup)
        self.dir = os.path.join(tmp.name, "db-migrations")
        shutil.copytree(SOURCE_MIGRATIONS, self.dir)
        self.files = migration_files(self.dir)
        self.assertTrue(self.files, "no migration files in " + SOURCE_MIGRATIONS)

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            f.write(text)

    def assert_ok(self, run):
        self.assertEqual(run.returncode, 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")

    def assert_failed(self, run):
        self.assertNotEqual(run.returncode, 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")

    def migrate_ok(self, url):
        run = run_migrate(url, self.dir)
        self.assert_ok(run)
        return run

    def test_a_first_run_applies_every_file(self):
        with fresh_database() as url:
            run = self.migrate_ok(url)
            self.assertEqual(applied_lines(run.stdout), self.files)
            self.assertIn(f"migrations: {len(self.files)} applied, 0 already current", run.stdout)
            rows = applied_rows(url)
            self.assertEqual([r[1] for r in rows], self.files)
            self.assertTrue(all(len(r[2]) == 64 for r in rows))
            self.assertTrue(table_exists(url, "incidents"))
            self.assertTrue(table_exists(url, "schema_migrations"))

    def test_b_second_run_applies_nothing(self):
        with fresh_database() as url:
            self.migrate_ok(url)
            before = applied_rows(url)
            run = self.migrate_ok(url)
            self.assertEqual(applied_lines(run.stdout), [])
            self.assertIn(f"migrations: 0 applied, {len(self.files)} already current", run.stdout)
            self.assertEqual(applied_rows(url), before)

    def test_c_changed_file_is_refused(self):
        with fresh_database() as url:
            self.migrate_ok(url)
            before = applied_rows(url)
            edited = self.files[0]
            with open(os.path.join(self.dir, edited), "a", encoding="utf-8") as f:
                f.write("\n-- an edit after the fact\n")
            self.write("9999_extra.sql", "CREATE TABLE extra_probe (id integer);\n")
            run = run_migrate(url, self.dir)
            self.assert_failed(run)
            self.assertIn(edited, run.stderr)
            self.assertIn("changed", run.stderr)
            self.assertEqual(applied_lines(run.stdout), [])
            self.assertEqual(applied_rows(url), before)
            self.assertFalse(table_exists(url, "extra_probe"))

    def test_c2_vanished_file_is_refused(self):
        with fresh_database() as url:
            self.migrate_ok(url)
            before = applied_rows(url)
            gone = self.files[0]
            os.remove(os.path.join(self.dir, gone))
            self.write("9999_extra.sql", "CREATE TABLE extra_probe (id integer);\n")
            run = run_migrate(url, self.dir)
            self.assert_failed(run)
            self.assertIn(gone, run.stderr)
            self.assertIn("gone", run.stderr)
            self.assertEqual(applied_rows(url), before)
            self.assertFalse(table_exists(url, "extra_probe"))

    def test_d_new_file_alone_is_applied(self):
        with fresh_database() as url:
            self.migrate_ok(url)
            before = applied_rows(url)
            self.write("9999_extra.sql",
                       "-- a later migration\nCREATE TABLE extra_probe (id integer);\n"
                       "COMMENT ON TABLE extra_probe IS 'test';\n")
            run = self.migrate_ok(url)
            self.assertEqual(applied_lines(run.stdout), ["9999_extra.sql"])
            self.assertIn(f"migrations: 1 applied, {len(self.files)} already current", run.stdout)
            after = applied_rows(url)
            self.assertEqual(after[:-1], before)
            self.assertEqual(after[-1][:2], ("9999", "9999_extra.sql"))
            self.assertTrue(table_exists(url, "extra_probe"))

    def test_e_concurrent_runs_apply_each_file_once(self):
        self.write("9998_slow.sql", "CREATE TABLE slow_probe (id integer);\nSELECT pg_sleep(1);\n")
        files = migration_files(self.dir)
        with fresh_database() as url:
            cmd = migrate_command(url, self.dir)
            procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True) for _ in range(2)]
            outs = []
            for p in procs:
                try:
                    stdout, stderr = p.communicate(timeout=RUN_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    p.kill()
                    stdout, stderr = p.communicate()
                outs.append((p.returncode, stdout, stderr))
            for code, stdout, stderr in outs:
                self.assertEqual(code, 0, f"stdout:\n{stdout}\nstderr:\n{stderr}")
            applied = sorted(applied_lines(outs[0][1]) + applied_lines(outs[1][1]))
            self.assertEqual(applied, files, "each file applied by exactly one of the two runs")
            self.assertEqual([r[1] for r in applied_rows(url)], files)
            self.assertEqual(psql(url, "SELECT count(*) FROM (SELECT version FROM schema_migrations"
                                       " GROUP BY version HAVING count(*) > 1) AS twice"), [["0"]])

    def test_f_failing_file_leaves_nothing(self):
        self.write("9999_broken.sql",
                   "CREATE TABLE broken_probe (id integer);\n"
                   "INSERT INTO broken_probe VALUES (1);\n"
                   "SELECT no_such_column FROM broken_probe;\n")
        with fresh_database() as url:
            run = run_migrate(url, self.dir)
            self.assert_failed(run)
            self.assertIn("9999_broken.sql", run.stderr)
            self.assertIn("42703", run.stderr, "the SQLSTATE of the failure is reported")
            self.assertEqual(applied_lines(run.stdout), self.files)
            self.assertEqual([r[1] for r in applied_rows(url)], self.files)
            self.assertFalse(table_exists(url, "broken_probe"))
            # the next run retries the same file and fails the same way
            again = run_migrate(url, self.dir)
            self.assert_failed(again)
            self.assertIn("9999_broken.sql", again.stderr)
            self.assertFalse(table_exists(url, "broken_probe"))

    def test_g_duplicate_version_is_refused(self):
        self.write("0001_twin.sql", "CREATE TABLE twin_probe (id integer);\n")
        self.write("README.md", "not a migration\n")
        with fresh_database() as url:
            run = run_migrate(url, self.dir)
            self.assert_failed(run)
            self.assertIn("0001_twin.sql", run.stderr)
            self.assertIn(self.files[0], run.stderr)
            self.assertFalse(table_exists(url, "schema_migrations"))
            self.assertFalse(table_exists(url, "twin_probe"))


def main():
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(MigrateTest))
    bad = len(result.failures) + len(result.errors)
    print(f"test_migrate: {result.testsRun} run, {result.testsRun - bad} passed, "
          f"{len(result.failures)} failed, {len(result.errors)} errors")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
