-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Claims and refused duplicate submissions (SPEC "Resources", "Deduplication",
-- "Personal data"; API.md §6). Personal fields live only inside `pii`, sealed with
-- AES-256-GCM (nonce || ciphertext || tag) under the data key `data_key_id`, the reference as
-- associated data; lookups go through HMAC-SHA256 keys. The dedup rule is three partial
-- unique indexes over active claims, so racing submissions cannot both win.

CREATE TABLE claims (
    id bigint GENERATED ALWAYS AS IDENTITY,
    incident_id bigint NOT NULL,
    reference text NOT NULL,
    token_hash bytea NOT NULL,
    status text NOT NULL DEFAULT 'received',
    status_reason text,
    email_key bytea NOT NULL,
    phone_key bytea,
    identity_key bytea,
    data_key_id smallint NOT NULL,
    pii bytea,
    country char(2) NOT NULL,
    categories integer NOT NULL,
    phishing boolean NOT NULL DEFAULT false,
    identity_theft boolean NOT NULL DEFAULT false,
    distress boolean NOT NULL DEFAULT false,
    documented_loss bigint NOT NULL DEFAULT 0,
    hours_spent integer NOT NULL DEFAULT 0,
    payment_preference text NOT NULL,
    privacy_notice_version text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    reviewed_at timestamptz,
    withdrawn_at timestamptz,
    erased_at timestamptz,
    CONSTRAINT claims_pkey PRIMARY KEY (id),
    CONSTRAINT claims_incident_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id),
    CONSTRAINT claims_reference_key UNIQUE (reference),
    CONSTRAINT claims_reference_format
        CHECK (reference ~ '^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
    CONSTRAINT claims_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT claims_status_known
        CHECK (status IN ('received', 'verified', 'rejected', 'withdrawn')),
    CONSTRAINT claims_status_reason_length CHECK (char_length(status_reason) <= 1000),
    CONSTRAINT claims_email_key_length CHECK (octet_length(email_key) = 32),
    CONSTRAINT claims_phone_key_length CHECK (octet_length(phone_key) = 32),
    CONSTRAINT claims_identity_key_length CHECK (octet_length(identity_key) = 32),
    CONSTRAINT claims_data_key_id_range CHECK (data_key_id BETWEEN 1 AND 32767),
    -- 12-byte nonce + 16-byte tag + at least the JSON braces
    CONSTRAINT claims_pii_length CHECK (octet_length(pii) BETWEEN 30 AND 65536),
    CONSTRAINT claims_pii_erased CHECK ((pii IS NULL) = (erased_at IS NOT NULL)),
    CONSTRAINT claims_country_format CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT claims_categories_range CHECK (categories BETWEEN 1 AND 4095),
    CONSTRAINT claims_documented_loss_range
        CHECK (documented_loss BETWEEN 0 AND 10000000000),
    CONSTRAINT claims_hours_spent_range CHECK (hours_spent BETWEEN 0 AND 1000),
    CONSTRAINT claims_payment_preference_known
        CHECK (payment_preference IN ('voucher', 'cash')),
    CONSTRAINT claims_withdrawn_at_set
        CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);

-- SPEC "Deduplication": within one incident, an active claim owns its email, phone and
-- identity keys. incident_id first (STYLE.md).
CREATE UNIQUE INDEX claims_active_email_key ON claims (incident_id, email_key)
    WHERE status <> 'withdrawn';
CREATE UNIQUE INDEX claims_active_phone_key ON claims (incident_id, phone_key)
    WHERE status <> 'withdrawn' AND phone_key IS NOT NULL;
CREATE UNIQUE INDEX claims_active_identity_key ON claims (incident_id, identity_key)
    WHERE status <> 'withdrawn' AND identity_key IS NOT NULL;
CREATE INDEX claims_incident_created ON claims (incident_id, created_at, id);

COMMENT ON TABLE claims IS
    'One person''s claim on one incident; personal fields only inside pii (encrypted)';
COMMENT ON COLUMN claims.reference IS
    'Public reference RC-XXXX-XXXX: Crockford base32, 7 random symbols and a Luhn mod 32 check';
