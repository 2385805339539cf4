#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/export/run.sh: the export for counsel (docs/product.md §7: "streamed in constant
# memory whatever its size"; docs/api.md §12; docs/decisions.md "Export for counsel") against
# PostgreSQL alone writing the same members' columns with COPY, in the same run.
#
#   bench/export/run.sh [--members N] [--rounds R] [--keep] [--results]
#                       [--connections C] [--load-budget S] [--rss-exports K]
#                       [--reuse DIR] [--no-warmup] [--rss-small]
#
#   --members N      members of the measured action (200000); a second action has N/10
#   --rounds R       timed rounds (3), after one discarded warm-up export (0: none, for a
#                    memory series alone)
#   --keep           keep the benchmark database (and say its name) instead of dropping it
#   --results        also write the Markdown block into bench/RESULTS.md, section "Export for
#                    counsel (streamed, constant memory)" (between its marker comments, so the
#                    hand-written reading after them stays)
#   --connections C  wrk connections while loading the members (64)
#   --load-budget S  give up when loading takes more than S seconds (900)
#   --perf           profile the server with `perf record` during the first CSV round, the
#                    top of `perf report` in the block (needs perf and the right to use it)
#   --rss-exports K  after the rounds, K more consecutive CSV exports of the big action on
#                    the same server, its VmRSS after each listed (0: none)
#   --no-warmup      no discarded warm-up export of the big action before the rounds
#   --rss-small      the --rss-exports series exports the small action (N/10) instead
#   --reuse DIR      measure on a database kept by an earlier `--keep` run instead of loading
#                    one (--keep saves what that takes, its secrets and keys, in
#                    var/bench-export/<database>/ and says so; migrated again, never dropped)
#
# Environment: DATABASE_URL (default: the private cluster of ./scripts/run, from
# var/secrets/database-url), RECOURS_BIN (default build/recours, built if
# missing).
#
# What it does, in order:
#  1. a FRESH database bench_export_<UTC time>_<pid> on that server, migrated with `recours
#     migrate`; throw-away secrets and a self-signed certificate in a temp dir; `recours
#     serve` on a free port with the per-IP rate limit lifted;
#  2. through the API (operator key): an association (registered, approved, one key), two
#     KRW incidents with Coupang's preset scheme (so every row's award is computed), an open
#     action of the association on each (association key);
#  3. the members loaded through the API, so their personal data is sealed by the server as
#     in production: wrk with claim_member.lua (bench/intake/claim_mandated.lua's unique
#     mandated claims, an exact quota per wrk thread), N claims giving the big action's
#     mandate and N/10 the small one's; counted in SQL; then the server stopped and VACUUM
#     ANALYZE (what autovacuum would have done by the time counsel asks);
#  4. the timed part (/tmp/recours-bench-running exists meanwhile): a fresh `recours serve`,
#     one CSV export of the small action (memory probe); the server restarted, one CSV export
#     of the big action (memory probe and warm-up, discarded from the throughput), then R
#     rounds of: recours CSV, COPY, recours NDJSON (interleaved; ratios per round, medians).
#     Every export is `curl` over HTTPS (association key), one response; measured: wall time,
#     curl's CPU, the server's CPU (/proc/<pid>/stat utime+stime, all threads) and its
#     PostgreSQL backends' (their process titles name the database), the server's VmRSS
#     before, sampled every 50 ms during (peak; VmHWM reset before each export through
#     /proc/<pid>/clear_refs as a cross-check when allowed) and after. COPY: `psql -c "\copy
#     (SELECT <the columns db_exports_members reads, pii still sealed> FROM claims LEFT JOIN
#     claim_eligibility LEFT JOIN <evidence files aggregated by claim> WHERE member_action_id =
#     ... ORDER BY created_at, id) TO STDOUT WITH CSV HEADER" > file` (the export's order,
#     docs/api.md §12.2; each table read once, as COPY would best do it), wall time
#     of the whole psql (connection included), its backend's CPU from /proc when the server is
#     local;
#  5. checks, which stop the run (exit 1) when they fail: every export answered 200, its
#     rows (lines minus the header for CSV) = the action's members, its record (GET
#     /v1/exports/{id}) `complete` with the same rows, bytes = the file's size and sha256 =
#     sha256sum of the file; COPY's rows = the members too;
#  6. the Markdown block to stdout (with --results also into bench/RESULTS.md); the server
#     stopped, the database dropped (unless --keep), the temp dir removed, whatever happened.
# Progress goes to stderr.
set -euo pipefail

MEMBERS=200000
ROUNDS=3
KEEP=0
RESULTS=0
CONNECTIONS=64
THREADS=2
LOAD_BUDGET=900
SAMPLE_S=0.05
RSS_EXPORTS=0
PERF=0
REUSE=""
WARMUP=1
RSS_ACTION=big

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
HERE="$ROOT/bench/export"
PG_BIN=/usr/lib/postgresql/15/bin
RUNNING_FLAG=/tmp/recours-bench-running
SECTION="## Export for counsel (streamed, constant memory)"
MARK_BEGIN="<!-- bench/export/run.sh: generated block, replaced on every run -->"
MARK_END="<!-- bench/export/run.sh: end of generated block -->"
COMMAND="bench/export/run.sh $*"

# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$ROOT/bench/lib/common.sh"  # info, warn, die
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"      # DATABASE_URL, psql_, drop_bench_database
# shellcheck source=SCRIPTDIR/../lib/server.sh
. "$ROOT/bench/lib/server.sh"  # next_free_port, server_ready, stop_server
# shellcheck source=SCRIPTDIR/../lib/cpu.sh
. "$ROOT/bench/lib/cpu.sh"     # CLK_TCK, ticks_of, backends_ticks
# shellcheck source=SCRIPTDIR/../lib/results.sh
. "$ROOT/bench/lib/results.sh" # write_results

usage() {
    sed -n '/^#   bench\/export\/run.sh \[/,/^#   --load-budget/p' "${BASH_SOURCE[0]}" |
        sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while (($# > 0)); do
    case "$1" in
    --keep) KEEP=1 ;;
    --results) RESULTS=1 ;;
    --perf) PERF=1 ;;
    --no-warmup) WARMUP=0 ;;
    --rss-small) RSS_ACTION=small ;;
    --reuse)
        (($# >= 2)) || die "$1 needs a value"
        [[ -s "$2/state.sh" ]] || die "--reuse: no $2/state.sh (made by a --keep run)"
        REUSE="$(cd "$2" && pwd -P)"
        shift
        ;;
    --members | --rounds | --connections | --load-budget | --rss-exports)
        (($# >= 2)) || die "$1 needs a value"
        [[ "$2" =~ ^[1-9][0-9]*$ || ("$1" == --rounds && "$2" == 0) ]] ||
            die "$1 must be a positive integer (got '$2')"
        case "$1" in
        --members) MEMBERS="$2" ;;
        --rounds) ROUNDS="$2" ;;
        --connections) CONNECTIONS="$2" ;;
        --load-budget) LOAD_BUDGET="$2" ;;
        --rss-exports) RSS_EXPORTS="$2" ;;
        esac
        shift
        ;;
    -h | --help) usage 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
((MEMBERS >= 100)) || die "--members: at least 100 (the small action has N/10)"
((MEMBERS <= 2000000)) || die "--members: at most 2,000,000 (claim.lua: 10^6 claims per thread)"
((CONNECTIONS >= THREADS)) || die "--connections: at least $THREADS"
SMALL=$((MEMBERS / 10))

for tool in curl wrk jq sha256sum python3 "$PG_BIN/psql"; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

