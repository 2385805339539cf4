-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Telling the old address that a claim's email address changed (docs/mail.md, kind
-- address-changed; docs/decisions.md "The old address of a correction, sealed in the outbox").
-- Whoever holds a claim's token can correct its address; the "claim corrected" message goes to
-- the new one, so the owner of the old one would never learn of it. The correction's transaction
-- queues an address-changed row to the old address, which the claim no longer holds: the row
-- carries it sealed (AES-256-GCM under the current data key, as claims.pii, the associated data
-- binding it to this row and its claim: service/claims.c), and only until the message is sent,
-- failed or the claim erased. Every other row still holds no personal data.

ALTER TABLE outbox
    ADD COLUMN sealed_email bytea,
    ADD COLUMN sealed_key_id smallint,
    DROP CONSTRAINT outbox_kind_known,
    ADD CONSTRAINT outbox_kind_known CHECK (kind IN
        ('claim-accepted', 'claim-corrected', 'claim-withdrawn', 'recovery', 'claim-rejected',
         'member-removed', 'notice', 'address-changed')),
    -- only an address-changed row holds an address, and only while it is queued: sending,
    -- failing or erasing it wipes the box (db/outbox.c, db/erasure.c)
    ADD CONSTRAINT outbox_sealed_email_kind CHECK (sealed_email IS NULL OR kind = 'address-changed'),
    ADD CONSTRAINT outbox_sealed_email_queued CHECK (sealed_email IS NULL OR state = 'queued'),
    ADD CONSTRAINT outbox_sealed_email_key CHECK ((sealed_email IS NULL) = (sealed_key_id IS NULL));

COMMENT ON COLUMN outbox.sealed_email IS
    'address-changed: the address before the correction, sealed (AAD "address-changed:<id>:<reference>"); NULL once sent, failed or erased';
COMMENT ON COLUMN outbox.sealed_key_id IS 'the data key sealed_email is sealed with';

-- rotate-data-key re-seals these boxes too (db/rotate.c); this index finds the few rows holding
-- one without reading the outbox's millions of others, and costs the others nothing
CREATE INDEX outbox_sealed ON outbox (id) WHERE sealed_email IS NOT NULL;
