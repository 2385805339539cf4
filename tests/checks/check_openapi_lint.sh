#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# api/openapi.json passes Redocly CLI's recommended rules with no error and no warning, so
# that client generators and documentation tools take it as it is. Redocly CLI is pinned in
# tests/openapi-lint (package.json and its lock), installed there with `npm ci` when missing.
# Skipped where Node.js (>= 20.19, Redocly's requirement) or npm is missing, except under CI.
# Usage: bash check_openapi_lint.sh <source dir>
set -euo pipefail

src="$(cd "${1:?usage: check_openapi_lint.sh <source dir>}" && pwd -P)"
dir="$src/tests/openapi-lint"

skip() {
    if [[ "${CI:-}" == true ]]; then
        echo "check_openapi_lint: FAILED: $1 (CI)" >&2
        exit 1
    fi
    echo "check_openapi_lint: SKIPPED: $1"
    exit 0
}

command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
              process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    skip "node $(node --version) is older than Redocly CLI's 20.19"
fi
if [[ ! -x "$dir/node_modules/.bin/redocly" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

# The JSON report's totals; the readable report too when anything is found.
report="$(cd "$dir" && {
    node node_modules/.bin/redocly lint "$src/api/openapi.json" --format=json 2>/dev/null || true
})"
totals="$(python3 -c 'import json, sys
t = json.loads(sys.stdin.read())["totals"]
print(t["errors"], t["warnings"])' <<<"$report")" || {
    echo "check_openapi_lint: no report from redocly lint:" >&2
    echo "$report" >&2
    exit 1
}
read -r errors warnings <<<"$totals"
echo "check_openapi_lint: $errors errors, $warnings warnings"
if [[ "$errors" != 0 || "$warnings" != 0 ]]; then
    (cd "$dir" && node node_modules/.bin/redocly lint "$src/api/openapi.json" 2>&1) >&2 || true
    exit 1
fi
