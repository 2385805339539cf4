#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""An Idempotency-Key answer is stored in the transaction of the request's effect (docs/api.md
§4, docs/architecture.md §5): the two commit together or not at all.

A trigger makes every insert into idempotency_keys fail with a serialization failure (40001)
while it exists. A POST with a key then answers 503 and leaves nothing behind: no object
without its stored answer, which a retry with the key would write a second time. Once the
trigger is gone, the retry with the same key creates the object once and its answer is
replayed after. (Before the fix the answer was stored after the handler's COMMIT, best effort:
the first POST answered 201, the object stood, and its answer was lost.)

One server and one database for the file (the trigger touches every POST with a key)."""

import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

REFUSE = """
CREATE FUNCTION test_refuse_idempotency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'refused by test_idempotency_atomic' USING ERRCODE = '40001';
END $$;
CREATE TRIGGER test_refuse_idempotency BEFORE INSERT ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION test_refuse_idempotency();
"""
ALLOW = """
DROP TRIGGER test_refuse_idempotency ON idempotency_keys;
DROP FUNCTION test_refuse_idempotency();
"""


def associations_named(name):
    return int(cf.psql("SELECT count(*) FROM associations WHERE name = "
                       + cf.sql_literal(name))[0][0])


class IdempotencyAtomicTest(unittest.TestCase):
    def setUp(self):
        self.server = cf.start_server(self)

    def post(self, body, key):
        return af.request(self.server, "POST", "/v1/associations", token=self.server.operator_key,
                          body=body, headers={"Idempotency-Key": key})

    def test_no_effect_stands_without_its_stored_answer(self):
        body = af.association_body()
        key = "atomic-" + cf.suffix(20)
        cf.psql(REFUSE)
        try:
            refused = self.post(body, key)
        finally:
            cf.psql(ALLOW)
        harness.assert_problem(self, refused, 503, "service-unavailable")
        self.assertEqual(associations_named(body["name"]), 0,
                         "the association was kept though its answer could not be stored")

        first = self.post(body, key)
        self.assertEqual(first.status, 201, repr(first))
        self.assertNotIn("Idempotency-Replayed", first.headers)
        self.assertEqual(associations_named(body["name"]), 1)
        again = self.post(body, key)
        self.assertEqual((again.status, again.body), (201, first.body), repr(again))
        self.assertEqual(again.headers.get("Idempotency-Replayed"), "true")
        self.assertEqual(associations_named(body["name"]), 1)

    def test_a_refusal_is_kept_without_an_effect(self):
        """A 4xx has no effect: its answer is stored in a transaction of its own and
        replayed."""
        body = af.association_body(country="not a country")
        key = "atomic-" + cf.suffix(20)
        first = self.post(body, key)
        harness.assert_problem(self, first, 422, "validation-error")
        again = self.post(body, key)
        self.assertEqual((again.status, again.body), (422, first.body), repr(again))
        self.assertEqual(again.headers.get("Idempotency-Replayed"), "true")


if __name__ == "__main__":
    unittest.main()
