#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A valid credential of another kind on a claimant route (docs/api.md §2.3, issue 10): an
association key, the operator key of the secrets or an operator API key on
`/v1/claims/{reference}` is outside its reach there, so it gets 404 `not-found` with the very
document of a missing claim; no credential, garbage or a revoked key stays 401 `unauthorized`
with `WWW-Authenticate`. The claimant routes are read from `recours routes`, so a new one is
covered too. The claim's own token still works afterwards, and the refusals left the claim
unchanged (not corrected, not withdrawn).
"""

import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import test_roles


def claimant_routes():
    out = subprocess.run([harness.recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S, check=True)
    rows = [line.split() for line in out.stdout.splitlines() if line.strip()]
    return [(method, path) for method, path, role in rows if role == "claimant"]


class CredentialKindsTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)
        cls.assoc = af.approved_association(cls.server)
        cls.revoked = af.approved_association(cls.server)
        af.revoke_key(cls.server, cls.revoked.key_id)
        cls.operator_api_key = test_roles.cli_operator_key(cls.server)
        cls.action = af.open_action(cls.assoc, cls.slug)
        # mandated to the association: even the association the claim is mandated to has no
        # claimant's reach over it
        cls.claim = af.mandated_claim(cls.server, cls.slug, cls.action)

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def send(self, method, path, reference, token):
        body = {"harms": {"hours_spent": 4}} if method == "PATCH" else None
        return af.request(self.server, method, path.replace("{reference}", reference),
                          token=token, body=body)

    def missing_claim_document(self, method, path):
        """The answer for a claim that does not exist (a well-formed reference and token)."""
        r = self.send(method, path, "RC-0000-0000", self.claim["token"])
        harness.assert_problem(self, r, 404, "not-found")
        return r.body

    def test_routes_found(self):
        self.assertGreaterEqual(len(claimant_routes()), 3)

    def test_valid_credentials_of_other_kinds_answer_like_a_missing_claim(self):
        kinds = {"association key": self.assoc.key,
                 "operator key": self.server.operator_key,
                 "operator API key": self.operator_api_key}
        for method, path in claimant_routes():
            missing = self.missing_claim_document(method, path)
            for kind, token in kinds.items():
                with self.subTest(route=f"{method} {path}", credential=kind):
                    r = self.send(method, path, self.claim["reference"], token)
                    harness.assert_problem(self, r, 404, "not-found")
                    self.assertEqual(r.body, missing, "the same document as a missing claim")
                    self.assertNotIn("WWW-Authenticate", r.headers)
        self.assert_untouched()

    def test_no_credential_garbage_or_revoked_is_401(self):
        kinds = {"none": None, "garbage": "garbage", "revoked key": self.revoked.key,
                 "malformed key": "rk_" + "x" * 20}
        for method, path in claimant_routes():
            for kind, token in kinds.items():
                with self.subTest(route=f"{method} {path}", credential=kind):
                    r = self.send(method, path, self.claim["reference"], token)
                    harness.assert_problem(self, r, 401, "unauthorized")
                    self.assertTrue(r.headers.get("WWW-Authenticate", "").startswith("Bearer"))
        self.assert_untouched()

    def assert_untouched(self):
        r = af.request(self.server, "GET", f"/v1/claims/{self.claim['reference']}",
                       token=self.claim["token"])
        self.assertEqual(r.status, 200, repr(r))
        doc = r.json()
        self.assertEqual(doc["status"], "received")
        self.assertEqual(doc["harms"]["hours_spent"], self.claim["body"]["harms"]["hours_spent"])


if __name__ == "__main__":
    unittest.main()
