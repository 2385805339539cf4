-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Approved associations, their API keys, representative actions, mandates and memberships
-- (SPEC "Resources", "Roles"; API.md §7, §8). "A claim is in at most one action; a person
-- (dedup identity) in at most one action per incident" are unique constraints, races included.

CREATE TABLE associations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    approval_reference text NOT NULL,
    approved_from date NOT NULL,
    approved_until date,
    country char(2) NOT NULL,
    contact_email text,
    status text NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT associations_pkey PRIMARY KEY (id),
    CONSTRAINT associations_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT associations_approval_reference_length
        CHECK (char_length(approval_reference) BETWEEN 1 AND 200),
    CONSTRAINT associations_approval_period
        CHECK (approved_until IS NULL OR approved_until >= approved_from),
    CONSTRAINT associations_country_format CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT associations_contact_email_length CHECK (char_length(contact_email) <= 254),
    CONSTRAINT associations_status_known CHECK (status IN ('pending', 'approved', 'suspended'))
);
COMMENT ON TABLE associations IS
    'Approved associations / qualified entities that bring representative actions';
COMMENT ON COLUMN associations.status IS
    'pending until the operator approves; reported lapsed when approved but today is outside approved_from..approved_until';

CREATE TABLE api_keys (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    association_id uuid,
    label text,
    prefix text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_association_fkey FOREIGN KEY (association_id)
        REFERENCES associations (id),
    CONSTRAINT api_keys_prefix_key UNIQUE (prefix),
    CONSTRAINT api_keys_prefix_format CHECK (prefix ~ '^rk_[A-Za-z0-9]{8}$'),
    CONSTRAINT api_keys_secret_hash_length CHECK (octet_length(secret_hash) = 32),
    CONSTRAINT api_keys_label_length CHECK (char_length(label) <= 200)
);
COMMENT ON TABLE api_keys IS
    'Bearer keys rk_<prefix>_<secret>: only an HMAC of the whole key is stored; found by prefix';
COMMENT ON COLUMN api_keys.association_id IS 'The owner; NULL for an operator key';
COMMENT ON COLUMN api_keys.last_used_at IS 'Updated at most once a minute per key';

CREATE TABLE actions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    association_id uuid NOT NULL,
    incident_id bigint NOT NULL,
    title text NOT NULL,
    legal_basis text NOT NULL,
    opt_in_deadline timestamptz NOT NULL,
    counsel_name text NOT NULL,
    counsel_email text NOT NULL,
    mandate_text text NOT NULL,
    mandate_text_version text NOT NULL,
    status text NOT NULL DEFAULT 'open',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT actions_pkey PRIMARY KEY (id),
    CONSTRAINT actions_association_fkey FOREIGN KEY (association_id) REFERENCES associations (id),
    CONSTRAINT actions_incident_fkey FOREIGN KEY (incident_id) REFERENCES incidents (id),
    CONSTRAINT actions_title_length CHECK (char_length(title) BETWEEN 1 AND 300),
    CONSTRAINT actions_legal_basis_known
        CHECK (legal_basis IN ('gdpr-art80-1', 'fr-lil-art37', 'eu-directive-2020-1828')),
    CONSTRAINT actions_counsel_name_length CHECK (char_length(counsel_name) BETWEEN 1 AND 200),
    CONSTRAINT actions_counsel_email_length CHECK (char_length(counsel_email) BETWEEN 3 AND 254),
    CONSTRAINT actions_mandate_text_length CHECK (char_length(mandate_text) BETWEEN 1 AND 20000),
    CONSTRAINT actions_mandate_text_version_length
        CHECK (char_length(mandate_text_version) BETWEEN 1 AND 64),
    CONSTRAINT actions_status_known CHECK (status IN ('open', 'filed', 'settled', 'closed'))
);
CREATE INDEX actions_association ON actions (association_id, created_at);
COMMENT ON TABLE actions IS 'Representative actions: one association, one incident';

-- The mandate (Art. 80(1)): given by the claimant to one action, hence to its association.
ALTER TABLE claims
    ADD COLUMN mandate_action_id uuid,
    ADD COLUMN mandate_association_id uuid,
    ADD COLUMN mandate_text_version text,
    ADD COLUMN mandated_at timestamptz,
    ADD COLUMN mandate_channel text,
    ADD CONSTRAINT claims_mandate_action_fkey FOREIGN KEY (mandate_action_id) REFERENCES actions (id),
    ADD CONSTRAINT claims_mandate_association_fkey FOREIGN KEY (mandate_association_id)
        REFERENCES associations (id),
    ADD CONSTRAINT claims_mandate_channel_known CHECK (mandate_channel IN ('web-form', 'api')),
    ADD CONSTRAINT claims_mandate_complete CHECK (
        (mandate_action_id IS NULL) = (mandate_association_id IS NULL)
        AND (mandate_action_id IS NULL) = (mandated_at IS NULL)
        AND (mandate_action_id IS NULL) = (mandate_channel IS NULL)
        AND (mandate_action_id IS NULL) = (mandate_text_version IS NULL));
CREATE INDEX claims_mandate_association ON claims (incident_id, mandate_association_id, created_at, id)
    WHERE mandate_association_id IS NOT NULL;
COMMENT ON COLUMN claims.mandate_action_id IS
    'The action the claimant mandated (web form or later PATCH); NULL: no mandate';
COMMENT ON COLUMN claims.mandate_association_id IS
    'The association of that action: the one that may read, review and add the claim';

CREATE TABLE memberships (
    claim_id bigint NOT NULL,
    action_id uuid NOT NULL,
    incident_id bigint NOT NULL,
    email_key bytea NOT NULL,
    phone_key bytea,
    identity_key bytea,
    added_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT memberships_pkey PRIMARY KEY (claim_id),
    CONSTRAINT memberships_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id),
    CONSTRAINT memberships_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id)
);
-- no double recovery: one person, one action per incident, whichever association asks
CREATE UNIQUE INDEX memberships_person_email ON memberships (incident_id, email_key);
CREATE UNIQUE INDEX memberships_person_phone ON memberships (incident_id, phone_key)
    WHERE phone_key IS NOT NULL;
CREATE UNIQUE INDEX memberships_person_identity ON memberships (incident_id, identity_key)
    WHERE identity_key IS NOT NULL;
CREATE INDEX memberships_action ON memberships (action_id, claim_id);
COMMENT ON TABLE memberships IS
    'Claims in representative actions; the person keys are copied from the claim so the database itself refuses a second action for the same person on one incident';
