#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/intake/compare.sh: the intake bench of the claims issue (bench/intake/run.sh:
# POST /v1/incidents/{slug}/claims over HTTPS keep-alive, one unique claim per request, every
# answer 201) for several builds side by side in ONE run, interleaved, beside pgbench's
# single-claim INSERTs (insert.sql), so that only ratios measured together are compared (the
# machine is a shared, noisy VM). Variants:
#   baseline       the claims issue's code (BASELINE, default 754e562: claims before
#                  associations and before the summary tallies of e33796e)
#   HEAD           the committed HEAD: the intake writers also keep the summary tallies in the
#                  same statement as the claims (compensation issue), no mandate
#   HEAD+mandates  HEAD, every claim giving the mandate of an open action of an approved
#                  association (action_id + mandate_text_version, claim_mandated.lua): the
#                  writer stores the mandate and makes the claim a member in the same statement
#                  (associations issue). Public submissions are not audited
#                  (docs/decisions.md "Audit": the chain covers association and operator
#                  writes), so no audit row is written per claim in any variant.
#   pgbench        insert.sql, one claim (and its tally) per transaction, as run.sh runs it
#
#   bench/intake/compare.sh                     private cluster (var/secrets/database-url), as run.sh
#   BASELINE=6ea9d3f ROUNDS=5 bench/intake/compare.sh
#   BASELINE=f02e508 VARIANTS="baseline head" WRITERS=default PGBENCH_CLIENTS="64 8" \
#     PACED_RATE=1000 bench/intake/compare.sh          issue 15: intake p99 at 64 connections
#
# Settings (environment): BASELINE (754e562), HEAD_REV (HEAD: the commit measured as HEAD),
# WRK_TIMEOUT (10s: wrk's --timeout; an answer slower than that is a socket error, which stops
# the run; wrk's own default of 2 s was reached on this machine under others' load),
# VARIANTS ("baseline head mandates": which API
# variants, in this order), DURATION (15, s per measurement), WARMUP (3, s, discarded, on an
# incident of its own), ROUNDS (3), THREADS (2), CONNECTIONS (64), WRITERS (2: --intake-writers
# of every server; "default": the flag is not given, each build runs its own default),
# WORKERS (8: --workers of every server, pinned because the default changed between the
# builds: 16 at 754e562, 8 at HEAD), PGBENCH_CLIENTS ("64": one pgbench measurement per
# client count in the list; ratios use the first), PACED_RATE (empty; claims/s: each API
# variant measured once more per round on a fixed schedule of that many claims/s over the same
# CONNECTIONS, claim.lua's CLAIM_RATE: an open loop, see there; "auto": the claims/s the first
# variant reached in the closed loop of the same round), PGBENCH_JOBS (2), QUIET_WAIT (60, s: before each measurement, wait up to this long for
# the machine to use less than 15% of one CPU over 1 s, as bench/http/run.sh; 0: do not wait),
# PROFILE (auto: when a target is missed, one more run of baseline and of the variant that
# missed under `perf record -a -g`; 1 always; 0 never), BUILD_CACHE (empty: the worktrees and
# builds live in the temporary directory and are removed; a directory: kept there per commit
# and reused by the next run), STATEMENTS (0; 1: per measured run, the statements of the
# server's database from pg_stat_statements, with track = all: calls, execution time and WAL
# bytes per claim, reported per variant; the cluster preloads it, and a superuser created it in
# template1 with EXECUTE on pg_stat_statements_reset and pg_read_all_stats granted to the role),
# BENCH_KEEP=1 keeps the temporary directory (logs, wrk and
# pgbench outputs; it holds throw-away secrets), RESULTS_OUT (a file that also receives the
# Markdown block; bench/RESULTS.md is never written by this script).
#
# What it does: `git archive` of BASELINE and HEAD (the committed tree, not the working copy)
# into directories of their own, each built with its own CMake (RelWithDebInfo). For each variant a fresh
# database on the same PostgreSQL (bench_cmp_<variant>_<time>_<pid>), migrated by that
# build's own `recours migrate` with its own db-migrations (a binary refuses a database holding
# migrations it does not know); pgbench gets a fresh database migrated by HEAD. Throw-away
# secrets per build. Each round, in this order: baseline, HEAD, HEAD+mandates, pgbench; each
# measurement starts its server (`recours serve --workers WORKERS --intake-writers WRITERS
# --rate-limit-burst 1000000 --rate-limit-per-s 1000000`: both flags exist at 754e562, whose
# default burst of 120 per IP would otherwise throttle wrk), creates two incidents through the
# API (warm-up, measured), for HEAD+mandates an action on each (the association, approved, and
# its key are made once), waits for quiet, CHECKPOINTs, runs wrk, stops the server (its writers
# drain), checks rows >= answers. With a build that has them (issue 15), the server's own
# timings per intake phase (/metrics, recours_intake_phase_seconds) over each measured run are
# summed per variant and reported (mean, and the bucket bounds of p50 and p99). Each
# measurement's 1-minute load average at its start is in the table beside its figures. After every HEAD+mandates measurement, SQL checks that every
# claim carries the mandate and is a member of the action; at the end, that claim_tallies summed
# over shards equal the GROUP BY of claims in the HEAD databases. Medians of the rounds.
# Progress goes to stderr; the Markdown block goes to stdout.
set -euo pipefail

