#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers of the mail tests (docs/mail.md): links made the way the server makes them, the
outbox read raw, .eml files read back."""

import email
import email.policy
import email.utils
import glob
import hashlib
import hmac
import os
import secrets
import unittest

import claims_fixtures as cf
import harness


def fresh_claim(test, server, **overrides):
    """Submits a fresh claim (cf.claim_body with overrides) on a new incident of server;
    returns (body, receipt)."""
    with harness.Client(server) as c:
        slug = cf.make_incident(server)
        body = cf.claim_body(**overrides)
        return body, cf.submit_ok(test, c, slug, body)


def hmac_key(server):
    """The server's hmac-key (hex in its secrets directory) as bytes."""
    with open(os.path.join(server.secrets_dir, "hmac-key"), encoding="ascii") as f:
        return bytes.fromhex(f.read().strip())


def link_hash(server, token):
    """The keyed hash a link token is stored under (service/mail_links.c, "mail-link")."""
    return hmac.new(hmac_key(server), b"mail-link\x00" + token.encode(), hashlib.sha256).digest()


def make_link(server, reference, purpose, valid_s=1800, url=None):
    """Stores a link of purpose ("recovery", "confirm-email") for the claim of reference, as the
    mail thread does when it sends one; returns its token."""
    token = secrets.token_urlsafe(32)
    cf.psql("INSERT INTO claim_links (token_hash, purpose, claim_id, expires_at)"
            f" SELECT '\\x{link_hash(server, token).hex()}'::bytea, {cf.sql_literal(purpose)}, id,"
            f" now() + make_interval(secs => {int(valid_s)}) FROM claims"
            f" WHERE reference = {cf.sql_literal(reference)}", url=url)
    return token


def eml_files(server):
    return sorted(glob.glob(os.path.join(server.dir, "var", "mail", "*.eml")))


def parse(raw):
    """An email message (bytes) parsed with the modern policy."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def assert_well_formed(test, raw):
    """Checks raw (bytes, as the relay got it or the .eml holds it) as mail software reads it
    (docs/mail.md): CRLF lines of at most 998 octets, headers in ASCII (a subject that is not is
    RFC 2047-encoded), a From with a display name, a Date and a Message-ID that parse,
    Auto-Submitted, a multipart/alternative of a text and an HTML part in UTF-8 and base64, the
    text in its canonical form (CRLF) without trailing spaces, the HTML laid out for a phone
    and fetching nothing. Returns the message parsed."""
    lines = raw.split(b"\r\n")
    test.assertEqual(lines[-1], b"", "the message ends with CRLF")
    for line in lines:
        test.assertLessEqual(len(line), 998, "RFC 5322 line length")
        test.assertNotIn(b"\n", line, "a bare LF")
    head = raw.split(b"\r\n\r\n", 1)[0]
    test.assertTrue(head.isascii(), "headers are ASCII (RFC 2047 words for the rest)")
    msg = parse(raw)
    test.assertRegex(str(msg["From"]), r"^recours <[^<>@\s]+@[^<>@\s]+>$")
    test.assertIsNotNone(email.utils.parsedate_to_datetime(str(msg["Date"])).tzinfo)
    test.assertRegex(str(msg["Message-ID"]), r"^<[0-9a-f]{32}@[^<>\s]+>$")
    test.assertEqual(msg["Auto-Submitted"], "auto-generated")
    test.assertEqual(msg.get_content_type(), "multipart/alternative")
    parts = list(msg.iter_parts())
    test.assertEqual([p.get_content_type() for p in parts], ["text/plain", "text/html"])
    for p in parts:
        test.assertEqual(p.get_content_charset(), "utf-8")
        test.assertEqual(p["Content-Transfer-Encoding"], "base64")
    text = parts[0].get_payload(decode=True)
    test.assertNotRegex(text, rb"(?<!\r)\n", "text in canonical form: CRLF line ends")
    for line in text.split(b"\r\n"):
        if line != b"-- ":  # the signature's delimiter (RFC 3676 4.3)
            test.assertEqual(line, line.rstrip(), "a line ends with a space")
    html = parts[1].get_payload(decode=True).decode("utf-8")
    test.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">', html)
    test.assertNotRegex(html, r"(?i)<img|src=|<link|url\(", "nothing fetched when opened")
    return msg


def text_of(msg):
    """The text part as a reader sees it: its canonical CRLF line ends (what is sent) as \\n."""
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(msg):
    return msg.get_body(("html",)).get_content()


def outbox(url=None, where="true"):
    """Rows (id, kind, state, attempts, last_error) of the outbox, oldest first."""
    return cf.psql("SELECT id, kind, state, attempts, coalesce(last_error, '') FROM outbox"
                   f" WHERE {where} ORDER BY id", url=url)


class RelayServer:
    """A test class's server that delivers its mail to a real SMTP server (smtp_fixture.py),
    on a database of its own (so that only its server delivers that outbox), retrying after
    0.2 s (and polling that often), its links under the class's BASE; with one incident.
    Mixed in before unittest.TestCase: cls.url, cls.relay, cls.server, cls.slug."""

    DB_PREFIX = "mail_"
    BASE = "https://recours.test"

    @classmethod
    def setUpClass(cls):
        from smtp_fixture import SmtpFixture  # aiosmtpd, for the tests that send only

        cls.url = cf.new_database(cls.DB_PREFIX, unittest.addModuleCleanup, migrated=True)
        cls.relay = SmtpFixture().start()
        cls.server = harness.Server(args=cf.NO_RATE_LIMIT + [
            "--smtp-url", cls.relay.url, "--mail-retry-base", "0.2", "--public-url", cls.BASE],
            database_url=cls.url)
        cls.server.start()
        cls.slug = cf.make_incident(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.relay.close()