COMMENT ON COLUMN claims.token_hash IS
    'HMAC-SHA256 (purpose claim-token) of the claimant''s secret token, shown once';
COMMENT ON COLUMN claims.email_key IS
    'HMAC-SHA256 of the normalised email (gmail rules): dedup key, never a bare hash';
COMMENT ON COLUMN claims.phone_key IS
    'HMAC-SHA256 of the E.164 phone; NULL when no phone was given';
COMMENT ON COLUMN claims.identity_key IS
    'HMAC-SHA256 of family|given|birth date after NFKD, mark removal and case folding; NULL without birth date';
COMMENT ON COLUMN claims.data_key_id IS
    'Id of the data key (secrets data-keys) that sealed pii; rotation rewrites it';
COMMENT ON COLUMN claims.pii IS
    'AES-256-GCM nonce||ciphertext||tag of the claimant JSON and harm description, reference as AAD; NULL once erased';
COMMENT ON COLUMN claims.country IS
    'ISO 3166-1 alpha-2 of the postal address, kept in clear for filters and counts by country';
COMMENT ON COLUMN claims.categories IS
    'Exposed data categories as a bit set in API.md §3 order (bit 0 = name)';
COMMENT ON COLUMN claims.documented_loss IS
    'Documented financial loss in minor units of the incident currency';
COMMENT ON COLUMN claims.erased_at IS
    'When pii was erased after withdrawal and the retention period';

CREATE TABLE claim_duplicates (
    id bigint GENERATED ALWAYS AS IDENTITY,
    incident_id bigint NOT NULL,
    claim_id bigint NOT NULL,
    data_key_id smallint NOT NULL,
    aad text NOT NULL,
    pii bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claim_duplicates_pkey PRIMARY KEY (id),
    CONSTRAINT claim_duplicates_incident_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id),
    CONSTRAINT claim_duplicates_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id),
    CONSTRAINT claim_duplicates_data_key_id_range CHECK (data_key_id BETWEEN 1 AND 32767),
    CONSTRAINT claim_duplicates_pii_length CHECK (octet_length(pii) BETWEEN 30 AND 131072)
);
CREATE INDEX claim_duplicates_claim ON claim_duplicates (claim_id);
CREATE INDEX claim_duplicates_incident ON claim_duplicates (incident_id);

COMMENT ON TABLE claim_duplicates IS
    'Submissions refused as duplicates (409), kept sealed and linked so nothing is lost';
COMMENT ON COLUMN claim_duplicates.claim_id IS 'The earlier active claim the submission matched';
COMMENT ON COLUMN claim_duplicates.aad IS
    'Associated data the pii was sealed with (the reference the refused submission would have had)';
COMMENT ON COLUMN claim_duplicates.pii IS
    'AES-256-GCM of the whole refused submission (JSON); NULL once erased';

CREATE TABLE idempotency_keys (
    scope_hash bytea NOT NULL,
    request_hash bytea NOT NULL,
    status smallint NOT NULL,
    data_key_id smallint NOT NULL,
    response bytea NOT NULL,
    location text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope_hash),
    CONSTRAINT idempotency_keys_scope_hash_length CHECK (octet_length(scope_hash) = 32),
    CONSTRAINT idempotency_keys_request_hash_length CHECK (octet_length(request_hash) = 32),
    CONSTRAINT idempotency_keys_status_range CHECK (status BETWEEN 200 AND 499)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

COMMENT ON TABLE idempotency_keys IS
    'Answers to POSTs sent with an Idempotency-Key, replayed for 24 h (API.md §1)';
COMMENT ON COLUMN idempotency_keys.scope_hash IS
    'HMAC-SHA256 of credential scope, method, path and key: the key is never stored in clear';
COMMENT ON COLUMN idempotency_keys.request_hash IS
    'SHA-256 of the request body: another body under the same key is refused';
COMMENT ON COLUMN idempotency_keys.response IS
    'The answer body sealed with AES-256-GCM (it carries the claim token), scope_hash as AAD';
