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
# BASELINE_PG_SETTINGS and HEAD_PG_SETTINGS (empty: "NAME=VALUE ..." PostgreSQL settings set
# with ALTER SYSTEM and reloaded before each measurement of the baseline, or of HEAD,
# HEAD+mandates and pgbench, and reset at the end; needs a superuser, or root beside the
# private cluster: e.g. BASELINE_PG_SETTINGS="min_wal_size=80MB wal_init_zero=on" measures
# the cluster's earlier WAL settings beside its current ones),
# BASELINE_SERVE_ARGS and HEAD_SERVE_ARGS (empty: more `recours serve` flags for the servers of
# the baseline build, or of the HEAD build (HEAD and HEAD+mandates), split at spaces: e.g.
# BASELINE=HEAD HEAD_SERVE_ARGS="--summary-fold-interval-ms 100" measures one setting of the
# same build against its default),
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
BASELINE_PG_SETTINGS="${BASELINE_PG_SETTINGS:-}"
HEAD_PG_SETTINGS="${HEAD_PG_SETTINGS:-}"
BASELINE_SERVE_ARGS="${BASELINE_SERVE_ARGS:-}"
HEAD_SERVE_ARGS="${HEAD_SERVE_ARGS:-}"

# the issues' targets: HEAD and HEAD+mandates >= 0.9 x baseline claims/s
TARGET=0.9

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
HERE="$ROOT/bench/intake"
PG_BIN=/usr/lib/postgresql/15/bin

# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$ROOT/bench/lib/common.sh"     # info, warn, die, ensure_packages
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"         # DATABASE_URL, psql_, checkpoint, use_pg_settings, drop_bench_database
# shellcheck source=SCRIPTDIR/../lib/server.sh
. "$ROOT/bench/lib/server.sh"     # next_free_port, server_ready, stop_server
# shellcheck source=SCRIPTDIR/../lib/cpu.sh
. "$ROOT/bench/lib/cpu.sh"        # ticks_of, backends_ticks, machine_busy
# shellcheck source=SCRIPTDIR/../lib/quiet.sh
. "$ROOT/bench/lib/quiet.sh"      # wait_quiet
# shellcheck source=SCRIPTDIR/lib/readings.sh
. "$HERE/lib/readings.sh"         # incident_json, field, percentile, pgbench_read
# shellcheck source=SCRIPTDIR/lib/compare_settings.sh
. "$HERE/lib/compare_settings.sh" # check_settings, LABEL, has_variant
# shellcheck source=SCRIPTDIR/lib/compare_builds.sh
. "$HERE/lib/compare_builds.sh"   # build, prepare_build, make_db
# shellcheck source=SCRIPTDIR/lib/compare_api.sh
. "$HERE/lib/compare_api.sh"      # start_server, create_incident, make_association, open_action
# shellcheck source=SCRIPTDIR/lib/compare_measure.sh
. "$HERE/lib/compare_measure.sh"  # measure_api
# shellcheck source=SCRIPTDIR/lib/compare_pgbench.sh
. "$HERE/lib/compare_pgbench.sh"  # measure_pgbench
# shellcheck source=SCRIPTDIR/lib/compare_checks.sh
. "$HERE/lib/compare_checks.sh"   # verify_memberships, verify_tallies
# shellcheck source=SCRIPTDIR/lib/compare_report.sh
. "$HERE/lib/compare_report.sh"   # median, ratio_median, report

check_settings

# --- state and cleanup ----------------------------------------------------------------------

TMP=""
SERVER_PID=""
PERF_PID=""

cleanup() {
    local d

    set +e
    [[ -n "$PERF_PID" ]] && kill -INT "$PERF_PID" 2>/dev/null && wait "$PERF_PID" 2>/dev/null
    [[ -z "$SERVER_PID" ]] || stop_server
    reset_pg_settings
    for d in "${DATABASES[@]}"; do
        drop_bench_database "$d"
    done
    remove_tmp_dir "$TMP" "$BENCH_KEEP"
}
on_exit_cleanup

# --- builds and databases -------------------------------------------------------------------

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
    prepare_build "$b"
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

# --- rounds -----------------------------------------------------------------------------------

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
reset_pg_settings
for v in head mandates; do
    has_variant "$v" && verify_tallies "$v"
done

# --- targets, and a profile of what missed them ------------------------------------------------

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

BLOCK="$TMP/block.md"
report >"$BLOCK"
cat "$BLOCK"
[[ -z "$RESULTS_OUT" ]] || cp "$BLOCK" "$RESULTS_OUT"
