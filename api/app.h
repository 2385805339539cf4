/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The application context every handler reaches through rq->app: configuration, secrets and
 * the migration set, all read-only once the server runs. */
#ifndef RECOURS_APP_H
#define RECOURS_APP_H

#include <stdbool.h>

#include "core/config.h"
#include "crypto/secrets.h"
#include "db/migrate.h"

struct app {
    const struct config *cfg;
    struct secrets secrets;
    struct migration_set migrations;
    bool tls;
};

#endif
