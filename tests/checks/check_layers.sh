#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The layering of api/ (docs/architecture.md §2, §4), checked on the #include lines:
# - domain/, crypto/, core/ never include microhttpd.h, libpq-fe.h or jansson.h, so they
#   unit-test alone, and never include from http/, db/, handlers/ or service/;
# - http/ never includes from handlers/ or service/ (main hands it the route table);
# - db/ never includes from http/, handlers/, service/ or cli/; service/ never from
#   handlers/ or cli/: nothing includes upwards;
# - web/ (the page rendering library) includes core/, domain/ and jansson only.
# - mail/ (composing and sending email) uses core/, crypto/ and libcurl, nothing above.
# - handlers/ reach the database only through service/ (docs/architecture.md §3): no db/
#   header, no libpq-fe.h, no PGconn (the files that predate the rule, listed below, only
#   shrink). A handler parses, calls one service entry point (which takes the thread's
#   connection itself, service/conn.h) and replies.
# Usage: bash check_layers.sh <source dir>
set -euo pipefail

src="${1:?usage: check_layers.sh <source dir>}"
cd "$src"
api=api
[[ -d "$api" ]] || { echo "check_layers: $src/api not found" >&2; exit 1; }

failed=0

# forbid LAYERS... -- REGEX WHY: fails on every #include line of those layers matching REGEX.
forbid() {
    local -a dirs=()
    local regex why hits line

    while [[ "$1" != -- ]]; do
        [[ -d "$api/$1" ]] && dirs+=("$api/$1")
        shift
    done
    regex="$2"
    why="$3"
    [[ ${#dirs[@]} -gt 0 ]] || return 0
    hits="$(grep -rnE --include='*.c' --include='*.h' \
        "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]$regex" "${dirs[@]}" || true)"
    if [[ -n "$hits" ]]; then
        while IFS= read -r line; do
            printf '%s   <- %s\n' "$line" "$why"
        done <<<"$hits"
        failed=1
    fi
}

# An include path may be written from api/ ("db/pool.h") or relatively ("../db/pool.h").
up='(\.\./)*'

forbid domain crypto core -- "([^\">]*/)?(microhttpd|libpq-fe|jansson)\.h[\">]" \
    "pure layers use libc and OpenSSL only"
forbid domain crypto core -- "$up(http|db|handlers|service|cli)/" \
    "pure layers include no upper layer"
forbid http -- "$up(handlers|service|cli)/" "http/ knows no handler or service"
forbid db -- "$up(http|handlers|service|cli)/" "db/ includes no upper layer"
forbid service -- "$up(handlers|cli)/" "service/ includes no upper layer"
forbid web -- "([^\">]*/)?(microhttpd|libpq-fe)\.h[\">]" \
    "web/ renders pages from plain structs: no MHD, no libpq"
forbid web -- "$up(http|db|handlers|service|cli|crypto)/" "web/ includes core/ and domain/ only"
forbid mail -- "([^\">]*/)?(microhttpd|libpq-fe|jansson)\.h[\">]" \
    "mail/ composes and sends with libc, OpenSSL and libcurl only"
forbid mail -- "$up(http|db|handlers|service|cli|domain)/" "mail/ includes no upper layer"

# Handlers hold no database connection (docs/architecture.md §2): they call service entry
# points that take the thread's own (service/conn.h). A handler that names PGconn, includes
# db/ or libpq-fe.h fails here.
while IFS= read -r file; do
    printf '%s   <- a handler holds no connection: call a service entry point (service/conn.h)\n' \
        "$file"
    failed=1
done < <(grep -lE "PGconn|guard_db|^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($up(db)/|libpq-fe\.h)" \
    "$api"/handlers/*.c "$api"/handlers/*.h || true)

if ((failed)); then
    echo "check_layers: FAILED (see docs/architecture.md §2 and §4)" >&2
    exit 1
fi
echo "check_layers: ok"
