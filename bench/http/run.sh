#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/http/run.sh: GET /healthz from recours over HTTPS beside nginx serving a static file
# of the same body over HTTPS, on this machine, in one run (issue 3).
#
#   bench/http/run.sh                      build/recours (built if needed), private cluster
#   RECOURS_BIN=/path/to/recours bench/http/run.sh
#
# Settings (environment): DURATION (10, s per measurement), WARMUP (2, s), ROUNDS (3),
# THREADS (2), CONNECTIONS (64), WORKERS ("2 4 16": the recours --workers values tried),
# EXTRA (""): more recours variants with the default worker count, each LABEL:FLAG[,FLAG...],
# e.g. EXTRA="hdr8k:--max-header-bytes=8192" (measured after the others in each round),
# QUIET_WAIT (120, s): before each measurement, wait up to this long for the other processes of
# the machine to use less than 15% of one CPU over 1 s (0: do not wait),
# BENCH_KEEP=1 keeps the temporary directory (wrk outputs, logs; it holds throw-away secrets).
#
# Each round measures, one after the other: recours with the default worker count, nginx, then
# recours with each other worker count; every measurement is WARMUP s of wrk (discarded) then
# DURATION s of `wrk -tTHREADS -cCONNECTIONS --latency`. All servers run from the start (the
# idle ones sleep in epoll_wait) so the runs of one round are next to each other in time.
# Both servers log every request to a file with one write(2) each: recours its JSON access
# line on stderr (redirected), nginx its default `combined` access_log (unbuffered).
# Progress goes to stderr; the Markdown block to paste in bench/RESULTS.md goes to stdout.
set -euo pipefail

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
WORKERS="${WORKERS:-2 4 16}"
EXTRA="${EXTRA:-}"
QUIET_WAIT="${QUIET_WAIT:-120}"
BENCH_KEEP="${BENCH_KEEP:-0}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
BODY='{"status":"ok"}'

# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$ROOT/bench/lib/common.sh" # info, warn, die, ensure_packages, ensure_binary
# shellcheck source=SCRIPTDIR/../lib/db.sh
. "$ROOT/bench/lib/db.sh"     # ensure_database_url
# shellcheck source=SCRIPTDIR/../lib/server.sh
. "$ROOT/bench/lib/server.sh" # next_free_port
# shellcheck source=SCRIPTDIR/../lib/cpu.sh
. "$ROOT/bench/lib/cpu.sh"    # CLK_TCK, machine_busy
# shellcheck source=SCRIPTDIR/../lib/quiet.sh
. "$ROOT/bench/lib/quiet.sh"  # wait_quiet

