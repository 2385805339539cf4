/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Subcommands of the recours binary; each returns the process exit status. */
#ifndef RECOURS_CLI_CLI_H
#define RECOURS_CLI_CLI_H

#include <stdbool.h>

#include "core/config.h"

/* recours serve: HTTPS (or --plain-http) API until SIGTERM/SIGINT. */
int cli_serve(const struct config *cfg);

/* recours migrate: applies pending db-migrations/ files; refuses changed applied files. */
int cli_migrate(const struct config *cfg);

/* recours secrets init: creates missing secrets (0600) under cfg->secrets_dir and prints the
 * operator key once, when it is created. */
int cli_secrets_init(const struct config *cfg);

/* recours secrets --help: its subcommand, what it does, what it reads. */
extern const char cli_secrets_usage[];

/* recours rotate-data-key: new data key, every sealed row re-encrypted under it while
 * servers run. */
int cli_rotate_data_key(const struct config *cfg);

/* recours erase-withdrawn: one pass erasing the personal data of claims withdrawn longer
 * ago than --withdrawn-retention-days; prints "erased N claims". */
int cli_erase_withdrawn(const struct config *cfg);

/* recours incident add|close|open: DATABASE_URL from the environment, options in argv. */
int cli_incident(const struct config *cfg, int argc, char **argv);

/* recours association add|approve|suspend: DATABASE_URL from the environment, options in
 * argv; exit 0, 1 (refused or failed write), 2 (usage or invalid input). */
int cli_association(const struct config *cfg, int argc, char **argv);

/* recours key issue --association ID | --operator [--label L] (prints the secret once; needs
 * the secrets of RECOURS_SECRETS_DIR for the keyed hash) and recours key revoke KEY_ID. */
int cli_key(const struct config *cfg, int argc, char **argv);

/* recours audit head | verify [--head <seq>:<hex>]: DATABASE_URL and RECOURS_SECRETS_DIR from
 * the environment; exit 0, 1 (broken chain or failure), 2 (usage). */
int cli_audit(const struct config *cfg, int argc, char **argv);

/* recours eligibility kit|import|recompute (the controller's list, docs/eligibility.md):
 * DATABASE_URL and RECOURS_SECRETS_DIR from the environment; exit 0, 1 (refused or failed),
 * 2 (usage). */
int cli_eligibility(const struct config *cfg, int argc, char **argv);

/* Loads the secrets of cfg->secrets_dir and installs the audit key (service/audit.h); says
 * why on stderr, prefixed with cmd, when it cannot. For every command that audits. */
bool cli_audit_key_load(const struct config *cfg, const char *cmd);

/* Flushes standard output: false when it could not take what the command printed (a full
 * disk, a closed pipe), having said so on stderr as "<cmd>: could not write to standard
 * output" and, with fmt, "; " and what that means for the operator. For every command whose
 * output matters (a secret, a key's number, the audit chain's head): such a run fails. */
bool cli_stdout_flushed(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
