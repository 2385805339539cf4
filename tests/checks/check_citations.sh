#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The repository is self-contained: no tracked file cites the documents that lived outside it
# (the product contract SPEC.md, the wire format API.md, the library notes NOTES.md, the style
# guide STYLE.md). Cite docs/product.md, docs/api.md, docs/architecture.md or an
# api/*/README.md instead. Exceptions: docs/decisions.md, which tells the history, and the
# merged migrations 0001-0008, which cannot change (checksums; docs/decisions.md, "The
# repository is self-contained").
# Usage: bash check_citations.sh <source dir>
set -euo pipefail

src="$(cd "${1:?usage: check_citations.sh <source dir>}" && pwd -P)"

if ! git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check_citations: SKIPPED: $src is not a git work tree"
    exit 0
fi

pattern='(^|[^A-Za-z0-9_])((SPEC|API|NOTES|STYLE)\.md|SPEC ")'

# git grep exits 1 when nothing matches, 0 with matches.
if git -C "$src" grep -nIE "$pattern" -- . \
    ':(exclude)docs/decisions.md' \
    ':(exclude,glob)db-migrations/000[1-8]_*.sql' \
    ':(exclude)tests/checks/check_citations.sh' >&2; then
    echo "check_citations: FAILED: the lines above cite documents outside the repository" >&2
    echo "(cite docs/api.md, docs/product.md, docs/architecture.md or api/*/README.md)" >&2
    exit 1
fi
echo "check_citations: OK"
