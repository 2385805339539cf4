#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Roles are enforced by the route table (docs/architecture.md §4), not by handlers:
# - every row ROUTE("METHOD", "/path", handler, ROLE) (or ROUTE_RECORDING_GET("/path", handler,
#   ROLE)) of api/route_table.h names a ROLE_
#   constant of api/http/router.h as its last field (a row with fewer fields does not build;
#   tests/unit/test_routes.c checks the compiled table too);
# - no handler calls guard_identify or a per-role guard of its own: the role check runs once,
#   in routes_run (handlers/guard.c guard_route), before the handler and idem_around, and a
#   handler reads the caller with guard_caller.
# Usage: bash check_routes.sh <source dir>
set -euo pipefail

src="${1:?usage: check_routes.sh <source dir>}"
cd "$src"
[[ -f api/route_table.h && -f api/http/router.h ]] || { echo "check_routes: api/ not found" >&2; exit 1; }

failed=0

# The declared roles: the enumerators of enum route_role.
mapfile -t roles < <(sed -n '/^enum route_role {/,/^};/p' api/http/router.h |
    grep -oE '^[[:space:]]*ROLE_[A-Z_]+' | sed 's/^[[:space:]]*//')
[[ ${#roles[@]} -gt 0 ]] || { echo "check_routes: no enum route_role in router.h" >&2; exit 1; }

# Each row of the table, joined across lines: ROUTE("METHOD", "/path", handler, ROLE) or
# ROUTE_RECORDING_GET("/path", handler, ROLE)
table="$(grep -v '^[[:space:]]*\(/\*\|\*\)' api/route_table.h | tr '\n' ' ' |
    grep -oE 'ROUTE(_RECORDING_GET)?\("[^)]*\)')"
n=0
while IFS= read -r entry; do
    [[ "$entry" =~ [^[:space:]] ]] || continue
    n=$((n + 1))
    role="$(sed -E 's/.*,[[:space:]]*([A-Za-z_0-9]+)[[:space:]]*\)$/\1/' <<<"$entry")"
    ok=0
    for r in "${roles[@]}"; do
        [[ "$role" == "$r" ]] && ok=1
    done
    if [[ $ok -eq 0 ]]; then
        echo "api/route_table.h: route without a declared role: $entry"
        failed=1
    fi
done <<<"$table"
[[ $n -gt 0 ]] || { echo "check_routes: no route found in api/route_table.h" >&2; exit 1; }

# Every handler of the table is documented in docs/architecture.md (§3's table).
if [[ -f docs/architecture.md ]]; then
    while IFS= read -r handler; do
        grep -q "\`${handler}\`" docs/architecture.md && continue
        echo "docs/architecture.md: ${handler} (api/route_table.h) is missing from the route table of §3"
        failed=1
    done < <(grep -oE 'handle_[a-z0-9_]+' <<<"$table" | sort -u)
fi

# Handlers never check roles themselves.
hits="$(grep -nE '\bguard_(identify|operator|association|member)[[:space:]]*\(' \
    api/handlers/*.c api/handlers/*.h | grep -vE '^api/handlers/guard\.[ch]:' || true)"
if [[ -n "$hits" ]]; then
    printf '%s   <- a handler checks a role itself: declare it in api/route_table.h\n' "$hits"
    failed=1
fi

if [[ $failed -ne 0 ]]; then
    echo "check_routes: FAILED"
    exit 1
fi
echo "check_routes: ${n} routes, each with a declared role; no handler checks roles itself"
