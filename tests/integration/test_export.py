#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Export for counsel (docs/product.md §7; docs/api.md §12).

An action's members exported as CSV (parsed with the csv module, both separators) and NDJSON:
BOM, CRLF, the header of §10 in order, one row per member in submission order with the values
submitted (phone and a formula-like name neutralised in CSV only, categories joined by |,
booleans, JSON types and nulls in NDJSON), each member's incident-wide award as the
compensation rules give it (with a binding fund cap whose leftover units are settled by
reference, a rejected member at 0, no scheme: empty / null), withdrawn and removed members
absent. The record (GET /v1/exports/{id}) has the rows, bytes and SHA-256 of what the client
received; the audit chain verifies and holds the export's event, whose digest commits to those
figures. Roles: another association, the operator (on the export), a claimant, the public.
On an action of 20,000 members (submitted through the API, since their personal data must be
sealed by the server): a client that vanishes mid-stream leaves the record aborted with what
was sent so far; and the server's resident memory does not grow with the export's size.

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end).
"""

import csv
import datetime
import hashlib
import io
import json
import re
import subprocess
import sys
import threading
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness

COLUMNS = ["reference", "family_name", "given_name", "birth_date", "email", "phone",
           "address_line1", "address_line2", "postal_code", "city", "country",
           "data_categories", "phishing", "identity_theft", "distress", "harm_description",
           "documented_loss", "hours_spent", "award", "currency", "payment_preference",
           "mandated_at", "mandate_text_version", "mandate_channel", "claim_status",
           "submitted_at", "eligibility", "eligibility_matched", "evidence"]
BOM = b"\xef\xbb\xbf"
# a tab (JSON \u0009), quotes, a backslash, both separators, UTF-8 (no LF: the rows' own check)
AWKWARD_TEXT = "Ligne 1\tfin \"q\" back\\slash / é 😀 ;,"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CATEGORY_ORDER = ["name", "email", "phone", "postal_address", "birth_date", "password",
                  "financial", "national_id", "health", "order_history", "location",
                  "biometric"]

SCHEME = {"currency": "EUR", "base_amount": 3000,
          "category_supplements": {"password": 1000, "financial": 5000},
          "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
          "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
          "vouchers": [], "cash_alternative_ratio": None}

SMALL = 100           # members of the reference action for the memory comparison
RSS_GROWTH_MAX_KB = 4 * 1024
WORKERS = 4
# after exports of BIG members on each of the WORKERS threads: with glibc's default thresholds
# each thread kept ~0.26 MiB (+1,048 kB over 4 workers; 240 kB with api/main.c's policy)
WORKER_RSS_GROWTH_MAX_KB = 640

DB_URL = None


def setUpModule():
    global DB_URL
    DB_URL = cf.new_database("recours_export_", unittest.addModuleCleanup)


def psql(sql):
    return cf.psql(sql, url=DB_URL)


def built_with_asan():
    run = subprocess.run(["ldd", harness.recours_bin()], capture_output=True, text=True)
    return "libasan" in run.stdout


# Members of the large action (memory, disconnection, leases): an export of several MB, more
# than the sockets' buffers hold, so that it is still streaming while a test kills, stops or
# starves it. Under ASan 20,000 submissions alone outlasted the test's time at load 20, and the
# memory comparison does not run there (ASan's quarantine): 5,000 members there, each with a
# long harm description to keep the export's size. Elsewhere the rows stay short, so that the
# memory comparison measures per-row costs, not the buffers of longer pages.
ASAN = built_with_asan()
BIG = 5_000 if ASAN else 20_000
BIG_DESCRIPTION = ("Les identifiants ont servi à des achats que je n'ai pas faits. " * 50)[:3000] \
    if ASAN else ""


def award_before_cap(scheme, body):
    """docs/api.md §11.2 for one claim body (no cash alternative in these schemes)."""
    harms = body["harms"]
    sup = sum(v for k, v in scheme["category_supplements"].items()
              if k in body["data_categories"])
    loss = min(harms["documented_loss"], scheme["documented_loss"]["cap_per_claimant"]) \
        if scheme["documented_loss"]["reimburse"] else 0
    time_paid = min(harms["hours_spent"], scheme["time_spent"]["max_hours"]) * \
        scheme["time_spent"]["hourly_rate"]
    return scheme["base_amount"] + sup + loss + time_paid


def awards_after_cap(scheme, pool):
    """{reference: award} over the incident's eligible claims {reference: body}: floor of
    a × cap / T, then one unit each to the largest remainders, ties by reference."""
    awards = {ref: award_before_cap(scheme, body) for ref, body in pool.items()}
    total, cap = sum(awards.values()), scheme["fund_cap"]
    if cap is None or total <= cap:
        return awards
    out, rem = {}, {}
    for ref, a in awards.items():
        out[ref], rem[ref] = divmod(a * cap, total)
    for ref in sorted(awards, key=lambda r: (-rem[r], r))[:cap - sum(out.values())]:
        out[ref] += 1
    return out


def export_path(action, fmt=None, sep=None):
    query = {}
    if fmt is not None:
        query["format"] = fmt
    if sep is not None:
        query["sep"] = sep
    path = f"/v1/actions/{action['id']}/export"
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def submitted(text):
    """An RFC 3339 submitted_at as a datetime, to compare (Python 3.10 takes no Z)."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_csv(tc, body, sep):
    """Asserts BOM, UTF-8 and CRLF line ends; returns the rows (header first)."""
    tc.assertTrue(body.startswith(BOM), f"no BOM: {body[:20]!r}")
    text = body[len(BOM):].decode("utf-8")
    tc.assertTrue(text.endswith("\r\n"))
    # no bare LF outside quoted cells: our data has no line break in a cell except where a
    # test puts one, and csv checks those
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    return rows