ensure_binary() {
    if [[ -n "${RECOURS_BIN:-}" ]]; then
        [[ -x "$RECOURS_BIN" ]] || die "RECOURS_BIN=$RECOURS_BIN is not executable"
        return 0
    fi
    RECOURS_BIN="$ROOT/build/recours"
    [[ -x "$RECOURS_BIN" ]] && return 0
    if [[ ! -f "$ROOT/build/CMakeCache.txt" ]]; then
        info "build: configuring build/"
        cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
    fi
    info "build: cmake --build build -j2"
    cmake --build "$ROOT/build" -j2 >&2
    [[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN was not built"
}

# --- clean-up, whatever happens ---------------------------------------------------------------

TMP=""
SERVER_PID=""
WRK_PID=""
SAMPLER_PID=""
BENCH_DB=""
BENCH_DB_MADE=0
FLAG_MADE=0

cleanup() {
    set +e
    [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
    [[ -n "$WRK_PID" ]] && kill -INT "$WRK_PID" 2>/dev/null && wait "$WRK_PID" 2>/dev/null
    [[ -z "$SERVER_PID" ]] || stop_server
    ((FLAG_MADE)) && rm -f "$RUNNING_FLAG"
    ((BENCH_DB_MADE)) && end_bench_database "$BENCH_DB" "$KEEP"
    [[ -n "$TMP" && -d "$TMP" ]] && rm -rf "$TMP"
}
on_exit_cleanup

ensure_binary
ensure_database_url
split_database_url
TMP="$(mktemp -d /tmp/bench-export.XXXXXX)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the database and the server -----------------------------------------------------------------

declare -A ACTION
if [[ -n "$REUSE" ]]; then
    # what a --keep run saved: BENCH_DB, MEMBERS, SMALL, ACTION[...], LOADED_TOTAL, LOAD_RATE
    # shellcheck source=/dev/null
    . "$REUSE/state.sh"
    cp -R "$REUSE/secrets" "$TMP/secrets"
    cp "$REUSE/auth-assoc" "$TMP/auth-assoc"
    info "database: $BENCH_DB (reused from $REUSE, kept)"
else
    BENCH_DB="bench_export_$(date -u +%Y%m%d_%H%M%S)_$$"
    psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" >/dev/null
    BENCH_DB_MADE=1
    info "database: $BENCH_DB (fresh, $( ((KEEP)) && echo kept || echo dropped) at the end)"
fi
BENCH_URL="$(url_for "$BENCH_DB" with-password)"
DATABASE_URL="$BENCH_URL" "$RECOURS_BIN" migrate --migrations-dir "$ROOT/db-migrations" \
    >"$TMP/migrate.log" 2>&1 || die "recours migrate failed: $(tail -n 5 "$TMP/migrate.log")"

[[ -n "$REUSE" ]] ||
    "$RECOURS_BIN" secrets init --secrets-dir "$TMP/secrets" >"$TMP/secrets-init.log" 2>&1 ||
    die "recours secrets init failed: $(tail -n 5 "$TMP/secrets-init.log")"
(umask 077 && printf 'Authorization: Bearer %s\n' "$(tr -d '\n' <"$TMP/secrets/operator-key")" \
    >"$TMP/auth-operator")
mkdir -p "$TMP/tls"

# start_server NAME: a fresh recours serve on the bench database (log $TMP/recours-NAME.log).
# Its mail delivery at one email a second: loading the members queued a confirmation email
# each (820,207 still queued after export15's runs), which the default 50 a second sent
# during the timed part, four sender backends and threads taking ~25 % of a core and
# counted in the export's PostgreSQL CPU (bench/RESULTS.md, export17).
start_server() {
    local log="$TMP/recours-$1.log"

    next_free_port
    (cd "$ROOT" && DATABASE_URL="$BENCH_URL" exec "$RECOURS_BIN" serve --port "$PORT" \
        --secrets-dir "$TMP/secrets" --tls-cert "$TMP/tls/cert.pem" --tls-key "$TMP/tls/key.pem" \
        --migrations-dir "$ROOT/db-migrations" --web-dir "$ROOT/web" \
        --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 \
        --mail-rate 1 --mail-dir "$TMP/mail" >>"$log" 2>&1) &
    SERVER_PID=$!
    if server_ready 300 --cacert "$TMP/tls/cert.pem"; then
        BASE="https://127.0.0.1:$PORT"
        info "recours serve ($1): pid $SERVER_PID, port $PORT"
        return 0
    fi
    tail -n 20 "$log" >&2
    die "recours serve did not become ready on port $PORT"
}

# api AUTH_FILE METHOD PATH EXPECTED [CONTENT_TYPE]: the JSON body on stdin (none for GET);
# the answer on stdout; dies on another status. Keys are read by curl from a file.
api() {
    local auth="$1" method="$2" path="$3" want="$4" ctype="${5:-application/json}" code
    local -a data=()

    [[ "$method" == GET ]] || data=(-H "Content-Type: $ctype" --data-binary @-)
    code="$(curl -s --cacert "$TMP/tls/cert.pem" --max-time 60 -o "$TMP/api.json" \
        -w '%{http_code}' -X "$method" -H @"$auth" "${data[@]}" "$BASE$path")"
    [[ "$code" == "$want" ]] || die "$method $path: HTTP $code $(cat "$TMP/api.json")"
    cat "$TMP/api.json"
}

# --- set-up through the API -----------------------------------------------------------------------

if [[ -z "$REUSE" ]]; then
start_server load

ASSOC_ID="$(api "$TMP/auth-operator" POST /v1/associations 201 <<EOF | jq -r .id
{"name": "Association Banc d'essai export", "approval_reference": "AGR-EXPORT-$$",
 "approved_from": "$(date -u -d '30 days ago' +%F)", "approved_until": null,
 "country": "FR", "contact_email": "contact.bench@example.org"}
EOF
)"
[[ "$(api "$TMP/auth-operator" PATCH "/v1/associations/$ASSOC_ID" 200 \
    application/merge-patch+json <<<'{"status": "approved"}' | jq -r .status)" == approved ]] ||
    die "the association was not approved"
ASSOC_KEY="$(api "$TMP/auth-operator" POST "/v1/associations/$ASSOC_ID/keys" 201 \
    <<<'{"label": "bench-export"}' | jq -r .secret)"
(umask 077 && printf 'Authorization: Bearer %s\n' "$ASSOC_KEY" >"$TMP/auth-assoc")
unset ASSOC_KEY
info "association $ASSOC_ID approved, key issued"

api "$TMP/auth-operator" GET /v1/schemes/presets 200 |
    jq -c '.data[] | select(.id == "coupang-2025") | .scheme' >"$TMP/scheme.json"
[[ -s "$TMP/scheme.json" ]] || die "no coupang-2025 preset in GET /v1/schemes/presets"

# make_action NAME: a KRW incident bench-export-NAME-<pid> with Coupang's scheme, and an open
# action of the association on it (ACTION[NAME], ACTION[NAME-version], ACTION[NAME-slug])
make_action() {
    local slug="bench-export-$1-$$" out

    api "$TMP/auth-operator" POST /v1/incidents 201 >/dev/null <<EOF
{"slug": "$slug", "controller": "Bench Corp.", "title": "Export benchmark ($1)",
 "disclosed_on": "2025-11-29", "affected_count": 33700000,
 "data_categories": ["name", "email", "phone", "postal_address", "birth_date"],
 "currency": "KRW"}
EOF
    api "$TMP/auth-operator" PUT "/v1/incidents/$slug/scheme" 200 <"$TMP/scheme.json" >/dev/null
    out="$(api "$TMP/auth-assoc" POST /v1/actions 201 <<EOF
{"incident": "$slug", "title": "Action de groupe banc d'essai ($1)",
 "legal_basis": "gdpr-art80-1", "opt_in_deadline": "$(date -u -d '365 days' +%FT%TZ)",
 "counsel_name": "Maître Dupont", "counsel_email": "counsel@example.org",
 "mandate_text": "Je donne mandat à l'association de me représenter.",
 "mandate_text_version": "2026-03-bench"}
EOF
    )"
    [[ "$(jq -r .status <<<"$out")" == open ]] || die "the action is not open: $out"
    ACTION[$1]="$(jq -r .id <<<"$out")"
    ACTION[$1-version]="$(jq -r .mandate_text_version <<<"$out")"
    ACTION[$1-slug]="$slug"
}
make_action big
make_action small
info "actions: big ${ACTION[big]} ($MEMBERS members to load), small ${ACTION[small]} ($SMALL)"

members_of() { psql_ "$BENCH_DB" "SELECT count(*) FROM claims WHERE member_action_id = '$1'"; }

# --- loading the members through the API ----------------------------------------------------------

LOAD_S_TOTAL=0
LOADED_TOTAL=0
# load NAME COUNT: COUNT mandated claims for action NAME (wrk, claim_member.lua)
load() {
    local name="$1" count="$2" out="$TMP/wrk-$1.txt" t0 t1 n rc=0 created deadline
    local -a quotas=()
    local j q

    for ((j = 0; j < THREADS; j++)); do
        q=$((count / THREADS))
        ((j == 0)) && q=$((q + count % THREADS))
        quotas+=("$q")
    done
    t0="$(date +%s%N)"
    deadline=$((SECONDS + LOAD_BUDGET))
    polls=0
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((LOAD_BUDGET + 60))s" -s "$HERE/claim_member.lua" \
        "$BASE" -- "${ACTION[$name-slug]}" "x$name$$" "${ACTION[$name]}" \
        "${ACTION[$name-version]}" "${quotas[@]}" >"$out" 2>&1 &
    WRK_PID=$!
    while :; do
        sleep 1
        n="$(members_of "${ACTION[$name]}")"
        if ((n >= count)); then
            break
        fi
        kill -0 "$WRK_PID" 2>/dev/null || {
            cat "$out" >&2
            die "wrk stopped with $n of $count members loaded"
        }
        ((SECONDS < deadline)) ||
            die "loading took more than --load-budget $LOAD_BUDGET s ($n of $count members)"
        ((++polls % 10 == 0)) && info "  $name: $n / $count members"
    done
    t1="$(date +%s%N)"
    sleep 0.5 # the last answers reach wrk, whose threads stop on their quota
    kill -INT "$WRK_PID" 2>/dev/null || true
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    if ((rc != 0)); then
        cat "$out" >&2
        die "wrk failed (see above)"
    fi
    created="$(sed -n 's/^MEMBERS created=\([0-9]*\).*/\1/p' "$out")"
    [[ -n "$created" ]] || die "no MEMBERS line in $out"
    ((created == count)) || warn "$name: wrk counted $created answers 201 for $count claims in SQL"
    n="$(members_of "${ACTION[$name]}")"
    ((n == count)) || die "$name: $n members in SQL, $count expected"
    LOAD_S_TOTAL="$(awk -v a="$LOAD_S_TOTAL" -v d=$((t1 - t0)) 'BEGIN { print a + d / 1e9 }')"
    LOADED_TOTAL=$((LOADED_TOTAL + count))
    info "$name: $count members loaded in $(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e9 }') s"
}
info "loading $MEMBERS + $SMALL mandated claims through the API (wrk -t$THREADS -c$CONNECTIONS)"
load big "$MEMBERS"
load small "$SMALL"
stop_server
LOAD_RATE="$(awk -v n="$LOADED_TOTAL" -v s="$LOAD_S_TOTAL" 'BEGIN { printf "%.0f", n / s }')"
info "loaded $LOADED_TOTAL claims at $LOAD_RATE claims/s; VACUUM ANALYZE claims"
psql_ "$BENCH_DB" "VACUUM ANALYZE claims" >/dev/null
if ((KEEP)); then
    STATE="$ROOT/var/bench-export/$BENCH_DB"
    mkdir -p "$STATE"
    cp -R "$TMP/secrets" "$STATE/secrets"
    cp "$TMP/auth-assoc" "$STATE/auth-assoc"
    {
        printf 'BENCH_DB=%q\nMEMBERS=%q\nSMALL=%q\nLOADED_TOTAL=%q\nLOAD_RATE=%q\n' \
            "$BENCH_DB" "$MEMBERS" "$SMALL" "$LOADED_TOTAL" "$LOAD_RATE"
        for k in "${!ACTION[@]}"; do printf 'ACTION[%q]=%q\n' "$k" "${ACTION[$k]}"; done
    } >"$STATE/state.sh"
    info "kept for --reuse: $STATE"
fi
fi
PII_AVG="$(psql_ "$BENCH_DB" "SELECT round(avg(octet_length(pii)))::int FROM claims")"
INDEX_USED="$("$PG_BIN/psql" -X -q -At -d "$(url_for "$BENCH_DB")" -c "EXPLAIN (COSTS OFF)
    SELECT id FROM claims WHERE member_action_id = '${ACTION[big]}'
      AND (created_at, id) > ('-infinity'::timestamptz, 0)
    ORDER BY created_at, id LIMIT 256" | tr '\n' ' ' | sed 's/  */ /g')"

# --- measuring ------------------------------------------------------------------------------------

# the COPY's backend is read from /proc: 0 when it is not on this machine (copy_once)
PG_LOCAL=1

# backends_sample OUT: "pid ticks" of every PostgreSQL backend of the bench database
backends_sample() { backends_ticks "$BENCH_DB" >"$1"; }

# backends_cpu_s BEFORE AFTER: CPU seconds the backends used in between (new ones from 0)
backends_cpu_s() {
    awk -v hz="$CLK_TCK" 'FILENAME == ARGV[1] { base[$1] = $2; next }
        { s += $2 - ($1 in base ? base[$1] : 0) } END { printf "%.3f", s / hz }' "$1" "$2"
}

# status_kb PID FIELD: FIELD (VmRSS, VmHWM) of /proc/PID/status in kB
status_kb() {
    local k v _

    while read -r k v _; do
        if [[ "$k" == "$2:" ]]; then
            printf '%s\n' "$v"
            return 0
        fi
    done <"/proc/$1/status"
    printf '0\n'
}

# rss_sampler PID OUT: VmRSS every SAMPLE_S seconds until killed
rss_sampler() {
    while :; do
        status_kb "$1" VmRSS
        sleep "$SAMPLE_S"
    done >"$2"
}

HWM_RESET=1
# results: one line per measurement, "kind round rows bytes seconds server_s pg_s client_s
# rss_before_kb rss_peak_kb rss_after_kb hwm_kb rss_streaming_peak_kb" (the last: the peak
# over the second half of the samples, after the start's read of the incident's tally groups,
# which are as many as its distinct claim shapes; kind: small-csv, warmup-csv, csv, ndjson,
# copy; server and RSS columns "-" for copy)
: >"$TMP/results"

# export_once KIND ACTION_NAME EXPECTED_ROWS FORMAT ROUND
export_once() {
    local kind="$1" name="$2" want="$3" format="$4" round="$5"
    local out="$TMP/export-$kind-$round.$4" code t0 t1 srv0 srv1 rss0 rss1 peak hwm rows bytes
    local streaming
    local id rec sha status i server_s pg_s client_s
    local TIMEFORMAT='%U %S'

    rss0="$(status_kb "$SERVER_PID" VmRSS)"
    if ((HWM_RESET)); then
        { echo 5 >"/proc/$SERVER_PID/clear_refs"; } 2>/dev/null || HWM_RESET=0
    fi
    rss_sampler "$SERVER_PID" "$TMP/rss-$kind-$round" &
    SAMPLER_PID=$!
    local perf_pid=""
    if ((PERF)) && [[ "$kind" == csv && "$round" == 1 ]]; then
        perf record -F 999 -g -p "$SERVER_PID" -o "$TMP/perf.data" >"$TMP/perf.log" 2>&1 &
        perf_pid=$!
    fi
    backends_sample "$TMP/pg0"
    ticks_of "$SERVER_PID"
    srv0=$TICKS
    t0="$(date +%s%N)"
    { time curl -s -S --cacert "$TMP/tls/cert.pem" -H @"$TMP/auth-assoc" -D "$out.headers" \
        -o "$out" -w '%{http_code}' "$BASE/v1/actions/${ACTION[$name]}/export?format=$format" \
        >"$out.code" 2>"$out.err"; } 2>"$out.time" || true
    t1="$(date +%s%N)"
    ticks_of "$SERVER_PID"
    srv1=$TICKS
    if [[ -n "$perf_pid" ]]; then
        # TERM, not INT: a non-interactive shell's background job ignores SIGINT
        kill -TERM "$perf_pid" 2>/dev/null || true
        wait "$perf_pid" 2>/dev/null || true
        perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null |
            grep -E '^ +[0-9]+\.[0-9]+%' | head -n 25 >"$TMP/perf-top.txt" || true
    fi
    backends_sample "$TMP/pg1"
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    rss1="$(status_kb "$SERVER_PID" VmRSS)"
    hwm=-
    ((HWM_RESET)) && hwm="$(status_kb "$SERVER_PID" VmHWM)"
    peak="$(awk -v m="$rss0" '$1 > m { m = $1 } END { print (m > a ? m : a) }' \
        a="$rss1" "$TMP/rss-$kind-$round")"
    streaming="$(awk '{ v[NR] = $1 } END { m = 0; for (i = int(NR / 2) + 1; i <= NR; i++)
        if (v[i] > m) m = v[i]; print m }' "$TMP/rss-$kind-$round")"
    code="$(cat "$out.code")"
    [[ "$code" == 200 ]] || die "$kind export: HTTP $code $(cat "$out.err") $(head -c 300 "$out")"

    # the correctness guard
    bytes="$(stat -c %s "$out")"
    rows="$(wc -l <"$out")"
    [[ "$format" == csv ]] && rows=$((rows - 1))
    ((rows == want)) || die "$kind export: $rows rows received, $want members"
    id="$(tr -d '\r' <"$out.headers" | sed -n 's/^[Xx]-[Ee]xport-[Ii]d: *//p')"
    [[ -n "$id" ]] || die "$kind export: no X-Export-Id header"
    sha="$(sha256sum "$out" | cut -d' ' -f1)"
    for ((i = 0; i < 50; i++)); do
        rec="$(api "$TMP/auth-assoc" GET "/v1/exports/$id" 200)"
        status="$(jq -r .status <<<"$rec")"
        [[ "$status" == streaming ]] || break
        sleep 0.1
    done
    [[ "$status" == complete ]] || die "$kind export $id: record status $status"
    [[ "$(jq -r .rows <<<"$rec")" == "$want" ]] ||
        die "$kind export $id: record says $(jq -r .rows <<<"$rec") rows, $want members"
    [[ "$(jq -r .bytes <<<"$rec")" == "$bytes" ]] ||
        die "$kind export $id: record says $(jq -r .bytes <<<"$rec") bytes, $bytes received"
    [[ "$(jq -r .sha256 <<<"$rec")" == "$sha" ]] ||
        die "$kind export $id: record sha256 $(jq -r .sha256 <<<"$rec"), received file $sha"

    server_s="$(awk -v d=$((srv1 - srv0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", d / hz }')"
    pg_s="$(backends_cpu_s "$TMP/pg0" "$TMP/pg1")"
    client_s="$(awk '{ printf "%.3f", $1 + $2 }' "$out.time")"
    printf '%s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$kind" "$round" "$rows" "$bytes" \
        "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }')" "$server_s" "$pg_s" \
        "$client_s" "$rss0" "$peak" "$rss1" "$hwm" "$streaming" >>"$TMP/results"
    info "$kind r$round: $(tail -n 1 "$TMP/results" | cut -d' ' -f3-) (rows bytes s server_s pg_s curl_s rss_kB before peak after hwm streaming-peak); record complete, sha256 ok"
    rm -f "$out"
}

