-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The member list's country filter (GET /v1/actions/{id}/members?country=…, docs/workspace.md)
-- as an index range instead of a walk of the action's members in reference order that keeps
-- those of the country: at 1,000,000 members a page of a country holding 1 in 24 of them read
-- about 2,400 rows (bench/RESULTS.md), one holding none read them all. In reference order (the
-- default sort) the page is now the next 101 entries of the country; the payment filter, two
-- values, is read from the index entry (INCLUDE) on that range, with no visit to the rows it
-- drops. Partial like the other member indexes: claims outside any action (the intake's
-- inserts) do not pay for it.
CREATE INDEX claims_members_country ON claims (member_action_id, country, reference)
    INCLUDE (payment_preference)
    WHERE member_action_id IS NOT NULL;
