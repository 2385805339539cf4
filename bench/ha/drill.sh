#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The failover drill, on one machine, without containers (issue 16; deploy/ha/ is the same
# assembly in containers): three etcd members, two Patroni-managed PostgreSQL 15 instances in
# synchronous_mode, HAProxy (the leader through Patroni's REST API, the nodes on /readyz), two
# recours nodes, all local processes on loopback ports. Clients (drill_client.py) submit claims
# through HAProxy, retrying with their Idempotency-Key, while the drill in turn kills -9 the
# leader (Patroni and its PostgreSQL: the machine's death), kills -9 a recours node and stops
# an etcd member, each several times. Then every acknowledged claim is checked: there once,
# with its content. Figures go to bench/RESULTS.md ("Failover drill") by hand.
#
# Usage: bash bench/ha/drill.sh            (as root, Debian 12; installs what is missing)
#   DRILL_LEADER_KILLS=5 DRILL_NODE_KILLS=5 DRILL_ETCD_STOPS=3 DRILL_THREADS=8
#   DRILL_DIR=var/ha-drill (wiped at start)  DRILL_KEEP=1 leaves everything running
# A bench, not a test: ./scripts/test does not run it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
work="${DRILL_DIR:-$root/var/ha-drill}"
leader_kills="${DRILL_LEADER_KILLS:-5}"
node_kills="${DRILL_NODE_KILLS:-5}"
etcd_stops="${DRILL_ETCD_STOPS:-3}"
threads="${DRILL_THREADS:-8}"
bin="$root/build/recours"
pgbin=/usr/lib/postgresql/15/bin

# loopback ports, away from the usual ones
etcd_client=(32379 32381 32383)
etcd_peer=(32380 32382 32384)
pg_port=(35432 35433)
rest_port=(38008 38009)
primary_port=35000
replica_port=35001
front_port=38080
node_port=(38441 38442)

log() { printf '%s drill: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }

need_packages() {
    local missing=()
    for p in patroni etcd-server etcd-client haproxy postgresql-15 curl; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if [[ ! -x "$bin" ]]; then
        log "building recours"
        cmake -S "$root" -B "$root/build" >/dev/null && cmake --build "$root/build" -j2 --target recours >/dev/null
    fi
}

declare -A pids=()

start_bg() { # name, command...: starts in its own session, log in $work/<name>.log
    local name="$1"; shift
    setsid "$@" >>"$work/$name.log" 2>&1 </dev/null &
    pids[$name]=$!
}

as_postgres() { runuser -u postgres -- "$@"; }

wait_for() { # seconds, what, command...
    local deadline=$((SECONDS + $1)) what="$2"; shift 2
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "timed out waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}

# --- etcd ------------------------------------------------------------------------------
etcd_cluster() {
    local i out=""
    for i in 0 1 2; do out+="${out:+,}e$i=http://127.0.0.1:${etcd_peer[$i]}"; done
    echo "$out"
}

start_etcd() { # index
    local i="$1"
    start_bg "etcd$i" etcd --name "e$i" --data-dir "$work/etcd$i" \
        --listen-client-urls "http://127.0.0.1:${etcd_client[$i]}" \
        --advertise-client-urls "http://127.0.0.1:${etcd_client[$i]}" \
        --listen-peer-urls "http://127.0.0.1:${etcd_peer[$i]}" \
        --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer[$i]}" \
        --initial-cluster "$(etcd_cluster)" --initial-cluster-state new \
        --initial-cluster-token recours-drill
}

etcd_endpoints() { echo "127.0.0.1:${etcd_client[0]},127.0.0.1:${etcd_client[1]},127.0.0.1:${etcd_client[2]}"; }

etcd_leader_index() { # the member that leads etcd's raft
    local i
    for i in 0 1 2; do
        if ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:${etcd_client[$i]}" endpoint status -w json 2>/dev/null |
            python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; sys.exit(0 if s["Status"]["leader"]==s["Status"]["header"]["member_id"] else 1)'; then
            echo "$i"; return
        fi
    done
    echo 0
}

# --- Patroni ---------------------------------------------------------------------------
patroni_config() { # index
    local i="$1"
    cat <<EOF
scope: recours-drill
namespace: /drill/
name: pg$i
restapi:
  listen: 127.0.0.1:${rest_port[$i]}
  connect_address: 127.0.0.1:${rest_port[$i]}
etcd3:
  hosts: $(etcd_endpoints)
bootstrap:
  dcs:
    # deploy/ha/patroni.yml: the same timings
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_connections: 100
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        shared_buffers: 64MB
        unix_socket_directories: $work/run
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  post_bootstrap: $work/post-bootstrap.sh
postgresql:
  listen: 127.0.0.1:${pg_port[$i]}
  connect_address: 127.0.0.1:${pg_port[$i]}
  data_dir: $work/pg$i
  bin_dir: $pgbin
  # a new standby copies the primary at once (spread: up to checkpoint_timeout later)
  basebackup:
    - checkpoint: fast
  pgpass: $work/run/pgpass$i
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
  authentication:
    superuser:
      username: postgres
      password: drill
    replication:
      username: replicator
      password: drill
  parameters:
    unix_socket_directories: $work/run
EOF
}

start_patroni() { # index
    local i="$1"
    start_bg "patroni$i" runuser -u postgres -- patroni "$work/patroni$i.yml"
}

role_of() { # index → primary | replica | (nothing)
    curl -fsS -m 1 "http://127.0.0.1:${rest_port[$1]}/patroni" 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("role",""))' 2>/dev/null || true
}

