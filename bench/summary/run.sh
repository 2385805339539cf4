#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/summary/run.sh: the compensation summary at Coupang's size (the compensation issue:
# "load 33.7 million synthetic claims on one incident, then time the summary and a simulate
# call (median of 20 calls each) against the plain GROUP BY over the claims table in the same
# run"; targets: summary < 50 ms, simulate < 500 ms at 33.7 million claims).
#
#   bench/summary/run.sh [--keep] [--claims N] [--calls N] [--sql-calls N] [--jobs N]
#                        [--chunk N] [--load-budget S] [--shape today|worst] [--no-results]
#                        [--load-only | --reuse DB]
#
#   --keep          keep the benchmark database (and say its name) instead of dropping it
#   --claims N      claims to load (33700000)
#   --calls N       timed API calls per measurement, after 3 discarded (20)
#   --sql-calls N   timed runs of the plain GROUP BY (5: each reads the whole claims table)
#   --jobs N        parallel loading sessions (2, one per core here)
#   --chunk N       claims per INSERT statement (1000000)
#   --load-budget S stop loading after S seconds and measure what is loaded, saying so (1500)
#   --shape S       today: the claims of the compensation issue (95 % without a loss, 16 loss
#                   amounts, 90 % without hours, 1..8 hours); worst: 10 % with a loss, every
#                   one a different amount, 10 % with hours spread over 1..1000 (summary issue
#                   15). Each shape has its own section in bench/RESULTS.md (today)
#   --no-results    print the Markdown block only, leave bench/RESULTS.md alone
#   --load-only     load, keep the database and stop (its name and load figures are kept in
#                   var/bench-summary/<database>.env for --reuse)
#   --reuse DB      measure on database DB of an earlier --load-only run instead of loading
#                   (pending migrations applied; a changed 0013 dropped and applied again,
#                   which rebuilds the derived tallies: timed as their build)
#
# Environment: DATABASE_URL (default: the private cluster of ./scripts/run, from
# var/secrets/database-url), RECOURS_BIN (default build/recours, built if needed).
#
# What it does, in order:
#  1. a FRESH database bench_summary_<UTC time>_<pid> on that server, migrated with
#     `recours migrate`; throw-away secrets and a self-signed certificate in a temp dir;
#     `recours serve` on it (free port, rate limit lifted);
#  2. a KRW incident with affected_count 33,700,000 created through the API (operator key);
#  3. the claims loaded with SQL (load_chunk.sql: INSERT … SELECT FROM generate_series, one
#     statement per chunk, --jobs sessions at once, synchronous_commit off for the load only),
#     with the claims table's secondary indexes, its UNIQUE (reference) and its foreign keys
#     dropped during the load and recreated after from their catalog definitions (so they are
#     exactly the migrations'); the primary key stays (ids arrive in order);
#  4. claim_tallies built from the loaded claims by ONE INSERT … SELECT … GROUP BY (the
#     intake writers maintain them incrementally, claim batch by claim batch, in the statement
#     that inserts the claims; a bulk load has to build them at once), then VACUUM ANALYZE;
#  5. Coupang's preset scheme (GET /v1/schemes/presets) PUT on the incident, and timed over
#     one HTTPS keep-alive connection (a small Python client; 3 discarded calls, then --calls):
#     GET /v1/incidents/{slug}/compensation (full view, operator key), POST
#     /v1/compensation/simulate with another scheme (KRW, supplements, loss, time and a fund
#     cap that binds), and GET /v1/incidents/{slug} (its totals come from the same tallies);
#     the summary again with the fold version bumped before each call, and the simulation
#     with the fund cap 1 lower each call (neither can be answered from kept figures:
#     service/summary_cache.h); the server's own durations are read from its access log;
#  6. in the same run, the plain SQL GROUP BY over the claims table (psql \timing, --sql-calls
#     runs), whose first answer is also compared with the tallies group by group;
#  7. the full-scale Coupang figures checked (every loaded claim is a received voucher claim:
#     total 1,685,000,000,000 KRW, vouchers 168,500,000,000 × 2 and 674,000,000,000 × 2 at
#     33.7 million) and the simulation's total checked against the GROUP BY rows;
#  8. the Markdown block to stdout and into bench/RESULTS.md, section "Summary at 33.7
#     million claims (compensation issue)", between its two marker comments (the hand-written
#     text after them stays; the file is re-read just before it is rewritten, and only this
#     section is touched); the server stopped, the database dropped (unless --keep), the temp
#     dir removed, whatever happened (trap).
# Needs about 750 bytes of disk per claim (25 GB at 33.7 million) plus a few GB of WAL and
# sort space: checked before loading. Progress goes to stderr.
set -euo pipefail

CLAIMS=33700000
CALLS=20
SQL_CALLS=5
JOBS=2
CHUNK=1000000
LOAD_BUDGET=1500
KEEP=0
LOAD_ONLY=0
REUSE=""
RESULTS=1
AFFECTED=33700000
TARGET_SUMMARY_MS=50
TARGET_SIMULATE_MS=100
SHAPE=today
WARMUP_CALLS=3
BYTES_PER_CLAIM=750
SPARE_BYTES=$((6 * 1024 * 1024 * 1024))

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
HERE="$ROOT/bench/summary"
PG_BIN=/usr/lib/postgresql/15/bin
SECTION="## Summary at 33.7 million claims (compensation issue)"
MARK_BEGIN="<!-- bench/summary/run.sh: generated block, replaced on every run -->"
MARK_END="<!-- bench/summary/run.sh: end of generated block -->"

# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$ROOT/bench/lib/common.sh"  # info, warn, die, ensure_binary
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"      # DATABASE_URL, psql_, drop_bench_database
# shellcheck source=SCRIPTDIR/../lib/server.sh
. "$ROOT/bench/lib/server.sh"  # next_free_port, server_ready, stop_server
# shellcheck source=SCRIPTDIR/../lib/results.sh
. "$ROOT/bench/lib/results.sh" # write_results

