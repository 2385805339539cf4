#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The association's workspace on its members (docs/workspace.md): the filtered member list and
its keyset walk under concurrent inserts, a member's claim read with its personal data (each
read audited, nothing personal in the audit), review decisions one at a time and in bulk with
the count confirmed, the correction window after a rejection, removal with a reason, and 404 for
another association on every workspace route."""

import contextlib
import subprocess
import threading
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import mail_fixtures as mf


def audit_rows(action, object_id):
    """(actor, object_type) of the audit events of this action name on object_id."""
    return cf.psql("SELECT actor, object_type FROM audit_events"
                   f" WHERE action = {cf.sql_literal(action)}"
                   f" AND object_id = {cf.sql_literal(object_id)} ORDER BY seq")


class WorkspaceMembersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=6)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        af.set_up_open_action(self, self.server)
        self.base = f"/v1/actions/{self.action['id']}"

    def member(self, **overrides):
        return af.mandated_claim(self.server, self.slug, self.action, client=self.c, **overrides)

    def get(self, path, assoc=None):
        return (assoc or self.A).request("GET", self.base + path, client=self.c)

    def post(self, path, body, assoc=None):
        return (assoc or self.A).request("POST", self.base + path, body, client=self.c)

    def refs(self, query):
        r = self.get("/members?" + query)
        self.assertEqual(r.status, 200, repr(r))
        return [m["reference"] for m in r.json()["data"]]

    def test_filters_and_sorts(self):
        fr_v = self.member()
        de_c = self.member(claimant={"address": {"country": "DE"}}, payment_preference="cash")
        fr_c = self.member(payment_preference="cash")
        everyone = {fr_v["reference"], de_c["reference"], fr_c["reference"]}
        self.assertEqual(set(self.refs("")), everyone)
        self.assertEqual(self.refs("country=de"), [de_c["reference"]])
        self.assertEqual(set(self.refs("payment_preference=cash")),
                         {de_c["reference"], fr_c["reference"]})
        self.assertEqual(self.refs("country=FR&payment_preference=cash"), [fr_c["reference"]])
        self.assertEqual(set(self.refs("status=received")), everyone)
        self.assertEqual(self.refs("status=verified"), [])
        self.assertEqual(self.refs("reference=" + de_c["reference"].lower()), [de_c["reference"]])
        # the address confirmed (the link of the confirmation email, here straight in SQL)
        cf.psql("UPDATE claims SET email_verified_at = now() WHERE reference = "
                + cf.sql_literal(fr_c["reference"]))
        self.assertEqual(self.refs("email_confirmed=true"), [fr_c["reference"]])
        self.assertEqual(set(self.refs("email_confirmed=false")),
                         {fr_v["reference"], de_c["reference"]})
        r = self.post("/reviews", {"filter": {"email_confirmed": False}, "decision": "verified",
                                   "dry_run": True})
        self.assertEqual(r.json()["count"], 2, repr(r))
        # mandate dates: the three were mandated in submission order
        r = self.get("/members?sort=mandated_at")
        rows = r.json()["data"]
        self.assertEqual([m["reference"] for m in rows],
                         [fr_v["reference"], de_c["reference"], fr_c["reference"]])
        self.assertEqual(self.refs("sort=mandated_at&order=desc"),
                         [fr_c["reference"], de_c["reference"], fr_v["reference"]])
        second = urllib.parse.quote(rows[1]["mandated_at"], safe="")
        self.assertEqual(self.refs("sort=mandated_at&mandated_from=" + second),
                         [de_c["reference"], fr_c["reference"]])
        self.assertEqual(self.refs("sort=mandated_at&mandated_to=" + second),
                         [fr_v["reference"]])
        self.assertEqual(self.refs("order=desc"), sorted(everyone, reverse=True))
        for bad in ("status=withdrawn", "country=XX1", "reference=nonsense", "email_confirmed=1", "payment_preference=gold",
                    "mandated_from=yesterday", "sort=name", "order=up"):
            with self.subTest(query=bad):
                r = self.get("/members?" + bad)
                harness.assert_problem(self, r, 400, "invalid-parameter")
        # a row says what the list needs, nothing personal
        row = rows[0]
        for key in ("claim_status", "country", "payment_preference", "mandated_at",
                    "duplicate_attempts", "review_reason", "reviewed_at"):
            self.assertIn(key, row)
        self.assertNotIn(fr_v["body"]["claimant"]["email"], repr(r.json()))

    def walk(self, query, limit):
        seen, cursor = [], None
        for _ in range(10_000):
            path = f"/members?limit={limit}&{query}"
            if cursor is not None:
                path += "&cursor=" + urllib.parse.quote(cursor, safe="")
            r = self.get(path)
            self.assertEqual(r.status, 200, repr(r))
            doc = r.json()
            seen += [m["reference"] for m in doc["data"]]
            cursor = doc["next"]
            if cursor is None:
                return seen
        self.fail("the walk does not end")

    def test_every_member_once_in_a_walk_under_concurrent_inserts(self):
        initial = [self.member()["reference"] for _ in range(60)]
        stop, added, errors = threading.Event(), [], []

        def keep_adding():
            try:
                with harness.Client(self.server) as c:
                    while not stop.is_set():
                        added.append(af.mandated_claim(self.server, self.slug, self.action,
                                                       client=c)["reference"])
            except BaseException as e:  # reported below
                errors.append(e)

        adders = [threading.Thread(target=keep_adding, daemon=True) for _ in range(2)]
        for t in adders:
            t.start()
        try:
            harness.poll(lambda: len(added) >= 2, 30, what="concurrent inserts started")
            walks = {q: self.walk(q, 7) for q in ("sort=mandated_at", "sort=mandated_at&order=desc",
                                                 "order=desc", "status=received")}
        finally:
            stop.set()
            for t in adders:
                t.join(timeout=30)
        if errors:
            raise errors[0]
        for q, seen in walks.items():
            with self.subTest(query=q):
                self.assertEqual(len(seen), len(set(seen)), "a member seen twice")
                self.assertEqual(set(initial) - set(seen), set(), "an initial member missed")
                self.assertLessEqual(set(seen) - set(initial), set(added))
        # a cursor of one order does not walk another
        r = self.get("/members?limit=1&sort=mandated_at")
        cursor = urllib.parse.quote(r.json()["next"], safe="")
        harness.assert_problem(self, self.get("/members?sort=reference&cursor=" + cursor), 400,
                               "invalid-cursor")

    def test_member_read_has_personal_data_and_is_audited(self):
        m = self.member()
        r = self.get(f"/members/{m['reference'].lower()}")
        self.assertEqual(r.status, 200, repr(r))
        doc = r.json()
        self.assertEqual(doc["claim"]["reference"], m["reference"])
        self.assertEqual(doc["claim"]["claimant"]["email"], m["body"]["claimant"]["email"])
        self.assertEqual(doc["review"]["status"], "received")
        self.assertEqual(doc["duplicate_attempts"], {"count": 0, "dates": []})
        self.assertEqual(audit_rows("claim.read", m["reference"]),
                         [[f"association:{self.A.id}", "claim"]])
        self.get(f"/members/{m['reference']}")
        self.assertEqual(len(audit_rows("claim.read", m["reference"])), 2, "each read audited")
        # a refused duplicate submission: its count and date, never its data
        dup = cf.claim_body(claimant={"email": m["body"]["claimant"]["email"],
                                      "given_name": "Intruder"})
        r = af.request(self.server, "POST", f"/v1/incidents/{self.slug}/claims", body=dup,
                       client=self.c)
        self.assertEqual(r.status, 409, repr(r))
        doc = self.get(f"/members/{m['reference']}").json()
        self.assertEqual(doc["duplicate_attempts"]["count"], 1)
        self.assertEqual(len(doc["duplicate_attempts"]["dates"]), 1)
        self.assertNotIn("Intruder", repr(doc))
        row = self.get("/members?reference=" + m["reference"]).json()["data"][0]
        self.assertEqual(row["duplicate_attempts"], 1)
        # a claim that is not a member of this action
        other = af.plain_claim(self.server, self.slug, client=self.c)
        harness.assert_problem(self, self.get(f"/members/{other['reference']}"), 404,
                               "not-found")
        self.assertEqual(audit_rows("claim.read", other["reference"]), [])

    def test_head_is_refused_where_a_get_records(self):
        # a member's claim (claim.read), an evidence file (evidence.download) and an export
        # (an export record) are recorded when they are served: a HEAD, which runs the GET's
        # handler and drops the body, would record what nobody read (api/route_table.h)
        m = self.member()
        for path in (f"/members/{m['reference']}", f"/members/{m['reference']}/evidence/"
                     "00000000-0000-4000-8000-000000000000", "/export?format=csv"):
            r = self.A.request("HEAD", self.base + path, client=self.c)
            self.assertEqual(r.status, 405, (path, r))
            allow = r.headers.get("Allow", "").split(", ")
            self.assertIn("GET", allow, path)
            self.assertNotIn("HEAD", allow, path)
        self.assertEqual(audit_rows("claim.read", m["reference"]), [])
        self.assertEqual(cf.psql("SELECT count(*) FROM exports WHERE action_id = "
                                 f"{cf.sql_literal(self.action['id'])}"), [["0"]])
        # the GET itself still answers, and a HEAD where nothing is recorded too
        self.assertEqual(self.get(f"/members/{m['reference']}").status, 200)
        r = self.A.request("HEAD", self.base + "/members", client=self.c)
        self.assertEqual((r.status, r.body), (200, b""))

    def test_bulk_review_confirms_the_count_and_moves_the_summary(self):
        cash = [self.member(payment_preference="cash") for _ in range(3)]
        self.member()
        summary = lambda: self.get("/compensation").json()["claims_by_status"]
        before = summary()
        flt = {"payment_preference": "cash", "status": "received"}
        r = self.post("/reviews", {"filter": flt, "decision": "verified", "dry_run": True})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["count"], 3)
        self.assertIsNone(r.json()["batch_id"])
        r = self.post("/reviews", {"filter": flt, "decision": "verified"})
        self.assertEqual(r.status, 422, "a filter decision needs the confirmed count")
        self.member(payment_preference="cash")   # the set changes after the dry run
        r = self.post("/reviews", {"filter": flt, "decision": "verified", "expected_count": 3})
        harness.assert_problem(self, r, 409, "count-changed")
        self.assertEqual(r.json()["detail"], "4 members match now, not 3: nothing was changed")
        self.assertEqual(summary(), {**before, "received": before["received"] + 1})
        r = self.post("/reviews", {"filter": flt, "decision": "verified", "expected_count": 4})
        self.assertEqual(r.status, 200, repr(r))
        out = r.json()
        self.assertEqual(out["count"], 4)
        after = summary()
        self.assertEqual(after["verified"], before["verified"] + 4)
        self.assertEqual(after["received"], before["received"] + 1 - 4)
        self.assertEqual(audit_rows("action.members.review", out["batch_id"]),
                         [[f"association:{self.A.id}", "review"]])
        self.assertEqual(cf.psql("SELECT count(*) FROM claim_reviews WHERE batch_id = "
                                 f"{cf.sql_literal(out['batch_id'])}::uuid"), [["4"]])
        self.assertEqual(set(self.refs("status=verified")) >= {c["reference"] for c in cash},
                         True)
        # one at a time: reject with a reason and a note
        one = cash[0]["reference"]
        r = self.post("/reviews", {"references": [one], "decision": "rejected"})
        self.assertEqual(r.status, 422, "a rejection needs a reason")
        r = self.post("/reviews", {"references": [one, "RC-0000-000"], "decision": "verified"})
        self.assertEqual(r.status, 422, "a malformed reference is refused, not counted out")
        self.assertIn(("references[1]", "invalid-value"), cf.errors_of(self, r))
        r = self.post("/reviews", {"references": [one.lower()], "decision": "rejected",
                                   "reason": "other", "dry_run": True})
        self.assertEqual(r.json()["count"], 1, "a reference in lower case is the same claim")
        r = self.post("/reviews", {"references": [one], "decision": "rejected",
                                   "reason": "outside_period", "note": "bought in 2019"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["count"], 1)
        doc = self.get(f"/members/{one}").json()
        self.assertEqual(doc["review"]["status"], "rejected")
        self.assertEqual(doc["review"]["reason"], "outside_period")
        self.assertEqual(doc["review"]["note"], "bought in 2019")
        self.assertIsNotNone(doc["review"]["correctable_until"])
        # the same decision again moves nothing
        r = self.post("/reviews", {"references": [one], "decision": "rejected",
                                   "reason": "other"})
        self.assertEqual(r.json()["count"], 0)
        self.assertEqual(summary()["rejected"], before["rejected"] + 1)
        # the claimant corrects within the window: back to review
        r = af.claimant_patch(self.server, cash[0], {"harms": {"hours_spent": 5}}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["status"], "received")
        self.assertEqual(summary()["rejected"], before["rejected"])
        self.assertEqual(cf.psql("SELECT decision FROM claim_reviews r JOIN claims c"
                                 " ON c.id = r.claim_id WHERE c.reference = "
                                 f"{cf.sql_literal(one)} ORDER BY r.id"),
                         [["verified"], ["rejected"], ["reopened"]])

    def test_timeline_counts_members_per_day(self):
        for _ in range(3):
            self.member()
        r = self.get("/timeline")
        self.assertEqual(r.status, 200, repr(r))
        days = r.json()["members_per_day"]
        self.assertEqual(sum(d["members"] for d in days), 3)
        self.assertEqual(days[-1]["date"], cf.psql("SELECT to_char(now() AT TIME ZONE 'UTC',"
                                                   " 'YYYY-MM-DD')")[0][0])

    def messages_to(self, address, subject_part):
        """The .eml messages of the server to address whose subject has subject_part."""
        out = []
        for path in mf.eml_files(self.server):
            with open(path, "rb") as f:
                msg = mf.parse(f.read())
            if address in str(msg["To"]) and subject_part in str(msg["Subject"]):
                out.append(msg)
        return out

    def test_the_claimant_is_told_of_a_rejection_and_a_removal_in_their_language(self):
        en = self.member(lang="en")
        fr = self.member()
        r = self.post("/reviews", {"references": [en["reference"], fr["reference"]],
                                   "decision": "rejected", "reason": "outside_period"})
        self.assertEqual(r.json()["count"], 2, repr(r))
        msg = harness.poll(lambda: self.messages_to(en["body"]["claimant"]["email"],
                                                    "Your claim was not accepted"),
                           60, what="the rejection email in English")[0]
        text = mf.text_of(msg)
        self.assertIn(en["reference"], text)
        self.assertIn("Reason: what the claim describes is outside the incident's period", text)
        until = cf.psql("SELECT to_char(correctable_until AT TIME ZONE 'UTC', 'FMDD FMMonth YYYY')"
                        " FROM claims WHERE reference = " + cf.sql_literal(en["reference"]))[0][0]
        self.assertIn(f"You may correct it until {until} (with your claim token)", text)
        self.assertNotIn(en["token"], text)
        msg = harness.poll(lambda: self.messages_to(fr["body"]["claimant"]["email"],
                                                    "n'a pas été retenue"),
                           60, what="the rejection email in French")[0]
        self.assertIn("en dehors de la période de l'incident", mf.text_of(msg))
        self.assertIn("Vous pouvez la corriger jusqu'au ", mf.text_of(msg))
        # the outbox holds the reason code, nothing personal
        rows = cf.psql("SELECT params::text FROM outbox o JOIN claims c ON c.id = o.claim_id"
                       " WHERE o.kind = 'claim-rejected' AND c.reference = "
                       + cf.sql_literal(en["reference"]))
        self.assertEqual(rows, [['{"reason": "outside_period"}']])
        r = self.post(f"/members/{en['reference']}/removal", {"reason": "duplicate"})
        self.assertEqual(r.status, 200, repr(r))
        msg = harness.poll(lambda: self.messages_to(en["body"]["claimant"]["email"],
                                                    "no longer a member"),
                           60, what="the removal email")[0]
        self.assertIn("Reason: the claim duplicates another one", mf.text_of(msg))

    def test_removal_with_a_reason(self):
        m = self.member()
        r = self.post(f"/members/{m['reference']}/removal", {"reason": "gone"})
        self.assertEqual(r.status, 422, repr(r))
        r = self.post(f"/members/{m['reference']}/removal", {"reason": "claimant_request"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.refs(""), [])
        self.assertEqual(audit_rows("action.members.remove", m["reference"]),
                         [[f"association:{self.A.id}", "claim"]])
        r = self.post(f"/members/{m['reference']}/removal", {"reason": "claimant_request"})
        harness.assert_problem(self, r, 404, "not-found")

    def test_another_association_gets_404_on_every_route(self):
        m = self.member()
        B = af.approved_association(self.server, client=self.c)
        ref = m["reference"]
        attempts = [
            ("GET", "/members", None), ("GET", "/members?status=received", None),
            ("GET", f"/members/{ref}", None),
            ("POST", "/reviews", {"references": [ref], "decision": "verified"}),
            ("POST", "/reviews", {"filter": {}, "decision": "verified", "dry_run": True}),
            ("POST", f"/members/{ref}/removal", {"reason": "other"}),
            ("GET", "/timeline", None),
        ]
        for method, path, body in attempts:
            with self.subTest(method=method, path=path):
                r = B.request(method, self.base + path, body, client=self.c)
                harness.assert_problem(self, r, 404, "not-found")
        # B's own action does not reach A's member either
        b_action = af.open_action(B, self.slug, client=self.c)
        r = B.request("GET", f"/v1/actions/{b_action['id']}/members/{ref}", client=self.c)
        harness.assert_problem(self, r, 404, "not-found")
        r = B.request("POST", f"/v1/actions/{b_action['id']}/reviews",
                      {"references": [ref], "decision": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.json()["count"], 0, "B's decision reached A's member")
        self.assertEqual(audit_rows("claim.read", ref), [])
        self.assertEqual(self.get(f"/members/{ref}").json()["review"]["status"], "received")

    @contextlib.contextmanager
    def tallies_held(self):
        """Another session holds the summary's tallies (SHARE: no tally row can be written,
        and a review's rows may be new ones) for the length of the block."""
        holder = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cf.database_url()],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            holder.stdin.write("BEGIN;\nLOCK TABLE claim_tallies IN SHARE MODE;\n")
            holder.stdin.flush()
            harness.poll(lambda: cf.psql(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                " AND query LIKE 'LOCK TABLE claim_tallies%'") == [["1"]], 10.0,
                what="the psql session to hold the tallies")
            yield
        finally:
            holder.stdin.write("ROLLBACK;\n\\q\n")
            holder.stdin.close()
            holder.wait(timeout=harness.RUN_TIMEOUT_S)

    def test_a_count_changed_review_answers_without_touching_the_summary(self):
        """The expected count is checked before the summary tallies move (api36): with the
        tallies locked by another transaction, a review whose count changed still
        answers 409 at once (it used to wait for them, for an update its rollback undid)."""
        m = self.member()
        summary = lambda: self.get("/compensation").json()["claims_by_status"]
        before = summary()
        with self.tallies_held():
            r = self.post("/reviews", {"references": [m["reference"]], "decision": "verified",
                                       "expected_count": 2})
            harness.assert_problem(self, r, 409, "count-changed")
        self.assertEqual(summary(), before)
        self.assertEqual(self.refs("status=received"), [m["reference"]])

    def test_a_review_held_past_the_lock_timeout_answers_503(self):
        """A review that waits for the tallies longer than the lock timeout (another session
        holds them; the server's default, 5 s) answers 503 with Retry-After, as a database
        out of reach does: the client may try again, nothing of it is kept. It answered 500
        internal-error, as if the server were broken."""
        m = self.member()
        summary = lambda: self.get("/compensation").json()["claims_by_status"]
        before = summary()
        with self.tallies_held():
            r = self.post("/reviews", {"references": [m["reference"]], "decision": "verified",
                                       "expected_count": 1})
            harness.assert_problem(self, r, 503, "service-unavailable")
            self.assertTrue(r.headers.get("Retry-After", "").isdigit(), repr(r.headers))
        self.assertEqual(summary(), before)
        self.assertEqual(self.refs("status=received"), [m["reference"]])
        r = self.post("/reviews", {"references": [m["reference"]], "decision": "verified",
                                   "expected_count": 1})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.refs("status=verified"), [m["reference"]])

    def test_a_review_names_every_bad_reference(self):
        """Every error at once (docs/api.md §5.2), as adding members does: the review stopped
        at the first malformed reference, so a list of 1,000 was corrected one at a time."""
        r = self.post("/reviews", {"references": ["RC-0000-000", 12, "nope"],
                                   "decision": "verified", "dry_run": True})
        self.assertEqual(r.status, 422, repr(r))
        errors = cf.errors_of(self, r)
        for error in (("references[0]", "invalid-value"), ("references[1]", "invalid-type"),
                      ("references[2]", "invalid-value")):
            self.assertIn(error, errors)


if __name__ == "__main__":
    harness.main()
