/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The application context every handler reaches through rq->app: configuration, secrets and
 * the migration set, all read-only once the server runs. */
#ifndef RECOURS_APP_H
#define RECOURS_APP_H

#include <stdatomic.h>
#include <stdbool.h>

#include "core/config.h"
#include "crypto/secrets.h"
#include "db/migrate.h"
#include "web/site.h"

struct app {
    const struct config *cfg;
    /* swapped whole when data-keys changes on disk (rotation); never freed while serving,
     * so a reader's snapshot stays valid for its whole request */
    struct secrets *_Atomic secrets;
    struct migration_set migrations;
    bool tls;
    const struct web_site *site; /* the pages' catalogue and privacy notices (api/web/) */
};

/* The secrets in force now: take it once per request and use that snapshot throughout. */
static inline const struct secrets *
app_secrets(const struct app *app)
{
    return atomic_load_explicit(&((struct app *)app)->secrets, memory_order_acquire);
}

#endif
