# SPDX-License-Identifier: AGPL-3.0-or-later
# One pgbench measurement by compare.sh (sourced, not run): insert.sql, one claim and its
# tally per transaction, on the pgbench database, beside the API variants. Needs readings.sh.
# shellcheck shell=bash

PGB_INCIDENT=""
# run_pgbench SECONDS PREFIX CLIENTS
run_pgbench() {
    local secs="$1" prefix="$2" clients="$3" rc=0
    local TIMEFORMAT='%U %S'

    { time PGOPTIONS="-c synchronous_commit=on" "$PG_BIN/pgbench" -n -M prepared \
        -c "$clients" -j "$PGBENCH_JOBS" -T "$secs" -f "$HERE/insert.sql" \
        -D incident="$PGB_INCIDENT" -D piilen="$PII_LEN" \
        -D piiblocks=$(((PII_LEN + 15) / 16)) -l --log-prefix="$prefix" \
        "$(url_for "${DB[pgbench]}")" >"$prefix.out" 2>&1 || rc=$?; } 2>"$prefix.time"
    if ((rc != 0)); then
        cat "$prefix.out" >&2
        die "pgbench failed"
    fi
}

# measure_pgbench ROUND CLIENTS: into one incident of the pgbench database (made once, as
# run.sh puts every round's rows in one table); recorded as "pgbench" for the first client
# count of PGBENCH_CLIENTS, "pgbench-cN" for the others
measure_pgbench() {
    local round="$1" clients="$2" name=pgbench
    local prefix rows0 rows busy0 busy1 quiet load wal0 wal1

    [[ "$clients" == "${PGB_CLIENTS[0]}" ]] || name="pgbench-c$clients"
    prefix="$TMP/$name-r$round"
    use_pg_settings "$(pg_settings_of pgbench)"

    if [[ -z "$PGB_INCIDENT" ]]; then
        start_server pgbench head
        create_incident head "cmp-pgbench-$$"
        stop_server
        PGB_INCIDENT="$(psql_ "${DB[pgbench]}" "SELECT id FROM incidents WHERE slug = 'cmp-pgbench-$$'")"
        psql_ "${DB[pgbench]}" "CREATE SEQUENCE IF NOT EXISTS bench_intake_reference" >/dev/null
    fi
    run_pgbench "$WARMUP" "$prefix-warmup" "$clients"
    rm -f "$prefix-warmup".[0-9]*
    rows0="$(claims_of "${DB[pgbench]}" "cmp-pgbench-$$")"
    wait_quiet
    quiet=$BUSY_AT_START
    checkpoint "${DB[pgbench]}"
    load="$(load1)"
    wal0="$(wal_lsn)"
    busy0="$(machine_busy)"
    run_pgbench "$DURATION" "$prefix" "$clients"
    busy1="$(machine_busy)"
    wal1="$(wal_lsn)"
    pgbench_read "$prefix" pgbench
    rows=$(($(claims_of "${DB[pgbench]}" "cmp-pgbench-$$") - rows0))
    ((rows == PGB_DONE)) || die "pgbench: $PGB_DONE transactions but $rows rows"
    # pgbench's backends exit with it: their CPU is in the others' column ("-" here)
    record "$name" "$round" "$PGB_TPS" "$(percentile 50 "$prefix.latency")" \
        "$(percentile 99 "$prefix.latency")" "$PGB_DONE" 0 - \
        "$(awk '{ printf "%.2f", $1 + $2 }' "$prefix.time")" \
        "$(awk -v a="$busy0" -v b="$busy1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')" \
        "$quiet" "$load" - "$(wal_bytes "$wal0" "$wal1")"
}
