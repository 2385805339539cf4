#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL notices and warnings reach the logs as JSON lines, never as libpq's raw
"NOTICE: …" text on stderr, on every connection the binary opens (db/notice.h):

- `recours migrate` applying a file that issues notices ("does not exist, skipping", RAISE
  NOTICE, RAISE WARNING): its stderr is JSON lines only, info for the notices, warn for the
  warning;
- `recours serve` whose write fires a trigger raising a notice and a warning (as a trigger or
  extension a DBA adds would): the server's log stays JSON lines only.

The notices quote a marker standing for personal data: it must appear in no log line (only
severity and SQLSTATE are logged). Each case makes its own database and drops it.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import claims_fixtures as cf
import harness

MARKER = "helene.notice-marker@example.org"

NOTICE_SQL = f"""
DROP TABLE IF EXISTS no_such_table_here;
DO $$ BEGIN
  RAISE NOTICE 'a claimant: %', '{MARKER}';
  RAISE WARNING 'a claimant again: %', '{MARKER}';
END $$;
"""

TRIGGER_SQL = f"""
CREATE FUNCTION notice_on_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'new incident of %: {MARKER}', NEW.controller;
  RAISE WARNING 'checked: {MARKER}';
  RETURN NEW;
END $$;
CREATE TRIGGER notice_on_incident AFTER INSERT ON incidents
  FOR EACH ROW EXECUTE FUNCTION notice_on_incident();
"""


def json_lines(tc, text):
    """Every non-empty line of text parsed as a JSON object (fails on any other line)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            tc.fail(f"a line that is not JSON: {line!r}\nin:\n{text}")
        tc.assertIsInstance(doc, dict, line)
        out.append(doc)
    return out


def postgresql_lines(lines):
    return [d for d in lines if "postgresql" in str(d.get("msg", d.get("message", "")))]


class DbNoticesTest(unittest.TestCase):
    def assert_notice_lines(self, lines):
        pg = postgresql_lines(lines)
        levels = {d.get("level") for d in pg}
        self.assertIn("info", levels, f"a notice logged at info: {pg}")
        self.assertIn("warn", levels, f"a warning logged at warn: {pg}")
        for d in pg:
            self.assertIn("SQLSTATE", json.dumps(d))

    def test_migrate_logs_notices_as_json(self):
        url = cf.new_database("recours_notice_", self.addCleanup)
        tmp = tempfile.TemporaryDirectory(prefix="recours-notice-")
        self.addCleanup(tmp.cleanup)
        d = os.path.join(tmp.name, "db-migrations")
        shutil.copytree(harness.migrations_dir(), d)
        last = max(int(f[:4]) for f in os.listdir(d) if f[:4].isdigit())
        with open(os.path.join(d, f"{last + 1:04d}_notices.sql"), "w", encoding="utf-8") as f:
            f.write(NOTICE_SQL)
        run = subprocess.run([harness.recours_bin(), "migrate", "--database-url", url,
                              "--migrations-dir", d], capture_output=True, text=True,
                             timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertNotIn("NOTICE:", run.stderr)
        self.assertNotIn("WARNING:", run.stderr)
        self.assertNotIn(MARKER, run.stderr + run.stdout)
        lines = json_lines(self, run.stderr)
        self.assert_notice_lines(lines)
        self.assertGreaterEqual(len(postgresql_lines(lines)), 3, lines)

    def test_server_logs_notices_of_its_statements_as_json(self):
        url = cf.new_database("recours_notice_", self.addCleanup)
        harness.ensure_migrated(url)
        cf.psql(TRIGGER_SQL, url=url)
        server = harness.Server(database_url=url)
        server.start()
        self.addCleanup(server.close)
        cf.make_incident(server, controller="Controller " + cf.letters(6))
        server.wait_log(lambda d: "postgresql" in json.dumps(d) and d.get("level") == "warn",
                        what="the trigger's warning as a JSON line")
        server.stop()
        text = server.log_text()
        self.assertNotIn(MARKER, text)
        self.assertNotIn("NOTICE:", text)
        self.assert_notice_lines(json_lines(self, text))


if __name__ == "__main__":
    unittest.main()
