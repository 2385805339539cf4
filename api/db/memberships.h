/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Members of actions: adding mandated claims by reference or by filter (one statement each,
 * counting every outcome), listing by reference, removing. */
#ifndef RECOURS_DB_MEMBERSHIPS_H
#define RECOURS_DB_MEMBERSHIPS_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct member_counts {
    int64_t added;
    int64_t already_in_action;
    int64_t in_other_action;
    int64_t not_mandated;
};

struct member_filter {
    const char *status;           /* claim status or NULL */
    int category;                 /* data category index or -1 */
    const char *country;          /* or NULL */
    const char *submitted_after;  /* RFC 3339 or NULL */
    const char *submitted_before; /* RFC 3339 or NULL */
};

extern const struct db_statement db_memberships_statements[];

/* refs_array: a PostgreSQL text[] literal of references (any case). Claims mandated to
 * association_id on incident_id join action_id unless in an action already. 1 or DB_*. */
int db_members_add_refs(PGconn *c, const char *action_id, int64_t incident_id,
                        const char *association_id, const char *refs_array,
                        struct member_counts *out);
int db_members_add_filter(PGconn *c, const char *action_id, int64_t incident_id,
                          const char *association_id, const struct member_filter *f,
                          struct member_counts *out);
/* 1 when reference was a member of action_id and no longer is, else 0. */
int db_members_remove(PGconn *c, const char *action_id, const char *reference);

#endif
