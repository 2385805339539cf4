-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Every claim mandated through a form references the same action and association rows. The
-- foreign-key checks of those references lock the shared parent rows (KEY SHARE) from every
-- concurrent intake writer, and PostgreSQL then builds multixacts on them: measured, the
-- intake with mandates ran at 0.68 of the plain intake (bench/RESULTS.md). Actions and
-- associations are never deleted, and the action is checked (open, same incident, approved
-- association) before a mandate is queued or recorded, so these three keys are kept by the
-- application; memberships keep their key to claims.

ALTER TABLE claims
    DROP CONSTRAINT claims_mandate_action_fkey,
    DROP CONSTRAINT claims_mandate_association_fkey;

ALTER TABLE memberships
    DROP CONSTRAINT memberships_action_fkey;

COMMENT ON COLUMN claims.mandate_action_id IS
    'The action the claimant mandated (web form or later PATCH); NULL: no mandate. Checked by the application, no foreign key (0006: hot parent row)';
COMMENT ON COLUMN memberships.action_id IS
    'The action; checked by the application, no foreign key (0006: hot parent row)';