[[ "$QUIET_WAIT" =~ ^[0-9]+$ ]] || die "QUIET_WAIT must be a number of seconds"
for v in DURATION WARMUP ROUNDS THREADS CONNECTIONS; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
read -r -a WORKER_LIST <<<"$WORKERS"
((${#WORKER_LIST[@]} > 0)) || die "WORKERS is empty"
for w in "${WORKER_LIST[@]}"; do
    [[ "$w" =~ ^[1-9][0-9]*$ ]] || die "WORKERS: '$w' is not a positive integer"
done
read -r -a EXTRA_LIST <<<"$EXTRA"
for x in "${EXTRA_LIST[@]}"; do
    [[ "$x" =~ ^[A-Za-z0-9_-]+:--[a-z-]+(=[^,]*)?(,--[a-z-]+(=[^,]*)?)*$ ]] ||
        die "EXTRA: '$x' is not LABEL:--flag[=value][,--flag[=value]...]"
done

# --- what the run needs -------------------------------------------------------------------

# ensure_binary (bench/lib/common.sh): RECOURS_BIN, or build/ built as ./scripts/run builds it

# --- servers --------------------------------------------------------------------------------

TMP=""
declare -a SERVER_PIDS=()
declare -A PORT_OF=() LOG_OF=() PID_OF=()

cleanup() {
    local pid

    set +e
    for pid in "${SERVER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    remove_tmp_dir "$TMP" "$BENCH_KEEP"
}
on_exit_cleanup

# Waits until https://127.0.0.1:$2/healthz answers 200 with BODY while process $3 lives.
wait_ready() {
    local name="$1" port="$2" pid="$3" got i

    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        got="$(curl -sk --max-time 2 "https://127.0.0.1:$port/healthz" 2>/dev/null || true)"
        if [[ "$got" == "$BODY" ]]; then
            return 0
        fi
        if [[ -n "$got" ]]; then
            warn "$name answered '$got' instead of '$BODY'"
            return 1
        fi
        sleep 0.1
    done
    return 1
}

# start_recours NAME WORKERS [FLAG...]
start_recours() {
    local name="$1" workers="$2" log pid
    shift 2

    next_free_port
    log="$TMP/$name.log"
    # stderr is opened O_APPEND so the log can be truncated between runs
    (cd "$ROOT" && exec "$RECOURS_BIN" serve --port "$PORT" --workers "$workers" \
        --secrets-dir "$TMP/secrets" --tls-cert "$TMP/tls/cert.pem" \
        --tls-key "$TMP/tls/key.pem" --mail-dir "$TMP/mail" --shutdown-grace 1 "$@" >>"$log" 2>&1) &
    pid=$!
    SERVER_PIDS+=("$pid")
    if ! wait_ready "$name" "$PORT" "$pid"; then
        tail -n 20 "$log" >&2
        die "$name did not start on port $PORT"
    fi
    PORT_OF[$name]=$PORT
    LOG_OF[$name]=$log
    PID_OF[$name]=$pid
    info "$name: pid $pid, https://127.0.0.1:$PORT/healthz"
}

start_nginx() {
    local conf="$TMP/nginx/nginx.conf" pid ciphers

    next_free_port
    mkdir -p "$TMP/nginx/logs" "$TMP/www"
    printf '%s' "$BODY" >"$TMP/www/healthz"
    # nginx workers run as `nobody`: they must pass through $TMP and read the file.
    chmod 0711 "$TMP"
    chmod 0755 "$TMP/www"
    chmod 0644 "$TMP/www/healthz"
    # The same suites as recours's GnuTLS priority string (docs/architecture.md §9): ECDHE with
    # AEAD only.
    ciphers="ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"
    ciphers+=":ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384"
    ciphers+=":ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305"
    cat >"$conf" <<EOF
# written by bench/http/run.sh
worker_processes auto;
daemon off;
master_process on;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log $TMP/nginx/logs/access.log combined;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    server {
        listen 127.0.0.1:$PORT ssl;
        server_name localhost;
        ssl_certificate $TMP/tls/cert.pem;
        ssl_certificate_key $TMP/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers $ciphers;
        ssl_prefer_server_ciphers on;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        root $TMP/www;
        # the headers recours adds to every answer, so both send about as many bytes
        server_tokens off;
        etag off;
        location = /healthz {
            default_type "application/json; charset=utf-8";
            add_header X-Request-Id \$request_id always;
            add_header X-Content-Type-Options nosniff always;
            add_header Cache-Control no-store always;
            add_header Strict-Transport-Security "max-age=31536000" always;
        }
    }
}
EOF
    nginx -t -q -c "$conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" ||
        die "nginx rejected $conf"
    nginx -c "$conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" &
    pid=$!
    SERVER_PIDS+=("$pid")
    if ! wait_ready nginx "$PORT" "$pid"; then
        tail -n 20 "$TMP/nginx/logs/error.log" >&2
        die "nginx did not start on port $PORT"
    fi
    PORT_OF[nginx]=$PORT
    LOG_OF[nginx]="$TMP/nginx/logs/access.log"
    PID_OF[nginx]=$pid
    info "nginx: pid $pid, https://127.0.0.1:$PORT/healthz"
}

# --- measuring ------------------------------------------------------------------------------

# Prints "rps avg_ms p50_ms p99_ms requests non2xx socket_errors" from a wrk --latency output.
parse_wrk() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        $1 == "Latency" && avg == "" { avg = ms($2) }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        $2 == "requests" && $3 == "in" { reqs = $1 }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ {
            gsub(/,/, "")
            errs = $4 + $6 + $8 + $10
        }
        END {
            if (rps == "") exit 1
            printf "%.0f %.3f %.3f %.3f %d %d %d\n", rps, avg, p50, p99, reqs, non2xx, errs
        }' "$1"
}

# Access-log lines of a target since its log was last truncated (recours: request lines only).
logged_requests() {
    local name="$1"

    if [[ "$name" == nginx ]]; then
        wc -l <"${LOG_OF[$name]}"
    else
        grep -c '"msg":"request"' "${LOG_OF[$name]}" || true
    fi
}

# CPU time (user + system, clock ticks) used so far by process $1 and its children that still
# run (nginx: the master and its workers; recours: one process, all its threads).
cpu_ticks() {
    local pid total=0 t
    local -a pids=("$1") kids=()

    # one line without a newline: read returns 1 at its end, having filled kids
    read -r -a kids <"/proc/$1/task/$1/children" || true
    pids+=("${kids[@]}")
    for pid in "${pids[@]}"; do
        # fields after the ")" that closes the command name: utime is the 12th, stime the 13th
        t="$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')" || t=0
        total=$((total + t))
    done
    printf '%s\n' "$total"
}

# Prints "busy idle steal" clock ticks of all CPUs since boot (/proc/stat; guest time is in user).
machine_ticks() {
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $5 + $6, $9; exit }' /proc/stat
}