usage() {
    sed -n '/^#   bench\/summary\/run.sh \[/,/^#   --no-results/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while (($# > 0)); do
    case "$1" in
    --keep) KEEP=1 ;;
    --shape)
        (($# >= 2)) || die "$1 needs a value"
        [[ "$2" == today || "$2" == worst ]] || die "--shape: today or worst (got '$2')"
        SHAPE="$2"
        shift
        ;;
    --no-results) RESULTS=0 ;;
    --load-only) LOAD_ONLY=1 KEEP=1 ;;
    --reuse)
        (($# >= 2)) || die "$1 needs a value"
        [[ "$2" =~ ^bench_summary_[0-9a-z_]+$ ]] || die "--reuse: a bench_summary_* database (got '$2')"
        REUSE="$2"
        KEEP=1
        shift
        ;;
    --claims | --calls | --sql-calls | --jobs | --chunk | --load-budget)
        (($# >= 2)) || die "$1 needs a value"
        [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer (got '$2')"
        case "$1" in
        --claims) CLAIMS="$2" ;;
        --calls) CALLS="$2" ;;
        --sql-calls) SQL_CALLS="$2" ;;
        --jobs) JOBS="$2" ;;
        --chunk) CHUNK="$2" ;;
        --load-budget) LOAD_BUDGET="$2" ;;
        esac
        shift
        ;;
    -h | --help) usage 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
((CLAIMS <= 1000000000)) || die "--claims: at most 10^9"
# the section of bench/RESULTS.md of a shape
pick_section() {
    [[ "$SHAPE" == worst ]] || return 0
    SECTION="## Summary, worst-case shape: every loss a different amount (summary issue 15)"
    MARK_BEGIN="<!-- bench/summary/run.sh --shape worst: generated block, replaced on every run -->"
    MARK_END="<!-- bench/summary/run.sh --shape worst: end of generated block -->"
}
pick_section

# --- what the run needs -------------------------------------------------------------------

for tool in curl python3 "$PG_BIN/psql"; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

# Free bytes where the database lives: the private cluster's directory when it is ours, else
# the file system of the repository (a remote server cannot be checked from here).
free_bytes() {
    local dir="$ROOT"

    [[ -d "$ROOT/var/pg/data" ]] && dir="$ROOT/var/pg/data"
    df -P -B1 "$dir" | awk 'NR == 2 { print $4 }'
}

# --- clean-up, whatever happens ---------------------------------------------------------------

TMP=""
SERVER_PID=""
BENCH_DB=""
BENCH_DB_MADE=0
LOADER_PIDS=()

cleanup() {
    local pid

    set +e
    for pid in "${LOADER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    [[ -z "$SERVER_PID" ]] || stop_server
    ((BENCH_DB_MADE)) && end_bench_database "$BENCH_DB" "$KEEP"
    [[ -n "$TMP" && -d "$TMP" ]] && rm -rf "$TMP"
}
on_exit_cleanup

ensure_binary
ensure_database_url
split_database_url
TMP="$(mktemp -d /tmp/bench-summary.XXXXXX)"
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
T_RUN0=$SECONDS

STATE_DIR="$ROOT/var/bench-summary"
need=$((CLAIMS * BYTES_PER_CLAIM + SPARE_BYTES))
avail="$(free_bytes)"
FREE_BEFORE_GB="$(awk -v b="$avail" 'BEGIN { printf "%.1f", b / 2^30 }')"
[[ -n "$REUSE" ]] || ((avail > need)) || die "$FREE_BEFORE_GB GiB free where the database lives, about" \
    "$(awk -v b="$need" 'BEGIN { printf "%.1f", b / 2^30 }') GiB needed for $CLAIMS claims:" \
    "free some space or pass a smaller --claims"
info "disk: $FREE_BEFORE_GB GiB free, about $((need / 1024 / 1024 / 1024)) GiB needed"

# --- the database and the server -----------------------------------------------------------------

T_SHAPE_REDONE=""
if [[ -n "$REUSE" ]]; then
    BENCH_DB="$REUSE"
    [[ -s "$STATE_DIR/$BENCH_DB.env" ]] || die "no $STATE_DIR/$BENCH_DB.env (made by --load-only)"
    # shellcheck source=/dev/null # written by this script's --load-only run
    . "$STATE_DIR/$BENCH_DB.env"
    pick_section
    BENCH_DB_MADE=1
    BENCH_URL="$(url_for "$BENCH_DB" with-password)"
    info "database: $BENCH_DB (loaded earlier: $LOADED claims, shape $SHAPE; kept)"
    # a 0013 that changed since the load: its objects dropped, then applied again by migrate
    # (the migration rebuilds the derived tallies from claim_tallies)
    want="$(sha256sum "$ROOT/db-migrations/0013_summary_shape.sql" | cut -d' ' -f1)"
    have="$(psql_ "$BENCH_DB" "SELECT checksum FROM schema_migrations WHERE version = 13")"
    if [[ "$want" != "$have" ]]; then
        info "0013 changed since the load: applied again"
        psql_ "$BENCH_DB" "$(sed -n 's/^-- reapply: //p' "$ROOT/db-migrations/0013_summary_shape.sql")
            DELETE FROM schema_migrations WHERE version = 13" >/dev/null
    fi
    t0=$SECONDS
    DATABASE_URL="$BENCH_URL" "$RECOURS_BIN" migrate --migrations-dir "$ROOT/db-migrations" \
        >"$TMP/migrate.log" 2>&1 || die "recours migrate failed: $(tail -n 5 "$TMP/migrate.log")"
    if [[ "$want" != "$have" ]]; then
        T_SHAPE_REDONE=$((SECONDS - t0))
        while read -r t; do
            psql_ "$BENCH_DB" "VACUUM (ANALYZE) $t" >/dev/null
        done < <(sed -n 's/^-- derived table: //p' "$ROOT/db-migrations/0013_summary_shape.sql")
    fi
