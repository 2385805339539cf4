# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# The steps that need the freshly built binary: secrets, then the schema.

RECOURS_BIN="$RECOURS_ROOT/build/recours"

app_require_binary() {
    [[ -x "$RECOURS_BIN" ]] || die "$RECOURS_BIN was not built"
}

# Creates the missing secrets under var/secrets (0600). The binary prints the operator key
# only on the run that creates it; later runs print nothing and change nothing.
app_secrets_init() {
    app_require_binary
    info "secrets: var/secrets"
    (cd "$RECOURS_ROOT" && "$RECOURS_BIN" secrets init)
}

# Applies the pending db-migrations/ files to DATABASE_URL; applied files are checksummed.
app_migrate() {
    app_require_binary
    info "migrate: db-migrations/"
    (cd "$RECOURS_ROOT" && "$RECOURS_BIN" migrate)
}