# The columns db_exports_members reads (api/db/exports.c), every member at once, each in its
# own text form (pii bytea as hex, still sealed; timestamps as timestamptz): the same rows and
# columns as the export, written by PostgreSQL alone.
cat >"$TMP/copy.sql" <<EOF
SELECT pg_backend_pid() AS bench_pid \gset
\setenv BENCH_PG_PID :bench_pid
\! cat /proc/\$BENCH_PG_PID/stat >$TMP/copy-pg0 2>/dev/null || true
\copy (SELECT c.reference, c.data_key_id, c.pii, c.country, c.categories, c.phishing, c.identity_theft, c.distress, c.documented_loss, c.hours_spent, c.payment_preference, c.status, c.mandated_at, c.mandate_text_version, c.mandate_channel, c.created_at, ce.state, ce.matched, ev.evidence FROM claims c LEFT JOIN claim_eligibility ce ON ce.claim_id = c.id LEFT JOIN (SELECT f.claim_id, string_agg(f.public_id::text || ':' || encode(f.sha256, 'hex'), '|' ORDER BY f.created_at, f.id) AS evidence FROM evidence_files f WHERE f.state = 'stored' GROUP BY f.claim_id) ev ON ev.claim_id = c.id WHERE c.member_action_id = '${ACTION[big]}' ORDER BY c.created_at, c.id) TO STDOUT WITH CSV HEADER
\! cat /proc/\$BENCH_PG_PID/stat >$TMP/copy-pg1 2>/dev/null || true
EOF

