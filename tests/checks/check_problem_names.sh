#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Every problem name the server can send (the one table, api/http/problem.c) is in the table of
# docs/api.md §5 with its status: a client reads that table to know what it may receive
# (`uri-too-long`, 414, was sent but missing from it).
# Usage: bash check_problem_names.sh <source dir>
set -euo pipefail

src="${1:?usage: check_problem_names.sh <source dir>}"
cd "$src"
[[ -f api/http/problem.c && -f docs/api.md ]] || {
    echo "check_problem_names: api/http/problem.c or docs/api.md not found" >&2; exit 1; }

missing=0
while read -r name status; do
    if ! grep -qF "| ${status} | \`${name}\` |" docs/api.md; then
        printf 'api/http/problem.c: %s (%s) is not in the table of docs/api.md §5\n' \
            "$name" "$status"
        missing=1
    fi
done < <(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", \([0-9]\{3\}\),.*/\1 \2/p' api/http/problem.c)
if [[ "$missing" -ne 0 ]]; then
    echo "check_problem_names: FAILED" >&2
    exit 1
fi
echo "check_problem_names: ok"