else
    BENCH_DB="bench_summary_$(date -u +%Y%m%d_%H%M%S)_$$"
    psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" >/dev/null
    BENCH_DB_MADE=1
    BENCH_URL="$(url_for "$BENCH_DB" with-password)"
    if ((KEEP)); then
        info "database: $BENCH_DB (fresh, kept at the end)"
    else
        info "database: $BENCH_DB (fresh, dropped at the end)"
    fi
    DATABASE_URL="$BENCH_URL" "$RECOURS_BIN" migrate --migrations-dir "$ROOT/db-migrations" \
        >"$TMP/migrate.log" 2>&1 || die "recours migrate failed: $(tail -n 5 "$TMP/migrate.log")"
fi

"$RECOURS_BIN" secrets init --secrets-dir "$TMP/secrets" >"$TMP/secrets-init.log" 2>&1 ||
    die "recours secrets init failed: $(tail -n 5 "$TMP/secrets-init.log")"
printf 'Authorization: Bearer %s\n' "$(tr -d '\n' <"$TMP/secrets/operator-key")" \
    >"$TMP/auth-header"
chmod 600 "$TMP/auth-header"
mkdir -p "$TMP/tls"


next_free_port
SERVER_LOG="$TMP/recours.log"
(cd "$TMP" && DATABASE_URL="$BENCH_URL" exec "$RECOURS_BIN" serve --port "$PORT" \
    --secrets-dir "$TMP/secrets" --tls-cert "$TMP/tls/cert.pem" --tls-key "$TMP/tls/key.pem" \
    --migrations-dir "$ROOT/db-migrations" --web-dir "$ROOT/web" --workers 4 \
    --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 \
    >>"$SERVER_LOG" 2>&1) &
SERVER_PID=$!
server_ready 300 --cacert "$TMP/tls/cert.pem" ||
    die "recours serve did not become ready: $(tail -n 20 "$SERVER_LOG")"
info "recours serve: pid $SERVER_PID, port $PORT"
BASE="https://127.0.0.1:$PORT"

# api METHOD PATH [BODY_FILE] → body in $TMP/answer.json, status in API_STATUS
api() {
    local -a data=()

    [[ -n "${3:-}" ]] && data=(-H 'Content-Type: application/json' --data-binary "@$3")
    API_STATUS="$(curl -s --cacert "$TMP/tls/cert.pem" --max-time 60 -X "$1" \
        -H @"$TMP/auth-header" "${data[@]}" -o "$TMP/answer.json" -w '%{http_code}' \
        "$BASE$2")"
}

if [[ -z "$REUSE" ]]; then
SLUG="coupang-bench-$$"
cat >"$TMP/incident.json" <<EOF
{"slug": "$SLUG", "controller": "Coupang Corp.", "title": "Customer account breach (benchmark)",
 "disclosed_on": "2025-11-29", "affected_count": $AFFECTED,
 "data_categories": ["name", "email", "phone", "postal_address", "password", "order_history"],
 "authority_reference": "PIPC 2025-bench", "currency": "KRW"}
EOF
api POST /v1/incidents "$TMP/incident.json"
[[ "$API_STATUS" == 201 ]] || die "creating the incident: HTTP $API_STATUS $(cat "$TMP/answer.json")"
INCIDENT_ID="$(psql_ "$BENCH_DB" "SELECT id FROM incidents WHERE slug = '$SLUG'")"
info "incident $SLUG (id $INCIDENT_ID, KRW, affected_count $AFFECTED)"

# --- loading ---------------------------------------------------------------------------------------

# The claims table's secondary indexes, UNIQUE and FOREIGN KEY constraints as the catalog has
# them (the migrations' exact definitions), to drop now and recreate after the load.
psql_ "$BENCH_DB" "
    SELECT pg_get_indexdef(i.indexrelid) || ';'
      FROM pg_index i
     WHERE i.indrelid = 'claims'::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY i.indexrelid::regclass::text" >"$TMP/recreate-indexes.sql"
psql_ "$BENCH_DB" "
    SELECT 'ALTER TABLE claims ADD CONSTRAINT ' || quote_ident(conname) || ' '
           || pg_get_constraintdef(oid) || ';'
      FROM pg_constraint
     WHERE conrelid = 'claims'::regclass AND contype = 'u' ORDER BY conname" \
    >"$TMP/recreate-unique.sql"
psql_ "$BENCH_DB" "
    SELECT 'ALTER TABLE claims ADD CONSTRAINT ' || quote_ident(conname) || ' '
           || pg_get_constraintdef(oid) || ';'
      FROM pg_constraint
     WHERE conrelid = 'claims'::regclass AND contype = 'f' ORDER BY conname" \
    >"$TMP/recreate-fkeys.sql"
psql_ "$BENCH_DB" "
    SELECT 'ALTER TABLE claims DROP CONSTRAINT ' || quote_ident(conname) || ';'
      FROM pg_constraint
     WHERE conrelid = 'claims'::regclass AND contype IN ('u', 'f')
    UNION ALL
    SELECT 'DROP INDEX ' || i.indexrelid::regclass::text || ';'
      FROM pg_index i
     WHERE i.indrelid = 'claims'::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)" \
    >"$TMP/drop.sql"
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(url_for "$BENCH_DB")" -f "$TMP/drop.sql" >/dev/null
info "dropped for the load: $(wc -l <"$TMP/drop.sql") indexes and constraints (primary key kept)"

N_CHUNKS=$(((CLAIMS + CHUNK - 1) / CHUNK))
((JOBS <= N_CHUNKS)) || JOBS=$N_CHUNKS
T_LOAD0=$SECONDS
LOAD_DEADLINE=$((SECONDS + LOAD_BUDGET))

# load_worker J: chunks J, J + JOBS, … while the budget lasts; one line per chunk in
# $TMP/loaded.J ("first last seconds")
load_worker() {
    local j="$1" c lo hi t0

    for ((c = j; c < N_CHUNKS; c += JOBS)); do
        if ((SECONDS >= LOAD_DEADLINE)); then
            printf 'budget\n' >>"$TMP/loaded.$j"
            return 0
        fi
        lo=$((c * CHUNK + 1))
        hi=$(((c + 1) * CHUNK))
        ((hi <= CLAIMS)) || hi=$CLAIMS
        t0=$SECONDS
        PGOPTIONS="-c synchronous_commit=off" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
            -d "$(url_for "$BENCH_DB")" -v incident="$INCIDENT_ID" -v lo="$lo" -v hi="$hi" \
            -v total="$CLAIMS" -v shape="$SHAPE" -f "$HERE/load_chunk.sql" >/dev/null
        printf '%s %s %s\n' "$lo" "$hi" $((SECONDS - t0)) >>"$TMP/loaded.$j"
        info "loader $j: claims $lo..$hi in $((SECONDS - t0)) s ($((SECONDS - T_LOAD0)) s since the start)"
    done
}

