-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Notices from an association to the members of one of its actions (issue 13, docs/workspace.md
-- "Notices"): the texts per language, the kind (rejection, deadline and payment are essential:
-- always sent; anything else is not, and a member may stop receiving those), who wrote and who
-- sent it, the audience and its counts. The messages themselves are outbox rows (0011) of kind
-- 'notice', one per (notice, claim), queued by one INSERT … SELECT and rendered at delivery in
-- the row's language. A shared token bucket paces delivery across every server (--mail-rate).

CREATE TABLE notices (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    action_id uuid NOT NULL,
    kind text NOT NULL,
    essential boolean GENERATED ALWAYS AS (kind IN ('rejection', 'deadline', 'payment')) STORED,
    subject_fr text NOT NULL,
    body_fr text NOT NULL,
    subject_en text NOT NULL,
    body_en text NOT NULL,
    texts_sha256 bytea NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- set once, by the send
    sent_by text,
    sent_at timestamptz,
    audience jsonb,
    matching bigint,
    recipients bigint,
    skipped_opted_out bigint,
    -- moved by the delivery, in the statement that settles its messages
    sent_count bigint NOT NULL DEFAULT 0,
    failed_count bigint NOT NULL DEFAULT 0,
    CONSTRAINT notices_pkey PRIMARY KEY (id),
    CONSTRAINT notices_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id),
    CONSTRAINT notices_kind_known
        CHECK (kind IN ('information', 'rejection', 'deadline', 'payment')),
    CONSTRAINT notices_subject_length
        CHECK (char_length(subject_fr) BETWEEN 1 AND 200 AND char_length(subject_en) BETWEEN 1 AND 200),
    CONSTRAINT notices_body_length
        CHECK (char_length(body_fr) BETWEEN 1 AND 20000 AND char_length(body_en) BETWEEN 1 AND 20000),
    CONSTRAINT notices_texts_sha256_length CHECK (octet_length(texts_sha256) = 32),
    CONSTRAINT notices_sent_whole CHECK (
        (sent_at IS NULL) = (sent_by IS NULL) AND (sent_at IS NULL) = (audience IS NULL)
        AND (sent_at IS NULL) = (matching IS NULL) AND (sent_at IS NULL) = (recipients IS NULL)
        AND (sent_at IS NULL) = (skipped_opted_out IS NULL)),
    CONSTRAINT notices_counts CHECK (recipients + skipped_opted_out = matching),
    CONSTRAINT notices_progress CHECK (sent_count >= 0 AND failed_count >= 0
        AND sent_count + failed_count <= coalesce(recipients, 0))
);

COMMENT ON TABLE notices IS
    'notices of an association to the members of its action: texts, kind, author, and once sent who sent it, to whom (audience: the member filter, {} for all) and how many';
COMMENT ON COLUMN notices.essential IS
    'rejection, deadline, payment: sent to every member, opted out or not';
COMMENT ON COLUMN notices.texts_sha256 IS
    'SHA-256 of "fr" NUL subject_fr NUL body_fr NUL "en" NUL subject_en NUL body_en: the digest the audit events carry';
COMMENT ON COLUMN notices.sent_count IS
    'messages of the notice the relay accepted; queued = recipients - sent_count - failed_count';
COMMENT ON COLUMN notices.skipped_opted_out IS
    'members matching the audience who had stopped non-essential notices (0 for an essential one)';

CREATE INDEX notices_action ON notices (action_id, created_at);

ALTER TABLE claims ADD COLUMN notices_opt_out_at timestamptz;

COMMENT ON COLUMN claims.notices_opt_out_at IS
    'when the member followed the link to stop non-essential notices (essential ones still go)';

ALTER TABLE outbox
    ADD COLUMN notice_id uuid,
    ADD CONSTRAINT outbox_notice_fkey FOREIGN KEY (notice_id) REFERENCES notices (id),
    DROP CONSTRAINT outbox_kind_known,
    ADD CONSTRAINT outbox_kind_known CHECK (kind IN
        ('claim-accepted', 'claim-corrected', 'claim-withdrawn', 'recovery', 'claim-rejected',
         'member-removed', 'notice')),
    ADD CONSTRAINT outbox_notice_kind CHECK ((kind = 'notice') = (notice_id IS NOT NULL));

COMMENT ON COLUMN outbox.notice_id IS 'kind notice: the notice whose texts the message carries';

-- once per member: a second send of a notice cannot queue a claim twice
CREATE UNIQUE INDEX outbox_notice_claim ON outbox (notice_id, claim_id) WHERE notice_id IS NOT NULL;
-- the messages about one claim (confirmations, rejections) go before a notice's thousands
CREATE INDEX outbox_due_first ON outbox (next_attempt_at) WHERE state = 'queued' AND notice_id IS NULL;

-- The delivery rate shared by every server on this database (--mail-rate): a token bucket of
-- one row, refilled at the rate by whoever takes from it, under its row lock.
CREATE TABLE mail_throttle (
    id smallint NOT NULL DEFAULT 1,
    tokens double precision NOT NULL DEFAULT 0,
    refilled_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mail_throttle_pkey PRIMARY KEY (id),
    CONSTRAINT mail_throttle_one_row CHECK (id = 1)
);

COMMENT ON TABLE mail_throttle IS
    'token bucket of the outgoing mail rate, shared by every server (docs/mail.md "Rate")';

INSERT INTO mail_throttle DEFAULT VALUES;
