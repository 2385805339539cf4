/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the public pages read (one call per page, handlers/page_*.c) and the action's public
 * record (GET/PATCH /v1/actions/{id}, GET /v1/actions/{id}/mandate?lang=). Documents are JSON
 * texts built by the database (db/public_pages.h), in the caller's arena. */
#ifndef RECOURS_SERVICE_PUBLIC_PAGES_H
#define RECOURS_SERVICE_PUBLIC_PAGES_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/public_pages.h"
#include "service/audit.h"

struct arena;

/* The documents the public pages show, one read each. */
enum public_doc {
    PUBLIC_DOC_HOME,     /* the open incidents (at most PUBLIC_HOME_MAX), their actions */
    PUBLIC_DOC_INCIDENT, /* the incident of a slug, its scheme and open actions */
    PUBLIC_DOC_ACTION,   /* the public record of an action (its id) */
};
#define PUBLIC_HOME_MAX 100

/* Entry point of the public pages (handlers/page_common.c): the document of kind for key
 * (NULL for the home page), read on the calling thread's connection (service/conn.h).
 * NOT_FOUND when there is none; UNAVAILABLE without a connection. */
enum outcome svc_rq_public_doc(enum public_doc kind, const char *key, struct arena *a,
                               const char **json);

/* The incident of slug with its scheme and open actions; NOT_FOUND when none. */
enum outcome svc_public_incident(PGconn *c, const char *slug, struct arena *a,
                                 const char **json);

/* The record members of an action owned by association_id; NOT_FOUND otherwise. */
enum outcome svc_action_record_get(PGconn *c, const char *id, const char *association_id,
                                   struct arena *a, const char **json);

/* The mandate text of the version in force in lang, or the French original (then *text_lang
 * is "fr"); NOT_FOUND when no such action. */
enum outcome svc_action_mandate_text(PGconn *c, const char *id, const char *lang,
                                     struct arena *a, const char **text, const char **text_lang,
                                     const char **version);

#endif
