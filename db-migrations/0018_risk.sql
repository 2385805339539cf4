-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Risk flags (issue 14, docs/risk.md, docs/decisions.md "Issue 14 — risk flags"): reasons
-- shown to the reviewing association, never a rejection. Per claim taken in by the intake:
-- the keyed hash of its client's network prefix (kept for a retention period, then erased),
-- the keyed hash of its postal address without the flat, whether its email domain is a
-- disposable one, the counts that raised a flag and the flags themselves. Nothing in clear:
-- the hashes are HMAC-SHA256 under a key derived from the server's HMAC key and the incident
-- (useless without it), the counts are of other claims, never their data.
-- The fifth flag, "unmatched" (against the controller's list), is read from
-- claim_eligibility (0015), which its own recompute keeps current; it is not stored here.

CREATE TABLE claim_risk (
    claim_id bigint NOT NULL,
    incident_id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    net_kind text,
    net_mac bytea,
    net_count integer NOT NULL DEFAULT 0,
    addr_mac bytea,
    addr_count integer NOT NULL DEFAULT 0,
    disposable_email boolean NOT NULL DEFAULT false,
    email_pending boolean NOT NULL DEFAULT true,
    flags text[] NOT NULL DEFAULT '{}',
    evaluated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claim_risk_pkey PRIMARY KEY (claim_id),
    CONSTRAINT claim_risk_claim_fkey FOREIGN KEY (claim_id)
        REFERENCES claims (id) ON DELETE CASCADE,
    CONSTRAINT claim_risk_net_kind CHECK (net_kind IN ('ipv4/24', 'ipv6/64')),
    CONSTRAINT claim_risk_net_mac_length CHECK (length(net_mac) = 32),
    CONSTRAINT claim_risk_addr_mac_length CHECK (length(addr_mac) = 32),
    CONSTRAINT claim_risk_counts CHECK (net_count >= 0 AND addr_count >= 0),
    CONSTRAINT claim_risk_flags_known CHECK (flags <@ ARRAY['network', 'address',
        'disposable_email', 'email_unconfirmed']::text[])
);

COMMENT ON TABLE claim_risk IS
    'Risk flags of a claim for the reviewing association (docs/risk.md); no personal data';
COMMENT ON COLUMN claim_risk.created_at IS 'The claim''s submission time (its created_at)';
COMMENT ON COLUMN claim_risk.net_kind IS
    'The prefix hashed: ipv4/24 or ipv6/64; NULL when the client address was unknown';
COMMENT ON COLUMN claim_risk.net_mac IS
    'HMAC of the client''s network prefix under the incident''s risk key; NULL after the '
    'retention period (RECOURS_RISK_NETWORK_RETENTION_HOURS)';
COMMENT ON COLUMN claim_risk.net_count IS
    'Claims of the incident from the same network within an hour of this one, itself '
    'included, counted up to the threshold + 1 (the member''s view counts them all)';
COMMENT ON COLUMN claim_risk.addr_mac IS
    'HMAC of the normalised postal address without the flat (domain/risk_address.c)';
COMMENT ON COLUMN claim_risk.addr_count IS
    'Claims of the incident sharing that address, itself included, up to the threshold + 1';
COMMENT ON COLUMN claim_risk.email_pending IS
    'The email-not-confirmed check is still to come (the periodic job, after N days)';
COMMENT ON COLUMN claim_risk.flags IS
    'network, address, disposable_email, email_unconfirmed: reasons to review, never a refusal';

-- the network count at intake and in the periodic job: one network of one incident by time
CREATE INDEX claim_risk_network ON claim_risk (incident_id, net_mac, created_at)
    WHERE net_mac IS NOT NULL;
-- the periodic job's recent claims and the retention's erasure: small, since the hashes of
-- older claims are erased
CREATE INDEX claim_risk_network_age ON claim_risk (created_at) WHERE net_mac IS NOT NULL;
CREATE INDEX claim_risk_address ON claim_risk (incident_id, addr_mac) WHERE addr_mac IS NOT NULL;
CREATE INDEX claim_risk_email_pending ON claim_risk (created_at) WHERE email_pending;

-- A flag turned on or off in a flags array (kept without repeats).
CREATE FUNCTION risk_flag_set(p_flags text[], p_flag text, p_on boolean)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_on AND NOT (p_flag = ANY (p_flags)) THEN array_append(p_flags, p_flag)
                WHEN NOT p_on THEN array_remove(p_flags, p_flag)
                ELSE p_flags END
$$;

-- The hashes go with the claim's personal data: when erasure (0008) removes it, so does this.
CREATE FUNCTION claim_risk_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM claim_risk WHERE claim_id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER claims_erase_risk AFTER UPDATE OF pii ON claims
    FOR EACH ROW WHEN (OLD.pii IS NOT NULL AND NEW.pii IS NULL)
    EXECUTE FUNCTION claim_risk_erase();

-- A confirmed email clears its flag at once, in the confirmation's transaction.
CREATE FUNCTION claim_risk_email_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_risk SET email_pending = false,
                          flags = array_remove(flags, 'email_unconfirmed'),
                          evaluated_at = now()
    WHERE claim_id = NEW.id AND (email_pending OR 'email_unconfirmed' = ANY (flags));
    RETURN NEW;
END
$$;
CREATE TRIGGER claims_risk_email_confirmed AFTER UPDATE OF email_verified_at ON claims
    FOR EACH ROW WHEN (OLD.email_verified_at IS NULL AND NEW.email_verified_at IS NOT NULL)
    EXECUTE FUNCTION claim_risk_email_confirmed();
