#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Erasure of withdrawn claims' personal data after the retention period (docs/product.md
§5.5, docs/api.md §9.7–9.8; migration 0008, service/erasure.c, cli/erasure_job.c).

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end): a server
run with `--withdrawn-retention-days 0` erases every withdrawn claim of its database, which must
never be another test's. Withdrawal times are moved back in SQL to stand for the days that
passed. Shown:
  - the server's job (`--erasure-interval 0.2`) erases a claim withdrawn 31 days ago, not one
    withdrawn 29 days ago, never an active claim: pii, the three dedup keys and the review
    reason NULL, erased_at set, the linked refused submissions' pii NULL; status, dates,
    country, categories, harms and the tallies unchanged; one audit event per batch (actor
    `system`, no personal data) and the chain still verifies;
  - the claimant's GET with reference and token still answers 200: status withdrawn,
    `claimant` null, `harms.description` "" and no personal value anywhere in the body;
  - the same person can claim again on the incident;
  - `recours erase-withdrawn` does the same in one pass and prints `erased N claims`; a due
    claim another transaction points at (a KEY SHARE lock: a confirmation link being stored)
    is erased, one another transaction is changing (FOR UPDATE) is waited for, not skipped;
  - with `--withdrawn-retention-days 0` a withdrawal is erased at the next pass;
  - with the database unreachable the job logs and retries, and the server still stops
    cleanly.
"""

import os
import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

DB_URL = None
POLL_S = 20.0


def setUpModule():
    global DB_URL
    DB_URL = cf.new_database("recours_erasure_", unittest.addModuleCleanup, migrated=True)


def sql(statement):
    return cf.psql(statement, url=DB_URL)


def lit(text):
    return cf.sql_literal(text)


ROW = ("pii IS NULL, email_key IS NULL, phone_key IS NULL, identity_key IS NULL,"
       " erased_at IS NOT NULL, status, status_reason IS NULL")
KEPT = ("reference, status, created_at, withdrawn_at, country, categories, phishing,"
        " identity_theft, distress, documented_loss, hours_spent, payment_preference,"
        " privacy_notice_version, mandate_action_id")


def claim_row(reference):
    rows = sql(f"SELECT {ROW} FROM claims WHERE reference = {lit(reference)}")
    assert len(rows) == 1, rows
    return rows[0]


def kept_fields(reference):
    return sql(f"SELECT {KEPT} FROM claims WHERE reference = {lit(reference)}")


def is_erased(reference):
    return sql(f"SELECT erased_at IS NOT NULL FROM claims WHERE reference = {lit(reference)}"
               ) == [["t"]]


def duplicates_pii(reference):
    """'t' per linked refused submission whose pii is NULL, 'f' otherwise."""
    return sorted(r[0] for r in sql(
        "SELECT d.pii IS NULL FROM claim_duplicates d JOIN claims c ON c.id = d.claim_id"
        f" WHERE c.reference = {lit(reference)}"))


def tallies(slug):
    return sql("SELECT t.status, t.country, t.categories, t.documented_loss, t.hours_spent,"
               " sum(t.n) FROM claim_tallies t JOIN incidents i ON i.id = t.incident_id"
               f" WHERE i.slug = {lit(slug)} GROUP BY 1, 2, 3, 4, 5 HAVING sum(t.n) <> 0"
               " ORDER BY 1, 2, 3, 4, 5")


def backdate_withdrawal(days_by_reference):
    """Moves the withdrawal of each claim back by its number of days, in one statement, so
    one erasure pass sees them all at once."""
    cases = " ".join(f"WHEN {lit(ref)} THEN {int(days)}"
                     for ref, days in days_by_reference.items())
    refs = ", ".join(lit(ref) for ref in days_by_reference)
    sql("UPDATE claims SET withdrawn_at = now() - make_interval(days => CASE reference "
        f"{cases} END) WHERE reference IN ({refs}) AND status = 'withdrawn'")


class ErasureCase(unittest.TestCase):
    def start(self, *args):
        self.use(cf.start_server(self, args=list(args), database_url=DB_URL))

    def use(self, server):
        """server for this test, with a client and an incident of the test's own."""
        self.server = server
        self.c = harness.Client(self.server)
        self.addCleanup(self.c.close)
        self.slug = cf.make_incident(self.server)

    def claim(self, duplicates=0, reviewed=False):
        """A claim (and `duplicates` refused resubmissions of it); returns (receipt, body)."""
        body = cf.claim_body()
        receipt = cf.submit_ok(self, self.c, self.slug, body)
        for _ in range(duplicates):
            r = cf.submit(self.c, self.slug, body)
            self.assertEqual(r.status, 409, repr(r))
        if reviewed:
            r = af.op(self.server, "PATCH", f"/v1/claims/{receipt['reference']}/status",
                      {"status": "rejected", "reason": "Name on the ID differs"},
                      client=self.c)
            self.assertEqual(r.status, 200, repr(r))
        return receipt, body

    def withdraw(self, receipt):
        r = cf.claim_request(self.c, "DELETE", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["status"], "withdrawn")
        self.assertIsNotNone(r.json()["claimant"], "not erased at withdrawal")
        return r.json()

    def get(self, receipt):
        r = cf.claim_request(self.c, "GET", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.media_type, "application/json")
        return r

    def assert_erased(self, receipt, body, before):
        ref = receipt["reference"]
        self.assertEqual(claim_row(ref), ["t", "t", "t", "t", "t", "withdrawn", "t"])
        self.assertEqual(kept_fields(ref), before, "only personal fields are erased")
        r = self.get(receipt)
        view = r.json()
        self.assertEqual(view["reference"], ref)
        self.assertEqual(view["status"], "withdrawn")
        self.assertIsNotNone(view["withdrawn_at"])
        self.assertIsNone(view["claimant"])
        self.assertIsNone(view["status_reason"])
        self.assertEqual(view["harms"]["description"], "")
        self.assertEqual(view["harms"]["documented_loss"], body["harms"]["documented_loss"])
        self.assertEqual(sorted(view["data_categories"]), sorted(body["data_categories"]))
        text = r.body.decode("utf-8")
        for value in (body["claimant"]["email"], body["claimant"]["family_name"],
                      body["claimant"]["phone"], body["claimant"]["birth_date"],
                      body["harms"]["description"], "Rivoli"):
            self.assertNotIn(value, text)

    def assert_not_erased(self, receipt, status):
        self.assertEqual(claim_row(receipt["reference"])[:6], ["f", "f", "f", "f", "f", status])
        self.assertIsNotNone(self.get(receipt).json()["claimant"])


