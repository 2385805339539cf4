#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/eligibility/scale.sh: the controller's list at Coupang's scale (issue 14,
# docs/eligibility.md), three figures from one database in one run:
#   1. `recours eligibility import` of a list of N hashes (33,700,000): time, lines/s, the
#      importer's peak memory, the table's and the database's size;
#   2. `recours eligibility recompute` of an incident with C claims (1,000,000), half of them
#      on the list: time, claims/s, and the states checked;
#   3. the intake bench (bench/intake/claim.lua: POST …/claims over HTTPS keep-alive, every
#      answer 201) with eligibility matching ON (an incident whose list in force is the 33.7 M
#      one) and OFF (an incident without a list) on the same server, alternated ROUNDS times:
#      claims/s and latency, medians, and the ratio ON/OFF (the issue asks ON ≤ 10 % slower).
#
#   bench/eligibility/scale.sh [--hashes N] [--claims C]
#
# Environment: DATABASE_URL (default: the private cluster), RECOURS_BIN (build/recours),
# ROUNDS (3), DURATION (15 s a measurement), WARMUP (3 s), CONNECTIONS (64), THREADS (2),
# WRITERS (2), BENCH_KEEP=1 (keep the temporary directory and the database).
#
# The claims of (2) are written by SQL as the intake writes them, minus the crypto (as
# bench/summary/load_chunk.sql), with their claim_eligibility row: email hash
# sha256('bench-claim-' || i), state unknown; the list holds the hashes of the even ones, so
# the recompute must find C/2 matched. In (3) each measurement (and its warm-up) has an
# incident of its own (claim.lua's phones repeat from one run to the next; dedup is per
# incident). The list file and the database are removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
PG_BIN=/usr/lib/postgresql/15/bin
HASHES=33700000
CLAIMS=1000000
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WRITERS="${WRITERS:-2}"

info() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'bench/eligibility: %s\n' "$*" >&2
    exit 1
}

while (($#)); do
    case "$1" in
    --hashes) HASHES="$2"; shift ;;
    --claims) CLAIMS="$2"; shift ;;
    -h | --help) sed -n '3,26p' "$0"; exit 0 ;;
    *) die "unknown argument '$1'" ;;
    esac
    shift
done
((HASHES >= CLAIMS / 2 && CLAIMS >= 1000)) || die "--hashes must be at least --claims / 2"

