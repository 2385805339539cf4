#!/usr/bin/env bash
# Chooses the default --workers for routes that wait on the database: a DB-reading route
# (GET /v1/incidents/{slug}: the incident, its scheme and its tallies, three queries) under
# wrk -t2 -c64, one server per worker count, all in one run so the counts compare.
# Usage: bench/http/workers.sh [counts...]   (default: 2 4 8 16 32)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$ROOT"
PG_BIN=/usr/lib/postgresql/15/bin
# shellcheck source=bench/lib/common.sh
. "$ROOT/bench/lib/common.sh" # info, warn, die
# shellcheck source=bench/lib/db.sh
. "$ROOT/bench/lib/db.sh" # ensure_database_url, split_database_url, psql_, drop_bench_database
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(2 4 8 16 32)
bin=${RECOURS_BIN:-build/recours}
ensure_database_url
split_database_url
tmp=$(mktemp -d /tmp/recours-bench-workers.XXXXXX)
pid=""
# a database of its own, dropped at the end: the incident it makes must never show on the site
# that ./scripts/run serves from the private cluster's database
bench_db="bench_workers_$(date -u +%Y%m%d_%H%M%S)_$$"
db_made=0
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    ((db_made)) && drop_bench_database "$bench_db"
    rm -rf "$tmp"
}
trap cleanup EXIT
psql_ "$URL_DB" "CREATE DATABASE $bench_db" >/dev/null || die "could not create $bench_db"
db_made=1
DATABASE_URL="$(url_for "$bench_db" with-password)"
export DATABASE_URL
"$bin" secrets init --secrets-dir "$tmp/secrets" > /dev/null
"$bin" migrate > /dev/null
port=$((20000 + RANDOM % 20000))
start() {
    "$bin" serve --port "$port" --workers "$1" --secrets-dir "$tmp/secrets" \
        --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --mail-dir "$tmp/mail" 2> "$tmp/log-$1" &
    pid=$!
    for _ in $(seq 100); do
        curl -sk -o /dev/null "https://127.0.0.1:$port/healthz" && return 0
        sleep 0.1
    done
    echo "server did not start" >&2
    exit 1
}
stop() {
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
}
start 4
key=$(cat "$tmp/secrets/operator-key")
slug="bench-workers-$RANDOM"
curl -sk -o /dev/null -X POST "https://127.0.0.1:$port/v1/incidents" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' \
    -d "{\"slug\":\"$slug\",\"controller\":\"Bench SA\",\"title\":\"Workers\",\"disclosed_on\":\"2026-01-01\",\"affected_count\":1000,\"data_categories\":[\"email\"],\"currency\":\"EUR\"}"
stop
printf '| workers | req/s | p50 ms | p99 ms |\n|---:|---:|---:|---:|\n'
for n in "${counts[@]}"; do
    start "$n"
    wrk -t2 -c64 -d3s "https://127.0.0.1:$port/v1/incidents/$slug" > /dev/null 2>&1 || true
    out=$(wrk -t2 -c64 -d10s --latency "https://127.0.0.1:$port/v1/incidents/$slug")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
    p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
    printf '| %s | %s | %s | %s |\n' "$n" "$rps" "$p50" "$p99"
    stop
done