class ServerJobTest(ErasureCase):
    def test_job_erases_after_retention_only(self):
        self.start("--erasure-interval", "0.2")
        old, old_body = self.claim(duplicates=2, reviewed=True)
        recent, _ = self.claim(duplicates=1)
        active, _ = self.claim()
        self.withdraw(old)
        self.withdraw(recent)
        sql(f"UPDATE claims SET created_at = now() - interval '90 days'"
            f" WHERE reference = {lit(active['reference'])}")
        before_tallies = tallies(self.slug)
        backdate_withdrawal({old["reference"]: 31, recent["reference"]: 29})
        # read before the job's next pass or after it: erasure leaves these alone either way
        kept = kept_fields(old["reference"])
        harness.poll(lambda: is_erased(old["reference"]), POLL_S, interval=0.2,
                     what="the claim withdrawn 31 days ago erased by the job")

        self.assert_erased(old, old_body, kept)
        self.assertEqual(duplicates_pii(old["reference"]), ["t", "t"])
        self.assert_not_erased(recent, "withdrawn")
        self.assertEqual(duplicates_pii(recent["reference"]), ["f"])
        self.assert_not_erased(active, "received")
        self.assertEqual(tallies(self.slug), before_tallies, "erasure moves no tally")

        # the same person can claim again (a withdrawn claim owns no dedup key)
        again = cf.submit_ok(self, self.c, self.slug, old_body)
        self.assertNotEqual(again["reference"], old["reference"])

        # the chain keeps the erasure, without personal data, and still verifies
        rows = sql("SELECT action, object_type, object_id FROM audit_events"
                   " WHERE actor = 'system' ORDER BY seq")
        erased_at = sql("SELECT to_char(erased_at AT TIME ZONE 'UTC',"
                        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM claims"
                        f" WHERE reference = {lit(old['reference'])}")[0][0]
        self.assertIn(["claims.erase", "erasure", erased_at], rows)
        r = af.op(self.server, "GET", "/v1/audit/verify", client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertTrue(r.json()["ok"], r.json())

        # logs carry counts only
        log = self.server.log_text()
        for value in (old_body["claimant"]["email"], old_body["claimant"]["family_name"],
                      old["reference"]):
            self.assertNotIn(value, log)
        self.server.wait_log(lambda line: "erasure: erased" in line.get("msg", ""),
                             what="the job's count line")

    def test_retention_zero_erases_at_next_pass(self):
        self.start("--withdrawn-retention-days", "0", "--erasure-interval", "0.2")
        receipt, body = self.claim(duplicates=1)
        before = kept_fields(receipt["reference"])
        self.withdraw(receipt)
        harness.poll(lambda: is_erased(receipt["reference"]), POLL_S, interval=0.2,
                     what="a withdrawal erased at the next pass")
        after = kept_fields(receipt["reference"])
        # all but status and withdrawn_at, which the withdrawal itself set
        self.assertEqual([k[:1] + k[2:3] + k[4:] for k in after],
                         [k[:1] + k[2:3] + k[4:] for k in before])
        self.assert_erased(receipt, body, after)
        self.assertEqual(duplicates_pii(receipt["reference"]), ["t"])
        # a repeated withdrawal still answers the same view (docs/api.md §9.7)
        r = cf.claim_request(self.c, "DELETE", receipt["reference"], receipt["token"])
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["status"], "withdrawn")
        self.assertIsNone(r.json()["claimant"])


