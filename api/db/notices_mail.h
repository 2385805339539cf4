/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the mail thread reads to deliver a notice's message (migration 0016), and the member's
 * choice to stop non-essential notices (claims.notices_opt_out_at), which the link of every
 * non-essential notice sets. */
#ifndef RECOURS_DB_NOTICES_MAIL_H
#define RECOURS_DB_NOTICES_MAIL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

extern const struct db_statement db_notices_mail_statements[];

/* A notice's message for one member: its outbox row, the member's claim (reference and sealed
 * personal data, opened by the caller), the texts in the row's language, and whether it may
 * still go (the member still in the notice's action; not opted out, or the notice essential). */
struct notice_message {
    int64_t outbox_id;
    int64_t claim_id;    /* 0: the claim is gone */
    const char *reference;
    int data_key_id;
    const uint8_t *pii;  /* NULL once erased */
    size_t pii_len;
    const char *subject;
    const char *body;
    bool essential;
    const char *action_title;
    const char *association_name;
    bool still_member;
    bool opted_out;
};

/* The messages of the n outbox rows of outbox_ids (a batch taken by the mail thread), in one
 * statement: the count found into out (at most n, in the order of outbox_ids; a row whose
 * notice is gone is left out), or DB_*. */
int db_notice_messages(PGconn *c, const int64_t *outbox_ids, int n, struct arena *a,
                       struct notice_message *out);

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
