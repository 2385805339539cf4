/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the mail thread reads to deliver a notice's message (migration 0016), and the member's
 * choice to stop non-essential notices (claims.notices_opt_out_at), which the link of every
 * non-essential notice sets. */
#ifndef RECOURS_DB_NOTICES_MAIL_H
#define RECOURS_DB_NOTICES_MAIL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

extern const struct db_statement db_notices_mail_statements[];

/* A notice's message for one member: the texts in the row's language, and whether it may
 * still go (the member still in the notice's action; not opted out, or the notice essential). */
struct notice_message {
    const char *subject;
    const char *body;
    bool essential;
    const char *action_title;
    const char *association_name;
    bool still_member;
    bool opted_out;
};

/* The notice message of outbox row outbox_id: 1, 0 (the row, its claim or its notice gone),
 * or DB_*. */
int db_notice_message(PGconn *c, int64_t outbox_id, struct arena *a, struct notice_message *out);

/* What the stop page says to the member of claim_id. */
struct notice_stop_info {
    const char *lang;
    const char *action_title;     /* NULL when the claim is in no action now */
    const char *association_name; /* likewise */
    bool opted_out;
};

/* 1 with *out, 0 (no such claim), or DB_*. */
int db_notices_stop_info(PGconn *c, int64_t claim_id, struct arena *a,
                         struct notice_stop_info *out);

/* Stops non-essential notices for claim_id (the first time is kept). 1, 0 (no such claim), or
 * DB_*. */
int db_notices_stop(PGconn *c, int64_t claim_id);

#endif