# stat_ticks FILE: utime + stime of a saved /proc/<pid>/stat, empty when the file is empty
stat_ticks() {
    local line rest
    local -a f

    [[ -s "$1" ]] || return 0
    read -r line <"$1"
    rest="${line##*) }"
    read -r -a f <<<"$rest"
    printf '%s\n' $((f[11] + f[12]))
}

copy_once() {
    local round="$1" out="$TMP/copy-$1.csv" t0 t1 rows bytes pg_s p0 p1
    local TIMEFORMAT='%U %S'

    rm -f "$TMP/copy-pg0" "$TMP/copy-pg1"
    t0="$(date +%s%N)"
    { time "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(url_for "$BENCH_DB")" \
        -f "$TMP/copy.sql" >"$out" 2>"$out.err"; } 2>"$out.time" ||
        die "COPY failed: $(cat "$out.err")"
    t1="$(date +%s%N)"
    rows=$(($(wc -l <"$out") - 1))
    bytes="$(stat -c %s "$out")"
    ((rows == MEMBERS)) || die "COPY: $rows rows, $MEMBERS members"
    p0="$(stat_ticks "$TMP/copy-pg0")"
    p1="$(stat_ticks "$TMP/copy-pg1")"
    if [[ -n "$p0" && -n "$p1" ]]; then
        pg_s="$(awk -v d=$((p1 - p0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", d / hz }')"
    else
        pg_s=-
        PG_LOCAL=0
    fi
    printf 'copy %s %s %s %s - %s %s - - - -\n' "$round" "$rows" "$bytes" \
        "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }')" "$pg_s" \
        "$(awk '{ printf "%.3f", $1 + $2 }' "$out.time")" >>"$TMP/results"
    info "copy r$round: $(tail -n 1 "$TMP/results" | cut -d' ' -f3-8) (rows bytes s - pg_s psql_s)"
    rm -f "$out"
}

