-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The controller's list (issue 14, docs/decisions.md "Eligibility: the controller's list").
-- The controller hashes whom it notified with the incident's matching key (HMAC-SHA256,
-- never the dedup key) and recours imports the hashes; each claim carries the same keyed
-- hashes of its normalised email, phone and notice code, and its state against the list in
-- force. Nothing here is personal data in clear.
--   - eligibility_lists: one row per imported version (kept as history: counts, file digest);
--   - eligibility_entries: the hashes of a version (kind 1 email, 2 phone, 3 notice code);
--     only the version in force keeps its entries, older ones are deleted after the switch;
--   - eligibility_current: the version pointer, switched in the import's one transaction;
--   - claim_eligibility: per claim, its hashes and its state, with the list it was computed
--     against (list_id NULL: the incident had no list, state 'unknown'); a claim whose
--     list_id is not the current one waits for the recompute that follows an import.

CREATE TABLE eligibility_lists (
    id bigint GENERATED ALWAYS AS IDENTITY,
    incident_id bigint NOT NULL,
    version integer NOT NULL,
    sha256 bytea NOT NULL,
    n_lines bigint NOT NULL,
    n_entries bigint NOT NULL,
    n_malformed bigint NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT eligibility_lists_pkey PRIMARY KEY (id),
    CONSTRAINT eligibility_lists_incident_fkey FOREIGN KEY (incident_id)
        REFERENCES incidents (id),
    CONSTRAINT eligibility_lists_version_key UNIQUE (incident_id, version),
    CONSTRAINT eligibility_lists_sha256_length CHECK (length(sha256) = 32)
);

CREATE TABLE eligibility_entries (
    list_id bigint NOT NULL,
    kind smallint NOT NULL,
    mac bytea NOT NULL,
    CONSTRAINT eligibility_entries_pkey PRIMARY KEY (list_id, kind, mac),
    CONSTRAINT eligibility_entries_list_fkey FOREIGN KEY (list_id)
        REFERENCES eligibility_lists (id) ON DELETE CASCADE,
    CONSTRAINT eligibility_entries_kind CHECK (kind IN (1, 2, 3)),
    CONSTRAINT eligibility_entries_mac_length CHECK (length(mac) = 32)
);

CREATE TABLE eligibility_current (
    incident_id bigint NOT NULL,
    list_id bigint NOT NULL,
    CONSTRAINT eligibility_current_pkey PRIMARY KEY (incident_id),
    CONSTRAINT eligibility_current_incident_fkey FOREIGN KEY (incident_id)
        REFERENCES incidents (id),
    CONSTRAINT eligibility_current_list_fkey FOREIGN KEY (list_id)
        REFERENCES eligibility_lists (id)
);

CREATE TABLE claim_eligibility (
    claim_id bigint NOT NULL,
    incident_id bigint NOT NULL,
    email_mac bytea NOT NULL,
    phone_mac bytea,
    code_mac bytea,
    list_id bigint,
    state text NOT NULL,
    matched text[] NOT NULL DEFAULT '{}',
    evaluated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claim_eligibility_pkey PRIMARY KEY (claim_id),
    CONSTRAINT claim_eligibility_claim_fkey FOREIGN KEY (claim_id)
        REFERENCES claims (id) ON DELETE CASCADE,
    CONSTRAINT claim_eligibility_state CHECK (state IN ('matched', 'unmatched', 'unknown')),
    CONSTRAINT claim_eligibility_state_list CHECK ((state = 'unknown') = (list_id IS NULL))
);
-- incident_id first: the recompute walks an incident's claims in id order
CREATE INDEX claim_eligibility_incident ON claim_eligibility (incident_id, claim_id);

-- What of a claim's hashes the list holds, in the order email, phone, code: one definition
-- for the intake and the recompute.
CREATE FUNCTION eligibility_match(p_list bigint, p_email bytea, p_phone bytea, p_code bytea)
RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT array_remove(ARRAY[
        CASE WHEN EXISTS (SELECT 1 FROM eligibility_entries e
                          WHERE e.list_id = p_list AND e.kind = 1 AND e.mac = p_email)
             THEN 'email' END,
        CASE WHEN p_phone IS NOT NULL AND EXISTS (SELECT 1 FROM eligibility_entries e
                          WHERE e.list_id = p_list AND e.kind = 2 AND e.mac = p_phone)
             THEN 'phone' END,
        CASE WHEN p_code IS NOT NULL AND EXISTS (SELECT 1 FROM eligibility_entries e
                          WHERE e.list_id = p_list AND e.kind = 3 AND e.mac = p_code)
             THEN 'code' END], NULL)
$$;

-- The hashes go with the claim's personal data: when erasure (0008) removes it, the
-- eligibility row goes too (recours cannot re-hash what it no longer holds).
CREATE FUNCTION claim_eligibility_erase() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM claim_eligibility WHERE claim_id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER claims_erase_eligibility AFTER UPDATE OF pii ON claims
    FOR EACH ROW WHEN (OLD.pii IS NOT NULL AND NEW.pii IS NULL)
    EXECUTE FUNCTION claim_eligibility_erase();
