#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/notices/run.sh [--members N] [--mail-rate R] [--relay-processes N] [--keep]
# [--no-results]: a notice to 100,000 members queued, then delivered to a local aiosmtpd (see
# run.py). Uses the private cluster of ./scripts/run unless DATABASE_URL is set, and
# build/recours unless RECOURS_BIN is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -z "${DATABASE_URL:-}" ]]; then
    DATABASE_URL="$(<"$ROOT/var/secrets/database-url")"
fi
export DATABASE_URL
export RECOURS_BIN="${RECOURS_BIN:-$ROOT/build/recours}"
export RECOURS_SOURCE_DIR="$ROOT"
exec python3 "$ROOT/bench/notices/run.py" "$@"