# --- the timed part -----------------------------------------------------------------------------

if [[ -e "$RUNNING_FLAG" ]]; then
    warn "$RUNNING_FLAG exists already (another benchmark?): running anyway, leaving it there"
else
    printf 'bench/export/run.sh pid %s since %s\n' "$$" "$(date -u +%FT%TZ)" >"$RUNNING_FLAG"
    FLAG_MADE=1
fi
T_TIMED0=$SECONDS
# `recours serve` spends a few seconds after /readyz opening its pool; let it settle
settle() { sleep 2; }

start_server small-probe
settle
RSS_FRESH_SMALL="$(status_kb "$SERVER_PID" VmRSS)"
export_once small-csv small "$SMALL" csv 0
stop_server

start_server measured
settle
RSS_FRESH_BIG="$(status_kb "$SERVER_PID" VmRSS)"
((WARMUP)) && export_once warmup-csv big "$MEMBERS" csv 0
for ((r = 1; r <= ROUNDS; r++)); do
    export_once csv big "$MEMBERS" csv "$r"
    copy_once "$r"
    export_once ndjson big "$MEMBERS" ndjson "$r"
done
RSS_END="$(status_kb "$SERVER_PID" VmRSS)"
: >"$TMP/rss-series"
for ((r = 1; r <= RSS_EXPORTS; r++)); do
    if [[ "$RSS_ACTION" == small ]]; then
        export_once series small "$SMALL" csv "$r"
    else
        export_once series big "$MEMBERS" csv "$r"
    fi
    status_kb "$SERVER_PID" VmRSS >>"$TMP/rss-series"