info "loading $CLAIMS claims: $N_CHUNKS chunks of $CHUNK, $JOBS sessions, budget $LOAD_BUDGET s"
for ((j = 0; j < JOBS; j++)); do
    load_worker "$j" &
    LOADER_PIDS+=($!)
done
for pid in "${LOADER_PIDS[@]}"; do
    wait "$pid" || die "a loading session failed (see above)"
done
LOADER_PIDS=()
T_INSERT=$((SECONDS - T_LOAD0))
BUDGET_HIT=0
grep -qx budget "$TMP"/loaded.* && BUDGET_HIT=1
LOADED="$(psql_ "$BENCH_DB" "SELECT count(*) FROM claims WHERE incident_id = $INCIDENT_ID")"
((LOADED > 0)) || die "no claim loaded within the budget"
psql_ "$BENCH_DB" "SELECT setval(pg_get_serial_sequence('claims', 'id'), max(id)) FROM claims" \
    >/dev/null
info "inserted $LOADED claims in $T_INSERT s$( ((BUDGET_HIT)) && echo " (load budget reached)")"

# run_sql_file LABEL FILE: with a generous maintenance_work_mem, parallel index builds
run_sql_file() {
    PGOPTIONS="-c maintenance_work_mem=1GB -c max_parallel_maintenance_workers=2" \
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(url_for "$BENCH_DB")" -f "$2" >/dev/null ||
        die "$1 failed"
}

t0=$SECONDS
run_sql_file "recreating the indexes" "$TMP/recreate-indexes.sql"
run_sql_file "recreating the unique constraints" "$TMP/recreate-unique.sql"
T_INDEXES=$((SECONDS - t0))
info "indexes and unique constraints recreated in $T_INDEXES s"
t0=$SECONDS
run_sql_file "recreating the foreign keys" "$TMP/recreate-fkeys.sql"
T_FKEYS=$((SECONDS - t0))
info "foreign keys recreated (and validated) in $T_FKEYS s"

# The derived tallies of 0013 follow claim_tallies through statement triggers; one INSERT of
# millions of groups would hand them to the trigger as one array: off for the bulk build, then
# rebuilt from claim_tallies in slices (summary_shape_rebuild), timed apart.
psql_ "$BENCH_DB" "ALTER TABLE claim_tallies DISABLE TRIGGER USER" >/dev/null
t0=$SECONDS
psql_ "$BENCH_DB" "
    INSERT INTO claim_tallies (incident_id, status, payment_preference, country, categories,
                               documented_loss, hours_spent, shard, n)
    SELECT incident_id, status, payment_preference, country, categories, documented_loss,
           hours_spent, 255, count(*)
      FROM claims WHERE incident_id = $INCIDENT_ID
     GROUP BY incident_id, status, payment_preference, country, categories, documented_loss,
              hours_spent" >/dev/null
T_TALLIES=$((SECONDS - t0))
info "claim_tallies built in $T_TALLIES s (one INSERT … SELECT … GROUP BY)"
psql_ "$BENCH_DB" "ALTER TABLE claim_tallies ENABLE TRIGGER USER" >/dev/null
t0=$SECONDS
psql_ "$BENCH_DB" "SELECT summary_shape_rebuild($INCIDENT_ID)" >/dev/null
T_SHAPE=$((SECONDS - t0))
info "the summary's derived tallies (0013) built in $T_SHAPE s"
t0=$SECONDS
psql_ "$BENCH_DB" "VACUUM (ANALYZE) claims" >/dev/null
psql_ "$BENCH_DB" "VACUUM (ANALYZE) claim_tallies" >/dev/null
for t in claim_count_tallies claim_value_tallies claim_shape_cells; do
    psql_ "$BENCH_DB" "VACUUM (ANALYZE) $t" >/dev/null
done
T_VACUUM=$((SECONDS - t0))
T_LOAD=$((SECONDS - T_LOAD0))
info "VACUUM ANALYZE in $T_VACUUM s; loading took $T_LOAD s in all"
N_IDX="$(wc -l <"$TMP/recreate-indexes.sql")"
N_UNIQ="$(wc -l <"$TMP/recreate-unique.sql")"
N_FK="$(wc -l <"$TMP/recreate-fkeys.sql")"
fi
if ((LOAD_ONLY)); then
    mkdir -p "$STATE_DIR"
    for v in SLUG INCIDENT_ID LOADED CLAIMS AFFECTED SHAPE JOBS CHUNK LOAD_BUDGET BUDGET_HIT \
        T_INSERT T_INDEXES T_FKEYS T_TALLIES T_SHAPE T_VACUUM T_LOAD N_IDX N_UNIQ N_FK; do
        printf '%s=%q\n' "$v" "${!v}"
    done >"$STATE_DIR/$BENCH_DB.env"
    info "loaded and kept: measure with bench/summary/run.sh --reuse $BENCH_DB"
    exit 0
fi
[[ -z "$T_SHAPE_REDONE" ]] || T_SHAPE="$T_SHAPE_REDONE (again, this run)"

