-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Issue 14, the controller's list at 33.7 M hashes (bench/RESULTS.md, "Issue 14: publishing
-- at 33.7 M"): the foreign key from eligibility_entries to eligibility_lists made every
-- entry of an import fire a check trigger (one lookup and a row lock on the list's row,
-- tens of millions of queued trigger events in the importer's backend). Entries are written
-- by the import only, in the transaction that creates their list row
-- (db_eligibility_publish), and deleted by it (db_eligibility_drop_entries); list rows are
-- history and never deleted, so the cascade never ran. The check constraints stay.

ALTER TABLE eligibility_entries DROP CONSTRAINT eligibility_entries_list_fkey;

-- The matching is written out in db/eligibility.c's statements (MATCH_OF): an SQL function
-- with sub-selects is never inlined, and its per-row call was a third of the recompute.
DROP FUNCTION eligibility_match(bigint, bytea, bytea, bytea);
