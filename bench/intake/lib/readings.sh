# SPDX-License-Identifier: AGPL-3.0-or-later
# What the intake benches (run.sh, compare.sh) read and send alike (sourced, not run): the
# incident they create, wrk's RESULT line (claim.lua) and pgbench's output (insert.sql).
# die comes from bench/lib/common.sh.
# shellcheck shell=bash

# incident_json SLUG: the body of POST /v1/incidents for the incident claims are sent to
incident_json() {
    cat <<EOF_JSON
{"slug": "$1", "controller": "Bench SA", "title": "Intake benchmark",
 "disclosed_on": "2025-06-01", "affected_count": 10000000,
 "data_categories": ["name", "email", "phone", "postal_address", "birth_date", "password"],
 "currency": "EUR"}
EOF_JSON
}

# field NAME FILE: the value of NAME=... on the RESULT line claim.lua leaves in wrk's output
field() { sed -n "s/^RESULT .*\\b$1=\\([0-9]*\\).*/\\1/p" "$2"; }

# percentile P FILE: the P-th percentile (nearest rank) of the sorted numbers in FILE
percentile() {
    awk -v p="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { print 0; exit }
        i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
        print v[i] }' "$2"
}

# pgbench_read PREFIX NAME: from pgbench's output PREFIX.out, sets PGB_DONE (transactions)
# and PGB_TPS; dies when it cannot read them or when a transaction failed. Then its
# per-transaction logs PREFIX.<pid> (client, transaction, latency µs, script, epoch s, µs)
# become PREFIX.latency, their latencies sorted, and are removed.
pgbench_read() {
    local prefix="$1" failed

    PGB_DONE="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$prefix.out")"
    failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$prefix.out")"
    PGB_TPS="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$prefix.out")"
    [[ -n "$PGB_DONE" && -n "$PGB_TPS" ]] || die "cannot read pgbench's output $prefix.out"
    [[ "${failed:-0}" == 0 ]] || die "$2: $failed failed transactions"
    cat "$prefix".[0-9]* | awk '{ print $3 }' | sort -n >"$prefix.latency"
    rm -f "$prefix".[0-9]*
}
