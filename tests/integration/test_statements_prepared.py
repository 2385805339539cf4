#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Statements are prepared on a connection when it first runs them (api/db/prepared.h;
docs/decisions.md "Statements prepared on first use"), once one connection of the server proved
at start that every statement prepares:
  - the proof is logged at start, made by a connection that serves no request;
  - a statement first run in a transaction that rolled back stays prepared (PostgreSQL keeps a
    session's prepared statements whatever becomes of the transaction that made them): a
    request that ends in a conflict, then one that succeeds with the same statement;
  - a statement that cannot be prepared when first run (a table missing) answers that request
    503, not 500, names the statement in the log, and works once the table is back;
  - a server started on a database whose schema is behind refuses every connection as before:
    the proof's failure is logged with the statement's name, /readyz says migrations are
    pending, a request answers 503.
One server on the file's migrated database (one HTTP worker, so every request meets the same
connection), one on an empty database."""

import json
import unittest

import claims_fixtures as cf
import harness

PROVED = "every statement prepares"


def logged(server, text):
    return any(text in line.get("msg", "") for line in server.log_lines_json())


class FirstUse(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=1)
        cls.server.wait_log(lambda line: PROVED in line.get("msg", ""),
                            what="the start's proof that every statement prepares")

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def setUp(self):
        self.client = harness.Client(self.server)
        self.addCleanup(self.client.close)

    def operator(self, method, path, body=None):
        return self.client.request(method, path, body=body, token=self.server.operator_key)

    def test_postgresql_keeps_a_statement_prepared_in_a_rolled_back_transaction(self):
        rows = cf.psql("BEGIN; PREPARE made_in_tx AS SELECT 41 + 1; ROLLBACK;"
                       " EXECUTE made_in_tx;")
        self.assertEqual(rows, [["42"]])

    def test_a_statement_first_run_in_a_rolled_back_transaction_stays_prepared(self):
        # the slug taken behind the server's back, so that its connection first runs the
        # insert in the request that conflicts
        slug = "it-" + cf.suffix(12)
        cf.psql("INSERT INTO incidents (slug, controller, title, disclosed_on, affected_count,"
                " data_categories, authority_reference, status, currency)"
                f" VALUES ('{slug}', 'ACME SA', 'Leak', '2026-02-10', 10, '{{name}}', 'ref',"
                " 'open', 'EUR')")
        body = {"slug": slug, "controller": "ACME SA", "title": "Customer database leak",
                "disclosed_on": "2026-02-10", "affected_count": 1000,
                "data_categories": ["name", "email"], "authority_reference": "CNIL 2026-0042",
                "currency": "EUR"}
        r = self.operator("POST", "/v1/incidents", body)
        self.assertEqual(r.status, 409, r)
        body["slug"] = "it-" + cf.suffix(12)
        r = self.operator("POST", "/v1/incidents", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["slug"], body["slug"])

    def test_a_statement_that_cannot_be_prepared_answers_503_and_is_named(self):
        slug = cf.make_incident(self.server)
        cf.psql("ALTER TABLE claim_eligibility RENAME TO claim_eligibility_away")
        try:
            r = self.operator("GET", f"/v1/incidents/{slug}/risk")
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.json()["type"].rsplit("/", 1)[-1], "service-unavailable")
            self.assertTrue(logged(self.server,
                                   "could not prepare db_risk_incident_days: 42P01"),
                            harness.tail(self.server.log_text()))
        finally:
            cf.psql("ALTER TABLE claim_eligibility_away RENAME TO claim_eligibility")
        r = self.operator("GET", f"/v1/incidents/{slug}/risk")
        self.assertEqual(r.status, 200, r)

    def test_a_held_statement_whose_table_changed_answers_503_then_works_again(self):
        """A statement already prepared on the connection, whose table was renamed or whose
        result column changed type under it (a migration while the server runs), answered 500,
        and after a type change every later request on that connection too (PostgreSQL's
        0A000 "cached plan must not change result type" lasts until it is prepared again). Now:
        503 naming the statement; a 0A000 outside a transaction is prepared again and run at
        once (GET), inside one (PATCH) answers 503 and the next request prepares it again."""
        slug = cf.make_incident(self.server)
        path = f"/v1/incidents/{slug}"
        for method, body in (("GET", None), ("PATCH", {"status": "open"})):  # now held
            self.assertEqual(self.operator(method, path, body).status, 200)
        cf.psql("ALTER TABLE incidents RENAME TO incidents_away")
        try:
            r = self.operator("GET", path)
        finally:
            cf.psql("ALTER TABLE incidents_away RENAME TO incidents")
        self.assertEqual(r.status, 503, r)
        self.assertIn("Retry-After", r.headers)
        self.assertTrue(logged(self.server, "db_incidents_get no longer matches the schema it "
                               "was prepared on: 42P01"), harness.tail(self.server.log_text()))
        self.assertEqual(self.operator("GET", path).status, 200)
        cf.psql("ALTER TABLE incidents ALTER COLUMN title TYPE varchar(300)")
        try:
            r = self.operator("GET", path)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(logged(self.server, "db_incidents_get: its result type changed"),
                            harness.tail(self.server.log_text()))
            # the PATCH's two statements return the column: each fails once, in turn
            for stmt in ("db_incidents_get_for_update", "db_incidents_update"):
                r = self.operator("PATCH", path, {"status": "open"})
                self.assertEqual(r.status, 503, r)
                self.assertTrue(logged(self.server, f"{stmt} no longer matches the schema it "
                                       "was prepared on: 0A000"),
                                harness.tail(self.server.log_text()))
            r = self.operator("PATCH", path, {"status": "open"})
            self.assertEqual(r.status, 200, r)
        finally:
            cf.psql("ALTER TABLE incidents ALTER COLUMN title TYPE text")
        self.assertEqual(self.operator("GET", path).json()["slug"], slug)


class SchemaBehind(unittest.TestCase):
    def test_the_proof_fails_and_every_request_is_refused(self):
        url = cf.new_database("recours_t_prep_empty_", self.addCleanup)
        server = cf.start_server(self, database_url=url, migrate=False)
        server.wait_log(lambda line: line.get("msg", "").startswith("could not prepare "),
                        what="the proof's failure, with the statement's name")
        self.assertFalse(logged(server, PROVED))
        with harness.Client(server) as c:
            r = c.request("GET", "/readyz")
            self.assertEqual(r.status, 503, r)
            self.assertIn("migrations are pending", json.dumps(r.json()))
            r = c.request("GET", "/v1/incidents")
            self.assertEqual(r.status, 503, r)
            self.assertIn("Retry-After", r.headers)


if __name__ == "__main__":
    unittest.main()
