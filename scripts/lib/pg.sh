# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# A private PostgreSQL 15 cluster under var/pg, used when DATABASE_URL is not set.
#
# var/pg/data          the cluster (owned by the postgres user: initdb and pg_ctl refuse root)
# var/pg/run           its Unix socket, the only way in: no TCP port at all (superuser: peer
#                      authentication; the role `recours`: scram-sha-256)
# var/pg/postgres.log  the server log
# var/secrets/db-password   the password of the role `recours` (0600)
# var/secrets/database-url  DATABASE_URL of the application, socket and password (0600)
#
# No TCP: a port on 127.0.0.1 can collide with another checkout's cluster or with a local end
# of some outgoing connection (the ports we probed lay in Linux's ephemeral range), and a
# stopped cluster's port could be taken by another checkout's, after which the server would
# connect to the wrong database. A socket under this checkout's var/ belongs to it alone.
# No system service: pg_ctl starts it; a later run reuses it (running: kept as is; stopped:
# started again). pg_ensure exports DATABASE_URL.

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$RECOURS_ROOT/var/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_PASSWORD_FILE="$RECOURS_ROOT/var/secrets/db-password"
PG_URL_FILE="$RECOURS_ROOT/var/secrets/database-url"
# Only names the socket file (.s.PGSQL.5432): nothing listens on TCP.
PG_SOCKET_PORT=5432
PG_STARTED_HERE=0

# The cluster's superuser: `postgres` when we run as root (through runuser), else ourselves.
if is_root; then PG_SUPERUSER=postgres; else PG_SUPERUSER="$(id -un)"; fi

# Runs a command as the cluster's owner, from / so that an unreadable working directory
# (a 0700 checkout) does not bother it. Every path handed to it is absolute.
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }

pg_is_running() { pg_ctl_ status >/dev/null 2>&1; }

# The postgres user must be able to reach var/pg. A checkout made in a `mktemp -d` directory
# (0700, as CI does) or under /root is closed to it, so give "others" search permission (x:
# pass through, not list or read) on exactly the components that lack it, and nothing more.
pg_open_path_to() {
    local target="$1" path="" part
    local -a parts

    is_root || return 0
    IFS=/ read -r -a parts <<<"${target#/}"
    for part in "${parts[@]}"; do
        [[ -n "$part" ]] || continue
        path+="/$part"
        if ! as_pg test -x "$path"; then
            info "database: chmod o+x $path (the postgres user must pass through it)"
            chmod o+x "$path"
            as_pg test -x "$path" || die "the postgres user cannot enter $path"
        fi
    done
}

