#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every route of api/openapi.json walked with hostile inputs, as an outside black-box checker
would probe the API (docs/api.md §1–§7): wrong methods, missing and wrong credentials,
another association's or claimant's objects, wrong media types, malformed JSON, a wrong value
in every member of every body (nested ones and the first item of a list included), unknown
members, bodies over the limit, bad path and query parameters, bad Idempotency-Keys,
conditional headers.

Where test_openapi_fuzz.py samples at random, this file walks each operation of the document
with each kind of hostile input in turn, deterministically, and says what the rules expect:

- never a 5xx, and the server alive at the end (an ASan build aborts on a memory error);
- every 4xx a problem document (application/problem+json, absolute `type`, `title`,
  `status`, `detail`), the status one the operation declares, the body valid against its
  schema (openapi_check);
- 405 with `Allow` naming exactly the document's methods (HEAD where GET, but not on the GETs
  that record what they serve); 401 with `WWW-Authenticate: Bearer`;
- a valid credential out of its reach → 404, byte for byte the answer for a missing object
  (docs/api.md §2.3);
- a body member of a type or value the schema refuses is never accepted, and its 422 names
  the member (`field` a dotted path with indexes, §5.2); a bad query parameter's 400 names
  the parameter;
- malformed JSON → 400 `malformed-json`; an unsupported media type → 415; a body over the
  limit → 413; a bad Idempotency-Key → 400 `invalid-parameter`.

Findings are collected per test and listed together (at most MAX_SHOWN).
"""

import gzip
import json
import sys
import unittest
import urllib.parse
import uuid

try:
    import jsonschema
except ImportError:
    jsonschema = None

import assoc_fixtures as af
import claims_fixtures as cf
import evidence_fixtures as ef
import harness
import notice_fixtures as nf
import openapi_check
from harness import Client

PROBLEM = openapi_check.PROBLEM_MEDIA
MAX_SHOWN = 60
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Routes whose bodies are forms or pages (docs/web-forms.md): walked for methods, paths,
# queries and credentials, their bodies by test_form_bodies only.
FORM_POSTS = {"/claim", "/my-claim", "/my-claim/evidence", "/notices/stop/{token}",
              "/confirm-email/{token}"}
EVIDENCE_UPLOAD = ("post", "/v1/claims/{reference}/evidence")

# Wrong values for any body member: every JSON type, boundary numbers, hostile strings.
HOSTILE_VALUES = [
    None, True, 0, -1, 1.5, -0.0, 2**63 - 1, -2**63, 2**63, 2**64, 10**12 + 1, "", "   ",
    "x" * 5000,
    "a\u0000b", "\u202e\u0000", "😀" * 300, "\ud800", "\x01\x7f", [], [None], [[[]]], {},
    {"x": 1},
    # dates a parser may take and PostgreSQL not (year 0, leap second, 24:00), or the reverse
    "0000-01-01", "9999-12-31", "2026-02-29", "2024-02-29", "10000-01-01", "-0001-01-01",
    "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z", "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00+99:99", "1970-01-01T00:00:00.9999999999Z", "2026-01-01t00:00:00z",
    # within 100 characters as sent, 300 in NFC (the form a name is stored and read in)
    "\ufb2c" * 100,
]
# Path parameter values that name nothing (docs/api.md §2.5: 404 like an unknown one), as
# they go on the request line (already percent-encoded where needed).
HOSTILE_PATH_VALUES = [
    "x", "0", "-1", "%2F", "a%2Fb", "..", "%2e%2e", "%00", "a%00b", "%FF", "%C3%28",
    "%ED%A0%80", "%E2%80%AE", "00000000-0000-0000-0000-000000000000",
    "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ", "RC-0000-0000", "RC-%00-0", "%20", "%0A",
    "x" * 1000, "%41" * 3000, "'%3B--", "%22%3E%3Cscript%3E",
]
# Query values for any declared query parameter (percent-encoded as sent).
HOSTILE_QUERY_VALUES = [
    "", "x", "0", "-1", "1001", "1e3", "1.5", "+5", "%205", "5%20", "0x10",
    "99999999999999999999", "9223372036854775808", "-9223372036854775809", "%00", "a%00b",
    "%FF", "%C3%28", "%E2%80%AE", "null", "true", "%5B%5D", "x" * 3000, "%25",
    "0000-01-01", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z", "2026-01-01T24:00:00Z",
    "2026-02-29", "2026-01-01T00:00:00%2B99:99", "10000-01-01T00:00:00Z", "-1-01-01",
]
MEDIA_REFUSED = [None, "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "application/json; charset=latin-1",
                 "application/jsonx", "application/json-patch+json", "application/xml",
                 "application/json, text/plain", "*/*", "application/json; charset=utf-8x"]
MEDIA_ACCEPTED = ["application/json", "APPLICATION/JSON", "application/json;charset=UTF-8",
                  'application/json; charset="utf-8"']
MALFORMED_BODIES = [
    b"null", b"[]", b"42", b"\"x\"", b"true", b"{", b"}", b"{\"a\":}", b"{'a': 1}",
    b"{\"a\": 1,}", b"{\"a\": 1} x", b"{\"a\": 1}{\"b\": 2}", b"{\"a\": \"\xff\"}",
    b"{\"a\": \"\xc0\xaf\"}", b"{\"a\": \"\xed\xa0\x80\"}", b"{\"a\": \"\\u0000\"}",
    b"{\"a\": \"\\ud800\"}", b"{\"a\": \"a\x00b\"}", b"{\"a\": \"a\nb\"}",
    b"{\"a\": NaN}", b"{\"a\": Infinity}", b"{\"a\": 1e400}", b"{\"a\": 18446744073709551616}",
    b"{\"a\": -9223372036854775809}", b"\xef\xbb\xbf{}", b"{}\x00", b"\x00",
    b"{\"a\": " + b"[" * 40 + b"]" * 40 + b"}", b"{\"a\": 01}", b"{\"a\": .5}",
    b"{\"a\": tru}", b"/* c */ {}",
]
BAD_IDEMPOTENCY_KEYS = ["", " ", "k" * 256, "a b", "\u00e9", "\x01", "a\tb", "k\x7f"]


def set_path(body, path, value):
    """body (a copy) with the member at path (a tuple of keys and indexes) set to value."""
    out = json.loads(json.dumps(body))
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def path_name(path):
    """The docs' dotted path with indexes: ("claimant", "address", "country") →
    claimant.address.country; ("data_categories", 0) → data_categories[0]."""
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (("." if out else "") + key)
    return out


def encode_json(value):
    """JSON bytes of value; a lone surrogate becomes the invalid UTF-8 it would encode to."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


class HostileApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.addClassCleanup(cls.server.close)
        cls.doc = openapi_check.document(harness.source_dir())
        cls.roles = harness.route_roles()
        cls.client = Client(cls.server, check_openapi=False)
        cls.addClassCleanup(lambda: cls.client.close())
        cls.w = cls.make_world(cls.server)
        not_found = cls.w["A"].request("GET", f"/v1/actions/{uuid.uuid4()}", client=cls.client)
        assert not_found.status == 404, not_found
        cls.not_found_body = not_found.body

    # --- the world the walk runs in ---------------------------------------------------------

    @staticmethod
    def make_world(server):
        """Objects of association A (the caller), of B (another association: out of A's
        reach) and victims for the operations that change or remove what they name."""
        with Client(server) as c:
            w = {"slug": cf.make_incident(server), "victim_slug": cf.make_incident(server)}
            presets = c.request("GET", "/v1/schemes/presets").json()
            w["preset"] = presets["data"][0]["id"]
            scheme = dict(presets["data"][0]["scheme"], currency="EUR")
            w["scheme"] = scheme
            r = af.op(server, "PUT", f"/v1/incidents/{w['slug']}/scheme", scheme, client=c)
            assert r.status == 200, r
            w["A"] = af.approved_association(server, client=c)
            w["B"] = af.approved_association(server, client=c)
            w["C"] = af.approved_association(server, client=c)  # PATCHed, keys issued
            revoked = af.issue_key(server, w["A"].id, client=c)
            af.revoke_key(server, revoked["id"], client=c)
            w["revoked_key"] = revoked["secret"]
            w["actA"] = af.open_action(w["A"], w["slug"], client=c)
            w["actA_victim"] = af.open_action(w["A"], w["slug"], client=c)
            w["actB"] = af.open_action(w["B"], w["slug"], client=c)
            theft = {"harms": {"identity_theft": True}}
            w["mandA"] = af.mandated_claim(server, w["slug"], w["actA"], client=c, **theft)
            w["mandA_review"] = af.mandated_claim(server, w["slug"], w["actA"], client=c)
            w["mandA_remove"] = af.mandated_claim(server, w["slug"], w["actA"], client=c)
            w["mandA_delete"] = af.mandated_claim(server, w["slug"], w["actA"], client=c)
            w["mandB"] = af.mandated_claim(server, w["slug"], w["actB"], client=c, **theft)
            w["plain"] = af.plain_claim(server, w["slug"], client=c)
            w["plain_patch"] = af.plain_claim(server, w["slug"], client=c)
            w["plain_delete"] = af.plain_claim(server, w["slug"], client=c)
            w["evidence_claim"] = af.plain_claim(server, w["slug"], client=c, **theft)
            w["file_own"] = ef.uploaded(server, w["evidence_claim"], client=c)["id"]
            w["file_victim"] = ef.uploaded(server, w["evidence_claim"], client=c)["id"]
            w["file_member"] = ef.uploaded(server, w["mandA"], client=c)["id"]
            w["file_B"] = ef.uploaded(server, w["mandB"], client=c)["id"]
            for name, act, who in (("notice", "actA", "A"), ("notice_send", "actA", "A"),
                                   ("notice_delete", "actA", "A"), ("notice_B", "actB", "B")):
                r = w[who].request("POST", f"/v1/actions/{w[act]['id']}/notices",
                                   nf.draft_body(tag=name), client=c)
                assert r.status == 201, r
                w[name] = r.json()["id"]
            for name, act, who in (("export", "actA", "A"), ("export_B", "actB", "B")):
                r = w[who].request("GET", f"/v1/actions/{w[act]['id']}/export", client=c)
                assert r.status == 200 and r.headers.get("X-Export-Id"), r
                w[name] = r.headers["X-Export-Id"]
        return w

    # --- what each route is called with -----------------------------------------------------

    def params_of(self, method, template):
        """{name: value} of the path parameters that name the caller's own objects (victims for
        the operations that change them)."""
        w = self.w
        m = method.upper()
        claim = w["plain"]
        if template.startswith("/v1/claims/{reference}/evidence"):
            claim = w["evidence_claim"]
        elif template == "/v1/claims/{reference}":
            claim = {"PATCH": w["plain_patch"], "DELETE": w["plain_delete"]}.get(m, w["plain"])
        elif template == "/v1/claims/{reference}/status":
            claim = w["mandA_review"]
        elif template.startswith("/v1/actions/{id}/members/{reference}"):
            claim = (w["mandA_remove"] if template.endswith("/removal")
                     else w["mandA_delete"] if m == "DELETE" else w["mandA"])
        action = w["actA_victim"] if (template == "/v1/actions/{id}" and m == "PATCH") \
            else w["actA"]
        if template.startswith("/v1/associations/") or template.startswith("/v1/keys/"):
            ident = w["C"].key_id if template.startswith("/v1/keys/") else w["C"].id
        elif template.startswith("/v1/exports/"):
            ident = w["export"]
        else:
            ident = action["id"]
        notice = (w["notice_send"] if template.endswith(("/send", "/cancel"))
                  else w["notice_delete"] if m == "DELETE" else w["notice"])
        file = (w["file_member"] if template.startswith("/v1/actions/")
                else w["file_victim"] if m == "DELETE" else w["file_own"])
        if template.startswith("/static/"):
            file = "style.css"
        elif template.startswith("/i18n/"):
            file = "fr.json"
        slug = w["victim_slug"] if (template == "/v1/incidents/{slug}" and m == "PATCH") \
            else w["slug"]
        return {"slug": slug, "reference": claim["reference"], "id": ident, "notice": notice,
                "file": file, "token": "t" * 43, "version": cf.NOTICE_VERSION}

    def foreign_params(self, method, template):
        """Path parameters naming objects out of association A's reach (B's), for A's key."""
        w = self.w
        p = self.params_of(method, template)
        p["id"] = w["export_B"] if template.startswith("/v1/exports/") else w["actB"]["id"]
        p["reference"] = w["mandB"]["reference"]
        p["notice"] = w["notice_B"]
        p["file"] = w["file_B"]
        return p

    @staticmethod
    def fill(template, params):
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        return path

    def credential(self, method, template):
        """The credential of the caller the route is for (None for a public route)."""
        roles = self.roles[(method, template)]
        if "public" in roles:
            return None
        if "association" in roles:
            return self.w["A"].key
        if "operator" in roles:
            return self.server.operator_key
        p = self.params_of(method, template)  # claimant: the token of the claim in the path
        for claim in ("plain", "plain_patch", "plain_delete", "evidence_claim"):
            if self.w[claim]["reference"] == p["reference"]:
                return self.w[claim]["token"]
        raise AssertionError(f"no claimant for {method} {template}")

    def base_body(self, method, template):
        """A valid body of the operation (fresh names where they must be unique), or None."""
        w = self.w
        bodies = {
            ("post", "/v1/incidents"): lambda: {
                "slug": "hx-" + cf.suffix(12), "controller": "C", "title": "T",
                "disclosed_on": "2026-02-10", "affected_count": 10, "currency": "EUR",
                "data_categories": ["email"], "authority_reference": "R", "status": "open"},
            ("patch", "/v1/incidents/{slug}"): lambda: {"title": "Leak", "affected_count": 12,
                                                        "data_categories": ["email", "name"]},
            ("put", "/v1/incidents/{slug}/scheme"): lambda: json.loads(json.dumps(w["scheme"])),
            ("post", "/v1/incidents/{slug}/claims"): lambda: cf.claim_body(
                harms={"phishing": True, "identity_theft": False, "distress": True,
                       "documented_loss": 100, "hours_spent": 2, "description": "d"},
                lang="fr", notice_code="N"),
            ("patch", "/v1/claims/{reference}"): lambda: {
                "claimant": {"given_name": "Jean", "address": {"city": "Lyon"}},
                "harms": {"hours_spent": 4}, "payment_preference": "cash"},
            ("post", "/v1/claim-recovery"): lambda: {"email": cf.unique_email(),
                                                     "reference": w["plain"]["reference"],
                                                     "lang": "en"},
            ("post", "/v1/associations"): lambda: af.association_body(),
            ("patch", "/v1/associations/{id}"): lambda: {"name": "Assoc " + cf.letters(6),
                                                         "approved_until": None},
            ("post", "/v1/associations/{id}/keys"): lambda: {"label": "k"},
            ("post", "/v1/actions"): lambda: af.action_body(
                w["slug"], next_date="2027-01-01", history_add={
                    "kind": "filed", "date": "2026-03-01", "court_reference": "RG 1",
                    "note": "n"}),
            ("patch", "/v1/actions/{id}"): lambda: {
                "title": "Action " + cf.letters(5), "next_date_note": "n",
                "history_add": {"kind": "hearing", "date": "2026-04-01"}},
            ("patch", "/v1/claims/{reference}/status"): lambda: {"status": "verified",
                                                                 "reason": "ok"},
            ("post", "/v1/actions/{id}/members"): lambda: {
                "references": [w["mandA"]["reference"]]},
            ("post", "/v1/compensation/simulate"): lambda: {
                "incident": w["slug"], "scheme": json.loads(json.dumps(w["scheme"])),
                "basis": "all"},
            ("post", "/v1/actions/{id}/members/{reference}/removal"): lambda: {
                "reason": "other"},
            ("post", "/v1/actions/{id}/reviews"): lambda: {
                "references": [w["mandA_review"]["reference"]], "decision": "verified",
                "reason": "other", "note": "n", "dry_run": True},
            ("post", "/v1/actions/{id}/notices"): lambda: nf.draft_body(tag=cf.suffix(4)),
            ("post", "/v1/actions/{id}/notices/{notice}/send"): lambda: {
                "filter": {"status": "verified", "country": "FR"}, "dry_run": True},
        }
        make = bodies.get((method, template))
        return make() if make is not None else None

    def json_operations(self):
        """(method, template, op, schema, media) of every operation with a JSON body."""
        out = []
        for method, template, op, _ in self.doc.operations():
            rb = op.get("requestBody")
            if rb is None or template in FORM_POSTS or (method, template) == EVIDENCE_UPLOAD:
                continue
            media = next(m for m in rb["content"] if m.endswith("json"))
            out.append((method, template, op, rb["content"][media].get("schema", {}),
                        "application/merge-patch+json" if method == "patch" else media))
        return out

    # --- what a refused request must leave as it was ----------------------------------------

    COUNTED = ("claims", "incidents", "actions", "associations", "api_keys",
               "notices", "schemes", "audit_events", "idempotency_keys", "evidence_files",
               "claim_duplicates", "exports", "action_events", "claim_reviews",
               "action_mandate_texts")

    def row_counts(self):
        """Rows of every table a request writes (psql on the test's database)."""
        sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in self.COUNTED)
        return dict(tuple(row) for row in cf.psql(sql))

    def assert_nothing_written(self, before, what):
        after = self.row_counts()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            self.note(f"{what}: refused requests wrote rows {changed}")

    # resource read back after a refused PATCH: (GET path, credential) of its target
    def read_back(self, template):
        w = self.w
        return {
            "/v1/incidents/{slug}": (f"/v1/incidents/{w['victim_slug']}", None),
            "/v1/claims/{reference}": (f"/v1/claims/{w['plain_patch']['reference']}",
                                       w["plain_patch"]["token"]),
            "/v1/actions/{id}": (f"/v1/actions/{w['actA_victim']['id']}", w["A"].key),
            "/v1/claims/{reference}/status": (
                f"/v1/claims/{w['mandA_review']['reference']}", w["mandA_review"]["token"]),
        }.get(template)

    def state_of(self, template):
        target = self.read_back(template)
        if target is None:
            return None
        r = self.client.request("GET", target[0], token=target[1])
        doc = r.json() if r.status == 200 else {"status": r.status}
        for volatile in ("computed_at", "totals"):  # the public cache's, §3.3
            doc.pop(volatile, None)
        return doc

    # --- requests and the judge -------------------------------------------------------------

    def setUp(self):
        self.findings = {}

    def send(self, method, path, body=None, headers=None, token=None):
        """One request on the shared keep-alive connection; None (a finding) when the
        connection failed."""
        try:
            r = self.client.request(method, path, body=body, headers=headers, token=token)
            if r.headers.get("Content-Encoding", "").lower() == "gzip":  # asked for
                r.body = gzip.decompress(r.body)
            return r
        except (ConnectionError, OSError) as e:
            self.client.close()
            type(self).client = Client(self.server, check_openapi=False)
            self.note(f"{method} {path[:120]}: connection failed ({e!r})", body)
            return None

    def note(self, finding, body=None, answer=b""):
        self.findings.setdefault(finding, ((body or b"")[:200] if isinstance(body, bytes)
                                           else str(body)[:200], answer[:300]))

    def judge(self, case, method, path, r, body=None, expect=None, problem=None,
              browser=False):
        """Notes what is wrong in r (None: the connection failed, already noted); returns r's
        problem document (or None). browser: the request's Accept preferred text/html, which
        makes an error an HTML page where no operation describes it (unknown path, 405)."""
        if r is None:
            return None
        found = self.doc.match(method, path)
        if browser and found is None and r.status >= 400 and r.media_type == "text/html":
            return None  # docs/api.md §15.3: the page of an error no operation declares
        where = f"{case}: {method} {found[0] if found else path.split('?')[0][:80]}"
        doc = None
        if r.status >= 500:
            self.note(f"{where} → {r.status}", body, r.body)
        if 400 <= r.status < 500 and method != "HEAD":
            if r.media_type != PROBLEM and not self.page_answer(method, path, r):
                self.note(f"{where} → {r.status} as {r.media_type}, not {PROBLEM}", body, r.body)
            elif r.media_type == PROBLEM:
                doc = self.problem_doc(where, r, body)
        for m in self.doc.mismatches(method, path, r.status, r.content_type, r.body):
            self.note(f"{case}: {m}", body, r.body)
        if expect is not None and r.status not in expect:
            self.note(f"{where} → {r.status}, expected {sorted(expect)}", body, r.body)
        elif problem is not None and doc is not None and \
                doc.get("type") != openapi_check.PROBLEM_BASE + problem:
            self.note(f"{where} → {doc.get('type')}, expected {problem}", body, r.body)
        self.judge_headers(where, found, r, body)
        if r.status == 405 and not r.headers.get("Allow"):
            self.note(f"{where} → 405 without Allow", body, r.body)
        if r.status == 401 and not r.headers.get("WWW-Authenticate", "").startswith("Bearer"):
            self.note(f"{where} → 401 without WWW-Authenticate: Bearer", body, r.body)
        return doc

    CREATED_WITH_LOCATION = {("post", "/v1/incidents"), ("post", "/v1/incidents/{slug}/claims"),
                             ("post", "/v1/associations"), ("post", "/v1/actions")}

    def judge_headers(self, where, found, r, body):
        """The headers the operation declares for this status, where present, hold values of
        their schema (Retry-After and RateLimit-* integers, ...); a 201 of docs/api.md §1.8's
        creations has a Location that is a path of the document."""
        if found is None:
            return
        _, resp = self.doc.declared_response(found[1], r.status)
        for name, header in ((resp or {}).get("headers") or {}).items():
            value = r.headers.get(name)
            schema = self.doc.resolve(header).get("schema", {})
            if value is None or jsonschema is None:
                continue
            typed = value
            if schema.get("type") == "integer":
                if not value.isdigit():
                    self.note(f"{where} → header {name}: {value!r} is not an integer", body)
                    continue
                typed = int(value)
            if not self.doc.validator(schema).is_valid(typed):
                self.note(f"{where} → header {name}: {value!r} not of its schema", body)
        method = [m for m, o in self.doc.doc["paths"][found[0]].items() if o is found[1]]
        if r.status == 201 and method and (method[0], found[0]) in self.CREATED_WITH_LOCATION:
            loc = r.headers.get("Location", "")
            if not loc.startswith("/") or self.doc.match("PATCH", loc) is None and \
                    self.doc.match("GET", loc) is None:
                self.note(f"{where} → 201 with Location {loc!r}", body)

    def problem_doc(self, where, r, body):
        try:
            doc = r.json()
        except ValueError:
            self.note(f"{where} → problem body not JSON", body, r.body)
            return None
        for member in ("type", "title", "detail"):
            if not isinstance(doc.get(member), str) or not doc[member]:
                self.note(f"{where} → problem without {member}", body, r.body)
        if not str(doc.get("type", "")).startswith(openapi_check.PROBLEM_BASE):
            self.note(f"{where} → problem type not absolute", body, r.body)
        if doc.get("status") != r.status:
            self.note(f"{where} → problem status {doc.get('status')} != {r.status}", body,
                      r.body)
        for e in doc.get("errors", []) or []:
            if not all(isinstance(e.get(k), str) for k in ("field", "code", "message")):
                self.note(f"{where} → malformed errors[] item {e}", body, r.body)
        # detail and messages never repeat what was sent (personal data, §5.1)
        said = " ".join([str(doc.get("detail", ""))] + [str(e.get("message", ""))
                                                        for e in doc.get("errors", []) or []])
        said = said.replace("name@example.org", "")  # the server's own example of the form
        for sent in ("@example.org", "Testa-", "12 rue de Rivoli", "x" * 20, "\u202e", "😀",
                     "Jean", "Lyon", "\ufb2c"):
            if sent in said:
                self.note(f"{where} → the problem repeats what was sent ({sent!r})", body,
                          r.body)
        return doc

    def page_answer(self, method, path, r):
        """A form page answers its errors as a page where the document declares text/html."""
        found = self.doc.match(method, path)
        if found is None or r.media_type != "text/html":
            return False
        _, resp = self.doc.declared_response(found[1], r.status)
        return resp is not None and "text/html" in resp.get("content", {})

    def finish(self):
        alive = self.send("GET", "/healthz")
        if alive is None or alive.status != 200:
            self.note("the server does not answer /healthz")
        if self.findings:
            lines = [f"{k}\n      sent {v[0]!r}\n      answer {v[1]!r}"
                     for k, v in list(self.findings.items())[:MAX_SHOWN]]
            self.fail(f"{len(self.findings)} wrong answers:\n  " + "\n  ".join(lines))

    # --- methods ----------------------------------------------------------------------------

    def test_wrong_methods(self):
        """Every path with every method it does not have: 405 with Allow exactly the
        document's methods (docs/api.md §1.2); also as a credentialed caller."""
        for template, item in self.doc.doc["paths"].items():
            have = {m.upper() for m in item if m in openapi_check.HTTP_METHODS}
            allow = set(have)
            if "get" in item and not item["get"].get("x-recours-no-head"):
                allow.add("HEAD")
            path = self.fill(template, self.params_of("get", template))
            for method in METHODS:
                if method in allow:
                    continue
                for token in (None, self.w["A"].key, self.server.operator_key):
                    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
                    hdrs = {"Content-Type": "application/json"} if body else {}
                    r = self.send(method, path, body=body, headers=hdrs, token=token)
                    self.judge("method", method, path, r, expect={405},
                               problem="method-not-allowed")
                    if r is not None and r.status == 405:
                        got = {m.strip() for m in r.headers.get("Allow", "").split(",")}
                        if got != allow:
                            self.note(f"method: {method} {template} Allow {sorted(got)}, "
                                      f"document {sorted(allow)}")
        self.finish()

    # --- credentials ------------------------------------------------------------------------

    def test_credentials(self):
        """Non-public routes: no or a bad credential → 401 (§2.3); public routes ignore a bad
        one (the summary, which reads it, excepted)."""
        w = self.w
        bad = [None, "", "x", "rk_", "rk_AAAAAAAA_" + "A" * 43, "rk_AAAAAAAA_" + "A" * 42,
               "rop_" + "A" * 43, "A" * 43, "A" * 8000, w["revoked_key"], "\u00e9" * 10,
               w["A"].key + " x", w["A"].key + "x"]
        schemes = ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Token " + w["A"].key,
                   "Bearer " + w["A"].key + ", Bearer " + w["A"].key]
        for method, template, op, _ in self.doc.operations():
            roles = self.roles[(method, template)]
            path = self.fill(template, self.params_of(method, template))
            body = self.base_body(method, template)
            public = roles == ["public"]
            for token in bad:
                if token is None and "public" in roles:
                    continue  # no credential: the public view (the summary, §2.2)
                if "claimant" in roles and token == "A" * 43:
                    continue  # a claim token's shape: told only against its claim (below)
                r = self.send(method.upper(), path, body=body, token=token)
                self.judge(f"credential {str(token)[:16]!r}", method.upper(), path, r, body=body,
                           expect=None if public else {401},
                           problem=None if public else "unauthorized")
                if public and r is not None and r.status == 401:
                    self.note(f"credential: public {method.upper()} {template} → 401")
            for header in schemes:
                r = self.send(method.upper(), path, body=body, headers={"Authorization": header})
                self.judge(f"Authorization {header[:16]!r}", method.upper(), path, r, body=body,
                           expect=None if public else {401})
            if "claimant" not in roles and not public and "public" not in roles:
                # a claim token's shape outside the claim routes: 401 (§2.3)
                r = self.send(method.upper(), path, body=body, token=w["plain"]["token"])
                self.judge("claim token elsewhere", method.upper(), path, r, body=body,
                           expect={401}, problem="unauthorized")
        self.finish()

    def out_of_reach(self, case, method, template, path, token, body=None):
        r = self.send(method.upper(), path, body=body, token=token)
        self.judge(case, method.upper(), path, r, body=body, expect={404}, problem="not-found")
        if r is not None and r.status == 404 and r.body != self.not_found_body:
            self.note(f"{case}: {method.upper()} {template} 404 differs from a missing "
                      "object's", body, r.body)

    def test_out_of_reach(self):
        """A valid credential outside its reach → 404, byte for byte a missing object's (§2.3):
        another association's objects, an operator route with an association key, an
        association route with the operator key, a claim route with either or with another
        claim's token."""
        w = self.w
        for method, template, op, _ in self.doc.operations():
            roles = self.roles[(method, template)]
            if "public" in roles:
                continue
            own = self.fill(template, self.params_of(method, template))
            body = self.base_body(method, template)
            if (method, template) == EVIDENCE_UPLOAD:
                body = None
            if "association" in roles and "{" in template and \
                    not template.startswith("/v1/incidents/"):
                foreign = self.fill(template, self.foreign_params(method, template))
                self.out_of_reach("another association's", method, template, foreign,
                                  w["A"].key, body)
            if "operator" not in roles:
                self.out_of_reach("operator key", method, template, own,
                                  self.server.operator_key, body)
            if "association" not in roles:
                self.out_of_reach("association key", method, template, own, w["A"].key, body)
            if "claimant" in roles:
                other = w["mandB"]["token"]
                self.out_of_reach("another claim's token", method, template, own, other, body)
        self.finish()

    def test_lists_stay_within_reach(self):
        """An association's lists, whatever their filters and pages, never name another
        association's action or member (docs/api.md §2.3); the public summary is the public
        view (§11.5)."""
        w = self.w
        foreign = {w["actB"]["id"], w["mandB"]["reference"], w["notice_B"], w["export_B"]}
        lists = ["/v1/actions", "/v1/actions?status=open&limit=1000",
                 f"/v1/actions?incident={w['slug']}",
                 f"/v1/incidents/{w['slug']}/claims?limit=1000",
                 f"/v1/incidents/{w['slug']}/claims?country=FR&status=received",
                 f"/v1/actions/{w['actA']['id']}/members?limit=1000",
                 f"/v1/actions/{w['actA']['id']}/members?reference={w['mandB']['reference']}",
                 f"/v1/actions/{w['actA']['id']}/notices", f"/v1/actions/{w['actA']['id']}/timeline",
                 f"/v1/actions/{w['actA']['id']}/compensation",
                 f"/v1/actions/{w['actA']['id']}/export?format=ndjson"]
        for path in lists:
            r = self.send("GET", path, token=w["A"].key)
            self.judge("reach", "GET", path, r)
            if r is not None and any(f.encode() in r.body for f in foreign):
                self.note(f"reach: GET {path} as A names one of B's objects", None, r.body)
        r = self.send("GET", f"/v1/incidents/{w['slug']}/compensation")
        self.judge("public summary", "GET", "/v1/incidents/{slug}/compensation", r)
        public = {"incident", "action_id", "view", "basis", "scheme_version", "currency",
                  "computed_at", "affected_count", "eligible", "total_before_cap",
                  "total_after_cap", "fund_cap", "pro_rata_factor", "take_up_rate",
                  "projection_if_all_claimed"}
        if r is not None and r.status == 200:
            extra = set(r.json()) - public
            if extra:
                self.note(f"public summary carries {sorted(extra)} beyond §11.5's list", None,
                          r.body)
        self.finish()

    def test_references_in_bodies_stay_within_reach(self):
        """Another association's action or member named in a body gets the answer of one that
        does not exist, byte for byte (docs/api.md §2.3, §11.6)."""
        w = self.w
        act = w["actA"]["id"]
        missing_ref = "RC-0000-0000"
        cases = [
            ("POST", "/v1/compensation/simulate",
             lambda x: {"action_id": x, "preset": w["preset"]}, w["actB"]["id"],
             str(uuid.uuid4())),
            ("POST", f"/v1/actions/{act}/members", lambda x: {"references": [x]},
             w["mandB"]["reference"], missing_ref),
            ("POST", f"/v1/actions/{act}/reviews",
             lambda x: {"references": [x], "decision": "verified", "dry_run": True},
             w["mandB"]["reference"], missing_ref),
        ]
        for method, path, make, theirs, missing in cases:
            answers = []
            for value in (theirs, missing):
                r = self.send(method, path, body=encode_json(make(value)),
                              headers={"Content-Type": "application/json"}, token=w["A"].key)
                self.judge("reference in a body", method, path, r)
                answers.append(r)
            if None not in answers and (answers[0].status, answers[0].body) != \
                    (answers[1].status, answers[1].body.replace(missing.encode(),
                                                                 theirs.encode())):
                self.note(f"reference in a body: {method} {path} tells another association's "
                          f"object ({answers[0].status}) from a missing one "
                          f"({answers[1].status})", None, answers[0].body + b" | " +
                          answers[1].body)
        self.finish()

    def test_lapsed_and_suspended_out_of_reach(self):
        """An association whose approval is not in force writes nothing (409 approval-lapsed,
        §2.4) — but on another association's objects, or on none, it gets the 404 of a missing
        object, never a 409 that would tell them apart (§2.3)."""
        w = self.w
        with Client(self.server) as c:
            callers = {"lapsed": af.lapsed_association(self.server, client=c),
                       "suspended": af.suspended_association(self.server, client=c)}
        for kind, caller in callers.items():
            for method, template, op, _ in self.doc.operations():
                roles = self.roles[(method, template)]
                if "association" not in roles or "{" not in template or method == "get" or \
                        template.startswith("/v1/incidents/"):
                    continue
                body = self.base_body(method, template)
                for params in (self.foreign_params(method, template),
                               dict(self.foreign_params(method, template),
                                    id=str(uuid.uuid4()))):
                    path = self.fill(template, params)
                    self.out_of_reach(f"{kind} association", method, template, path,
                                      caller.key, body)
        self.finish()

    # --- bodies -----------------------------------------------------------------------------

    def request_body(self, method, template, body, ctype, extra=None):
        path = self.fill(template, self.params_of(method, template))
        hdrs = {"Content-Type": ctype} if ctype is not None else {}
        hdrs.update(extra or {})
        data = encode_json(body) if isinstance(body, (dict, list)) else body
        r = self.send(method.upper(), path, body=data, headers=hdrs,
                      token=self.credential(method, template))
        return path, data, r

    def test_media_types(self):
        """A JSON body under another media type → 415 (§1.3); application/json in any case
        and with charset=utf-8 is read; merge-patch+json only on PATCH."""
        before = self.row_counts()
        for method, template, op, schema, media in self.json_operations():
            refused = list(MEDIA_REFUSED)
            if method != "patch":
                refused.append("application/merge-patch+json")
            for ctype in refused:
                path, data, r = self.request_body(method, template,
                                                  self.base_body(method, template) or {}, ctype)
                self.judge(f"media {ctype}", method.upper(), path, r, data, expect={415},
                           problem="unsupported-media-type")
        self.assert_nothing_written(before, "media types")
        for method, template, op, schema, media in self.json_operations():
            for ctype in MEDIA_ACCEPTED:
                path, data, r = self.request_body(method, template,
                                                  self.base_body(method, template) or {}, ctype)
                self.judge(f"media {ctype}", method.upper(), path, r, data)
                if r is not None and r.status == 415:
                    self.note(f"media: {method.upper()} {template} refused {ctype}", data, r.body)
        self.finish()

    def test_malformed_json(self):
        """Bodies that are not one JSON object → 400 malformed-json (§1.3), the empty body
        included where the body is required; nothing stored."""
        before = self.row_counts()
        for method, template, op, schema, media in self.json_operations():
            props = list(self.doc.resolve(schema).get("properties", {})) or ["a"]
            first = props[0].encode()
            required = op["requestBody"].get("required", False)
            bodies = [b.replace(b"\"a\"", b"\"" + first + b"\"") for b in MALFORMED_BODIES]
            bodies.append(b"{\"" + first + b"\": 1, \"" + first + b"\": 1}")  # duplicate key
            bodies.append(b"{\"" + first + b"\": {\"x\": 1, \"x\": 2}}")
            if required:
                bodies += [b"", b" ", b"\r\n"]
            for raw in bodies:
                path, data, r = self.request_body(method, template, raw, media)
                self.judge("malformed", method.upper(), path, r, data, expect={400},
                           problem="malformed-json")
        self.assert_nothing_written(before, "malformed JSON")
        self.finish()

    def member_paths(self, schema, base, prefix=()):
        """(path, property schema) of every member of schema present in base, nested objects
        and the first item of arrays included."""
        s = self.doc.resolve(schema)
        for part in s.get("allOf", []):
            yield from self.member_paths(part, base, prefix)
        for name, prop in s.get("properties", {}).items():
            path = prefix + (name,)
            yield path, prop
            value = base.get(name) if isinstance(base, dict) else None
            p = self.object_schema(prop) or self.doc.resolve(prop)  # a nullable object's too
            if isinstance(value, dict):
                yield from self.member_paths(p, value, path)
            elif isinstance(value, list) and value and "items" in p:
                yield path + (0,), p["items"]
                if isinstance(value[0], dict):  # a list of objects (vouchers): its members
                    yield from self.member_paths(p["items"], value[0], path + (0,))

    def schema_accepts(self, prop, value):
        if jsonschema is None:
            return True
        return self.doc.validator(prop).is_valid(value)

    def test_member_values(self):
        """Every member of every body (nested, and a list's first item) set to each hostile
        value: never a 5xx, never accepted when the schema refuses it (null excepted: absent
        in a POST, removed in a merge patch, §1.4), and a 422 names that member (§5.2)."""
        for method, template, op, schema, media in self.json_operations():
            base = self.base_body(method, template)
            if base is None:
                self.note(f"members: no valid body known for {method.upper()} {template}")
                continue
            state = self.state_of(template)
            for path, prop in list(self.member_paths(schema, base)):
                # The resource is read back before each request its schema may accept (null
                # too: a merge patch's removal), after each one accepted, and at the member's
                # end, not after every refusal: refusals in a row can only add to the
                # resource's changes, so one reading shows whether any of them changed it
                # (these readings were a third of the test's time).
                refused = []
                for value in HOSTILE_VALUES:
                    body = set_path(self.base_body(method, template), path, value) \
                        if self.has_parent(base, path) else None
                    if body is None:
                        continue
                    if state is not None and refused and (
                            value is None or self.schema_accepts(prop, value)):
                        state = self.refusals_changed_nothing(method, template, path, state,
                                                              refused)
                    r = self.one_member(method, template, media, path, prop, value, body)
                    if state is None or r is None:
                        continue
                    if r.status >= 400:
                        refused.append((value, body, r))
                    else:
                        state = self.refusals_changed_nothing(method, template, path, state,
                                                              refused)
                if state is not None and refused:
                    state = self.refusals_changed_nothing(method, template, path, state, refused)
        self.finish()

    def refusals_changed_nothing(self, method, template, path, state, refused):
        """Notes the refused requests (value, body, answer) since the resource read as state
        if it reads otherwise now (naming them all: one of them changed it); empties refused;
        returns the resource as it reads now."""
        now = self.state_of(template)
        if refused and now != state:
            values = ", ".join(json.dumps(v)[:24] for v, _, _ in refused)
            _, body, r = refused[-1]
            self.note(f"member {path_name(path)}={values}: refused {method.upper()} {template} "
                      f"({r.status}) changed the resource: {self.diff(state, now)}", body, r.body)
        refused.clear()
        return now

    @staticmethod
    def diff(a, b):
        keys = sorted(set(a) | set(b))
        return {k: (a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)}

    @staticmethod
    def has_parent(base, path):
        node = base
        for key in path[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return False
        return isinstance(node, (dict, list))

    def one_member(self, method, template, media, path, prop, value, body):
        name = path_name(path)
        invalid_utf8 = isinstance(value, str) and "\ud800" in value
        big = isinstance(value, int) and not isinstance(value, bool) and \
            not -2**63 <= value < 2**63
        req_path, data, r = self.request_body(method, template, body, media)
        case = f"member {name}={json.dumps(value)[:24]}"
        self.one_member_judge(case, method, template, req_path, data, r, path, prop, value,
                              name, invalid_utf8, big)
        return r

    def one_member_judge(self, case, method, template, req_path, data, r, path, prop, value,
                         name, invalid_utf8, big):
        expect_400 = invalid_utf8 or big or (isinstance(value, str) and "\u0000" in value)
        doc = self.judge(case, method.upper(), req_path, r, data,
                         expect={400} if expect_400 else None,
                         problem="malformed-json" if expect_400 else None)
        if r is None or expect_400 or value is None:
            return
        refused = not self.schema_accepts(prop, value)
        if not refused and r.status == 422 and doc is not None:
            # a length or a number bound the schema does not state (a date's range is a rule
            # of docs/api.md that no schema expresses: yesterday, the future)
            number = isinstance(value, int) and not isinstance(value, bool)
            if isinstance(value, str) and "\ufb2c" in value:
                return  # a name's limit in NFC (docs/api.md §9.1): no schema can say it
            limits = [e for e in doc.get("errors", []) if e.get("field") == name and (
                e.get("code") == "too-long" or (number and e.get("code") == "out-of-range"))]
            if limits:
                self.note(f"{case}: {method.upper()} {template} has a limit the document "
                          f"does not state ({limits[0]['code']})", data, r.body)
        if refused and 200 <= r.status < 300:
            self.note(f"{case}: {method.upper()} {template} accepted ({r.status}) a value "
                      "its schema refuses", data, r.body)
        if refused and r.status == 422 and doc is not None and \
                doc.get("type", "").endswith("/validation-error"):
            errors = doc.get("errors", [])
            fields = [e.get("field", "") for e in errors]
            # "give exactly one of incident or action_id" names the pair at one of its members
            pair = [e for e in errors if "exactly one of" in e.get("message", "")
                    and path[-1] in e["message"].replace(",", " ").split()]
            if not pair and not any(f == name or f.startswith(name + ".")
                                    or f.startswith(name + "[") for f in fields):
                self.note(f"{case}: {method.upper()} {template} 422 does not name {name} "
                          f"(fields {fields})", data, r.body)

    def limit_values(self, prop):
        """(value, within) pairs at and just past the limits the schema states for a member:
        lengths counted in characters (a 4-byte one included), integers at their bounds."""
        p = self.doc.resolve(prop)
        types = p.get("type") if isinstance(p.get("type"), list) else [p.get("type")]
        out = []
        if "string" in types and "maxLength" in p and not (
                {"enum", "pattern", "format"} & set(p)):
            n = p["maxLength"]
            # an address line must hold a letter or a digit (claims_parse.c): "a" closes each
            out += [("é" * n, True), ("😀" * (n - 1) + "a", True), ("a" * (n + 1), False),
                    ("😀" * (n + 1), False)]
        if "integer" in types:
            if "minimum" in p:
                out += [(p["minimum"], True), (p["minimum"] - 1, False)]
            if "maximum" in p:
                out += [(p["maximum"], True), (p["maximum"] + 1, False)]
        if "array" in types and "maxItems" in p:
            items = self.doc.resolve(p.get("items", {}))
            if "enum" in items and len(items["enum"]) > p["maxItems"]:
                out.append((items["enum"][:p["maxItems"] + 1], False))
        return out

    def test_member_limits(self):
        """Every member with a stated limit (maxLength, minimum, maximum, maxItems) at the
        limit and one past it: the server's limit is the document's — at the limit the member
        is not refused as too long or out of range, past it the 422 names the member."""
        for method, template, op, schema, media in self.json_operations():
            base = self.base_body(method, template)
            if base is None:
                continue
            for path, prop in list(self.member_paths(schema, base)):
                if not self.has_parent(base, path):
                    continue
                for value, within in self.limit_values(prop):
                    body = set_path(self.base_body(method, template), path, value)
                    req_path, data, r = self.request_body(method, template, body, media)
                    name = path_name(path)
                    case = f"limit {name}={json.dumps(value)[:20]}…"
                    doc = self.judge(case, method.upper(), req_path, r, data)
                    if r is None:
                        continue
                    errors = (doc or {}).get("errors", []) if r.status == 422 else []
                    named = [e for e in errors if e.get("field") == name]
                    if within and any(e.get("code") in ("too-long", "out-of-range", "too-short")
                                      for e in named):
                        self.note(f"{case}: {method.upper()} {template} refuses a value "
                                  f"within the document's limit ({named})", data, r.body)
                    if not within and 200 <= r.status < 300:
                        self.note(f"{case}: {method.upper()} {template} accepted a value past "
                                  "the document's limit", data, r.body)
                    if not within and r.status == 422 and not named:
                        self.note(f"{case}: {method.upper()} {template} 422 does not name "
                                  f"{name}", data, r.body)
        self.finish()

    def test_unknown_members(self):
        """An unknown member, at the top and in each nested object → 422 unknown-field naming
        it (§1.3)."""
        for method, template, op, schema, media in self.json_operations():
            base = self.base_body(method, template) or {}
            paths = [()] + [p for p, _ in self.member_paths(schema, base)
                            if isinstance(self.dig(base, p), dict)]
            for parent in paths:
                for key in ("zz_unknown", "", "é", "a.b", "[0]", "ID", "é" * 100, "k" * 300,
                            "😀" * 30):
                    body = self.base_body(method, template) or {}
                    node = self.dig(body, parent)
                    node[key] = 1
                    req_path, data, r = self.request_body(method, template, body, media)
                    name = path_name(parent + (key,))
                    # a map's keys are values of a vocabulary (category_supplements)
                    is_map = parent and self.object_schema(
                        dict(self.member_paths(schema, base))[parent]) is None
                    code = "invalid-value" if is_map else "unknown-field"
                    doc = self.judge(f"unknown {name}", method.upper(), req_path, r, data,
                                     expect={422, 404, 409})
                    if doc is not None and r.status == 422:
                        # a path past errors.h's ERRORS_FIELD_MAX (95 bytes) is cut, on a
                        # character's boundary
                        cut = name.encode()[:95].decode("utf-8", "ignore")
                        hit = [e for e in doc.get("errors", [])
                               if e.get("field") in (name, cut) and e.get("code") == code]
                        if not hit:
                            self.note(f"unknown {name}: {method.upper()} {template} 422 "
                                      f"without {{field: {name!r}, code: {code}}}",
                                      data, r.body)
        self.finish()

    def test_map_members(self):
        """The one map of the request bodies, a scheme's category_supplements (docs/api.md
        §11.1), on both routes that take a scheme: each wrong entry is a 422 naming its key
        with the documented code (a null value said `required`, of a key nobody requires),
        and what the document accepts is accepted."""
        slug, A = self.w["slug"], self.w["A"]
        routes = [("PUT", f"/v1/incidents/{slug}/scheme", self.server.operator_key, ""),
                  ("POST", "/v1/compensation/simulate", A.key, "scheme.")]
        field = "category_supplements."
        refused = [({"password": v}, "password", code) for v, code in (
            ("1000", "invalid-type"), (1.5, "invalid-type"), (None, "invalid-type"),
            (True, "invalid-type"), ([1], "invalid-type"), ({"a": 1}, "invalid-type"),
            (-1, "out-of-range"), (10**12 + 1, "out-of-range"))]
        refused += [({"": 1}, "", "invalid-value"), ({"Password": 1}, "Password", "invalid-value"),
                    # past errors.h's 64 errors the last ones go: the first are named
                    ({f"k{i}": 1 for i in range(2000)}, "k0", "invalid-value")]
        # {} and a category the incident did not expose (it pays nothing) are schemes
        accepted = [{}, {"password": 10**12}, {"biometric": 5}]
        for method, path, token, prefix in routes:
            for sup, key, code in refused:
                scheme = dict(self.w["scheme"], category_supplements=sup)
                body = scheme if method == "PUT" else {"incident": slug, "scheme": scheme}
                r = af.request(self.server, method, path, token=token, body=body,
                               client=self.client)
                with self.subTest(route=path, key=key, value=json.dumps(sup)[:40]):
                    doc = harness.assert_problem(self, r, 422, "validation-error")
                    self.assertIn({"field": prefix + field + key, "code": code},
                                  [{"field": e["field"], "code": e["code"]}
                                   for e in doc["errors"]], doc)
                    self.assertLessEqual(len(doc["errors"]), 64)
            for sup in accepted:
                scheme = dict(self.w["scheme"], category_supplements=sup)
                body = scheme if method == "PUT" else {"incident": slug, "scheme": scheme}
                r = af.request(self.server, method, path, token=token, body=body,
                               client=self.client)
                with self.subTest(route=path, accepted=sup):
                    self.assertEqual(r.status, 200, repr(r))
        # the scheme in force is the one the world was made with again
        r = af.op(self.server, "PUT", f"/v1/incidents/{slug}/scheme", self.w["scheme"],
                  client=self.client)
        self.assertEqual(r.status, 200, repr(r))

    @staticmethod
    def dig(node, path):
        """The value at path in node, or None when it is not there."""
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def test_bodies_over_the_limit(self):
        """A body over --max-body-bytes (64 KiB) → 413 payload-too-large on every body route,
        the connection still usable (§6)."""
        for method, template, op, _ in self.doc.operations():
            if "requestBody" not in op or (method, template) == EVIDENCE_UPLOAD:
                continue
            media = next(iter(op["requestBody"]["content"]))
            if media == "multipart/form-data":
                continue  # the evidence form streams its body: test_evidence.py
            big = {"a": "x" * (65 * 1024)}
            path, data, r = self.request_body(method, template, big, media)
            self.judge("413", method.upper(), path, r, None, expect={413},
                       problem="payload-too-large")
        self.finish()

    def test_body_limit_boundary(self):
        """A JSON body of exactly --max-body-bytes is read (no 413), one byte more is 413; a
        declared body over 1 MiB is refused before it is sent (§6)."""
        method, template = "post", "/v1/associations"
        body = af.association_body()
        raw = encode_json(body)
        pad = 64 * 1024 - len(raw)
        exact = raw[:-1] + b" " * pad + b"}"
        for data, expect in ((exact, None), (exact[:-1] + b"  }", {413})):
            path, _, r = self.request_body(method, template, data, "application/json")
            self.judge(f"body of {len(data)} bytes", "POST", path, r, None, expect=expect)
            if r is not None and expect is None and r.status == 413:
                self.note(f"body of exactly {len(data)} bytes → 413")
        head = (f"POST /v1/associations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                f"\r\nAuthorization: Bearer {self.server.operator_key}\r\n"
                f"Content-Length: {2 * 1024 * 1024}\r\n\r\n").encode()
        r = harness.raw_request(self.server, head)
        self.judge("declared 2 MiB", "POST", "/v1/associations", r, expect={413},
                   problem="payload-too-large")
        self.finish()

    def test_browser_accept_on_api_errors(self):
        """An API error asked for with Accept: text/html (a browser, docs/api.md §15.3) is an
        HTML page: the document must say so for every error it answers that way."""
        w = self.w
        cases = [("GET", f"/v1/actions/{uuid.uuid4()}", w["A"].key, None),
                 ("GET", "/v1/incidents?limit=0", None, None),
                 ("GET", f"/v1/actions/{w['actA']['id']}", None, None),
                 ("DELETE", "/v1/incidents", None, None),
                 ("POST", "/v1/associations", self.server.operator_key, b"{"),
                 ("POST", "/v1/associations", self.server.operator_key, b"{\"zz\": 1}")]
        for method, path, token, body in cases:
            hdrs = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
            if body is not None:
                hdrs["Content-Type"] = "application/json"
            r = self.send(method, path, body=body, headers=hdrs, token=token)
            self.judge("Accept: text/html", method, path, r, body, browser=True)
            if r is not None and r.status >= 400 and r.media_type != "text/html":
                self.note(f"Accept: text/html: {method} {path[:60]} → {r.media_type}")
        self.finish()

    def test_form_bodies(self):
        """The form posts (pages, docs/web-forms.md) with broken bodies: never a 5xx."""
        bodies = [b"", b"a=%ZZ", b"a=\xff\xfe", b"%00=%00", b"=&=&&", b"lang=xx&lang=fr",
                  b"x" * 5000, b"token=" + b"A" * 43 + b"&reference=RC-0000-0000",
                  b"incident=%00&action=..%2F"]
        claim = self.w["evidence_claim"]
        ctype, good = ef.multipart([("reference", claim["reference"]), ("token", claim["token"]),
                                    ("lang", "fr"), ("file", ("a.png", ef.png(), "image/png"))])
        boundary = ctype.split("boundary=", 1)[1]
        multipart = [
            (ctype, b""), (ctype, good[:len(good) // 2]), (ctype, good.replace(b"\r\n", b"\n")),
            ("multipart/form-data", good), ("multipart/form-data; boundary=", good),
            ("multipart/form-data; boundary=" + "b" * 300, good),
            (ctype, good.replace(claim["token"].encode(), b"t" * 5000)),
            (ctype, good.replace(b'name="file"', b'name="' + b"f" * 2000 + b'"')),
            (ctype, good.replace(b'filename="a.png"', b'filename="\xff\x00/../x"')),
            (ctype, (f"--{boundary}\r\n" * 200).encode()),
            (ctype, good.replace(b"image/png", b"text/html")),
        ]
        for mtype, raw in multipart:
            r = self.send("POST", "/my-claim/evidence", body=raw, headers={"Content-Type": mtype})
            self.judge(f"multipart {mtype[:40]}", "POST", "/my-claim/evidence", r, raw[:100])
            if r is not None and r.status == 500:
                self.note("multipart: /my-claim/evidence → 500", raw[:200], r.body)
        for method, template, op, _ in self.doc.operations():
            if template not in FORM_POSTS or template == "/my-claim/evidence":
                continue
            path = self.fill(template, self.params_of(method, template))
            for raw in bodies:
                for ctype in ("application/x-www-form-urlencoded", "text/plain", None):
                    hdrs = {"Content-Type": ctype} if ctype else {}
                    r = self.send(method.upper(), path, body=raw, headers=hdrs)
                    self.judge(f"form {ctype}", method.upper(), path, r, raw)
        self.finish()

    # --- path and query parameters ----------------------------------------------------------

    def test_path_parameters(self):
        """Each path parameter in turn replaced by a value that names nothing: 404 (or a
        page's 404), never a 5xx (§2.5); over the request-target limit: 414."""
        for method, template, op, params in self.doc.operations():
            names = [p["name"] for p in params if p.get("in") == "path"]
            if not names or (method == "delete" and template == "/v1/claims/{reference}"):
                continue
            own = self.params_of(method, template)
            body = self.base_body(method, template)
            for name in names:
                for value in HOSTILE_PATH_VALUES:
                    path = template
                    for n in names:
                        v = value if n == name else urllib.parse.quote(str(own[n]), safe="")
                        path = path.replace("{" + n + "}", v)
                    data = encode_json(body) if body is not None else None
                    hdrs = {"Content-Type": "application/json"} if data else {}
                    r = self.send(method.upper(), path, body=data, headers=hdrs,
                                  token=self.credential(method, template))
                    self.judge(f"path {name}={value[:20]}", method.upper(), path, r, data,
                               expect={404} if template not in ("/i18n/{file}",) else None)
        self.finish()

    def test_path_shapes(self):
        """Paths that are almost a route: a trailing or doubled slash, dot segments, another
        case, an encoded slash or NUL: 404 not-found (or the route itself), never a 5xx."""
        w = self.w
        own = [f"/v1/actions/{w['actA']['id']}", "/v1/incidents", f"/v1/incidents/{w['slug']}"]
        for base in own:
            for path in (base + "/", base + "//", "/" + base, base.replace("/v1/", "/v1//"),
                         base.replace("/v1/", "/v1/./"), base.replace("/v1/", "/x/../v1/"),
                         base.upper(), base + "%2F", base + "%00", base + "/%2e%2e",
                         base + ";x=1", base + "%20", base.replace("/", "%2F"), base + "?",
                         base + "?&&&", base + "?%ZZ=1", base + "?limit", base + "?=1",
                         base + "?" + "&".join(f"p{i}=1" for i in range(500))):
                r = self.send("GET", path, token=w["A"].key)
                self.judge(f"path shape {path[len(base) - 4:][:24]!r}", "GET", path, r)
        self.finish()

    def test_query_parameters(self):
        """Each declared query parameter with each hostile value, then repeated: never a 5xx;
        a 400 invalid-parameter names the parameter (§5.2)."""
        for method, template, op, params in self.doc.operations():
            names = [p["name"] for p in params if p.get("in") == "query"]
            if not names or method in ("delete",):
                continue
            base = self.fill(template, self.params_of(method, template))
            token = self.credential(method, template)
            schemas = {p["name"]: p.get("schema", {}) for p in params if p.get("in") == "query"}
            for name in names:
                values = HOSTILE_QUERY_VALUES + ["1&" + name + "=2", "fr&" + name + "=en"]
                values += self.valid_query_values(schemas[name])
                for value in values:
                    path = f"{base}?{name}={value}"
                    body = self.base_body(method, template)
                    data = encode_json(body) if body is not None else None
                    hdrs = {"Content-Type": "application/json"} if data else {}
                    if (method, template) == EVIDENCE_UPLOAD:
                        data, hdrs = ef.png(), {"Content-Type": "image/png"}
                    r = self.send(method.upper(), path, body=data, headers=hdrs, token=token)
                    doc = self.judge(f"query {name}={value[:20]}", method.upper(), path, r)
                    if doc is not None and doc.get("type", "").endswith("/invalid-parameter"):
                        fields = [e.get("field") for e in doc.get("errors", [])]
                        if name not in fields:
                            self.note(f"query {name}: {method.upper()} {template} 400 "
                                      f"invalid-parameter without field {name} ({fields})",
                                      None, r.body)
                        elif self.query_value_valid(schemas[name], value):
                            self.note(f"query {name}={value[:30]}: {method.upper()} {template} "
                                      "refuses a value its parameter's schema takes", None,
                                      r.body)
        self.finish()

    def valid_query_values(self, schema):
        """Values the parameter's schema takes: each of its enum, its bounds."""
        s = self.doc.resolve(schema)
        out = [str(v) for v in s.get("enum", []) if v is not None]
        for bound in ("minimum", "maximum"):
            if bound in s:
                out.append(str(s[bound]))
        if s.get("type") == "boolean":
            out += ["true", "false"]
        if s.get("format") == "date-time":
            out += ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5%2B02:00"]
        return out

    def query_value_valid(self, schema, value):
        """Whether value (as sent, percent-encoded; one occurrence) is one the schema takes."""
        if "&" in value or jsonschema is None:
            return False
        text = urllib.parse.unquote(value)
        s = self.doc.resolve(schema)
        if s.get("type") == "integer":
            if not text.isdigit() and not (text[:1] == "-" and text[1:].isdigit()):
                return False
            return self.doc.validator(s).is_valid(int(text))
        if s.get("type") == "boolean":
            return text in ("true", "false")
        return s.get("type") == "string" and self.doc.validator(s).is_valid(text)

    def test_cursors(self):
        """A cursor of another list, edited, or overlong → 400 invalid-cursor (§7.2)."""
        w = self.w
        lists = [("/v1/incidents", None), ("/v1/associations", None),
                 ("/v1/actions", w["A"].key),
                 (f"/v1/actions/{w['actA']['id']}/members", w["A"].key),
                 (f"/v1/actions/{w['actA']['id']}/notices", w["A"].key),
                 (f"/v1/incidents/{w['slug']}/claims", w["A"].key)]
        cursors = {}
        for path, token in lists:
            r = self.send("GET", path + "?limit=1", token=token)
            self.judge("cursor", "GET", path, r)
            if r is not None and r.status == 200 and r.json().get("next"):
                cursors[path] = r.json()["next"]
        for path, token in lists:
            for other, cursor in cursors.items():
                edits = [cursor[:-1], cursor + "A", cursor.swapcase(), cursor[::-1],
                         cursor[:len(cursor) // 2], "x" * 4000, cursor + "%00"]
                for value in ([cursor] if other != path else []) + edits:
                    q = urllib.parse.quote(value, safe="%")
                    r = self.send("GET", f"{path}?cursor={q}", token=token)
                    self.judge(f"cursor of {other}", "GET", path, r, expect={400},
                               problem="invalid-cursor")
        self.finish()

    # --- headers ----------------------------------------------------------------------------

    def test_idempotency_keys(self):
        """A bad Idempotency-Key on every POST that takes one → 400 invalid-parameter (§4.1),
        the role checked first (a caller refused is refused again, §4.3)."""
        for method, template, op, params in self.doc.operations():
            if not any(p.get("name") == "Idempotency-Key" for p in params):
                continue
            for key in BAD_IDEMPOTENCY_KEYS:
                hdrs = {"Idempotency-Key": key.encode("utf-8") if not key.isascii() else key}
                if (method, template) == EVIDENCE_UPLOAD:
                    path = self.fill(template, self.params_of(method, template))
                    hdrs["Content-Type"] = "image/png"
                    r = self.send("POST", path, body=ef.png(), headers=hdrs,
                                  token=self.credential(method, template))
                    data = None
                else:
                    body = self.base_body(method, template)
                    media = "application/json"
                    path, data, r = self.request_body(method, template, body, media, hdrs)
                self.judge(f"Idempotency-Key {key[:10]!r}", "POST", path, r, data,
                           expect={400}, problem="invalid-parameter")
        self.finish()

    def test_conditional_and_odd_headers(self):
        """If-None-Match / If-Match / Range / X-Request-Id with odd values on every GET: never
        a 5xx; a 304 only on a route that declares it; an X-Request-Id echoed only when
        1–64 characters of [A-Za-z0-9._-] (§1.6)."""
        odd = [{"If-None-Match": "*"}, {"If-None-Match": "\"x\", W/\"y\", garbage"},
               {"If-None-Match": "\"" + "a" * 4000 + "\""}, {"If-Match": "\"nope\""},
               {"If-Modified-Since": "yesterday"}, {"Range": "bytes=5-1"},
               {"Range": "bytes=0-0,1-1,2-2"}, {"Accept": "application/xml"},
               {"Accept-Encoding": "gzip;q=2, br, x" * 50},
               {"Accept-Language": "zz;q=x, *;q=-1, " + "a" * 300},
               {"X-Request-Id": "a" * 65}, {"X-Request-Id": "<script>"},
               {"X-Forwarded-For": "x, , 999.1.1.1"}]
        for method, template, op, _ in self.doc.operations():
            if method != "get":
                continue
            path = self.fill(template, self.params_of(method, template))
            for hdrs in odd:
                r = self.send("GET", path, headers=hdrs, token=self.credential(method, template))
                self.judge(f"header {list(hdrs)[0]}", "GET", path, r)
                if r is None:
                    continue
                rid = r.headers.get("X-Request-Id", "")
                sent = hdrs.get("X-Request-Id")
                if sent is not None and rid == sent:
                    self.note(f"header: {template} echoed X-Request-Id {sent[:20]!r}")
        self.finish()

    def test_head_on_every_get(self):
        """HEAD on every GET (its own objects, then a missing one): the GET's status without a
        body, or 405 on the GETs that record what they serve (§1.2)."""
        for method, template, op, _ in self.doc.operations():
            if method != "get":
                continue
            token = self.credential(method, template)
            for params in (self.params_of(method, template), None):
                path = self.fill(template, params) if params else \
                    template.replace("{", "x").replace("}", "")
                r = self.send("HEAD", path, token=token)
                self.judge("HEAD", "HEAD", path, r,
                           expect={405} if op.get("x-recours-no-head") else None)
                if r is not None and r.body:
                    self.note(f"HEAD {template} → a body of {len(r.body)} bytes")
        self.finish()

    def test_bodies_where_none_is_taken(self):
        """A body (JSON, garbage, or of another type) sent to an operation that takes none is
        never a 5xx (§1.3)."""
        bodies = [(b"{\"a\": 1}", "application/json"), (b"\x00\xff" * 100, "image/png"),
                  (b"{", "application/json"), (b"a=1", "application/x-www-form-urlencoded")]
        for method, template, op, _ in self.doc.operations():
            if "requestBody" in op or (method == "delete" and template == "/v1/claims/{reference}"):
                continue
            path = self.fill(template, self.params_of(method, template))
            for data, ctype in bodies:
                r = self.send(method.upper(), path, body=data, headers={"Content-Type": ctype},
                              token=self.credential(method, template))
                self.judge(f"body to {ctype}", method.upper(), path, r, data)
        self.finish()

    def test_raw_request_lines(self):
        """Request lines a client library would not send: never a 5xx, a problem document (or
        MHD's own answer where docs/api.md §6 says so, which openapi_check knows)."""
        w = self.w
        host = f"Host: {self.server.host}\r\n"
        auth = f"Authorization: Bearer {w['A'].key}\r\n"
        lines = [
            f"get /v1/incidents HTTP/1.1\r\n{host}\r\n",
            f"FOO /v1/incidents HTTP/1.1\r\n{host}\r\n",
            f"PROPFIND /v1/incidents HTTP/1.1\r\n{host}\r\n",
            f"TRACE /v1/incidents HTTP/1.1\r\n{host}\r\n",
            f"CONNECT {self.server.host}:443 HTTP/1.1\r\n{host}\r\n",
            f"OPTIONS * HTTP/1.1\r\n{host}\r\n",
            f"GET https://{self.server.host}/v1/incidents HTTP/1.1\r\n{host}\r\n",
            f"GET /v1/actions/{w['actA']['id']} HTTP/1.1\r\n{host}{auth}{auth}\r\n",
            f"GET /v1/incidents HTTP/1.1\r\n{host}Authorization: Bearer\r\n\r\n",
            f"GET /v1/incidents?limit=1%00 HTTP/1.1\r\n{host}\r\n",
            f"GET /v1/incidents/%00 HTTP/1.1\r\n{host}\r\n",
            f"GET /v1/incidents/\xc3\x28 HTTP/1.1\r\n{host}\r\n",
            f"GET /v1/actions/{w['actA']['id']} HTTP/1.1\r\n{host}Authorization: Bearer "
            f"\xff\xfe\r\n\r\n",
            f"POST /v1/actions HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
            f"Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{{}}",
            f"POST /v1/actions HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n",
            f"POST /v1/actions HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n1\r\n{{\r\n0\r\n\r\n",
            f"POST /v1/actions HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
            f"Content-Length: 0\r\n\r\n",
            f"POST /v1/actions HTTP/1.1\r\n{host}{auth}Content-Type: application/json\r\n"
            f"Idempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: 2\r\n\r\n{{}}",
        ]
        for line in lines:
            data = line.encode("latin-1")
            try:
                r = harness.raw_request(self.server, data)
            except (ConnectionError, OSError) as e:
                self.note(f"raw {line[:60]!r}: connection failed ({e!r})")
                continue
            method, target = line.split(" ", 2)[:2]
            if not method.isupper():  # methods are case-sensitive (RFC 9110 §9.1): "get" is
                method = "X-" + method  # no GET, a 405 of no operation
            self.judge(f"raw {line[:50]!r}", method, target, r)
        self.finish()

    # --- evidence uploads -------------------------------------------------------------------

    def test_evidence_upload(self):
        """The streamed upload (docs/evidence.md): odd names, media types and contents never
        make a 5xx; a file that is no PDF, JPEG or PNG → 415."""
        w = self.w
        claim = w["evidence_claim"]
        cases = [
            ("name", "x" * 5000, ef.png(), "image/png", None),
            ("name", "../../etc/passwd", ef.png(), "image/png", None),
            ("name", "a\u0000b.png", ef.png(), "image/png", None),
            ("name", "\u202egnp.exe", ef.png(), "image/png", None),
            ("name", "", ef.png(), "image/png", None),
            ("content", "t.png", b"", "image/png", {415, 422, 400}),
            ("content", "t.png", b"not an image", "image/png", {415}),
            ("content", "t.png", b"{}", "application/json", {415}),
            ("content", "t.png", ef.png()[:20], "image/png", {415}),
            ("content", "t.png", ef.png(), None, None),
            ("content", "t.png", ef.png(), "text/plain", None),
        ]
        for kind, name, data, ctype, expect in cases:
            path = ef.upload_path(claim, name)
            hdrs = {"Content-Type": ctype} if ctype else {}
            r = self.send("POST", path, body=data, headers=hdrs, token=claim["token"])
            self.judge(f"evidence {kind} {name[:16]!r}", "POST", path, r, data, expect=expect)
            if r is not None and r.status == 201:  # room for the next: the limit is 5 files
                fid = r.json()["id"]
                r = self.send("DELETE", f"/v1/claims/{claim['reference']}/evidence/{fid}",
                              token=claim["token"])
                self.judge("evidence delete", "DELETE", path, r, expect={204})
        self.finish()

    # --- the Authorization header's whitespace and case -------------------------------------

    def test_bearer_whitespace_and_case(self):
        """One rule from RFC 9110 (api/http/auth.c): the scheme in any case, one or more SP or
        HTAB before the credential, the field's leading and trailing whitespace left out (§5.5);
        whitespace inside a credential, none after the scheme, or another scheme → the
        documented 401 (§2.3), on an association, an operator and a claimant route."""
        w = self.w
        routes = [(f"/v1/actions/{w['actA']['id']}", w["A"].key),
                  (f"/v1/exports/{w['export']}", self.server.operator_key),
                  (f"/v1/claims/{w['plain']['reference']}", w["plain"]["token"])]
        accepted = ["Bearer {}", "bearer {}", "BEARER {}", "bEaReR {}", "Bearer  {}",
                    "Bearer\t{}", "Bearer\t\t{}", "Bearer \t {}", "bearer\t{}", "Bearer {} ",
                    "Bearer {}\t", "\tBearer {}", " Bearer\t{} \t"]
        refused = ["Bearer{}", "Bearer", "Bearer\t", "Bearer \t ", "Bearer {} {}",
                   "Bearer {}\tx", "Bearer\x0b{}", "Bearer\xa0{}", "Basic {}", "Bearer, {}",
                   "Bearer: {}", "Bearers {}", "Bear {}"]
        for path, key in routes:
            for form in accepted:
                r = self.send("GET", path, headers={"Authorization": form.format(key)})
                self.judge(f"Authorization {form!r}", "GET", path, r, expect={200})
            for form in refused:
                r = self.send("GET", path, headers={"Authorization": form.format(key, key)})
                self.judge(f"Authorization {form!r}", "GET", path, r, expect={401},
                           problem="unauthorized")
                if r is not None and r.status == 401 and \
                        r.headers.get("WWW-Authenticate") != 'Bearer realm="recours"':
                    self.note(f"Authorization {form!r}: WWW-Authenticate "
                              f"{r.headers.get('WWW-Authenticate')!r}")
        self.finish()

    # --- null for an optional member: the document and the server agree --------------------

    def object_schema(self, schema):
        """The object schema a member's schema names (through $ref, and the object branch of a
        nullable oneOf/anyOf), or None when it names no object."""
        schema = self.doc.resolve(schema)
        if "properties" in schema:
            return schema
        for key in ("oneOf", "anyOf"):
            for branch in schema.get(key, []):
                found = self.object_schema(branch)
                if found is not None:
                    return found
        return None

    def optional_paths(self, schema, body, prefix=()):
        """Paths of the optional members of the body's objects and of the objects it could
        hold (given or not: an absent one is then sent as {} around the member)."""
        schema = self.object_schema(schema)
        if schema is None or not isinstance(body, dict):
            return []
        out = []
        required = set(schema.get("required", []))
        for name, member in schema["properties"].items():
            if self.doc.resolve(member).get("readOnly"):
                continue
            if name not in required:
                out.append(prefix + (name,))
            out += self.optional_paths(member, body.get(name, {}), prefix + (name,))
        return out

    @staticmethod
    def without(body, path):
        """body (a copy) without the member at path, its absent parents made {}."""
        out = json.loads(json.dumps(body))
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node.pop(path[-1], None)
        return out

    def test_null_for_an_optional_member(self):
        """docs/api.md §1.4: in a POST (and PUT) body null for an optional member means absent.
        For every optional member of every such body, the body with null is valid against the
        document's request schema (a generated client may send it, a validator passes it), and
        the server answers it as the body without the member: same status, same field errors."""
        if jsonschema is None:
            self.skipTest("python3-jsonschema is not installed")
        for method, template, op, schema, media in self.json_operations():
            if method not in ("post", "put") or self.base_body(method, template) is None:
                continue
            path = self.fill(template, self.params_of(method, template))
            token = self.credential(method, template)
            validator = self.doc.validator(schema)
            for member in self.optional_paths(schema, self.base_body(method, template)):
                name = path_name(member)
                nulled = self.without(self.base_body(method, template), member)
                nulled = set_path(nulled, member, None)
                for e in validator.iter_errors(nulled):
                    self.note(f"null: {method.upper()} {template} {name}: the document refuses "
                              f"null ({e.message[:80]})")
                    break
                answers = []
                for body in (nulled, self.without(self.base_body(method, template), member)):
                    r = self.send(method.upper(), path, body=encode_json(body),
                                  headers={"Content-Type": media}, token=token)
                    self.judge(f"null {name}", method.upper(), path, r, body=body)
                    errors = sorted((e.get("field", ""), e.get("code", ""))
                                    for e in r.json().get("errors", [])) \
                        if r is not None and r.status == 422 else []
                    answers.append((r.status if r is not None else None, errors))
                if answers[0] != answers[1]:
                    self.note(f"null: {method.upper()} {template} {name}: null → {answers[0]}, "
                              f"absent → {answers[1]}")
        self.finish()


if __name__ == "__main__":
    harness.main()
