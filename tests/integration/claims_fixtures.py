# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers of the claim tests (docs/api.md §10.1, §9): a server whose public-POST rate limit does
not get in the way, incidents made through the API with the operator key, valid claim bodies with a
person of their own (unique email, phone and name per call), submission, and raw-table queries
with psql on DATABASE_URL.

Python 3 standard library only; every name is unique per call (random suffix), so tests may
run in any order and in parallel with others on the same database.
"""

import copy
import json
import os
import random
import re
import string
import subprocess
import time
import unittest
import urllib.parse

import harness

# The server's current privacy notice (its default configuration, docs/api.md §10.1).
NOTICE_VERSION = "2026-01"

# Categories of the default incident: enough for the common claim, not the whole vocabulary,
# so that `not-in-incident` can be tested against it.
INCIDENT_CATEGORIES = ["name", "email", "phone", "postal_address", "birth_date", "password",
                       "financial"]

REFERENCE_RE = re.compile(r"^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

# A merge override value that removes the member (claim_body(claimant={"phone": DROP})).
DROP = object()

# Flags that lift the public-POST rate limit: a test file submitting hundreds of claims from
# 127.0.0.1 must not meet the default bucket of 120 (test_rate_limit.py tests the limit).
NO_RATE_LIMIT = ["--rate-limit-burst", "1000000", "--rate-limit-per-s", "1000000"]

_rng = random.SystemRandom()


def suffix(n=10):
    """Random lower-case letters and digits."""
    return "".join(_rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def letters(n=8):
    return "".join(_rng.choice(string.ascii_lowercase) for _ in range(n))


def start_server(testcase=None, args=(), **kw):
    """A started harness.Server without the rate limit (plus args); closed at testcase
    cleanup when one is given."""
    server = harness.Server(args=NO_RATE_LIMIT + list(args), **kw)
    server.start()
    if testcase is not None:
        testcase.addCleanup(server.close)
    return server


class IncidentTestCase(unittest.TestCase):
    """One server for the whole class (started with SERVER_ARGS, without the rate limit), and
    for each test a client on it and an incident of its own, so that no two tests see each
    other's claims."""

    SERVER_ARGS = ()
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = start_server(args=cls.SERVER_ARGS)

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def setUp(self):
        self.client = harness.Client(self.server)
        self.addCleanup(self.client.close)
        self.slug = make_incident(self.server)


