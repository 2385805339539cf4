# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the export's tests share (test_export.py, test_export_large.py): the columns and the
CSV header of docs/api.md §12.3, the export's path, the CSV reader that asserts BOM, UTF-8 and CRLF, and a
base class with the checks of an export's record and audit event."""

import csv
import datetime
import hashlib
import io
import json
import re
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


def csv_header():
    """The CSV header row's cells: the column names (docs/api.md §12.3)."""
    return list(COLUMNS)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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
    """The rows after the header (that of docs/api.md §12.3) as dicts keyed by COLUMNS."""
    rows = parse_csv(tc, body, sep)
    tc.assertEqual(rows[0], csv_header(), "the header row of docs/api.md §12.3, in order")
    for r in rows[1:]:
        tc.assertEqual(len(r), len(COLUMNS), r)
    return [dict(zip(COLUMNS, r)) for r in rows[1:]]



class ExportTestBase(unittest.TestCase):
    """A server of four workers on the test file's own database (db_url, which the file's
    setUpModule sets), its operator's client, and the checks of an export's record and
    audit event."""
    db_url = None
    server_args = ["--shutdown-grace", "2"]

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server(workers=4, database_url=cls.db_url, args=cls.server_args)
        cls.c = harness.Client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.close()

    def psql(self, sql):
        return cf.psql(sql, url=self.db_url)

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
        rows = self.psql("SELECT actor, object_type, encode(digest, 'hex') FROM audit_events"
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

