#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs shellcheck on every shell script of the repository: the two commands and their
# library, the CI entry, these checks, and the benchmark scripts.
# Usage: bash check_shell.sh <source dir>
set -euo pipefail

src="${1:?usage: check_shell.sh <source dir>}"
cd "$src"

if ! command -v shellcheck >/dev/null 2>&1; then
    echo "check_shell: SKIPPED: shellcheck is not installed (./scripts/test installs it)"
    exit 0
fi

files=(scripts/run scripts/test .ci/run)
mapfile -t -O "${#files[@]}" files < <(
    find scripts/lib tests/checks bench -type f -name '*.sh' 2>/dev/null | LC_ALL=C sort
)
for f in "${files[@]}"; do
    [[ -f "$f" ]] || { echo "check_shell: $f is missing" >&2; exit 1; }
done

# -x follows the `source` lines into scripts/lib (each script says where, source-path).
shellcheck -x "${files[@]}"
echo "check_shell: ok (${#files[@]} files)"
