# SPDX-License-Identifier: AGPL-3.0-or-later
# One measurement of an API variant by compare.sh (sourced, not run): its server started, a
# warm-up, the quiet wait, a CHECKPOINT, wrk, and around it the CPU of the server, of its
# database's backends and of the machine, the WAL written, the server's /metrics and (with
# STATEMENTS=1) pg_stat_statements; checked (rows >= answers) and recorded in $TMP/results.
# shellcheck shell=bash

# run_wrk SECONDS OUT LUA ARGS...: dies on any non-201 answer; wrk's CPU time in OUT.time
run_wrk() {
    local secs="$1" out="$2" lua="$3" rc=0
    local TIMEFORMAT='%U %S'
    shift 3

    { time CLAIM_RATE="${CLAIM_RATE:-}" CLAIM_THREADS="$THREADS" wrk -t"$THREADS" \
        -c"$CONNECTIONS" -d"${secs}s" --timeout "$WRK_TIMEOUT" --latency -s "$HERE/$lua" \
        "https://127.0.0.1:$PORT" -- "$@" >"$out" 2>&1 || rc=$?; } 2>"$out.time"
    if ((rc != 0)); then
        cat "$out" >&2
        tail -n 5 "$TMP"/recours-*.log >&2 || true
        die "wrk failed (see above): every claim must be answered 201"
    fi
    grep -q '^RESULT ' "$out" || die "no RESULT line in $out"
}

claims_of() {
    psql_ "$1" "SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id
                WHERE i.slug = '$2'"
}

# record NAME ROUND CLAIMS_S P50_US P99_US CLAIMS SERVER_S PG_S GEN_S BUSY_S WAIT_BUSY% LOAD
# [LATE [WAL]]: name round claims/s p50_ms p99_ms claims server_us/claim pg_us/claim others_s
# quiet% load1 late client_us/claim wal_bytes/claim (LOAD: the 1-minute load average at the
# measurement's start; LATE: the paced sends that left late, "-" for a closed loop; GEN_S: the
# CPU of the load generator, wrk or pgbench; WAL: the bytes of WAL written during the run)
record() {
    awk -v n="$1" -v r="$2" -v t="$3" -v a="$4" -v b="$5" -v c="$6" -v s="$7" -v p="$8" \
        -v g="$9" -v busy="${10}" -v q="${11}" -v l="${12}" -v late="${13:--}" \
        -v w="${14:--}" 'BEGIN {
            o = busy - s - p - g; if (o < 0) o = 0
            printf "%s %s %.0f %.2f %.2f %d %.0f %s %.1f %d %s %s %.0f %s\n", n, r, t, a / 1000,
                b / 1000, c, s * 1e6 / c, (p == "-" ? "-" : sprintf("%.0f", p * 1e6 / c)), o, q,
                l, late, g * 1e6 / c, (w == "-" ? "-" : sprintf("%.0f", w / c)) }' \
        >>"$TMP/results"
    info "round $2 ${LABEL[$1]}: claims/s p50 p99 claims server-us pg-us others-s quiet% load late client-us wal-bytes:" \
        "$(tail -n 1 "$TMP/results" | cut -d' ' -f3-)"
}

# wal_lsn: the cluster's current WAL position (every database's writes: ours only, measuring)
wal_lsn() { psql_ "$URL_DB" "SELECT pg_current_wal_lsn()"; }
wal_bytes() { psql_ "$URL_DB" "SELECT pg_wal_lsn_diff('$2', '$1')::bigint"; }

