-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A claim is in at most one action, so its membership is two columns of the claim instead of
-- a row of its own (0003's `memberships`, with five indexes and two foreign keys per row).
-- Measured (bench/RESULTS.md, "Intake with aggregates and memberships"): a mandated claim
-- written with its membership row cost PostgreSQL about 1.6 times a plain claim; with the
-- columns, about 1.25 times.
--
-- "A person (same dedup identity) is in at most one action per incident" stays a database
-- rule, now made of constraints that already exist plus one CHECK:
--   - claims_active_{email,phone,identity}_key: a person has at most one non-withdrawn claim
--     per incident (any shared key makes two claims the same person);
--   - claims_member_live: a withdrawn claim is in no action;
--   - one column: a claim is in at most one action;
--   - claims_member_action_fkey: the action is one of the claim's incident, opened by the
--     association the claimant mandated.

-- The composite key the membership's foreign key points at (actions is small).
ALTER TABLE actions
    ADD CONSTRAINT actions_id_association_incident_key UNIQUE (id, association_id, incident_id);

ALTER TABLE claims
    ADD COLUMN member_action_id uuid,
    ADD COLUMN member_added_at timestamptz;

-- Only memberships that obey the rules move: a withdrawn or unmandated claim was never meant
-- to stay in an action (API.md §6, §8), and rows like that could be left by a race that an
-- earlier build lost (an addition racing a withdrawal or a revocation).
UPDATE claims c
   SET member_action_id = m.action_id, member_added_at = m.added_at
  FROM memberships m JOIN actions x ON x.id = m.action_id
 WHERE m.claim_id = c.id
   AND c.status <> 'withdrawn'
   AND c.mandate_association_id = x.association_id
   AND c.incident_id = x.incident_id;

ALTER TABLE claims
    ADD CONSTRAINT claims_member_action_fkey
        FOREIGN KEY (member_action_id, mandate_association_id, incident_id)
        REFERENCES actions (id, association_id, incident_id),
    ADD CONSTRAINT claims_member_mandated
        CHECK (member_action_id IS NULL OR mandate_association_id IS NOT NULL),
    ADD CONSTRAINT claims_member_added
        CHECK ((member_action_id IS NULL) = (member_added_at IS NULL)),
    ADD CONSTRAINT claims_member_live
        CHECK (member_action_id IS NULL OR status <> 'withdrawn');

-- Members of an action in reference order (GET …/members, its cursor, counts, summaries).
CREATE INDEX claims_members ON claims (member_action_id, reference)
    WHERE member_action_id IS NOT NULL;

COMMENT ON COLUMN claims.member_action_id IS
    'The representative action this claim is a member of; NULL: in none';
COMMENT ON COLUMN claims.member_added_at IS
    'When the claim joined that action (with the form, by the association, or by PATCH)';

DROP TABLE memberships;