# measure NAME ROUND: warm-up, then the measured wrk run; appends a line to $TMP/results:
# name round rps avg_ms p50_ms p99_ms requests non2xx socket_errors server_cpu_s wrk_cpu_s
# server_us_per_request others_cpu_s idle_cpu_s steal_s. others: CPU time neither the server
# under test nor wrk used (the idle servers, and whatever else runs on the machine): noise.
measure() {
    local name="$1" round="$2" url out fields logged t0 t1 m0 m1 server_s wrk_s us_per_req
    local rps avg p50 p99 reqs non2xx errs others_s idle_s steal_s TIMEFORMAT='%U %S'

    url="https://127.0.0.1:${PORT_OF[$name]}/healthz"
    out="$TMP/wrk/$name.round$round.txt"
    wait_quiet
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
    : >"${LOG_OF[$name]}"
    t0="$(cpu_ticks "${PID_OF[$name]}")"
    m0="$(machine_ticks)"
    { time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$out"; } \
        2>"$out.time"
    m1="$(machine_ticks)"
    t1="$(cpu_ticks "${PID_OF[$name]}")"
    fields="$(parse_wrk "$out")" || die "could not parse $out"
    logged="$(logged_requests "$name")"
    : >"${LOG_OF[$name]}"
    read -r rps avg p50 p99 reqs non2xx errs <<<"$fields"
    server_s="$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", d / hz }')"
    wrk_s="$(awk '{ printf "%.2f", $1 + $2 }' "$out.time")"
    us_per_req="$(awk -v s="$server_s" -v n="$reqs" 'BEGIN { printf "%.1f", n ? s * 1e6 / n : 0 }')"
    read -r others_s idle_s steal_s < <(awk -v a="$m0" -v b="$m1" -v hz="$CLK_TCK" \
        -v srv="$server_s" -v w="$wrk_s" 'BEGIN {
            split(a, x, " "); split(b, y, " ")
            o = (y[1] - x[1]) / hz - srv - w
            printf "%.2f %.2f %.2f\n", (o > 0 ? o : 0), (y[2] - x[2]) / hz, (y[3] - x[3]) / hz
        }')
    printf '%s %s %s %s %s %s %s %s %s %s %s %s %s %s %s\n' "$name" "$round" "$rps" "$avg" \
        "$p50" "$p99" "$reqs" "$non2xx" "$errs" "$server_s" "$wrk_s" "$us_per_req" \
        "$others_s" "$idle_s" "$steal_s" >>"$TMP/results"
    info "round $round $name: $rps req/s, latency avg $avg ms, p99 $p99 ms," \
        "$reqs requests ($logged logged), CPU s server $server_s wrk $wrk_s" \
        "($us_per_req us/request) others $others_s idle $idle_s steal $steal_s," \
        "non-2xx $non2xx, socket errors $errs"
    if ((non2xx > 0 || errs > 0)); then
        warn "$name: $non2xx non-2xx answers and $errs socket errors in round $round"
    fi
}

