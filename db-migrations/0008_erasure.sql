-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Erasure of a withdrawn claim's personal data after the retention period (SPEC "Personal
-- data", API.md §6 Withdraw; the job is api/service/erasure.c). Erasure sets pii and the three
-- dedup keys to NULL (HMACs of the person's email, phone and identity: they single out the
-- person as surely as the data does) and erased_at, and the pii of the refused submissions
-- linked to the claim. The reference, token hash, status, dates, country, categories and
-- harms stay: the claimant can still read the withdrawn claim, and the tallies and summaries
-- that counted it do not move.
--
-- A withdrawn claim owns no dedup key (the unique indexes of 0002 cover active claims only),
-- so NULL keys never meet those indexes; the CHECKs below make erasure the only way a key is
-- lost and a withdrawn claim the only one that can be erased.

ALTER TABLE claims
    ALTER COLUMN email_key DROP NOT NULL,
    ADD CONSTRAINT claims_email_key_erased CHECK (email_key IS NOT NULL OR erased_at IS NOT NULL),
    ADD CONSTRAINT claims_erased_withdrawn CHECK (erased_at IS NULL OR status = 'withdrawn');

-- The erasure job's search: withdrawn, not yet erased, oldest withdrawal first. Not keyed by
-- incident_id (STYLE.md) on purpose: the job looks across every incident, and the index holds
-- only the claims waiting out their retention, so it stays small.
CREATE INDEX claims_erasure_due ON claims (withdrawn_at)
    WHERE status = 'withdrawn' AND erased_at IS NULL;

COMMENT ON INDEX claims_erasure_due IS
    'Withdrawn claims whose personal data is not erased yet, by withdrawal time (erasure job)';
COMMENT ON COLUMN claims.email_key IS
    'HMAC-SHA256 of the normalised email (gmail rules): dedup key, never a bare hash; NULL once erased';
COMMENT ON COLUMN claims.phone_key IS
    'HMAC-SHA256 of the E.164 phone; NULL when no phone was given, or once erased';
COMMENT ON COLUMN claims.identity_key IS
    'HMAC-SHA256 of family|given|birth date after NFKD, mark removal and case folding; NULL without birth date, or once erased';
COMMENT ON COLUMN claims.status_reason IS
    'The reviewer''s reason (free text, may speak of the person); NULL once erased';
COMMENT ON COLUMN claims.erased_at IS
    'When pii, the dedup keys, the review reason and the linked duplicates'' pii were erased (withdrawn claims only, after the retention period)';
COMMENT ON COLUMN audit_events.actor IS
    'operator, association:<uuid>, or system (the erasure job)';
