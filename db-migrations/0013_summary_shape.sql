-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The summary at any shape of data (docs/decisions.md, "Summary at any data shape" and "Issue
-- 15 — summary (this session)"). The claim_tallies of 0005 key groups by the documented loss
-- and the hours too: when every claimant declares a different loss there are as many groups
-- as claims with a loss. Three FOLDED tables derived from claim_tallies keep those two
-- dimensions out of the key the summary reads, so what an incident summary reads does not
-- grow with the claims:
--
--   claim_count_tallies  counts by (status, payment, country, categories): the counts;
--   claim_value_tallies  for the losses and the hours of the eligible statuses, a radix-16
--                        tree of (count, sum) over the values > 0: node (level k, prefix p)
--                        counts the values v with v >> 4k = p. The count and sum of the
--                        values below any cap C are the nodes that are smaller siblings of
--                        C's path, at most 15 per level: 9 levels for losses (≤ 10^10 <
--                        16^9), 3 for hours (≤ 1000 < 16^3). Σ min(v, C) follows exactly;
--   claim_shape_cells    counts by (status, payment, categories, loss bucket, hours bucket)
--                        of the eligible statuses, a bucket being the value with its 3
--                        leading bits kept (values below 8 exact; width ≤ 1/4 of the
--                        bucket's lower end), with the smallest and largest loss and hours
--                        ever counted in the cell: they bound its values (a claim leaving
--                        the cell leaves the others inside them), and when they are equal
--                        the cell is exact. The award distribution comes from these cells.
--
-- The writers of claim_tallies (the intake's batch statement, a single-claim move, a bulk
-- load) do not fold: a statement trigger APPENDS the change (rows of ±n) to claim_shape_log,
-- a table without a key or an index (one INSERT per statement, no conflict, no lock another
-- writer waits for). summary_shape_fold, called by the server's fold thread about every
-- second, deletes a bounded slice of the log and applies it to the folded tables, and bumps
-- the incident's version in claim_shape_folds, in one transaction: every change is, in any
-- snapshot, either in the log or folded, never both. The summary reads, in one snapshot, the
-- version and the incident's unfolded log rows; the folded counts and cells of a version are
-- the same for every reader, so a process keeps them in memory by version
-- (service/summary_cache.c) and reads them again only after a fold.

-- A database loaded for bench/summary/run.sh --reuse applies this file again after it
-- changed: the line below drops what any version of it created (never run by migrate).
-- reapply: DROP TABLE IF EXISTS claim_count_tallies, claim_value_tallies, claim_shape_cells, claim_shape_log, claim_shape_folds CASCADE; DROP FUNCTION IF EXISTS summary_shape_rebuild(bigint), summary_shape_fold(integer), claim_tallies_shape_insert(), claim_tallies_shape_update(), claim_tallies_shape_delete(), summary_shape_apply(claim_tallies[]), summary_bucket(bigint) CASCADE;
-- derived table: claim_count_tallies
-- derived table: claim_value_tallies
-- derived table: claim_shape_cells
-- derived table: claim_shape_folds


CREATE TABLE claim_count_tallies (
    incident_id bigint NOT NULL,
    status text NOT NULL,
    payment_preference text NOT NULL,
    country char(2) NOT NULL,
    categories integer NOT NULL,
    n bigint NOT NULL,
    CONSTRAINT claim_count_tallies_pkey PRIMARY KEY (incident_id, status, payment_preference,
                                                     country, categories)
);
COMMENT ON TABLE claim_count_tallies IS
    'claim_tallies without the loss and the hours (folded from claim_shape_log): the summary''s counts';

CREATE TABLE claim_value_tallies (
    incident_id bigint NOT NULL,
    dim "char" NOT NULL,
    level smallint NOT NULL,
    prefix bigint NOT NULL,
    status text NOT NULL,
    n bigint NOT NULL,
    s numeric NOT NULL,
    CONSTRAINT claim_value_tallies_pkey PRIMARY KEY (incident_id, dim, level, prefix, status),
    CONSTRAINT claim_value_tallies_dim CHECK (dim IN ('l', 'h'))
);
COMMENT ON TABLE claim_value_tallies IS
    'Radix-16 trees of the eligible claims'' losses (dim l) and hours (dim h) above 0: count n and sum s of the values v with v >> 4·level = prefix (folded from claim_shape_log)';

CREATE TABLE claim_shape_cells (
    incident_id bigint NOT NULL,
    status text NOT NULL,
    cash boolean NOT NULL,
    categories integer NOT NULL,
    loss_bucket bigint NOT NULL,
    hours_bucket integer NOT NULL,
    n bigint NOT NULL,
    loss_min bigint NOT NULL,
    loss_max bigint NOT NULL,
    hours_min integer NOT NULL,
    hours_max integer NOT NULL,
    CONSTRAINT claim_shape_cells_pkey PRIMARY KEY (incident_id, status, cash, categories,
                                                   loss_bucket, hours_bucket)
);
COMMENT ON TABLE claim_shape_cells IS
    'Eligible claims by payment, categories and bucketed loss and hours, with the extreme values ever counted in each cell (folded from claim_shape_log)';

-- claim_tallies' columns (shard: the writer's), without its key
CREATE TABLE claim_shape_log (LIKE claim_tallies);
COMMENT ON TABLE claim_shape_log IS
    'Changes of claim_tallies (n is + or −) not yet folded into the three tables above: appended by statement triggers, deleted by summary_shape_fold; no key, no index (appends only)';

