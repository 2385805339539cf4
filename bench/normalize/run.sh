#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/normalize/run.sh [REV]: µs of CPU per claim for its text normalization (names checked,
# fields to NFC, identity key; normalize_bench.c), with this tree's api/domain/normalize.c
# and, given REV, with that commit's beside it, in one run, interleaved (the machine is
# shared: compare the two columns, not against another day). Needs build/ (its
# librecours_pure.a for the rest of domain/), gcc and libunistring, as the build does.
# Prints a Markdown table: per variant, the medians of 5 repeats of 200,000 claims, all-ASCII
# and French (accents in three of six fields).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
PURE="$ROOT/build/librecours_pure.a"
[[ -f "$PURE" ]] || { echo "build/ first (./scripts/run or cmake --build build)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

build() { # NAME SOURCE_OF_normalize.c
    gcc -std=c17 -O2 -I"$ROOT/api" -o "$TMP/$1" "$ROOT/bench/normalize/normalize_bench.c" \
        "$2" "$PURE" -lunistring
}
cp "$ROOT/api/domain/normalize.c" "$TMP/normalize-tree.c"
build tree "$TMP/normalize-tree.c"
VARIANTS=(tree)
if [[ $# -ge 1 ]]; then
    git -C "$ROOT" show "$1:api/domain/normalize.c" >"$TMP/normalize-rev.c"
    build rev "$TMP/normalize-rev.c"
    VARIANTS=(rev tree)
fi
for v in "${VARIANTS[@]}"; do "$TMP/$v" >"$TMP/$v.out"; done
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "| normalize.c | all-ASCII claim µs | French claim µs |"
echo "|---|---:|---:|"
for v in "${VARIANTS[@]}"; do
    label="this tree"
    [[ "$v" == rev ]] && label="$1"
    printf '| %s | %s | %s |\n' "$label" "$(cut -d' ' -f1 "$TMP/$v.out" | median)" \
        "$(cut -d' ' -f2 "$TMP/$v.out" | median)"
done
