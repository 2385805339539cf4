#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""No double recovery (docs/product.md §4.2, docs/api.md §10.5): a claim is in at most one action
and a person in at most one action per incident, whichever association asks and however the
requests race.

A mandate names one action, hence one association, so two associations "taking the same
person" race through the mandate: the claimant re-mandates another association's action while
the first association adds the claim, moves it between its own actions (remove, then add) or
adds it by filter, and the other association tries by reference and by filter. 20 threads mix
these; a monitor reads the person's memberships in SQL the whole time. At every observed
moment the person has at most one membership on the incident, and that membership agrees with the
claim's mandate (the claim is active and mandated to the action's association); afterwards
exactly one.

Two targeted races are forced with a psql session that holds a lock on the claim's row (the
KEY SHARE lock a foreign key check takes): the association's addition then waits inside its
statement, with its snapshot taken, while the claimant revokes the mandate or withdraws the
claim; the addition must not then put the claim back into the action.

A membership is a column of the claim (db-migrations/0006): the database rules that keep a
person in one action per incident are the claims' unique person keys among active claims,
`claims_member_live` (a withdrawn claim is in no action) and `claims_member_mandated`;
test_the_database_rules_exist checks they are there.

Dedup forbids a second active claim of the same person on the incident, so the same person
cannot come back through a second claim: 20 concurrent submissions of one person give one
claim.
"""

import threading
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

THREADS = 20


def person_memberships(reference):
    """Memberships on the claim's incident of the person of the claim (claims, withdrawn ones
    too, sharing any of its three keys, in an action), each as (reference of the member claim,
    action id, action's association, the claim's mandated association or '', claim status),
    read in one statement (one snapshot)."""
    ref = cf.sql_literal(reference)
    return [tuple(r) for r in cf.psql(
        "WITH p AS (SELECT incident_id, email_key, phone_key, identity_key FROM claims"
        f"           WHERE reference = {ref})"
        " SELECT c.reference, c.member_action_id, x.association_id,"
        "        coalesce(c.mandate_association_id::text, ''), c.status"
        " FROM claims c JOIN p ON c.incident_id = p.incident_id"
        "   AND (c.email_key = p.email_key OR c.phone_key = p.phone_key"
        "        OR c.identity_key = p.identity_key)"
        " JOIN actions x ON x.id = c.member_action_id"
        " ORDER BY c.member_added_at")]


def inconsistent(rows):
    """Rows whose claim is not (active and mandated to the action's association)."""
    return [r for r in rows if r[3] != r[2] or r[4] == "withdrawn"]


class Monitor(threading.Thread):
    """Reads the person's memberships until stopped; records the largest count seen and every
    inconsistent state."""

    def __init__(self, reference):
        super().__init__(daemon=True)
        self.reference = reference
        self.stop = threading.Event()
        self.max_seen = 0
        self.samples = 0
        self.bad = []
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                rows = person_memberships(self.reference)
                self.samples += 1
                self.max_seen = max(self.max_seen, len(rows))
                if len(rows) > 1 or inconsistent(rows):
                    self.bad.append(rows)
        except BaseException as e:   # reported by the test
            self.error = e


class Call(threading.Thread):
    """One HTTP call on a connection of its own; keeps the response or the exception."""

    def __init__(self, server, fn):
        super().__init__(daemon=True)
        self.server, self.fn = server, fn
        self.response = self.error = None

    def run(self):
        try:
            with harness.Client(self.server) as c:
                self.response = self.fn(c)
        except BaseException as e:
            self.error = e


class NoDoubleRecoveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=8)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.c = harness.Client(self.server)
        self.addCleanup(self.c.close)
        self.A = af.approved_association(self.server, client=self.c)
        self.B = af.approved_association(self.server, client=self.c)
        self.new_incident()

    def new_incident(self):
        """A fresh incident with actions A1, A2 of A and B1, B2 of B: each round alone (the
        filters meet every claim mandated to their association on the incident)."""
        self.slug = cf.make_incident(self.server)
        self.a1, self.a2 = (af.open_action(self.A, self.slug, client=self.c) for _ in range(2))
        self.b1, self.b2 = (af.open_action(self.B, self.slug, client=self.c) for _ in range(2))

    # --- the operations the threads mix ----------------------------------------------------

    def ops(self, claim):
        ref = claim["reference"]

        def add(assoc, action, reference=ref):
            return lambda c: assoc.request("POST", f"/v1/actions/{action['id']}/members",
                                           {"references": [reference]}, client=c)

        def add_filter(assoc, action):
            return lambda c: assoc.request("POST", f"/v1/actions/{action['id']}/members",
                                           {"filter": {}}, client=c)

        def remove(assoc, action):
            return lambda c: assoc.request(
                "DELETE", f"/v1/actions/{action['id']}/members/{ref}", client=c)

        def mandate(action):
            return lambda c: af.claimant_patch(
                self.server, claim, {"action_id": action["id"],
                                     "mandate_text_version": action["mandate_text_version"]},
                client=c)

        def move(assoc, frm, to):
            def run(c):
                remove(assoc, frm)(c)
                return add(assoc, to)(c)
            return run

        return {"add": add, "add_filter": add_filter, "remove": remove, "mandate": mandate,
                "move": move, "lower": ref.lower()}

    def race(self, claim, fns):
        """Runs fns (each c -> Response) at once, one thread and connection each, under a
        monitor; returns the responses."""
        monitor = Monitor(claim["reference"])
        monitor.start()
        barrier = threading.Barrier(len(fns))

        def gated(fn):
            def run(c):
                barrier.wait(timeout=30)
                return fn(c)
            return run

        calls = [Call(self.server, gated(fn)) for fn in fns]
        for t in calls:
            t.start()
        for t in calls:
            t.join(timeout=60)
        monitor.stop.set()
        monitor.join(timeout=30)
        for t in calls:
            self.assertFalse(t.is_alive(), "a request hung")
            if t.error is not None:
                raise t.error
        if monitor.error is not None:
            raise monitor.error
        self.assertGreater(monitor.samples, 0)
        self.assertEqual(monitor.bad, [], "a moment with two memberships of the person, or "
                                          "one that disagrees with the mandate")
        self.assertLessEqual(monitor.max_seen, 1)
        for t in calls:
            self.assertLess(t.response.status, 500, repr(t.response))
        return [t.response for t in calls]

    def assert_one_consistent_membership(self, claim):
        rows = person_memberships(claim["reference"])
        self.assertEqual(len(rows), 1, f"memberships of the person: {rows}")
        self.assertEqual(inconsistent(rows), [], rows)
        view = af.request(self.server, "GET", f"/v1/claims/{claim['reference']}",
                          token=claim["token"], client=self.c).json()
        self.assertEqual(view["action_id"], rows[0][1], "the claim view names its action")
        self.assertIsNotNone(view["mandate"], "a member has a mandate")
        return rows[0]

    # --- tests -------------------------------------------------------------------------------

    def test_the_database_rules_exist(self):
        """One person, one action per incident, is the database's rule: a person has one
        active claim per incident (unique person keys), a claim one action (one column), a
        withdrawn or unmandated claim none, and the action is of the claim's incident and
        mandated association (foreign key)."""
        constraints = {r[0]: r[1] for r in cf.psql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'claims'::regclass")}
        self.assertIn("status <> 'withdrawn'", constraints.get("claims_member_live", ""))
        self.assertIn("member_action_id IS NULL",
                      constraints.get("claims_member_live", ""))
        self.assertIn("mandate_association_id IS NOT NULL",
                      constraints.get("claims_member_mandated", ""))
        self.assertIn("FOREIGN KEY (member_action_id, mandate_association_id, incident_id)"
                      " REFERENCES actions(id, association_id, incident_id)",
                      constraints.get("claims_member_action_fkey", ""))
        rows = cf.psql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'claims'")
        defs = {r[0]: r[1] for r in rows}
        for name, columns in [("claims_active_email_key", "(incident_id, email_key)"),
                              ("claims_active_phone_key", "(incident_id, phone_key)"),
                              ("claims_active_identity_key", "(incident_id, identity_key)")]:
            self.assertIn(name, defs)
            self.assertIn("UNIQUE INDEX", defs[name], name)
            self.assertIn(columns, defs[name], name)
        for name in ("claims_active_email_key", "claims_active_phone_key",
                     "claims_active_identity_key"):
            self.assertIn("status <> 'withdrawn'", defs[name], name)

    def test_twenty_attempts_to_take_one_person(self):
        """The claim is mandated to A but in no action; 20 requests at once try to put it
        into A1, A2 (by reference, lower case too, and by filter), B1, B2 (B by reference and
        filter), and the claimant re-mandates B1 or A2: exactly one membership afterwards."""
        for _round in range(3):
            self.new_incident()
            claim = af.mandated_free_claim(self.server, self.slug, self.A, self.a1,
                                           client=self.c)
            o = self.ops(claim)
            fns = ([o["add"](self.A, self.a1), o["add"](self.A, self.a2, o["lower"])] * 3
                   + [o["add_filter"](self.A, self.a1), o["add_filter"](self.A, self.a2)]
                   + [o["add"](self.B, self.b1), o["add"](self.B, self.b2)] * 2
                   + [o["add_filter"](self.B, self.b1), o["add_filter"](self.B, self.b2)]
                   + [o["mandate"](self.b1), o["mandate"](self.a2)] * 3)
            self.assertEqual(len(fns), THREADS)
            responses = self.race(claim, fns)
            adds, mandates = responses[:14], responses[14:]
            for i, r in enumerate(adds):
                self.assertEqual(r.status, 200, repr(r))
                by_filter = i in (6, 7, 12, 13)   # a filter meets only claims mandated to it
                self.assertIn(sum(r.json().values()), (0, 1) if by_filter else (1,), r.json())
            self.assertLessEqual(sum(r.json()["added"] for r in adds), 1)
            self.assertEqual(sum(r.json()["added"] for r in adds[8:]), 0,
                             "B added a claim mandated to A")
            for r in mandates:
                if r.status != 200:
                    harness.assert_problem(self, r, 409, "already-in-action")
            self.assert_one_consistent_membership(claim)

    def test_moves_revocations_and_mandates_mixed(self):
        """The claim starts in A1; at once A moves it to A2 (remove, then add), A adds by
        filter, B adds by reference and filter, the claimant mandates B1 or revokes (null),
        B removes it from B1: at most one membership at every moment, always agreeing with the
        mandate; then a last round of takes leaves exactly one."""
        for _round in range(3):
            self.new_incident()
            claim = af.mandated_claim(self.server, self.slug, self.a1, client=self.c)
            o = self.ops(claim)
            revoke = (lambda c: af.claimant_patch(self.server, claim, {"action_id": None},
                                                  client=c))
            fns = ([o["move"](self.A, self.a1, self.a2), o["move"](self.A, self.a2, self.a1)]
                   * 3
                   + [o["add_filter"](self.A, self.a1), o["add_filter"](self.A, self.a2)]
                   + [o["add"](self.B, self.b1), o["add_filter"](self.B, self.b2)] * 2
                   + [o["mandate"](self.b1), o["mandate"](self.b2), revoke, revoke]
                   + [o["remove"](self.B, self.b1), o["remove"](self.B, self.b2)]
                   + [o["mandate"](self.a1), o["add"](self.A, self.a1)])
            self.assertEqual(len(fns), THREADS)
            self.race(claim, fns)
            rows = person_memberships(claim["reference"])
            self.assertLessEqual(len(rows), 1)
            self.assertEqual(inconsistent(rows), [], rows)
            if not rows:
                # free (or unmandated): a last round of takes, exactly one wins
                self.race(claim, [o["mandate"](self.b1), o["mandate"](self.a2)] * 4
                          + [o["add"](self.A, self.a1), o["add"](self.B, self.b1)] * 6)
            self.assert_one_consistent_membership(claim)

    def forced_race(self, claimant_call):
        """The association's addition waits on a held row (its snapshot taken, the claim free
        and mandated to A) while claimant_call runs; then the holder rolls back. Everything
        stays well inside the server's statement timeout."""
        claim = af.mandated_free_claim(self.server, self.slug, self.A, self.a1, client=self.c)
        holder = cf.RowHolder(claim["reference"])
        self.addCleanup(holder.release)
        adding = Call(self.server, lambda c: self.A.request(
            "POST", f"/v1/actions/{self.a2['id']}/members",
            {"references": [claim["reference"]]}, client=c))
        adding.start()
        waiting = harness.poll(holder.blocked, 3.0, what="the addition to wait on the holder")
        claimant = Call(self.server, lambda c: claimant_call(claim, c))
        claimant.start()
        pids = ",".join(str(p) for p in waiting)

        def claimant_done_or_waiting_on_the_addition():
            # a server that locks the claim for the addition makes the claimant wait: fine
            return not claimant.is_alive() or cf.psql(
                "SELECT count(*) FROM pg_stat_activity"
                f" WHERE pg_blocking_pids(pid) && ARRAY[{pids}]::int[]")[0][0] != "0"

        harness.poll(claimant_done_or_waiting_on_the_addition, 3.0,
                     what="the claimant's request to finish or wait")
        holder.release()
        for t in (adding, claimant):
            t.join(timeout=30)
            self.assertFalse(t.is_alive(), "a request hung")
            if t.error is not None:
                raise t.error
        self.assertEqual(adding.response.status, 200, repr(adding.response))
        self.assertEqual(claimant.response.status, 200, repr(claimant.response))
        return claim, adding.response.json()

    def test_revocation_racing_an_addition(self):
        """The claimant revokes (action_id null) while A's addition waits inside its
        statement: the claim must not end up in A2 without a mandate."""
        claim, counts = self.forced_race(lambda claim, c: af.claimant_patch(
            self.server, claim, {"action_id": None}, client=c))
        self.assertEqual(af.mandate_of(claim["reference"]), (None, None, None))
        self.assertEqual(person_memberships(claim["reference"]), [],
                         f"a claim whose mandate was revoked is a member (addition answered "
                         f"{counts})")

    def test_withdrawal_racing_an_addition(self):
        """The claimant withdraws while A's addition waits inside its statement: the withdrawn
        claim must not end up in A2 (docs/api.md §9.7: it leaves its action)."""
        claim, counts = self.forced_race(lambda claim, c: af.request(
            self.server, "DELETE", f"/v1/claims/{claim['reference']}", token=claim["token"],
            client=c))
        status = cf.psql("SELECT status FROM claims WHERE reference = "
                         f"{cf.sql_literal(claim['reference'])}")
        self.assertEqual(status, [["withdrawn"]])
        self.assertEqual(person_memberships(claim["reference"]), [],
                         f"a withdrawn claim is a member (addition answered {counts})")

    def test_one_person_cannot_claim_twice(self):
        """20 concurrent submissions of one person (same email, each mandating A1 or B1): one
        claim, one membership; the others are duplicate-claim."""
        person = cf.claim_body()
        bodies = []
        for i in range(THREADS):
            action = self.a1 if i % 2 == 0 else self.b1
            body = cf.deep_merge(person, {"action_id": action["id"],
                                          "mandate_text_version": af.MANDATE_VERSION})
            if i % 3 == 1:   # the same person by phone and identity, another email
                body = cf.deep_merge(body, {"claimant": {"email": cf.unique_email()}})
            bodies.append(body)
        barrier = threading.Barrier(THREADS)

        def submit(body):
            def run(c):
                barrier.wait(timeout=30)
                return cf.submit(c, self.slug, body)
            return run

        calls = [Call(self.server, submit(b)) for b in bodies]
        for t in calls:
            t.start()
        for t in calls:
            t.join(timeout=60)
            if t.error is not None:
                raise t.error
        statuses = sorted(t.response.status for t in calls)
        self.assertEqual(statuses, [201] + [409] * (THREADS - 1), statuses)
        for t in calls:
            if t.response.status == 409:
                harness.assert_problem(self, t.response, 409, "duplicate-claim")
        won = next(t.response.json() for t in calls if t.response.status == 201)
        rows = person_memberships(won["reference"])
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][0], won["reference"])
        self.assertEqual(rows[0][1], won["action_id"])
        # withdrawn, the person may claim again (and join B1): still one membership
        winner = next(t for t in calls if t.response.status == 201)
        token = winner.response.json()["token"]
        r = af.request(self.server, "DELETE", f"/v1/claims/{won['reference']}", token=token,
                       client=self.c)
        self.assertEqual(r.status, 200)
        again = af.mandated_claim(self.server, self.slug, self.b1, client=self.c,
                                  claimant=person["claimant"])
        rows = person_memberships(again["reference"])
        self.assertEqual([(r[0], r[1]) for r in rows], [(again["reference"], self.b1["id"])])
        counts = af.add_members(self.A, self.a1, [won["reference"]], client=self.c)
        self.assertEqual(counts["not_mandated"], 1)

    def test_a_corrected_email_does_not_open_a_second_action(self):
        """The person in A1 corrects their email; a new claim with the old email (and another
        phone, no birth date) is a new claim for dedup, but the membership keys still name the
        person: it cannot join B1, and the receipt does not say it did."""
        person = cf.claim_body()
        first = af.mandated_claim(self.server, self.slug, self.a1, client=self.c,
                                  claimant=person["claimant"])
        r = af.claimant_patch(self.server, first, {"claimant": {"email": cf.unique_email()}},
                              client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        body = cf.claim_body(claimant={"email": person["claimant"]["email"],
                                       "birth_date": cf.DROP},
                             action_id=self.b1["id"],
                             mandate_text_version=af.MANDATE_VERSION)
        r = cf.submit(self.c, self.slug, body)
        self.assertLess(r.status, 500, repr(r))
        rows = person_memberships(first["reference"])
        self.assertEqual([(x[0], x[1]) for x in rows], [(first["reference"], self.a1["id"])])
        if r.status == 201:
            second = r.json()
            members = af.memberships_of_claims([second["reference"]])
            self.assertEqual(second["action_id"], members.get(second["reference"]),
                             "the receipt names an action the claim did not join")


if __name__ == "__main__":
    harness.main()
