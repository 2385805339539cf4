-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The export for counsel reads an action's members a page at a time (db/exports.c). By
-- reference (claims_members), each member cost PostgreSQL a heap page of its own: references
-- are random, claims lie in the heap in the order they were received, so a page of 256
-- members visited 256 scattered heap pages and 256 scattered claim_eligibility pages
-- (EXPLAIN (ANALYZE, BUFFERS) in bench/RESULTS.md "Export at 1,000,000 members"). The export
-- now goes by submission time (submitted_at = created_at, ties by the claim's id), the order
-- the heap and claim_eligibility follow: consecutive members share heap pages and the
-- eligibility probes walk forward (docs/decisions.md "Export in submission order").
CREATE INDEX claims_members_submitted ON claims (member_action_id, created_at, id)
    WHERE member_action_id IS NOT NULL;
