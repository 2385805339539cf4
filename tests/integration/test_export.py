#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Export for counsel (docs/product.md §7; docs/api.md §12): what an export holds.

An action's members exported as CSV (parsed with the csv module, both separators) and NDJSON:
BOM, CRLF, the header of §10 in order, one row per member in submission order with the values
submitted (phone and a formula-like name neutralised in CSV only, categories joined by |,
booleans, JSON types and nulls in NDJSON), each member's incident-wide award as the
compensation rules give it (with a binding fund cap whose leftover units are settled by
reference, a rejected member at 0, no scheme: empty / null), withdrawn and removed members
absent. The record (GET /v1/exports/{id}) has the rows, bytes and SHA-256 of what the client
received; the audit chain verifies and holds the export's event, whose digest commits to those
figures. Roles: another association, the operator (on the export), a claimant, the public.
The large exports (memory, disconnection, leases) are in test_export_large.py.

A database of its own (CREATE DATABASE on DATABASE_URL's server, dropped at the end).
"""

import datetime
import json
import os
import re
import unittest
import urllib.parse

import assoc_fixtures as af
import claims_fixtures as cf
import harness
from export_fixtures import (BOM, COLUMNS, ExportTestBase, csv_header, csv_records, export_path,
                             submitted)

# a tab (JSON \u0009), quotes, a backslash, both separators, UTF-8 (no LF: the rows' own check)
AWKWARD_TEXT = "Ligne 1\tfin \"q\" back\\slash / é 😀 ;,"

CATEGORY_ORDER = ["name", "email", "phone", "postal_address", "birth_date", "password",
                  "financial", "national_id", "health", "order_history", "location",
                  "biometric"]

SCHEME = {"currency": "EUR", "base_amount": 3000,
          "category_supplements": {"password": 1000, "financial": 5000},
          "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
          "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
          "vouchers": [], "cash_alternative_ratio": None}


def setUpModule():
    ExportContentTest.db_url = cf.new_database("recours_export_", unittest.addModuleCleanup,
                                               migrated=True)


def psql(sql):
    return cf.psql(sql, url=ExportContentTest.db_url)


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



def number_like(value):
    """A text a spreadsheet would read as a number or a date and show otherwise (docs/api.md
    §12.2): a leading 0 or more than 11 digits, or a digit then digits and . , / : - space e E
    only; not a date YYYY-MM-DD."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):  # read as that date
        return False
    if re.fullmatch(r"[0-9]+", value):
        return (value[0] == "0" and len(value) > 1) or len(value) > 11
    return re.fullmatch(r"[0-9][0-9.,/: eE-]*", value) is not None


def neutral(value):
    """What the CSV holds for a submitted text (docs/api.md §12.2)."""
    if value is None:
        return ""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") or number_like(value) \
            or value.lower() in ("true", "false", "vrai", "faux"):  # read as a boolean
        return "'" + value
    return value


def csv_bytes(rows, sep):
    """The CSV file of docs/api.md §12.2 for rows (dicts in COLUMNS order, JSON values),
    rendered here independently of the server: BOM, header, CRLF, texts
    marked then quoted, numbers as they are."""
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
        if isinstance(v, (int, list)):  # a number (or a boolean), never marked
            return text(v)
        v = text(v)
        quoted = any(ch in v for ch in (sep, '"', "\r", "\n"))
        v = neutral(v).replace('"', '""')
        return f'"{v}"' if quoted else v

    lines = [sep.join(csv_header())] + [sep.join(cell(r[c]) for c in COLUMNS) for r in rows]
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

    def hard_members(self):
        """Members whose values a spreadsheet is likely to misread (bench/export/spreadsheet.sh
        opens their export in LibreOffice): accents, CJK and Arabic names, quotes, commas and
        semicolons, line breaks (the description: an address takes none), formula-like text,
        phones, postal codes with a leading zero, large amounts, absent optional fields."""
        return [
            self.member(claimant={"family_name": "Straße-Müller", "given_name": "Hélène",
                                  "phone": "+33612345678", "birth_date": "1985-03-07",
                                  "address": {"line1": "12, rue de Rivoli; bât. \"B\"",
                                              "line2": "3e étage", "postal_code": "01000",
                                              "city": "Bourg-en-Bresse", "country": "FR"}},
                        harms={"documented_loss": 9876543210, "hours_spent": 12,
                               "description": "Line one\nLine two; \"quoted\", comma\n\tend"}),
            self.member(claimant={"family_name": "李", "given_name": "小龙",
                                  "phone": "+8613812345678", "birth_date": cf.DROP,
                                  "address": {"line1": "建国路88号", "line2": None,
                                              "postal_code": "100022", "city": "北京",
                                              "country": "CN"}},
                        harms={"documented_loss": 0, "hours_spent": 0, "description": ""}),
            self.member(claimant={"family_name": "العربي", "given_name": "محمد",
                                  "phone": cf.DROP,
                                  "address": {"line1": "شارع الملك فهد", "line2": None,
                                              "postal_code": "00-950", "city": "الرياض",
                                              "country": "SA"}},
                        harms={"documented_loss": 5, "hours_spent": 1,
                               "description": "=cmd|' /C calc'!A0"}),
            self.member(claimant={"family_name": "=1+1", "given_name": "@x",
                                  "phone": "+12025550123", "birth_date": "2001-12-31",
                                  "address": {"line1": "-5 rue du Moins", "line2": "+33 bis",
                                              "postal_code": "02134", "city": "Boston",
                                              "country": "US"}},
                        harms={"documented_loss": 123456, "description": "-5"}),
        ]

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

    def test_hard_values_reach_the_file_as_sent(self):
        """The values a spreadsheet is likely to misread, CSV (both separators) and NDJSON:
        each cell is the value the claim view shows, in the form of docs/api.md §12.2. With
        RECOURS_EXPORT_SAVE_DIR set, the three files are written there for
        bench/export/spreadsheet.sh to open in LibreOffice."""
        r = self.op("PUT", f"/v1/incidents/{self.slug}/scheme", SCHEME)
        self.assertEqual(r.status, 200, repr(r))
        members = self.hard_members()
        views = self.views(members)
        refs = sorted(views, key=lambda ref: submitted(views[ref]["created_at"]))
        awards = awards_after_cap(SCHEME, {m["reference"]: m["body"] for m in members})
        expected = [self.expected_row(views[ref], awards[ref]) for ref in refs]
        save = os.environ.get("RECOURS_EXPORT_SAVE_DIR")
        r = self.get_export(self.A, self.action, "ndjson")
        self.assertEqual([json.loads(line) for line in r.body.decode().splitlines()], expected)
        files = {"claimants.ndjson": r.body}
        for sep, name in ((",", "claimants-comma.csv"), (";", "claimants-semicolon.csv")):
            with self.subTest(sep=sep):
                r = self.get_export(self.A, self.action, sep=sep)
                self.assertEqual(r.body, csv_bytes(expected, sep), "byte for byte")
                got = csv_records(self, r.body, sep)
                self.assertEqual(got, [self.as_csv(e) for e in expected])
                files[name] = r.body
        # by hand: what the spreadsheet would misread is marked, nothing else
        cells = {g["reference"]: g for g in got}
        shown = [(cells[m["reference"]]["postal_code"], cells[m["reference"]]["phone"],
                  cells[m["reference"]]["documented_loss"]) for m in members]
        self.assertEqual(shown, [("'01000", "'+33612345678", "9876543210"),
                                 ("100022", "'+8613812345678", "0"),
                                 ("'00-950", "", "5"),
                                 ("'02134", "'+12025550123", "123456")])
        self.assertEqual(cells[members[0]["reference"]]["birth_date"], "1985-03-07")
        self.assertEqual(cells[members[3]["reference"]]["family_name"], "'=1+1")
        if save:
            os.makedirs(save, exist_ok=True)
            for name, body in files.items():
                with open(os.path.join(save, name), "wb") as f:
                    f.write(body)

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

    def test_amounts_are_integers_in_the_currencys_minor_unit(self):
        """Amounts are integers in the currency's minor unit (KRW has none), never marked; the
        header keeps the bare column names, which scripts read (docs/api.md §12.3)."""
        slug = cf.make_incident(self.server, currency="KRW")
        action = af.open_action(self.A, slug, client=self.c)
        m = af.mandated_claim(self.server, slug, action, client=self.c,
                              harms={"documented_loss": 50000})
        r = self.get_export(self.A, action, sep=";")
        rows = csv_records(self, r.body, ";")
        self.assertEqual([(g["reference"], g["documented_loss"], g["currency"]) for g in rows],
                         [(m["reference"], "50000", "KRW")])

    def test_an_empty_action_has_the_header_only(self):
        r = self.get_export(self.A, self.action, sep=";")
        self.assertEqual(r.body, BOM + (";".join(csv_header()) + "\r\n").encode())
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

    def test_words_a_spreadsheet_reads_as_booleans_are_marked(self):
        """A family name "Faux" became the boolean FAUX (0) in a French LibreOffice, "True"
        the boolean TRUE in an English one: such a text cell gets the mark of docs/api.md
        §12.2; the boolean columns stay true/false, and NDJSON has no mark."""
        self.member(claimant={"family_name": "Faux", "given_name": "Vrai",
                              "address": {"city": "TRUE"}},
                    harms={"description": "false"})
        r = self.get_export(self.A, self.action, sep=";")
        row = csv_records(self, r.body, ";")[0]
        self.assertEqual([row[k] for k in ("family_name", "given_name", "city", "harm_description",
                                           "phishing", "identity_theft")],
                         ["'Faux", "'Vrai", "'TRUE", "'false", "true", "false"])
        r = self.get_export(self.A, self.action, "ndjson")
        obj = json.loads(r.body.decode().splitlines()[0])
        self.assertEqual([obj["family_name"], obj["harm_description"]], ["Faux", "false"])


if __name__ == "__main__":
    harness.main()
