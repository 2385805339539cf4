#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every query parameter is checked against what api/openapi.json declares for it (docs/api.md §5.2:
a bad parameter → 400 `invalid-parameter` with `errors[].field` = its name).

The parameters are read from the served OpenAPI document: for each one, values outside its
declared enum, pattern, range or format are made up and sent to its route with the
credential the route wants (from `recours routes`); each must be refused naming the
parameter. A query parameter declared with no constraint fails the test (it could not be
checked), `cursor` excepted (opaque: a forged one is 400 `invalid-cursor`). Valid values
still answer 200. One server for the file; it makes its own incident, association, action.
"""

import json
import re
import subprocess
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import notice_fixtures as nf

# values that no declared constraint of ours accepts, tried against each constraint
CANDIDATES = ["-1", "0", "1001", "+5", " 5", "abc", "", "zz-", "Z", "not-a-value", "2026-13-45",
              "x" * 70, "' OR 1=1 --"]


def roles():
    out = subprocess.run([harness.recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S, check=True)
    rows = [line.split() for line in out.stdout.splitlines() if line.strip()]
    return {(method, path): role for method, path, role in rows}


def breaks(schema, value):
    """Whether value is outside what schema declares (None: nothing is declared)."""
    declared = False
    if "enum" in schema:
        declared = True
        if value not in schema["enum"]:
            return True
    if "pattern" in schema:
        declared = True
        if not re.search(schema["pattern"], value):
            return True
    if schema.get("type") == "integer":
        declared = True
        if not re.fullmatch(r"-?[0-9]+", value):
            return True
        n = int(value)
        if n < schema.get("minimum", n) or n > schema.get("maximum", n):
            return True
    if schema.get("format") == "date-time":
        declared = True
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
            return True
        # a well-formed but impossible date is checked by the server: not a candidate here
        return False
    return False if declared else None


def valid_value(schema):
    if "enum" in schema:
        return schema["enum"][-1]
    if schema.get("type") == "integer":
        return str(schema.get("minimum", 1))
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    return None


class QueryParametersTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)
        cls.assoc = af.approved_association(cls.server)
        cls.action = af.open_action(cls.assoc, cls.slug)
        # a notice of that action, for the paths under …/notices/{notice}
        r = af.request(cls.server, "POST", f"/v1/actions/{cls.action['id']}/notices",
                       token=cls.assoc.key, body=nf.draft_body(),
                       headers={"Idempotency-Key": "query-parameters-notice"})
        assert r.status == 201, repr(r)
        cls.notice_id = r.json()["id"]
        with harness.Client(cls.server) as c:
            r = c.request("GET", "/v1/openapi.json")
        cls.doc = r.json()
        cls.roles = roles()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def query_parameters(self):
        """(path template, name, schema) of every GET query parameter."""
        shared = self.doc["components"]["parameters"]
        out = []
        for path, ops in self.doc["paths"].items():
            for p in ops.get("get", {}).get("parameters", []):
                if "$ref" in p:
                    p = shared[p["$ref"].rsplit("/", 1)[1]]
                if p["in"] == "query":
                    out.append((path, p["name"], p["schema"]))
        return out

    def get(self, template, query):
        path = template.replace("{slug}", self.slug).replace("{id}", self.action["id"]) \
            .replace("{notice}", self.notice_id) \
            .replace("{version}", "2026-01")  # the privacy notice's (web/privacy/)
        role = self.roles[("GET", template)]
        token = (self.assoc.key if role.startswith("association")
                 else self.server.operator_key if role == "operator" else None)
        qs = urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
        return af.request(self.server, "GET", f"{path}?{qs}", token=token)

    def test_there_are_query_parameters(self):
        names = {(p, n) for p, n, _ in self.query_parameters()}
        self.assertIn(("/v1/actions", "incident"), names)
        self.assertGreaterEqual(len(names), 15)

    def test_every_parameter_declares_a_constraint(self):
        for path, name, schema in self.query_parameters():
            if name == "cursor":
                continue
            with self.subTest(path=path, parameter=name):
                self.assertIsNotNone(breaks(schema, "probe"),
                                     f"{name} declares no enum, pattern, range or format")

    def test_values_outside_the_declaration_are_refused_naming_the_parameter(self):
        tried = 0
        for path, name, schema in self.query_parameters():
            if name == "cursor":
                continue
            for value in CANDIDATES:
                if not breaks(schema, value):
                    continue
                tried += 1
                with self.subTest(path=path, parameter=name, value=value):
                    r = self.get(path, {name: value})
                    doc = harness.assert_problem(self, r, 400, "invalid-parameter")
                    fields = [e.get("field") for e in doc.get("errors", [])]
                    self.assertIn(name, fields, f"errors[].field names the parameter: {doc}")
        self.assertGreater(tried, 30)

    def test_the_issue_case(self):
        r = self.get("/v1/actions", {"incident": "-1"})
        doc = harness.assert_problem(self, r, 400, "invalid-parameter")
        self.assertEqual(doc["errors"][0]["field"], "incident")

    def test_declared_values_are_accepted(self):
        for path, name, schema in self.query_parameters():
            value = valid_value(schema)
            if name == "incident":
                value = self.slug
            if value is None:
                continue
            with self.subTest(path=path, parameter=name, value=value):
                r = self.get(path, {name: value})
                if "{token}" in path:
                    # a secret in the path (the stop link's) that no test can forge: the
                    # parameter accepted is a 404 of the link, not a 400 of the parameter
                    harness.assert_problem(self, r, 404, "not-found")
                    continue
                self.assertEqual(r.status, 200, repr(r))

    def test_a_forged_cursor_is_invalid_cursor(self):
        for path, name, _ in self.query_parameters():
            if name != "cursor":
                continue
            with self.subTest(path=path):
                harness.assert_problem(self, self.get(path, {"cursor": "forged"}), 400,
                                       "invalid-cursor")


if __name__ == "__main__":
    unittest.main()