# median NAME COLUMN (3 rps, 4 avg, 5 p50, 6 p99, 10 server CPU s, 11 wrk CPU s,
# 12 server us/request, 13 others CPU s, 14 idle CPU s, 15 steal s in $TMP/results)
median() {
    awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$TMP/results" | sort -g |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) exit 1
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

# min and max of a column, "min–max"
spread() {
    awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$TMP/results" | sort -g |
        awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'
}

pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }

# Response header bytes and negotiated TLS version/cipher of a target, for the record.
describe_target() {
    local port="${PORT_OF[$1]}" hdr tls

    hdr="$(curl -sk -D - -o /dev/null "https://127.0.0.1:$port/healthz" | wc -c)"
    tls="$(openssl s_client -connect "127.0.0.1:$port" -servername localhost </dev/null 2>/dev/null |
        awk '/^New, / { print $2, $NF; exit }')"
    printf '%s header bytes, %s' "$hdr" "${tls:-?}"
}

# --- main -----------------------------------------------------------------------------------

# (Debian's nginx package may start its own service on port 80; ours is separate.)
ensure_packages wrk nginx-light curl
ensure_binary
# serve needs a database URL even though /healthz never uses it: the private cluster of
# scripts/lib/pg.sh (started by ./scripts/run or ./scripts/test) when DATABASE_URL is unset.
ensure_database_url
command -v nginx >/dev/null || die "nginx is not on PATH"

TMP="$(mktemp -d /tmp/recours-bench-http.XXXXXX)"
mkdir -p "$TMP/wrk" "$TMP/tls"
: >"$TMP/results"
info "temporary directory $TMP"
(cd "$ROOT" && "$RECOURS_BIN" secrets init --secrets-dir "$TMP/secrets" >/dev/null) ||
    die "recours secrets init failed"

DEFAULT_WORKERS="$("$RECOURS_BIN" serve --help | awk '$1 == "--workers" { print $3 }')"
[[ "$DEFAULT_WORKERS" =~ ^[0-9]+$ ]] || die "cannot read the default --workers from serve --help"
# The default worker count first (it also makes the self-signed EC P-256 certificate that
# every server then uses), then the others.
declare -a ORDER=("recours-w$DEFAULT_WORKERS")
start_recours "recours-w$DEFAULT_WORKERS" "$DEFAULT_WORKERS"
for w in "${WORKER_LIST[@]}"; do
    [[ "$w" == "$DEFAULT_WORKERS" ]] && continue
    start_recours "recours-w$w" "$w"
done
declare -A FLAGS_OF=()
for x in "${EXTRA_LIST[@]}"; do
    IFS=, read -r -a flags <<<"${x#*:}"
    FLAGS_OF["recours-w$DEFAULT_WORKERS-${x%%:*}"]="${flags[*]}"
    start_recours "recours-w$DEFAULT_WORKERS-${x%%:*}" "$DEFAULT_WORKERS" "${flags[@]}"
done
openssl x509 -in "$TMP/tls/cert.pem" -noout -text | grep -q 'prime256v1' ||
    warn "the certificate is not EC P-256"
start_nginx

# the measuring order of a round: recours (default), nginx, then the other worker counts
ORDER+=(nginx)
for w in "${WORKER_LIST[@]}"; do
    [[ "$w" == "$DEFAULT_WORKERS" ]] || ORDER+=("recours-w$w")
done
for x in "${EXTRA_LIST[@]}"; do
    ORDER+=("recours-w$DEFAULT_WORKERS-${x%%:*}")
done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
info "$ROUNDS rounds of: ${ORDER[*]} (${WARMUP} s warm-up + ${DURATION} s each)"
for ((round = 1; round <= ROUNDS; round++)); do
    for name in "${ORDER[@]}"; do
        measure "$name" "$round"
    done
done

