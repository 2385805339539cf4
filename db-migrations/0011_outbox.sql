-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Email through a real mail path (issue 12, docs/mail.md): the outbox written in the same
-- transaction as what a message is about, the claimant's language on the claim (the privacy
-- notice accepted is claims.privacy_notice_version, 0002), a confirmed email address, and single-use links (email
-- confirmation, token recovery) stored as keyed hashes. The outbox holds no personal data:
-- a message is rendered when it is delivered, from the claim (the address decrypted then).

ALTER TABLE claims
    ADD COLUMN lang text NOT NULL DEFAULT 'fr',
    ADD COLUMN email_verified_at timestamptz,
    ADD CONSTRAINT claims_lang_known CHECK (lang IN ('fr', 'en'));

COMMENT ON COLUMN claims.lang IS
    'language the claimant used (fr, en): the language of every message sent about the claim';
COMMENT ON COLUMN claims.email_verified_at IS
    'when the claimant followed the confirmation link sent to the address: an invented address never confirms';

CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL,
    claim_id bigint,
    email_key bytea,
    lang text NOT NULL,
    params jsonb NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'queued',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    CONSTRAINT outbox_pkey PRIMARY KEY (id),
    CONSTRAINT outbox_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id) ON DELETE CASCADE,
    CONSTRAINT outbox_kind_known
        CHECK (kind IN ('claim-accepted', 'claim-corrected', 'claim-withdrawn', 'recovery')),
    -- a recovery is addressed by the keyed hash of the address asked for (the claims are
    -- looked up when it is delivered); every other message is about one claim
    CONSTRAINT outbox_subject
        CHECK ((kind = 'recovery') = (claim_id IS NULL) AND (kind = 'recovery') = (email_key IS NOT NULL)),
    CONSTRAINT outbox_email_key_length CHECK (octet_length(email_key) = 32),
    CONSTRAINT outbox_lang_known CHECK (lang IN ('fr', 'en')),
    CONSTRAINT outbox_params_object CHECK (jsonb_typeof(params) = 'object'),
    CONSTRAINT outbox_state_known CHECK (state IN ('queued', 'sent', 'failed')),
    CONSTRAINT outbox_attempts_range CHECK (attempts >= 0),
    CONSTRAINT outbox_last_error_length CHECK (char_length(last_error) <= 500),
    CONSTRAINT outbox_failed_reason CHECK (state <> 'failed' OR last_error IS NOT NULL),
    CONSTRAINT outbox_sent_at_set CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

COMMENT ON TABLE outbox IS
    'messages to send, written in the transaction of what they are about; delivered by the mail thread of serve (FOR UPDATE SKIP LOCKED: one sender per row)';
COMMENT ON COLUMN outbox.params IS
    'non-personal parameters of the message (e.g. the reference a recovery was asked for)';
COMMENT ON COLUMN outbox.email_key IS
    'recovery: keyed hash of the address asked for, as claims.email_key';
COMMENT ON COLUMN outbox.last_error IS
    'why the last attempt failed (relay answer, no such claim): never personal data';

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbox_claim ON outbox (claim_id);
CREATE INDEX outbox_recovery_email ON outbox (email_key, created_at) WHERE kind = 'recovery';

CREATE TABLE claim_links (
    token_hash bytea NOT NULL,
    purpose text NOT NULL,
    claim_id bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT claim_links_pkey PRIMARY KEY (token_hash),
    CONSTRAINT claim_links_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id)
        ON DELETE CASCADE,
    CONSTRAINT claim_links_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT claim_links_purpose_known CHECK (purpose IN ('confirm-email', 'recovery')),
    CONSTRAINT claim_links_expiry CHECK (expires_at > created_at)
);

COMMENT ON TABLE claim_links IS
    'single-use links sent by email: keyed hash of the token (never the token), what it does, until when';

CREATE INDEX claim_links_claim ON claim_links (claim_id);
CREATE INDEX claim_links_expires ON claim_links (expires_at);

CREATE TABLE rate_events (
    bucket bytea NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rate_events_bucket_length CHECK (octet_length(bucket) = 32)
);

COMMENT ON TABLE rate_events IS
    'recent attempts of a rate-limited public action (token recovery), per keyed hash of the client address or of the email address: shared by every server';

CREATE INDEX rate_events_bucket ON rate_events (bucket, at);
CREATE INDEX rate_events_at ON rate_events (at);