BASELINE="${BASELINE:-754e562}"
HEAD_REV="${HEAD_REV:-HEAD}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
read -r -a VARIANTS <<<"${VARIANTS:-baseline head mandates}"
read -r -a PGB_CLIENTS <<<"${PGBENCH_CLIENTS:-64}"
PACED_RATE="${PACED_RATE:-}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WRITERS="${WRITERS:-2}"
WORKERS="${WORKERS:-8}"
PGBENCH_JOBS="${PGBENCH_JOBS:-2}"
QUIET_WAIT="${QUIET_WAIT:-60}"
PROFILE="${PROFILE:-auto}"
BUILD_CACHE="${BUILD_CACHE:-}"
BENCH_KEEP="${BENCH_KEEP:-0}"
RESULTS_OUT="${RESULTS_OUT:-}"
STATEMENTS="${STATEMENTS:-0}"

# the issues' targets: HEAD and HEAD+mandates >= 0.9 x baseline claims/s
TARGET=0.9

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
HERE="$ROOT/bench/intake"
PG_BIN=/usr/lib/postgresql/15/bin
declare -A LABEL=([baseline]="baseline" [head]="HEAD" [mandates]="HEAD+mandates"
    [pgbench]="pgbench")
for v in "${VARIANTS[@]}"; do
    [[ "$v" =~ ^(baseline|head|mandates)$ ]] || die "VARIANTS: '$v' is not baseline, head or mandates"
    LABEL[$v-paced]="${LABEL[$v]}, paced"
