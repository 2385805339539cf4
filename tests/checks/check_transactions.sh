#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# One transaction runner (docs/architecture.md "Transactions"): BEGIN, COMMIT and ROLLBACK are
# written in api/service/tx.c alone, and every other transaction in api/ goes through
# svc_tx_run (retries on 40001/40P01, one mapping of db statuses to outcomes). Allowed besides:
# - api/service/intake.c calls the runner's steps (tx_begin/tx_commit/tx_rollback) from its
#   group-commit loop, which replaces a connection found dead at BEGIN and splits a batch on
#   a hard error (api/service/README.md);
# - api/db/migrate.c: `recours migrate` runs each migration file in a transaction of its own
#   and must check what a file left open (api/db/README.md).
# Checked: SQL string literals that start with a transaction statement, and calls of the
# runner's steps.
# Usage: bash check_transactions.sh <source dir>
set -euo pipefail

src="${1:?usage: check_transactions.sh <source dir>}"
cd "$src"
[[ -d api ]] || { echo "check_transactions: $src/api not found" >&2; exit 1; }

failed=0
report() {
    local hits="$1" why="$2"
    [[ -n "$hits" ]] || return 0
    while IFS= read -r line; do
        printf '%s   <- %s\n' "$line" "$why"
    done <<<"$hits"
    failed=1
}

# a string literal whose SQL starts with a transaction-control statement; END only as a
# statement of its own (END, END WORK, END TRANSACTION), not a CASE's END continuing a line
sql='"[[:space:]]*((BEGIN|COMMIT|ROLLBACK|START[[:space:]]+TRANSACTION|ABORT|SAVEPOINT|RELEASE|PREPARE[[:space:]]+TRANSACTION)([[:space:];"]|$)|END([[:space:]]+(WORK|TRANSACTION))?[[:space:]]*(;|"|$))'
mapfile -t files < <(find api -name '*.c' -o -name '*.h' | sort)
# (comment lines skipped: they may quote PEM headers, "BEGIN PRIVATE KEY")
hits="$(grep -nHiE "$sql" "${files[@]}" |
    grep -vE '^api/(service/tx\.c|db/migrate\.c):' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' || true)"
report "$hits" "transactions go through svc_tx_run (api/service/tx.h)"

hits="$(grep -nHE '\btx_(begin|commit|rollback)[[:space:]]*\(' "${files[@]}" |
    grep -vE '^api/service/(tx\.[ch]|intake\.c):' || true)"
report "$hits" "only the intake writer drives the runner's steps itself"

if ((failed)); then
    echo "check_transactions: FAILED (see docs/architecture.md, Transactions)" >&2
    exit 1
fi
echo "check_transactions: ok"
