#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/pages/run.sh: the public page of a representative action, GET /a/{id}, served by
# recours over HTTPS at 64 connections, against GET /healthz of the same server in the same
# run (issue 12: the page must keep at least half the rate of /healthz), and the weight of
# every public page with its CSS and scripts (under 100 KB).
#
#   bench/pages/run.sh                     build/recours, the private cluster of ./scripts/run
#
# Settings (environment): DURATION (10, s per measurement), WARMUP (2, s), ROUNDS (3),
# THREADS (2), CONNECTIONS (64), WORKERS (8, recours --workers).
# Each round measures /healthz then /a/{id} (French, no cookie: what a shared link opens)
# with WARMUP s of wrk discarded then DURATION s of `wrk --latency`. A fresh database is made
# and dropped. Progress goes to stderr; the Markdown block for bench/RESULTS.md to stdout.
set -euo pipefail

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WORKERS="${WORKERS:-8}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT

info() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

for v in DURATION WARMUP ROUNDS THREADS CONNECTIONS WORKERS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install $tool)"
done

# shellcheck source=bench/lib/db.sh
source "$ROOT/bench/lib/db.sh"
RECOURS_BIN="${RECOURS_BIN:-$ROOT/build/recours}"
[[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN is not built: cmake --build build"
ensure_database_url
split_database_url

TMP="$(mktemp -d)"
SERVER_PID=""
BENCH_DB="bench_pages_$(date -u +%Y%m%d_%H%M%S)_$$"
BENCH_DB_MADE=0
cleanup() {
    set +e
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID"
    ((BENCH_DB_MADE)) && drop_bench_database "$BENCH_DB"
    rm -rf "$TMP"
}
trap cleanup EXIT

psql_ "$URL_DB" "CREATE DATABASE $BENCH_DB" >/dev/null || die "could not create $BENCH_DB"
BENCH_DB_MADE=1
DATABASE_URL="$(url_for "$BENCH_DB" with-password)"
export DATABASE_URL
(cd "$ROOT" && "$RECOURS_BIN" migrate >"$TMP/migrate.log" 2>&1) || die "migrate failed"
(cd "$ROOT" && "$RECOURS_BIN" secrets init --secrets-dir "$TMP/secrets" >/dev/null) ||
    die "recours secrets init failed"
PORT=$((20000 + RANDOM % 20000))
(cd "$ROOT" && exec "$RECOURS_BIN" serve --port "$PORT" --workers "$WORKERS" \
    --secrets-dir "$TMP/secrets" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" \
    --mail-dir "$TMP/mail" --rate-limit-burst 1000000 --shutdown-grace 1 >"$TMP/server.log" 2>&1) &
SERVER_PID=$!
BASE="https://127.0.0.1:$PORT"
for ((i = 0; i < 100; i++)); do
    curl -sfk --max-time 2 "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "recours did not start: $(tail -n 5 "$TMP/server.log")"
    sleep 0.1
done

# --- fixtures: an incident with Coupang's preset, an approved association, an open action ---
OP="$(tr -d '\n' <"$TMP/secrets/operator-key")"
api() { # METHOD PATH [BODY] [TOKEN]: the JSON answer on stdout, fails on >= 400
    curl -sfk -X "$1" "$BASE$2" -H "Authorization: Bearer ${4:-$OP}" \
        -H "Content-Type: ${CT:-application/json}" ${3:+--data-binary "$3"}
}
json() { python3 -c 'import json, sys; print(json.load(sys.stdin)'"$1"')'; }
SLUG="bench-pages-$$"
api POST /v1/incidents "{\"slug\": \"$SLUG\", \"controller\": \"Coupang Corp.\",
    \"title\": \"Coupang account breach\", \"disclosed_on\": \"2025-11-29\",
    \"affected_count\": 33700000, \"data_categories\": [\"name\", \"email\", \"phone\",
    \"postal_address\", \"order_history\"], \"currency\": \"KRW\"}" >/dev/null
api GET /v1/schemes/presets | python3 -c '
import json, sys
print(json.dumps(next(p for p in json.load(sys.stdin)["data"] if p["id"] == "coupang-2025")["scheme"]))' \
    >"$TMP/scheme.json"
api PUT "/v1/incidents/$SLUG/scheme" "$(cat "$TMP/scheme.json")" >/dev/null
ASSOC="$(api POST /v1/associations '{"name": "Association Bench", "approval_reference": "AGR-BENCH",
    "approved_from": "2025-01-01", "approved_until": null, "country": "FR",
    "contact_email": "bench@example.org"}' | json '["id"]')"
CT=application/merge-patch+json api PATCH "/v1/associations/$ASSOC" '{"status": "approved"}' >/dev/null
KEY="$(api POST "/v1/associations/$ASSOC/keys" '{"label": "bench"}' | json '["secret"]')"
DEADLINE="$(date -u -d '+180 days' +%Y-%m-%dT23:59:59Z)"
ACTION="$(api POST /v1/actions "{\"incident\": \"$SLUG\", \"title\": \"Action de groupe Coupang\",
    \"legal_basis\": \"eu-directive-2020-1828\", \"opt_in_deadline\": \"$DEADLINE\",
    \"counsel_name\": \"Maître Bench\", \"counsel_email\": \"counsel@example.org\",
    \"mandate_text\": \"Je donne mandat à l'association de me représenter.\",
    \"mandate_text_version\": \"v1\", \"funding_sources\": \"Cotisations\",
    \"next_date\": \"2027-03-15\"}" "$KEY" | json '["id"]')"
info "action $ACTION on $SLUG"

# --- rates ------------------------------------------------------------------------------------
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"; }
declare -a H=() A=()
for ((r = 1; r <= ROUNDS; r++)); do
    for target in healthz action; do
        url="$BASE/healthz"
        [[ "$target" == action ]] && url="$BASE/a/$ACTION"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$TMP/$target.$r"
        info "round $r $target: $(rps "$TMP/$target.$r") req/s," \
            "p99 $(p99 "$TMP/$target.$r"), non-2xx $(non2xx "$TMP/$target.$r")"
        [[ "$(non2xx "$TMP/$target.$r")" == 0 ]] || die "$target answered non-2xx"
        if [[ "$target" == healthz ]]; then H+=("$(rps "$TMP/$target.$r")"); else A+=("$(rps "$TMP/$target.$r")"); fi
    done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
MH="$(median "${H[@]}")"
MA="$(median "${A[@]}")"
RATIO="$(awk -v a="$MA" -v h="$MH" 'BEGIN { printf "%.2f", a / h }')"

# --- page weight: the page, its stylesheets and scripts, the modules and catalogue they load --
weight() { # PATH: "total html css_js" in bytes
    python3 - "$BASE" "$1" <<'PY'
import re, ssl, sys, urllib.request
base, path = sys.argv[1], sys.argv[2]
ctx = ssl._create_unverified_context()
def get(p):
    req = urllib.request.Request(base + p, headers={"Accept": "text/html"})
    try:
        return urllib.request.urlopen(req, context=ctx).read()
    except urllib.error.HTTPError as e:
        return e.read()
page = get(path)
refs = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', page)
refs += re.findall(rb'<script[^>]* src="([^"]+)"', page)
seen, total_assets, todo = set(), 0, [r.decode() for r in refs]
while todo:
    r = todo.pop()
    if r in seen:
        continue
    seen.add(r)
    body = get(r)
    total_assets += len(body)
    if r.endswith(".js"):
        todo += ["/static/" + m for m in re.findall(r'from\s+"\./([^"]+)"', body.decode())]
        if "/i18n/" in body.decode():
            todo.append("/i18n/fr.json")
print(len(page) + total_assets, len(page), total_assets)
PY
}
declare -A W=()
PAGES=("/" "/i/$SLUG" "/a/$ACTION" "/privacy" "/legal" "/accessibility" "/no-such-page" "/claim"
    "/my-claim")
for p in "${PAGES[@]}"; do W[$p]="$(weight "$p")"; done

# --- the block for bench/RESULTS.md ---------------------------------------------------------
cat <<MD
<!-- bench/pages/run.sh: generated block -->

Run of $(date -u +%Y-%m-%dT%H:%M:%SZ), \`bench/pages/run.sh\` at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo -dirty): one recours (\`--workers $WORKERS\`) over HTTPS,
\`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s\` after ${WARMUP} s of warm-up, $ROUNDS rounds of /healthz then /a/{id} (French, no
cookie, Coupang preset incident, one open action); $(nproc) cores shared with the other work of the machine
(load average $(cut -d' ' -f1-3 /proc/loadavg) at the end).

| target | req/s per round | median req/s |
|---|---|---:|
| GET /healthz | ${H[*]} | $MH |
| GET /a/{id} | ${A[*]} | $MA |

/a/{id} at **$RATIO×** the rate of /healthz (target ≥ 0.5: $(awk -v r="$RATIO" 'BEGIN { print (r >= 0.5) ? "yes" : "no" }')).

| page | bytes with CSS and scripts | HTML | CSS + scripts (+ catalogue) |
|---|---:|---:|---:|
MD
for p in "${PAGES[@]}"; do
    read -r total html assets <<<"${W[$p]}"
    label="$p"
    [[ "$p" == "/i/$SLUG" ]] && label="/i/{slug}"
    [[ "$p" == "/a/$ACTION" ]] && label="/a/{id}"
    [[ "$p" == /no-such-page ]] && label="404 page (browser)"
    printf '| %s | %s%s | %s | %s |\n' "$label" "$total" \
        "$( ((total < 102400)) && echo "" || echo " (over 100 KB)")" "$html" "$assets"
done
echo
echo "<!-- bench/pages/run.sh: end of generated block -->"
