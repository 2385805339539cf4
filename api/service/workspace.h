/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The association's workspace on one of its actions (docs/workspace.md): the member list, a
 * member's claim read with its personal data (each read audited), review decisions one at a
 * time or in bulk with the count confirmed, and removal with a reason (each audited). The
 * caller has checked that the action is the association's (svc_rq_action_own,
 * service/actions.h). Entry points for handlers, on the calling thread's connection
 * (service/conn.h). */
#ifndef RECOURS_SERVICE_WORKSPACE_H
#define RECOURS_SERVICE_WORKSPACE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/claims.h"
#include "db/risk.h"
#include "db/ws_members.h"
#include "service/audit.h"
#include "service/read_source.h"

struct arena;

/* A page of q->limit members at most; *more_out when another page follows. Read on a replica
 * when one answers (*src says so and how far behind), else on the primary. */
enum outcome svc_rq_ws_members_page(const struct ws_page_query *q, struct arena *a,
                                    struct ws_member_row *out, int *n_out, bool *more_out,
                                    struct read_source *src);

/* What the association reads of one member besides the claim itself. */
struct ws_member_view {
    struct claim_record claim;  /* pii still sealed */
    struct ws_member_row review; /* review_reason, correctable_until, reviewed_at, duplicates */
    const char **duplicate_dates;
    int n_duplicate_dates;
    struct risk_view risk;       /* its risk flags with their counts (docs/risk.md) */
    struct ws_history_row *history; /* its decisions, oldest first */
    int n_history;
};

#define WS_DUPLICATE_DATES_MAX 100
#define WS_HISTORY_MAX 100

/* The member `reference` (canonical) of action_id, its read recorded in the audit chain
 * ("claim.read", the claim's reference, who and when; no personal data). NOT_FOUND when the
 * claim is not a member of this action. */
enum outcome svc_rq_ws_member_read(const struct audit_note *note, const char *action_id,
                                   const char *reference, struct arena *a,
                                   struct ws_member_view *out);

/* A review request: d's batch_id and actor are filled here. expected < 0: no confirmation
 * (references only). */
struct ws_review_request {
    struct ws_decision d;
    bool dry_run;
    int64_t expected;
};

struct ws_review_result {
    int64_t count;       /* members the decision moves (dry run) or moved */
    bool count_changed;  /* expected differed from count: nothing was changed */
    char batch_id[37];   /* the audit event's object; empty for a dry run */
};

/* Dry run: counts. Otherwise applies the decision in one transaction, moves the summary
 * tallies, audits "action.members.review" (object: the batch) and commits, unless expected
 * differs from the count (then *out says so and nothing is changed). */
enum outcome svc_rq_ws_review(const struct audit_note *note, struct ws_review_request *rq,
                              struct arena *a, struct ws_review_result *out);

/* Takes the member out of the action with a reason code, audited ("action.members.remove").
 * NOT_FOUND when it is not a member. */
enum outcome svc_rq_ws_member_remove(const struct audit_note *note, const char *action_id,
                                     const char *reference, const char *reason);

/* Members per day of joining (UTC), oldest first. */
enum outcome svc_rq_ws_members_per_day(const char *action_id, struct arena *a,
                                       struct ws_day **out, int *n_out);

#endif
