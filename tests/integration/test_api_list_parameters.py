#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON API's list parameters, date filters, date-times and blank optional strings, through
HTTP (docs/api.md §5, §7, §8).

- A cursor is tied to the filters its list was made with: used with another value of a
  filter (or one added or dropped) it answers 400 invalid-cursor instead of walking the
  other list from the first one's position; `limit` may change between pages.
- A date filter (`since`, `mandated_from`, `mandated_to`) takes a plain date as midnight UTC
  of that day as well as an RFC 3339 date-time; an impossible one is 400 naming it.
- A date-time input refuses a leap second and any field out of range, through the same
  parser; an offset is taken and answered in UTC.
- A blank optional string is refused (`too-short`) with a message saying how to say none
  (omit it or send null); a blank required one is `required`.
- A rejection through `PATCH /v1/claims/{reference}/status` names its reason code
  (`review_reason`, `other` when not given), as the workspace's reviews do; it is their
  decision (correction window, message to the claimant, history row), whoever reviews.
- A claim submitted with a `mandate_text_version` and no `action_id` is refused as the
  claimant's PATCH refuses it (same field, code and words), not stored without its mandate.
- A new association's `Location` answers, to anyone, what the public list shows of it (404
  while the list does not show it).
One server for the file; it makes its own incident, association, actions and claims.
"""

import datetime
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


class ListParametersTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.c = harness.Client(cls.server)
        cls.slug = cf.make_incident(cls.server)
        cls.other_slug = cf.make_incident(cls.server)
        cls.A = af.approved_association(cls.server, client=cls.c)
        af.approved_association(cls.server, client=cls.c)  # the public list has two pages
        cls.action = af.open_action(cls.A, cls.slug, client=cls.c)
        cls.other_action = af.open_action(cls.A, cls.other_slug, client=cls.c)
        cls.claims = [af.mandated_claim(cls.server, cls.slug, cls.action, client=cls.c)
                      for _ in range(3)]

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.close()

    def get(self, path):
        return self.A.request("GET", path, client=self.c)

    def page(self, path):
        r = self.get(path)
        self.assertEqual(r.status, 200, repr(r))
        return r.json()

    def assert_bad(self, path, field):
        doc = harness.assert_problem(self, self.get(path), 400, "invalid-parameter")
        self.assertEqual([e["field"] for e in doc.get("errors", [])], [field], doc)
        return doc

    # -- cursors and filters ------------------------------------------------------------

    def assert_cursor_tied(self, base, made_with, same, others):
        """A cursor of base + made_with (limit=1) is taken with same (another limit) and
        refused with each of others."""
        first = self.page(f"{base}?limit=1{made_with}")
        self.assertIsNotNone(first["next"], f"{base}{made_with}: one page only")
        cursor = urllib.parse.quote(first["next"])
        nxt = self.page(f"{base}?limit=5{same}&cursor={cursor}")
        self.assertNotIn(first["data"][0], nxt["data"])
        for query in others:
            with self.subTest(list=base, made_with=made_with, used_with=query):
                r = self.get(f"{base}?limit=1{query}&cursor={cursor}")
                harness.assert_problem(self, r, 400, "invalid-cursor")

    def test_a_claims_cursor_is_tied_to_its_filters(self):
        base = f"/v1/incidents/{self.slug}/claims"
        self.assert_cursor_tied(base, "&status=received", "&status=received",
                                ["&status=verified", "&status=rejected", "",
                                 "&status=received&country=FR",
                                 "&status=received&category=email",
                                 "&status=received&since=2000-01-01"])
        self.assert_cursor_tied(base, "", "", ["&country=FR", "&since=2000-01-01T00:00:00Z"])

    def test_an_actions_cursor_is_tied_to_its_filters(self):
        self.assert_cursor_tied("/v1/actions", "&status=open", "&status=open",
                                ["&status=filed", "", f"&status=open&incident={self.slug}"])
        self.assert_cursor_tied("/v1/actions", "", "", ["&status=open"])

    def test_a_members_cursor_is_tied_to_its_filters(self):
        base = f"/v1/actions/{self.action['id']}/members"
        self.assert_cursor_tied(base, "&country=FR", "&country=FR",
                                ["", "&country=BE", "&country=FR&status=received",
                                 "&country=FR&mandated_from=2000-01-01",
                                 "&country=FR&email_confirmed=false"])

    def lists(self):
        """Every list route (docs/api.md §7) with a filter it takes, when it takes one."""
        action = self.action["id"]
        return [("/v1/incidents", None), ("/v1/associations", None),
                ("/v1/schemes/presets", None), ("/v1/actions", "status=open"),
                (f"/v1/incidents/{self.slug}/claims", "status=received"),
                (f"/v1/actions/{action}/members", "country=FR"),
                (f"/v1/actions/{action}/notices", None)]

    def test_every_list_refuses_bad_limits_cursors_and_repeats(self):
        foreign = self.page("/v1/associations?limit=1")["next"]
        self.assertIsNotNone(foreign)
        for path, a_filter in self.lists():
            own = self.page(f"{path}?limit=1")["next"]
            if path == "/v1/associations":
                foreign = self.page("/v1/incidents?limit=1")["next"]
            cases = [("limit=0", "invalid-parameter", "limit"),
                     ("limit=1001", "invalid-parameter", "limit"),
                     ("limit=abc", "invalid-parameter", "limit"),
                     ("limit=", "invalid-parameter", "limit"),
                     ("limit=1&limit=abc", "invalid-parameter", "limit"),
                     ("limit=5&limit=5", "invalid-parameter", "limit"),
                     ("cursor=", "invalid-cursor", None),
                     ("cursor=" + urllib.parse.quote(foreign), "invalid-cursor", None)]
            if own is not None:
                cases.append(("cursor=" + urllib.parse.quote(own) + "&cursor=x",
                              "invalid-parameter", "cursor"))
            if a_filter is not None:
                name = a_filter.split("=")[0]
                cases.append((f"{a_filter}&{a_filter}", "invalid-parameter", name))
            for query, problem, field in cases:
                with self.subTest(path=path, query=query[:40]):
                    doc = harness.assert_problem(self, self.get(f"{path}?{query}"), 400, problem)
                    if field is not None:
                        self.assertEqual([e["field"] for e in doc["errors"]], [field], doc)

    # -- date filters ---------------------------------------------------------------------

    def refs(self, path):
        return sorted(i["reference"] for i in self.page(path)["data"])

    def test_a_plain_date_is_midnight_utc(self):
        mine = sorted(c["reference"] for c in self.claims)
        today = utc_today()
        tomorrow = today + datetime.timedelta(days=1)
        claims = f"/v1/incidents/{self.slug}/claims"
        self.assertEqual(self.refs(f"{claims}?since={today}"), mine)
        self.assertEqual(self.refs(f"{claims}?since={today}T00:00:00Z"), mine)
        self.assertEqual(self.refs(f"{claims}?since={tomorrow}"), [])
        members = f"/v1/actions/{self.action['id']}/members"
        self.assertEqual(self.refs(f"{members}?mandated_from={today}"), mine)
        self.assertEqual(self.refs(f"{members}?mandated_to={today}"), [])
        self.assertEqual(self.refs(f"{members}?mandated_to={tomorrow}"), mine)

    def test_impossible_dates_are_refused_naming_the_parameter(self):
        bad = ["2026-13-01", "2026-02-30", "2026-12-1", "2026-12-01T24:00:00Z",
               "2026-06-30T23:59:60Z", "2026-12-01T10:60:00Z", "2026-12-01T10:00:00+01:60",
               "yesterday", ""]
        for value in bad:
            q = urllib.parse.quote(value)
            with self.subTest(value=value):
                self.assert_bad(f"/v1/incidents/{self.slug}/claims?since={q}", "since")
                for name in ("mandated_from", "mandated_to"):
                    self.assert_bad(f"/v1/actions/{self.action['id']}/members?{name}={q}", name)

    # -- date-time inputs -------------------------------------------------------------------

    def test_a_deadline_refuses_a_leap_second_and_fields_out_of_range(self):
        year = utc_today().year + 2
        for value in (f"{year}-06-30T23:59:60Z", f"{year}-13-01T10:00:00Z",
                      f"{year}-02-30T10:00:00Z", f"{year}-03-01T24:00:00Z",
                      f"{year}-03-01T10:00:00+24:00"):
            with self.subTest(value=value):
                r = self.A.request("POST", "/v1/actions",
                                   af.action_body(self.slug, opt_in_deadline=value),
                                   client=self.c)
                errors = cf.errors_of(self, r)
                self.assertIn(("opt_in_deadline", "invalid-format"), errors, r.body)

    def test_a_deadline_with_an_offset_is_answered_in_utc(self):
        year = utc_today().year + 2
        r = self.A.request("POST", "/v1/actions",
                           af.action_body(self.slug,
                                          opt_in_deadline=f"{year}-01-01T01:30:00+02:00"),
                           client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        answered = r.json()["opt_in_deadline"]
        self.assertTrue(answered.endswith("Z"), answered)
        self.assertEqual(datetime.datetime.fromisoformat(answered.replace("Z", "+00:00")),
                         datetime.datetime(year - 1, 12, 31, 23, 30,
                                           tzinfo=datetime.timezone.utc))

    # -- blank optional strings ---------------------------------------------------------------

    def assert_blank_refused(self, r, field):
        doc = harness.assert_problem(self, r, 422, "validation-error")
        errors = [e for e in doc["errors"] if e["field"] == field]
        self.assertEqual([e["code"] for e in errors], ["too-short"], doc)
        self.assertIn("omit the member, or send null", errors[0]["message"])

    def test_a_blank_optional_string_is_refused_saying_how_to_say_none(self):
        incident = {"slug": "it-" + cf.suffix(12), "controller": "ACME SA", "title": "T",
                    "disclosed_on": "2026-02-10", "affected_count": 10,
                    "data_categories": ["email"], "currency": "EUR"}
        path = f"/v1/incidents/{self.other_slug}"
        for blank in ("", "   "):
            with self.subTest(blank=blank):
                r = af.op(self.server, "POST", "/v1/incidents",
                          dict(incident, authority_reference=blank), client=self.c)
                self.assert_blank_refused(r, "authority_reference")
                r = af.op(self.server, "PATCH", path, {"authority_reference": blank},
                          client=self.c)
                self.assert_blank_refused(r, "authority_reference")
                r = af.op(self.server, "POST", f"/v1/associations/{self.A.id}/keys",
                          {"label": blank}, client=self.c)
                self.assert_blank_refused(r, "label")
        # the ways to say none: null removes it, an absent member leaves none
        r = af.op(self.server, "PATCH", path, {"authority_reference": None}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertIsNone(r.json()["authority_reference"])
        r = af.op(self.server, "POST", "/v1/incidents", incident, client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        self.assertIsNone(r.json()["authority_reference"])

    def test_a_blank_required_string_is_required(self):
        r = af.op(self.server, "POST", "/v1/incidents",
                  {"slug": "it-" + cf.suffix(12), "controller": " ", "title": "T",
                   "disclosed_on": "2026-02-10", "affected_count": 10,
                   "data_categories": ["email"], "currency": "EUR"}, client=self.c)
        self.assertIn(("controller", "required"), cf.errors_of(self, r))

    # -- filters written otherwise (ws29) ---------------------------------------------------

    def test_a_cursor_follows_the_same_filter_written_otherwise(self):
        """The cursor is bound to the filters as read: "fr" and "FR" are France, a date its
        midnight UTC however written; another value is still another list."""
        members = f"/v1/actions/{self.action['id']}/members"
        self.assert_cursor_tied(members, "&country=fr&mandated_from=2000-01-01",
                                "&country=FR&mandated_from=2000-01-01T01:00:00.000%2B01:00",
                                ["&country=BE&mandated_from=2000-01-01",
                                 "&country=FR&mandated_from=2000-01-02",
                                 "&country=FR&mandated_from=2000-01-01T00:00:00.5Z"])
        claims = f"/v1/incidents/{self.slug}/claims"
        self.assert_cursor_tied(claims, "&country=Fr&since=2000-01-01T00:00:00Z",
                                "&country=fR&since=2000-01-01",
                                ["&country=FR", "&country=FR&since=2000-01-01T00:00:01Z"])

    @staticmethod
    def instant(text):
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))

    def test_a_deadline_given_as_a_date_is_the_end_of_that_day_in_paris(self):
        year = utc_today().year + 1
        for day, end in ((f"{year}-01-31", f"{year}-01-31T22:59:59Z"),
                         (f"{year}-07-14", f"{year}-07-14T21:59:59Z")):
            with self.subTest(day=day):
                r = self.A.request("POST", "/v1/actions",
                                   af.action_body(self.slug, opt_in_deadline=day), client=self.c)
                self.assertEqual(r.status, 201, repr(r))
                self.assertEqual(self.instant(r.json()["opt_in_deadline"]), self.instant(end))
                r = self.A.request("PATCH", f"/v1/actions/{r.json()['id']}",
                                   {"opt_in_deadline": day}, client=self.c)
                self.assertEqual(r.status, 200, repr(r))
                self.assertEqual(self.instant(r.json()["opt_in_deadline"]), self.instant(end))
        r = self.A.request("POST", "/v1/actions",
                           af.action_body(self.slug, opt_in_deadline="2000-01-31"), client=self.c)
        self.assertIn(("opt_in_deadline", "out-of-range"), cf.errors_of(self, r))
        r = self.A.request("POST", "/v1/actions",
                           af.action_body(self.slug, opt_in_deadline="31/01/2030"), client=self.c)
        doc = harness.assert_problem(self, r, 422, "validation-error")
        message = [e["message"] for e in doc["errors"] if e["field"] == "opt_in_deadline"]
        self.assertTrue(message and "Europe/Paris" in message[0] and "2027-01-31" in message[0],
                        doc)

    # -- parameters the operation does not take (api34) --------------------------------------

    def assert_undeclared(self, r, field, takes):
        doc = harness.assert_problem(self, r, 400, "invalid-parameter")
        self.assertEqual([(e["field"], e["code"]) for e in doc["errors"]],
                         [(field, "unknown-field")], doc)
        self.assertIn(f"(it takes {takes})", doc["detail"])

    def test_a_parameter_the_operation_does_not_declare_is_refused(self):
        """A misspelled filter is said, not answered with the unfiltered list or export."""
        action = self.action["id"]
        cases = [(f"/v1/incidents/{self.slug}/claims?stauts=verified", "stauts",
                  "status, category, country, since, limit, cursor"),
                 (f"/v1/actions/{action}/export?fromat=ndjson", "fromat", "format, sep"),
                 ("/v1/incidents?limt=1", "limt", "limit, cursor"),
                 (f"/v1/incidents/{self.slug}/compensation?bassis=verified", "bassis", "basis"),
                 (f"/v1/actions/{action}?x=1", "x", "none"),
                 ("/v1/incidents?limit=1&%C3%A9t%C3%A9", "\u00e9t\u00e9", "limit, cursor"),
                 ("/v1/incidents?%FF%0A=1", "%FF%0A", "limit, cursor")]
        for path, field, takes in cases:
            with self.subTest(path=path):
                self.assert_undeclared(self.get(path), field, takes)
        r = self.A.request("PATCH", f"/v1/actions/{action}?lang=en", {"title": "T"},
                           client=self.c)
        self.assert_undeclared(r, "lang", "none")
        # a declared one given twice: neither value is picked
        for path, name in ((f"/v1/actions/{action}/export?format=csv&format=ndjson", "format"),
                           (f"/v1/incidents/{self.slug}/compensation?basis=verified&basis=all",
                            "basis")):
            with self.subTest(path=path):
                self.assert_bad(path, name)
        # the role first; an empty query, declared names and the pages pass
        r = af.request(self.server, "GET", f"/v1/actions/{action}?x=1", client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")
        for path in ("/v1/incidents?", "/v1/incidents?limit=1&&", f"/v1/actions/{action}"):
            self.assertEqual(self.get(path).status, 200, path)
        r = self.c.request("GET", f"/i/{self.slug}?utm_source=newsletter")
        self.assertEqual(r.status, 200, repr(r))

    # -- a review names its reason as a code (api34) ------------------------------------------

    def test_a_rejection_through_the_status_route_names_a_reason_code(self):
        # on the other incident: the lists of the first one stay the three claims
        claim = af.mandated_claim(self.server, self.other_slug, self.other_action, client=self.c)
        path = f"/v1/claims/{claim['reference']}/status"

        def review(body):
            return self.A.request("PATCH", path, body, client=self.c)

        def viewed():
            r = cf.claim_request(self.c, "GET", claim["reference"], claim["token"])
            self.assertEqual(r.status, 200, repr(r))
            return r.json()["review_reason"]

        r = review({"status": "rejected", "reason": "No letter from the controller."})
        self.assertEqual((r.status, r.json().get("review_reason")), (200, "other"), r.body)
        self.assertEqual(viewed(), "other")
        for body, field in (({"status": "verified", "review_reason": "duplicate"},
                             "review_reason"),
                            ({"status": "rejected", "reason": "x", "review_reason": "bogus"},
                             "review_reason")):
            with self.subTest(body=body):
                self.assertIn((field, "invalid-value"), cf.errors_of(self, review(body)))
        r = review({"status": "verified"})
        self.assertEqual((r.status, r.json()["review_reason"]), (200, None), r.body)
        self.assertIsNone(viewed())
        r = review({"status": "rejected", "reason": "Outside the breach's dates.",
                    "review_reason": "outside_period"})
        self.assertEqual((r.status, r.json()["review_reason"]), (200, "outside_period"), r.body)
        self.assertEqual(viewed(), "outside_period")

    def test_a_refused_review_says_why(self):
        claim = af.mandated_claim(self.server, self.other_slug, self.other_action, client=self.c)
        path = f"/v1/claims/{claim['reference']}/status"
        r = self.A.request("PATCH", path, {"status": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = self.A.request("PATCH", path, {"status": "verified"}, client=self.c)
        doc = harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertEqual(doc["detail"], "the claim is verified already")
        r = cf.claim_request(self.c, "DELETE", claim["reference"], claim["token"])
        self.assertEqual(r.status, 200, repr(r))
        r = af.op(self.server, "PATCH", path, {"status": "rejected", "reason": "x"},
                  client=self.c)
        doc = harness.assert_problem(self, r, 409, "invalid-transition")
        self.assertEqual(doc["detail"], "the claim is withdrawn: it is reviewed no more")

    def test_the_document_declares_the_location_of_every_creation(self):
        """docs/api.md §1.8: incidents, claims, associations, actions answer 201 + Location."""
        paths = self.c.request("GET", "/v1/openapi.json").json()["paths"]
        for path in ("/v1/incidents", "/v1/incidents/{slug}/claims", "/v1/associations",
                     "/v1/actions"):
            with self.subTest(path=path):
                created = paths[path]["post"]["responses"]["201"]
                self.assertIn("Location", created.get("headers", {}))


    # -- the status route and the workspace decide a review the same way (api35) ---------------

    def reviewed(self, reference):
        """What a review left of the claim: (correctable_until set, the claim-rejected messages'
        reasons, the claim_reviews rows as (decision, reason, actor))."""
        ref = cf.sql_literal(reference)
        until = cf.psql("SELECT correctable_until IS NOT NULL FROM claims WHERE reference = "
                        + ref)[0][0] == "t"
        mail = [row[0] for row in cf.psql(
            "SELECT o.params->>'reason' FROM outbox o JOIN claims c ON c.id = o.claim_id"
            " WHERE o.kind = 'claim-rejected' AND c.reference = " + ref + " ORDER BY o.id")]
        rows = [tuple(row) for row in cf.psql(
            "SELECT r.decision, coalesce(r.reason, '-'), r.actor FROM claim_reviews r"
            " JOIN claims c ON c.id = r.claim_id WHERE c.reference = " + ref + " ORDER BY r.id")]
        return until, mail, rows

    def test_a_rejection_through_the_status_route_tells_the_claimant_as_the_workspace_does(self):
        """PATCH …/status runs the workspace's decision: the correction window, the message to
        the claimant, the history row; the operator's too, under its own name."""
        claim = af.mandated_claim(self.server, self.other_slug, self.other_action, client=self.c)
        path = f"/v1/claims/{claim['reference']}/status"
        r = self.A.request("PATCH", path, {"status": "rejected", "reason": "No letter.",
                                           "review_reason": "not_affected"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        actor = f"association:{self.A.id}"
        self.assertEqual(self.reviewed(claim["reference"]),
                         (True, ["not_affected"], [("rejected", "not_affected", actor)]))
        view = cf.claim_request(self.c, "GET", claim["reference"], claim["token"]).json()
        self.assertIsNotNone(view["correctable_until"], view)
        self.assertEqual(view["status_reason"], "No letter.")
        # a verification closes the window, tells nothing, and is in the history too
        r = af.op(self.server, "PATCH", path, {"status": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.reviewed(claim["reference"]),
                         (False, ["not_affected"], [("rejected", "not_affected", actor),
                                                    ("verified", "-", "operator")]))
        # a claim in no action: told all the same, and its history row has no action (0030)
        alone = cf.submit_ok(self, self.c, self.other_slug)
        r = af.op(self.server, "PATCH", f"/v1/claims/{alone['reference']}/status",
                  {"status": "rejected", "reason": "x"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.reviewed(alone["reference"]),
                         (True, ["other"], [("rejected", "other", "operator")]))

    # -- a new association's Location leads to it (api35) ----------------------------------------

    def test_an_associations_location_answers_what_the_public_list_shows(self):
        """GET /v1/associations/{id}: public, the list's item, 404 for one the list does not
        show (pending, suspended), an unknown or a malformed id."""
        r = af.op(self.server, "POST", "/v1/associations", af.association_body(), client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        location = r.headers["Location"]
        self.assertEqual(location, f"/v1/associations/{r.json()['id']}")
        for path in (location, "/v1/associations/00000000-0000-0000-0000-000000000000",
                     "/v1/associations/not-a-uuid"):
            with self.subTest(path=path):
                harness.assert_problem(self, self.c.request("GET", path), 404, "not-found")
        r = af.op(self.server, "PATCH", location, {"status": "approved"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        listed, cursor = [], ""
        while True:
            page = self.page("/v1/associations?limit=1000" + cursor)
            listed += page["data"]
            if page["next"] is None:
                break
            cursor = "&cursor=" + urllib.parse.quote(page["next"])
        ident = r.json()["id"]
        item = [x for x in listed if x["id"] == ident]
        r = self.c.request("GET", f"/v1/associations/{ident.upper()}")  # any case
        self.assertEqual((r.status, [r.json()]), (200, item), repr(r))
        r = af.op(self.server, "PATCH", location, {"status": "suspended"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        harness.assert_problem(self, self.c.request("GET", location), 404, "not-found")


    # -- a mandate text version without an action is refused at submission too (api35) --------

    def test_a_mandate_version_without_an_action_is_refused_as_a_patch_refuses_it(self):
        claim = self.claims[0]
        r = cf.claim_request(self.c, "PATCH", claim["reference"], claim["token"],
                             {"mandate_text_version": af.MANDATE_VERSION})
        said = harness.assert_problem(self, r, 422, "validation-error")["errors"]
        self.assertEqual([e["field"] for e in said], ["mandate_text_version"], said)
        for extra in ({}, {"action_id": None}):
            with self.subTest(extra=extra):
                body = cf.claim_body(mandate_text_version=af.MANDATE_VERSION, **extra)
                r = cf.submit(self.c, self.other_slug, body)
                doc = harness.assert_problem(self, r, 422, "validation-error")
                self.assertEqual(doc["errors"], said)

    # -- a review outside any action is in the member's history (api36) ------------------------

    def test_a_review_outside_any_action_is_in_the_members_history(self):
        """The association reviews through PATCH …/status a claim it removed (its mandate
        stays); added again by the claimant's correction (which reopens it), the member view's
        history lists that review, oldest first, between the removal and the reopening."""
        claim = af.mandated_claim(self.server, self.slug, self.action, client=self.c)
        ref = claim["reference"]
        member = f"/v1/actions/{self.action['id']}/members/{ref}"
        r = self.A.request("POST", member + "/removal", {"reason": "other"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = self.A.request("PATCH", f"/v1/claims/{ref}/status",
                           {"status": "rejected", "reason": "No letter.",
                            "review_reason": "incomplete"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = cf.claim_request(self.c, "PATCH", ref, claim["token"],
                             {"action_id": self.action["id"],
                              "mandate_text_version": self.action["mandate_text_version"]})
        self.assertEqual(r.status, 200, repr(r))
        r = self.A.request("POST", f"/v1/actions/{self.action['id']}/reviews",
                           {"references": [ref], "decision": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = self.A.request("GET", member, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        history = r.json()["review"]["history"]
        self.assertEqual([(h["decision"], h.get("reason"), h["by"]) for h in history],
                         [("removed", "other", "association"),
                          ("rejected", "incomplete", "association"),
                          ("reopened", None, "claimant"),  # the correction, in the window
                          ("verified", None, "association")])
        self.assertEqual([h["at"] for h in history], sorted(h["at"] for h in history))

    # -- a null reason is no reason, on the status route as in the workspace (api36) -----------

    def test_a_rejection_with_a_null_reason_is_refused_as_one_without(self):
        """PATCH …/status {"status": "rejected", "reason": null} rejected the claim with no
        word to the claimant, where docs/api.md §9.9 requires a reason and the workspace's
        review refuses the same null; now 422 `reason` `required` on both, nothing changed."""
        claim = af.mandated_claim(self.server, self.slug, self.action, client=self.c)
        ref = claim["reference"]
        for path, body in ((f"/v1/claims/{ref}/status", {"status": "rejected", "reason": None}),
                           (f"/v1/actions/{self.action['id']}/reviews",
                            {"references": [ref], "decision": "rejected", "reason": None})):
            with self.subTest(path=path):
                r = self.A.request("PATCH" if path.endswith("/status") else "POST", path, body,
                                   client=self.c)
                self.assertEqual(cf.errors_of(self, r), {("reason", "required")})
        self.assertEqual(self.reviewed(ref), (False, [], []))

    def test_an_offset_sent_with_an_unescaped_plus_is_read(self):
        """`?since=` + Python's isoformat() ("…T00:00:00+00:00") sends a bare "+", which the
        query's decoding turns into a space: it was 400. A space before a final hh:mm is the
        offset's "+"; elsewhere a space is still refused, and the cursor is the same list's."""
        day = utc_today() - datetime.timedelta(days=1)
        claims = f"/v1/incidents/{self.slug}/claims"
        escaped = self.refs(f"{claims}?since={day}T02:00:00%2B02:00")
        self.assertLessEqual({c["reference"] for c in self.claims}, set(escaped))
        self.assertEqual(self.refs(f"{claims}?since={day}T02:00:00+02:00"), escaped)
        self.assertEqual(self.refs(f"/v1/actions/{self.action['id']}/members"
                                   f"?mandated_to={day}T00:00:00+00:00"), [])
        self.assert_bad(f"{claims}?since={day}T02:00:00+2:00", "since")
        self.assert_cursor_tied(claims, f"&since={day}T00:00:00+00:00", f"&since={day}",
                                [f"&since={day}T00:00:01+00:00"])


if __name__ == "__main__":
    harness.main()