done
((${#VARIANTS[@]} > 0)) || die "VARIANTS is empty"
for n in "${PGB_CLIENTS[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "PGBENCH_CLIENTS: '$n' is not a number of clients"
    [[ "$n" == "${PGB_CLIENTS[0]}" ]] && continue
    LABEL[pgbench-c$n]="pgbench, $n clients"
done
LABEL[pgbench]="pgbench, ${PGB_CLIENTS[0]} clients"
[[ -z "$PACED_RATE" || "$PACED_RATE" == auto || "$PACED_RATE" =~ ^[1-9][0-9]*$ ]] ||
    die "PACED_RATE must be claims/s or auto"

info() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

for v in DURATION WARMUP ROUNDS THREADS CONNECTIONS WORKERS PGBENCH_JOBS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ "$WRITERS" == default || ("$WRITERS" =~ ^[1-9][0-9]*$ && WRITERS -le 16) ]] ||
    die "WRITERS must be in 1-16 or default"
WRITER_FLAGS=()
[[ "$WRITERS" == default ]] || WRITER_FLAGS=(--intake-writers "$WRITERS")
[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "QUIET_WAIT must be a number of seconds"
[[ "$PROFILE" =~ ^(auto|0|1)$ ]] || die "PROFILE must be auto, 0 or 1"
[[ "$STATEMENTS" =~ ^(0|1)$ ]] || die "STATEMENTS must be 0 or 1"
for f in claim.lua claim_mandated.lua insert.sql; do
    [[ -f "$HERE/$f" ]] || die "bench/intake/$f is missing"
done

# --- what the run needs -------------------------------------------------------------------

ensure_packages() {
    local pkg status
    local -a missing=()

    for pkg in "$@"; do
        status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == installed ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ "${EUID:-$(id -u)}" -eq 0 ]] || die "missing packages (${missing[*]}): run as root"
    info "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# DATABASE_URL helpers: ensure_database_url, split_database_url, url_for, psql_
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"

# --- state and cleanup ----------------------------------------------------------------------

TMP=""
SERVER_PID=""
PERF_PID=""
declare -a DATABASES=()
declare -A SRC=() BIN=() DB=() SECRETS=()

cleanup() {
    local d

    set +e
    [[ -n "$PERF_PID" ]] && kill -INT "$PERF_PID" 2>/dev/null && wait "$PERF_PID" 2>/dev/null
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    for d in "${DATABASES[@]}"; do
        drop_bench_database "$d"
    done
    if [[ -n "$TMP" && -d "$TMP" ]]; then
        if [[ "$BENCH_KEEP" == 1 ]]; then
            info "kept $TMP (holds throw-away secrets: delete it when done)"
        else
            rm -rf "$TMP"
        fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- builds ---------------------------------------------------------------------------------

# build NAME REV: the tree of REV (a commit, git archive) built with its own CMake; sets
# SRC[NAME] and BIN[NAME]. With BUILD_CACHE, the tree and build stay in $BUILD_CACHE/<sha> for
# reuse.
build() {
    local name="$1" sha dir

    sha="$(git -C "$ROOT" rev-parse --verify "$2^{commit}")" || die "no commit $2"
    if [[ -n "$BUILD_CACHE" ]]; then
        dir="$BUILD_CACHE/$sha"
    else
        dir="$TMP/$name-$sha"
    fi
    mkdir -p "$dir"
    if [[ ! -d "$dir/src" ]]; then
        mkdir -p "$dir/src.part"
        git -C "$ROOT" archive "$sha" | tar -x -C "$dir/src.part" ||
            die "git archive $sha failed"
        mv "$dir/src.part" "$dir/src"
    fi
    if [[ ! -x "$dir/build/recours" ]]; then
        info "build: ${LABEL[$name]} = ${sha:0:7} (cmake, RelWithDebInfo, -j2)"
        { cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
            cmake --build "$dir/build" -j2 --target recours; } >"$dir/build.log" 2>&1 ||
            die "build of $sha failed: $(tail -n 20 "$dir/build.log")"
    else
        info "build: ${LABEL[$name]} = ${sha:0:7} (cached in $dir)"
    fi
    SRC[$name]="$dir/src"
    BIN[$name]="$dir/build/recours"
    SHA[$name]="$sha"
}
declare -A SHA=()

# serve_flag BIN FLAG: true when `BIN serve --help` lists FLAG
serve_flag() { "$1" serve --help 2>&1 | awk -v f="$2" '$1 == f { ok = 1 } END { exit !ok }'; }

# --- databases ------------------------------------------------------------------------------

# make_db VARIANT BUILD: a fresh database migrated by BUILD's binary and migrations
make_db() {
    local v="$1" b="$2" name

    name="bench_cmp_${v}_$(date -u +%Y%m%d_%H%M%S)_$$"
    psql_ "$URL_DB" "CREATE DATABASE $name" >/dev/null 2>"$TMP/createdb.err" ||
        die "CREATE DATABASE $name failed: $(cat "$TMP/createdb.err")"
    DATABASES+=("$name")
    DB[$v]="$name"
    DATABASE_URL="$(url_for "$name" with-password)" "${BIN[$b]}" migrate \
        --migrations-dir "${SRC[$b]}/db-migrations" >"$TMP/migrate-$v.log" 2>&1 ||
        die "recours migrate ($v) failed: $(tail -n 5 "$TMP/migrate-$v.log")"
    if [[ "$STATEMENTS" == 1 ]]; then
        psql_ "$name" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null ||
            die "STATEMENTS=1: pg_stat_statements must be preloaded and in template1"
    fi
    [[ "$(psql_ "$name" "SHOW synchronous_commit")" == on ]] ||
        die "synchronous_commit is not on for $name"
    info "database $name (${LABEL[$v]}), migrated by ${SHA[$b]:0:7}"
}

# A CHECKPOINT before each measurement (as run.sh): as the role, else as the postgres user
# over the private cluster's socket; else skipped.
CHECKPOINT_SKIPPED=0
checkpoint() {
    psql_ "$1" "CHECKPOINT" >/dev/null 2>&1 && return 0
    if [[ "${EUID:-$(id -u)}" -eq 0 && -S "$ROOT/var/pg/run/.s.PGSQL.5432" ]]; then
        (cd / && runuser -u postgres -- "$PG_BIN/psql" -X -q -h "$ROOT/var/pg/run" \
            -p 5432 -d postgres -c CHECKPOINT) >/dev/null 2>&1 && return 0
    fi
    CHECKPOINT_SKIPPED=1
}

# --- servers --------------------------------------------------------------------------------

port_free() {
    local rc=0

    # shellcheck disable=SC2016 # $1 is the inner shell's argument
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null || rc=$?
    [[ $rc -eq 1 ]]
}

LAST_PORT=$((20000 + RANDOM % 20000))
next_free_port() {
    local p

    for ((p = LAST_PORT + 1; p < LAST_PORT + 500 && p < 65536; p++)); do
        if port_free "$p"; then
            LAST_PORT=$p
            PORT=$p
            return 0
        fi
    done
    die "no free TCP port above $LAST_PORT"
}

# start_server VARIANT BUILD: BUILD's recours serve on VARIANT's database
start_server() {
    local v="$1" b="$2" log="$TMP/recours-$1.log" i

    next_free_port
    (cd "${SRC[$b]}" && DATABASE_URL="$(url_for "${DB[$v]}" with-password)" exec "${BIN[$b]}" \
        serve --port "$PORT" --workers "$WORKERS" "${WRITER_FLAGS[@]}" \
        --secrets-dir "${SECRETS[$b]}" --tls-cert "$TMP/tls-$b/cert.pem" \
        --tls-key "$TMP/tls-$b/key.pem" --migrations-dir "${SRC[$b]}/db-migrations" \
        --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 \
        >>"$log" 2>&1) &
    SERVER_PID=$!
    for ((i = 0; i < 150; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        if [[ "$(curl -sk --max-time 2 -o /dev/null -w '%{http_code}' \
            "https://127.0.0.1:$PORT/readyz" 2>/dev/null)" == 200 ]]; then
            return 0
        fi
        sleep 0.1
    done
    tail -n 20 "$log" >&2
    die "recours (${LABEL[$v]}) did not become ready on port $PORT"
}

stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# api AUTH_FILE METHOD PATH EXPECTED [CONTENT_TYPE]: the JSON body on stdin; the answer body
# on stdout; dies on another status. Keys are read by curl from a file, never on a command
# line.
api() {
    local auth="$1" method="$2" path="$3" want="$4" ctype="${5:-application/json}" code

    code="$(curl -sk -o "$TMP/api.json" -w '%{http_code}' -X "$method" -H @"$auth" \
        -H "Content-Type: $ctype" --data-binary @- "https://127.0.0.1:$PORT$path")"
    [[ "$code" == "$want" ]] || die "$method $path: HTTP $code $(cat "$TMP/api.json")"
    cat "$TMP/api.json"
}

create_incident() {
    api "$TMP/auth-$1" POST /v1/incidents 201 >/dev/null <<EOF
{"slug": "$2", "controller": "Bench SA", "title": "Intake benchmark",
 "disclosed_on": "2025-06-01", "affected_count": 10000000,
 "data_categories": ["name", "email", "phone", "postal_address", "birth_date", "password"],
 "currency": "EUR"}
EOF
}

# The association of HEAD+mandates, once: registered, approved (operator), one API key.
ASSOC_ID=""
make_association() {
    local key

    ASSOC_ID="$(api "$TMP/auth-head" POST /v1/associations 201 <<EOF | jq -r .id
{"name": "Association Banc d'essai", "approval_reference": "AGR-BENCH-$$",
 "approved_from": "$(date -u -d '30 days ago' +%F)", "approved_until": null,
 "country": "FR", "contact_email": "contact.bench@example.org"}
EOF
    )"
    [[ "$(api "$TMP/auth-head" PATCH "/v1/associations/$ASSOC_ID" 200 \
        application/merge-patch+json <<<'{"status": "approved"}' | jq -r .status)" == approved ]] ||
        die "the association was not approved"
    key="$(api "$TMP/auth-head" POST "/v1/associations/$ASSOC_ID/keys" 201 \
        <<<'{"label": "bench"}' | jq -r .secret)"
    (umask 077 && printf 'Authorization: Bearer %s\n' "$key" >"$TMP/auth-assoc")
    info "association $ASSOC_ID approved, key issued"
}

# open_action SLUG: an open action of the association on incident SLUG; sets ACTION_ID and
# ACTION_VERSION
open_action() {
    local out

    out="$(api "$TMP/auth-assoc" POST /v1/actions 201 <<EOF
{"incident": "$1", "title": "Action de groupe banc d'essai", "legal_basis": "gdpr-art80-1",
 "opt_in_deadline": "$(date -u -d '365 days' +%FT%TZ)", "counsel_name": "Maître Dupont",
 "counsel_email": "counsel@example.org",
 "mandate_text": "Je donne mandat à l'association de me représenter.",
 "mandate_text_version": "2026-03-bench"}
EOF
    )"
    ACTION_ID="$(jq -r .id <<<"$out")"
    ACTION_VERSION="$(jq -r .mandate_text_version <<<"$out")"
    [[ "$(jq -r .status <<<"$out")" == open ]] || die "the action is not open: $out"
}

# --- measuring -----------------------------------------------------------------------------

CLK_TCK="$(getconf CLK_TCK)"

ticks_of() {
    local line rest
    local -a f

    TICKS=0
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 0
    rest="${line##*) }"
    read -r -a f <<<"$rest"
    TICKS=$((f[11] + f[12]))
}

# backends_ticks DB: CPU ticks of the live backends of DB ("pid ticks" lines)
backends_ticks() {
    local pid

    for pid in $(pgrep -f "^postgres: [^ ]+ $1 " || true); do
        ticks_of "$pid"
        printf '%s %s\n' "$pid" "$TICKS"
    done
}

machine_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# Waits (up to QUIET_WAIT s) until the machine uses less than 15% of one CPU over 1 s (our
# idle processes use next to nothing: what is busy is other people's work). As bench/http.
BUSY_AT_START=0
wait_quiet() {
    local waited=0 a b

    BUSY_AT_START=0
    ((QUIET_WAIT > 0)) || return 0
    while :; do
        a="$(machine_busy)"
        sleep 1
        b="$(machine_busy)"
        BUSY_AT_START=$((100 * (b - a) / CLK_TCK))
        ((BUSY_AT_START < 15)) && break
        if ((waited >= QUIET_WAIT)); then
            warn "the machine is still busy (${BUSY_AT_START}% of a CPU): measuring anyway"
            break
        fi
        ((waited == 0)) && info "waiting for the machine to be quiet (${BUSY_AT_START}% of a CPU busy)"
        sleep 2
        waited=$((waited + 3))
    done
}

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

field() { sed -n "s/^RESULT .*\\b$1=\\([0-9]*\\).*/\\1/p" "$2"; }

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
declare -a VERIFIED=()

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

percentile() {
    awk -v p="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { print 0; exit }
        i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
        print v[i] }' "$2"
}

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
    local prefix done_tx failed tps rows0 rows busy0 busy1 quiet load wal0 wal1

    [[ "$clients" == "${PGB_CLIENTS[0]}" ]] || name="pgbench-c$clients"
    prefix="$TMP/$name-r$round"

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
    done_tx="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$prefix.out")"
    failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$prefix.out")"
    tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$prefix.out")"
    [[ -n "$done_tx" && -n "$tps" ]] || die "cannot read pgbench's output $prefix.out"
    [[ "${failed:-0}" == 0 ]] || die "pgbench: $failed failed transactions"
    rows=$(($(claims_of "${DB[pgbench]}" "cmp-pgbench-$$") - rows0))
    ((rows == done_tx)) || die "pgbench: $done_tx transactions but $rows rows"
    cat "$prefix".[0-9]* | awk '{ print $3 }' | sort -n >"$prefix.latency"
    rm -f "$prefix".[0-9]*
    # pgbench's backends exit with it: their CPU is in the others' column ("-" here)
    record "$name" "$round" "$tps" "$(percentile 50 "$prefix.latency")" \
        "$(percentile 99 "$prefix.latency")" "$done_tx" 0 - \
        "$(awk '{ printf "%.2f", $1 + $2 }' "$prefix.time")" \
        "$(awk -v a="$busy0" -v b="$busy1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')" \
        "$quiet" "$load" - "$(wal_bytes "$wal0" "$wal1")"
}

# median NAME COLUMN of $TMP/results
median() {
    awk -v n="$1" -v c="$2" '$1 == n && $c != "-" { print $c }' "$TMP/results" | sort -g |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "-"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# ratio_median NAME REF: the median over rounds of NAME ÷ REF measured in the same round
ratio_median() {
    awk -v n="$1" -v r="$2" '$1 == n { a[$2] = $3 } $1 == r { b[$2] = $3 }
        END { for (k in a) if (k in b && b[k] > 0) printf "%.4f\n", a[k] / b[k] }' \
        "$TMP/results" | sort -g | awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "-"; exit }
            printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# --- where the time goes ------------------------------------------------------------------------

# perf_summary VARIANT: share of all samples by program, then the top functions of recours and
# of postgres (as shares of that program's samples)
perf_summary() {
    local v="$1" flat="$TMP/perf-$1.flat"

    perf report -i "$TMP/perf-$v.data" --stdio --no-children --sort comm,dso,sym -g none \
        --percent-limit 0 2>/dev/null | grep -E '^ +[0-9.]+%' >"$flat" || true
    printf '%s, by program (share of all samples):\n\n```\n' "${LABEL[$v]}"
    awk '{ sub(/%/, "", $1); w = $2 ~ /^(MHD|recours)/ ? "recours" : $2; s[w] += $1 }
        END { for (w in s) if (s[w] >= 0.5) printf "%6.2f%%  %s\n", s[w], w }' "$flat" | sort -rn
    printf '```\n\n'
    # the samples of this server and of its database's backends only (others' programs of the
    # same names ran beside them), and of wrk
    perf report -i "$TMP/perf-$v.data" --stdio --no-children --sort comm,dso,sym -g none \
        --percent-limit 0 --pid "$(cat "$TMP/perf-$v.pids")" 2>/dev/null |
        grep -E '^ +[0-9.]+%' >"$flat.ours" || true
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    for p in postgres recours wrk; do
        printf '%s, top functions of %s (share of its samples):\n\n```\n' "${LABEL[$v]}" "$p"
        awk -v p="$p" '{ pct = $1; sub(/%/, "", pct); w = $2 == "postgres" || $2 == "wrk" ? $2 : "recours"
                if (w != p) next
                k = $3; for (i = 4; i <= NF; i++) k = k " " $i; s[k] += pct; t += pct }
            END { for (k in s) printf "%6.2f%%  %s\n", 100 * s[k] / t, k }' \
            "$([[ "$p" == wrk ]] && echo "$flat" || echo "$flat.ours")" | sort -rn | awk 'NR <= 15'
        printf '```\n\n'
    done
}

# phase_summary VARIANT: the server's own timings per intake phase (recours_intake_phase_seconds
# in /metrics, issue 15) summed over VARIANT's measured runs: count, mean, and the upper bounds
# of the buckets holding the median and the 99th percentile. Nothing when the build has none.
phase_summary() {
    local v="$1" f rows=""

    for f in "$TMP/metrics-$v-r"[0-9]*.1; do
        [[ -s "$f" && -s "${f%.1}.0" ]] || continue
        rows+="$(awk 'FNR == 1 { sign = (FILENAME ~ /\.0$/) ? -1 : 1 }
            /^recours_intake_(phase_seconds|batch_claims)/ { print $1, sign * $2 }' \
            "${f%.1}.0" "$f")"
        rows="${rows%$'\n'}"$'\n'
    done
    [[ -n "${rows//$'\n'/}" ]] || return 0
    printf '%s: the server'"'"'s own timings over its measured runs (/metrics; per submission: handler, prepare, queue, batch; per batch statement: the others; p50/p99: upper bound of the bucket that holds it)\n\n' "${LABEL[$v]}"
    printf '| phase | count | mean ms | p50 ≤ ms | p99 ≤ ms |\n|---|---:|---:|---:|---:|\n'
    printf '%s' "$rows" | awk '
        { key = $1; v[key] += $2 }
        END {
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_count/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p)
                if (v[k] <= 0) continue
                order[++n] = p; count[p] = v[k]
            }
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_sum/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p); sum[p] = v[k]
            }
            for (k in v) {
                if (k !~ /^recours_intake_phase_seconds_bucket/) continue
                p = k; sub(/.*phase="/, "", p); sub(/".*/, "", p)
                le = k; sub(/.*le="/, "", le); sub(/".*/, "", le)
                nb[p]++; bl[p, nb[p]] = le; bc[p, nb[p]] = v[k]
            }
            split("handler prepare queue batch tx_begin claims matches duplicates eligibility risk mail answers tx_commit deliver", want, " ")
            for (w = 1; w in want; w++) {
                p = want[w]; if (!(p in count)) continue
                q50 = "+Inf"; q99 = "+Inf"; b50 = 1e99; b99 = 1e99
                for (i = 1; i <= nb[p]; i++) {
                    le = bl[p, i]; x = (le == "+Inf") ? 1e98 : le + 0
                    if (bc[p, i] >= 0.5 * count[p] && x < b50) { b50 = x; q50 = le }
                    if (bc[p, i] >= 0.99 * count[p] && x < b99) { b99 = x; q99 = le }
                }
                printf "| %s | %d | %.2f | %s | %s |\n", p, count[p], 1000 * sum[p] / count[p],
                    (q50 == "+Inf" ? q50 : sprintf("%g", 1000 * q50)),
                    (q99 == "+Inf" ? q99 : sprintf("%g", 1000 * q99))
            }
            if (v["recours_intake_batch_claims_count"] > 0)
                printf "\nbatches: %d, mean %.1f claims\n", v["recours_intake_batch_claims_count"],
                    v["recours_intake_batch_claims_sum"] / v["recours_intake_batch_claims_count"]
        }'
    printf '\n'
}

