/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The workspace's statements on an action's members (docs/workspace.md): filtered keyset pages,
 * counts, bulk review with its history rows, removal with a reason, and what the association
 * reads of one member besides the claim (review state, duplicate attempts, decisions). The
 * filters are assembled from fixed fragments, values always as parameters. */
#ifndef RECOURS_DB_WS_MEMBERS_H
#define RECOURS_DB_WS_MEMBERS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/tallies.h"

struct arena;

/* Every field optional (NULL: any). Dates are RFC 3339, validated by the caller. */
struct ws_filter {
    const char *status;        /* received | verified | rejected */
    const char *country;       /* ISO alpha-2, upper case */
    const char *payment;       /* voucher | cash */
    const char *mandated_from; /* mandated at or after */
    const char *mandated_to;   /* mandated before */
    const char *reference;     /* canonical RC-XXXX-XXXX */
    int email_confirmed;       /* 1: the address was confirmed, 0: not yet, -1: either */
    const char *risk;          /* a risk flag, any or none (db/risk.h) */
    const char *eligibility;   /* matched | unmatched | unknown */
    const char *const *refs;   /* references (any case), n_refs of them; NULL: any */
    int n_refs;
};

enum ws_sort { WS_SORT_REFERENCE, WS_SORT_MANDATED };

struct ws_page_query {
    const char *action_id;
    const char *association_id; /* when set, a page only if the action is this association's
                                 * (checked in the page's statement: an empty page then says
                                 * nothing of the action, the caller tells 404 from empty) */
    const struct ws_filter *f;
    enum ws_sort sort;
    bool desc;
    const char *after_mandated; /* keyset position (WS_SORT_MANDATED), or NULL */
    const char *after_ref;      /* keyset position, or NULL: from the start */
    int limit;
};

struct ws_member_row {
    const char *reference;
    const char *status;
    const char *review_reason;     /* NULL unless rejected */
    const char *correctable_until; /* NULL unless rejected with a window */
    const char *country;
    unsigned int categories;
    const char *payment_preference;
    const char *added_at;
    const char *mandated_at;
    const char *mandate_text_version;
    const char *channel;
    const char *reviewed_at;
    int64_t duplicate_attempts;
    bool email_confirmed;
};

/* A review decision applied to members, or to one claim. */
struct ws_decision {
    const char *action_id;     /* NULL: the claim claim_id alone, a member or not */
    const struct ws_filter *f; /* which members (with action_id) */
    int64_t claim_id;          /* without action_id (PATCH /v1/claims/{reference}/status) */
    const char *decision;      /* verified | rejected */
    const char *reason;        /* reject reason code, NULL when verified */
    const char *note;          /* free text or NULL */
    int correct_days;          /* rejected: the claimant's correction window */
    const char *batch_id;      /* uuid, the audit event's object */
    const char *actor;
};

/* The members a decision moved, grouped by their summary group before the move. */
struct ws_moved {
    struct tally_key before;
    int64_t n;
};

extern const struct db_statement db_ws_members_statements[];

/* A page (limit rows at most) of the members matching q. Count or DB_*. */
int db_ws_members_page(PGconn *c, const struct ws_page_query *q, struct arena *a,
                       struct ws_member_row *out, int *n_out);

/* How many members match f and would move on decision (NULL: all matching). 1 or DB_*. */
int db_ws_members_count(PGconn *c, const char *action_id, const struct ws_filter *f,
                        const char *decision, int64_t *out);

/* Applies d to the matching members that it moves (locked in id order), writes a history row
 * for each (action_id null outside any action, 0030) and queues a rejected claimant's message;
 * *moved_out (arena) groups them by their summary group before. 1 or DB_*. */
int db_ws_review_apply(PGconn *c, const struct ws_decision *d, struct arena *a,
                       struct ws_moved **moved_out, int *n_out, int64_t *total_out);

/* Takes reference out of the action with a history row. 1, 0 (not a member) or DB_*. */
int db_ws_member_remove(PGconn *c, const char *action_id, const char *reference,
                        const char *reason, const char *batch_id, const char *actor);

/* Review state and duplicate attempts of the claim id: the row (reference and the claim's
 * other columns are not filled), the dates of at most max_dates attempts, oldest first. */
int db_ws_member_extra(PGconn *c, int64_t claim_id, struct arena *a, struct ws_member_row *out,
                       const char ***dates_out, int max_dates, int *n_dates);

/* A rejected claim whose correction window is open goes back to review (status received,
 * reason cleared), with a history row. 1 when it did, 0 otherwise, or DB_*. */
int db_ws_reopen_corrected(PGconn *c, int64_t claim_id);

/* One decision on a claim (claim_reviews), as the member view shows it. */
struct ws_history_row {
    const char *decision; /* verified | rejected | removed | reopened */
    const char *reason;   /* its code, or NULL */
    const char *at;       /* RFC 3339, UTC */
    const char *by;       /* association | operator | claimant */
};

/* The claim's decisions, the newest max of them, oldest first. 1 or DB_*. */
int db_ws_member_history(PGconn *c, int64_t claim_id, int max, struct arena *a,
                         struct ws_history_row **out, int *n_out);

struct ws_day {
    const char *date; /* YYYY-MM-DD, UTC */
    int64_t n;
};

/* How many of the action's members joined on each day (UTC), oldest first, at most 3660 days.
 * 1 or DB_*. */
int db_ws_members_per_day(PGconn *c, const char *action_id, struct arena *a,
                          struct ws_day **out, int *n_out);

/* The reason code a review message (claim-rejected, member-removed) was queued with: 1 (*out
 * set, NULL when none), 0 (no such row) or DB_*. */
int db_ws_outbox_reason(PGconn *c, int64_t outbox_id, struct arena *a, const char **out);

/* The members of action_id matching f, for a statement of another table group (the notices'
 * queue): runs head (its parameters head_params are $1..$n_head; it ends with
 * "FROM claims c"), the filter's WHERE (its parameters follow), then tail; the result is the
 * caller's (PQclear). n_head <= 8. */
PGresult *db_ws_members_select(PGconn *c, const char *head, const char *const *head_params,
                               int n_head, const char *action_id, const struct ws_filter *f,
                               const char *tail);

#endif
