# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# A private PostgreSQL 15 cluster under var/pg, used when DATABASE_URL is not set.
#
# var/pg/data          the cluster (owned by the postgres user: initdb and pg_ctl refuse root)
# var/pg/run           its Unix socket, for the superuser only (peer authentication)
# var/pg/postgres.log  the server log
# var/pg/port          the TCP port it listens on, 127.0.0.1 only (scram-sha-256)
# var/secrets/db-password  the password of the role `recours` (0600)
#
# No system service: pg_ctl starts it; a later run reuses it (running: kept as is; stopped:
# started again, on its old port when that is still free). pg_ensure exports DATABASE_URL.

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$RECOURS_ROOT/var/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_PORT_FILE="$PG_DIR/port"
PG_PASSWORD_FILE="$RECOURS_ROOT/var/secrets/db-password"
PG_FIRST_PORT=54329
PG_PORT_TRIES=200
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

# True when nothing accepts connections on 127.0.0.1:$1 (the connection is refused).
pg_port_free() {
    local rc=0

    # shellcheck disable=SC2016 # $1 is the inner shell's argument
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null || rc=$?
    [[ $rc -eq 1 ]]
}

# Prints a free port: the one remembered in var/pg/port if still free, else the first free
# one from PG_FIRST_PORT up (other clusters of other checkouts may hold some).
pg_pick_port() {
    local port=""

    if [[ -s "$PG_PORT_FILE" ]]; then
        port="$(<"$PG_PORT_FILE")"
        if [[ "$port" =~ ^[0-9]+$ ]] && pg_port_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    fi
    for ((port = PG_FIRST_PORT; port < PG_FIRST_PORT + PG_PORT_TRIES; port++)); do
        if pg_port_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free TCP port in $PG_FIRST_PORT-$((PG_FIRST_PORT + PG_PORT_TRIES - 1))"
}

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

# Writes our settings for port $1: recours.conf (included from postgresql.conf) and
# pg_hba.conf. Returns 0 when something changed, 1 when all was already so.
pg_write_config() {
    local port="$1" rc=1
    local conf hba

    conf="# Written by scripts/lib/pg.sh on every run: change it there, not here.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = $(pg_conf_quote "$PG_RUN")
unix_socket_permissions = 0700
password_encryption = scram-sha-256
max_connections = 300
shared_buffers = 256MB
# SPEC \"Durability\": a 201 only after a durable commit.
synchronous_commit = on
fsync = on"
    hba="# Written by scripts/lib/pg.sh on every run: change it there, not here.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       $PG_SUPERUSER          peer
host    all       all   127.0.0.1/32  scram-sha-256"

    if ! grep -qx "include = 'recours.conf'" "$PG_DATA/postgresql.conf"; then
        printf '\n# recours settings (scripts/lib/pg.sh)\n%s\n' "include = 'recours.conf'" |
            as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null || die "could not edit postgresql.conf"
        rc=0
    fi
    if pg_write_file "$PG_DATA/recours.conf" "$conf"; then rc=0; fi
    if pg_write_file "$PG_DATA/pg_hba.conf" "$hba"; then rc=0; fi
    return "$rc"
}

# Starts the stopped cluster on a free port; retries when another process took the port
# between the probe and the start.
pg_start() {
    local port try

    for try in 1 2 3; do
        port="$(pg_pick_port)"
        pg_write_config "$port" || true
        info "database: starting on 127.0.0.1:$port (log: var/pg/postgres.log)"
        if pg_ctl_ -l "$PG_LOG" -w -t 60 -s start; then
            printf '%s\n' "$port" >"$PG_PORT_FILE"
            PG_STARTED_HERE=1
            return 0
        fi
        pg_port_free "$port" || continue
        break
    done
    tail -n 20 "$PG_LOG" >&2 || true
    die "could not start PostgreSQL (try $try)"
}

# Keeps the running cluster, re-applying our settings if they changed (a restart: rare).
pg_keep_running() {
    local port

    port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
    [[ "$port" =~ ^[0-9]+$ ]] || die "cannot read the port from $PG_DATA/postmaster.pid"
    if pg_write_config "$port"; then
        info "database: settings changed, restarting"
        pg_ctl_ -l "$PG_LOG" -w -t 60 -s -m fast restart || die "could not restart PostgreSQL"
    fi
    printf '%s\n' "$port" >"$PG_PORT_FILE"
    info "database: running on 127.0.0.1:$port"
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
    local port="$1" pw="$2"

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
    } | as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$port" \
        -U "$PG_SUPERUSER" -d postgres >/dev/null || die "could not create the role or database"
}

# The private cluster, up, with its role and database; exports DATABASE_URL.
pg_ensure() {
    local port pw

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
    port="$(<"$PG_PORT_FILE")"
    pw="$(pg_password)"
    pg_ensure_role_db "$port" "$pw"
    # Proves scram over TCP works as the application will connect.
    PGPASSWORD="$pw" "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$port" -U recours -d recours \
        -c 'SELECT 1' >/dev/null || die "cannot connect as recours to 127.0.0.1:$port"
    export DATABASE_URL="postgresql://recours:$pw@127.0.0.1:$port/recours"
}

# Stops the cluster if this run started it; for CI, whose checkout is thrown away afterwards.
pg_stop_if_started_here() {
    if ((PG_STARTED_HERE)); then
        pg_ctl_ -s -m fast stop >/dev/null 2>&1 || true
    fi
}
