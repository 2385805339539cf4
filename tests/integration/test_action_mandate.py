#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""GET /v1/actions/{id}/mandate: the mandate an action offers on the claim form (public;
docs/api.md §14.1, docs/decisions.md "Actions, mandates, memberships"). It answers while a
submission would accept the mandate, with what the claimant must see (who represents them,
for what, until when, the text and its version), and 404 otherwise, exactly as for an id that
does not exist. The version it gives is the one a submission must send back."""

import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

# a write by another process reaches the intake cache within 1 s (test_intake_cache.py)
STALE_S = 2.5


class ActionMandateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.c = harness.Client(self.server)
        self.addCleanup(self.c.close)
        self.assoc = af.approved_association(self.server, client=self.c,
                                             name="Association Test " + cf.letters(6))
        self.slug = cf.make_incident(self.server)
        self.action = af.open_action(self.assoc, self.slug, client=self.c,
                                     mandate_text="Je donne mandat à l'association.\n\nArticle 80.",
                                     mandate_text_version="2026-11-b")

    def get(self, action_id, token=None):
        return af.request(self.server, "GET", f"/v1/actions/{action_id}/mandate", token=token,
                          client=self.c)

    def assert_not_offered(self, action_id, token=None):
        harness.assert_problem(self, self.get(action_id, token), 404, "not-found")

    def test_an_open_action_offers_its_mandate(self):
        r = self.get(self.action["id"])
        self.assertEqual(r.status, 200, repr(r))
        body = r.json()
        self.assertEqual(body, {
            "action_id": self.action["id"], "incident": self.slug,
            "title": self.action["title"],
            "association": {"id": self.assoc.id, "name": self.assoc.obj["name"],
                            "approval_reference": self.assoc.obj["approval_reference"],
                            "country": self.assoc.obj["country"]},
            "legal_basis": "gdpr-art80-1", "opt_in_deadline": self.action["opt_in_deadline"],
            "counsel_name": self.action["counsel_name"],
            "mandate_text": "Je donne mandat à l'association.\n\nArticle 80.",
            "mandate_text_version": "2026-11-b"})
        self.assertNotIn("counsel_email", body)
        # the version offered is the one a submission is held to
        r = cf.submit(self.c, self.slug, cf.claim_body(
            action_id=body["action_id"], mandate_text_version=body["mandate_text_version"]))
        self.assertEqual(r.status, 201, repr(r))
        self.assertEqual(r.json()["action_id"], self.action["id"])
        # the path id may be upper case; a credential changes nothing on a public route
        self.assertEqual(self.get(self.action["id"].upper()).status, 200)
        self.assertEqual(self.get(self.action["id"], token=self.assoc.key).status, 200)

    def test_mandate_text_keeps_paragraphs_and_refuses_other_controls(self):
        r = self.assoc.request("POST", "/v1/actions",
                               af.action_body(self.slug, mandate_text="Mandat\u0007"),
                               client=self.c)
        self.assertEqual(cf.errors_of(self, r), {("mandate_text", "invalid-format")})
        r = self.assoc.request("PATCH", f"/v1/actions/{self.action['id']}",
                               {"mandate_text": "Article 1.\n\tArticle 2."}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["mandate_text"], "Article 1.\n\tArticle 2.")

    def test_unknown_and_malformed_ids_are_not_found(self):
        for action_id in ("00000000-0000-4000-8000-000000000000", "not-a-uuid", "1"):
            with self.subTest(action_id=action_id):
                self.assert_not_offered(action_id)

    def test_no_offer_once_the_action_stops_taking_mandates(self):
        self.assertEqual(self.get(self.action["id"]).status, 200)   # cached from here on
        af.set_action_status(self.assoc, self.action, "filed", client=self.c)
        self.assert_not_offered(self.action["id"])

        other = af.open_action(self.assoc, self.slug, client=self.c)
        self.assertEqual(self.get(other["id"]).status, 200)
        af.suspend(self.server, self.assoc, client=self.c)
        self.assert_not_offered(other["id"])
        af.patch_association(self.server, self.assoc.id, {"status": "approved"}, client=self.c)
        self.assertEqual(self.get(other["id"]).status, 200)
        cf.close_incident(self.server, self.slug)
        self.assert_not_offered(other["id"])

    def test_no_offer_after_the_deadline(self):
        self.assertEqual(self.get(self.action["id"]).status, 200)
        cf.psql("UPDATE actions SET opt_in_deadline = now() - interval '1 second' WHERE id = "
                f"{cf.sql_literal(self.action['id'])}")
        harness.poll(lambda: self.get(self.action["id"]).status == 404, STALE_S,
                     what="the passed deadline to close the offer")
        self.assert_not_offered(self.action["id"])


if __name__ == "__main__":
    harness.main()
