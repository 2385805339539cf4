#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The outbox without per-row foreign keys (db-migrations/0021, issue 13: a notice to 100,000
members queued in seconds): what the keys did is still done, once per statement.

  - a notice reaches a claim at most once: a second outbox row of the same (claim, notice) is
    refused by the unique index outbox_claim_notice, while other kinds (no notice) may repeat;
  - deleting a notice that has messages is refused (was the foreign key's NO ACTION);
  - deleting a claim deletes its outbox rows (was ON DELETE CASCADE).

The deletes run in a transaction rolled back: the application never deletes either."""

import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import notice_fixtures as nf


def psql_fails(sql, url):
    """psql's error text for sql, which must fail."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                          "-c", sql], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S)
    if run.returncode == 0:
        raise AssertionError(f"expected a failure of: {sql}")
    return run.stderr


def psql_script(script, url):
    """The rows of every statement of script (psql reading it on stdin), one line each."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url],
                         input=script, capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"psql failed: {run.stderr.strip()}")
    return [line for line in run.stdout.splitlines() if line]


class OutboxKeysTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("outbox_keys_", cls.addClassCleanup, migrated=True)
        # no relay: messages become .eml files; the rows stay in the outbox either way
        cls.server = cf.start_server(database_url=cls.url)
        cls.addClassCleanup(cls.server.close)

    def test_once_per_claim_restrict_and_cascade(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        slug = cf.make_incident(self.server)
        assoc = af.approved_association(self.server, client=c)
        action = af.open_action(assoc, slug, client=c)
        ref = af.mandated_claim(self.server, slug, action, client=c)["reference"]
        base = f"/v1/actions/{action['id']}/notices"
        r = assoc.request("POST", base, nf.draft_body(tag=" " + cf.letters(8)), client=c)
        self.assertEqual(r.status, 201, repr(r))
        notice = r.json()["id"]
        r = assoc.request("POST", f"{base}/{notice}/send", {"expected_count": 1}, client=c)
        self.assertEqual(r.status, 202, repr(r))
        claim = cf.psql(f"SELECT id FROM claims WHERE reference = {cf.sql_literal(ref)}",
                        url=self.url)[0][0]
        rows = f"SELECT count(*) FROM outbox WHERE claim_id = {claim}"
        self.assertEqual(cf.psql(rows + f" AND notice_id = '{notice}'", url=self.url),
                         [["1"]])

        again = (f"INSERT INTO outbox (kind, claim_id, lang, notice_id)"
                 f" VALUES ('notice', {claim}, 'fr', '{notice}')")
        self.assertIn("outbox_claim_notice", psql_fails(again, self.url))
        # a kind without a notice may be queued again for the same claim
        cf.psql(f"BEGIN; INSERT INTO outbox (kind, claim_id, lang) VALUES"
                f" ('claim-corrected', {claim}, 'fr'), ('claim-corrected', {claim}, 'fr');"
                f" ROLLBACK", url=self.url)

        err = psql_fails(f"DELETE FROM notices WHERE id = '{notice}'", self.url)
        self.assertIn("cannot be deleted", err)
        self.assertEqual(cf.psql(f"SELECT count(*) FROM notices WHERE id = '{notice}'",
                                 url=self.url), [["1"]])

        # inside a transaction rolled back: the application deletes no claim
        before = cf.psql(rows, url=self.url)
        self.assertNotEqual(before, [["0"]])
        left = psql_script("BEGIN;"
                           f" DELETE FROM claims WHERE id = {claim};"
                           f" {rows};"
                           " ROLLBACK;", self.url)
        self.assertEqual(left, ["0"])
        self.assertEqual(cf.psql(rows, url=self.url), before)

if __name__ == "__main__":
    unittest.main()
