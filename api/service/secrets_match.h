/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Whether a server's secrets are the ones that wrote its database (docs/decisions.md, "The
 * secrets must belong to the database"): serve asks once at start, so that a restore with the
 * wrong backup, a mistyped --secrets-dir or a new `recours secrets init` over a lost directory
 * stops the start instead of serving 500s on every existing claim and extending the audit
 * chain and the new claims under other keys. Cheap: two index reads, whatever the size. */
#ifndef RECOURS_SERVICE_SECRETS_MATCH_H
#define RECOURS_SERVICE_SECRETS_MATCH_H

#include <libpq-fe.h>
#include <stddef.h>

#include "crypto/secrets.h"

enum secrets_match {
    SECRETS_BELONG,    /* they verify the newest audit events and open the newest claim,
                        * or the database holds neither yet */
    SECRETS_FOREIGN,   /* they do not: why says which key and what it failed on */
    SECRETS_UNCHECKED, /* a read failed: why says which */
};

/* Checks s against the database behind c: the hmac-key against the newest audit events (one
 * of the two newest links must hold under its audit key: a single rewritten row is a matter
 * for `recours audit verify`, not a foreign key), data-keys against the newest claim still
 * holding personal data (its key id held, its box opens). why gets one phrase naming every
 * mismatch (or the failed read), without a secret or a personal datum. */
enum secrets_match svc_secrets_match(PGconn *c, const struct secrets *s, char *why, size_t why_len);

#endif
