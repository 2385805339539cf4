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

# checkpoint DB: a CHECKPOINT before a measurement, so that none starts in the middle of one
# (its full-page writes would weigh on one measurement only). Needs a superuser (or
# pg_checkpoint): as the role, else as the postgres user over the private cluster's socket;
# else skipped, and CHECKPOINT_SKIPPED=1 says so.
CHECKPOINT_SKIPPED=0
checkpoint() {
    psql_ "$1" "CHECKPOINT" >/dev/null 2>&1 && return 0
    if [[ "${EUID:-$(id -u)}" -eq 0 && -S "$ROOT/var/pg/run/.s.PGSQL.5432" ]]; then
        (cd / && runuser -u postgres -- "$PG_BIN/psql" -X -q -h "$ROOT/var/pg/run" -p 5432 \
            -d postgres -c CHECKPOINT) >/dev/null 2>&1 && return 0
    fi
    # shellcheck disable=SC2034 # read by the benches' reports
    CHECKPOINT_SKIPPED=1
}

# end_bench_database DB KEEP: drops DB (drop_bench_database), or with KEEP=1 keeps it and says
# how to drop it
end_bench_database() {
    if [[ "$2" == 1 ]]; then
        info "kept database $1 (drop it with: DROP DATABASE $1)"
    else
        drop_bench_database "$1"
    fi
}
