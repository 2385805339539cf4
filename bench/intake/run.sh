#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/intake/run.sh: claims/s of POST /v1/incidents/{slug}/claims over HTTPS keep-alive
# (wrk, one unique claim per request, claim.lua) beside pgbench doing the equivalent
# single-claim INSERTs (insert.sql) in the same table of the same database, one after the
# other, with synchronous_commit=on (the claims issue, "Intake speed").
#
#   bench/intake/run.sh                    build/recours (built if needed), private cluster
#   DATABASE_URL=postgresql://... bench/intake/run.sh
#
# Settings (environment): DURATION (15, s per measurement), WARMUP (3, s, discarded),
# ROUNDS (1), THREADS (2), CONNECTIONS (64), WRITERS ("1 2 4": the --intake-writers values
# measured), PGBENCH_CLIENTS (64), PGBENCH_JOBS (2), LIGHT (8: one more API run with the
# default writer count and one more pgbench run, with that many connections, to see the
# latency below saturation; 0: none), PROFILE (auto: one more API run under
# `perf record -a -g` when the default falls short of the target; 1 always; 0 never),
# RESULTS (1: write the Markdown block into bench/RESULTS.md; 0: stdout only),
# PROFILE_SERVER (0; 1: one more API run with the server alone under `perf record -p PID
# --call-graph dwarf`, reported as inclusive shares per function: where its CPU per claim goes
# by caller, e.g. the handler's parse, sealing and hashing; needs the RelWithDebInfo build),
# BENCH_KEEP=1 keeps the temporary directory (logs, wrk and pgbench outputs, perf data; it
# holds throw-away secrets), RECOURS_BIN (a binary to use instead of build/recours).
#
# What it does: makes a fresh database bench_intake_<UTC time> (dropped at the end) and
# migrates it, so the dev database is not polluted and every run starts from empty indexes;
# throw-away secrets and certificate in a temporary directory; then, per round, for each
# writer count: starts `recours serve --intake-writers W` on a free port, creates an incident
# through the API (operator key of the temporary secrets), runs wrk WARMUP s (discarded) then
# DURATION s, stops the server. Then pgbench, WARMUP s (discarded) then DURATION s, into the
# same table, after the API runs (never at the same time), pii of the average size the API
# stored. The per-IP rate limit on public POSTs (docs/api.md §6: burst 120, 2/s) would stop wrk
# after 120 claims: the server is started with --rate-limit-burst and --rate-limit-per-s at
# 1000000. Every API answer must be 201 and every pgbench transaction must insert its row;
# anything else stops the run.
# Progress goes to stderr; the Markdown block goes to stdout (and into bench/RESULTS.md,
# section "Intake: claims/s vs pgbench (claims issue)", between its two marker comments, so
# the hand-written analysis below them stays).
set -euo pipefail

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
ROUNDS="${ROUNDS:-1}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WRITERS="${WRITERS:-1 2 4}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-64}"
PGBENCH_JOBS="${PGBENCH_JOBS:-2}"
LIGHT="${LIGHT:-8}"
PROFILE="${PROFILE:-auto}"
RESULTS="${RESULTS:-1}"
BENCH_KEEP="${BENCH_KEEP:-0}"

# the claims issue's target: API >= 0.7 x pgbench claims/s, p99 < 20 ms
TARGET_RATIO=0.7
TARGET_P99_MS=20

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
HERE="$ROOT/bench/intake"
PG_BIN=/usr/lib/postgresql/15/bin
SECTION="## Intake: claims/s vs pgbench (claims issue)"
MARK_BEGIN="<!-- bench/intake/run.sh: generated block, replaced on every run -->"
MARK_END="<!-- bench/intake/run.sh: end of generated block -->"

# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$ROOT/bench/lib/common.sh"  # info, warn, die, ensure_packages, ensure_binary
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"      # DATABASE_URL, psql_, checkpoint, drop_bench_database
# shellcheck source=SCRIPTDIR/../lib/server.sh
. "$ROOT/bench/lib/server.sh"  # next_free_port, server_ready, stop_server
# shellcheck source=SCRIPTDIR/../lib/cpu.sh
. "$ROOT/bench/lib/cpu.sh"     # ticks_of, backends_ticks
# shellcheck source=SCRIPTDIR/../lib/results.sh
. "$ROOT/bench/lib/results.sh" # write_results
# shellcheck source=SCRIPTDIR/lib/readings.sh
. "$HERE/lib/readings.sh"      # incident_json, field, percentile, pgbench_read

for v in DURATION WARMUP ROUNDS THREADS CONNECTIONS PGBENCH_CLIENTS PGBENCH_JOBS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ "$LIGHT" =~ ^[0-9]+$ ]] || die "LIGHT must be a number of connections, 0 for none"
((LIGHT == 0 || LIGHT >= THREADS)) || die "LIGHT must be at least THREADS ($THREADS)"
read -r -a WRITER_LIST <<<"$WRITERS"
((${#WRITER_LIST[@]} > 0)) || die "WRITERS is empty"
for w in "${WRITER_LIST[@]}"; do
    [[ "$w" =~ ^([1-9]|1[0-6])$ ]] || die "WRITERS: '$w' is not in 1-16"
done
[[ "$PROFILE" =~ ^(auto|0|1)$ ]] || die "PROFILE must be auto, 0 or 1"
[[ "$RESULTS" =~ ^[01]$ ]] || die "RESULTS must be 0 or 1"

# --- the benchmark database ------------------------------------------------------------------

BENCH_DB=""
BENCH_DB_MADE=0

make_bench_db() {
    BENCH_DB="bench_intake_$(date -u +%Y%m%d_%H%M%S)_$$"
    if psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" 2>"$TMP/createdb.err"; then
        BENCH_DB_MADE=1
        info "database: $BENCH_DB (fresh, dropped at the end)"
    else
        warn "could not create a database ($(tr '\n' ' ' <"$TMP/createdb.err")): measuring in" \
            "$URL_DB itself, whose existing claims make the indexes bigger"
        BENCH_DB="$URL_DB"
    fi
    DATABASE_URL="$(url_for "$BENCH_DB" with-password)"
    export DATABASE_URL
    "$RECOURS_BIN" migrate --migrations-dir "$TMP/db-migrations" >"$TMP/migrate.log" 2>&1 ||
        die "recours migrate failed: $(tail -n 5 "$TMP/migrate.log")"
    psql_ "$BENCH_DB" "CREATE SEQUENCE IF NOT EXISTS bench_intake_reference" >/dev/null
}

drop_bench_db() {
    if ((BENCH_DB_MADE)); then
        drop_bench_database "$BENCH_DB"
    elif [[ -n "$BENCH_DB" ]]; then
        psql_ "$BENCH_DB" "DROP SEQUENCE IF EXISTS bench_intake_reference" >/dev/null 2>&1 || true
    fi
}

# --- the server -------------------------------------------------------------------------------

TMP=""
SERVER_PID=""
PERF_PID=""

cleanup() {
    set +e
    [[ -n "$PERF_PID" ]] && kill -INT "$PERF_PID" 2>/dev/null && wait "$PERF_PID" 2>/dev/null
    [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
    [[ -z "$SERVER_PID" ]] || stop_server
    [[ -n "$TMP" ]] && drop_bench_db
    remove_tmp_dir "$TMP" "$BENCH_KEEP"
}
on_exit_cleanup

# start_server WRITERS: recours serve on a free port, stderr to $TMP/recours-wW.log
start_server() {
    local writers="$1" log="$TMP/recours-w$1.log"

    next_free_port
    (cd "$ROOT" && exec "$RECOURS_BIN" serve --port "$PORT" --intake-writers "$writers" \
        --secrets-dir "$TMP/secrets" --tls-cert "$TMP/tls/cert.pem" \
        --tls-key "$TMP/tls/key.pem" --migrations-dir "$TMP/db-migrations" \
        --mail-dir "$TMP/mail" \
        --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 \
        >>"$log" 2>&1) &
    SERVER_PID=$!
    if server_ready 150 -k; then
        info "recours --intake-writers $writers: pid $SERVER_PID, port $PORT"
        return 0
    fi
    tail -n 20 "$log" >&2
    die "recours did not become ready on port $PORT"
}

# create_incident SLUG: through the API, with the operator key (read by curl from a file,
# never on a command line)
create_incident() {
    local slug="$1" code

    code="$(curl -sk -o "$TMP/incident.json" -w '%{http_code}' -H @"$TMP/auth-header" \
        -H 'Content-Type: application/json' --data-binary @- \
        "https://127.0.0.1:$PORT/v1/incidents" <<<"$(incident_json "$slug")")"
    [[ "$code" == 201 ]] || die "creating incident $slug: HTTP $code $(cat "$TMP/incident.json")"
}

incident_id() { psql_ "$BENCH_DB" "SELECT id FROM incidents WHERE slug = '$1'"; }

claims_of() {
    psql_ "$BENCH_DB" "SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id
                       WHERE i.slug = '$1'"
}

# --- measuring ----------------------------------------------------------------------------------

# backends_sample OUT: appends "pid ticks" of every PostgreSQL backend of the bench database
# (its process title names the database; only this run connects to it)
backends_sample() { backends_ticks "$BENCH_DB" >>"$1"; }

# Samples the backends every 0.25 s until killed: pgbench's backends exit with it, so their
# last ticks must be caught while they run (up to 0.25 s of their time is missed).
backends_sampler() {
    while :; do
        backends_sample "$1"
        sleep 0.25
    done
}

# backends_cpu_s BASE SAMPLES: CPU seconds the backends used between the BASE snapshot and
# the last of SAMPLES (a backend absent from BASE counts from its start)
backends_cpu_s() {
    awk -v hz="$CLK_TCK" 'FILENAME == ARGV[1] { base[$1] = $2; next }
        { if ($2 > last[$1]) last[$1] = $2 }
        END { for (p in last) s += last[p] - (p in base ? base[p] : 0); printf "%.2f", s / hz }' \
        "$1" "$2"
}

# machine_busy_s: busy CPU seconds of the whole machine since boot (all CPUs, /proc/stat)
machine_busy_s() {
    awk -v hz="$CLK_TCK" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz; exit }' \
        /proc/stat
}

SAMPLER_PID=""
# start_accounting NAME: snapshots before a measured run
start_accounting() {
    ACC="$TMP/cpu-$1"
    : >"$ACC.base"
    : >"$ACC.samples"
    backends_sample "$ACC.base"
    backends_sampler "$ACC.samples" &
    SAMPLER_PID=$!
    ACC_BUSY0="$(machine_busy_s)"
    ACC_SERVER0=0
    if [[ -n "$SERVER_PID" ]]; then
        ticks_of "$SERVER_PID"
        ACC_SERVER0=$TICKS
    fi
}

# stop_accounting GENERATOR_TIME_FILE: sets ACC_SERVER_S, ACC_PG_S, ACC_GEN_S, ACC_OTHERS_S
# (CPU seconds of the server, the database's backends, the load generator, everything else)
stop_accounting() {
    backends_sample "$ACC.samples"
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    ACC_SERVER_S=0
    if [[ -n "$SERVER_PID" ]]; then
        ticks_of "$SERVER_PID"
        ACC_SERVER_S="$(awk -v d=$((TICKS - ACC_SERVER0)) -v hz="$CLK_TCK" \
            'BEGIN { printf "%.2f", d / hz }')"
    fi
    ACC_PG_S="$(backends_cpu_s "$ACC.base" "$ACC.samples")"
    ACC_GEN_S="$(awk '{ printf "%.2f", $1 + $2 }' "$1")"
    ACC_OTHERS_S="$(awk -v a="$ACC_BUSY0" -v b="$(machine_busy_s)" -v s="$ACC_SERVER_S" \
        -v p="$ACC_PG_S" -v g="$ACC_GEN_S" \
        'BEGIN { o = b - a - s - p - g; printf "%.2f", (o > 0 ? o : 0) }')"
}

# record NAME ROUND CLAIMS_S P50_US P99_US CLAIMS: one line of $TMP/results:
# name round claims/s p50_ms p99_ms claims server_us pg_us generator_us others_s
# (the *_us: CPU microseconds per claim; others_s: CPU seconds used by anything else)
record() {
    awk -v n="$1" -v r="$2" -v t="$3" -v a="$4" -v b="$5" -v c="$6" -v s="$ACC_SERVER_S" \
        -v p="$ACC_PG_S" -v g="$ACC_GEN_S" -v o="$ACC_OTHERS_S" 'BEGIN {
            printf "%s %s %.0f %.2f %.2f %d %.0f %.0f %.0f %.1f\n", n, r, t, a / 1000,
                b / 1000, c, s * 1e6 / c, p * 1e6 / c, g * 1e6 / c, o }' >>"$TMP/results"
    info "round $2 $1: claims/s, p50 ms, p99 ms, claims, CPU us/claim server, backends," \
        "generator, others' CPU s: $(tail -n 1 "$TMP/results" | cut -d' ' -f3-)"
}

# run_wrk SECONDS SLUG TAG OUT [CONNECTIONS]: one wrk run of claim.lua (its CPU time in
# OUT.time); dies on any non-201 answer
run_wrk() {
    local secs="$1" slug="$2" tag="$3" out="$4" conns="${5:-$CONNECTIONS}" rc=0
    local TIMEFORMAT='%U %S'

    { time wrk -t"$THREADS" -c"$conns" -d"${secs}s" --latency -s "$HERE/claim.lua" \
        "https://127.0.0.1:$PORT" -- "$slug" "$tag" >"$out" 2>&1 || rc=$?; } 2>"$out.time"
    if ((rc != 0)); then
        cat "$out" >&2
        tail -n 5 "$TMP/recours-w"*.log >&2 || true
        die "wrk failed (see above): every claim must be answered 201"
    fi
    grep -q '^RESULT ' "$out" || die "no RESULT line in $out"
}

# measure_api ROUND WRITERS [CONNECTIONS NAME]
measure_api() {
    local round="$1" writers="$2" conns="${3:-$CONNECTIONS}" name="${4:-api-w$2}"
    local slug out created rows

    slug="bench-r$round-$name-$$"
    start_server "$writers"
    # the warm-up on an incident of its own: claim.lua's phones and identities repeat from
    # one wrk run to the next, and would be refused as duplicates on one incident
    create_incident "$slug-warmup"
    create_incident "$slug"
    run_wrk "$WARMUP" "$slug-warmup" "warm$round$name" "$TMP/wrk-r$round-$name-warmup.txt" \
        "$conns"
    checkpoint "$BENCH_DB"
    out="$TMP/wrk-r$round-$name.txt"
    start_accounting "r$round-$name"
    run_wrk "$DURATION" "$slug" "run$round$name" "$out" "$conns"
    stop_accounting "$out.time"
    stop_server
    created="$(field created "$out")"
    rows="$(claims_of "$slug")"
    # wrk stops with requests in flight: they may commit unanswered, so rows >= answers
    ((rows >= created)) || die "$name: $created claims answered 201 but only $rows rows"
    record "$name" "$round" \
        "$(awk -v c="$created" -v d="$(field duration_us "$out")" 'BEGIN { print c * 1e6 / d }')" \
        "$(field p50_us "$out")" "$(field p99_us "$out")" "$created"
}

# run_pgbench SECONDS PREFIX INCIDENT_ID [CLIENTS]: per-transaction logs PREFIX.*, output
# PREFIX.out, CPU time PREFIX.time
run_pgbench() {
    local secs="$1" prefix="$2" incident="$3" clients="${4:-$PGBENCH_CLIENTS}" rc=0
    local TIMEFORMAT='%U %S' jobs="$PGBENCH_JOBS"

    ((jobs <= clients)) || jobs="$clients"
    { time PGOPTIONS="-c synchronous_commit=on" "$PG_BIN/pgbench" -n -M prepared \
        -c "$clients" -j "$jobs" -T "$secs" -f "$HERE/insert.sql" \
        -D incident="$incident" -D piilen="$PII_LEN" -D piiblocks=$(((PII_LEN + 15) / 16)) \
        -l --log-prefix="$prefix" "$(url_for "$BENCH_DB")" >"$prefix.out" 2>&1 || rc=$?; } \
        2>"$prefix.time"
    if ((rc != 0)); then
        cat "$prefix.out" >&2
        die "pgbench failed"
    fi
}

# measure_pgbench ROUND [CLIENTS NAME]
measure_pgbench() {
    local round="$1" clients="${2:-$PGBENCH_CLIENTS}" name="${3:-pgbench}"
    local slug id prefix rows

    slug="bench-r$round-$name-$$"
    start_server "${WRITER_LIST[0]}"
    create_incident "$slug"
    stop_server
    id="$(incident_id "$slug")"
    run_pgbench "$WARMUP" "$TMP/$name-r$round-warmup" "$id" "$clients"
    rm -f "$TMP/$name-r$round-warmup".[0-9]*
    rows="$(claims_of "$slug")"
    checkpoint "$BENCH_DB"
    prefix="$TMP/$name-r$round"
    start_accounting "r$round-$name"
    run_pgbench "$DURATION" "$prefix" "$id" "$clients"
    stop_accounting "$prefix.time"
    pgbench_read "$prefix" "$name"
    rows=$(($(claims_of "$slug") - rows))
    ((rows == PGB_DONE)) || die "$name: $PGB_DONE transactions but $rows rows"
    record "$name" "$round" "$PGB_TPS" "$(percentile 50 "$prefix.latency")" \
        "$(percentile 99 "$prefix.latency")" "$PGB_DONE"
}

# median NAME COLUMN of $TMP/results (3 claims/s, 4 p50, 5 p99, 7 server us/claim,
# 8 backends us/claim, 9 generator us/claim, 10 others CPU s)
median() {
    awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$TMP/results" | sort -g |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) exit 1
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# --- where the time goes ------------------------------------------------------------------------

# perf_top WHO dso|sym N: the N biggest libraries or functions of WHO (recours: its threads;
# postgres: every backend) in $TMP/perf-flat.txt, as shares of WHO's own samples
perf_top() {
    awk -v who="$1" -v by="$2" '{
            pct = $1; sub(/%/, "", pct)
            w = $2 ~ /^(MHD|recours)/ ? "recours" : $2
            if (w != who) next
            key = $3
            if (by == "sym") { key = $3; for (i = 4; i <= NF; i++) key = key " " $i }
            s[key] += pct; total += pct
        }
        END { for (k in s) if (total > 0) printf "%6.2f%%  %s\n", 100 * s[k] / total, k }' \
        "$TMP/perf-flat.txt" | sort -rn | awk -v n="$3" 'NR <= n'
}

# profiled_run WRITERS TAG PERF_ARGS...: one more API run with WRITERS writers, its warm-up
# first, `perf record PERF_ARGS` beside the measured wrk run (an argument @PID@ becomes the
# server's pid, known once it runs); perf's log in $TMP/perf-TAG-record.log.
profiled_run() {
    local writers="$1" tag="$2" slug="bench-$2-$$" secs
    shift 2

    ensure_packages linux-perf
    secs=$((DURATION > 6 ? DURATION - 4 : DURATION))
    start_server "$writers"
    create_incident "$slug-warmup"
    create_incident "$slug"
    run_wrk "$WARMUP" "$slug-warmup" "${tag}warm" "$TMP/wrk-$tag-warmup.txt"
    checkpoint "$BENCH_DB"
    info "profile ($tag): perf record for $secs s during a $DURATION s wrk run"
    perf record "${@//@PID@/$SERVER_PID}" -- sleep "$secs" >"$TMP/perf-$tag-record.log" 2>&1 &
    PERF_PID=$!
    run_wrk "$DURATION" "$slug" "$tag" "$TMP/wrk-$tag.txt"
    wait "$PERF_PID" || warn "perf record failed: $(tail -n 3 "$TMP/perf-$tag-record.log")"
    PERF_PID=""
    stop_server
}

# The whole machine under `perf record -a -g` (recours, the PostgreSQL backends, wrk), then
# the share of CPU by command and the top functions of recours and of postgres, into
# $TMP/perf-*.txt and the report.
profile_api() {
    profiled_run "$1" profile -a -g -F 999 -o "$TMP/perf.data"
    # one flat list by thread name, library and function; recours's threads are MHD's
    # workers (MHD-*) and ours (recours)
    perf report -i "$TMP/perf.data" --stdio --no-children --sort comm,dso,sym -g none \
        --percent-limit 0 2>/dev/null | grep -E '^ +[0-9.]+%' >"$TMP/perf-flat.txt" || true
    awk '{ sub(/%/, "", $1); who = $2 ~ /^(MHD|recours)/ ? "recours" : $2; s[who] += $1 }
        END { for (w in s) if (s[w] >= 0.5) printf "%6.2f%%  %s\n", s[w], w }' \
        "$TMP/perf-flat.txt" | sort -rn >"$TMP/perf-comm.txt"
    perf_top recours dso 10 >"$TMP/perf-recours-dso.txt"
    perf_top recours sym 25 >"$TMP/perf-recours.txt"
    perf_top postgres sym 15 >"$TMP/perf-postgres.txt"
    PROFILED=1
}
PROFILED=0

# The server alone sampled with DWARF call graphs (the frame pointers are gone in
# RelWithDebInfo: `-g` alone cuts every stack at the first library), then the functions of
# recours by inclusive share of its samples, those with no symbol (library internals, shown as
# addresses) left out, into $TMP/perf-server.txt.
profile_server() {
    profiled_run "$1" callers -p @PID@ --call-graph dwarf,32768 -F 299 \
        -o "$TMP/perf-server.data"
    perf report -i "$TMP/perf-server.data" --stdio --children --sort sym -g none \
        --percent-limit 1.5 2>/dev/null |
        awk '/^ +[0-9.]+%/ { share = $1; sub(/^ *[0-9.]+% +[0-9.]+% +\[.\] +/, "")
                             if ($0 !~ /^0x/) printf "%7s  %s\n", share, $0 }' | head -n 60 \
        >"$TMP/perf-server.txt" || true
    SERVER_PROFILED=1
}
SERVER_PROFILED=0

# --- main ---------------------------------------------------------------------------------------

ensure_packages wrk curl postgresql-client-15 postgresql-15
ensure_binary
ensure_database_url
split_database_url

TMP="$(mktemp -d /tmp/recours-bench-intake.XXXXXX)"
mkdir -p "$TMP/tls"
# a copy of the migrations: a file added to db-migrations/ during the run (by someone at work
# on the next issue) would make /readyz answer 503 "migrations pending"
cp -R "$ROOT/db-migrations" "$TMP/db-migrations"
: >"$TMP/results"
info "temporary directory $TMP"
(cd "$ROOT" && "$RECOURS_BIN" secrets init --secrets-dir "$TMP/secrets" >/dev/null) ||
    die "recours secrets init failed"
(umask 077 && printf 'Authorization: Bearer %s\n' "$(tr -d '\n' <"$TMP/secrets/operator-key")" \
    >"$TMP/auth-header")
make_bench_db
[[ "$(psql_ "$BENCH_DB" "SHOW synchronous_commit")" == on ]] ||
    die "synchronous_commit is not on for $BENCH_DB: the comparison would not be durable"

DEFAULT_WRITERS="$("$RECOURS_BIN" serve --help | awk '$1 == "--intake-writers" { print $3 }')"
[[ "$DEFAULT_WRITERS" =~ ^[0-9]+$ ]] || die "cannot read the default --intake-writers"
DEFAULT_WORKERS="$("$RECOURS_BIN" serve --help | awk '$1 == "--workers" { print $3 }')"
[[ "$DEFAULT_WORKERS" =~ ^[0-9]+$ ]] || die "cannot read the default --workers"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
    for w in "${WRITER_LIST[@]}"; do
        measure_api "$round" "$w"
    done
    PII_LEN="$(psql_ "$BENCH_DB" "SELECT round(avg(octet_length(pii)))::int FROM claims")"
    measure_pgbench "$round"
    if ((LIGHT > 0)); then
        measure_api "$round" "$DEFAULT_WRITERS" "$LIGHT" "api-light"
        measure_pgbench "$round" "$LIGHT" "pgbench-light"
    fi
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

PG_RATE="$(median pgbench 3)"
if median "api-w$DEFAULT_WRITERS" 3 >/dev/null; then
    DEF="api-w$DEFAULT_WRITERS"
else
    DEF="api-w${WRITER_LIST[0]}"
fi
DEF_RATIO="$(ratio "$(median "$DEF" 3)" "$PG_RATE")"
MISSED=0
awk -v r="$DEF_RATIO" -v t="$TARGET_RATIO" -v p="$(median "$DEF" 5)" -v m="$TARGET_P99_MS" \
    'BEGIN { exit !(r < t || p >= m) }' && MISSED=1
if [[ "$PROFILE" == 1 || ("$PROFILE" == auto && "$MISSED" == 1) ]]; then
    profile_api "${DEF#api-w}"
fi
[[ "${PROFILE_SERVER:-0}" == 1 ]] && profile_server "${DEF#api-w}"

# --- report -------------------------------------------------------------------------------------

MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PG_SETTINGS="$(psql_ "$BENCH_DB" "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method',
      'shared_buffers', 'commit_delay', 'max_wal_size', 'full_page_writes')")"
