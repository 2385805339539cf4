#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""An action and its public record are written in one transaction (docs/api.md §10.8): a POST
or PATCH that carries both commits both or neither.

A trigger makes the insert of a history event whose note is this file's marker fail with a
serialization failure (40001) while it exists (other events pass: other tests may share the
database). A PATCH changing the title and adding such an event then answers 503 and leaves the
title as it was, with no audit event; a POST opening an action with such an event leaves no
action. (Before the fix the action's members were committed first, in a transaction of their
own: the title changed though the answer was an error.)

`?lang=` on a write is refused (400 naming it): it used to be ignored, so `PATCH …?lang=en
{"mandate_text": …}` replaced the French text."""

import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

MARKER = "refused-by-test-action-record-atomic"
REFUSE = f"""
CREATE FUNCTION test_refuse_action_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.note = '{MARKER}' THEN
        RAISE EXCEPTION 'refused by test_action_record_atomic' USING ERRCODE = '40001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_refuse_action_event BEFORE INSERT ON action_events
    FOR EACH ROW EXECUTE FUNCTION test_refuse_action_event();
"""
ALLOW = """
DROP TRIGGER test_refuse_action_event ON action_events;
DROP FUNCTION test_refuse_action_event();
"""


def audit_events(action_id):
    return [r[0] for r in cf.psql("SELECT action FROM audit_events WHERE object_id = "
                                  + cf.sql_literal(action_id) + " ORDER BY seq")]


class ActionRecordAtomicTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)
        cls.assoc = af.approved_association(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def refused_event(self):
        return {"kind": "hearing", "date": "2027-03-01", "note": MARKER}

    def test_patch_writes_both_or_neither(self):
        action = af.open_action(self.assoc, self.slug, title="Before")
        path = f"/v1/actions/{action['id']}"
        events = audit_events(action["id"])
        cf.psql(REFUSE)
        try:
            r = self.assoc.request("PATCH", path, {"title": "After",
                                                   "history_add": self.refused_event()})
        finally:
            cf.psql(ALLOW)
        harness.assert_problem(self, r, 503, "service-unavailable")
        doc = self.assoc.request("GET", path).json()
        self.assertEqual(doc["title"], "Before", "the title was committed without its record")
        self.assertEqual([e["kind"] for e in doc["history"]], ["opened"])
        self.assertEqual(audit_events(action["id"]), events)

        # the same PATCH once the trigger is gone: both, and both audited
        r = self.assoc.request("PATCH", path, {"title": "After",
                                               "history_add": self.refused_event()})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["title"], [e["kind"] for e in r.json()["history"]]),
                         ("After", ["opened", "hearing"]))
        self.assertEqual(audit_events(action["id"])[len(events):],
                         ["action.update", "action.record.update"])

    def test_new_mandate_version_with_its_english_text(self):
        """The action first: the English text lands on the version the same PATCH puts in
        force, and the earlier version keeps its own."""
        action = af.open_action(self.assoc, self.slug)
        path = f"/v1/actions/{action['id']}"
        old = action["mandate_text_version"]
        r = self.assoc.request("PATCH", path, {"mandate_text_en": "English, first version"})
        self.assertEqual(r.status, 200, r)
        r = self.assoc.request("PATCH", path, {"mandate_text_version": old + "-2",
                                               "mandate_text": "Texte, deuxième version",
                                               "mandate_text_en": "English, second version"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["mandate_text_version"], r.json()["mandate_text_en"]),
                         (old + "-2", "English, second version"))
        texts = cf.psql("SELECT version, lang, text FROM action_mandate_texts WHERE action_id = "
                        + cf.sql_literal(action["id"]) + " AND lang = 'en' ORDER BY version")
        self.assertEqual(texts, [[old, "en", "English, first version"],
                                 [old + "-2", "en", "English, second version"]])

    def test_post_writes_both_or_neither(self):
        title = "Atomic " + cf.suffix(10)
        body = af.action_body(self.slug, title=title, history_add=self.refused_event())
        cf.psql(REFUSE)
        try:
            r = self.assoc.request("POST", "/v1/actions", body)
        finally:
            cf.psql(ALLOW)
        harness.assert_problem(self, r, 503, "service-unavailable")
        self.assertEqual(cf.psql("SELECT count(*) FROM actions WHERE title = "
                                 + cf.sql_literal(title)), [["0"]])

    def test_lang_on_a_write_is_refused(self):
        action = af.open_action(self.assoc, self.slug)
        path = f"/v1/actions/{action['id']}"
        r = self.assoc.request("PATCH", path + "?lang=en", {"mandate_text": "English?"})
        harness.assert_problem(self, r, 400, "invalid-parameter")
        self.assertEqual(r.json()["errors"][0]["field"], "lang")
        self.assertEqual(self.assoc.request("GET", path).json()["mandate_text"],
                         action["mandate_text"], "the French text was replaced")
        r = self.assoc.request("POST", "/v1/actions?lang=en", af.action_body(self.slug))
        harness.assert_problem(self, r, 400, "invalid-parameter")


if __name__ == "__main__":
    harness.main()