leader_index() {
    local i
    for i in 0 1; do
        if curl -fsS -m 1 -o /dev/null "http://127.0.0.1:${rest_port[$i]}/primary" 2>/dev/null; then
            echo "$i"; return 0
        fi
    done
    return 1
}

has_sync_standby() { # a leader and a streaming synchronous standby
    curl -fsS -m 1 "http://127.0.0.1:${rest_port[0]}/cluster" 2>/dev/null |
        python3 -c '
import json, sys
m = json.load(sys.stdin)["members"]
ok = any(x["role"] == "leader" and x["state"] == "running" for x in m) and \
     any(x["role"] == "sync_standby" and x["state"] in ("running", "streaming") for x in m)
sys.exit(0 if ok else 1)' 2>/dev/null ||
    curl -fsS -m 1 "http://127.0.0.1:${rest_port[1]}/cluster" 2>/dev/null |
        python3 -c '
import json, sys
m = json.load(sys.stdin)["members"]
ok = any(x["role"] == "leader" and x["state"] == "running" for x in m) and \
     any(x["role"] == "sync_standby" and x["state"] in ("running", "streaming") for x in m)
sys.exit(0 if ok else 1)'
}

kill_tree() { # pid: SIGKILL to it and every descendant
    local pid="$1" child
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill_tree "$child"; done
    kill -9 "$pid" 2>/dev/null || true
}

tree_of() { # pid: it and every descendant
    local pid="$1" child
    echo "$pid"
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do tree_of "$child"; done
}

kill_member() { # index, label: Patroni and its PostgreSQL, SIGKILL all at once, as a machine
    local i="$1" pm="" victims     # that dies; the kill is logged at the moment it happens
    [[ -f "$work/pg$i/postmaster.pid" ]] && pm="$(head -1 "$work/pg$i/postmaster.pid")"
    victims="$(tree_of "${pids[patroni$i]}"; [[ -n "$pm" ]] && tree_of "$pm")"
    echo "$(now) $2" >>"$work/kills.txt"
    # shellcheck disable=SC2086 # one word per pid
    kill -9 $victims 2>/dev/null || true
    wait "${pids[patroni$i]}" 2>/dev/null || true
}