def deep_merge(base, overrides):
    """base with overrides merged in, nested dicts member by member; DROP removes a member;
    any other value (lists included) replaces. base is not modified."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is DROP:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def operator_request(server, method, path, body=None):
    with harness.Client(server) as c:
        return c.request(method, path, body=body, token=server.operator_key)


def make_incident(server, **overrides):
    """Creates an incident through POST /v1/incidents with the operator key; returns its slug.
    overrides are merged into the default body (slug made unique unless given)."""
    body = {
        "slug": "it-" + suffix(12),
        "controller": "ACME SA",
        "title": "Customer database leak",
        "disclosed_on": "2026-02-10",
        "affected_count": 1000,
        "data_categories": list(INCIDENT_CATEGORIES),
        "authority_reference": "CNIL 2026-0042",
        "currency": "EUR",
    }
    body = deep_merge(body, overrides)
    r = operator_request(server, "POST", "/v1/incidents", body)
    if r.status != 201:
        raise AssertionError(f"could not create incident {body['slug']}: {r!r}")
    return r.json()["slug"]


def close_incident(server, slug):
    r = operator_request(server, "PATCH", f"/v1/incidents/{slug}", {"status": "closed"})
    if r.status != 200 or r.json().get("status") != "closed":
        raise AssertionError(f"could not close incident {slug}: {r!r}")


def unique_phone():
    """A French mobile number in E.164, different per call."""
    return "+336" + "".join(_rng.choice(string.digits) for _ in range(8))


def unique_email():
    return f"c.{suffix(12)}@example.org"


# A postal code of the form of each country whose form is not France's 5 digits
POSTAL_CODE_OF = {"AT": "1010", "BE": "1000", "BG": "1000", "DK": "8660", "HU": "1037",
                  "RO": "060274"}


def claim_body(**overrides):
    """A valid submission for the default incident with a person of its own: unique email,
    phone and family name (so that no dedup key, identity included, meets another call's).
    overrides are merged (nested dicts member by member, DROP removes)."""
    body = {
        "claimant": {
            "given_name": "Claire",
            "family_name": "Testa-" + letters(10).capitalize(),
            "email": unique_email(),
            "phone": unique_phone(),
            "birth_date": "1980-04-12",
            "address": {"line1": "12 rue de Rivoli", "line2": None, "postal_code": "75001",
                        "city": "Paris", "country": "FR"},
        },
        "data_categories": ["email", "password"],
        "harms": {"phishing": True, "identity_theft": False, "distress": True,
                  "documented_loss": 12000, "hours_spent": 3, "description": "Phishing SMS."},
        "payment_preference": "voucher",
        "privacy_notice_version": NOTICE_VERSION,
    }
    body = deep_merge(body, overrides)
    # a country named without a postal code gets one of its form where the server checks
    # it (api/domain/postal_codes.c): Paris's 75001 is no Belgian code
    claimant = overrides.get("claimant")
    given = claimant.get("address") if isinstance(claimant, dict) else None
    if (isinstance(given, dict) and "postal_code" not in given
            and isinstance(given.get("country"), str)):
        code = POSTAL_CODE_OF.get(given["country"].upper())
        if code is not None:
            body["claimant"]["address"]["postal_code"] = code
    return body


def submit(client, slug, body, idem_key=None, headers=None):
    """POST /v1/incidents/{slug}/claims; body may be a dict (sent as JSON) or bytes/str (sent
    as given, with Content-Type application/json unless headers say otherwise)."""
    hdrs = dict(headers or {})
    if not isinstance(body, (dict, list)) and not any(k.lower() == "content-type"
                                                     for k in hdrs):
        hdrs["Content-Type"] = "application/json"
    if idem_key is not None:
        hdrs["Idempotency-Key"] = idem_key
    return client.request("POST", f"/v1/incidents/{slug}/claims", body=body, headers=hdrs)


def submit_ok(tc, client, slug, body=None, **kw):
    """Submits (a fresh claim_body() by default), asserts 201, returns the receipt dict."""
    r = submit(client, slug, body if body is not None else claim_body(), **kw)
    tc.assertEqual(r.status, 201, f"submission refused: {r!r}")
    return r.json()


def replay_mismatches(server, path, outcomes):
    """Sends each outcome's submission again with its Idempotency-Key (o.key, o.body) and
    returns a line for every answer that is not the stored 201 replayed byte for byte (o.response,
    o.location); empty when every one is."""
    mismatches = []
    with harness.Client(server) as c:
        for o in outcomes:
            r = c.request("POST", path, body=o.body,
                          headers={"Content-Type": "application/json", "Idempotency-Key": o.key})
            if (r.status != 201 or r.headers.get("Idempotency-Replayed") != "true"
                    or r.body != o.response or r.headers.get("Location") != o.location):
                mismatches.append(f"{o.key} ({o.reference}): {r.status} "
                                  f"replayed={r.headers.get('Idempotency-Replayed')} "
                                  f"{r.body[:120]!r}")
    return mismatches


def errors_of(tc, resp):
    """Asserts a 422 validation-error problem; returns its errors as a set of
    (field, code)."""
    doc = harness.assert_problem(tc, resp, 422, "validation-error")
    tc.assertIsInstance(doc.get("errors"), list, f"errors[] in {doc}")
    out = set()
    for e in doc["errors"]:
        tc.assertIsInstance(e, dict)
        tc.assertIsInstance(e.get("field"), str, f"field in {e}")
        tc.assertIsInstance(e.get("code"), str, f"code in {e}")
        tc.assertIsInstance(e.get("message"), str, f"message in {e}")
        out.add((e["field"], e["code"]))
    return out


def claim_request(client, method, reference, token, body=None, headers=None):
    """GET/PATCH/DELETE /v1/claims/{reference} with the claim token (None: no header)."""
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)) and not any(k.lower() == "content-type" for k in hdrs):
        hdrs["Content-Type"] = "application/merge-patch+json" if method == "PATCH" \
            else "application/json"
        body = json.dumps(body).encode("utf-8")
    return client.request(method, f"/v1/claims/{reference}", body=body, headers=hdrs,
                          token=token)


# --- the database, raw -----------------------------------------------------------------------

def database_url():
    return harness.env("DATABASE_URL")


def psql(sql, expanded_bytes=False, url=None):
    """Runs sql with psql on url (DATABASE_URL by default); returns the rows as lists of
    fields (tab separated, unaligned, no header)."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", url or database_url(), "-c", sql],
                         capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S,
                         env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
    if run.returncode != 0:
        raise AssertionError(f"psql failed ({run.returncode}): {run.stderr.strip()}")
    return [line.split("\t") for line in run.stdout.splitlines() if line != ""]


