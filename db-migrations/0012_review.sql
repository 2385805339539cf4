-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The association's workspace (docs/workspace.md): the review of members with a reason from a
-- fixed vocabulary, the window in which a rejected claimant may correct the claim, the history
-- of every decision, and the indexes the member list's filters and sorts need on an action of
-- 1,000,000 members.

-- Why a claim was rejected (a code; the reviewer's free-text note stays in status_reason, which
-- erasure clears) and until when the claimant may correct it: a correction made before then
-- sends the claim back to review (status received).
ALTER TABLE claims
    ADD COLUMN review_reason text,
    ADD COLUMN correctable_until timestamptz,
    ADD CONSTRAINT claims_review_reason_known CHECK (review_reason IN
        ('not_affected', 'incomplete', 'duplicate', 'outside_period', 'other'));
-- No CHECK ties them to status = 'rejected': PATCH /v1/claims/{reference}/status (docs/api.md)
-- changes the status alone; readers look at both columns only while the status is rejected.

COMMENT ON COLUMN claims.review_reason IS
    'Code of the reason a claim was rejected (docs/workspace.md); NULL unless rejected';
COMMENT ON COLUMN claims.correctable_until IS
    'A rejected claim corrected by the claimant before this time returns to review';

-- Every decision on a member: verified, rejected, removed, or reopened by the claimant's
-- correction. batch_id is the object of the audit event that recorded the decision (one event
-- per request, however many members it decided on). No personal data: the note stays on the
-- claim, where erasure finds it.
CREATE TABLE claim_reviews (
    id bigint GENERATED ALWAYS AS IDENTITY,
    claim_id bigint NOT NULL,
    action_id uuid NOT NULL,
    decision text NOT NULL,
    reason text,
    batch_id uuid NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT claim_reviews_pkey PRIMARY KEY (id),
    CONSTRAINT claim_reviews_claim_fkey FOREIGN KEY (claim_id) REFERENCES claims (id),
    CONSTRAINT claim_reviews_action_fkey FOREIGN KEY (action_id) REFERENCES actions (id),
    CONSTRAINT claim_reviews_decision_known
        CHECK (decision IN ('verified', 'rejected', 'removed', 'reopened')),
    CONSTRAINT claim_reviews_reason_known CHECK (reason IN
        ('not_affected', 'incomplete', 'duplicate', 'outside_period', 'claimant_request',
         'other'))
);
CREATE INDEX claim_reviews_claim ON claim_reviews (claim_id, at);
CREATE INDEX claim_reviews_batch ON claim_reviews (batch_id);

COMMENT ON TABLE claim_reviews IS
    'History of the decisions on members (who, when, which, why as a code); audited per batch';

-- The member list (GET /v1/actions/{id}/members): keyset pages in reference order exist
-- (claims_members, 0006); these serve the mandate-date order and the status filter (the
-- common "to review" view) without scanning the action's other members.
CREATE INDEX claims_members_mandated ON claims (member_action_id, mandated_at, reference)
    WHERE member_action_id IS NOT NULL;
CREATE INDEX claims_members_status ON claims (member_action_id, status, reference)
    WHERE member_action_id IS NOT NULL;
CREATE INDEX claims_members_status_mandated
    ON claims (member_action_id, status, mandated_at, reference)
    WHERE member_action_id IS NOT NULL;

-- The claimant is told of a rejection (with its reason and the correction window) and of a
-- removal (with its reason), through the outbox of 0011, in the transaction of the decision;
-- the reason code travels in params (no personal data).
ALTER TABLE outbox
    DROP CONSTRAINT outbox_kind_known,
    ADD CONSTRAINT outbox_kind_known CHECK (kind IN
        ('claim-accepted', 'claim-corrected', 'claim-withdrawn', 'recovery', 'claim-rejected',
         'member-removed'));
