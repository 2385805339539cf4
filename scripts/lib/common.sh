# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# Shared helpers for scripts/run and scripts/test: messages, the repository root, and the
# set-up sequence both commands share. Sourcing this file runs nothing.

# The repository root, two levels above this file; every path the scripts use is built from it.
RECOURS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly RECOURS_ROOT

# Messages go to stderr so stdout stays for what the commands print on purpose.
info() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ "${EUID:-$(id -u)}" -eq 0 ]]; }

# The whole set-up both commands share, in order. $1 is the package set (run or test).
# Afterwards DATABASE_URL is exported and build/recours exists with its secrets and schema.
setup_all() {
    local package_set="$1"

    cd "$RECOURS_ROOT" || die "cannot enter $RECOURS_ROOT"
    packages_ensure "$package_set"
    build_tree build
    pg_ensure
    app_secrets_init
    app_migrate
}
