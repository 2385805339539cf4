# SPDX-License-Identifier: AGPL-3.0-or-later
# compare.sh's checks in SQL (sourced, not run): each one that holds is said in VERIFIED (the
# report lists them); one that does not stops the run.
# shellcheck shell=bash

declare -a VERIFIED=()

# verify_memberships SLUG ACTION: every claim of SLUG carries the mandate of ACTION (web-form)
# and is a member of ACTION (claims.member_action_id, db-migrations/0006)
verify_memberships() {
    local bad

    bad="$(psql_ "${DB[mandates]}" "SELECT count(*) FILTER (WHERE c.member_action_id IS NULL),
               count(*) FILTER (WHERE c.mandate_action_id IS DISTINCT FROM '$2'::uuid
                                   OR c.mandate_channel IS DISTINCT FROM 'web-form'
                                   OR c.member_action_id IS DISTINCT FROM '$2'::uuid), count(*)
          FROM claims c JOIN incidents i ON i.id = c.incident_id
         WHERE i.slug = '$1'")"
    IFS='|' read -r nomember wrong total <<<"$bad"
    ((nomember == 0 && wrong == 0 && total > 0)) ||
        die "HEAD+mandates $1: $total claims, $nomember without membership, $wrong with another mandate"
    VERIFIED+=("$1: $total claims, all mandated (web-form) and members of the action")
}

# verify_tallies VARIANT: claim_tallies summed over shards = the GROUP BY of claims, per group
verify_tallies() {
    local d

    d="$(psql_ "${DB[$1]}" "WITH t AS (
            SELECT incident_id, status, payment_preference, country, categories,
                   documented_loss, hours_spent, sum(n) AS n
              FROM claim_tallies
             GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0),
          c AS (
            SELECT incident_id, status, payment_preference, country, categories,
                   documented_loss, hours_spent, count(*) AS n
              FROM claims GROUP BY 1, 2, 3, 4, 5, 6, 7)
        SELECT (SELECT count(*) FROM (TABLE t EXCEPT TABLE c) x) +
               (SELECT count(*) FROM (TABLE c EXCEPT TABLE t) y) || ' ' ||
               (SELECT count(*) FROM c) || ' ' || (SELECT count(*) FROM claims)")"
    read -r diff groups claims <<<"$d"
    ((diff == 0)) || die "${LABEL[$1]}: $diff tally groups differ from the GROUP BY of claims"
    VERIFIED+=("${LABEL[$1]} database: claim_tallies (summed over shards) = GROUP BY of claims: $groups groups, $claims claims, 0 differences")
}