# statements_reset DB / statements_save DB OUT CLAIMS: with STATEMENTS=1, the statements of
# DB during a measured run (pg_stat_statements, top and nested): per statement calls, µs of
# execution and WAL bytes per claim, first 110 characters of its text
statements_reset() {
    [[ "$STATEMENTS" == 1 ]] || return 0
    psql_ "$1" "SELECT pg_stat_statements_reset()" >/dev/null
    table_scans "$1" >"$TMP/scans0"
}
# table_scans DB: per table, sequential scans, rows they read, index scans (cumulative)
table_scans() {
    psql_ "$1" "SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) FROM pg_stat_user_tables"
}
statements_save() {
    [[ "$STATEMENTS" == 1 ]] || return 0
    psql_ "$1" "SELECT calls, round(total_exec_time::numeric * 1000 / $3, 1), round(wal_bytes / $3, 0),
                       toplevel, regexp_replace(replace(left(query, 110), '|', '¦'), '\s+', ' ', 'g')
                  FROM pg_stat_statements
                 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                 ORDER BY total_exec_time DESC LIMIT 30" >"$2"
    # the statistics collector reports a backend's counts when it goes idle: a moment
    sleep 1
    table_scans "$1" >"$TMP/scans1"
    awk -F'|' -v c="$3" 'FILENAME == ARGV[1] { s[$1] = $2; r[$1] = $3; i[$1] = $4; next }
        ($3 - r[$1]) > 0 { printf "%s|%d|%.1f|%d\n", $1, $2 - s[$1], ($3 - r[$1]) / c, $4 - i[$1] }' \
        "$TMP/scans0" "$TMP/scans1" | sort -t'|' -k3 -gr >"$2.scans"
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# scrape_metrics OUT: the server's /metrics (empty when it has none)
scrape_metrics() {
    curl -sk --max-time 5 "https://127.0.0.1:$PORT/metrics" >"$1" 2>/dev/null || : >"$1"
}

# measure_api VARIANT ROUND [perf]: VARIANT is baseline, head, mandates, or one of them with
# -paced (on its database, at PACED_RATE)
measure_api() {
    local v="$1" round="$2" b=head lua=claim.lua slug out created rows busy0 busy1 srv0
    local pg0="$TMP/pg0" pg1="$TMP/pg1" quiet load v0="${1%-paced}" rate="" wal0 wal1
    local -a extra=() extra_warm=()

    if [[ "$v" == *-paced ]]; then
        rate="$PACED_RATE"
        # the closed-loop rate of the first variant in this round
        [[ "$rate" == auto ]] && rate="$(awk -v n="${VARIANTS[0]}" -v r="$round" \
            '$1 == n && $2 == r { x = $3 } END { printf "%d", x }' "$TMP/results")"
        ((rate > 0)) || die "no closed-loop rate of ${VARIANTS[0]} in round $round to pace at"
    fi
    [[ "$v0" == baseline ]] && b=baseline
    use_pg_settings "$(pg_settings_of "$v")"
    slug="cmp-r$round-$v-$$"
    [[ "${3:-}" == perf ]] && slug="cmp-perf-$v-$$"
    start_server "$v0" "$b"
    create_incident "$b" "$slug-warmup"
    create_incident "$b" "$slug"
    if [[ "$v0" == mandates ]]; then
        [[ -n "$ASSOC_ID" ]] || make_association
        lua=claim_mandated.lua
        open_action "$slug-warmup"
        extra_warm=("$ACTION_ID" "$ACTION_VERSION")
        open_action "$slug"
        extra=("$ACTION_ID" "$ACTION_VERSION")
    fi
    run_wrk "$WARMUP" "$TMP/wrk-r$round-$v-warmup.txt" "$lua" "$slug-warmup" "w$round$v" \
        "${extra_warm[@]}"
    wait_quiet
    quiet=$BUSY_AT_START
    checkpoint "${DB[$v0]}"
    out="$TMP/wrk-r$round-$v.txt"
    [[ "${3:-}" == perf ]] && out="$TMP/wrk-perf-$v.txt"
    statements_reset "${DB[$v0]}"
    wal0="$(wal_lsn)"
    backends_ticks "${DB[$v0]}" >"$pg0"
    scrape_metrics "$TMP/metrics-$v-r$round.0"
    load="$(load1)"
    ticks_of "$SERVER_PID"
    srv0=$TICKS
    busy0="$(machine_busy)"
    if [[ "${3:-}" == perf ]]; then
        perf record -a -g -F 999 -o "$TMP/perf-$v.data" -- sleep "$((DURATION - 2))" \
            >"$TMP/perf-record-$v.log" 2>&1 &
        PERF_PID=$!
    fi
    CLAIM_RATE="$rate" run_wrk "$DURATION" "$out" "$lua" "$slug" "r$round$v" "${extra[@]}"
    if [[ -n "$PERF_PID" ]]; then
        wait "$PERF_PID" || warn "perf record failed: $(tail -n 3 "$TMP/perf-record-$v.log")"
        PERF_PID=""
        # this server and its database's backends, for their top functions (perf_summary)
        { echo "$SERVER_PID"; pgrep -f "^postgres: [^ ]+ ${DB[$v0]} " || true; } |
            paste -sd, >"$TMP/perf-$v.pids"
    fi
    busy1="$(machine_busy)"
    ticks_of "$SERVER_PID"
    wal1="$(wal_lsn)"
    local srv_s pg_s gen_s busy_s
    srv_s="$(awk -v d=$((TICKS - srv0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
    backends_ticks "${DB[$v0]}" >"$pg1"
    scrape_metrics "$TMP/metrics-$v-r$round.1"
    pg_s="$(awk -v hz="$CLK_TCK" 'FILENAME == ARGV[1] { base[$1] = $2; next }
        { s += $2 - ($1 in base ? base[$1] : 0) } END { printf "%.2f", s / hz }' "$pg0" "$pg1")"
    gen_s="$(awk '{ printf "%.2f", $1 + $2 }' "$out.time")"
    busy_s="$(awk -v a="$busy0" -v b="$busy1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')"
    stop_server
    created="$(field created "$out")"
    rows="$(claims_of "${DB[$v0]}" "$slug")"
    ((rows >= created)) || die "${LABEL[$v]}: $created claims answered 201 but only $rows rows"
    [[ "$v0" == mandates ]] && verify_memberships "$slug" "$ACTION_ID"
    [[ "${3:-}" == perf ]] && return 0
    statements_save "${DB[$v0]}" "$TMP/statements-$v-r$round" "$created"
    record "$v" "$round" \
        "$(awk -v c="$created" -v d="$(field duration_us "$out")" 'BEGIN { print c * 1e6 / d }')" \
        "$(field p50_us "$out")" "$(field p99_us "$out")" "$created" "$srv_s" "$pg_s" "$gen_s" \
        "$busy_s" "$quiet" "$load" "$([[ -n "$rate" ]] && echo "$(field late "$out")/$rate" || echo -)" \
        "$(wal_bytes "$wal0" "$wal1")"
}