PG_VERSION="$(psql_ "$BENCH_DB" "SHOW server_version")"
RECOURS_VERSION="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
WRK_CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s bench/intake/claim.lua https://127.0.0.1:PORT -- SLUG TAG"
PGB_CMD="pgbench -n -M prepared -c $PGBENCH_CLIENTS -j $PGBENCH_JOBS -T $DURATION -f bench/intake/insert.sql -D incident=ID -D piilen=$PII_LEN -D piiblocks=$(((PII_LEN + 15) / 16)) -l"
BLOCK="$TMP/block.md"
{
    printf '%s\n\n' "$MARK_BEGIN"
    printf '#### Run of %s\n\n' "$(date -u)"
    printf -- '- machine: %s CPUs (%s), %s RAM, kernel %s; load average before %s, after %s\n' \
        "$(nproc)" "$MODEL" "$MEM" "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf -- '- PostgreSQL %s on the same machine: %s\n' "$PG_VERSION" "$PG_SETTINGS"
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    {
        printf -- '- command: `bench/intake/run.sh` (DURATION=%s WARMUP=%s ROUNDS=%s WRITERS="%s"), which runs\n' \
            "$DURATION" "$WARMUP" "$ROUNDS" "$WRITERS"
        printf '  `recours serve --intake-writers W --rate-limit-burst 1000000 --rate-limit-per-s 1000000` (%s workers, the default), source tree %s,\n' \
            "$DEFAULT_WORKERS" "$RECOURS_VERSION"
        printf '  `%s` and\n  `%s`\n' "$WRK_CMD" "$PGB_CMD"
    }
    printf -- '- a fresh database, migrated; API runs first, pgbench after them on the same table (its indexes then hold the API'"'"'s rows too); %s s warm-up before each measurement; %s\n' \
        "$WARMUP" "$( ((CHECKPOINT_SKIPPED)) && echo 'no CHECKPOINT (not allowed)' || echo 'CHECKPOINT before each')"
    printf -- '- sealed pii: %s bytes on average (pgbench writes that many)\n' "$PII_LEN"
    printf -- '- note: a shared machine, noisy (others'"'"' CPU s below); the server, PostgreSQL and the load generator (wrk or pgbench) share its %s cores, so every figure is a whole-machine figure, not a server-alone one\n\n' \
        "$(nproc)"
    printf '| what | claims/s | p50 ms | p99 ms | ÷ pgbench | CPU µs/claim: recours | PostgreSQL backends | wrk or pgbench | others'"'"' CPU s |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    for w in "${WRITER_LIST[@]}"; do
        label="API, --intake-writers $w"
        [[ "$w" == "$DEFAULT_WRITERS" ]] && label="$label (default)"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
            "$(median "api-w$w" 3)" "$(median "api-w$w" 4)" "$(median "api-w$w" 5)" \
            "$(ratio "$(median "api-w$w" 3)" "$PG_RATE")" "$(median "api-w$w" 7)" \
            "$(median "api-w$w" 8)" "$(median "api-w$w" 9)" "$(median "api-w$w" 10)"
    done
    printf '| pgbench, one claim per transaction | %s | %s | %s | 1.00 | – | %s | %s | %s |\n' \
        "$PG_RATE" "$(median pgbench 4)" "$(median pgbench 5)" "$(median pgbench 8)" \
        "$(median pgbench 9)" "$(median pgbench 10)"
    if ((LIGHT > 0)); then
        printf '| API, %s writers, %s connections (below saturation) | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "$DEFAULT_WRITERS" "$LIGHT" "$(median api-light 3)" "$(median api-light 4)" \
            "$(median api-light 5)" \
            "$(ratio "$(median api-light 3)" "$(median pgbench-light 3)")" \
            "$(median api-light 7)" "$(median api-light 8)" "$(median api-light 9)" \
            "$(median api-light 10)"
        printf '| pgbench, %s clients (below saturation) | %s | %s | %s | 1.00 | – | %s | %s | %s |\n' \
            "$LIGHT" "$(median pgbench-light 3)" "$(median pgbench-light 4)" \
            "$(median pgbench-light 5)" "$(median pgbench-light 8)" "$(median pgbench-light 9)" \
            "$(median pgbench-light 10)"
    fi
    printf '\n'
    printf 'CPU µs/claim: CPU time (user + system) of the process(es) during the measured run ÷ claims; the PostgreSQL backends are those of the bench database (WAL writer, checkpointer not counted). Others'"'"' CPU s: busy CPU seconds of the machine during the run used by anything else (other people'"'"'s work on this shared machine): the noise.\n\n'
    printf 'Ratio API (%s) ÷ pgbench: **%s** (target ≥ %s, moonshot > 1.0); API p99 %s ms (target < %s ms).%s\n' \
        "$DEF" "$DEF_RATIO" "$TARGET_RATIO" "$(median "$DEF" 5)" "$TARGET_P99_MS" \
        "$( ((ROUNDS > 1)) && echo " Medians of $ROUNDS rounds.")"
    printf '\nEvery measurement (name, round, claims/s, p50 ms, p99 ms, claims, CPU µs/claim of recours, backends, generator, others'"'"' CPU s):\n\n```\n'
    cat "$TMP/results"
    printf '```\n'
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    if ((PROFILED)); then
        printf '\n`perf record -a -g` during one more %s s API run (%s writers), share of all CPU samples by program (recours: all its threads):\n\n```\n' \
            "$DURATION" "${DEF#api-w}"
        cat "$TMP/perf-comm.txt"
        printf '```\n\nrecours by library (share of its samples):\n\n```\n'
        cat "$TMP/perf-recours-dso.txt"
        printf '```\n\nTop functions in recours (share of its samples):\n\n```\n'
        cat "$TMP/perf-recours.txt"
        printf '```\n\nTop functions in PostgreSQL (share of its samples):\n\n```\n'
        cat "$TMP/perf-postgres.txt"
        printf '```\n'
    fi
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    if ((SERVER_PROFILED)); then
        printf '\nThe server alone under `perf record --call-graph dwarf` during one more %s s API run: functions by inclusive share of its samples (a caller includes its callees):\n\n```\n' "$DURATION"
        cat "$TMP/perf-server.txt"
        printf '```\n'
    fi
    printf '\n%s\n' "$MARK_END"
} >"$BLOCK"
cat "$BLOCK"

if [[ "$RESULTS" == 1 ]]; then
    write_results "$ROOT/bench/RESULTS.md"
fi
