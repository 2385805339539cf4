#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The newcomer's documents name what exists:
# - every `snake_case` name they quote (a function, a table, a column, a member) occurs in a
#   tracked file outside the documents themselves: a function renamed or a member dropped
#   leaves a name no reader can find (docs/architecture.md named eight such, 2026-12-07);
# - every audit event the code writes (svc_audit, svc_audit_after, an audited_write's .event)
#   has its row in README.md's "What is audited", and every row there is written by the code.
# docs/decisions.md tells the history and is left out: its old names are true of their time.
# Usage: bash check_docs.sh <source dir>
set -euo pipefail

src="$(cd "${1:?usage: check_docs.sh <source dir>}" && pwd -P)"
if ! git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check_docs: SKIPPED: $src is not a git work tree"
    exit 0
fi
cd "$src"

failed=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Patterns, not names: the shape of an association key's prefix.
printf '%s\n' rk_xxxxxxxx >"$tmp/patterns"

docs=(README.md)
for f in docs/*.md; do
    [[ "$f" == docs/decisions.md ]] || docs+=("$f")
done

# The quoted names, each with the first document that quotes it. (The backquotes in the
# patterns below are Markdown's, not the shell's.)
# shellcheck disable=SC2016
for f in "${docs[@]}"; do
    grep -oE '`[a-z][a-z0-9]*_[a-z0-9_]+(\(\))?`' "$f" | tr -d '`()' | sed "s|\$| $f|" || true
done | sort -u -k1,1 >"$tmp/quoted"
# Every such word of the tracked files but the documents.
git grep -ohIwE '[a-z][a-z0-9]*_[a-z0-9_]+' -- . ':(exclude)*.md' | sort -u >"$tmp/known"
cat "$tmp/patterns" >>"$tmp/known"
sort -u -o "$tmp/known" "$tmp/known"
missing="$(join -v1 "$tmp/quoted" "$tmp/known")"
if [[ -n "$missing" ]]; then
    echo "check_docs: names quoted in the documents that nothing else in the repository has:" >&2
    awk '{ printf "  %s (%s)\n", $1, $2 }' <<<"$missing" >&2
    failed=1
fi

# The audit events: the code's, the README table's.
git grep -hE -A1 'svc_audit(_after)?\(|\.event = ' -- 'api/*.c' |
    grep -oE '"[a-z_]+(\.[a-z_-]+)+"' | tr -d '"' | sort -u >"$tmp/written"
# shellcheck disable=SC2016
sed -n '/^### What is audited/,/^Not audited/p' README.md | grep -oE '^\| `[a-z_.-]+`' |
    tr -d '|` ' | sort -u >"$tmp/listed"
if [[ ! -s "$tmp/written" || ! -s "$tmp/listed" ]]; then
    echo "check_docs: found no audit events in api/ or no table in README.md" >&2
    failed=1
elif ! diff_out="$(diff "$tmp/written" "$tmp/listed")"; then
    echo "check_docs: audit events written by api/ (<) and listed in README.md \"What is audited\" (>) differ:" >&2
    printf '%s\n' "$diff_out" | grep '^[<>]' >&2
    failed=1
fi

if ((failed)); then
    echo "check_docs: FAILED" >&2
    exit 1
fi
echo "check_docs: OK ($(wc -l <"$tmp/quoted") names, $(wc -l <"$tmp/written") audit events)"
