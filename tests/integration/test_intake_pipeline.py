#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The intake's per-claim writes go to PostgreSQL in one pipeline (api/db/pipeline.c,
service/intake.c write_per_claim: the eligibility lock and rows, the risk rows, the outbox
rows, one round trip). A failure of any of those statements must be the batch's, as when each
ran alone:
  - a serialization failure (SQLSTATE 40001) raised once by the risk rows' insert: the batch
    runs again, the claim is answered 201, and its eligibility, risk and outbox rows are there,
    once each;
  - a serialization failure raised by the eligibility rows' insert on every attempt: the
    writer gives up (503, retry), and nothing of the claim stays (no claim, no eligibility
    row: one transaction); once it stops, the same claimant's submission goes in.
The errors come from triggers this test installs in its own database."""

import unittest

import claims_fixtures as cf
import harness

# A sequence counts the calls (nextval is not rolled back with the failed transaction);
# setval(..., 1, false) arms it: the next call gets 1 and fails, the ones after it pass.
FAIL_ONCE = """
CREATE SEQUENCE test_risk_calls START 100;
CREATE FUNCTION test_risk_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('test_risk_calls') = 1 THEN
        RAISE EXCEPTION 'test: serialization failure' USING ERRCODE = '40001';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER test_risk_fail_once AFTER INSERT ON claim_risk
    FOR EACH STATEMENT EXECUTE FUNCTION test_risk_fail_once();
"""

# While armed (a row in test_eligibility_armed, set outside the server's transactions), every
# insert of eligibility rows fails as a serialization failure: the batch is tried, rolled
# back, tried again until the writer gives up and answers 503.
FAIL_ALWAYS = """
CREATE TABLE test_eligibility_armed (armed boolean NOT NULL);
INSERT INTO test_eligibility_armed VALUES (false);
CREATE FUNCTION test_eligibility_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT armed FROM test_eligibility_armed) THEN
        RAISE EXCEPTION 'test: serialization failure' USING ERRCODE = '40001';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER test_eligibility_fail AFTER INSERT ON claim_eligibility
    FOR EACH STATEMENT EXECUTE FUNCTION test_eligibility_fail();
"""


class IntakePipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("intake_pipeline_", cls.addClassCleanup, migrated=True)
        harness.ensure_migrated(cls.url)
        cf.psql(FAIL_ONCE + FAIL_ALWAYS, url=cls.url)
        cls.server = cf.start_server(database_url=cls.url)
        cls.addClassCleanup(cls.server.close)
        cls.slug = cf.make_incident(cls.server)

    def psql(self, sql):
        return cf.psql(sql, url=self.url)

    def rows_of(self, reference):
        """(claims, eligibility rows, risk rows, queued messages) of one reference."""
        ref = cf.sql_literal(reference)
        return self.psql(
            f"SELECT (SELECT count(*) FROM claims WHERE reference = {ref}),"
            " (SELECT count(*) FROM claim_eligibility e JOIN claims c ON c.id = e.claim_id"
            f"   WHERE c.reference = {ref}),"
            " (SELECT count(*) FROM claim_risk r JOIN claims c ON c.id = r.claim_id"
            f"   WHERE c.reference = {ref}),"
            " (SELECT count(*) FROM outbox o JOIN claims c ON c.id = o.claim_id"
            f"   WHERE c.reference = {ref})")[0]

    def test_a_serialization_failure_in_the_pipeline_runs_the_batch_again(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        self.psql("SELECT setval('test_risk_calls', 1, false)")
        r = cf.submit(c, self.slug, cf.claim_body())
        self.assertEqual(r.status, 201, f"{r!r}\n{self.server.log_text()[-3000:]}")
        # called twice: the attempt that failed, and the one that went in
        self.assertEqual(self.psql("SELECT last_value FROM test_risk_calls"), [["2"]])
        self.assertEqual(self.rows_of(r.json()["reference"]), ["1", "1", "1", "1"])
        self.assertIn("db_risk_insert_batch: sqlstate 40001", self.server.log_text())

    def test_a_failure_in_the_pipeline_leaves_nothing_of_the_claim(self):
        c = harness.Client(self.server)
        self.addCleanup(c.close)
        body = cf.claim_body()
        self.psql("UPDATE test_eligibility_armed SET armed = true")
        try:
            r = cf.submit(c, self.slug, body)
        finally:
            self.psql("UPDATE test_eligibility_armed SET armed = false")
        self.assertEqual(r.status, 503, repr(r))
        self.assertIn("db_eligibility_insert_batch: sqlstate 40001", self.server.log_text())
        # nothing of it: no claim without its eligibility row (the claims statement ran
        # before the pipeline), and the same claimant (same email) can claim again at once,
        # which a claim of theirs left standing would refuse as a duplicate
        self.assertEqual(self.psql(
            "SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id"
            f" WHERE i.slug = {cf.sql_literal(self.slug)}"
            "   AND NOT EXISTS (SELECT FROM claim_eligibility e WHERE e.claim_id = c.id)"),
            [["0"]])
        r = cf.submit(c, self.slug, body)
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(self.rows_of(r.json()["reference"]), ["1", "1", "1", "1"])

if __name__ == "__main__":
    unittest.main()
