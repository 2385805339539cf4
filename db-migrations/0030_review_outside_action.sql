-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A claim's review history is the claim's, whether or not it is a member of an action when it
-- is decided. A review through PATCH /v1/claims/{reference}/status of a claim outside any
-- action (the operator's, or its association's after a removal: the mandate stays) wrote no
-- claim_reviews row, action_id being required; added to the action again, the member's
-- history missed that decision. A decision or a reopening may now be outside any action
-- (action_id null); a removal always names the action it left.
ALTER TABLE claim_reviews
    ALTER COLUMN action_id DROP NOT NULL,
    ADD CONSTRAINT claim_reviews_removal_in_action
        CHECK (action_id IS NOT NULL OR decision <> 'removed');

COMMENT ON COLUMN claim_reviews.action_id IS
    'the action the claim was a member of when decided; null for a review or reopening outside any action (never for a removal)';