# --- HAProxy and the nodes ---------------------------------------------------------------
haproxy_config() {
    cat <<EOF
global
    maxconn 4000
defaults
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend recours
    mode http
    bind 127.0.0.1:$front_port
    option forwardfor
    default_backend nodes
backend nodes
    mode http
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    retries 3
    option redispatch
    server n0 127.0.0.1:${node_port[0]} check
    server n1 127.0.0.1:${node_port[1]} check
listen primary
    mode tcp
    bind 127.0.0.1:$primary_port
    option httpchk GET /primary
    http-check expect status 200
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    server pg0 127.0.0.1:${pg_port[0]} check port ${rest_port[0]}
    server pg1 127.0.0.1:${pg_port[1]} check port ${rest_port[1]}
listen replicas
    mode tcp
    bind 127.0.0.1:$replica_port
    option httpchk GET /replica
    http-check expect status 200
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
    server pg0 127.0.0.1:${pg_port[0]} check port ${rest_port[0]}
    server pg1 127.0.0.1:${pg_port[1]} check port ${rest_port[1]}
EOF
}

start_node() { # index
    local i="$1"
    start_bg "node$i" "$bin" serve --plain-http --port "${node_port[$i]}" \
        --database-url "postgresql://recours@127.0.0.1:$primary_port/recours" \
        --database-read-url "postgresql://recours@127.0.0.1:$replica_port/recours" \
        --secrets-dir "$work/secrets" --mail-dir "$work/mail" --migrations-dir "$root/db-migrations" \
        --web-dir "$root/web" --trusted-proxies 127.0.0.1 --workers 4 \
        --rate-limit-burst 1000000 --rate-limit-per-s 1000000 --db-connect-timeout 1 \
        --erasure-interval 60
}

node_ready() { curl -fsS -m 1 -o /dev/null "http://127.0.0.1:${node_port[$1]}/readyz"; }

stop_all() {
    [[ "${DRILL_KEEP:-0}" == 1 ]] && { log "DRILL_KEEP=1: left running"; return; }
    local name
    for name in "${!pids[@]}"; do
        kill -TERM -- "-${pids[$name]}" 2>/dev/null || kill -TERM "${pids[$name]}" 2>/dev/null || true
    done
    sleep 2
    for name in "${!pids[@]}"; do kill_tree "${pids[$name]}"; done
    for i in 0 1; do
        [[ -f "$work/pg$i/postmaster.pid" ]] && kill_tree "$(head -1 "$work/pg$i/postmaster.pid")"
    done
    true
}

