-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The audit chain becomes keyed and append-only (docs/decisions.md, "Hardening: a keyed,
-- append-only audit chain"):
--   - each link is now HMAC-SHA256 under a key the database never sees, computed by the
--     application; `recours migrate` re-seals the events already there in this migration's
--     transaction, just before this file, after checking them under the old formula;
--   - UPDATE, DELETE and TRUNCATE of audit_events are refused by a trigger. The application's
--     login owns the table in the default set-up and can disable the trigger: the trigger
--     stops mistakes and casual edits, the HMAC makes a rewritten row fail verification, and
--     the head kept outside the database (recours audit head) shows a cut tail.

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

COMMENT ON TABLE audit_events IS
    'HMAC chain of writes and exports; append-only (trigger audit_events_append_only)';
COMMENT ON COLUMN audit_events.hash IS
    'HMAC-SHA256(audit key, prev_hash || seq|at|actor|action|object_type|object_id| || digest);'
    ' the key is derived from the hmac-key secret and never stored in the database';
