#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""routes.c and api/openapi.json stay in step (docs/architecture.md §10): every route printed by
`recours routes` ("METHOD PATH ROLE") is an operation of the document, every operation of the
document is a route, and the server serves the file byte for byte at /v1/openapi.json.
"""

import json
import os
import subprocess
import unittest

import harness
from harness import Client

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def openapi_path():
    return os.path.join(harness.source_dir(), "api", "openapi.json")


def routes():
    """(method lower case, path) of every route, and the raw lines."""
    run = subprocess.run([harness.recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"recours routes failed ({run.returncode}): {run.stderr}")
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    out = []
    for line in lines:
        fields = line.split()
        if len(fields) != 3:
            raise AssertionError(f"route line is not 'METHOD PATH ROLE': {line!r}")
        out.append((fields[0].lower(), fields[1]))
    return out, lines


def operations(doc):
    """(method, path) of every operation of an OpenAPI document."""
    return [(m, p) for p, item in doc["paths"].items() for m in item if m in HTTP_METHODS]


class OpenApiRoutesTest(unittest.TestCase):
    def setUp(self):
        with open(openapi_path(), "rb") as f:
            self.raw = f.read()
        self.doc = json.loads(self.raw)
        self.routes, self.lines = routes()

    def test_routes_are_well_formed(self):
        self.assertTrue(self.routes, "recours routes printed nothing")
        self.assertEqual(len(set(self.routes)), len(self.routes), "a route is listed twice")
        for line in self.lines:
            method, path, role = line.split()
            self.assertRegex(method, r"^(GET|POST|PUT|PATCH|DELETE)$", line)
            self.assertTrue(path.startswith("/"), line)
            self.assertRegex(role, r"^[a-z]+(,[a-z]+)*$", line)

    def test_every_route_is_in_the_document(self):
        ops = set(operations(self.doc))
        missing = [f"{m.upper()} {p}" for m, p in self.routes if (m, p) not in ops]
        self.assertEqual(missing, [], "routes missing from api/openapi.json")

    def test_every_operation_is_a_route(self):
        rs = set(self.routes)
        extra = [f"{m.upper()} {p}" for m, p in operations(self.doc) if (m, p) not in rs]
        self.assertEqual(extra, [], "operations of api/openapi.json with no route")

    def resolve(self, obj):
        """Follows a local "$ref" ("#/components/...") to what it names."""
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            self.assertTrue(ref.startswith("#/"), f"non-local $ref {ref}")
            target = self.doc
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            obj = target
        return obj

    def test_path_parameters_are_declared(self):
        # every {name} of a path template is a declared path parameter of its operations
        for path, item in self.doc["paths"].items():
            names = set(p.strip("{}") for p in path.split("/") if p.startswith("{"))
            for method, op in item.items():
                if method not in HTTP_METHODS:
                    continue
                params = [self.resolve(p) for p in
                          item.get("parameters", []) + op.get("parameters", [])]
                declared = {p.get("name") for p in params if p.get("in") == "path"}
                with self.subTest(method=method, path=path):
                    self.assertLessEqual(names, declared)

    def test_every_patch_takes_both_media_types(self):
        # docs/api.md §1.3: PATCH also accepts application/merge-patch+json; every PATCH
        # handler reads its body so (json_body_read's allow_merge_patch). PATCH
        # /v1/claims/{reference}/status took it but the document said application/json only.
        for path, item in self.doc["paths"].items():
            if "patch" not in item:
                continue
            content = self.resolve(item["patch"].get("requestBody", {})).get("content", {})
            with self.subTest(path=path):
                self.assertEqual(set(content),
                                 {"application/json", "application/merge-patch+json"})

    def test_served_document_is_the_file(self):
        self.assertTrue(str(self.doc.get("openapi", "")).startswith("3.1"))
        with harness.Server() as server, Client(server) as c:
            r = c.request("GET", "/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.media_type, "application/json")
        self.assertEqual(len(r.body), len(self.raw))
        self.assertTrue(r.body == self.raw,
                        "the served document differs from api/openapi.json (stale build?)")


if __name__ == "__main__":
    harness.main()
