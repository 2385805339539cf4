-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The risk counts' one plan (issue 15, docs/decisions.md "Risk counts: one plan whatever the
-- statistics"): claim_risk_network_age is for the periodic passes only, never the counts.
--
-- The network count of each claim taken in (db/risk.c) walks claim_risk_network (incident,
-- network, time) from an hour before the claim and stops after the threshold + 1 entries.
-- claim_risk_network_age (time only) matched its condition too, and with statistics in which
-- the incident and the network look shared by every claim (a young table, the statistics of
-- one flood) the planner took it: it then read every claim of the last hour, of every
-- incident and network, for every claim (1.4-1.5 ms per claim instead of 40 us in the intake
-- bench). Its predicate now names net_kind, which the counts do not: PostgreSQL uses a
-- partial index only for a query whose conditions imply its predicate, so the counts cannot
-- take it whatever the statistics; the passes say `net_kind IS NOT NULL AND net_mac IS NOT
-- NULL` and keep it. The index holds the same rows as before: a network is hashed only with
-- its kind (the intake writes both or neither, the retention erases the hash and keeps the
-- kind), which the new constraint makes a rule.

ALTER TABLE claim_risk ADD CONSTRAINT claim_risk_net_mac_kind
    CHECK (net_mac IS NULL OR net_kind IS NOT NULL);

DROP INDEX claim_risk_network_age;
-- the periodic job's recent claims and the retention's erasure, never the counts (above)
CREATE INDEX claim_risk_network_age ON claim_risk (created_at)
    WHERE net_kind IS NOT NULL AND net_mac IS NOT NULL;
