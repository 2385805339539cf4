/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours secrets init: makes the missing secret files and shows a new operator key once.
 * Never prints the hmac or data keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli/cli.h"
#include "crypto/secrets.h"

const char cli_secrets_usage[] =
    "usage: recours secrets init [--secrets-dir DIR]\n"
    "  init  creates in DIR the secrets missing there (hmac-key, data-keys, operator-key;\n"
    "        files 0600, directories 0700), never replaces one, and prints the operator key\n"
    "        once, when it creates it\n"
    "  DIR   --secrets-dir or RECOURS_SECRETS_DIR, default var/secrets; back it up apart from\n"
    "        the database's dumps: without data-keys the claims cannot be read\n"
    "        (docs/operating.md)\n"
    "reads no database; the other settings: recours help\n";

int
cli_secrets_init(const struct config *cfg)
{
    char *operator_key = NULL;
    int rc = 1;

    if (cfg->secrets_dir == NULL || cfg->secrets_dir[0] == '\0') {
        /* RECOURS_SECRETS_DIR="" leaves the default: only the flag can be empty */
        fprintf(stderr, "secrets: no secrets directory configured: --secrets-dir is empty (give "
                        "it a directory, or leave it out for RECOURS_SECRETS_DIR, default "
                        "var/secrets)\n");
        return 1;
    }
    if (!secrets_init(cfg->secrets_dir, &operator_key))
        goto cleanup;
    if (operator_key != NULL) {
        printf("operator key (shown once, also in %s/operator-key):\n%s\n", cfg->secrets_dir,
               operator_key);
        /* the data keys decrypt every claim: a lost directory is lost claims, whatever the
         * database's backups (docs/operating.md) */
        printf("back up %s (hmac-key, data-keys, operator-key) now, encrypted and apart from "
               "the database's dumps: without it the claims cannot be read "
               "(docs/operating.md)\n",
               cfg->secrets_dir);
    } else
        printf("secrets: all present in %s\n", cfg->secrets_dir);
    /* A key lost to a closed or full stdout is still in the file, but say so. */
    if (!cli_stdout_flushed("secrets", NULL))
        goto cleanup;
    rc = 0;
cleanup:
    if (operator_key != NULL) {
        OPENSSL_cleanse(operator_key, strlen(operator_key));
        free(operator_key);
    }
    return rc;
}
