-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A claim's email address changed by its claimant (a correction: service/claims.c) is a new
-- address nobody has confirmed yet. The correction's statement clears email_verified_at
-- (db/claims.c); what hangs on the old address goes with it, here, in the same transaction,
-- whatever statement changes the key:
--   * the confirmation links sent to the old address expire: a confirmation link may be opened
--     again until it expires (db/claim_links.c: mail scanners open links first), and an
--     unopened one from the first message would otherwise confirm the new address, which it
--     never reached;
--   * the risk check of the email (docs/risk.md, email_unconfirmed) is pending again: the pass
--     flags the claim if the new address is still unconfirmed once the claim is older than
--     --risk-unconfirmed-days, and a confirmation clears it at once (0018's trigger), as for a
--     new claim.
-- The erasure sets email_key to NULL: not a change of address, left out by the WHEN.

CREATE FUNCTION claims_email_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_links SET expires_at = greatest(created_at + interval '1 microsecond', now())
    WHERE claim_id = NEW.id AND purpose = 'confirm-email' AND expires_at > now();
    UPDATE claim_risk SET email_pending = true
    WHERE claim_id = NEW.id AND NOT email_pending;
    RETURN NULL;
END
$$;

CREATE TRIGGER claims_email_changed AFTER UPDATE OF email_key ON claims
    FOR EACH ROW WHEN (OLD.email_key IS DISTINCT FROM NEW.email_key AND NEW.email_key IS NOT NULL)
    EXECUTE FUNCTION claims_email_changed();
