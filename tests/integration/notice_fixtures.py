#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Helpers of the notice tests (docs/workspace.md "Notices"): a draft's body, a draft stored
straight in SQL (for an association whose approval lapsed, which may no longer write one), the
texts' digest as the server computes it, a notice being sent (its messages held by a mail
thread: they stay queued until stopped), and the stop link's token made the way the server makes
it."""

import base64
import hashlib
import hmac

import claims_fixtures as cf
import mail_fixtures as mf
from smtp_fixture import SmtpFixture


def start_delivering_server(cls, prefix, mail_rate):
    """The setUpClass of a notices test that delivers: cls.url (a database of its own, so that
    only this server delivers its outbox), cls.relay (a real SMTP server) and cls.server
    (sending to it at mail_rate messages a second; 0: no limit), all closed at class cleanup."""
    cls.url = cf.new_database(prefix, cls.addClassCleanup, migrated=True)
    cls.relay = SmtpFixture().start()
    cls.addClassCleanup(cls.relay.close)
    cls.server = cf.start_server(database_url=cls.url,
                                 args=["--smtp-url", cls.relay.url, "--mail-rate", str(mail_rate),
                                       "--public-url", "https://recours.example"])
    cls.addClassCleanup(cls.server.close)


def draft_body(kind="information", tag=""):
    """A notice with a subject and a text in each language (tag makes them unique)."""
    return {"kind": kind, "texts": {
        "fr": {"subject": f"Audience fixée{tag}",
               "body": f"Bonjour,\n\nL'audience aura lieu le 3 mars.{tag}\n"
                       "Détails : https://example.org/audience?x=1."},
        "en": {"subject": f"Hearing set{tag}",
               "body": f"Hello,\n\nThe hearing is on 3 March.{tag}\n"
                       "Details: https://example.org/audience?x=1."}}}


def texts_sha256(body):
    """SHA-256 of fr NUL subject NUL body NUL en NUL subject NUL body NUL (domain/notice.c)."""
    raw = b""
    for lang in ("fr", "en"):
        t = body["texts"][lang]
        for part in (lang, t["subject"], t["body"]):
            raw += part.encode("utf-8") + b"\x00"
    return hashlib.sha256(raw).hexdigest()


def draft_sql(action_id, kind="information", url=None):
    """A draft of action_id inserted in SQL, as the API would store it; its id."""
    body = draft_body(kind)
    t = body["texts"]
    rows = cf.psql("INSERT INTO notices (action_id, kind, subject_fr, body_fr, subject_en,"
                   " body_en, texts_sha256, created_by) VALUES ("
                   f"{cf.sql_literal(action_id)}::uuid, {cf.sql_literal(kind)},"
                   f" {cf.sql_literal(t['fr']['subject'])}, {cf.sql_literal(t['fr']['body'])},"
                   f" {cf.sql_literal(t['en']['subject'])}, {cf.sql_literal(t['en']['body'])},"
                   f" decode({cf.sql_literal(texts_sha256(body))}, 'hex'), 'test')"
                   " RETURNING id", url=url)
    return rows[0][0]


def sending_sql(action_id, queued=1, url=None):
    """A notice of action_id sent in SQL to `queued` recipients whose messages are all queued and
    leased for a day, as a mail thread leaves the rows it took (so no server takes them; their
    claim ids are made up: the outbox has no foreign key); its id. Its send may be stopped."""
    notice = draft_sql(action_id, url=url)
    cf.psql(f"""BEGIN;
        UPDATE notices SET sent_by = 'test', sent_at = now(), audience = '{{}}',
               matching = {queued}, recipients = {queued}, skipped_opted_out = 0
         WHERE id = '{notice}';
        INSERT INTO outbox (kind, claim_id, lang, notice_id, attempts, next_attempt_at)
        SELECT 'notice', -g, 'fr', '{notice}'::uuid, 1, now() + interval '1 day'
          FROM generate_series(1, {queued}) g;
        COMMIT""", url=url)
    return notice


def stop_token(server, claim_id):
    """The stop link's token of claim_id (service/notices_stop.c): "<id>.<MAC>"."""
    mac = hmac.new(mf.hmac_key(server), b"notice-stop\x00" + str(claim_id).encode(),
                   hashlib.sha256).digest()[:16]
    return f"{claim_id}." + base64.urlsafe_b64encode(mac).decode().rstrip("=")
