#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Evidence files (issue 14, docs/evidence.md): the claimant's uploads through the API, the
mandated association's list and audited download, and what is refused.

  - round trip: the bytes and SHA-256 downloaded are the bytes uploaded; sealed at rest;
  - the type comes from the content: text named .pdf, a GIF, a PDF cut short are refused (415);
    a PNG named .pdf is stored as image/png;
  - an 11 MB upload: 413 on its Content-Length before any byte of the body is read when the
    client waits for 100-continue or declares more than the drain bound (4 × the limit); sent
    at once, read and dropped, then 413; a chunked one is cut off (the connection closed) soon
    after the limit, nothing stored;
  - memory stays flat during a slow 10 MB upload (the server's VmRSS sampled from /proc);
  - the sixth file, a file after review, a claim without loss or theft: 409;
  - another association, or a claim outside the action: 404; each download audited;
  - erasure after withdrawal removes the files and their chunks;
  - rotate-data-key re-encrypts the names and chunks and the file still downloads;
  - the export lists each file with its SHA-256.
"""

import hashlib
import json
import os
import re
import socket
import ssl
import subprocess
import time
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import evidence_fixtures as ef
import harness

MIB = 1024 * 1024


def stored_files(reference):
    return int(cf.psql("SELECT count(*) FROM evidence_files f JOIN claims c ON c.id = f.claim_id"
                       " WHERE c.reference = " + cf.sql_literal(reference))[0][0])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def built_with_asan():
    run = subprocess.run(["ldd", harness.recours_bin()], capture_output=True, text=True)
    return "libasan" in run.stdout


def wait_for(predicate, what, deadline_s=30):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class EvidenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.c = harness.Client(cls.server)
        cls.slug = cf.make_incident(cls.server)
        cls.A = af.approved_association(cls.server, client=cls.c)
        cls.B = af.approved_association(cls.server, client=cls.c)
        cls.a1 = af.open_action(cls.A, cls.slug, client=cls.c)
        cls.b1 = af.open_action(cls.B, cls.slug, client=cls.c)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.close()

    def member(self, **overrides):
        return af.mandated_claim(self.server, self.slug, self.a1, client=self.c, **overrides)

    def member_path(self, claim, file_id=None, action=None):
        path = (f"/v1/actions/{(action or self.a1)['id']}/members/{claim['reference']}"
                "/evidence")
        return path + ("/" + file_id if file_id else "")

    def test_round_trip_bytes_and_sha256(self):
        claim = self.member()
        data = ef.pdf(600 * 1024)  # three chunks of 256 KiB, the last one partial
        r = ef.upload(self.server, claim, data, name="C:\\scans\\relevé\x07 bank.pdf",
                      client=self.c)
        self.assertEqual(r.status, 201, repr(r))
        f = r.json()
        self.assertEqual(f["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual((f["size"], f["media_type"]), (len(data), "application/pdf"))
        self.assertEqual(f["name"], "relevé bank.pdf")  # no path, no control character
        own = af.request(self.server, "GET", ef.upload_path(claim), token=claim["token"],
                         client=self.c)
        self.assertEqual(own.status, 200, repr(own))
        self.assertEqual([x["id"] for x in own.json()["data"]], [f["id"]])
        self.assertTrue(own.json()["can_add"])
        listed = self.A.request("GET", self.member_path(claim), client=self.c)
        self.assertEqual(listed.status, 200, repr(listed))
        self.assertEqual(listed.json()["data"], [f])
        before = int(cf.psql("SELECT count(*) FROM audit_events WHERE action = "
                             "'evidence.download' AND object_id = " + cf.sql_literal(f["id"]))[0][0])
        got = self.A.request("GET", self.member_path(claim, f["id"]), client=self.c)
        self.assertEqual(got.status, 200, repr(got))
        self.assertEqual(got.body, data)
        self.assertEqual(hashlib.sha256(got.body).hexdigest(), f["sha256"])
        self.assertEqual(got.headers.get("X-Evidence-SHA256"), f["sha256"])
        self.assertEqual(got.media_type, "application/pdf")
        # named by its id with its type's extension: a file with none (the id alone) did not
        # open on counsel's machine (walk20)
        self.assertEqual(got.headers.get("Content-Disposition"),
                         f'attachment; filename="{f["id"]}.pdf"')
        events = cf.psql("SELECT actor FROM audit_events WHERE action = 'evidence.download'"
                         " AND object_id = " + cf.sql_literal(f["id"]))
        self.assertEqual(len(events), before + 1, "each download is audited")
        self.assertEqual(events[-1], [f"association:{self.A.id}"])
        # sealed at rest: three chunks, none holding a run of the plaintext
        rows = cf.psql("SELECT seq, encode(box, 'hex') FROM evidence_chunks ch"
                       " JOIN evidence_files f ON f.id = ch.file_id"
                       " WHERE f.public_id = " + cf.sql_literal(f["id"]) + " ORDER BY seq")
        self.assertEqual([int(x[0]) for x in rows], [0, 1, 2])
        probe = data[300000:300032].hex()
        self.assertFalse(any(probe in x[1] for x in rows), "plaintext found at rest")
        name = cf.psql("SELECT encode(name_box, 'hex') FROM evidence_files WHERE public_id = "
                       + cf.sql_literal(f["id"]))[0][0]
        self.assertNotIn("bank".encode().hex(), name)

    def test_each_accepted_type(self):
        claim = self.member()
        for data, media in ((ef.png(), "image/png"), (ef.jpeg(), "image/jpeg"),
                            (ef.pdf(), "application/pdf")):
            with self.subTest(media=media):
                f = ef.uploaded(self.server, claim, data, client=self.c)
                self.assertEqual(f["media_type"], media)
                got = self.A.request("GET", self.member_path(claim, f["id"]), client=self.c)
                self.assertEqual((got.status, got.body, got.media_type), (200, data, media))

    def test_type_is_told_from_the_content(self):
        claim = self.member()
        refused = {
            "text named .pdf": b"Dear sir, here is my bank statement.\n" * 40,
            "a GIF": b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 64 + b";",
            "a PDF cut short": ef.pdf(4000)[:-200],
            "an empty file": b"",
        }
        for what, data in refused.items():
            with self.subTest(what=what):
                r = ef.upload(self.server, claim, data, name="statement.pdf", client=self.c,
                              headers={"Content-Type": "application/pdf"})
                harness.assert_problem(self, r, 415, "unsupported-media-type")
        wait_for(lambda: stored_files(claim["reference"]) == 0, "refused uploads deleted")
        # the name and the Content-Type say PDF, the content says PNG: PNG it is
        f = ef.uploaded(self.server, claim, ef.png(), name="statement.pdf", client=self.c)
        self.assertEqual((f["media_type"], f["name"]), ("image/png", "statement.pdf"))

    def raw_head(self, claim, framing):
        conn = harness.RawConnection(self.server)
        conn.send((f"POST {ef.upload_path(claim)} HTTP/1.1\r\nHost: localhost\r\n"
                   f"Authorization: Bearer {claim['token']}\r\n"
                   f"Content-Type: application/pdf\r\n{framing}\r\n").encode())
        return conn

    def test_content_length_over_the_limit_is_refused_before_the_body(self):
        """Refused on its head alone when the client waits for 100-continue, or declares more
        than the server would read to drop (http/head_checks.h, HEAD_STREAM_DRAIN_FACTOR)."""
        claim = self.member()
        for framing in (f"Content-Length: {11 * MIB}\r\nExpect: 100-continue\r\n",
                        f"Content-Length: {65 * MIB}\r\n"):
            with self.subTest(framing=framing), self.raw_head(claim, framing) as conn:
                # not one byte of the body is sent: the answer cannot have waited for it
                r = conn.read_response("POST")
                self.assertEqual(r.status, 413)
                self.assertIn("payload-too-large", r.body.decode())
        self.assertEqual(stored_files(claim["reference"]), 0)

    def test_a_chunked_upload_past_the_limit_is_cut_off(self):
        claim = self.member()
        piece = ef.pdf(64 * 1024)
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        sent = 0
        conn = self.raw_head(claim, "Transfer-Encoding: chunked\r\n")
        conn.sock.settimeout(harness.IO_TIMEOUT_S)
        try:
            with self.assertRaises(OSError):  # broken pipe, reset, TLS EOF: the server left
                while sent < 40 * MIB:
                    conn.send(chunk)
                    sent += len(piece)
        finally:
            conn.close()
        # the server stopped reading at 10 MiB: what was sent beyond is socket buffers
        print(f"chunked upload cut off after {sent // 1024} KiB sent")
        self.assertLess(sent, 30 * MIB)
        wait_for(lambda: stored_files(claim["reference"]) == 0, "the cut upload deleted")

    def test_memory_stays_flat_during_a_slow_10_mb_upload(self):
        """The server holds one 256 KiB chunk (plaintext and sealed) and libpq's buffer of one
        statement, never the file: its RSS may not grow by more than 4 MiB while 10 MiB go
        through (a server keeping the file would grow by 10 MiB or more)."""
        claim = self.member()
        data = ef.pdf(10 * MIB - 4096)
        # warm up: the worker's connection, its prepared statements, the allocator's arenas
        ef.uploaded(self.server, claim, ef.pdf(600 * 1024), client=self.c)
        baseline = rss_kib(self.server.pid)
        peak = baseline
        conn = self.raw_head(claim, f"Content-Length: {len(data)}\r\n")
        try:
            step = 128 * 1024
            for at in range(0, len(data), step):
                conn.send(data[at:at + step])
                time.sleep(0.005)  # slow: the server is sampled while the body is in flight
                peak = max(peak, rss_kib(self.server.pid))
            r = conn.read_response("POST")
        finally:
            conn.close()
        self.assertEqual(r.status, 201, r.body[:300])
        growth_kib = peak - baseline
        print(f"RSS baseline {baseline} KiB, peak {peak} KiB during the upload: "
              f"+{growth_kib} KiB for {len(data) // 1024} KiB uploaded")
        if built_with_asan():
            return  # ASan's quarantine holds freed memory back: RSS says nothing there
        self.assertLess(growth_kib, 4 * 1024)

    def test_sixth_file_refused_before_its_body(self):
        claim = self.member()
        for i in range(5):
            ef.uploaded(self.server, claim, ef.jpeg(), name=f"p{i}.jpg", client=self.c)
        r = ef.upload(self.server, claim, ef.jpeg(), client=self.c)
        harness.assert_problem(self, r, 409, "evidence-limit-reached")
        own = af.request(self.server, "GET", ef.upload_path(claim), token=claim["token"],
                         client=self.c).json()
        self.assertEqual((len(own["data"]), own["can_add"], own["can_remove"]), (5, False, True))
        # removing one frees its slot
        r = af.request(self.server, "DELETE", f"{ef.upload_path(claim)}/{own['data'][0]['id']}",
                       token=claim["token"], client=self.c)
        self.assertEqual(r.status, 204, repr(r))
        ef.uploaded(self.server, claim, ef.jpeg(), client=self.c)

    def test_no_change_after_review(self):
        claim = self.member()
        f = ef.uploaded(self.server, claim, client=self.c)
        r = self.A.request("PATCH", f"/v1/claims/{claim['reference']}/status",
                           {"status": "verified"}, client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        r = af.request(self.server, "DELETE", f"{ef.upload_path(claim)}/{f['id']}",
                       token=claim["token"], client=self.c)
        harness.assert_problem(self, r, 409, "claim-reviewed")
        r = ef.upload(self.server, claim, ef.pdf(), client=self.c)
        harness.assert_problem(self, r, 409, "claim-reviewed")
        own = af.request(self.server, "GET", ef.upload_path(claim), token=claim["token"],
                         client=self.c).json()
        self.assertEqual((len(own["data"]), own["can_add"], own["can_remove"]), (1, False, False))

    def test_only_for_a_documented_loss_or_identity_theft(self):
        claim = self.member(harms={"documented_loss": 0, "identity_theft": False})
        r = ef.upload(self.server, claim, ef.pdf(), client=self.c)
        harness.assert_problem(self, r, 409, "evidence-not-applicable")
        theft = self.member(harms={"documented_loss": 0, "identity_theft": True})
        ef.uploaded(self.server, theft, client=self.c)

    def test_wrong_token_or_none(self):
        claim = self.member()
        other = self.member()
        r = af.request(self.server, "POST", ef.upload_path(claim), token=other["token"],
                       body=ef.pdf(), client=self.c)
        harness.assert_problem(self, r, 404, "not-found")
        r = af.request(self.server, "POST", ef.upload_path(claim), body=ef.pdf(), client=self.c)
        harness.assert_problem(self, r, 401, "unauthorized")
        self.assertEqual(stored_files(claim["reference"]), 0)

    def test_another_association_gets_404(self):
        claim = self.member()
        f = ef.uploaded(self.server, claim, client=self.c)
        for who, path in ((self.B, self.member_path(claim)),
                          (self.B, self.member_path(claim, f["id"])),
                          (self.B, self.member_path(claim, f["id"], action=self.b1)),
                          (self.A, self.member_path(self.member(), f["id"])),
                          (self.A, self.member_path(claim, "00000000-0000-4000-8000-000000000000")),
                          (self.A, self.member_path(claim, "not-a-uuid"))):
            with self.subTest(path=path):
                harness.assert_problem(self, who.request("GET", path, client=self.c), 404,
                                       "not-found")
        self.assertEqual(cf.psql("SELECT count(*) FROM audit_events WHERE action ="
                                 " 'evidence.download' AND object_id = "
                                 + cf.sql_literal(f["id"])), [["0"]])

    def test_the_export_lists_each_file_with_its_sha256(self):
        """Each member's own files, in upload order, whichever members around it have some
        (the page reads them apart from the members, by claim: db/exports.c)."""
        action = af.open_action(self.A, self.slug, client=self.c)
        claims = [af.mandated_claim(self.server, self.slug, action, client=self.c)
                  for _ in range(5)]
        files = {c["reference"]: [] for c in claims}
        # uploaded out of the members' order: the last member's file first
        for i, data in ((3, ef.png()), (0, ef.pdf()), (3, ef.pdf()), (1, ef.png())):
            files[claims[i]["reference"]].append(
                ef.uploaded(self.server, claims[i], data, client=self.c))
        r = self.A.request("GET", f"/v1/actions/{action['id']}/export?format=ndjson",
                           client=self.c)
        self.assertEqual(r.status, 200, repr(r))
        rows = {row["reference"]: row for row in map(json.loads, r.body.decode().splitlines())}
        self.assertEqual(sorted(rows), sorted(files))
        for ref, fs in files.items():
            self.assertEqual(rows[ref]["evidence"],
                             "|".join(f"{f['id']}:{f['sha256']}" for f in fs), ref)

    def test_rotation_reencrypts_the_files(self):
        """rotate-data-key moves names and chunks to the new key while the server runs; the
        file still downloads byte for byte."""
        claim = self.member()
        data = ef.pdf(700 * 1024)
        f = ef.uploaded(self.server, claim, data, name="before-rotation.pdf", client=self.c)
        run = subprocess.run([harness.recours_bin(), "rotate-data-key", "--secrets-dir",
                              self.server.secrets_dir, "--database-url", cf.database_url()],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("evidence_chunks", run.stdout)
        newest = max(int(x[0]) for x in cf.psql("SELECT DISTINCT data_key_id FROM claims"))
        for table in ("evidence_files", "evidence_chunks"):
            self.assertEqual(cf.psql(f"SELECT DISTINCT data_key_id FROM {table}"),
                             [[str(newest)]], table)
        harness.poll(lambda: "data keys reloaded" in self.server.log_text(), 10,
                     what="the server reloading its keys")
        got = self.A.request("GET", self.member_path(claim, f["id"]), client=self.c)
        self.assertEqual((got.status, got.body), (200, data))
        listed = self.A.request("GET", self.member_path(claim), client=self.c).json()["data"]
        self.assertEqual([x["name"] for x in listed], ["before-rotation.pdf"])

    def test_erasure_after_withdrawal_removes_the_files(self):
        claim = af.plain_claim(self.server, self.slug, client=self.c)
        f = ef.uploaded(self.server, claim, ef.pdf(300 * 1024), client=self.c)
        r = cf.claim_request(self.c, "DELETE", claim["reference"], claim["token"])
        self.assertEqual(r.status, 200, repr(r))
        chunks = ("SELECT count(*) FROM evidence_chunks ch JOIN evidence_files f"
                  " ON f.id = ch.file_id WHERE f.public_id = " + cf.sql_literal(f["id"]))
        self.assertEqual(cf.psql(chunks), [["2"]], "kept until the retention period ends")

        def erase_pass():
            """One pass of the command; true once the claim's files are gone. A pass skips a
            claim whose row another transaction holds (SKIP LOCKED, db/erasure.c: the
            server's jobs may lock it for a moment), leaving it to the next pass."""
            run = subprocess.run([harness.recours_bin(), "erase-withdrawn",
                                  "--withdrawn-retention-days", "0"],
                                 env=dict(os.environ, DATABASE_URL=cf.database_url(),
                                          RECOURS_SECRETS_DIR=self.server.secrets_dir),
                                 capture_output=True, text=True, timeout=harness.RUN_TIMEOUT_S)
            self.assertEqual(run.returncode, 0, run.stderr)
            return stored_files(claim["reference"]) == 0

        harness.poll(erase_pass, 30, interval=0.2, what="a pass of erase-withdrawn erasing the claim's files")
        self.assertEqual(cf.psql("SELECT count(*) FROM evidence_chunks ch WHERE NOT EXISTS"
                                 " (SELECT 1 FROM evidence_files f WHERE f.id = ch.file_id)"),
                         [["0"]])


if __name__ == "__main__":
    harness.main()
