/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Telling who holds an API key (docs/api.md §2.1), for the route table's role check
 * (handlers/guard.c). Keys are issued and revoked in service/associations.h. */
#ifndef RECOURS_SERVICE_API_KEYS_H
#define RECOURS_SERVICE_API_KEYS_H

#include <stdbool.h>

#include "core/outcome.h"
#include "crypto/secrets.h"

struct arena;

/* "rk_" + 8 alphanumerics: the part of a key stored in clear to find it. */
#define API_KEY_PREFIX_LEN 11

struct key_holder {
    bool live;                      /* a key of this secret, not revoked */
    const char *association_id;     /* NULL for an operator key */
    const char *association_status; /* approved | pending | suspended | lapsed */
};

/* Finds key (shaped like an API key) by its prefix and compares its keyed hash in constant
 * time; a live key's last use is recorded (best effort, at most once a minute). On the calling
 * thread's connection (service/conn.h). OUTCOME_OK, live or not; else the database's outcome
 * (503 when it cannot be asked). Arena strings. */
enum outcome svc_api_key_identify(const struct secrets *s, const char *key, struct arena *a,
                                  struct key_holder *out);

#endif
