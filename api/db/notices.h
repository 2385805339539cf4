/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices of an association to the members of its action (migration 0016, docs/workspace.md
 * "Notices"): written as drafts, read with their progress, listed newest first, and sent once:
 * the send queues one outbox row per recipient in one INSERT … SELECT over the member filter
 * (no round trip per member), non-essential notices skipping the members who opted out; a send
 * in progress may be stopped (its queued messages cancelled), a draft deleted. */
#ifndef RECOURS_DB_NOTICES_H
#define RECOURS_DB_NOTICES_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"
#include "db/ws_members.h"
#include "domain/notice.h"

struct arena;

extern const struct db_statement db_notices_statements[];

struct notice_row {
    const char *id;
    const char *action_id;
    const char *kind;
    bool essential;
    struct notice_texts texts;   /* bodies NULL in a list */
    const char *texts_sha256;    /* 64 hex digits */
    const char *created_by;
    const char *created_at;
    bool sent;
    const char *sent_by;         /* the rest NULL or 0 until sent */
    const char *sent_at;
    const char *audience;        /* the member filter as JSON text, "{}" for all */
    int64_t matching;
    int64_t recipients;
    int64_t skipped_opted_out;
    int64_t sent_count;
    int64_t failed_count;
    bool cancelled;              /* its send stopped (migration 0025) */
    const char *cancelled_by;    /* NULL until then */
    const char *cancelled_at;
    int64_t cancelled_count;     /* messages stopped before they were sent */
};

/* A new draft: 1 with *out filled (id and dates from the database), or DB_*. texts_sha256 is
 * 64 hex digits. */
int db_notices_insert(PGconn *c, const char *action_id, const char *kind,
                      const struct notice_texts *t, const char *texts_sha256, const char *actor,
                      struct arena *a, struct notice_row *out);

/* The notice id of action_id with its texts: 1, 0 (no such notice of this action), or DB_*.
 * With lock, the row is locked for the caller's transaction (the send). */
int db_notices_get(PGconn *c, const char *action_id, const char *id, bool lock, struct arena *a,
                   struct notice_row *out);

/* Notices of action_id newest first, after the keyset position (created_at|id, NULL: from the
 * newest), at most limit; texts without bodies. The count, or DB_*. */
int db_notices_list(PGconn *c, const char *action_id, const char *after_created,
                    const char *after_id, int limit, struct arena *a, struct notice_row *out);

/* The members of action_id matching f: how many, and how many of them opted out of
 * non-essential notices. 1, or DB_*. */
int db_notices_count(PGconn *c, const char *action_id, const struct ws_filter *f,
                     int64_t *matching_out, int64_t *opted_out_out);

/* Queues notice_id to the members of action_id matching f, each in its language, once (a
 * unique key on (notice, claim)); the opted out skipped unless essential. *matching_out and
 * *queued_out say how many matched and how many rows went in. 1, or DB_*. */
int db_notices_queue(PGconn *c, const char *notice_id, bool essential, const char *action_id,
                     const struct ws_filter *f, int64_t *matching_out, int64_t *queued_out);

/* Records the send of notice_id (who, the audience as JSON text, the counts). 1, 0 (sent
 * already), or DB_*. */
int db_notices_mark_sent(PGconn *c, const char *notice_id, const char *actor,
                         const char *audience, int64_t matching, int64_t recipients);

/* Stops the send of notice_id (sent, not stopped yet): every message of it still queued
 * becomes cancelled, and the notice records who stopped it, when, and how many (*count_out), in
 * one statement. 1; 0 when nothing changed (the notice is not sent, is stopped already, or has
 * no message left queued); or DB_*. The outbox's rows are locked before the notice's, in the
 * order of the statements that settle them (db/outbox.c): no deadlock with a mail thread. */
int db_notices_cancel(PGconn *c, const char *notice_id, const char *actor, int64_t *count_out);

/* Deletes notice_id of action_id if it is a draft (never sent): 1, 0, or DB_*. */
int db_notices_delete_draft(PGconn *c, const char *action_id, const char *notice_id);

/* The action's title and its association's name, as a notice is signed: 1, 0, or DB_*. */
int db_notices_sender(PGconn *c, const char *action_id, struct arena *a, const char **title_out,
                      const char **association_out);

#endif
