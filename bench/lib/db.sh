# SPDX-License-Identifier: AGPL-3.0-or-later
# Database helpers shared by the benches (sourced, not run). The caller defines ROOT (the
# repository), PG_BIN (PostgreSQL 15 binaries), die MESSAGE and info MESSAGE.
# shellcheck shell=bash

ensure_database_url() {
    if [[ -n "${DATABASE_URL:-}" ]]; then
        return 0
    fi
    [[ -s "$ROOT/var/secrets/database-url" ]] ||
        die "DATABASE_URL is unset and there is no private cluster: run ./scripts/run first"
    DATABASE_URL="$(<"$ROOT/var/secrets/database-url")"
    export DATABASE_URL
}

# Splits DATABASE_URL: URL_HEAD (scheme://user@host:port, no password), URL_DB, URL_QUERY
# ("?..." or empty) and PGPASSWORD (exported, so that psql and pgbench never see the password
# on their command line).
split_database_url() {
    local re='^(postgres(ql)?://)(([^:@/]*)(:([^@/]*))?@)?([^/?]*)(/([^?]*))?(\?.*)?$'

    [[ "$DATABASE_URL" =~ $re ]] || die "DATABASE_URL is not a postgresql:// URL"
    URL_HEAD="${BASH_REMATCH[1]}${BASH_REMATCH[4]:+${BASH_REMATCH[4]}@}${BASH_REMATCH[7]}"
    # shellcheck disable=SC2034 # read by the scripts that source this file
    URL_DB="${BASH_REMATCH[9]:-postgres}"
    URL_QUERY="${BASH_REMATCH[10]:-}"
    if [[ -n "${BASH_REMATCH[6]}" ]]; then
        PGPASSWORD="$(printf '%b' "${BASH_REMATCH[6]//%/\\x}")"
        export PGPASSWORD
    fi
}

# url_for DB [WITH_PASSWORD]: a URL of database DB on the same server
url_for() {
    local head="$URL_HEAD"

    if [[ "${2:-}" == with-password && -n "${PGPASSWORD:-}" ]]; then
        head="${head/@/:$PGPASSWORD@}"
    fi
    printf '%s/%s%s\n' "$head" "$1" "$URL_QUERY"
}

# psql_ DB SQL: one query, unaligned tuples only, on database DB
psql_() {
    "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$(url_for "$1")" -c "$2"
}

# drop_bench_database DB: drops a bench's database, sessions and all. WITH (FORCE) is refused
# to a non-superuser while an autovacuum worker is in the database (likely after loading
# millions of rows): then our own sessions are ended and a plain DROP is tried until the
# worker has left (a minute at most). Says so when it could not.
drop_bench_database() {
    local db="$1" i

    psql_ "$URL_DB" "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 && return 0
    for ((i = 0; i < 60; i++)); do
        psql_ "$URL_DB" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                         WHERE datname = '$db' AND usename = current_user
                           AND pid <> pg_backend_pid()" >/dev/null 2>&1
        psql_ "$URL_DB" "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 && return 0
        sleep 1
    done
    printf 'could not drop database %s: drop it by hand\n' "$db" >&2
    return 1
}

# superuser_sql SQL: one statement as a superuser of the cluster: as the role when it is one,
# else as the postgres user over the private cluster's socket (when run as root); fails
# otherwise
superuser_sql() {
    psql_ "$URL_DB" "$1" 2>/dev/null && return 0
    [[ "${EUID:-$(id -u)}" -eq 0 && -S "$ROOT/var/pg/run/.s.PGSQL.5432" ]] || return 1
    (cd / && runuser -u postgres -- "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
        -h "$ROOT/var/pg/run" -p 5432 -d postgres -c "$1")
}

# checkpoint DB: a CHECKPOINT before a measurement, so that none starts in the middle of one
# (its full-page writes would weigh on one measurement only). Needs a superuser (or
# pg_checkpoint): superuser_sql; else skipped, and CHECKPOINT_SKIPPED=1 says so. (DB: the
# measured database; a CHECKPOINT is the whole cluster's.)
CHECKPOINT_SKIPPED=0
checkpoint() {
    superuser_sql CHECKPOINT >/dev/null 2>&1 && return 0
    # shellcheck disable=SC2034 # read by the benches' reports
    CHECKPOINT_SKIPPED=1
}

# use_pg_settings "NAME=VALUE ...": the cluster runs with exactly these settings on top of its
# configuration files (ALTER SYSTEM, so a superuser_sql), those of an earlier call reset;
# returns once the postmaster has reloaded (pg_conf_load_time of a new session moved), so the
# next server's connections have them. Nothing when they are already in force. Every bench
# that calls it calls reset_pg_settings on exit.
PG_SETTINGS_NOW=""
use_pg_settings() {
    local kv t0 tries
    local -a names=()

    [[ "$1" == "$PG_SETTINGS_NOW" ]] && return 0
    t0="$(psql_ "$URL_DB" "SELECT pg_conf_load_time()")"
    for kv in $PG_SETTINGS_NOW; do
        superuser_sql "ALTER SYSTEM RESET ${kv%%=*}" >/dev/null || die "could not reset ${kv%%=*}"
    done
    PG_SETTINGS_NOW=""
    for kv in $1; do
        [[ "$kv" =~ ^[a-z_]+=[A-Za-z0-9_.]+$ ]] || die "PostgreSQL setting '$kv' is not name=value"
        superuser_sql "ALTER SYSTEM SET ${kv%%=*} = '${kv#*=}'" >/dev/null ||
            die "could not set $kv: ALTER SYSTEM needs a superuser (or root beside the private cluster)"
        # each one set is known at once, so that an exit after it resets it
        PG_SETTINGS_NOW="${PG_SETTINGS_NOW:+$PG_SETTINGS_NOW }$kv"
        names+=("${kv%%=*}")
    done
    PG_SETTINGS_NOW="$1"
    superuser_sql "SELECT pg_reload_conf()" >/dev/null || die "could not reload the configuration"
    for ((tries = 0; tries < 300; tries++)); do
        [[ "$(psql_ "$URL_DB" "SELECT pg_conf_load_time() > '$t0'")" == t ]] && break
        sleep 0.1
    done
    ((tries < 300)) || die "the configuration was not reloaded within 30 s"
    ((${#names[@]} == 0)) || info "PostgreSQL settings now: $(for kv in "${names[@]}"; do
        printf '%s=%s ' "$kv" "$(psql_ "$URL_DB" "SHOW $kv")"; done)"
}

# reset_pg_settings: back to the configuration files' settings (use_pg_settings "")
reset_pg_settings() { use_pg_settings ""; }

# end_bench_database DB KEEP: drops DB (drop_bench_database), or with KEEP=1 keeps it and says
# how to drop it
end_bench_database() {
    if [[ "$2" == 1 ]]; then
        info "kept database $1 (drop it with: DROP DATABASE $1)"
    else
        drop_bench_database "$1"
    fi
}
