#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Statements are prepared when a connection first runs them (api/db/prepared.h): every
# prepared statement of api/ runs through db_exec_prepared or db_send_prepared, which know
# what the connection holds. A direct PQexecPrepared, PQsendQueryPrepared, PQprepare or
# PQsendPrepare elsewhere would run a statement the connection may not hold yet (PostgreSQL's
# 26000, a 500), or prepare one behind the registry's back. Allowed in api/db/prepared.c alone.
# Comment lines are skipped (they may name the libpq calls).
# Usage: bash check_prepared.sh <source dir>
set -euo pipefail

src="${1:?usage: check_prepared.sh <source dir>}"
cd "$src"
[[ -d api ]] || { echo "check_prepared: $src/api not found" >&2; exit 1; }

mapfile -t files < <(find api -name '*.c' -o -name '*.h' | sort)
hits="$(grep -nHE '\bPQ(execPrepared|sendQueryPrepared|prepare|sendPrepare)[[:space:]]*\(' \
    "${files[@]}" |
    grep -vE '^api/db/prepared\.c:' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)"
if [[ -n "$hits" ]]; then
    while IFS= read -r line; do
        printf '%s   <- use db_exec_prepared or db_send_prepared (api/db/prepared.h)\n' "$line"
    done <<<"$hits"
    echo "check_prepared: FAILED (see api/db/README.md)" >&2
    exit 1
fi
echo "check_prepared: ok"
