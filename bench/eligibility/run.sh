#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/eligibility/run.sh: `recours eligibility import` of a controller's list (issue 14,
# docs/eligibility.md): time, rows/s, the importer's peak memory, the database size.
#
#   bench/eligibility/run.sh [--hashes N]
#
#   --hashes N  lines of the list (1000000); a second version of N lines replaces it. The
#               incident has no claims: this measures the import alone (the recompute of
#               claims after it is not measured here)
#
# Environment: DATABASE_URL (default: the private cluster, var/secrets/database-url),
# RECOURS_BIN (default build/recours).
#
# In order: a FRESH database bench_elig_<time>_<pid>, migrated; throw-away secrets; an
# incident (`recours incident add`); a list of N random 32-byte hashes (email/phone/code in
# equal shares) written to a file; then, each under /usr/bin/time: the import of version 1,
# the same file again (unchanged), a new file as version 2 (replaces version 1). Prints one
# Markdown table. The database is dropped at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
PG_BIN=/usr/lib/postgresql/15/bin
HASHES=1000000

info() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'bench/eligibility: %s\n' "$*" >&2
    exit 1
}

while (($#)); do
    case "$1" in
    --hashes) HASHES="$2"; shift ;;
    -h | --help) sed -n '3,18p' "$0"; exit 0 ;;
    *) die "unknown argument '$1'" ;;
    esac
    shift
done
((HASHES >= 1000)) || die "--hashes: at least 1000"

. "$ROOT/bench/lib/db.sh"
ensure_database_url
split_database_url
RECOURS_BIN="${RECOURS_BIN:-$ROOT/build/recours}"
[[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN is not built (cmake --build build)"

TMP="$(mktemp -d /tmp/bench-elig.XXXXXX)"
BENCH_DB="bench_elig_$(date -u +%Y%m%d_%H%M%S)_$$"
BENCH_DB_MADE=0
cleanup() {
    set +e
    ((BENCH_DB_MADE)) && drop_bench_database "$BENCH_DB"
    rm -rf "$TMP"
}
trap cleanup EXIT

psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" >/dev/null
BENCH_DB_MADE=1
export DATABASE_URL
DATABASE_URL="$(url_for "$BENCH_DB" with-password)"
export RECOURS_SECRETS_DIR="$TMP/secrets"
"$RECOURS_BIN" migrate --migrations-dir "$ROOT/db-migrations" >"$TMP/migrate.log" 2>&1 ||
    die "migrate failed: $(tail -n 3 "$TMP/migrate.log")"
"$RECOURS_BIN" secrets init --secrets-dir "$RECOURS_SECRETS_DIR" >/dev/null 2>&1 ||
    die "secrets init failed"
"$RECOURS_BIN" incident add --slug bench-elig --controller "Bench SA" --title "Bench" \
    --disclosed-on 2026-01-01 --affected "$HASHES" --categories email,phone --currency EUR \
    >/dev/null || die "incident add failed"

make_list() { # FILE: N lines of random hashes
    python3 - "$HASHES" "$1" <<'PY'
import os, sys
n, path = int(sys.argv[1]), sys.argv[2]
kinds = ("email", "phone", "code")
with open(path, "w") as f:
    for i in range(n):
        f.write(kinds[i % 3] + "," + os.urandom(32).hex() + "\n")
PY
}
info "writing two lists of $HASHES lines"
make_list "$TMP/v1.csv"
make_list "$TMP/v2.csv"

# run NAME FILE: one import under /usr/bin/time; prints a table row
run() {
    local name="$1" file="$2" start end wall rss
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$TMP/time" "$RECOURS_BIN" eligibility import \
        --incident bench-elig "$file" >"$TMP/out" 2>"$TMP/err" ||
        die "import failed: $(tail -n 3 "$TMP/err")"
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc -l)
    rss=$(tail -n 1 "$TMP/time")
    local size
    size=$(psql_ "$BENCH_DB" "SELECT pg_size_pretty(pg_total_relation_size('eligibility_entries'))")
    printf '| %s | %s | %.1f | %.0f | %d | %s |\n' "$name" "$HASHES" "$wall" \
        "$(echo "$HASHES / $wall" | bc -l)" "$((rss / 1024))" "$size"
}

echo "| import | lines | seconds | lines/s | importer peak RSS (MiB) | eligibility_entries size |"
echo "|---|---|---|---|---|---|"
run "version 1 (new list)" "$TMP/v1.csv"
run "same file again (unchanged)" "$TMP/v1.csv"
run "version 2 (replaces 1)" "$TMP/v2.csv"