GROUPS_N="$(psql_ "$BENCH_DB" "SELECT count(*) FROM claim_tallies WHERE incident_id = $INCIDENT_ID")"
read -r COUNT_ROWS CELL_ROWS CELLS_READ TREE_ROWS < <(psql_ "$BENCH_DB" "
    SELECT (SELECT count(*) FROM claim_count_tallies WHERE incident_id = $INCIDENT_ID),
           (SELECT count(*) FROM claim_shape_cells WHERE incident_id = $INCIDENT_ID),
           (SELECT count(*) FROM (SELECT 1 FROM claim_shape_cells WHERE incident_id = $INCIDENT_ID
                                   GROUP BY cash, categories, loss_bucket, hours_bucket) x),
           (SELECT count(*) FROM claim_value_tallies WHERE incident_id = $INCIDENT_ID)" | tr '|' ' ')
read -r DB_BYTES CLAIMS_TOTAL CLAIMS_HEAP CLAIMS_INDEXES TALLIES_TOTAL < <(psql_ "$BENCH_DB" "
    SELECT pg_database_size(current_database()), pg_total_relation_size('claims'),
           pg_relation_size('claims'), pg_indexes_size('claims'),
           pg_total_relation_size('claim_tallies')" | tr '|' ' ')

# --- the scheme and the timings ------------------------------------------------------------------

api GET /v1/schemes/presets
[[ "$API_STATUS" == 200 ]] || die "GET /v1/schemes/presets: HTTP $API_STATUS"
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(json.dumps(next(p["scheme"] for p in doc["data"] if p["id"] == "coupang-2025")))
' "$TMP/answer.json" >"$TMP/coupang.json"
api PUT "/v1/incidents/$SLUG/scheme" "$TMP/coupang.json"
[[ "$API_STATUS" == 200 ]] || die "PUT scheme: HTTP $API_STATUS $(cat "$TMP/answer.json")"
info "Coupang preset in force (version $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$TMP/answer.json"))"

# The simulated scheme: KRW, supplements, documented losses, time, and a fund cap that binds
# (about 1.7 trillion KRW of awards at 33.7 million claims against a 1 trillion fund).
cat >"$TMP/simulate.json" <<EOF
{"incident": "$SLUG", "scheme": {"currency": "KRW", "base_amount": 50000,
  "category_supplements": {"phone": 10000, "postal_address": 10000, "password": 30000,
                           "order_history": 5000},
  "documented_loss": {"reimburse": true, "cap_per_claimant": 100000},
  "time_spent": {"hourly_rate": 20000, "max_hours": 5},
  "fund_cap": $(((LOADED * 30000) < 1000000000000 ? LOADED * 30000 : 1000000000000)),
  "vouchers": [], "cash_alternative_ratio": null}}
EOF

cat >"$TMP/client.py" <<'EOF'
"""Times API calls on one HTTPS keep-alive connection: WARMUP discarded calls, then CALLS
timed ones (request sent to body read). Usage: client.py PORT CAFILE AUTH_HEADER_FILE WARMUP
CALLS OUT.json NAME METHOD PATH [BODY_FILE] [NAME METHOD PATH [BODY_FILE]] ... (BODY_FILE "-"
for none). Writes {name: {"ms": [...], "status": s, "body": last answer}} to OUT.json. Before
each call of a NAME ending in _cold, the shell command $BUMP_CMD runs (not timed)."""
import http.client
import json
import os
import ssl
import subprocess
import sys
import time

port, cafile, auth_file, warmup, calls, out = sys.argv[1:7]
warmup, calls = int(warmup), int(calls)
auth = open(auth_file).read().split(":", 1)[1].strip()
specs = sys.argv[7:]
conn = http.client.HTTPSConnection("127.0.0.1", int(port), timeout=60,
                                   context=ssl.create_default_context(cafile=cafile))
result = {}
for i in range(0, len(specs), 4):
    name, method, path, body_file = specs[i:i + 4]
    body = open(body_file, "rb").read() if body_file != "-" else None
    headers = {"Authorization": auth}
    if body is not None:
        headers["Content-Type"] = "application/json"
    times = []
    for n in range(warmup + calls):
        if name.endswith("_cold"):
            subprocess.run(os.environ["BUMP_CMD"], shell=True, check=True,
                           stdout=subprocess.DEVNULL)
        if name.endswith("_fresh"):  # another fund cap each call: never a kept answer
            doc = json.loads(open(body_file, "rb").read())
            doc["scheme"]["fund_cap"] -= n + 1
            body = json.dumps(doc).encode()
        t0 = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        dt = (time.perf_counter() - t0) * 1000
        if resp.status != 200:
            sys.exit(f"{name}: HTTP {resp.status} {data[:300]!r}")
        if n >= warmup:
            times.append(dt)
    result[name] = {"ms": times, "status": resp.status, "body": json.loads(data)}
json.dump(result, open(out, "w"))
EOF

LOAD_AVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# the server's memory: resident before the timed calls, and its peak (VmHWM) after them
RSS_BEFORE_KB="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
HWM_BEFORE_KB="$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")"
info "timing the API: $WARMUP_CALLS discarded then $CALLS calls each"
LOG_LINES_BEFORE="$(wc -l <"$SERVER_LOG")"
# summary_cold: the fold version bumped before each call, so that the server's cache of the
# folded counts and cells (service/summary_cache.h) misses and they are read again: what a
# call costs right after a fold (every second while claims arrive)
BUMP_CMD="$PG_BIN/psql -X -q -d '$(url_for "$BENCH_DB")' -c 'UPDATE claim_shape_folds SET version = version + 1 WHERE incident_id = $INCIDENT_ID'" \
python3 "$TMP/client.py" "$PORT" "$TMP/tls/cert.pem" "$TMP/auth-header" "$WARMUP_CALLS" \
    "$CALLS" "$TMP/api.json" \
    summary_cold GET "/v1/incidents/$SLUG/compensation" - \
    summary GET "/v1/incidents/$SLUG/compensation" - \
    simulate_fresh POST /v1/compensation/simulate "$TMP/simulate.json" \
    simulate POST /v1/compensation/simulate "$TMP/simulate.json" \
    incident GET "/v1/incidents/$SLUG" - ||
    die "the timing client failed"
tail -n +"$((LOG_LINES_BEFORE + 1))" "$SERVER_LOG" >"$TMP/timed.log"
RSS_AFTER_KB="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
HWM_AFTER_KB="$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")"

