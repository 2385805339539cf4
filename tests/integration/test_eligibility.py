# SPDX-License-Identifier: AGPL-3.0-or-later
"""The controller's list (issue 14, docs/eligibility.md): the controller's side reproduced
from the kit alone. The test reads the kit's files and, with hashlib/hmac only, normalises and
hashes a list of 10,000 people as NORMALISATION.md says, imports it with `recours eligibility
import`, submits claims for listed people (matched by email, by phone, by notice code) and for
strangers, and checks every state; then a second list version (states recomputed), the same
file twice (nothing changes), a malformed file (refused, with its line numbers)."""

import csv
import hashlib
import hmac
import json
import os
import random
import re
import subprocess
import tempfile
import threading
import time
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

PEOPLE = 10_000
DISTINCT = 10_000  # hashes of the duplicates test: about 100 heap pages


def norm_email(s):
    s = s.strip(" \t\r\n\v\f").lower()
    local, _, domain = s.rpartition("@")
    if domain in ("gmail.com", "googlemail.com"):
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return local + "@" + domain


def norm_phone(s):
    s = re.sub(r"[ .()/-]", "", s)
    return "+" + s[2:] if s.startswith("00") else s


def norm_code(s):
    return s.replace(" ", "").replace("-", "").upper()


class Controller:
    """What the controller does with the kit: nothing of recours but its files."""

    def __init__(self, kit_dir):
        with open(os.path.join(kit_dir, "matching-key.hex")) as f:
            self.key = bytes.fromhex(f.read().strip())
        with open(os.path.join(kit_dir, "NORMALISATION.md")) as f:
            self.spec = f.read()
        with open(os.path.join(kit_dir, "test-vectors.csv"), newline="") as f:
            self.vectors = list(csv.DictReader(f))

    def mac(self, kind, normal):
        return hmac.new(self.key, kind.encode() + b"\0" + normal.encode(),
                        hashlib.sha256).hexdigest()

    def lines(self, person):
        out = ["email," + self.mac("email", norm_email(person["email"]))]
        if person.get("phone"):
            out.append("phone," + self.mac("phone", norm_phone(person["phone"])))
        if person.get("code"):
            out.append("code," + self.mac("code", norm_code(person["code"])))
        return out


def person(i):
    return {"email": f"  Listed.{i}.{cf.suffix(6)}@Example.ORG ",
            # distinct per person, and never a claim_body() phone (those are +336...)
            "phone": "+33 7 " + " ".join(f"{i:08d}"[k:k + 2] for k in range(0, 8, 2)),
            "code": f"k{i:05d}-{cf.suffix(4)}"}


class EligibilityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.env = dict(os.environ, DATABASE_URL=cls.server.database_url,
                       RECOURS_SECRETS_DIR=cls.server.secrets_dir)
        cls.kit = os.path.join(cls.tmp.name, "kit")
        run = cls.cli("kit", "--incident", cls.slug, "--out", cls.kit)
        if run.returncode != 0:
            raise AssertionError(run.stderr)
        cls.controller = Controller(cls.kit)
        cls.people = [person(i) for i in range(PEOPLE)]
        cls.assoc = af.approved_association(cls.server)
        cls.action = af.open_action(cls.assoc, cls.slug)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    @classmethod
    def cli(cls, *args):
        return subprocess.run([harness.recours_bin(), "eligibility", *args], env=cls.env,
                              capture_output=True, text=True, timeout=300)

    def write_list(self, name, people, extra=()):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            for p in people:
                for line in self.controller.lines(p):
                    f.write(line + "\n")
            for line in extra:
                f.write(line + "\n")
        return path

    def import_list(self, path, *flags):
        return self.cli("import", "--incident", self.slug, *flags, path)

    def state(self, reference):
        rows = cf.psql("SELECT e.state, array_to_string(e.matched, ',') FROM claim_eligibility e"
                       " JOIN claims c ON c.id = e.claim_id"
                       f" WHERE c.reference = {cf.sql_literal(reference)}")
        self.assertEqual(len(rows), 1, f"no eligibility row for {reference}")
        return rows[0][0], rows[0][1] if len(rows[0]) > 1 else ""

    def version(self):
        rows = cf.psql("SELECT l.version FROM eligibility_current cur JOIN eligibility_lists l"
                       " ON l.id = cur.list_id WHERE cur.incident_id = "
                       f"{cf.incident_id(self.slug)}")
        return int(rows[0][0]) if rows else 0

    def audited(self, action):
        """The audit chain's events of this action on this incident: (actor, digest hex)."""
        return cf.psql("SELECT actor, encode(digest, 'hex') FROM audit_events"
                       f" WHERE action = {cf.sql_literal(action)} AND object_type = 'incident'"
                       f" AND object_id = {cf.sql_literal(self.slug)} ORDER BY seq")

    def submit(self, **claimant):
        body = {"claimant": claimant} if claimant else {}
        code = claimant.pop("notice_code", None)
        if code is not None:
            body["notice_code"] = code
        return af.mandated_claim(self.server, self.slug, self.action, **body)["reference"]

    def test_kit_vectors_reproduced_by_the_controller(self):
        c = self.controller
        self.assertIn("HMAC-SHA256", c.spec)
        self.assertGreaterEqual(len(c.vectors), 10)
        for v in c.vectors:
            if not v["country"]:  # national numbers need the country's plan: the kit says so
                norm = {"email": norm_email, "phone": norm_phone, "code": norm_code}[v["kind"]]
                self.assertEqual(norm(v["input"]), v["normalised"], v)
            self.assertEqual(c.mac(v["kind"], v["normalised"]), v["hmac_sha256_hex"], v)
        with open(os.path.join(self.kit, "matching-key.hex")) as f:
            self.assertRegex(f.read(), r"^[0-9a-f]{64}\n$")
        # never the dedup key
        with open(os.path.join(self.server.secrets_dir, "hmac-key")) as f:
            self.assertNotEqual(f.read().strip(), c.key.hex())
        # a key given out is in the audit chain: the operator's, over the directory named
        self.assertEqual(self.audited("eligibility.kit"),
                         [["operator", hashlib.sha256(self.kit.encode()).hexdigest()]])

    def test_states_versions_idempotence_malformed(self):
        p = self.people
        # before any list: unknown
        before = self.submit(email=p[9000]["email"].strip())
        self.assertEqual(self.state(before), ("unknown", ""))

        v1 = self.write_list("v1.csv", p[:9500])
        run = self.import_list(v1)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("lines/s", run.stderr)
        self.assertIn("version 1 in force", run.stdout)
        self.assertEqual(self.version(), 1)
        # the version put in force is in the audit chain, over the list's SHA-256
        with open(v1, "rb") as f:
            v1_digest = hashlib.sha256(hashlib.sha256(f.read()).digest()).hexdigest()
        self.assertEqual(self.audited("eligibility.import"), [["operator", v1_digest]])
        # recomputed after the import
        self.assertEqual(self.state(before), ("matched", "email"))

        by_email = self.submit(email=p[0]["email"].upper().strip())
        national = "0" + norm_phone(p[1]["phone"])[3:]  # +337... → 07...
        by_phone = self.submit(phone=national)
        by_code = self.submit(notice_code=norm_code(p[2]["code"]).lower())
        all_three = self.submit(email=p[3]["email"], phone=p[3]["phone"], notice_code=p[3]["code"])
        stranger = self.submit()
        late = self.submit(email=p[9600]["email"])  # listed in version 2 only
        self.assertEqual(self.state(by_email), ("matched", "email"))
        self.assertEqual(self.state(by_phone), ("matched", "phone"))
        self.assertEqual(self.state(by_code), ("matched", "code"))
        self.assertEqual(self.state(all_three), ("matched", "email,phone,code"))
        self.assertEqual(self.state(stranger), ("unmatched", ""))
        self.assertEqual(self.state(late), ("unmatched", ""))

        # the association sees it on the claim
        r = self.assoc.request("GET", f"/v1/incidents/{self.slug}/claims?limit=100")
        self.assertEqual(r.status, 200, repr(r))
        seen = {c["reference"]: c["eligibility"] for c in r.json()["data"]}
        self.assertEqual(seen[by_phone], {"state": "matched", "matched": ["phone"]})
        self.assertEqual(seen[stranger], {"state": "unmatched", "matched": []})

        # the same file twice: nothing changes
        run = self.import_list(v1)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("unchanged", run.stdout)
        self.assertEqual(self.version(), 1)
        self.assertEqual(self.state(by_email), ("matched", "email"))

        # a second version: person 0 is gone, 9500.. are in
        v2 = self.write_list("v2.csv", p[1:])
        run = self.import_list(v2)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.version(), 2)
        self.assertEqual(self.state(by_email), ("unmatched", ""))
        self.assertEqual(self.state(late), ("matched", "email"))
        self.assertEqual(self.state(by_code), ("matched", "code"))
        entries = cf.psql("SELECT count(*) FROM eligibility_entries e JOIN eligibility_lists l"
                          f" ON l.id = e.list_id WHERE l.incident_id = "
                          f"{cf.incident_id(self.slug)}")
        self.assertEqual(int(entries[0][0]), 3 * (PEOPLE - 1))  # version 1's entries dropped
        # two versions put in force, two events: the unchanged file wrote none
        self.assertEqual(len(self.audited("eligibility.import")), 2)

        # a malformed file: refused, line numbers reported, nothing changes
        bad = self.write_list("bad.csv", p[:100],
                              ["email,nothex", "fax," + "0" * 64, "email," + "a" * 63])
        run = self.import_list(bad)
        self.assertEqual(run.returncode, 1, run.stdout)
        self.assertIn("refused", run.stderr)
        self.assertIn("first at lines 301 302 303", run.stderr)
        self.assertEqual(self.version(), 2)
        self.assertEqual(self.state(late), ("matched", "email"))
        # accepted when the operator allows that share
        run = self.import_list(bad, "--max-malformed-share", "0.05")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.version(), 3)
        self.assertEqual(self.state(by_email), ("matched", "email"))
        self.assertEqual(self.state(late), ("unmatched", ""))

        # and counsel's export has it (ndjson: one object per member)
        r = self.assoc.request("GET", f"/v1/actions/{self.action['id']}/export?format=ndjson")
        self.assertEqual(r.status, 200, repr(r))
        rows = {row["reference"]: row for row in map(json.loads, r.body.decode().splitlines())}
        self.assertEqual((rows[all_three]["eligibility"], rows[all_three]["eligibility_matched"]),
                         ("matched", "email|phone|code"))
        self.assertEqual((rows[late]["eligibility"], rows[late]["eligibility_matched"]),
                         ("unmatched", ""))

    def test_duplicates_once_entries_stored_in_key_order(self):
        """A list's repeated lines make one entry each; the entries are written in the primary
        key's order (kind, mac), which is what lets 33.7 M of them be published in minutes
        (bench/RESULTS.md, "Issue 14: publishing at 33.7 M"): a hash aggregate's order, as
        before, fails the order check."""
        slug = cf.make_incident(self.server)
        rng = random.Random(14)
        distinct = [f"{rng.choice(('email', 'phone', 'code'))},{rng.randbytes(32).hex()}"
                    for _ in range(DISTINCT)]
        lines = distinct + rng.sample(distinct, 1000)
        rng.shuffle(lines)
        path = os.path.join(self.tmp.name, "duplicates.csv")
        with open(path, "w") as f:
            f.write("".join(line + "\n" for line in lines))
        run = self.cli("import", "--incident", slug, path)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn(f"version 1 in force: {DISTINCT} hashes from {DISTINCT + 1000} lines",
                      run.stdout)
        list_id = f"(SELECT list_id FROM eligibility_current WHERE incident_id = " \
                  f"{cf.incident_id(slug)})"
        rows = cf.psql(f"SELECT n_entries, n_lines FROM eligibility_lists WHERE id = {list_id}")
        self.assertEqual(rows, [[str(DISTINCT), str(DISTINCT + 1000)]])
        # in the heap's order, each entry after the one before it in the key's order; a new
        # heap page may be one taken back from the free space map (an earlier page), so at
        # most one step back per page (a hash aggregate's order: about one step in two)
        rows = cf.psql("SELECT count(*), count(*) FILTER (WHERE (kind, mac) <= prev),"
                       " count(DISTINCT (ctid::text::point)[0])"
                       " FROM (SELECT kind, mac, ctid, lag((kind, mac)) OVER (ORDER BY ctid)"
                       f" AS prev FROM eligibility_entries WHERE list_id = {list_id}) e")
        entries, back, pages = map(int, rows[0])
        self.assertEqual(entries, DISTINCT)
        self.assertLess(back, pages, f"{back} steps back in key order over {pages} pages")

    def test_intake_goes_on_during_an_import(self):
        """Claims submitted while an import is under way are answered at once: the import is
        held in the middle of its COPY (its input a pipe this test has half written, its session
        seen in pg_stat_activity), and 20 claims go in meanwhile. Then claims keep coming while a
        second version is imported; once it returned, every claim is evaluated against the
        version in force."""
        slug = cf.make_incident(self.server)
        listed = self.people[:2000]
        with open(self.write_list("during.csv", listed)) as f:
            lines = f.readlines()
        submitted, failures = [], []

        def submit(c, i):
            body = cf.claim_body()
            if i % 2 == 0:
                body["claimant"]["email"] = listed[i % len(listed)]["email"].strip()
            r = cf.submit(c, slug, body)
            if r.status != 201:
                failures.append(r)
                return False
            submitted.append(r.json()["reference"])
            return True

        held = subprocess.Popen([harness.recours_bin(), "eligibility", "import", "--incident",
                                 slug, "-"], env=self.env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            held.stdin.write("".join(lines[:len(lines) // 2]))
            held.stdin.flush()
            deadline = time.monotonic() + 60
            while cf.psql("SELECT count(*) FROM pg_stat_activity"
                          " WHERE datname = current_database() AND state = 'active'"
                          " AND query LIKE 'COPY eligibility_staging%'",
                          url=self.server.database_url) == [["0"]]:
                self.assertLess(time.monotonic(), deadline, "the import never began its COPY")
                self.assertIsNone(held.poll(), "the import ended early")
                time.sleep(0.05)
            with harness.Client(self.server) as c:
                for i in range(20):
                    self.assertTrue(submit(c, i), failures)
            self.assertIsNone(held.poll(), "the import was still waiting for the rest")
            _, err = held.communicate("".join(lines[len(lines) // 2:]), timeout=300)
        finally:
            if held.poll() is None:
                held.kill()
                held.wait()
        self.assertEqual(held.returncode, 0, err)

        # a second version, claims going on around its switch
        stop = threading.Event()

        def keep_submitting():
            with harness.Client(self.server) as c:
                i = 20
                while not stop.is_set() and submit(c, i):
                    i += 1

        t = threading.Thread(target=keep_submitting)
        t.start()
        try:
            run = self.cli("import", "--incident", slug,
                           self.write_list("during2.csv", listed[:1000]))
            self.assertEqual(run.returncode, 0, run.stderr)
        finally:
            stop.set()
            t.join(timeout=60)
        self.assertEqual(failures, [])
        # no claim is left evaluated against an older version: the switch waited for the
        # intake batches in flight, the walk after it saw them
        iid = cf.incident_id(slug)
        stale = cf.psql("SELECT count(*) FROM claim_eligibility e LEFT JOIN eligibility_current"
                        f" cur ON cur.incident_id = e.incident_id WHERE e.incident_id = {iid}"
                        " AND e.list_id IS DISTINCT FROM cur.list_id")
        self.assertEqual(int(stale[0][0]), 0)
        rows = cf.psql(f"SELECT count(*) FROM claim_eligibility WHERE incident_id = {iid}")
        self.assertEqual(int(rows[0][0]), len(submitted))

    def test_kit_out_too_long_for_its_files_writes_none(self):
        """A --out the system takes whose files' paths it would not: refused, and no file under
        a cut name (the key in "matching-ke", the notes in "NORMALISATI")."""
        slug = cf.make_incident(self.server)
        parent = os.path.join(self.tmp.name, "deep")
        while len(parent) < 4085 - 201:
            parent = os.path.join(parent, "d" * 200)
        out = os.path.join(parent, "k" * (4085 - len(parent) - 1))
        self.assertEqual(len(out), 4085)  # mkdir takes it; out + "/matching-key.hex" is over
        os.makedirs(parent)
        run = self.cli("kit", "--incident", slug, "--out", out)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("path too long", run.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_correction_recomputes_the_state(self):
        """A claimant who corrects the email or phone is evaluated again in the correction's
        transaction (a stale state would stay until the next import); the notice code, which
        recours does not keep in clear, keeps its hash unless the correction gives a new one."""
        slug = cf.make_incident(self.server)
        kit = os.path.join(self.tmp.name, "kit-correction")
        run = self.cli("kit", "--incident", slug, "--out", kit)
        self.assertEqual(run.returncode, 0, run.stderr)
        controller = Controller(kit)
        listed = [person(20_000 + i) for i in range(3)]
        path = os.path.join(self.tmp.name, "correction.csv")
        with open(path, "w") as f:
            for p in listed:
                f.write("\n".join(controller.lines(p)) + "\n")
        run = self.cli("import", "--incident", slug, path)
        self.assertEqual(run.returncode, 0, run.stderr)
        action = af.open_action(self.assoc, slug)

        stranger = af.mandated_claim(self.server, slug, action)
        self.assertEqual(self.state(stranger["reference"]), ("unmatched", ""))
        r = af.claimant_patch(self.server, stranger,
                              {"claimant": {"email": listed[0]["email"].strip()}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.state(stranger["reference"]), ("matched", "email"))
        r = af.claimant_patch(self.server, stranger, {"claimant": {"email": cf.unique_email()}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.state(stranger["reference"]), ("unmatched", ""))

        by_code = af.mandated_claim(self.server, slug, action, notice_code=listed[1]["code"])
        self.assertEqual(self.state(by_code["reference"]), ("matched", "code"))
        r = af.claimant_patch(self.server, by_code, {"claimant": {"phone": listed[1]["phone"]}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.state(by_code["reference"]), ("matched", "phone,code"))
        r = af.claimant_patch(self.server, by_code, {"notice_code": listed[2]["code"],
                                                     "claimant": {"phone": None}})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.state(by_code["reference"]), ("matched", "code"))
        r = af.claimant_patch(self.server, by_code, {"notice_code": "ZZZZ9999"})
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(self.state(by_code["reference"]), ("unmatched", ""))

    def test_notice_code_invalid_is_422(self):
        body = cf.claim_body(notice_code="a!")
        with harness.Client(self.server) as c:
            r = cf.submit(c, self.slug, body)
        self.assertEqual(r.status, 422, repr(r))
        self.assertIn("notice_code", r.body.decode())


if __name__ == "__main__":
    unittest.main()
