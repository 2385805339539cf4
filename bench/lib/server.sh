# SPDX-License-Identifier: AGPL-3.0-or-later
# A recours server of a bench (sourced, not run): a free port for it, waiting until it is
# ready, stopping it. The caller starts `recours serve --port "$PORT" ...` in the background
# itself (each bench has its own flags) and sets SERVER_PID; die comes from common.sh.
# shellcheck shell=bash

# port_free PORT: true when nothing accepts connections on 127.0.0.1:PORT
port_free() {
    local rc=0

    # shellcheck disable=SC2016 # $1 is the inner shell's argument
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null || rc=$?
    [[ $rc -eq 1 ]]
}

# next_free_port: sets PORT to a free port above the last one handed out (a random start, so
# that two benches do not race for the same ports)
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

# server_ready TRIES CURL_TLS_ARGS...: true once https://127.0.0.1:$PORT/readyz answers 200
# (asked every 0.1 s, TRIES times at most); false at once when SERVER_PID has exited.
# CURL_TLS_ARGS: -k, or --cacert FILE.
server_ready() {
    local tries="$1" i
    shift

    for ((i = 0; i < tries; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        if [[ "$(curl -s "$@" --max-time 2 -o /dev/null -w '%{http_code}' \
            "https://127.0.0.1:$PORT/readyz" 2>/dev/null)" == 200 ]]; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# stop_server: SIGTERM to SERVER_PID (its intake writers drain), waits for it to exit
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