pg_prepare_dirs() {
    mkdir -p "$PG_DIR"
    pg_open_path_to "$(dirname "$PG_DIR")"
    if is_root; then
        chown postgres:postgres "$PG_DIR"
    fi
    chmod 0700 "$PG_DIR"
    as_pg mkdir -p "$PG_RUN"
    as_pg chmod 0700 "$PG_RUN"
    # A Unix socket path must fit in sun_path (108 bytes with its NUL).
    local sock="$PG_RUN/.s.PGSQL.65535"
    if ((${#sock} > 107)); then
        die "$PG_RUN is too long a path for a Unix socket: use a shorter checkout path or set DATABASE_URL"
    fi
}

pg_init_cluster() {
    if [[ -s "$PG_DATA/PG_VERSION" ]]; then
        return 0
    fi
    # No PG_VERSION: nothing or the remains of an interrupted initdb, never a usable cluster.
    rm -rf "$PG_DATA"
    info "database: initdb $PG_DATA"
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" --username="$PG_SUPERUSER" --encoding=UTF8 \
        --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 --no-instructions \
        >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        die "initdb failed"
    fi
}

# Replaces file $1 (in the data directory, as its owner) by $2 when they differ.
# Returns 0 when it wrote, 1 when the file was already so.
pg_write_file() {
    local file="$1" content="$2"

    if [[ -f "$file" ]] && [[ "$(<"$file")" == "$content" ]]; then
        return 1
    fi
    printf '%s\n' "$content" | as_pg tee "$file" >/dev/null || die "could not write $file"
    as_pg chmod 0600 "$file" || die "could not chmod $file"
    return 0
}

# A string as a postgresql.conf literal.
pg_conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# Writes our settings: recours.conf (included from postgresql.conf) and pg_hba.conf.
# Returns 0 when something changed, 1 when all was already so.
pg_write_config() {
    local rc=1
    local conf hba

    conf="# Written by scripts/lib/pg.sh on every run: change it there, not here.
# The Unix socket under var/pg/run is the only way in (scripts/lib/pg.sh says why).
listen_addresses = ''
port = $PG_SOCKET_PORT
unix_socket_directories = $(pg_conf_quote "$PG_RUN")
unix_socket_permissions = 0700
password_encryption = scram-sha-256
max_connections = 300
shared_buffers = 256MB
# A 201 only after a durable commit (docs/decisions.md, \"Process and threading\").
synchronous_commit = on
fsync = on
# Every claim's COMMIT waits for its WAL flush. A WAL segment made while claims arrive was
# zero-filled first (16 MiB: 28-33 ms on this project's machines) with every commit waiting:
# the intake's slowest answers (docs/decisions.md, \"WAL segments and the intake's tail\").
# Made without the zero fill, and kept for reuse by checkpoints up to 1 GB of WAL.
wal_init_zero = off
min_wal_size = 1GB"
    hba="# Written by scripts/lib/pg.sh on every run: change it there, not here.
# TYPE  DATABASE  USER  METHOD
local   all       $PG_SUPERUSER  peer
local   all       all   scram-sha-256"

    if ! grep -qx "include = 'recours.conf'" "$PG_DATA/postgresql.conf"; then
        printf '\n# recours settings (scripts/lib/pg.sh)\n%s\n' "include = 'recours.conf'" |
            as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null || die "could not edit postgresql.conf"
        rc=0
    fi
    if pg_write_file "$PG_DATA/recours.conf" "$conf"; then rc=0; fi
    if pg_write_file "$PG_DATA/pg_hba.conf" "$hba"; then rc=0; fi
    return "$rc"
}

# Starts the stopped cluster. A socket file cannot be taken by anyone else, so one try
# tells: a failure is in the log.
pg_start() {
    pg_write_config || true
    info "database: starting on the socket in var/pg/run (log: var/pg/postgres.log)"
    if pg_ctl_ -l "$PG_LOG" -w -t 60 -s start; then
        PG_STARTED_HERE=1
        return 0
    fi
    tail -n 20 "$PG_LOG" >&2 || true
    die "could not start PostgreSQL (its log: $PG_LOG)"
}

# Keeps the running cluster, re-applying our settings if they changed (a restart: rare; once
# when a cluster made by an older version listened on TCP).
pg_keep_running() {
    if pg_write_config; then
        info "database: settings changed, restarting"
        pg_ctl_ -l "$PG_LOG" -w -t 60 -s -m fast restart || die "could not restart PostgreSQL"
    fi
    info "database: running on the socket in var/pg/run"
}

# $1 percent-encoded for a URL's query value (the socket directory may hold any character).
pg_url_encode() {
    local in="$1" out="" c i LC_ALL=C

    for ((i = 0; i < ${#in}; i++)); do
        c="${in:i:1}"
        case "$c" in
        [A-Za-z0-9/._~-]) out+="$c" ;;
        *) out+="$(printf '%%%02X' "'$c")" ;;
        esac
    done
    printf '%s\n' "$out"
}

# Prints the password of the role `recours`, generating it on first use.
pg_password() {
    if [[ ! -s "$PG_PASSWORD_FILE" ]]; then
        install -d -m 0700 "$(dirname "$PG_PASSWORD_FILE")"
        (umask 077 && openssl rand -hex 32 >"$PG_PASSWORD_FILE.tmp") ||
            die "could not generate the database password"
        mv -f "$PG_PASSWORD_FILE.tmp" "$PG_PASSWORD_FILE"
    fi
    chmod 0600 "$PG_PASSWORD_FILE"
    tr -d '\n' <"$PG_PASSWORD_FILE"
}

# Makes the role and the database (idempotent). The password crosses a pipe, never argv.
pg_ensure_role_db() {
    local pw="$1"

    [[ "$pw" =~ ^[0-9a-f]+$ ]] || die "$PG_PASSWORD_FILE: expected hex digits"
    {
        printf '\\set pw %s\n' "'$pw'"
        cat <<'SQL'
SELECT 'CREATE ROLE recours' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'recours')
\gexec
ALTER ROLE recours WITH LOGIN CREATEDB NOSUPERUSER PASSWORD :'pw';
SELECT 'CREATE DATABASE recours OWNER recours'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'recours')
\gexec
ALTER DATABASE recours OWNER TO recours;
SQL
    } | as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_SOCKET_PORT" \
        -U "$PG_SUPERUSER" -d postgres >/dev/null || die "could not create the role or database"
}

# The private cluster, up, with its role and database; exports DATABASE_URL.
pg_ensure() {
    local pw url

    if [[ -n "${DATABASE_URL:-}" ]]; then
        info "database: DATABASE_URL from the environment (no private cluster)"
        export DATABASE_URL
        return 0
    fi
    [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found (package postgresql-15)"
    pg_prepare_dirs
    pg_init_cluster
    if pg_is_running; then
        pg_keep_running
    else
        pg_start
    fi
    pw="$(pg_password)"
    pg_ensure_role_db "$pw"
    url="postgresql://recours:$pw@/recours?host=$(pg_url_encode "$PG_RUN")&port=$PG_SOCKET_PORT"
    # Proves the application's way in (password over the socket) works.
    psql -X -q -At -d "$url" -c 'SELECT 1' >/dev/null ||
        die "cannot connect as recours through the socket in $PG_RUN"
    (umask 077 && printf '%s\n' "$url" >"$PG_URL_FILE.tmp") || die "could not write $PG_URL_FILE"
    mv -f "$PG_URL_FILE.tmp" "$PG_URL_FILE"
    export DATABASE_URL="$url"
}

# Stops the cluster if this run started it; for CI, whose checkout is thrown away afterwards.
pg_stop_if_started_here() {
    if ((PG_STARTED_HERE)); then
        pg_ctl_ -s -m fast stop >/dev/null 2>&1 || true
    fi
}