# --- the run ---------------------------------------------------------------------------
main() {
    need_packages
    rm -rf "$work"
    install -d -m 0755 "$work" "$work/out"
    install -d -o postgres -g postgres -m 0700 "$work/run" "$work/pg0" "$work/pg1"
    trap stop_all EXIT

    cat >"$work/post-bootstrap.sh" <<'EOF'
#!/bin/sh
set -eu
psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "CREATE ROLE recours LOGIN" -c "CREATE DATABASE recours OWNER recours"
EOF
    chmod 0755 "$work/post-bootstrap.sh"

    log "etcd: three members"
    for i in 0 1 2; do start_etcd "$i"; done
    wait_for 30 "etcd health" env ETCDCTL_API=3 etcdctl --endpoints "$(etcd_endpoints)" endpoint health

    log "Patroni: two PostgreSQL 15 members"
    for i in 0 1; do
        patroni_config "$i" >"$work/patroni$i.yml"
        chown postgres:postgres "$work/patroni$i.yml"
    done
    start_patroni 0
    wait_for 90 "a leader" leader_index
    start_patroni 1
    wait_for 120 "a synchronous standby" has_sync_standby

    haproxy_config >"$work/haproxy.cfg"
    start_bg haproxy haproxy -db -f "$work/haproxy.cfg"

    "$bin" secrets init --secrets-dir "$work/secrets" >"$work/secrets-init.txt"
    wait_for 30 "the leader through HAProxy" psql -X -q -d "postgresql://recours@127.0.0.1:$primary_port/recours" -c "SELECT 1"
    DATABASE_URL="postgresql://recours@127.0.0.1:$primary_port/recours" \
        "$bin" migrate --migrations-dir "$root/db-migrations" >"$work/migrate.log"
    for i in 0 1; do start_node "$i"; done
    for i in 0 1; do wait_for 30 "node $i ready" node_ready "$i"; done
    wait_for 20 "HAProxy sees the nodes" curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$front_port/readyz"

    local op slug notice
    op="$(cat "$work/secrets/operator-key")"
    slug="drill-$(date +%s)"
    notice="$(curl -fsS -X POST "http://127.0.0.1:$front_port/v1/incidents" \
        -H "Authorization: Bearer $op" -H 'Content-Type: application/json' \
        -d "{\"slug\":\"$slug\",\"controller\":\"Drill SA\",\"title\":\"Failover drill\",\"disclosed_on\":\"2026-01-01\",\"affected_count\":1000000,\"data_categories\":[\"email\",\"phone\"],\"currency\":\"EUR\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["privacy_notice_version"])')"

    log "load: $threads clients through HAProxy"
    python3 "$root/bench/ha/drill_client.py" load --url "http://127.0.0.1:$front_port" \
        --slug "$slug" --notice "$notice" --out "$work/out" --stop-file "$work/stop" \
        --threads "$threads" >"$work/client.log" 2>&1 &
    local client=$!
    : >"$work/kills.txt"
    sleep 5

    local round lk=0 nk=0 es=0 victim node=0
    for ((round = 0; lk < leader_kills || nk < node_kills || es < etcd_stops; round++)); do
        if ((lk < leader_kills)); then
            wait_for 180 "a synchronous standby before the kill" has_sync_standby
            sleep 3
            victim="$(leader_index)"
            log "leader kill $((lk + 1)): pg$victim (Patroni + PostgreSQL, SIGKILL)"
            kill_member "$victim" "leader-kill pg$victim"
            wait_for 60 "a new leader" leader_index
            log "new leader: pg$(leader_index); pg$victim back as a standby"
            start_patroni "$victim"
            lk=$((lk + 1))
        fi
        if ((nk < node_kills)); then
            wait_for 180 "a synchronous standby" has_sync_standby
            sleep 3
            log "node kill $((nk + 1)): recours node $node (SIGKILL)"
            echo "$(now) node-kill node$node" >>"$work/kills.txt"
            kill -9 "${pids[node$node]}"
            wait "${pids[node$node]}" 2>/dev/null || true
            sleep 3
            start_node "$node"
            wait_for 30 "node $node back" node_ready "$node"
            node=$((1 - node))
            nk=$((nk + 1))
        fi
        if ((es < etcd_stops)); then
            sleep 3
            victim="$(etcd_leader_index)"
            log "etcd stop $((es + 1)): member e$victim (the raft leader), SIGTERM"
            echo "$(now) etcd-stop e$victim" >>"$work/kills.txt"
            kill -TERM "${pids[etcd$victim]}"
            wait "${pids[etcd$victim]}" 2>/dev/null || true
            sleep 8
            start_bg "etcd$victim" etcd --name "e$victim" --data-dir "$work/etcd$victim" \
                --listen-client-urls "http://127.0.0.1:${etcd_client[$victim]}" \
                --advertise-client-urls "http://127.0.0.1:${etcd_client[$victim]}" \
                --listen-peer-urls "http://127.0.0.1:${etcd_peer[$victim]}" \
                --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer[$victim]}" \
                --initial-cluster "$(etcd_cluster)" --initial-cluster-state existing
            wait_for 30 "etcd healthy again" env ETCDCTL_API=3 etcdctl --endpoints "$(etcd_endpoints)" endpoint health
            es=$((es + 1))
        fi
    done
    wait_for 180 "a synchronous standby at the end" has_sync_standby
    sleep 5
    touch "$work/stop"
    wait "$client"
    cat "$work/client.log"

    log "checking every acknowledged claim"
    local rc=0
    python3 "$root/bench/ha/drill_client.py" check --url "http://127.0.0.1:$front_port" \
        --slug "$slug" --out "$work/out" --kills "$work/kills.txt" \
        --psql-url "postgresql://recours@127.0.0.1:$primary_port/recours" | tee "$work/verdict.md" || rc=$?
    log "verdict in $work/verdict.md and $work/out/verdict.json (exit $rc)"
    return "$rc"
}

main "$@"
