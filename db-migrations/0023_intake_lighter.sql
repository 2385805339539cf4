-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Less work in PostgreSQL per claim taken in (issue 15, intake; docs/decisions.md "Intake:
-- the work per claim"): the summary's fold and the outbox's index of every queued message.
--
-- The fold of the summary's log (0013) was the largest single cost of a claim in PostgreSQL
-- after the claim's own INSERT (issue 15, intake; docs/decisions.md "Intake: the work per
-- claim"): folding 3,000 claims' log rows took 193 µs of the fold backend's time per claim,
-- 92 of them in the radix-16 trees of claim_value_tallies and 39 in claim_shape_cells. Same
-- tables, same rows, same values; two changes in how they are computed:
--   * claim_value_tallies: every log row was expanded into 9 loss nodes and 3 hours nodes (12
--     rows to sort and sum per claim, each with a numeric product) before grouping. Now the
--     values are grouped first (level 0: one row per distinct value, its count and exact
--     numeric sum), and each level is the grouping of the level below by prefix >> 4: the
--     node (level k, prefix p) of 0013 counts the values v with v >> 4k = p, and
--     (v >> 4(k-1)) >> 4 = v >> 4k, so each node's count and sum are the same, from ever
--     fewer rows (a fold of 3,000 claims: about 5,000 rows instead of 36,000);
--   * summary_bucket is no longer STRICT, so PostgreSQL inlines it into the cells' statement
--     instead of running a SQL function twice per log row (its body is NULL on a NULL value
--     anyway, and the columns it is given are NOT NULL).
-- bench/summary/run.sh --reuse re-applies 0013 when it changed: apply this file after it.

CREATE OR REPLACE FUNCTION summary_bucket(v bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 8 THEN v
                ELSE (v >> (length(ltrim(v::bit(64)::text, '0')) - 3))
                     << (length(ltrim(v::bit(64)::text, '0')) - 3) END
$$;

CREATE OR REPLACE FUNCTION summary_shape_apply(d claim_shape_log[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_count_tallies AS t (incident_id, status, payment_preference, country,
                                          categories, n)
    SELECT incident_id, status, payment_preference, country, categories, sum(n)
      FROM unnest(d)
     GROUP BY incident_id, status, payment_preference, country, categories
    HAVING sum(n) <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT claim_count_tallies_pkey DO UPDATE SET n = t.n + excluded.n;

    -- the values of the rows counted in (a negative row is a claim that left: its value is
    -- inside the range of a row counted in before)
    INSERT INTO claim_shape_cells AS t (incident_id, status, cash, categories, loss_bucket,
                                        hours_bucket, n, loss_min, loss_max, hours_min,
                                        hours_max)
    SELECT incident_id, status, payment_preference = 'cash', categories,
           summary_bucket(documented_loss), summary_bucket(hours_spent)::int, sum(n),
           coalesce(min(documented_loss) FILTER (WHERE n > 0), min(documented_loss)),
           coalesce(max(documented_loss) FILTER (WHERE n > 0), max(documented_loss)),
           coalesce(min(hours_spent) FILTER (WHERE n > 0), min(hours_spent)),
           coalesce(max(hours_spent) FILTER (WHERE n > 0), max(hours_spent))
      FROM unnest(d)
     WHERE status IN ('received', 'verified')
     GROUP BY 1, 2, 3, 4, 5, 6
    -- a claim moving inside a cell nets to 0 but may widen its range
    HAVING sum(n) <> 0 OR bool_or(n > 0)
     ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT claim_shape_cells_pkey DO UPDATE
       SET n = t.n + excluded.n, loss_min = least(t.loss_min, excluded.loss_min),
           loss_max = greatest(t.loss_max, excluded.loss_max),
           hours_min = least(t.hours_min, excluded.hours_min),
           hours_max = greatest(t.hours_max, excluded.hours_max);

    -- level 0: the values themselves; level k: level k - 1 grouped by prefix >> 4 (losses up
    -- to level 8, hours up to level 2, as 0013)
    INSERT INTO claim_value_tallies AS t (incident_id, dim, level, prefix, status, n, s)
    WITH l0 AS (
        SELECT u.incident_id, 'l'::"char" AS dim, u.status, u.documented_loss AS prefix,
               sum(u.n) AS n, sum(u.n * u.documented_loss::numeric) AS s
          FROM unnest(d) u
         WHERE u.documented_loss > 0 AND u.status IN ('received', 'verified')
         GROUP BY u.incident_id, u.status, u.documented_loss
        UNION ALL
        SELECT u.incident_id, 'h'::"char", u.status, u.hours_spent, sum(u.n),
               sum(u.n * u.hours_spent::numeric)
          FROM unnest(d) u
         WHERE u.hours_spent > 0 AND u.status IN ('received', 'verified')
         GROUP BY u.incident_id, u.status, u.hours_spent),
    l1 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l0 GROUP BY 1, 2, 3, 4),
    l2 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l1 GROUP BY 1, 2, 3, 4),
    l3 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l2 WHERE dim = 'l' GROUP BY 1, 2, 3, 4),
    l4 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l3 GROUP BY 1, 2, 3, 4),
    l5 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l4 GROUP BY 1, 2, 3, 4),
    l6 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l5 GROUP BY 1, 2, 3, 4),
    l7 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l6 GROUP BY 1, 2, 3, 4),
    l8 AS (SELECT incident_id, dim, status, prefix >> 4 AS prefix, sum(n) AS n, sum(s) AS s
             FROM l7 GROUP BY 1, 2, 3, 4)
    SELECT incident_id, dim, level, prefix, status, n, s
      FROM (SELECT *, 0::smallint AS level FROM l0
            UNION ALL SELECT *, 1::smallint FROM l1
            UNION ALL SELECT *, 2::smallint FROM l2
            UNION ALL SELECT *, 3::smallint FROM l3
            UNION ALL SELECT *, 4::smallint FROM l4
            UNION ALL SELECT *, 5::smallint FROM l5
            UNION ALL SELECT *, 6::smallint FROM l6
            UNION ALL SELECT *, 7::smallint FROM l7
            UNION ALL SELECT *, 8::smallint FROM l8) v
    -- a claim moving inside a node (+1 at one value, −1 at another) nets to 0 claims but
    -- not to 0 in the sum
     WHERE n <> 0 OR s <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT claim_value_tallies_pkey DO UPDATE
       SET n = t.n + excluded.n, s = t.s + excluded.s;
END
$$;

-- outbox_due (0011) indexed every queued message, and only the senders' take of a notice's
-- messages (state = 'queued' AND notice_id IS NOT NULL) uses it since 0016 gave the messages
-- about one claim outbox_due_first: every claim's confirmation went into both indexes, and
-- every take of notices walked the whole queue of confirmations (or, once ANALYZE saw most of
-- the table queued, scanned the table: 474 sequential scans of the outbox, 245 rows read per
-- claim, in one 12 s bench round). The notices' messages get an index of their own.
CREATE INDEX outbox_due_notices ON outbox (next_attempt_at)
    WHERE state = 'queued' AND notice_id IS NOT NULL;
DROP INDEX outbox_due;