done
stop_server
((FLAG_MADE)) && rm -f "$RUNNING_FLAG"
FLAG_MADE=0
T_TIMED=$((SECONDS - T_TIMED0))
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
info "timed part: $T_TIMED s"

# --- report ---------------------------------------------------------------------------------------

# med KIND EXPR: median over KIND's rounds of an awk expression of the columns
med() {
    awk -v k="$1" '$1 == k { print '"$2"' }' "$TMP/results" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) { print "-"; exit }
              print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
# ratio_med KIND: median over rounds of (KIND rows/s) / (COPY rows/s of the same round)
ratio_med() {
    awk -v k="$1" '$1 == k { a[$2] = $3 / $5 } $1 == "copy" { b[$2] = $3 / $5 }
        END { for (r in a) if (r in b) printf "%.4f\n", a[r] / b[r] }' "$TMP/results" |
        sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
            printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
ratios_all() {
    awk -v k="$1" '$1 == k { a[$2] = $3 / $5 } $1 == "copy" { b[$2] = $3 / $5 }
        END { for (r in a) if (r in b) printf "%s %.3f\n", r, a[r] / b[r] }' "$TMP/results" |
        sort -n | awk '{ s = s (NR > 1 ? ", " : "") $2 } END { print s }'
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "-") print "–"; else printf f, v }'; }
mib() { awk -v v="$1" 'BEGIN { if (v == "-") print "–"; else printf "%.1f", v / 1024 }'; }

MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
PG_VERSION="$(psql_ "$BENCH_DB" "SHOW server_version")"
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD -- api 2>/dev/null || GIT_REV="$GIT_REV + uncommitted changes in api/"
BLOCK="$TMP/block.md"
{
    printf '%s\n\n' "$MARK_BEGIN"
    printf '#### Run of %s\n\n' "$START"
    printf -- '- machine: %s CPUs (%s), %s RAM, kernel %s, shared; load average before %s, after %s\n' \
        "$(nproc)" "$MODEL" "$MEM" "$(uname -r)" "$LOAD_BEFORE" "$LOAD_AFTER"
    printf -- '- %s (%s), PostgreSQL %s on the same machine, %s, %s\n' \
        "$("$RECOURS_BIN" version)" "$GIT_REV" "$PG_VERSION" "$(curl --version | head -n 1 | cut -d' ' -f1-2)" \
        "$(psql --version)"
    # shellcheck disable=SC2016 # Markdown backticks, not command substitutions
    {
        printf -- '- command: `%s` (members %s, small action %s, rounds %s)\n' "$COMMAND" \
            "$MEMBERS" "$SMALL" "$ROUNDS"
        printf -- '- members loaded through the API (wrk -t%s -c%s, `bench/export/claim_member.lua`: mandated claims, Coupang scheme on the incident): %s claims at %s claims/s; sealed pii %s bytes on average; then VACUUM ANALYZE\n' \
            "$THREADS" "$CONNECTIONS" "$LOADED_TOTAL" "$LOAD_RATE" "$PII_AVG"
        printf -- '- one warm-up export discarded, then %s rounds of: recours CSV, COPY, recours NDJSON; medians; ratio = median of the per-round ratios (rows/s ÷ COPY rows/s in the same round)\n' \
            "$ROUNDS"
        printf -- '- recours: `curl` of `GET /v1/actions/{id}/export?format=csv|ndjson` over HTTPS (one response), wall time; COPY: `psql -c "\\copy (SELECT <the 19 columns db_exports_members reads, as stored: pii still sealed> FROM claims LEFT JOIN claim_eligibility … LEFT JOIN <the evidence files aggregated by claim> … WHERE member_action_id = … ORDER BY created_at, id) TO STDOUT WITH CSV HEADER" > file` (the export'"'"'s columns in its order, each table read once) over the Unix socket, wall time of the whole psql (connection included); both into a file in the same temp dir\n'
        printf -- '- page query plan: `%s`\n\n' "$INDEX_USED"
    }
    printf '| %s members | rows/s | MB/s | s | MB | ÷ COPY rows/s | CPU µs/row: server | PostgreSQL backends | client (curl / psql) |\n' "$MEMBERS"
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    # shellcheck disable=SC2016 # awk expressions of the results' columns, for med
    for k in csv ndjson copy; do
        case "$k" in
        csv) label="recours CSV" ;;
        ndjson) label="recours NDJSON" ;;
        copy) label="PostgreSQL COPY (CSV, sealed pii)" ;;
        esac
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
            "$(fmt "$(med "$k" '$3 / $5')" '%.0f')" \
            "$(fmt "$(med "$k" '$4 / $5 / 1e6')" '%.1f')" \
            "$(fmt "$(med "$k" '$5')" '%.2f')" \
            "$(fmt "$(med "$k" '$4 / 1e6')" '%.1f')" \
            "$(if [[ "$k" == copy ]]; then echo 1.00; else ratio_med "$k"; fi)" \
            "$(if [[ "$k" == copy ]]; then echo –; else fmt "$(med "$k" '$6 * 1e6 / $3')" '%.1f'; fi)" \
            "$(if [[ "$k" == copy && "$PG_LOCAL" == 0 ]]; then echo –; else fmt "$(med "$k" '$7 * 1e6 / $3')" '%.1f'; fi)" \
            "$(fmt "$(med "$k" '$8 * 1e6 / $3')" '%.1f')"
    done
    printf '\nPer-round ratios to COPY: CSV %s; NDJSON %s.\n\n' "$(ratios_all csv)" "$(ratios_all ndjson)"
    printf 'Memory (server VmRSS, MiB; each size on a freshly started server, its first export;' 
    printf ' "peak" sampled every %s s%s):\n\n' "$SAMPLE_S" \
        "$( ((HWM_RESET)) && echo ', VmHWM reset through clear_refs before each export as a cross-check')"
    printf '| export | members | RSS before | peak during | after | peak − before | VmHWM | peak while streaming (2nd half) − before |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
    awk '$1 == "small-csv" || $1 == "warmup-csv" || $1 == "csv" || $1 == "ndjson"' "$TMP/results" |
        while read -r kind round rows _ _ _ _ _ b p a h st; do
            case "$kind" in
            small-csv) label="CSV, first on its server (N/10)" ;;
            warmup-csv) label="CSV, first on its server (N)" ;;
            csv) label="CSV, round $round" ;;
            *) label="NDJSON, round $round" ;;
            esac
            printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rows" "$(mib "$b")" \
                "$(mib "$p")" "$(mib "$a")" "$(mib $((p - b)))" "$(mib "$h")" "$(mib $((st - b)))"
        done
    printf '\nRSS of each freshly started server before its first export: %s MiB (N/10), %s MiB (N); after all the N exports: %s MiB.\n\n' \
        "$(mib "$RSS_FRESH_SMALL")" "$(mib "$RSS_FRESH_BIG")" "$(mib "$RSS_END")"
    printf 'Checked: every export 200, its rows = the members, its record complete with the same rows, bytes and the sha256 of the received file; COPY rows = the members.\n\n'
    if ((RSS_EXPORTS > 0)); then
        printf '%s consecutive CSV exports of the %s members after the rounds, same server: VmRSS after each (MiB):\n\n' \
            "$RSS_EXPORTS" "$([[ "$RSS_ACTION" == small ]] && echo "$SMALL" || echo "$MEMBERS")"
        awk '{ printf "%s%.1f", (NR > 1 ? (NR % 20 == 1 ? "\n" : " ") : ""), $1 / 1024 } END { print "" }' \
            "$TMP/rss-series" | sed 's/^/    /'
        awk '{ v[NR] = $1 } END { m = 0; for (i = 1; i <= NR; i++) if (v[i] > m) m = v[i];
            printf "\nfirst %.1f, 10th %.1f, last %.1f, highest %.1f MiB; growth from the 10th to the last: %.1f MiB\n\n",
            v[1] / 1024, v[NR < 10 ? NR : 10] / 1024, v[NR] / 1024, m / 1024,
            (v[NR] - v[NR < 10 ? NR : 10]) / 1024 }' "$TMP/rss-series"
    fi
    if ((PERF)) && [[ -s "$TMP/perf-top.txt" ]]; then
        # shellcheck disable=SC2016 # the backquotes are Markdown code spans, not expansions
        printf '`perf record -F 999 -g` of the server during the first CSV round, `perf report --no-children --sort dso,symbol`, top 25 (self time):\n\n```\n'
        cat "$TMP/perf-top.txt"
        printf '```\n\n'
    fi
    printf 'Every measurement (kind, round, rows, bytes, s, server CPU s, backends CPU s, client CPU s, VmRSS kB before, peak, after, VmHWM, peak over the second half):\n\n```\n'
    cat "$TMP/results"
    printf '```\n\n%s\n' "$MARK_END"
} >"$BLOCK"
cat "$BLOCK"

if ((RESULTS)); then
    write_results "$ROOT/bench/RESULTS.md"
fi