CREATE TABLE claim_shape_folds (
    incident_id bigint NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT claim_shape_folds_pkey PRIMARY KEY (incident_id)
);
COMMENT ON TABLE claim_shape_folds IS
    'How many folds (or rebuilds) changed the incident''s folded tables: a reader keeps them by this version';

-- The bucket of a value ≥ 0: itself below 8, else its 3 leading bits followed by zeros
-- (api/domain/summary_shape.c, shape_bucket, knows the same buckets).
CREATE FUNCTION summary_bucket(v bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN v < 8 THEN v
                ELSE (v >> (length(ltrim(v::bit(64)::text, '0')) - 3))
                     << (length(ltrim(v::bit(64)::text, '0')) - 3) END
$$;

-- Moves the folded tables by the rows d (changes of claim_tallies, n ±).
CREATE FUNCTION summary_shape_apply(d claim_shape_log[]) RETURNS void
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

    INSERT INTO claim_value_tallies AS t (incident_id, dim, level, prefix, status, n, s)
    SELECT incident_id, dim, level, prefix, status, sum(n), sum(s)
      FROM (SELECT u.incident_id, 'l'::"char" AS dim, k::smallint AS level,
                   u.documented_loss >> (4 * k) AS prefix, u.status, u.n,
                   u.n * u.documented_loss::numeric AS s
              FROM unnest(d) u, generate_series(0, 8) k
             WHERE u.documented_loss > 0 AND u.status IN ('received', 'verified')
            UNION ALL
            SELECT u.incident_id, 'h'::"char", k::smallint, u.hours_spent >> (4 * k), u.status,
                   u.n, u.n * u.hours_spent::numeric
              FROM unnest(d) u, generate_series(0, 2) k
             WHERE u.hours_spent > 0 AND u.status IN ('received', 'verified')) v
     GROUP BY incident_id, dim, level, prefix, status
    -- a claim moving inside a node (+1 at one value, −1 at another) nets to 0 claims but
    -- not to 0 in the sum
    HAVING sum(n) <> 0 OR sum(s) <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT claim_value_tallies_pkey DO UPDATE
       SET n = t.n + excluded.n, s = t.s + excluded.s;
END
$$;

-- Folds at most p_limit log rows (any incidents): deleted, applied, their incidents'
-- versions bumped, in the caller's transaction. Rows of transactions not yet committed are
-- not seen (folded by a later call); rows another folder holds are skipped. The versions
-- are locked first, in incident order: two folds of one incident take turns, so a version
-- names one state of the folded tables. Returns how many rows were folded.
CREATE FUNCTION summary_shape_fold(p_limit integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    d claim_shape_log[];
BEGIN
    WITH gone AS (
        DELETE FROM claim_shape_log
         WHERE ctid = ANY (ARRAY(SELECT ctid FROM claim_shape_log LIMIT p_limit
                                    FOR UPDATE SKIP LOCKED))
        RETURNING *)
    SELECT array_agg(g) INTO d FROM gone g;
    IF d IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO claim_shape_folds AS f (incident_id, version)
    SELECT DISTINCT incident_id, 1 FROM unnest(d) ORDER BY 1
    ON CONFLICT ON CONSTRAINT claim_shape_folds_pkey DO UPDATE SET version = f.version + 1;
    PERFORM summary_shape_apply(d);
    RETURN cardinality(d);
END
$$;

CREATE FUNCTION claim_tallies_shape_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_shape_log SELECT * FROM new_rows;
    RETURN NULL;
END
$$;

CREATE FUNCTION claim_tallies_shape_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- updates only ever change n (the key is the primary key): the change is new − old
    INSERT INTO claim_shape_log
    SELECT o.incident_id, o.status, o.payment_preference, o.country, o.categories,
           o.documented_loss, o.hours_spent, o.shard, nw.n - o.n
      FROM old_rows o
      JOIN new_rows nw USING (incident_id, status, payment_preference, country, categories,
                              documented_loss, hours_spent, shard)
     WHERE nw.n <> o.n;
    RETURN NULL;
END
$$;

CREATE FUNCTION claim_tallies_shape_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_shape_log
    SELECT incident_id, status, payment_preference, country, categories, documented_loss,
           hours_spent, shard, -n
      FROM old_rows;
    RETURN NULL;
END
$$;

CREATE TRIGGER claim_tallies_shape_insert AFTER INSERT ON claim_tallies
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tallies_shape_insert();
CREATE TRIGGER claim_tallies_shape_update AFTER UPDATE ON claim_tallies
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tallies_shape_update();
CREATE TRIGGER claim_tallies_shape_delete AFTER DELETE ON claim_tallies
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claim_tallies_shape_delete();

-- Rebuilds an incident's folded tables from its claim_tallies, set-based (a bulk load that
-- fills claim_tallies with its triggers disabled calls it once: bench/summary/run.sh; so does
-- this migration). The log is locked first: writers that appended to it have committed
-- (their rows are in claim_tallies and in the log, whose rows of the incident are dropped),
-- writers that come after wait for the end of the rebuild.
CREATE FUNCTION summary_shape_rebuild(p_incident bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE claim_shape_log IN EXCLUSIVE MODE;
    DELETE FROM claim_shape_log WHERE incident_id = p_incident;
    DELETE FROM claim_count_tallies WHERE incident_id = p_incident;
    DELETE FROM claim_shape_cells WHERE incident_id = p_incident;
    DELETE FROM claim_value_tallies WHERE incident_id = p_incident;
    INSERT INTO claim_shape_folds AS f (incident_id, version) VALUES (p_incident, 1)
    ON CONFLICT ON CONSTRAINT claim_shape_folds_pkey DO UPDATE SET version = f.version + 1;

    INSERT INTO claim_count_tallies (incident_id, status, payment_preference, country,
                                     categories, n)
    SELECT incident_id, status, payment_preference, country, categories, sum(n)
      FROM claim_tallies WHERE incident_id = p_incident
     GROUP BY incident_id, status, payment_preference, country, categories
    HAVING sum(n) <> 0;

    INSERT INTO claim_shape_cells (incident_id, status, cash, categories, loss_bucket,
                                   hours_bucket, n, loss_min, loss_max, hours_min, hours_max)
    SELECT incident_id, status, payment_preference = 'cash', categories,
           summary_bucket(documented_loss), summary_bucket(hours_spent)::int, sum(n),
           coalesce(min(documented_loss) FILTER (WHERE n > 0), min(documented_loss)),
           coalesce(max(documented_loss) FILTER (WHERE n > 0), max(documented_loss)),
           coalesce(min(hours_spent) FILTER (WHERE n > 0), min(hours_spent)),
           coalesce(max(hours_spent) FILTER (WHERE n > 0), max(hours_spent))
      FROM claim_tallies
     WHERE incident_id = p_incident AND status IN ('received', 'verified')
     GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(n) <> 0;

    INSERT INTO claim_value_tallies (incident_id, dim, level, prefix, status, n, s)
    SELECT incident_id, dim, level, prefix, status, sum(n), sum(s)
      FROM (SELECT u.incident_id, 'l'::"char" AS dim, k::smallint AS level,
                   u.documented_loss >> (4 * k) AS prefix, u.status, u.n,
                   u.n * u.documented_loss::numeric AS s
              FROM claim_tallies u, generate_series(0, 8) k
             WHERE u.incident_id = p_incident AND u.documented_loss > 0
               AND u.status IN ('received', 'verified')
            UNION ALL
            SELECT u.incident_id, 'h'::"char", k::smallint, u.hours_spent >> (4 * k), u.status,
                   u.n, u.n * u.hours_spent::numeric
              FROM claim_tallies u, generate_series(0, 2) k
             WHERE u.incident_id = p_incident AND u.hours_spent > 0
               AND u.status IN ('received', 'verified')) v
     GROUP BY incident_id, dim, level, prefix, status
    HAVING sum(n) <> 0;
END
$$;

SELECT summary_shape_rebuild(id) FROM incidents;