class CommandTest(ErasureCase):
    # the command's own pass, alone: a server without an erasure thread (its pass at start
    # could come after the test's backdating on a loaded machine, and erase first); one for
    # the class (each test has its own incident and claims), not one per test
    shared = None

    @classmethod
    def setUpClass(cls):
        cls.shared = cf.start_server(args=["--erasure-interval", "0"], database_url=DB_URL)
        cls.addClassCleanup(cls.shared.close)

    def start(self):
        self.use(self.shared)

    def run_command(self, *args):
        run = subprocess.run([harness.recours_bin(), "erase-withdrawn"] + list(args),
                             env=dict(os.environ, DATABASE_URL=DB_URL,
                                      RECOURS_SECRETS_DIR=self.server.secrets_dir),
                             capture_output=True,
                             text=True, timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 0, run.stderr)
        erased, expired = run.stdout.splitlines(keepends=True)
        self.assertRegex(expired, r"^deleted [0-9]+ idempotency answers older than 24 h\n$")
        self.last_expired = int(expired.split()[1])
        return erased

    def test_command_erases_one_pass(self):
        self.start()
        first, first_body = self.claim(duplicates=1)
        second, second_body = self.claim()
        recent, _ = self.claim()
        active, _ = self.claim()
        for r in (first, second, recent):
            self.withdraw(r)
        backdate_withdrawal({first["reference"]: 31, second["reference"]: 45,
                             recent["reference"]: 29})
        before = {r["reference"]: kept_fields(r["reference"]) for r in (first, second)}

        out = self.run_command()
        self.assertEqual(out, "erased 2 claims\n")
        self.assert_erased(first, first_body, before[first["reference"]])
        self.assert_erased(second, second_body, before[second["reference"]])
        self.assertEqual(duplicates_pii(first["reference"]), ["t"])
        self.assert_not_erased(recent, "withdrawn")
        self.assert_not_erased(active, "received")
        self.assertEqual(self.run_command(), "erased 0 claims\n", "a second pass finds none")
        cf.submit_ok(self, self.c, self.slug, first_body)

        # the threshold is the setting: 29 days are due with a retention of 28 (the count may
        # include another test's claim of this database withdrawn 29 days ago)
        self.assertRegex(self.run_command("--withdrawn-retention-days", "28"),
                         r"^erased [1-9][0-9]* claims\n$")
        self.assertTrue(is_erased(recent["reference"]))
        self.assert_not_erased(active, "received")


    def due_claim(self):
        """A claim withdrawn 31 days ago: due with the default retention (30 days)."""
        receipt, _ = self.claim()
        self.withdraw(receipt)
        backdate_withdrawal({receipt["reference"]: 31})
        return receipt

    def test_command_erases_a_claim_a_new_row_points_at(self):
        """A transaction writing a row that points at the claim (the mail thread storing the
        confirmation link of its claim-accepted message, a review's history row) holds a KEY
        SHARE lock on the claim until it ends. The pass locked its claims FOR UPDATE SKIP
        LOCKED, so it skipped such a claim: test_command_erases_one_pass once printed "erased 0
        claims" for a claim due. It now takes FOR NO KEY UPDATE (the lock its UPDATE takes: no
        key of a claim changes), which that lock lets through."""
        self.start()
        receipt = self.due_claim()
        holder = cf.RowHolder(receipt["reference"], "FOR KEY SHARE", url=DB_URL)
        self.addCleanup(holder.release)
        self.assertRegex(self.run_command(), r"^erased [1-9][0-9]* claims\n$")
        self.assertTrue(is_erased(receipt["reference"]))

    def test_command_waits_for_a_claim_being_changed(self):
        """The command is one pass that says what it erased: a due claim another transaction
        is changing (FOR UPDATE: the claimant's correction, a rotation) is waited for, not
        skipped in silence (the server's periodic pass skips it; its next pass erases it)."""
        self.start()
        receipt = self.due_claim()
        holder = cf.RowHolder(receipt["reference"], "FOR UPDATE", url=DB_URL)
        self.addCleanup(holder.release)
        run = subprocess.Popen([harness.recours_bin(), "erase-withdrawn"],
                               env=dict(os.environ, DATABASE_URL=DB_URL,
                                        RECOURS_SECRETS_DIR=self.server.secrets_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: run.poll() is not None or run.kill())
        # the command's statement (the server's mail thread, storing the claim's confirmation
        # link, may be waiting too)
        harness.poll(lambda: holder.blocked("WITH due AS"), POLL_S,
                     what="the command to wait for the claim")
        self.assertFalse(is_erased(receipt["reference"]))
        holder.release()
        out, err = run.communicate(timeout=harness.RUN_TIMEOUT_S)
        self.assertEqual(run.returncode, 0, err)
        self.assertRegex(out.splitlines()[0], r"^erased [1-9][0-9]* claims$")
        self.assertTrue(is_erased(receipt["reference"]))

    def test_command_deletes_idempotency_answers_past_24_hours(self):
        """docs/api.md §4.3 keeps an Idempotency-Key's answer 24 h; past that it is never replayed,
        and the pass deletes it (it keeps a sealed claim token)."""
        self.start()
        old_key, new_key = "old-" + cf.suffix(12), "new-" + cf.suffix(12)
        for key in (old_key, new_key):
            r = cf.submit(self.c, self.slug, cf.claim_body(), idem_key=key)
            self.assertEqual(r.status, 201, repr(r))
        # the newest answer stays; every other answer of this database is made 25 h old
        sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
            " WHERE created_at < (SELECT max(created_at) FROM idempotency_keys)")
        old = int(sql("SELECT count(*) FROM idempotency_keys"
                      " WHERE created_at < now() - interval '24 hours'")[0][0])
        self.assertGreaterEqual(old, 1)
        self.run_command()
        self.assertEqual(self.last_expired, old)
        self.assertEqual(sql("SELECT count(*) FROM idempotency_keys"
                             " WHERE created_at < now() - interval '24 hours'"), [["0"]])
        self.assertEqual(sql("SELECT count(*) FROM idempotency_keys"), [["1"]],
                         "the answer of the last 24 h stays")
        self.run_command()
        self.assertEqual(self.last_expired, 0)


class OutageTest(unittest.TestCase):
    def test_job_survives_an_unreachable_database(self):
        port = harness.free_port()
        server = harness.Server(args=cf.NO_RATE_LIMIT + ["--erasure-interval", "0.2"],
                                database_url=f"postgresql://recours@127.0.0.1:{port}/none",
                                migrate=False)
        server.start()
        self.addCleanup(server.close)
        for n in (1, 2):
            harness.poll(lambda: sum("erasure: database not reachable" in line.get("msg", "")
                                     for line in server.log_lines_json()) >= n,
                         POLL_S, what=f"erasure pass {n} logging the outage")
        with harness.Client(server) as c:
            self.assertEqual(c.request("GET", "/healthz").status, 200)
        server.close()  # raises unless the server exits 0 after SIGTERM


if __name__ == "__main__":
    harness.main()
