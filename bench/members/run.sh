#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/members/run.sh [--members N] [--calls N] [--no-results]: member pages at 1,000,000
# members (see run.py). Uses the private cluster of ./scripts/run unless DATABASE_URL is set,
# and build/recours unless RECOURS_BIN is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -z "${DATABASE_URL:-}" ]]; then
    DATABASE_URL="$(<"$ROOT/var/secrets/database-url")"
fi
export DATABASE_URL
export RECOURS_BIN="${RECOURS_BIN:-$ROOT/build/recours}"
export RECOURS_SOURCE_DIR="$ROOT"
exec python3 "$ROOT/bench/members/run.py" "$@"
