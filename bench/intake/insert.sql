-- SPDX-License-Identifier: AGPL-3.0-or-later
-- pgbench script of bench/intake/run.sh: the database-only equivalent of one claim
-- submission, one claim per transaction (autocommit), with the statement shape of the intake
-- writer (api/db/claims_batch.c, db_claims_insert_batch): INSERT ... ON CONFLICT DO NOTHING
-- RETURNING into claims, and in the same statement the claim's summary tally (0005), so the
-- same table, indexes, constraints and tally rows are written as by the API:
--   - four random 32-byte keys (token hash, email, phone and identity keys), so the three
--     partial unique indexes take random keys as they do from HMAC-SHA256 (pgcrypto is not
--     assumed: two md5 of random() make 32 bytes);
--   - pii of the size the API's sealed payloads have (:piilen, measured by run.sh on the rows
--     the API wrote just before; AES-GCM output is incompressible, this one is not, but at this
--     size PostgreSQL compresses nothing, so the row and WAL sizes match);
--   - a unique reference in the RC-XXXX-XXXX shape the CHECK constraint wants (hex digits are
--     Crockford symbols), from a sequence run.sh creates;
--   - documented loss, hours, distress and payment preference spread as claim.lua spreads
--     them, so tally groups are as many (and as rarely shared) as the API's; shard = pgbench
--     client (the API's = its writer), so no two clients wait on one tally row.
-- Variables (pgbench -D): incident (an incidents.id), piilen (bytes), piiblocks (piilen / 16,
-- rounded up).
\set loss random(0, 49999)
\set hours random(0, 19)
\set distress random(0, 1)
\set cash random(0, 2)
WITH ins AS (
    INSERT INTO claims
        (incident_id, reference, token_hash, email_key, phone_key, identity_key, data_key_id,
         pii, country, categories, phishing, identity_theft, distress, documented_loss,
         hours_spent, payment_preference, privacy_notice_version, created_at, updated_at)
    SELECT :incident, 'RC-' || substr(r.h, 1, 4) || '-' || substr(r.h, 5, 4),
           decode(md5(random()::text) || md5(random()::text), 'hex'),
           decode(md5(random()::text) || md5(random()::text), 'hex'),
           decode(md5(random()::text) || md5(random()::text), 'hex'),
           decode(md5(random()::text) || md5(random()::text), 'hex'),
           1,
           substring(decode(repeat(md5(random()::text), :piiblocks), 'hex') FROM 1 FOR :piilen),
           'FR', 6, true, false, :distress = 1, :loss, :hours,
           CASE WHEN :cash = 0 THEN 'cash' ELSE 'voucher' END, '2026-01', now(), now()
      FROM (SELECT upper(lpad(to_hex(nextval('bench_intake_reference')), 8, '0')) AS h) AS r
        ON CONFLICT DO NOTHING
    RETURNING id, incident_id, status, payment_preference, country, categories,
              documented_loss, hours_spent),
tally AS (
    INSERT INTO claim_tallies AS t (incident_id, status, payment_preference, country,
                                    categories, documented_loss, hours_spent, shard, n)
    SELECT incident_id, status, payment_preference, country, categories, documented_loss,
           hours_spent, :client_id, count(*)
      FROM ins
     GROUP BY incident_id, status, payment_preference, country, categories, documented_loss,
              hours_spent
        ON CONFLICT ON CONSTRAINT claim_tallies_pkey DO UPDATE SET n = t.n + excluded.n)
SELECT id FROM ins;
