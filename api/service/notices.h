/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices from an association to the members of its action (docs/workspace.md "Notices"):
 * written (a draft: kind and texts in French and English), previewed as a member receives it,
 * sent once to every member or to those matching the member filter, the recipients counted
 * first and the count confirmed (expected_count), then followed (queued, sent, failed). Every
 * entry point checks that the action is the association's: any other is NOT_FOUND. Writing
 * and sending are audited: "action.notice.create" (digest: SHA-256 of the texts, as
 * notices.texts_sha256) and "action.notice.send" (digest of the send's record: the texts'
 * digest, the audience, the counts). A send in progress may be stopped, once: its messages
 * still queued are cancelled ("action.notice.cancel"); a draft never sent may be deleted
 * ("action.notice.delete", digest: the texts' digest). */
#ifndef RECOURS_SERVICE_NOTICES_H
#define RECOURS_SERVICE_NOTICES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/notices.h"
#include "mail/render.h"
#include "service/audit.h"

struct arena;

/* Whether the caller may act on the action (and on notice id of it, unless NULL): NOT_FOUND
 * when either is not the association's, APPROVAL_LAPSED when it may not write and write is
 * asked. Handlers ask before reading a body, so that another association learns nothing. */
enum outcome svc_rq_notice_check(const char *association_id, const char *action_id,
                                 const char *id, bool write, bool may_write, struct arena *a);

/* A new draft of kind (notice_kinds) with its texts. */
enum outcome svc_rq_notice_create(const struct audit_note *note, const char *association_id,
                                  const char *action_id, const char *kind,
                                  const struct notice_texts *texts, struct arena *a,
                                  struct notice_row *out);

enum outcome svc_rq_notice_get(const char *association_id, const char *action_id,
                               const char *id, struct arena *a, struct notice_row *out);

/* A page of the action's notices, newest first, after the position "created_at|id" (NULL:
 * the first page); *more_out when another follows. */
enum outcome svc_rq_notice_list(const char *association_id, const char *action_id,
                                const char *after, int limit, struct arena *a,
                                struct notice_row *out, int *n_out, bool *more_out);

/* The message of notice id as a member writing in lang receives it (nothing sent, nothing
 * stored): signed by sender_name as the mail job signs (NULL: "recours"), a placeholder
 * reference, the stop link's address with a placeholder token (NULL
 * for an essential notice: *stop_url_out), links under public_url. Free out with
 * mail_rendered_free. */
enum outcome svc_rq_notice_preview(const char *association_id, const char *action_id,
                                   const char *id, const char *lang, const char *public_url,
                                   const char *sender_name, struct arena *a,
                                   struct mail_rendered *out, const char **stop_url_out);

struct notice_send_request {
    const struct ws_filter *f; /* which members; every field empty: all */
    const char *audience;      /* f as JSON text ("{}": all), kept with the notice */
    bool dry_run;
    int64_t expected;          /* the recipients count the user confirmed; -1 with dry_run */
};

struct notice_send_result {
    int64_t matching;          /* members matching the audience */
    int64_t recipients;        /* messages queued (or that would be) */
    int64_t skipped_opted_out; /* matching members who stopped non-essential notices */
    bool count_changed;        /* expected differed: nothing was queued */
    bool no_recipients;        /* nobody would receive it: nothing was queued, still a draft */
};

/* Dry run: counts. Otherwise queues one message per recipient in one transaction with the
 * notice's send record and its audit event, unless nobody would receive it (a notice is sent
 * once: sent to no one it could never reach the members who join later) or the recipients
 * count differs from expected (*out says which; nothing changes). INVALID_TRANSITION when the
 * notice was sent already. */
enum outcome svc_rq_notice_send(const struct audit_note *note, const char *association_id,
                                const char *action_id, const char *id,
                                const struct notice_send_request *rq, struct arena *a,
                                struct notice_send_result *out);

/* Stops the send of notice id: every message of it still queued is cancelled, with the
 * notice's record of who stopped it, when and how many, and the audit event, in one
 * transaction; *out is the notice as it is then. INVALID_TRANSITION when it cannot be stopped:
 * *out says why (not sent; stopped already, out->cancelled; else nothing was left queued). A
 * message a mail thread holds may still be handed to the relay (db/outbox.h). */
enum outcome svc_rq_notice_cancel(const struct audit_note *note, const char *association_id,
                                  const char *action_id, const char *id, struct arena *a,
                                  struct notice_row *out);

/* Deletes notice id, a draft (never sent), with its audit event; INVALID_TRANSITION when it
 * was sent. */
enum outcome svc_rq_notice_delete(const struct audit_note *note, const char *association_id,
                                  const char *action_id, const char *id, struct arena *a);

#endif