# --- report ---------------------------------------------------------------------------------

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
# a measurement is noisy when other processes took more than 5% of the machine's CPU time
NOISY_LIMIT="$(awk -v n="$(nproc)" -v d="$DURATION" 'BEGIN { printf "%.2f", 0.05 * n * d }')"
NOISY="$(awk -v l="$NOISY_LIMIT" '$13 > l { n++ } END { print n + 0 }' "$TMP/results")"
NGINX_RPS="$(median nginx 3)"
CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency https://127.0.0.1:PORT/healthz"
MODEL="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
MEM="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
{
    printf '#### Run of %s\n\n' "$(date -u)"
    printf -- '- machine: %s CPUs (%s), %s RAM, kernel %s, Debian %s\n' "$(nproc)" "$MODEL" \
        "$MEM" "$(uname -r)" "$(cat /etc/debian_version)"
    printf -- '- versions: libmicrohttpd %s (GnuTLS %s), nginx-light %s (OpenSSL %s), wrk %s\n' \
        "$(pkg_version libmicrohttpd12)" "$(pkg_version libgnutls30)" \
        "$(pkg_version nginx-light)" "$(pkg_version libssl3)" "$(pkg_version wrk)"
    # shellcheck disable=SC2016 # Markdown backticks, not a command substitution
    printf -- '- command: `%s`, %s s warm-up first, %s rounds in the order %s\n' "$CMD" \
        "$WARMUP" "$ROUNDS" "${ORDER[*]}"
    printf -- '- load average (1, 5, 15 min) before: %s, after: %s (wrk and the server under test make about 2)\n' \
        "$LOAD_BEFORE" "$LOAD_AFTER"
    printf -- '- recours: %s; nginx: %s\n' "$(describe_target "${ORDER[0]}")" \
        "$(describe_target nginx)"
    # shellcheck disable=SC2016 # Markdown backticks, not a command substitution
    printf -- '- body `%s` (%d bytes) from both; both write an access-log line per request to a file\n\n' \
        "$BODY" "${#BODY}"
    printf '| server | req/s (median) | req/s (min–max) | latency avg ms | p50 ms | p99 ms | server CPU s | wrk CPU s | server CPU µs/req | others CPU s | idle CPU s | req/s vs nginx |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    for name in "${ORDER[@]}"; do
        rps="$(median "$name" 3)"
        label="$name"
        [[ "$name" == "recours-w$DEFAULT_WORKERS" ]] && label="$name (default)"
        [[ -n "${FLAGS_OF[$name]:-}" ]] && label="$name (\`${FLAGS_OF[$name]}\`)"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
            "$rps" "$(spread "$name" 3)" "$(median "$name" 4)" "$(median "$name" 5)" \
            "$(median "$name" 6)" "$(median "$name" 10)" "$(median "$name" 11)" \
            "$(median "$name" 12)" "$(median "$name" 13)" "$(median "$name" 14)" \
            "$(awk -v a="$rps" -v b="$NGINX_RPS" 'BEGIN { printf "%.2f", a / b }')"
    done
    printf '\nRatio recours (default, %s workers) / nginx, medians of %s rounds: **%s**\n' \
        "$DEFAULT_WORKERS" "$ROUNDS" \
        "$(awk -v a="$(median "${ORDER[0]}" 3)" -v b="$NGINX_RPS" 'BEGIN { printf "%.2f", a / b }')"
    if ((NOISY > 0)); then
        printf '\n**Noise:** %s of %s measurements had other processes use more than %s CPU s' \
            "$NOISY" "$(wc -l <"$TMP/results")" "$NOISY_LIMIT"
        # shellcheck disable=SC2016 # Markdown backticks, not a command substitution
        printf ' (5%% of the machine): see `others_cpu_s` below; a quieter rerun is worth more.\n'
    fi
    printf '\nEvery round:\n\n```\nserver round req/s avg_ms p50_ms p99_ms requests non2xx socket_errors server_cpu_s wrk_cpu_s server_us_per_req others_cpu_s idle_cpu_s steal_s\n'
    cat "$TMP/results"
    printf '```\n'
}