. "$ROOT/bench/lib/db.sh"
ensure_database_url
split_database_url
RECOURS_BIN="${RECOURS_BIN:-$ROOT/build/recours}"
[[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN is not built (cmake --build build)"

TMP="$(mktemp -d /tmp/bench-elig-scale.XXXXXX)"
BENCH_DB="bench_elig_scale_$(date -u +%Y%m%d_%H%M%S)_$$"
BENCH_DB_MADE=0
SERVER_PID=""
cleanup() {
    set +e
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" && wait "$SERVER_PID"
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        info "kept $TMP and database $BENCH_DB"
        return
    fi
    ((BENCH_DB_MADE)) && drop_bench_database "$BENCH_DB"
    rm -rf "$TMP"
}
trap cleanup EXIT

# bench_checkpoint: a CHECKPOINT of the bench database (db.sh's checkpoint), said when skipped
bench_checkpoint() {
    CHECKPOINT_SKIPPED=0
    checkpoint "$BENCH_DB"
    ((CHECKPOINT_SKIPPED == 0)) || info "CHECKPOINT skipped (no privilege)"
}

psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" >/dev/null
BENCH_DB_MADE=1
export DATABASE_URL RECOURS_SECRETS_DIR="$TMP/secrets"
DATABASE_URL="$(url_for "$BENCH_DB" with-password)"
cp -R "$ROOT/db-migrations" "$TMP/db-migrations" # a file added meanwhile must not count
"$RECOURS_BIN" migrate --migrations-dir "$TMP/db-migrations" >"$TMP/migrate.log" 2>&1 ||
    die "migrate failed: $(tail -n 3 "$TMP/migrate.log")"
"$RECOURS_BIN" secrets init --secrets-dir "$RECOURS_SECRETS_DIR" >/dev/null 2>&1 ||
    die "secrets init failed"
(umask 077 && printf 'Authorization: Bearer %s\n' \
    "$(tr -d '\n' <"$RECOURS_SECRETS_DIR/operator-key")" >"$TMP/auth-header")
"$RECOURS_BIN" incident add --slug bench-elig --controller "Bench SA" --title "Bench" \
    --disclosed-on 2026-01-01 --affected "$HASHES" \
    --categories name,email,phone,postal_address,birth_date,password --currency EUR \
    >/dev/null || die "incident add failed"
INCIDENT="$(psql_ "$BENCH_DB" "SELECT id FROM incidents WHERE slug = 'bench-elig'")"

# 1. the import -----------------------------------------------------------------------------
# the list is streamed from its generator through a pipe (33.7 M lines are 2.4 GB: on this
# machine's contended disk writing them first would take longer than the import); the time
# measured therefore includes making the lines (about 1 s of CPU per million)
make_list() {
    python3 - "$HASHES" "$CLAIMS" <<'PY'
import hashlib, os, sys
n, claims = int(sys.argv[1]), int(sys.argv[2])
kinds = ("email", "phone", "code")
f = sys.stdout
listed = range(2, claims + 1, 2)
f.write("".join("email," + hashlib.sha256(b"bench-claim-%d" % i).hexdigest() + "\n"
                for i in listed))
left = n - len(listed)
while left > 0:  # random hashes 65,536 at a time: one urandom and one hex() per block
    m = min(left, 65536)
    h = os.urandom(32 * m).hex()
    f.write("".join(kinds[i % 3] + "," + h[64 * i:64 * i + 64] + "\n" for i in range(m)))
    left -= m
PY
}
info "importing a list of $HASHES lines (the even claims' email hashes first)"
start=$(date +%s.%N)
make_list | /usr/bin/time -f '%M' -o "$TMP/time" "$RECOURS_BIN" eligibility import \
    --incident bench-elig - >"$TMP/import.out" 2> >(tee "$TMP/import.err" >&2) ||
    die "import failed: $(tail -n 3 "$TMP/import.err")"
end=$(date +%s.%N)
IMPORT_S=$(echo "$end - $start" | bc -l)
IMPORT_RSS=$(($(tail -n 1 "$TMP/time") / 1024))
ENTRIES="$(psql_ "$BENCH_DB" "SELECT count(*) FROM eligibility_entries")"
ENTRIES_SIZE="$(psql_ "$BENCH_DB" "SELECT pg_size_pretty(pg_total_relation_size('eligibility_entries'))")"
DB_SIZE="$(psql_ "$BENCH_DB" "SELECT pg_size_pretty(pg_database_size(current_database()))")"
info "import: ${IMPORT_S}s, $ENTRIES entries, $ENTRIES_SIZE, database $DB_SIZE"

# 2. the recompute ---------------------------------------------------------------------------
info "writing $CLAIMS claims with their eligibility rows (state unknown)"
for ((lo = 1; lo <= CLAIMS; lo += 100000)); do
    hi=$((lo + 99999 > CLAIMS ? CLAIMS : lo + 99999))
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(url_for "$BENCH_DB")" <<SQL >/dev/null
INSERT INTO claims (id, incident_id, reference, token_hash, email_key, data_key_id, pii,
                    country, categories, payment_preference, privacy_notice_version,
                    created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT i, $INCIDENT, 'RC-' || lpad(upper(to_hex(i >> 16)), 4, '0') || '-'
                           || lpad(upper(to_hex(i & 65535)), 4, '0'),
       sha256(int8send(-i)), sha256(int8send(i)), 1,
       sha256(int8send(i)) || decode(repeat('a5', 268), 'hex'), 'FR', 3, 'voucher', '2026-01',
       now(), now()
FROM generate_series($lo::bigint, $hi::bigint) AS g(i);
INSERT INTO claim_eligibility (claim_id, incident_id, email_mac, state)
SELECT i, $INCIDENT, sha256(convert_to('bench-claim-' || i, 'UTF8')), 'unknown'
FROM generate_series($lo::bigint, $hi::bigint) AS g(i);
SQL
done
psql_ "$BENCH_DB" "SELECT setval(pg_get_serial_sequence('claims', 'id'), $CLAIMS)" >/dev/null
psql_ "$BENCH_DB" "VACUUM ANALYZE claims" >/dev/null
psql_ "$BENCH_DB" "VACUUM ANALYZE claim_eligibility" >/dev/null
bench_checkpoint
info "recomputing"
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$TMP/time" "$RECOURS_BIN" eligibility recompute --incident bench-elig \
    >"$TMP/recompute.out" 2>"$TMP/recompute.err" ||
    die "recompute failed: $(tail -n 3 "$TMP/recompute.err")"
end=$(date +%s.%N)
RECOMPUTE_S=$(echo "$end - $start" | bc -l)
RECOMPUTE_RSS=$(($(tail -n 1 "$TMP/time") / 1024))
MATCHED="$(psql_ "$BENCH_DB" "SELECT count(*) FILTER (WHERE state = 'matched'),
                                     count(*) FILTER (WHERE state = 'unmatched')
                              FROM claim_eligibility WHERE incident_id = $INCIDENT")"
[[ "$MATCHED" == "$((CLAIMS / 2))|$((CLAIMS - CLAIMS / 2))" ]] ||
    die "recompute: matched|unmatched is $MATCHED, expected $((CLAIMS / 2))|$((CLAIMS - CLAIMS / 2))"
info "recompute: ${RECOMPUTE_S}s, matched|unmatched $MATCHED"

# 3. intake, matching on and off ------------------------------------------------------------
PORT=$((20000 + RANDOM % 20000))
"$RECOURS_BIN" serve --port "$PORT" --intake-writers "$WRITERS" --secrets-dir "$TMP/secrets" \
    --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" --migrations-dir "$TMP/db-migrations" \
    --web-dir "$ROOT/web" --risk-domains-file "$ROOT/data/disposable_domains.txt" \
    --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --shutdown-grace 2 \
    --mail-dir "$TMP/mail" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 150; i++)); do
    [[ "$(curl -sk --max-time 2 -o /dev/null -w '%{http_code}' \
        "https://127.0.0.1:$PORT/readyz" 2>/dev/null)" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "recours serve exited: $(tail -n 5 "$TMP/server.log")"
    sleep 0.1
done

LIST="$(psql_ "$BENCH_DB" "SELECT list_id FROM eligibility_current WHERE incident_id = $INCIDENT")"
# incident VARIANT NAME: a fresh incident (claim.lua's phones and identities repeat from one
# run to the next, and dedup is per incident); for "on" its list pointer set to the big list:
# its hashes are made under another matching key, so nothing matches, but every claim pays
# the same three lookups in the same 33.7 M-entry index as a claim of bench-elig would
incident() {
    "$RECOURS_BIN" incident add --slug "$2" --controller "Bench SA" --title "Bench" \
        --disclosed-on 2026-01-01 --affected "$HASHES" \
        --categories name,email,phone,postal_address,birth_date,password --currency EUR \
        >/dev/null || die "incident add failed"
    [[ "$1" == off ]] || psql_ "$BENCH_DB" "INSERT INTO eligibility_current (incident_id, list_id)
        SELECT id, $LIST FROM incidents WHERE slug = '$2'" >/dev/null
}

# wrk_run SECONDS SLUG TAG OUT
wrk_run() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --latency -s "$ROOT/bench/intake/claim.lua" \
        "https://127.0.0.1:$PORT" -- "$2" "$3" >"$4" 2>&1 ||
        { cat "$4" >&2; die "wrk failed: every claim must be answered 201"; }
}
field() { sed -n "s/^RESULT .*\\b$1=\\([0-9]*\\).*/\\1/p" "$2"; }

: >"$TMP/results"
for ((round = 1; round <= ROUNDS; round++)); do
    for variant in on off; do
        slug="bench-$variant-$round"
        incident "$variant" "$slug-warm"
        incident "$variant" "$slug"
        wrk_run "$WARMUP" "$slug-warm" "w$round$variant" "$TMP/warm.txt"
        bench_checkpoint
        out="$TMP/wrk-$round-$variant.txt"
        wrk_run "$DURATION" "$slug" "r$round$variant" "$out"
        awk -v v="$variant" -v c="$(field created "$out")" -v d="$(field duration_us "$out")" \
            -v a="$(field p50_us "$out")" -v b="$(field p99_us "$out")" \
            'BEGIN { printf "%s %.0f %.2f %.2f\n", v, c * 1e6 / d, a / 1000, b / 1000 }' \
            >>"$TMP/results"
        info "round $round $variant: claims/s p50 ms p99 ms: $(tail -n 1 "$TMP/results" | cut -d' ' -f2-)"
    done
done

median() { # VARIANT COLUMN
    awk -v v="$1" -v k="$2" '$1 == v { print $k }' "$TMP/results" | sort -n |
        awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
ON=$(median on 2)
OFF=$(median off 2)

cat <<EOF
| step | figure |
|---|---|
| import of $HASHES lines | $(printf '%.0f' "$IMPORT_S") s, $(echo "$HASHES / $IMPORT_S" | bc) lines/s, importer peak RSS $IMPORT_RSS MiB |
| after the import | $ENTRIES entries; eligibility_entries $ENTRIES_SIZE; database $DB_SIZE |
| recompute of $CLAIMS claims | $(printf '%.0f' "$RECOMPUTE_S") s, $(echo "$CLAIMS / $RECOMPUTE_S" | bc) claims/s, peak RSS $RECOMPUTE_RSS MiB; matched/unmatched $MATCHED |

| intake (median of $ROUNDS, ${DURATION} s each, $CONNECTIONS connections) | claims/s | p50 ms | p99 ms |
|---|---|---|---|
| matching ON (list of $ENTRIES hashes) | $ON | $(median on 3) | $(median on 4) |
| matching OFF (no list) | $OFF | $(median off 3) | $(median off 4) |
| ON / OFF | $(echo "scale=3; $ON / $OFF" | bc) | | |
EOF
