-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Append-only, hash-chained audit of every write by an association or the operator and of
-- every export (SPEC "Resources"). hash = SHA-256 of the previous hash and the event's
-- canonical text; a change, deletion or reordering of rows breaks the chain at that link.

CREATE TABLE audit_events (
    seq bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    digest bytea NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT audit_events_pkey PRIMARY KEY (seq),
    CONSTRAINT audit_events_seq_positive CHECK (seq >= 1),
    CONSTRAINT audit_events_digest_length CHECK (octet_length(digest) = 32),
    CONSTRAINT audit_events_prev_hash_length CHECK (octet_length(prev_hash) = 32),
    CONSTRAINT audit_events_hash_length CHECK (octet_length(hash) = 32)
);
COMMENT ON TABLE audit_events IS
    'Hash chain of writes and exports; never updated or deleted by the application';
COMMENT ON COLUMN audit_events.actor IS 'operator, or association:<uuid>';
COMMENT ON COLUMN audit_events.digest IS
    'SHA-256 of the change as JSON: identifies it without holding personal data in clear';
COMMENT ON COLUMN audit_events.hash IS
    'SHA-256(prev_hash || seq || at || actor || action || object_type || object_id || digest)';
