-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A notice to 100,000 members is one INSERT … SELECT of 100,000 outbox rows (0016); it took
-- 17.6 s at load 27 (bench/RESULTS.md "Notices: 100,000 members"). EXPLAIN (ANALYZE, BUFFERS,
-- WAL) of it at 20,000 rows: half of the time in the two foreign-key checks of every row (a
-- query each, the claim's check also writing a KEY SHARE lock into every member's claim row),
-- six WAL records a row (heap, speculative-insertion confirmation, four indexes). Now (issue 13,
-- docs/decisions.md "Notices at 100,000 members"):
--   * one unique index (claim_id, notice_id) replaces outbox_claim (claim_id) and
--     outbox_notice_claim (notice_id, claim_id): it finds a claim's rows (claim_id first) and
--     still allows a notice once per claim (NULL notice ids are distinct: other kinds are not
--     limited); the queue no longer needs ON CONFLICT (the notice is locked and unsent);
--   * the outbox's foreign keys go. Every statement that writes an outbox row reads the claim
--     (and the notice) it names in the same statement, claims and notices are never deleted by
--     the application, and delivery fails a row whose claim or notice is gone. What the keys did
--     on a delete stays, once per statement instead of a query per inserted row: deleting
--     claims deletes their outbox rows (was ON DELETE CASCADE), deleting a notice that has
--     outbox rows is refused (was the default NO ACTION).

CREATE UNIQUE INDEX outbox_claim_notice ON outbox (claim_id, notice_id);
DROP INDEX outbox_claim;
DROP INDEX outbox_notice_claim;

ALTER TABLE outbox
    DROP CONSTRAINT outbox_claim_fkey,
    DROP CONSTRAINT outbox_notice_fkey;

CREATE FUNCTION outbox_forget_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM outbox o USING gone g WHERE o.claim_id = g.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER claims_outbox_cascade AFTER DELETE ON claims
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION outbox_forget_claims();

CREATE FUNCTION outbox_keep_notices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM outbox o JOIN gone g ON o.notice_id = g.id) THEN
        RAISE EXCEPTION 'a notice with messages in the outbox cannot be deleted'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER notices_outbox_restrict AFTER DELETE ON notices
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION outbox_keep_notices();

COMMENT ON INDEX outbox_claim_notice IS
    'a claim''s messages; a notice at most once per claim (other kinds have no notice: NULLs are distinct)';