# statements_summary VARIANT: with STATEMENTS=1, the statements of VARIANT's database in its
# last measured round (pg_stat_statements; nested ones, run by a function or a trigger, too)
statements_summary() {
    local f="" g

    for g in "$TMP/statements-$1-r"[0-9]*; do
        [[ -s "$g" && "$g" != *.scans ]] && f="$g"
    done
    [[ -n "$f" && -s "$f" ]] || return 0
    printf '%s: its statements in round %s (pg_stat_statements; "nested": run inside a function or a trigger; top 30 by time)\n\n' \
        "${LABEL[$1]}" "${f##*-r}"
    printf '| calls | exec µs/claim | WAL bytes/claim | statement |\n|---:|---:|---:|---|\n'
    awk -F'|' '{ printf "| %s | %s | %s | %s`%s` |\n", $1, $2, $3, ($4 == "t" ? "" : "nested: "),
        $5 }' "$f"
    printf '\n'
    [[ -s "$f.scans" ]] || return 0
    printf '%s: tables read by sequential scans in that round (pg_stat_user_tables)\n\n' "${LABEL[$1]}"
    printf '| table | sequential scans | rows read by them per claim | index scans |\n|---|---:|---:|---:|\n'
    awk -F'|' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$f.scans"
    printf '\n'
}