def drop_database(name, url=None):
    """Drops database name (on url's server, DATABASE_URL's by default) even while sessions of
    our own role (a server under test) are still in it. Not DROP … WITH (FORCE): PostgreSQL 15
    refuses it to a non-superuser while an autovacuum worker is in the database ("must be a
    member of the role whose process is being terminated"); a plain DROP waits for autovacuum
    to leave, and our own sessions we may end ourselves."""
    lit = sql_literal(name)
    for _ in range(100):
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
             f" WHERE datname = {lit} AND usename = current_user AND pid <> pg_backend_pid()",
             url=url)
        try:
            psql(f"DROP DATABASE IF EXISTS {name}", url=url)
            return
        except AssertionError as e:
            if "is being accessed by other users" not in str(e):
                raise
        time.sleep(0.1)
    raise AssertionError(f"could not drop database {name}: still in use")


def new_database(prefix, add_cleanup, migrated=False):
    """A fresh database on DATABASE_URL's server for a test file or case that must not see (or
    be seen by) the others' rows; add_cleanup (unittest.addModuleCleanup or a case's
    addCleanup) drops it. Empty, or with migrated=True a copy of the migrated template
    (harness.create_migrated_database: no `recours migrate` per case). Returns its URL."""
    name = prefix + suffix(10)
    if migrated:
        url = harness.create_migrated_database(name, database_url())
    else:
        psql(f"CREATE DATABASE {name}")
        parts = urllib.parse.urlsplit(database_url())
        url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    add_cleanup(drop_database, name)
    return url


def psql_text(sql):
    """The whole output of sql as text, unaligned, tuples only: a statement (for dumps searched
    for markers) or a script of several, with psql's variables (EXPLAINs of a prepared
    statement's own text, test_*_plan.py)."""
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                          "-d", database_url()], input=sql,
                         capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"psql failed ({run.returncode}): {run.stderr.strip()}")
    return run.stdout


class RowHolder:
    """A psql session holding an uncommitted transaction with a lock on a claim's row: FOR KEY
    SHARE (what a foreign key check of a row pointing at the claim takes) or a stronger one
    (FOR UPDATE: what a change of the claim takes). A statement that locks the claim waits on
    it inside its statement, its snapshot taken; one that skips locked rows skips it."""

    def __init__(self, reference, lock="FOR KEY SHARE", url=None):
        self.app = "recours-holder-" + suffix(8)
        self.url = url or database_url()
        self.proc = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=dict(os.environ, PGAPPNAME=self.app))
        self.proc.stdin.write(
            "BEGIN;\n"
            "SELECT id FROM claims WHERE reference = " + sql_literal(reference)
            + f" {lock};\n")
        self.proc.stdin.flush()
        self.pid = harness.poll(self._holding, 10.0, what="the psql session to hold its row")

    def _holding(self):
        rows = psql("SELECT pid, state FROM pg_stat_activity WHERE application_name = "
                    f"{sql_literal(self.app)} AND query LIKE 'SELECT id FROM claims%'",
                    url=self.url)
        if rows and rows[0][1] == "idle in transaction (aborted)":
            raise AssertionError("the holder's lock failed")
        return int(rows[0][0]) if rows and rows[0][1] == "idle in transaction" else None

    def blocked(self, query_start=None):
        """Pids of the backends waiting on the holder (whose query starts with query_start)."""
        also = f" AND query LIKE {sql_literal(query_start + '%')}" if query_start else ""
        return [int(r[0]) for r in psql(
            f"SELECT pid FROM pg_stat_activity WHERE {self.pid} = ANY(pg_blocking_pids(pid))"
            + also, url=self.url)]

    def release(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("ROLLBACK;\n\\q\n")
            self.proc.stdin.flush()
            self.proc.stdin.close()
            self.proc.wait(timeout=harness.RUN_TIMEOUT_S)


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def incident_id(slug):
    rows = psql(f"SELECT id FROM incidents WHERE slug = {sql_literal(slug)}")
    if len(rows) != 1:
        raise AssertionError(f"incident {slug} not found in the database")
    return int(rows[0][0])


def count_claims(slug, where="true"):
    rows = psql("SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id"
                f" WHERE i.slug = {sql_literal(slug)} AND ({where})")
    return int(rows[0][0])


def count_duplicates_of(reference):
    """Rows of claim_duplicates linked to the claim with this reference."""
    rows = psql("SELECT count(*) FROM claim_duplicates d JOIN claims c ON c.id = d.claim_id"
                f" WHERE c.reference = {sql_literal(reference)}")
    return int(rows[0][0])


def count_duplicates_on(slug):
    rows = psql("SELECT count(*) FROM claim_duplicates d JOIN incidents i"
                f" ON i.id = d.incident_id WHERE i.slug = {sql_literal(slug)}")
    return int(rows[0][0])
