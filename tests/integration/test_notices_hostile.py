#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice routes (docs/workspace.md "Notices") given what no client should send: every
answer a documented 4xx naming what is wrong, nothing written, and the server's state what it
was (test_api_hostile walks every route by its schema; this file says, for the notices, which
refusal each input gets):

  - drafts of the wrong types, with unknown members or languages, texts past their limits,
    a text holding a NUL or a control character (a body past the server's limit is
    test_api_hostile's, on every route);
  - sends whose filter, expected_count or dry_run is of the wrong type or range, or whose
    filter has unknown members or values;
  - a notice id that is no uuid, unknown, another action's or another association's: 404 on
    every route, nothing changed; a list's cursor made up or another action's: 400."""

import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf
import notice_fixtures as nf


class NoticesHostileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = cf.new_database("notices_hostile_", cls.addClassCleanup, migrated=True)
        cls.server = cf.start_server(database_url=cls.url)
        cls.addClassCleanup(cls.server.close)

    def setUp(self):
        af.set_up_open_action(self, self.server)
        self.base = f"/v1/actions/{self.action['id']}/notices"
        af.mandated_claim(self.server, self.slug, self.action, client=self.c)

    def call(self, method, path, body=None, assoc=None, headers=None):
        return (assoc or self.A).request(method, path, body, client=self.c, headers=headers)

    def draft(self):
        r = self.call("POST", self.base, nf.draft_body(tag=" " + cf.letters(8)))
        self.assertEqual(r.status, 201, repr(r))
        return r.json()["id"]

    def notices_stored(self):
        return cf.psql("SELECT count(*), count(sent_at) FROM notices WHERE action_id = "
                       + cf.sql_literal(self.action["id"]) + "::uuid", url=self.url)[0]

    def assert_invalid(self, r, field):
        doc = harness.assert_problem(self, r, 422, "validation-error")
        self.assertIn(field, [e["field"] for e in doc["errors"]], doc)

    def test_drafts_that_cannot_be(self):
        good = nf.draft_body()
        fr = good["texts"]["fr"]
        cases = [
            ({"kind": 5, "texts": good["texts"]}, "kind"),
            ({"kind": ["information"], "texts": good["texts"]}, "kind"),
            (dict(good, kind="INFORMATION"), "kind"),
            ({"kind": "information", "texts": "both"}, "texts"),
            ({"kind": "information", "texts": [fr, fr]}, "texts"),
            ({"kind": "information", "texts": dict(good["texts"], de=fr)}, "texts.de"),
            ({"kind": "information", "texts": dict(good["texts"], fr=None)}, "texts.fr"),
            ({"kind": "information", "texts": dict(good["texts"], fr=[fr])}, "texts.fr"),
            (cf.deep_merge(good, {"texts": {"fr": {"subject": 7}}}), "texts.fr.subject"),
            (cf.deep_merge(good, {"texts": {"fr": {"subject": "s" * 201}}}), "texts.fr.subject"),
            (cf.deep_merge(good, {"texts": {"fr": {"subject": "a\u001bb"}}}), "texts.fr.subject"),
            (cf.deep_merge(good, {"texts": {"en": {"body": "b" * 20001}}}), "texts.en.body"),
            (cf.deep_merge(good, {"texts": {"en": {"body": {"text": "x"}}}}), "texts.en.body"),
            (cf.deep_merge(good, {"texts": {"en": {"html": "<b>x</b>"}}}), "texts.en.html"),
            (dict(good, essential=True), "essential"),
            (dict(good, sent_at="2026-12-01T00:00:00Z"), "sent_at"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=repr(body)[:80]):
                self.assert_invalid(self.call("POST", self.base, body), field)
        for raw, status, name in [("[]", 400, "malformed-json"), ("{", 400, "malformed-json"),
                                  ("null", 400, "malformed-json"),
                                  ('{"kind": "information", "kind": "deadline"}', 400,
                                   "malformed-json"),
                                  # jansson refuses a NUL in a string: the body is no JSON
                                  # the server reads (docs/api.md §1.3)
                                  ('{"kind": "information", "texts": {"fr": {"subject":'
                                   ' "a\\u0000b", "body": "b"}}}', 400, "malformed-json")]:
            with self.subTest(raw=raw):
                r = self.call("POST", self.base, raw, headers={"Content-Type": "application/json"})
                harness.assert_problem(self, r, status, name)
        self.assertEqual(self.notices_stored(), ["0", "0"], "nothing stored")

    def test_sends_that_cannot_be(self):
        notice = self.draft()
        path = f"{self.base}/{notice}/send"
        cases = [
            ({"expected_count": "1"}, "expected_count"),
            ({"expected_count": 1.0}, "expected_count"),
            ({"expected_count": -1}, "expected_count"),
            ({"expected_count": True}, "expected_count"),
            ({"expected_count": None}, "expected_count"),
            ({}, "expected_count"),
            ({"dry_run": "yes"}, "dry_run"),
            ({"dry_run": 1}, "dry_run"),
            ({"expected_count": 1, "filter": "all"}, "filter"),
            ({"expected_count": 1, "filter": [{"status": "received"}]}, "filter"),
            ({"expected_count": 1, "filter": {"reference": "RC-0000-0000"}}, "filter.reference"),
            ({"expected_count": 1, "filter": {"status": "withdrawn"}}, "filter.status"),
            ({"expected_count": 1, "filter": {"status": ["received"]}}, "filter.status"),
            ({"expected_count": 1, "filter": {"country": "France"}}, "filter.country"),
            ({"expected_count": 1, "filter": {"email_confirmed": "true"}},
             "filter.email_confirmed"),
            ({"expected_count": 1, "filter": {"mandated_from": 20261201}}, "filter.mandated_from"),
            ({"expected_count": 1, "filter": {"mandated_to": "x" * 5000}}, "filter.mandated_to"),
            ({"expected_count": 1, "filter": {"risk": "high"}}, "filter.risk"),
            ({"expected_count": 1, "audience": {}}, "audience"),
            ({"expected_count": 1, "state": "sent"}, "state"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=repr(body)[:80]):
                self.assert_invalid(self.call("POST", path, body), field)
        r = self.call("POST", path, '{"expected_count": 99999999999999999999}',
                      headers={"Content-Type": "application/json"})
        self.assertIn(r.status, (400, 422), repr(r))
        harness.assert_problem(self, r, r.status, "malformed-json" if r.status == 400
                               else "validation-error")
        self.assertEqual(self.notices_stored(), ["1", "0"], "still a draft")
        self.assertEqual(mf.outbox(self.url, f"notice_id = '{notice}'"), [])

    def test_notices_out_of_reach_are_not_found_and_untouched(self):
        notice = self.draft()
        B = af.approved_association(self.server, client=self.c)
        theirs = af.open_action(B, self.slug, client=self.c)
        their_notice = B.request("POST", f"/v1/actions/{theirs['id']}/notices",
                                 nf.draft_body(tag=" B"), client=self.c).json()["id"]
        other = af.open_action(self.A, self.slug, client=self.c)
        unknown = "00000000-0000-4000-8000-000000000000"
        targets = [
            (self.A, f"/v1/actions/{self.action['id']}/notices/{unknown}"),
            (self.A, f"/v1/actions/{self.action['id']}/notices/{unknown.upper()}x"),
            (self.A, f"/v1/actions/{self.action['id']}/notices/{their_notice}"),
            (self.A, f"/v1/actions/{other['id']}/notices/{notice}"),
            (self.A, f"/v1/actions/{theirs['id']}/notices/{their_notice}"),
            (B, f"{self.base}/{notice}"),
            (B, f"/v1/actions/{theirs['id']}/notices/{notice}"),
        ]
        for who, n in targets:
            for method, suffix, body in [("GET", "", None), ("GET", "/preview?lang=en", None),
                                         ("POST", "/send", {"dry_run": True}),
                                         ("POST", "/send", {"expected_count": 1}),
                                         ("POST", "/cancel", None), ("DELETE", "", None)]:
                with self.subTest(path=n + suffix, method=method):
                    harness.assert_problem(self, self.call(method, n + suffix, body, assoc=who),
                                           404, "not-found")
        for n, action in ((notice, self.action), (their_notice, theirs)):
            got = cf.psql(f"SELECT action_id, sent_at IS NULL FROM notices WHERE id = '{n}'",
                          url=self.url)
            self.assertEqual(got, [[action["id"], "t"]], "there, still a draft")
        self.assertEqual(mf.outbox(self.url, "notice_id IS NOT NULL"), [])
        # the list of another's action, and cursors that are not this list's
        harness.assert_problem(self, self.call("GET", f"/v1/actions/{theirs['id']}/notices"),
                               404, "not-found")
        for cursor in ("x", "A" * 3000, "%00"):
            with self.subTest(cursor=cursor[:10]):
                r = self.call("GET", f"{self.base}?cursor={cursor}")
                self.assertEqual(r.status, 400, repr(r))
        for _ in range(2):
            self.draft()
        page = self.call("GET", f"{self.base}?limit=1").json()
        self.assertIsNotNone(page["next"])
        harness.assert_problem(self, self.call("GET", f"/v1/actions/{other['id']}/notices"
                                                      f"?limit=1&cursor={page['next']}"),
                               400, "invalid-cursor")


if __name__ == "__main__":
    unittest.main()
