#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""An OpenAPI-driven fuzzer: requests made from api/openapi.json's operations, parameters and
schemas, as the operator, an association, a claimant and anonymously, on a world of real
objects (incidents, a scheme, associations, actions, mandated and plain claims, an export).

Each request is valid as the document says, or mutated: path parameters (unknown, huge,
unicode, encoded slashes), query parameters (boundary numbers, wrong types, garbage cursors),
bodies (a member replaced by a wrong type, a boundary number, a huge or unicode string, null;
a member removed or added; raw bytes: truncated JSON, bad UTF-8, duplicate keys, deep
nesting, another top level), the Content-Type and the Idempotency-Key.

Every answer must be: no 5xx, a status the operation declares, problem+json on every 4xx (but
where a page's operation declares text/html for it), a
body the document describes (openapi_check); and the server is alive (healthz) at the end.
Seeded: the seed is printed first, and every failure says it with the request that failed
(its number, role, method, path, headers and body) and the command that replays the run:
RECOURS_FUZZ_SEED=<seed> makes the same requests in the same order, RECOURS_FUZZ_REQUESTS=<n>
stops after the n-th (default 3000). An unseeded run also stops at RECOURS_FUZZ_SECONDS
(default 50), so that a loaded machine runs fewer requests; a replay has no time limit unless
RECOURS_FUZZ_SECONDS is given, so that it reaches the request that failed however slow it is.
"""

import http.client
import json
import os
import random
import sys
import time
import unittest
import urllib.parse
import uuid

import assoc_fixtures as af
import claims_fixtures as cf
import harness
import openapi_check
from harness import Client

ROLES = ("operator", "association", "claimant", "anonymous")
BOUNDARY_NUMBERS = [0, -1, 1, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -2**63 - 1, 2**64,
                    10**30, -10**30, 1.5, -0.0, 1e308, 10000000001, 1000000000001]
UNICODE = ["é", "Ω", "😀", "\u202e", "e\u0301", "\u00a0", "\ufeff", "\u0000", "\ud800",
           "\t\n", "\x7f", "日本語", "\U0001f600" * 50, "<script>", "'; DROP TABLE claims;--"]
MAX_FINDINGS_SHOWN = 40
URL_PART_MAX = 6000


def seed():
    return int(os.environ.get("RECOURS_FUZZ_SEED") or random.SystemRandom().randrange(2**32))


def time_budget():
    """Seconds the run may take: RECOURS_FUZZ_SECONDS, else 50, else none for a replay."""
    given = os.environ.get("RECOURS_FUZZ_SECONDS")
    if given:
        return float(given)
    return None if os.environ.get("RECOURS_FUZZ_SEED") else 50.0


def replay_hint(seed_value, requests=None):
    """The command line that makes the run's requests again, up to the n-th if given."""
    up_to = f" RECOURS_FUZZ_REQUESTS={requests}" if requests else ""
    return (f"replay: RECOURS_FUZZ_SEED={seed_value}{up_to} "
            "ctest -R integration/test_openapi_fuzz --output-on-failure")


def describe_request(number, request):
    """One request as the failure shows it: enough to send it again by hand."""
    method, path, body, headers, token, role = request
    body = body or b""
    shown_body = repr(body[:300]) + (f" ({len(body)} bytes)" if len(body) > 300 else "")
    if token is None:
        credential = "none"
    else:  # the world's keys are the run's own: name them; a garbage token is shown
        credential = repr(token) if role == "anonymous" else f"the {role}'s"
    return (f"request #{number} as {role}: {method} {path[:2000]}"
            + (f" ({len(path)} characters)" if len(path) > 2000 else "")
            + f"\n      credential {credential}; headers {headers!r}\n      body {shown_body}")


def route_roles():
    """{(method, template): [fuzzer roles allowed]}: the route table's, "public" named
    "anonymous" as the fuzzer's credentials are."""
    return {route: [{"public": "anonymous"}.get(r, r) for r in roles]
            for route, roles in harness.route_roles().items()}


class Generator:
    """Values from the document's schemas, valid or mutated."""

    def __init__(self, doc, rng):
        self.doc = doc
        self.rng = rng

    def huge(self):
        return self.rng.choice(["x" * self.rng.choice([256, 1001, 4001, 20001, 60000]),
                                "é" * 5000, "😀" * 3000])

    def url_string(self):
        """A weird string that still fits a request line well under the header limit: above
        the connection's memory pool, MHD answers its own 414 page (docs/api.md §6)."""
        value = self.weird_string()
        while len(urllib.parse.quote(value, errors="surrogatepass")) > URL_PART_MAX:
            value = value[:len(value) // 2]
        return value

    def weird_string(self):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(UNICODE)
        if r < 0.5:
            return self.huge()
        if r < 0.7:
            return self.rng.choice(["", " ", "  \t ", "null", "0", "-1", "true", "[]", "{}"])
        return "".join(self.rng.choice("aZ9-_.~%/?#&=+ é") for _ in range(self.rng.randint(1, 40)))

    def string(self, s):
        fmt, pat = s.get("format"), s.get("pattern", "")
        if "enum" in s:
            return self.rng.choice([v for v in s["enum"] if v is not None] or [None])
        if fmt == "date":
            return self.rng.choice(["2026-02-10", "2020-01-01", "1999-12-31"])
        if fmt == "date-time":
            return self.rng.choice([af.future_deadline(), "2026-01-01T00:00:00Z",
                                    "2025-06-01T12:00:00.5Z"])
        if fmt == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if fmt == "email":
            return f"f{self.rng.randrange(10**9)}@example.org"
        if "A-Z]{3}" in pat:
            return self.rng.choice(["EUR", "USD", "KRW", "JPY"])
        if "A-Z]{2}" in pat or "A-Za-z]{2}" in pat:
            return self.rng.choice(["FR", "DE", "kr", "US"])
        if pat.startswith("^[a-z0-9][a-z0-9-]"):
            return "fz-" + "".join(self.rng.choice("abcdefgh0123") for _ in range(12))
        if pat.startswith("^(0(\\."):
            return self.rng.choice(["0.5", "1", "0.25"])
        lo, hi = s.get("minLength", 1), min(s.get("maxLength", 24), 24)
        n = self.rng.randint(lo, max(lo, hi))
        return "".join(self.rng.choice("abcdefghij klmno") for _ in range(n)).strip() or "a"

    def valid(self, schema, depth=0):
        s = self.doc.resolve(schema)
        t = s.get("type", "object" if "properties" in s else "string")
        if isinstance(t, list):
            choices = [x for x in t if x != "null"]
            t = self.rng.choice(choices) if choices and self.rng.random() < 0.9 else "null"
        if t == "null":
            return None
        if t == "string":
            return self.string(s)
        if t == "integer":
            lo, hi = s.get("minimum", 0), s.get("maximum", 10000)
            return self.rng.choice([lo, hi, self.rng.randint(lo, hi)])
        if t == "number":
            return self.rng.uniform(s.get("minimum", 0), s.get("maximum", 1000))
        if t == "boolean":
            return self.rng.random() < 0.5
        if t == "array":
            items = self.doc.resolve(s.get("items", {}))
            if "enum" in items:
                pool = [v for v in items["enum"] if v is not None]
                k = self.rng.randint(max(1, s.get("minItems", 0)),
                                     min(len(pool), s.get("maxItems", 3)))
                return self.rng.sample(pool, k)
            n = self.rng.randint(s.get("minItems", 0), min(s.get("maxItems", 3), 3))
            return [self.valid(items, depth + 1) for _ in range(n)]
        out = {}
        if depth > 6:
            return out
        required = set(s.get("required", []))
        for name, prop in s.get("properties", {}).items():
            if name in required or self.rng.random() < 0.6:
                out[name] = self.valid(prop, depth + 1)
        return out

    def wrong(self):
        return self.rng.choice([None, True, 0, -1, 2**63, 1.5, "", self.weird_string(),
                                [], [1, "a"], {}, {"x": {"y": [None]}}] + BOUNDARY_NUMBERS)

    def mutate(self, value):
        """value (a JSON value) with one spot changed."""
        if isinstance(value, dict) and value and self.rng.random() < 0.7:
            key = self.rng.choice(list(value))
            out = dict(value)
            r = self.rng.random()
            if r < 0.2:
                del out[key]
            elif r < 0.3:
                out[self.rng.choice(["extra", "id", "status", "token", "é", ""])] = self.wrong()
            else:
                out[key] = self.mutate(value[key])
            return out
        if isinstance(value, list) and value and self.rng.random() < 0.7:
            out = list(value)
            i = self.rng.randrange(len(out))
            r = self.rng.random()
            if r < 0.3:
                out.append(out[i])  # a repeat
            elif r < 0.5:
                out = out * self.rng.choice([2, 50, 2000])
            else:
                out[i] = self.mutate(out[i])
            return out
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if is_number and self.rng.random() < 0.6:
            return self.rng.choice(BOUNDARY_NUMBERS)
        if isinstance(value, str) and self.rng.random() < 0.6:
            return self.weird_string()
        return self.wrong()

    def raw_body(self, value):
        text = json.dumps(value)
        return self.rng.choice([
            text[:max(1, len(text) // 2)].encode(), b"", b"null", b"[]", b"\"x\"", b"42",
            b"{\"a\": \"\xff\xfe\"}", b"{\"a\":1, \"a\":2}", b"{" * 40 + b"}" * 40,
            ("[" * 33 + "]" * 33).encode(), b"\xef\xbb\xbf" + text.encode(), b"{\"a\":\"\\u0000\"}",
            text.encode() + b" trailing", b"{'single': 'quotes'}", b"\x00" * 16])


class OpenApiFuzzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.seed = seed()
        print(f"openapi fuzz: seed {cls.seed} ({replay_hint(cls.seed)})",
              file=sys.stderr, flush=True)
        # a database of its own: lists stay short, and nobody else meets the fuzzer's rows
        url = cf.new_database("recours_fuzz_", cls.addClassCleanup, migrated=True)
        cls.server = cf.start_server(database_url=url)
        cls.doc = openapi_check.document(harness.source_dir())
        cls.world = cls.make_world(cls.server)
        cls.roles = route_roles()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.close()
        except AssertionError as e:  # e.g. the server's exit under ASan, after a request
            raise AssertionError(f"{e}\n(seed {cls.seed}; {replay_hint(cls.seed)})") from e

    @staticmethod
    def make_world(server):
        """The objects the fuzzer's valid path parameters name; victims for the destructive
        operations, so that the others keep something to work on."""
        with Client(server) as c:
            w = {"slug": cf.make_incident(server), "victim_slug": cf.make_incident(server)}
            presets = c.request("GET", "/v1/schemes/presets").json()
            w["preset"] = presets["data"][0]["id"]
            scheme = dict(presets["data"][0]["scheme"])
            scheme["currency"] = "EUR"
            w["scheme"] = scheme
            r = af.op(server, "PUT", f"/v1/incidents/{w['slug']}/scheme", scheme, client=c)
            if r.status != 200:
                raise AssertionError(f"could not set a scheme: {r!r}")
            w["assoc"] = af.approved_association(server, client=c)
            w["victim_assoc"] = af.approved_association(server, client=c)
            w["victim_key_id"] = af.issue_key(server, w["victim_assoc"].id, client=c)["id"]
            w["action"] = af.open_action(w["assoc"], w["slug"], client=c)
            w["victim_action"] = af.open_action(w["assoc"], w["slug"], client=c)
            w["mandated"] = af.mandated_claim(server, w["slug"], w["action"], client=c)
            w["plain"] = af.plain_claim(server, w["slug"], client=c)
            w["victim_claim"] = af.plain_claim(server, w["slug"], client=c)
            r = w["assoc"].request("GET", f"/v1/actions/{w['action']['id']}/export", client=c)
            w["export_id"] = r.headers.get("X-Export-Id") or str(uuid.uuid4())
        return w

    # --- requests ----------------------------------------------------------------------------

    def path_value(self, method, template, name):
        w = self.world
        if name == "slug":
            return w["victim_slug"] if method == "patch" else w["slug"]
        if name == "reference":
            if method == "delete" and template.startswith("/v1/claims"):
                return w["victim_claim"]["reference"]
            claim = w["plain"] if template == "/v1/claims/{reference}" else w["mandated"]
            return claim["reference"]
        if name == "file":
            return self.rng.choice(["style.css", "claim.js", "favicon.svg", "nope.css", "i18n.js"])
        if template.startswith("/v1/associations"):
            return w["victim_assoc"].id
        if template.startswith("/v1/keys"):
            return w["victim_key_id"]
        if template.startswith("/v1/exports"):
            return w["export_id"]
        return (w["victim_action"] if method == "patch" else w["action"])["id"]

    def token(self, role, method, template):
        w = self.world
        if role == "operator":
            return self.server.operator_key
        if role == "association":
            return w["assoc"].key
        if role == "claimant":
            withdraws = method == "delete" and template.startswith("/v1/claims")
            return (w["victim_claim"] if withdraws else w["plain"])["token"]
        if self.rng.random() < 0.9:
            return None
        return "rk_garbage_" + cf.suffix(self.rng.choice([1, 40, 300]))

    def known_body(self, method, template):
        w = self.world
        known = {
            ("post", "/v1/incidents"): lambda: {"slug": "fz-" + cf.suffix(12), "controller": "C",
                                                "title": "T", "disclosed_on": "2026-02-10",
                                                "affected_count": 10, "currency": "EUR",
                                                "data_categories": ["email"]},
            ("post", "/v1/incidents/{slug}/claims"): lambda: cf.claim_body(),
            ("put", "/v1/incidents/{slug}/scheme"): lambda: dict(w["scheme"]),
            ("post", "/v1/associations"): lambda: af.association_body(),
            ("post", "/v1/actions"): lambda: af.action_body(w["slug"]),
            ("post", "/v1/actions/{id}/members"):
                lambda: {"references": [w["mandated"]["reference"]]},
            ("patch", "/v1/claims/{reference}/status"): lambda: {"status": "verified"},
            ("post", "/v1/compensation/simulate"):
                lambda: {"incident": w["slug"], "preset": w["preset"]},
            ("patch", "/v1/claims/{reference}"): lambda: {"harms": {"hours_spent": 4}},
        }
        make = known.get((method, template))
        return make() if make is not None else None

    def body_for(self, method, template, op, mode):
        rb = op.get("requestBody")
        if rb is None:
            return None, {}
        media = list(rb["content"])
        schema = rb["content"][media[0]].get("schema", {})
        value = self.known_body(method, template)
        if value is None or self.rng.random() < 0.3:
            value = self.gen.valid(schema)
        ctype = self.rng.choice(media)
        if mode == "body":
            value = self.gen.mutate(value)
        if mode == "raw":
            return self.gen.raw_body(value), {"Content-Type": ctype}
        if mode == "ctype":
            ctype = self.rng.choice(["text/plain", "application/jsonx", "application/json; x=y",
                                     "multipart/form-data", "application/merge-patch+json", ""])
        text = json.dumps(value, ensure_ascii=self.rng.random() < 0.5)
        data = text.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8
        return data, ({"Content-Type": ctype} if ctype else {})

    def query_for(self, params, mode):
        pairs = []
        for p in params:
            if p.get("in") != "query" or self.rng.random() < 0.4:
                continue
            value = self.gen.valid(p.get("schema", {}))
            if mode == "query":
                value = self.rng.choice([self.gen.url_string(),
                                         str(self.rng.choice(BOUNDARY_NUMBERS)),
                                         "1e3", "", "0x10", " 5", "5 ", "\ud800"])
            pairs.append((p["name"], "" if value is None else str(value)))
        if mode == "query" and self.rng.random() < 0.3:
            pairs += [("limit", "1"), ("limit", "2"), ("unknown", "x")]
        return pairs

    def make_request(self):
        method, template, op, params = self.rng.choice(self.ops)
        # mostly a role the route admits, so that requests get past authentication
        allowed = self.roles.get((method, template), ROLES)
        role = self.rng.choice(allowed if self.rng.random() < 0.7 else ROLES)
        mode = self.rng.choice(["valid", "valid", "path", "query", "body", "body", "raw",
                                "ctype", "header"])
        path = template
        for p in params:
            if p.get("in") == "path":
                value = self.path_value(method, template, p["name"])
                if mode == "path" and self.rng.random() < 0.7:
                    value = self.rng.choice([self.gen.url_string(), str(uuid.uuid4()),
                                             value.lower(),
                                             value + "x", "RC-0000-0000", "..", "%2e%2e"])
                encoded = urllib.parse.quote(value, safe="%", errors="surrogatepass")
                path = path.replace("{" + p["name"] + "}", encoded)
        query = self.query_for(params, mode)
        if query:
            path += "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote,
                                                 errors="surrogatepass")
        body, headers = self.body_for(method, template, op, mode)
        if method == "post" and self.rng.random() < 0.3:
            headers["Idempotency-Key"] = (self.rng.choice(["k" * 256, "é", " ", "a b"])
                                          if mode == "header" else "fz-" + cf.suffix(16))
        return method.upper(), path, body, headers, self.token(role, method, template), role

    # --- the run -----------------------------------------------------------------------------

    def test_fuzz(self):
        self.rng = random.Random(self.seed)
        self.gen = Generator(self.doc, self.rng)
        self.ops = self.doc.operations()
        budget = int(os.environ.get("RECOURS_FUZZ_REQUESTS", "3000"))
        seconds = time_budget()
        deadline = None if seconds is None else time.monotonic() + seconds
        # findings: {kind: (request number, request, answer)}, the first request of each kind
        findings, statuses, sent, dropped = {}, {}, 0, 0
        client = Client(self.server, check_openapi=False)
        self.addCleanup(client.close)
        request = None
        try:
            while sent < budget and (deadline is None or time.monotonic() < deadline):
                request = self.make_request()
                method, path, body, headers, token, role = request
                sent += 1
                try:
                    r = client.request(method, path, body=body, headers=headers, token=token)
                except (ConnectionError, OSError, http.client.HTTPException) as e:
                    # e.g. 413 answered, then closed mid-body; a timeout on a loaded machine
                    dropped += 1
                    client.close()
                    client = Client(self.server, check_openapi=False)
                    self.addCleanup(client.close)
                    if not self.alive():
                        findings[f"server died after {method} {path[:80]}"] = (sent, request,
                                                                                repr(e))
                        break
                    if isinstance(e, http.client.HTTPException):  # an answer cut or garbled
                        findings.setdefault(f"{method} {self.template(method, path)}: broken "
                                            f"answer {type(e).__name__}", (sent, request, repr(e)))
                    continue
                statuses[r.status] = statuses.get(r.status, 0) + 1
                for problem in self.judge(method, path, r):
                    findings.setdefault(problem, (sent, request, r.body[:300]))
        except Exception as e:  # the fuzzer's own error: say where, so that it can be replayed
            where = describe_request(sent, request) if request else "before the first request"
            raise AssertionError(f"the fuzzer failed at {where}\n(seed {self.seed}; "
                                 f"{replay_hint(self.seed, sent)})") from e
        finally:
            print(f"openapi fuzz: seed {self.seed}, {sent} requests ({dropped} connections "
                  f"dropped), statuses {dict(sorted(statuses.items()))}",
                  file=sys.stderr, flush=True)
        hint = f"(seed {self.seed}; {replay_hint(self.seed, sent)})"
        self.assertTrue(self.alive(), "the server does not answer /healthz after "
                        f"{describe_request(sent, request) if request else 'no request'}\n{hint}")
        self.assertGreater(sent, 500, f"too few requests to mean anything {hint}")
        if findings:
            shown = list(findings.items())[:MAX_FINDINGS_SHOWN]
            lines = [f"{kind}\n      {describe_request(n, req)}\n      answer {answer!r}"
                     for kind, (n, req, answer) in shown]
            last = max(n for n, _, _ in findings.values())
            self.fail(f"{len(findings)} kinds of wrong answers (seed {self.seed}; "
                      f"{replay_hint(self.seed, last)}):\n  " + "\n  ".join(lines))

    def template(self, method, path):
        found = self.doc.match(method, path)
        return found[0] if found else path.split("?")[0]

    def judge(self, method, path, r):
        """Kinds of wrong answer in r, each a short hashable description."""
        where = f"{method} {self.template(method, path)}"
        if r.status >= 500:  # the server's error, whatever the document says of it
            return [f"{where}: {r.status} {self.problem_type(r)}"]
        out = []
        if (400 <= r.status < 500 and r.media_type != openapi_check.PROBLEM_MEDIA
                and not self.html_page_answer(method, path, r)):
            out.append(f"{where}: {r.status} as {r.media_type}, not problem+json")
        return out + self.doc.mismatches(method, path, r.status, r.content_type, r.body)

    def html_page_answer(self, method, path, r):
        """A page that answers forms (/claim, /my-claim: docs/web-forms.md) answers its errors
        as an HTML page for everyone, where the document declares text/html for that status."""
        found = self.doc.match(method, path)
        if found is None or r.media_type != "text/html":
            return False
        _, resp = self.doc.declared_response(found[1], r.status)
        return resp is not None and "text/html" in resp.get("content", {})

    @staticmethod
    def problem_type(r):
        try:
            return r.json().get("type", "")
        except (ValueError, AttributeError):
            return r.body[:80]

    def alive(self):
        try:
            with Client(self.server) as c:
                return c.request("GET", "/healthz").status == 200
        except (ConnectionError, OSError):
            return False


if __name__ == "__main__":
    harness.main()
