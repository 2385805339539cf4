/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The actions table (representative actions). */
#ifndef RECOURS_DB_ACTIONS_H
#define RECOURS_DB_ACTIONS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct action {
    const char *id;
    const char *association_id;
    int64_t incident_id;
    const char *incident;          /* slug */
    const char *incident_status;
    const char *title;
    const char *legal_basis;
    const char *opt_in_deadline;   /* RFC 3339 UTC */
    bool deadline_passed;
    const char *counsel_name;
    const char *counsel_email;
    const char *mandate_text;
    const char *mandate_text_version;
    const char *status;
    int64_t member_count;
    const char *association_status; /* reported: approved | lapsed | ... */
    const char *created_at;
    const char *updated_at;
};

extern const struct db_statement db_actions_statements[];

/* Inserts for the incident of in->incident (slug, must be open); 1, or 0 when no open
 * incident has that slug. */
int db_actions_insert(PGconn *c, const struct action *in, struct arena *a, struct action *out);
int db_actions_get(PGconn *c, const char *id, bool for_update, struct arena *a,
                   struct action *out);
/* Locks the action row (FOR SHARE: additions may run side by side, a status change waits)
 * and reads its status into status_out (16 bytes). 1 or 0. */
int db_actions_lock_status(PGconn *c, const char *id, char *status_out);
/* As db_actions_get without the member count (member_count -1): for the mandate check that
 * every submission with an action_id makes, whatever the action's size. */
int db_actions_get_uncounted(PGconn *c, const char *id, struct arena *a, struct action *out);
int db_actions_update(PGconn *c, const struct action *in, struct arena *a, struct action *out);
/* The association's actions, newest last, filtered by incident slug and status (NULL: any),
 * after the id of the cursor (creation order). */
int db_actions_list(PGconn *c, const char *association_id, const char *incident,
                    const char *status, const char *after, int limit, struct arena *a,
                    struct action *out, int *n_out);

#endif
