/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the public pages show and the action's public record (0010_action_public_record.sql),
 * read as one JSON document per page: the page is one statement, whatever its parts
 * (incident, scheme, actions, history), and the handler renders from the document. */
#ifndef RECOURS_DB_PUBLIC_PAGES_H
#define RECOURS_DB_PUBLIC_PAGES_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "db/pool.h"

struct arena;

extern const struct db_statement db_public_pages_statements[];

/* {"incidents": [incident...]}: open incidents, most recently disclosed first, at most
 * limit, each with "claims" (the claims not withdrawn) and "actions" (its open actions).
 * 1 or DB_*; *json in the arena. */
int db_public_home(PGconn *c, int limit, struct arena *a, const char **json);

/* An incident (open or closed) with "claims", "scheme" (the scheme in force or null) and
 * "actions" (open ones). 1, 0 when no incident has the slug, or DB_*. */
int db_public_incident(PGconn *c, const char *slug, struct arena *a, const char **json);

/* An action with its association, incident, "members", "history" (dated events), the
 * public-record fields and "mandate_texts" ({"fr": ..., "en": ...} of the version in force).
 * 1, 0 when no action has the id, or DB_*. */
int db_public_action(PGconn *c, const char *id, struct arena *a, const char **json);

/* The public-record members of an action for the API (next_date, next_date_note,
 * funding_sources, fees_charged, history, mandate_text_en): a JSON object. 1, 0, or DB_*. */
int db_action_record_get(PGconn *c, const char *id, struct arena *a, const char **json);

/* Which public-record fields a PATCH sets (NULL value: cleared). */
struct action_record_patch {
    bool has_next_date, has_next_date_note, has_funding_sources, has_fees_charged,
        has_mandate_text_en, has_event;
    const char *next_date; /* YYYY-MM-DD */
    const char *next_date_note;
    const char *funding_sources;
    const char *fees_charged;
    const char *mandate_text_en; /* the English text of the version in force */
    const char *event_kind;      /* hearing | judgment | filed | settlement | closed | opened */
    const char *event_date;      /* YYYY-MM-DD */
    const char *event_court_reference;
    const char *event_note;
};

/* Applies p to the action (in the caller's transaction): 1, 0 when no such action, DB_*. */
int db_action_record_update(PGconn *c, const char *id, const struct action_record_patch *p);

/* The mandate text of the version in force in lang ("fr", "en"), or the French original
 * when there is none in lang (*fallback true). *version is the version. 1, 0, DB_*. */
int db_action_mandate_text(PGconn *c, const char *id, const char *lang, struct arena *a,
                           const char **text, const char **text_lang, const char **version);

#endif