info "timing the plain GROUP BY over claims: $SQL_CALLS runs"
GROUP_SQL="SELECT status, payment_preference, country, categories, documented_loss, hours_spent, count(*)
  FROM claims WHERE incident_id = $INCIDENT_ID
 GROUP BY status, payment_preference, country, categories, documented_loss, hours_spent"
TALLY_SQL="SELECT status, payment_preference, country, categories, documented_loss, hours_spent, sum(n)
  FROM claim_tallies WHERE incident_id = $INCIDENT_ID
 GROUP BY status, payment_preference, country, categories, documented_loss, hours_spent"
{
    printf '\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep \x27\\t\x27\n'
    printf '\\timing on\n'
    printf '%s\n\\g %s\n' "$GROUP_SQL" "$TMP/groupby.tsv"
    for ((i = 1; i < SQL_CALLS; i++)); do
        printf '%s\n\\g /dev/null\n' "$GROUP_SQL"
    done
    printf '\\timing off\n\\o %s\nEXPLAIN %s;\n\\o\n' "$TMP/explain.txt" "$GROUP_SQL"
    printf '%s\n\\g %s\n\\timing on\n' "$TALLY_SQL" "$TMP/tallies.tsv"
    for ((i = 0; i < 5; i++)); do
        printf '%s\n\\g /dev/null\n' "$TALLY_SQL"
    done
} >"$TMP/groupby.sql"
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(url_for "$BENCH_DB")" -f "$TMP/groupby.sql" \
    >"$TMP/groupby.out" 2>&1 || die "the GROUP BY runs failed: $(tail -n 5 "$TMP/groupby.out")"
LOAD_AVG_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
grep -o 'Time: [0-9.]*' "$TMP/groupby.out" | awk '{ print $2 }' >"$TMP/times.txt"
head -n "$SQL_CALLS" "$TMP/times.txt" >"$TMP/groupby-ms.txt"
tail -n 5 "$TMP/times.txt" >"$TMP/tallysql-ms.txt"
(($(wc -l <"$TMP/groupby-ms.txt") == SQL_CALLS)) || die "expected $SQL_CALLS GROUP BY timings"

# --- checks and figures ----------------------------------------------------------------------------

cat >"$TMP/report.py" <<'EOF'
"""Checks the answers and prints KEY=VALUE lines for run.sh (figures, verdicts)."""
import json
import statistics
import sys

tmp, loaded, affected, sim_file, target_s, target_m = sys.argv[1:7]
loaded, affected = int(loaded), int(affected)
api = json.load(open(f"{tmp}/api.json"))
out = {}


def ms_stats(name, values):
    values = sorted(values)
    out[f"{name}_median"] = f"{statistics.median(values):.2f}"
    out[f"{name}_min"] = f"{values[0]:.2f}"
    out[f"{name}_max"] = f"{values[-1]:.2f}"
    out[f"{name}_n"] = str(len(values))
    return statistics.median(values)


med = {}
for name in ("summary", "simulate", "incident", "summary_cold", "simulate_fresh"):
    med[name] = ms_stats(name, api[name]["ms"])
# the server's own durations (access log), the last CALLS lines of each route
routes = {"summary": ("GET", "/v1/incidents/{slug}/compensation"),
          "simulate": ("POST", "/v1/compensation/simulate"),
          "incident": ("GET", "/v1/incidents/{slug}")}
lines = [json.loads(line) for line in open(f"{tmp}/timed.log") if line.startswith("{")]
for name, (method, route) in routes.items():
    d = [x["duration_us"] / 1000 for x in lines
         if x.get("method") == method and x.get("route") == route and x.get("status") == 200]
    n = len(api[name]["ms"])
    if len(d) >= n:
        ms_stats(f"{name}_server", d[-n:])
groupby = [float(x) for x in open(f"{tmp}/groupby-ms.txt")]
tallysql = [float(x) for x in open(f"{tmp}/tallysql-ms.txt")]
med["groupby"] = ms_stats("groupby", groupby)
ms_stats("tallysql", tallysql)
out["ratio_groupby_summary"] = f"{med['groupby'] / med['summary']:.0f}"
out["ratio_groupby_simulate"] = f"{med['groupby'] / med['simulate']:.0f}"
out["summary_ok"] = "yes" if med["summary"] < float(target_s) else "NO"
out["simulate_ok"] = "yes" if med["simulate"] < float(target_m) else "NO"

# the GROUP BY over claims against the tallies, group by group
def rows(path):
    got = {}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) == 7:
            got[tuple(f[:6])] = int(f[6])
    return got


scan, tallies = rows(f"{tmp}/groupby.tsv"), rows(f"{tmp}/tallies.tsv")
out["groups_scan"] = str(len(scan))
out["tallies_match"] = "yes" if scan == tallies and sum(scan.values()) == loaded else "NO"

# Coupang: every loaded claim is a received voucher claim
s = api["summary"]["body"]
vouchers = [(v["name"], v["count"], v["total"]) for v in s["vouchers"]]
want_v = [("Coupang", loaded, loaded * 5000), ("Coupang Eats", loaded, loaded * 5000),
          ("Coupang Travel", loaded, loaded * 20000), ("R.LUX", loaded, loaded * 20000)]
coupang_ok = (s["eligible"] == loaded and s["total_before_cap"] == loaded * 50000
              and s["total_after_cap"] == loaded * 50000 and vouchers == want_v
              and s["projection_if_all_claimed"]["total_before_cap"] == affected * 50000
              and s["claims_by_status"]["received"] == loaded)
out["coupang_ok"] = "yes" if coupang_ok else "NO"
out["coupang_total"] = f"{s['total_after_cap']:,}"
out["coupang_vouchers"] = " / ".join(f"{t:,}" for _, _, t in vouchers)
out["coupang_projection"] = f"{s['projection_if_all_claimed']['total_before_cap']:,}"
out["coupang_eligible"] = f"{s['eligible']:,}"
out["coupang_take_up"] = str(s["take_up_rate"])
out["coupang_full_scale"] = "yes" if loaded == affected else "no"