# --- main ---------------------------------------------------------------------------------------

ensure_packages wrk curl jq postgresql-client-15 postgresql-15
command -v cmake >/dev/null || die "cmake is missing"
ensure_database_url
split_database_url

TMP="$(mktemp -d /tmp/recours-bench-compare.XXXXXX)"
: >"$TMP/results"
info "temporary directory $TMP"
[[ -z "$BUILD_CACHE" ]] || mkdir -p "$BUILD_CACHE"
build baseline "$BASELINE"
build head "$HEAD_REV"
for b in baseline head; do
    for f in --rate-limit-burst --rate-limit-per-s --workers --intake-writers; do
        serve_flag "${BIN[$b]}" "$f" || die "${LABEL[$b]} has no serve $f"
    done
    mkdir -p "$TMP/tls-$b"
    SECRETS[$b]="$TMP/secrets-$b"
    (cd "${SRC[$b]}" && "${BIN[$b]}" secrets init --secrets-dir "${SECRETS[$b]}" >/dev/null) ||
        die "recours secrets init (${LABEL[$b]}) failed"
    (umask 077 && printf 'Authorization: Bearer %s\n' \
        "$(tr -d '\n' <"${SECRETS[$b]}/operator-key")" >"$TMP/auth-$b")
done
for v in "${VARIANTS[@]}"; do
    make_db "$v" "$([[ "$v" == baseline ]] && echo baseline || echo head)"
