-- SPDX-License-Identifier: AGPL-3.0-or-later
-- bench/summary/run.sh: one chunk of synthetic claims (ids :lo..:hi) for incident :incident,
-- :total claims in all (created_at spreads them over six weeks). Rows are what the intake
-- writer stores (api/db/claims_batch.c), minus the crypto: the claims table's CHECKs hold.
--   id            the series number (OVERRIDING SYSTEM VALUE; run.sh moves the identity on)
--   reference     'RC-' + the id in Crockford base32, 8 symbols: unique (the CHECK wants the
--                 alphabet and the shape, not a valid check symbol)
--   email_key     sha256(int8send(id)): 32 bytes, unique per claim; token_hash likewise
--   pii           300 bytes: email_key and a constant pad (a sealed personal-data document
--                 of a typical claim is about that size; rows this small are stored
--                 uncompressed whatever the bytes); phone and identity keys NULL
--   the award-relevant columns are drawn from the bytes of email_key (uniform, fixed per id)
--   with a skew: categories [name, email] for 80 % (else name + email + any of phone,
--   postal_address, password, order_history), country KR for 97 % (else one of 10), no
--   documented loss for 95 % (else 10,000..160,000 KRW in 16 steps), no hours for 90 % (else
--   1..8): about 8,500 distinct combinations on 33.7 million claims.
--   :shape 'worst' (run.sh --shape worst) changes two columns: a documented loss for 10 %, and
--   then 100 + the id, so that every claim with a loss has its own amount (the worst case of
--   summary issue 15); hours for 10 %, spread over 1..1000. Everything else as above.
--   status received, payment voucher: every claim an eligible voucher claim, the case of
--   Coupang's scheme (docs/api.md §11.7 preset), whose full-scale figures run.sh checks.
INSERT INTO claims
    (id, incident_id, reference, token_hash, email_key, data_key_id, pii, country, categories,
     documented_loss, hours_spent, payment_preference, privacy_notice_version, created_at,
     updated_at)
OVERRIDING SYSTEM VALUE
SELECT i, :incident,
       'RC-' || substr(a, ((i >> 35) & 31)::int + 1, 1) || substr(a, ((i >> 30) & 31)::int + 1, 1)
             || substr(a, ((i >> 25) & 31)::int + 1, 1) || substr(a, ((i >> 20) & 31)::int + 1, 1)
             || '-'
             || substr(a, ((i >> 15) & 31)::int + 1, 1) || substr(a, ((i >> 10) & 31)::int + 1, 1)
             || substr(a, ((i >> 5) & 31)::int + 1, 1) || substr(a, (i & 31)::int + 1, 1),
       sha256(int8send(-i)),
       k,
       1,
       k || decode(repeat('a5', 268), 'hex'),
       CASE WHEN get_byte(k, 3) * 256 + get_byte(k, 4) < 63570 THEN 'KR'
            ELSE (ARRAY['US', 'JP', 'CN', 'TW', 'VN', 'PH', 'SG', 'HK', 'AU', 'CA'])
                 [get_byte(k, 5) % 10 + 1] END,
       CASE WHEN get_byte(k, 0) * 256 + get_byte(k, 1) < 52429 THEN 3
            ELSE 3 | (get_byte(k, 2) & 1) * 4 | (get_byte(k, 2) & 2) * 4
                   | (get_byte(k, 2) & 4) * 8 | (get_byte(k, 2) & 8) * 64 END,
       CASE WHEN :'shape' = 'worst' THEN
                 CASE WHEN get_byte(k, 6) * 256 + get_byte(k, 7) < 58982 THEN 0 ELSE 100 + i END
            WHEN get_byte(k, 6) * 256 + get_byte(k, 7) < 62259 THEN 0
            ELSE (get_byte(k, 8) % 16 + 1) * 10000 END,
       CASE WHEN get_byte(k, 9) * 256 + get_byte(k, 10) < 58982 THEN 0
            WHEN :'shape' = 'worst' THEN (get_byte(k, 11) * 256 + get_byte(k, 12)) % 1000 + 1
            ELSE get_byte(k, 11) % 8 + 1 END,
       'voucher', '2026-01',
       t, t
  FROM generate_series(:lo::bigint, :hi::bigint) AS g(i),
       -- OFFSET 0 keeps the subquery whole: pulled up, sha256 would run once per use of k
       LATERAL (SELECT sha256(int8send(g.i)) AS k,
                       '0123456789ABCDEFGHJKMNPQRSTVWXYZ'::text AS a,
                       timestamptz '2025-12-01 00:00:00+00'
                           + (g.i * 3628800.0 / :total) * interval '1 second' AS t
                OFFSET 0) AS x;