# the simulation against the GROUP BY rows, claim group by claim group
sim = api["simulate"]["body"]
scheme = json.load(open(sim_file))["scheme"]
bits = ["name", "email", "phone", "postal_address", "birth_date", "password", "financial",
        "national_id", "health", "order_history", "location", "biometric"]
total = eligible = loss_total = time_total = 0
for (status, _pay, _country, cats, loss, hours), n in scan.items():
    if status not in ("received", "verified"):
        continue
    a = scheme["base_amount"]
    a += sum(v for k, v in scheme["category_supplements"].items()
             if int(cats) & (1 << bits.index(k)))
    lo = min(int(loss), scheme["documented_loss"]["cap_per_claimant"])
    ti = min(int(hours), scheme["time_spent"]["max_hours"]) * scheme["time_spent"]["hourly_rate"]
    a += lo + ti
    loss_total += lo * n
    time_total += ti * n
    total += a * n
    eligible += n
cap = scheme["fund_cap"]
sim_ok = (sim["simulated"] is True and sim["scheme_version"] is None
          and sim["eligible"] == eligible and sim["total_before_cap"] == total
          and sim["total_after_cap"] == (min(total, cap))
          and sim["components"]["documented_loss"] == loss_total
          and sim["components"]["time_spent"] == time_total
          and sim["award_stats"]["mean"] == min(total, cap) // eligible)
out["sim_ok"] = "yes" if sim_ok else "NO"
out["sim_total_before"] = f"{sim['total_before_cap']:,}"
out["sim_total_after"] = f"{sim['total_after_cap']:,}"
out["sim_factor"] = str(sim["pro_rata_factor"])
out["sim_median_exact"] = str(sim["award_stats"]["median_exact"]).lower()
out["sim_stats"] = "{mean}/{median}/{min}/{max}".format(**sim["award_stats"])
out["incident_totals"] = json.dumps(api["incident"]["body"]["totals"])
for k, v in out.items():
    print(f"{k}={v}")
EOF
python3 "$TMP/report.py" "$TMP" "$LOADED" "$AFFECTED" "$TMP/simulate.json" \
    "$TARGET_SUMMARY_MS" "$TARGET_SIMULATE_MS" >"$TMP/report.txt" || die "the report failed"
declare -A R=()
while IFS='=' read -r k v; do
    R[$k]="$v"
done <"$TMP/report.txt"

# --- the Markdown block ------------------------------------------------------------------------------

gib() { awk -v b="$1" 'BEGIN { printf "%.2f GiB", b / 2^30 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 2^20 }'; }
thousands() { printf '%s' "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }

CPU_MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM_GB="$(awk '/^MemTotal/ { printf "%.0f", $2 / 2^20 }' /proc/meminfo)"
PG_VERSION="$(psql_ "$BENCH_DB" "SHOW server_version")"
PG_SETTINGS="$(psql_ "$BENCH_DB" "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'wal_level',
    'max_parallel_workers_per_gather', 'work_mem', 'jit')")"
REV="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
PLAN="$(sed -n 's/^ *//; s/ *(cost=.*$//p' "$TMP/explain.txt" | sed 's/^->  //' | paste -sd'|' | sed 's/|/ ← /g')"
RATE=$((LOADED / (T_INSERT > 0 ? T_INSERT : 1)))

BLOCK="$TMP/block.md"
# shellcheck disable=SC2016 # the backquotes are Markdown code spans, not expansions
{
    printf '%s\n\n' "$MARK_BEGIN"
    printf 'Run of %s (UTC), `bench/summary/run.sh` at %s, %s s in all. Machine: %s, %s cores, %s GiB RAM,\n' \
        "$STARTED_AT" "$REV" $((SECONDS - T_RUN0)) "$CPU_MODEL" "$(nproc)" "$MEM_GB"
    printf '%s GiB free before the run; PostgreSQL %s (%s). Load average before / after the timings: %s / %s\n' \
        "$FREE_BEFORE_GB" "$PG_VERSION" "$PG_SETTINGS" "$LOAD_AVG_BEFORE" "$LOAD_AVG_AFTER"
    printf '(other work on the machine shares its 2 cores).\n\n'
    if ((BUDGET_HIT)); then
        printf '**The load budget (%s s) ran out: %s of the %s claims were loaded and measured.**\n\n' \
            "$LOAD_BUDGET" "$(thousands "$LOADED")" "$(thousands "$CLAIMS")"
    fi
    printf '**Data.** One KRW incident, affected_count %s, **%s claims** loaded with SQL\n' \
        "$(thousands "$AFFECTED")" "$(thousands "$LOADED")"
    printf '(`bench/summary/load_chunk.sql`, shape **%s**: every claim a received voucher claim, categories [name, email] for 80 %%,\n' "$SHAPE"
    if [[ "$SHAPE" == worst ]]; then
        printf 'KR for 97 %%, a loss for 10 %% (every one a different amount), hours for 10 %% (1..1000)), **%s distinct claim_tallies groups**.\n' \
            "$(thousands "$GROUPS_N")"
    else
        printf 'KR for 97 %%, no loss for 95 %%, no hours for 90 %%, the rest spread), **%s distinct claim_tallies groups**.\n' \
            "$(thousands "$GROUPS_N")"
    fi
    printf 'What the incident summary reads (0013): %s count rows, %s cells (%s rows over statuses and shards), two radix trees (%s rows, at most 15 read per level).\n' \
        "$(thousands "$COUNT_ROWS")" "$(thousands "$CELLS_READ")" "$(thousands "$CELL_ROWS")" "$(thousands "$TREE_ROWS")"
    printf 'The intake path keeps `claim_tallies` incrementally (same statement as the claims); this bulk load built\n'
    printf 'them at once with one `INSERT … SELECT … GROUP BY`.\n\n'
    printf '| load phase | seconds |\n|---|---:|\n'
    printf '| INSERT … SELECT, %s sessions, chunks of %s, secondary indexes and FKs dropped (%s claims/s) | %s |\n' \
        "$JOBS" "$(thousands "$CHUNK")" "$(thousands "$RATE")" "$T_INSERT"
    printf '| recreate %s indexes + %s UNIQUE constraint(s) | %s |\n' \
        "$N_IDX" "$N_UNIQ" "$T_INDEXES"
    printf '| recreate and validate %s foreign keys | %s |\n' \
        "$N_FK" "$T_FKEYS"
    printf '| build claim_tallies (one GROUP BY) | %s |\n' "$T_TALLIES"
    printf '| build the derived tallies of 0013 (summary_shape_rebuild) | %s |\n' "$T_SHAPE"
    printf '| VACUUM ANALYZE | %s |\n' "$T_VACUUM"
    printf '| **load in all** | **%s** |\n\n' "$T_LOAD"
    printf '| size | |\n|---|---:|\n'
    printf '| database (`pg_database_size`) | %s |\n' "$(gib "$DB_BYTES")"
    printf '| claims, total (heap + indexes + TOAST) | %s |\n' "$(gib "$CLAIMS_TOTAL")"
    printf '| claims heap | %s |\n' "$(gib "$CLAIMS_HEAP")"
    printf '| claims indexes | %s |\n' "$(gib "$CLAIMS_INDEXES")"
    printf '| claim_tallies, total (%s rows) | %s |\n\n' "$(thousands "$GROUPS_N")" "$(mib "$TALLIES_TOTAL")"
    printf 'Timings: API calls over one HTTPS keep-alive connection (Python `http.client`, request sent to body\n'
    printf 'read; %s discarded first), "server" = the duration in the server'"'"'s access log; SQL with psql `\\timing`.\n\n' \
        "$WARMUP_CALLS"
    printf '| operation | n | median ms | min ms | max ms | server median ms | target |\n'
    printf '|---|---:|---:|---:|---:|---:|---|\n'
    printf '| GET /v1/incidents/{slug}/compensation (full view, Coupang preset in force) | %s | **%s** | %s | %s | %s | < %s ms: %s |\n' \
        "${R[summary_n]}" "${R[summary_median]}" "${R[summary_min]}" "${R[summary_max]}" \
        "${R[summary_server_median]:-?}" "$TARGET_SUMMARY_MS" "${R[summary_ok]}"
    printf '| the same, the fold version bumped before each call (cache miss: folded counts and cells read again) | %s | **%s** | %s | %s | | |\n' \
        "${R[summary_cold_n]}" "${R[summary_cold_median]}" "${R[summary_cold_min]}" "${R[summary_cold_max]}"
    printf '| POST /v1/compensation/simulate (KRW scheme: 4 supplements, loss, time, binding cap) | %s | **%s** | %s | %s | %s | < %s ms: %s |\n' \
        "${R[simulate_n]}" "${R[simulate_median]}" "${R[simulate_min]}" "${R[simulate_max]}" \
        "${R[simulate_server_median]:-?}" "$TARGET_SIMULATE_MS" "${R[simulate_ok]}"
    printf '| the same, the fund cap 1 lower each call (the figures computed, never a kept answer) | %s | **%s** | %s | %s | | |\n' \
        "${R[simulate_fresh_n]}" "${R[simulate_fresh_median]}" "${R[simulate_fresh_min]}" "${R[simulate_fresh_max]}"
    printf '| GET /v1/incidents/{slug} (totals from the same tallies) | %s | %s | %s | %s | %s | |\n' \
        "${R[incident_n]}" "${R[incident_median]}" "${R[incident_min]}" "${R[incident_max]}" \
        "${R[incident_server_median]:-?}"
    printf '| plain SQL GROUP BY over claims (%s) | %s | **%s** | %s | %s | | |\n' \
        "$PLAN" "${R[groupby_n]}" "${R[groupby_median]}" "${R[groupby_min]}" "${R[groupby_max]}"
    printf '| the same GROUP BY over claim_tallies (SQL only) | %s | %s | %s | %s | | |\n\n' \
        "${R[tallysql_n]}" "${R[tallysql_median]}" "${R[tallysql_min]}" "${R[tallysql_max]}"
    printf 'Ratios of the medians: the plain GROUP BY takes **%s×** the summary and **%s×** the simulation.\n\n' \
        "${R[ratio_groupby_summary]}" "${R[ratio_groupby_simulate]}"
    printf 'Checks: the GROUP BY over claims equals the tallies group by group (%s groups): **%s**.\n' \
        "$(thousands "${R[groups_scan]}")" "${R[tallies_match]}"
    printf 'Coupang preset (full scale: %s): eligible %s, total %s KRW, vouchers %s KRW, projection if all\n' \
        "${R[coupang_full_scale]}" "${R[coupang_eligible]}" "${R[coupang_total]}" "${R[coupang_vouchers]}"
    printf 'claimed %s KRW, take-up %s: **%s**. Simulation: total before cap %s, after cap %s (factor %s),\n' \
        "${R[coupang_projection]}" "${R[coupang_take_up]}" "${R[coupang_ok]}" "${R[sim_total_before]}" \
        "${R[sim_total_after]}" "${R[sim_factor]}"
    printf 'mean/median/min/max %s, median_exact %s; totals, loss and time components and mean equal to the award rules applied to the GROUP BY rows: **%s**.\n' \
        "${R[sim_stats]}" "${R[sim_median_exact]}" "${R[sim_ok]}"
    printf 'Incident totals: `%s`.\n' "${R[incident_totals]}"
    printf 'Server memory: resident %s before the timed calls, %s after; peak (VmHWM) %s before, %s after.\n' \
        "$(mib $((RSS_BEFORE_KB * 1024)))" "$(mib $((RSS_AFTER_KB * 1024)))" \
        "$(mib $((HWM_BEFORE_KB * 1024)))" "$(mib $((HWM_AFTER_KB * 1024)))"
    printf '\n%s\n' "$MARK_END"
} >"$BLOCK"
cat "$BLOCK"

if ((RESULTS)); then
    write_results "$ROOT/bench/RESULTS.md"
fi
[[ "${R[tallies_match]}" == yes && "${R[coupang_ok]}" == yes && "${R[sim_ok]}" == yes ]] ||
    die "a check failed (see the block above)"