done
make_db pgbench head
MEASURED=("${VARIANTS[@]}")
if [[ -n "$PACED_RATE" ]]; then
    for v in "${VARIANTS[@]}"; do
        MEASURED+=("$v-paced")
    done
fi

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
PII_LEN=""
for ((round = 1; round <= ROUNDS; round++)); do
    for v in "${MEASURED[@]}"; do
        measure_api "$v" "$round"
    done
    [[ -n "$PII_LEN" ]] ||
        PII_LEN="$(psql_ "${DB[${VARIANTS[0]}]}" "SELECT round(avg(octet_length(pii)))::int FROM claims")"
    for n in "${PGB_CLIENTS[@]}"; do
        measure_pgbench "$round" "$n"
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
has_variant() { [[ " ${VARIANTS[*]} " == *" $1 "* ]]; }
for v in head mandates; do
    has_variant "$v" && verify_tallies "$v"
done

R_HEAD="-"
R_MAND="-"
declare -a MISSED=()
if has_variant baseline; then
    has_variant head && R_HEAD="$(ratio_median head baseline)"
    has_variant mandates && R_MAND="$(ratio_median mandates baseline)"
fi
awk -v r="$R_HEAD" -v t="$TARGET" 'BEGIN { exit !(r != "-" && r < t) }' && MISSED+=(head)
awk -v r="$R_MAND" -v t="$TARGET" 'BEGIN { exit !(r != "-" && r < t) }' && MISSED+=(mandates)
PROFILED=()
if [[ "$PROFILE" == 1 || ("$PROFILE" == auto && ${#MISSED[@]} -gt 0) ]]; then
    ensure_packages linux-perf
    ((${#MISSED[@]} > 0)) || ! has_variant mandates || MISSED=(mandates)
    for v in "${VARIANTS[0]}" "${MISSED[@]}"; do
        info "profile: ${LABEL[$v]} under perf record -a -g"
        measure_api "$v" 0 perf
        PROFILED+=("$v")
    done
fi

# --- report -------------------------------------------------------------------------------------

MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PG_VERSION="$(psql_ "${DB[pgbench]}" "SHOW server_version")"
PG_SETTINGS="$(psql_ "${DB[pgbench]}" "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers',
      'commit_delay', 'max_wal_size')")"
BLOCK="$TMP/block.md"
{
    printf -- '- run: %s; machine: %s CPUs (%s), %s RAM, kernel %s, shared; load average before %s, after %s\n' \
        "$START" "$(nproc)" "$MODEL" "$MEM" "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf -- '- PostgreSQL %s on the same machine: %s\n' "$PG_VERSION" "$PG_SETTINGS"
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    {
        printf -- '- command: `bench/intake/compare.sh` (BASELINE=%s DURATION=%s WARMUP=%s ROUNDS=%s WORKERS=%s WRITERS=%s QUIET_WAIT=%s); baseline = %s, HEAD = %s;\n' \
            "$BASELINE" "$DURATION" "$WARMUP" "$ROUNDS" "$WORKERS" "$WRITERS" "$QUIET_WAIT" \
            "${SHA[baseline]:0:7}" "${SHA[head]:0:7}"
        printf '  each `recours serve --workers %s %s--rate-limit-burst 1000000 --rate-limit-per-s 1000000` on a fresh database migrated by its own build;\n' \
            "$WORKERS" "$([[ "$WRITERS" == default ]] && echo '(its own default --intake-writers) ' || echo "--intake-writers $WRITERS ")"
        [[ -z "$PACED_RATE" ]] ||
            printf '  paced: the same wrk with `CLAIM_RATE=%s CLAIM_THREADS=%s` (claim.lua: each thread sends on a fixed schedule, %s claims/s in all; "late": sends that left more than 1 ms after their slot because every connection of the thread was waiting, 0 = an open loop; written late/rate, the rate in claims/s; with auto, the claims/s %s reached in the closed loop of the same round);\n' \
                "$PACED_RATE" "$THREADS" "$PACED_RATE" "${LABEL[${VARIANTS[0]}]}"
        printf '  `wrk -t%s -c%s -d%ss --latency -s bench/intake/claim.lua` (HEAD+mandates: `claim_mandated.lua`, same claims plus `action_id` and `mandate_text_version`);\n' \
            "$THREADS" "$CONNECTIONS" "$DURATION"
        printf '  `pgbench -n -M prepared -c N -j %s -T %s -f bench/intake/insert.sql -D piilen=%s` for N in %s (one claim and its tally per transaction)\n' \
            "$PGBENCH_JOBS" "$DURATION" "$PII_LEN" "${PGB_CLIENTS[*]}"
        printf -- '- rounds interleaved (%s, then pgbench) ×%s; %s s warm-up, quiet wait and %s before each measurement; medians; ratios are medians of the per-round ratios\n\n' \
            "${MEASURED[*]}" "$ROUNDS" "$WARMUP" "$( ((CHECKPOINT_SKIPPED)) && echo 'no CHECKPOINT' || echo 'a CHECKPOINT')"
    }
    printf '| variant | claims/s | p50 ms | p99 ms | load (1 min) | ÷ baseline | ÷ pgbench | CPU µs/claim: recours | PostgreSQL backends | client (wrk, pgbench) | WAL bytes/claim | late sends / rate, per round |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n'
    for v in "${MEASURED[@]}"; do
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${LABEL[$v]}" \
            "$(median "$v" 3)" "$(median "$v" 4)" "$(median "$v" 5)" "$(median "$v" 11)" \
            "$(if [[ "$v" == baseline* ]]; then echo 1.00; elif has_variant baseline; then ratio_median "$v" "baseline${v#"${v%-paced}"}"; else echo -; fi)" \
            "$(ratio_median "$v" pgbench)" "$(median "$v" 7)" "$(median "$v" 8)" \
            "$(median "$v" 13)" "$(median "$v" 14)" \
            "$(awk -v n="$v" '$1 == n && $12 != "-" { printf "%s%s", s, $12; s = ", " }' "$TMP/results")"
    done
    for n in "${PGB_CLIENTS[@]}"; do
        p=pgbench
        [[ "$n" == "${PGB_CLIENTS[0]}" ]] || p="pgbench-c$n"
        printf '| %s, one claim per transaction | %s | %s | %s | %s | %s | %s | – | – | %s | %s | – |\n' \
            "${LABEL[$p]}" "$(median "$p" 3)" "$(median "$p" 4)" "$(median "$p" 5)" \
            "$(median "$p" 11)" "$(has_variant baseline && ratio_median "$p" baseline || echo -)" \
            "$(ratio_median "$p" pgbench)" "$(median "$p" 13)" "$(median "$p" 14)"
    done
    printf '\n'
    for v in head mandates; do
        r="$R_HEAD"
        [[ "$v" == mandates ]] && r="$R_MAND"
        [[ "$r" != - ]] || continue
        printf 'Target of the earlier issues: %s ≥ %s × baseline: **%s** (%s).\n\n' "${LABEL[$v]}" \
            "$TARGET" "$r" "$(awk -v r="$r" -v t="$TARGET" 'BEGIN { print (r >= t ? "met" : "missed") }')"
    done
    if has_variant head; then
        printf 'Issue 15 at %s connections: HEAD p99 %s ms (target < 20 ms: **%s**), HEAD claims/s ÷ baseline %s (target ≥ 1.00 in the same run: **%s**).\n\n' \
            "$CONNECTIONS" "$(median head 5)" "$(awk -v p="$(median head 5)" 'BEGIN { print (p < 20 ? "met" : "missed") }')" \
            "$R_HEAD" "$(awk -v r="$R_HEAD" 'BEGIN { print (r == "-" ? "not measured" : r >= 1 ? "met" : "missed") }')"
    fi
    for v in "${MEASURED[@]}"; do
        phase_summary "$v"
        statements_summary "$v"
    done
    printf 'Checked in SQL:\n\n'
    printf -- '- %s\n' "${VERIFIED[@]}"
    printf '\nEvery measurement (variant, round, claims/s, p50 ms, p99 ms, claims, CPU µs/claim of recours, of its PostgreSQL backends, others'"'"' CPU s during the run, %% of a CPU busy in the quiet check just before, 1-minute load average at its start, late paced sends, CPU µs/claim of the client (wrk or pgbench), WAL bytes/claim):\n\n```\n'
    cat "$TMP/results"
    printf '```\n'
    if ((${#PROFILED[@]} > 0)); then
        # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
        printf '\n`perf record -a -g` during one more %s s run of each (after the rounds):\n\n' \
            "$DURATION"
        for v in "${PROFILED[@]}"; do
            perf_summary "$v"
        done
    fi
} >"$BLOCK"
cat "$BLOCK"
[[ -z "$RESULTS_OUT" ]] || cp "$BLOCK" "$RESULTS_OUT"