def csv_records(tc, body, sep):
    rows = parse_csv(tc, body, sep)
    tc.assertEqual(rows[0], COLUMNS, "the header row of docs/api.md §12.3, in order")
    for r in rows[1:]:
        tc.assertEqual(len(r), len(COLUMNS), r)
    return [dict(zip(COLUMNS, r)) for r in rows[1:]]


def neutral(value):
    """What the CSV shows for a submitted text (docs/api.md §12.2)."""
    if value is None:
        return ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_bytes(rows, sep):
    """The CSV file of docs/api.md §12.2 for rows (dicts in COLUMNS order, JSON values),
    rendered here independently of the server: BOM, header, CRLF, neutralised then quoted."""
    def text(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, list):
            return "|".join(v)
        return v

    def cell(v):
        if v is None:
            return ""
        quoted = any(ch in v for ch in (sep, '"', "\r", "\n"))
        v = neutral(v).replace('"', '""')
        return f'"{v}"' if quoted else v

    lines = [sep.join(COLUMNS)] + [sep.join(cell(text(r[c])) for c in COLUMNS) for r in rows]
    return BOM + "".join(line + "\r\n" for line in lines).encode("utf-8")


def ndjson_bytes(rows):
    """The NDJSON file of docs/api.md §12.2 for rows: compact, keys in COLUMNS order, UTF-8
    as is, only '"', '\\' and control characters escaped (as \\u00xx)."""
    def js(v):
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, list):
            return "[" + ",".join(js(x) for x in v) + "]"
        out = ""
        for ch in v:
            if ch in ('"', "\\"):
                out += "\\" + ch
            elif ord(ch) < 0x20:
                out += f"\\u{ord(ch):04x}"
            else:
                out += ch
        return f'"{out}"'

    return "".join("{" + ",".join(f'"{c}":{js(r[c])}' for c in COLUMNS) + "}\n"
                   for r in rows).encode("utf-8")


def ordered_categories(cats):
    return [c for c in CATEGORY_ORDER if c in cats]


class ExportTestBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=4, database_url=DB_URL,
                                     args=["--shutdown-grace", "2"])
        cls.c = harness.Client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.close()

    def op(self, method, path, body=None):
        return af.op(self.server, method, path, body=body, client=self.c)

    def get_export(self, assoc, action, fmt=None, sep=None):
        r = assoc.request("GET", export_path(action, fmt, sep), client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        return r

    def record(self, export_id, token):
        r = af.request(self.server, "GET", f"/v1/exports/{export_id}", token=token, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.media_type, "application/json")
        return r.json()

    def check_record(self, r, action, assoc, fmt, sep, rows):
        """The record says what the client received; returns it."""
        export_id = r.headers["X-Export-Id"]
        self.assertRegex(export_id, UUID_RE)
        rec = self.record(export_id, assoc.key)
        self.assertEqual(set(rec), {"id", "action_id", "format", "separator", "rows", "bytes",
                                    "sha256", "status", "created_at", "completed_at"})
        self.assertEqual(rec["id"], export_id)
        self.assertEqual(rec["action_id"], action["id"])
        self.assertEqual(rec["format"], fmt)
        self.assertEqual(rec["separator"], sep)
        self.assertEqual(rec["status"], "complete")
        self.assertEqual(rec["rows"], rows)
        self.assertEqual(rec["bytes"], len(r.body))
        self.assertEqual(rec["sha256"], hashlib.sha256(r.body).hexdigest())
        self.assertRegex(rec["created_at"], cf.TIME_RE)
        self.assertRegex(rec["completed_at"], cf.TIME_RE)
        # the operator reads it too
        self.assertEqual(self.record(export_id, self.server.operator_key), rec)
        return rec

    def check_audit(self, rec, assoc):
        """The chain verifies, and the export's event commits to the record's figures."""
        r = self.op("GET", "/v1/audit/verify")
        self.assertEqual(r.status, 200, repr(r))
        self.assertTrue(r.json()["ok"], r.json())
        rows = psql("SELECT actor, object_type, encode(digest, 'hex') FROM audit_events"
                    f" WHERE action = 'action.export' AND object_id = '{rec['id']}'")
        self.assertEqual(len(rows), 1, "one audit event per export")
        actor, object_type, digest = rows[0]
        self.assertEqual(actor, f"association:{assoc.id}")
        self.assertEqual(object_type, "export")
        change = json.dumps({"action_id": rec["action_id"], "bytes": rec["bytes"],
                             "export_id": rec["id"], "format": rec["format"],
                             "rows": rec["rows"], "separator": rec["separator"],
                             "sha256": rec["sha256"], "status": rec["status"]},
                            sort_keys=True, separators=(",", ":"))
        self.assertEqual(digest, hashlib.sha256(change.encode()).hexdigest())


class ExportContentTest(ExportTestBase):
    def setUp(self):
        self.slug = cf.make_incident(self.server)
        self.A = af.approved_association(self.server, client=self.c)
        self.action = af.open_action(self.A, self.slug, client=self.c)

    def member(self, **overrides):
        return af.mandated_claim(self.server, self.slug, self.action, client=self.c,
                                 **overrides)

    def make_members(self):
        """Members with awkward values, one without optional fields, one rejected; and claims
        that must not appear: withdrawn, removed, in another action, not mandated."""
        members = [
            self.member(claimant={"family_name": "=HYPERLINK(\"http://x\";\"y\")",
                                  "given_name": "Hélène",
                                  "address": {"line1": "12, rue de Rivoli; bât. \"B\"",
                                              "line2": "3e étage", "city": "Paris"}},
                        data_categories=["email", "password"],
                        harms={"description": "SMS; \"urgent\", then a call"}),
            self.member(claimant={"given_name": "-Jo", "phone": cf.DROP,
                                  "birth_date": cf.DROP},
                        data_categories=["name", "financial", "email"],
                        harms={"phishing": False, "identity_theft": True, "distress": False,
                               "documented_loss": 0, "hours_spent": 0, "description": ""},
                        payment_preference="cash"),
            self.member(claimant={"family_name": "@Sum", "address": {"line1": "+1 avenue"}},
                        harms={"description": AWKWARD_TEXT}),
        ]
        rejected = self.member()
        r = self.A.request("PATCH", f"/v1/claims/{rejected['reference']}/status",
                           {"status": "rejected", "reason": "no proof"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        members.append(rejected)
        withdrawn = self.member()
        r = cf.claim_request(self.c, "DELETE", withdrawn["reference"], withdrawn["token"])
        self.assertEqual(r.status, 200, repr(r))
        removed = self.member()
        af.remove_member(self.A, self.action, removed["reference"], client=self.c)
        other = af.open_action(self.A, self.slug, client=self.c)
        elsewhere = af.mandated_claim(self.server, self.slug, other, client=self.c)
        plain = af.plain_claim(self.server, self.slug, client=self.c)
        absent = {withdrawn["reference"], removed["reference"], elsewhere["reference"],
                  plain["reference"]}
        eligible = {m["reference"]: m["body"] for m in members if m is not rejected}
        eligible[removed["reference"]] = removed["body"]
        eligible[elsewhere["reference"]] = elsewhere["body"]
        eligible[plain["reference"]] = plain["body"]
        return members, rejected, absent, eligible

    def views(self, members):
        out = {}
        for m in members:
            r = cf.claim_request(self.c, "GET", m["reference"], m["token"])
            self.assertEqual(r.status, 200, repr(r))
            out[m["reference"]] = r.json()
        return out

    def expected_row(self, view, award):
        cl = view["claimant"]
        return {
            "reference": view["reference"], "family_name": cl["family_name"],
            "given_name": cl["given_name"], "birth_date": cl["birth_date"],
            "email": cl["email"], "phone": cl["phone"],
            "address_line1": cl["address"]["line1"], "address_line2": cl["address"]["line2"],
            "postal_code": cl["address"]["postal_code"], "city": cl["address"]["city"],
            "country": cl["address"]["country"], "data_categories": view["data_categories"],
            "phishing": view["harms"]["phishing"],
            "identity_theft": view["harms"]["identity_theft"],
            "distress": view["harms"]["distress"],
            "harm_description": view["harms"]["description"],
            "documented_loss": view["harms"]["documented_loss"],
            "hours_spent": view["harms"]["hours_spent"], "award": award, "currency": "EUR",
            "payment_preference": view["payment_preference"],
            "mandated_at": view["mandate"]["mandated_at"],
            "mandate_text_version": view["mandate"]["mandate_text_version"],
            "mandate_channel": view["mandate"]["channel"], "claim_status": view["status"],
            "submitted_at": view["created_at"], "eligibility": "unknown",
            "eligibility_matched": "", "evidence": ""}

    def as_csv(self, row):
        out = {}
        for k, v in row.items():
            if isinstance(v, bool):
                out[k] = "true" if v else "false"
            elif isinstance(v, int):
                out[k] = str(v)
            elif isinstance(v, list):
                out[k] = "|".join(v)
            else:
                out[k] = neutral(v)
        return out

    def test_csv_and_ndjson_hold_what_was_submitted(self):
        r = self.op("PUT", f"/v1/incidents/{self.slug}/scheme", SCHEME)
        self.assertEqual(r.status, 200, repr(r))
        members, rejected, absent, eligible = self.make_members()
        awards = awards_after_cap(SCHEME, eligible)
        awards[rejected["reference"]] = 0
        views = self.views(members)
        # docs/api.md §12.2: in submission order (the members were submitted one by one)
        refs = sorted(views, key=lambda ref: submitted(views[ref]["created_at"]))
        expected = [self.expected_row(views[ref], awards[ref]) for ref in refs]
        # spot checks of what the views say, so the comparison below cannot be vacuous
        self.assertTrue(expected[0]["phone"] is None or expected[0]["phone"].startswith("+33")
                        or any(e["phone"] and e["phone"].startswith("+33") for e in expected))
        self.assertIn("email|password", [self.as_csv(e)["data_categories"] for e in expected])

        for sep in (",", ";"):
            with self.subTest(sep=sep):
                r = self.get_export(self.A, self.action, "csv" if sep == ";" else None,
                                    sep if sep == ";" else None)
                self.assertEqual(r.headers["Content-Type"], "text/csv; charset=utf-8")
                self.assertEqual(r.headers["Cache-Control"], "no-store")
                self.assertEqual(r.headers.get("Transfer-Encoding", "").lower(), "chunked")
                self.assertNotIn("Content-Length", r.headers)
                day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")
                self.assertEqual(r.headers["Content-Disposition"],
                                 f'attachment; filename="recours-{self.action["id"]}-{day}.csv"')
                body_text = r.body[len(BOM):].decode("utf-8")
                self.assertIsNone(re.search(r"(?<!\r)\n", body_text), "LF without CR")
                self.assertEqual(r.body, csv_bytes(expected, sep), "byte for byte")
                got = csv_records(self, r.body, sep)
                self.assertEqual([g["reference"] for g in got], refs,
                                 "one row per member, in submission order; no other claim")
                self.assertFalse(absent & {g["reference"] for g in got})
                for g, e in zip(got, expected):
                    self.assertEqual(g, self.as_csv(e))
                # the neutralised cells, by hand
                by_ref = {g["reference"]: g for g in got}
                first = by_ref[members[0]["reference"]]
                self.assertEqual(first["family_name"], "'=HYPERLINK(\"http://x\";\"y\")")
                self.assertEqual(first["address_line1"], "12, rue de Rivoli; bât. \"B\"")
                self.assertEqual(first["data_categories"], "email|password")
                self.assertRegex(first["phone"], r"^'\+33\d{9}$")
                second = by_ref[members[1]["reference"]]
                self.assertEqual((second["given_name"], second["phone"], second["birth_date"]),
                                 ("'-Jo", "", ""))
                self.assertEqual(second["data_categories"], "name|email|financial")
                self.assertEqual(by_ref[rejected["reference"]]["award"], "0")
                rec = self.check_record(r, self.action, self.A, "csv", sep, len(refs))
                self.check_audit(rec, self.A)

        r = self.get_export(self.A, self.action, "ndjson")
        self.assertEqual(r.headers["Content-Type"], "application/x-ndjson")
        self.assertTrue(r.headers["Content-Disposition"].endswith('.ndjson"'))
        self.assertTrue(r.body.endswith(b"\n"))
        self.assertEqual(r.body, ndjson_bytes(expected), "byte for byte")
        lines = r.body.decode("utf-8").split("\n")[:-1]
        got = [json.loads(line) for line in lines]
        for g in got:
            self.assertEqual(list(g), COLUMNS, "the same keys, in order")
        self.assertEqual(got, expected, "JSON types, null for absent, nothing neutralised")
        self.assertIsInstance(got[0]["data_categories"], list)
        self.assertIsInstance(got[0]["phishing"], bool)
        self.assertIsInstance(got[0]["award"], int)
        rec = self.check_record(r, self.action, self.A, "ndjson", ",", len(refs))
        self.check_audit(rec, self.A)

        # the awards add up to the action's compensation summary
        s = self.A.request("GET", f"/v1/actions/{self.action['id']}/compensation",
                           client=self.c).json()
        self.assertEqual(sum(g["award"] for g in got), s["total_after_cap"])

    def test_awards_under_a_binding_cap_follow_the_reference_order(self):
        """Identical claims share one remainder class: which of them get a leftover unit
        depends on their references, incident-wide (members and non-members interleave)."""
        scheme = dict(SCHEME, fund_cap=100_000)
        members = [self.member(data_categories=["email"],
                               harms={"documented_loss": 1000, "hours_spent": 1})
                   for _ in range(9)]
        outside = [af.plain_claim(self.server, self.slug, client=self.c,
                                  data_categories=["email"],
                                  harms={"documented_loss": 1000, "hours_spent": 1})
                   for _ in range(6)]
        bigger = [self.member(data_categories=["email", "financial"],
                              harms={"documented_loss": 7777, "hours_spent": 5})
                  for _ in range(2)]
        r = self.op("PUT", f"/v1/incidents/{self.slug}/scheme", scheme)
        self.assertEqual(r.status, 200, repr(r))
        pool = {c["reference"]: c["body"] for c in members + outside + bigger}
        awards = awards_after_cap(scheme, pool)
        self.assertEqual(sum(awards.values()), 100_000)
        small = sorted(awards[m["reference"]] for m in members + outside)
        self.assertNotEqual(small[0], small[-1], "the test needs a split boundary class")
        r = self.get_export(self.A, self.action, "ndjson")
        got = {json.loads(line)["reference"]: json.loads(line)["award"]
               for line in r.body.decode().splitlines()}
        self.assertEqual(got, {m["reference"]: awards[m["reference"]]
                               for m in members + bigger})
        s = self.A.request("GET", f"/v1/actions/{self.action['id']}/compensation",
                           client=self.c).json()
        self.assertEqual(sum(got.values()), s["total_after_cap"])
        # the same in CSV
        r = self.get_export(self.A, self.action)
        rows = csv_records(self, r.body, ",")
        self.assertEqual({g["reference"]: int(g["award"]) for g in rows}, got)

    def test_without_a_scheme_the_award_is_empty(self):
        m = self.member()
        r = self.get_export(self.A, self.action)
        rows = csv_records(self, r.body, ",")
        self.assertEqual([(g["reference"], g["award"], g["currency"]) for g in rows],
                         [(m["reference"], "", "EUR")])
        r = self.get_export(self.A, self.action, "ndjson")
        row = json.loads(r.body)
        self.assertIsNone(row["award"])
        self.assertEqual(row["currency"], "EUR")

    def test_an_empty_action_has_the_header_only(self):
        r = self.get_export(self.A, self.action, sep=";")
        self.assertEqual(r.body, BOM + (";".join(COLUMNS) + "\r\n").encode())
        rec = self.check_record(r, self.action, self.A, "csv", ";", 0)
        self.check_audit(rec, self.A)
        r = self.get_export(self.A, self.action, "ndjson")
        self.assertEqual(r.body, b"")
        self.check_record(r, self.action, self.A, "ndjson", ",", 0)

    def test_bad_parameters(self):
        cases = [({"format": "xml"}, {"format"}), ({"sep": "|"}, {"sep"}),
                 ({"format": "CSV", "sep": "\t"}, {"format", "sep"}), ({"format": ""}, {"format"})]
        for query, fields in cases:
            with self.subTest(query=query):
                path = f"/v1/actions/{self.action['id']}/export?" + urllib.parse.urlencode(query)
                r = self.A.request("GET", path, client=self.c)
                doc = harness.assert_problem(self, r, 400, "invalid-parameter")
                self.assertEqual({e["field"] for e in doc["errors"]}, fields)
                for e in doc["errors"]:
                    self.assertEqual(e["code"], "invalid-value")
                    self.assertIsInstance(e["message"], str)
        self.assertEqual(psql("SELECT count(*) FROM exports"
                              f" WHERE action_id = '{self.action['id']}'"), [["0"]],
                         "a refused export leaves no record")

    def test_roles(self):
        m = self.member()
        B = af.approved_association(self.server, client=self.c)
        b_action = af.open_action(B, self.slug, client=self.c)
        r = self.get_export(self.A, self.action)
        export_id = r.headers["X-Export-Id"]
        path = export_path(self.action)
        cases = [  # (token, path, status, problem)
            (B.key, path, 404, "not-found"),
            (self.server.operator_key, path, 404, "not-found"),
            (m["token"], path, 401, "unauthorized"),
            (None, path, 401, "unauthorized"),
            ("rk_AAAAAAAA_" + "A" * 43, path, 401, "unauthorized"),
            (self.A.key, "/v1/actions/not-a-uuid/export", 404, "not-found"),
            (self.A.key, export_path(b_action), 404, "not-found"),
            (B.key, f"/v1/exports/{export_id}", 404, "not-found"),
            (m["token"], f"/v1/exports/{export_id}", 401, "unauthorized"),
            (None, f"/v1/exports/{export_id}", 401, "unauthorized"),
            (self.A.key, "/v1/exports/not-a-uuid", 404, "not-found"),
            (self.A.key, "/v1/exports/00000000-0000-0000-0000-000000000000", 404, "not-found"),
        ]
        for token, p, status, problem in cases:
            with self.subTest(path=p, token=(token or "")[:12]):
                r = af.request(self.server, "GET", p, token=token, client=self.c)
                harness.assert_problem(self, r, status, problem)
                self.assertNotIn(m["body"]["claimant"]["email"].encode(), r.body)
        # a lapsed association still reads: it may export its own action
        af.lapse(self.server, self.A, client=self.c)
        r = self.get_export(self.A, self.action)
        self.assertEqual(len(csv_records(self, r.body, ",")), 1)
        self.assertEqual(self.record(export_id, self.server.operator_key)["status"], "complete")
        # nothing personal in the server's log
        self.assertNotIn(m["body"]["claimant"]["email"], self.server.log_text())
        self.assertNotIn(m["body"]["claimant"]["family_name"], self.server.log_text())


def submit_members(server, slug, action, n, threads=8, first_thread=0, description=""):
    """n claims mandating action through the API (they join at once); their references.
    Calls on one incident must use distinct first_thread ranges (phone numbers). description:
    each claim's harm description."""
    refs, errors = [], []
    lock = threading.Lock()
    per = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]

    def work(thread, count):
        try:
            # the answers' shape is checked by the intake's own tests; checking 20,000 of them
            # against api/openapi.json here cost most of this file's time under ASan
            with harness.Client(server, check_openapi=False) as c:
                for k in range(count):
                    # phones numbered, not drawn: 20,000 random ones would meet (dedup)
                    body = cf.claim_body(action_id=action["id"],
                                         mandate_text_version=action["mandate_text_version"],
                                         claimant={"phone": f"+336{thread:02d}{k:06d}"},
                                         harms={"description": description})
                    r = c.request("POST", f"/v1/incidents/{slug}/claims", body=body)
                    if r.status != 201:
                        raise AssertionError(f"submission refused: {r!r}")
                    with lock:
                        refs.append(r.json()["reference"])
        except BaseException as e:
            errors.append(e)

    run_at_once([lambda i=i, k=k: work(i + first_thread, k) for i, k in enumerate(per)],
                errors)
    return refs


def run_at_once(jobs, errors):
    """Runs every job on a thread of its own, all at once; raises the first of errors (which
    the jobs fill) once they are done."""
    ts = [threading.Thread(target=job, daemon=True) for job in jobs]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=600)
    if errors:
        raise errors[0]


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


class LargeExportTest(ExportTestBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.slug = cf.make_incident(cls.server)
            cls.A = af.approved_association(cls.server, client=cls.c)
            cls.big = af.open_action(cls.A, cls.slug, client=cls.c)
            cls.small = af.open_action(cls.A, cls.slug, client=cls.c)
            cls.big_refs = submit_members(cls.server, cls.slug, cls.big, BIG,
                                          description=BIG_DESCRIPTION)
            cls.small_refs = submit_members(cls.server, cls.slug, cls.small, SMALL,
                                            first_thread=50)
        except BaseException:
            cls.c.close()
            cls.server.close(check=False)
            raise

    def test_memory_stays_flat_whatever_the_size(self):
        # the small export first, twice, so every worker's buffers exist before the baseline
        for _ in range(2):
            for fmt in ("csv", "ndjson"):
                r = self.get_export(self.A, self.small, fmt)
        self.assertEqual(len(csv_records(self, self.get_export(self.A, self.small).body, ",")),
                         SMALL)
        before = vm_rss_kb(self.server.pid)
        r = self.get_export(self.A, self.big)
        rows = csv_records(self, r.body, ",")
        # every member once, over many pages, in submission order (docs/api.md §12.2: ties
        # of submitted_at in an order of their own, the same from one export to the next)
        self.assertEqual(sorted(g["reference"] for g in rows), sorted(self.big_refs))
        times = [submitted(g["submitted_at"]) for g in rows]
        self.assertEqual(times, sorted(times), "rows in submission order")
        self.check_record(r, self.big, self.A, "csv", ",", BIG)
        r = self.get_export(self.A, self.big, "ndjson")
        self.assertEqual(r.body.count(b"\n"), BIG)
        rec = self.check_record(r, self.big, self.A, "ndjson", ",", BIG)
        self.check_audit(rec, self.A)
        after = vm_rss_kb(self.server.pid)
        print(f"\nVmRSS {before} kB before, {after} kB after two exports of {BIG} members",
              file=sys.stderr)
        if ASAN:
            return  # ASan's quarantine holds freed memory back: RSS says nothing there
        self.assertLess(after - before, RSS_GROWTH_MAX_KB,
                        f"RSS grew from {before} kB to {after} kB over a {BIG}-member export "
                        f"of {len(r.body)} bytes")

    def test_memory_stays_flat_whichever_worker_exports(self):
        """docs/decisions.md "Export at 1,000,000 members": with glibc's default thresholds each
        worker thread kept the size of the export's page buffers resident in its own malloc
        arena once it had served one, so the RSS rose in steps until every worker had; the
        malloc policy of api/main.c returns them. A node of its own (a fresh process), every
        worker serving an export at once."""
        node = cf.start_server(self, workers=WORKERS, database_url=DB_URL, migrate=False,
                               secrets_from=self.server, args=["--shutdown-grace", "2"])

        def on_every_worker(action):
            """One CSV export of action per worker, each on a connection of its own, all at
            once (MHD's threads each take connections): the rows each one received."""
            rows, errors = [], []

            def one():
                try:
                    r = af.request(node, "GET", export_path(action), token=self.A.key)
                    self.assertEqual(r.status, 200, repr(r))
                    rows.append(r.body.count(b"\r\n") - 1)
                except BaseException as e:  # reported by the test's thread
                    errors.append(e)

            run_at_once([one] * WORKERS, errors)
            return rows

        # each worker's database connection, prepared statements and caches first
        self.assertEqual(on_every_worker(self.small), [SMALL] * WORKERS)
        before = vm_rss_kb(node.pid)
        for _ in range(2):  # twice, should MHD have given one thread two of the connections
            self.assertEqual(on_every_worker(self.big), [BIG] * WORKERS)
        after = vm_rss_kb(node.pid)
        print(f"\nVmRSS {before} kB before, {after} kB after twice {WORKERS} exports of {BIG} "
              f"members at once", file=sys.stderr)
        if ASAN:
            return  # ASan's quarantine holds freed memory back: RSS says nothing there
        self.assertLess(after - before, WORKER_RSS_GROWTH_MAX_KB,
                        f"RSS grew from {before} kB to {after} kB: the workers kept the "
                        f"export's buffers")

    def start_reading(self, rc):
        """Asks for the large export on rc and reads its head and some rows; the export id."""
        rc.send((f"GET {export_path(self.big)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 f"Authorization: Bearer {self.A.key}\r\n\r\n").encode())
        _version, status, _reason, headers = rc._read_head()
        self.assertEqual(status, 200)
        while len(rc._buf) < 20_000:   # some rows, far from all
            self.assertTrue(rc._fill(), "the server closed early")
        return headers["X-Export-Id"]

    def test_a_client_that_vanishes_leaves_the_record_aborted(self):
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
        finally:
            rc.close()

        def ended():
            rec = self.record(export_id, self.A.key)
            return rec if rec["status"] != "streaming" else None

        rec = harness.poll(ended, 30, interval=0.1, what="the export record to end")
        print(f"\naborted after {rec['rows']} rows, {rec['bytes']} bytes", file=sys.stderr)
        self.assertEqual(rec["status"], "aborted")
        self.assertGreater(rec["rows"], 0)
        self.assertLess(rec["rows"], BIG)
        self.assertGreater(rec["bytes"], 20_000)
        self.assertRegex(rec["sha256"], r"^[0-9a-f]{64}$")
        self.assertIsNotNone(rec["completed_at"])
        self.check_audit(rec, self.A)
        # the server goes on serving, the worker's connection included
        r = self.get_export(self.A, self.small)
        self.assertEqual(len(csv_records(self, r.body, ",")), SMALL)

    def test_a_node_killed_mid_export_reads_interrupted_once_its_lease_runs_out(self):
        """SIGKILL while streaming: nothing records the end. The record reads streaming while
        its lease runs, then interrupted for good, with no digest (0019)."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            self.server.kill()
        finally:
            rc.close()
            self.server.restart()
            self.c.close()
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "streaming", "its lease (120 s) still runs")
        # the lease's end, without waiting for it
        psql(f"UPDATE exports SET claimed_until = now() - interval '1 second'"
             f" WHERE id = '{export_id}'")
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "interrupted")
        self.assertIsNone(rec["sha256"])
        self.assertIsNone(rec["completed_at"])
        self.assertLess(rec["rows"], BIG)
        self.assertEqual(psql(f"SELECT status FROM exports WHERE id = '{export_id}'"),
                         [["streaming"]], "read as interrupted, not rewritten")

    def test_an_export_that_lost_its_lease_stops_and_stays_interrupted(self):
        """A live export whose lease has run out (a client slower than the lease, or a
        record another node reads as interrupted): its next renewal is refused, the stream
        stops, and nothing ends the record afterwards."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            psql(f"UPDATE exports SET claimed_until = now() - interval '1 second'"
                 f" WHERE id = '{export_id}'")

            def stopped():
                # a slow reader (a TLS record a call), so that the renewal (every 10 s) comes
                # before the end
                rc._buf = b""
                return None if rc._fill() else True

            harness.poll(stopped, 120, interval=0.2, what="the server to stop the stream")
        finally:
            rc.close()
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "interrupted")
        self.assertIsNone(rec["sha256"])
        self.assertLess(rec["rows"], BIG, "stopped before the end")
        # the server goes on serving
        r = self.get_export(self.A, self.small)
        self.assertEqual(len(csv_records(self, r.body, ",")), SMALL)

    def test_a_server_stopping_mid_export_leaves_it_aborted(self):
        """SIGTERM while a client holds an export open: after the grace period the server
        stops cleanly (exit 0: no leak, no crash under the sanitizers) and the record says
        aborted, with its audit event."""
        rc = harness.RawConnection(self.server)
        try:
            export_id = self.start_reading(rc)
            self.assertEqual(self.server.stop(), 0, "the server stops cleanly")
        finally:
            rc.close()
            self.server.restart()
            self.c.close()  # its keep-alive connection died with the server; it reconnects
        rec = self.record(export_id, self.A.key)
        self.assertEqual(rec["status"], "aborted")
        self.assertLess(rec["rows"], BIG)
        self.check_audit(rec, self.A)


if __name__ == "__main__":
    harness.main()
