/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Representative actions of an association: open, read, list, update (status lifecycle). */
#ifndef RECOURS_SERVICE_ACTIONS_H
#define RECOURS_SERVICE_ACTIONS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/associations.h"
#include "db/public_pages.h"
#include "service/audit.h"
#include "service/public_pages.h"

struct arena;

struct action_patch {
    bool has_title, has_legal_basis, has_opt_in_deadline, has_counsel_name, has_counsel_email,
        has_mandate_text, has_mandate_text_version, has_status;
    struct action value;
};

/* INVALID when no open incident has in->incident (the field error is `incident`). With rec
 * (NULL: none), the public record's members are written in the same transaction. */
enum outcome svc_actions_create(PGconn *c, const struct audit_note *note,
                                const struct action *in, const struct action_record_patch *rec,
                                struct arena *a, struct action *out);

/* The action if association_id owns it (NULL: any, for the operator), else NOT_FOUND. */
enum outcome svc_actions_get(PGconn *c, const char *id, const char *association_id,
                             struct arena *a, struct action *out);

/* INVALID_TRANSITION for a status change outside the lifecycle, *out then the action as this
 * transaction found it (the status the move was refused from). The action's members (p)
 * and its public record (rec, NULL: none) in one transaction, the action first (a new
 * mandate_text_version is in force when rec's mandate_text_en is written): both or neither.
 * With rec and nothing in p, the action's row is not written. */
enum outcome svc_actions_update(PGconn *c, const struct audit_note *note, const char *id,
                                const char *association_id, const struct action_patch *p,
                                const struct action_record_patch *rec, struct arena *a,
                                struct action *out);

enum outcome svc_actions_list(PGconn *c, const char *association_id, const char *incident,
                              const char *status, const char *after, int limit, struct arena *a,
                              struct action *out, int *n_out, bool *more_out);

/* An action with its public record (docs/api.md "Action public record"): the record's members
 * as the text of one JSON object, for the answer to carry beside the action's own. */
struct action_doc {
    struct action action;
    const char *record;
};

/* Entry points for handlers, on the calling thread's connection (service/conn.h). */

/* Opens the action in and, rec not NULL, sets its public record; *out as then stored. */
enum outcome svc_rq_actions_create(const struct audit_note *note, const struct action *in,
                                   const struct action_record_patch *rec, struct arena *a,
                                   struct action_doc *out);
/* The action with its record if association_id owns it, else NOT_FOUND. */
enum outcome svc_rq_action_doc(const char *id, const char *association_id, struct arena *a,
                               struct action_doc *out);
enum outcome svc_rq_actions_get(const char *id, const char *association_id, struct arena *a,
                                struct action *out);
/* Applies p (the action's members) then rec (its record, NULL: none): the action first, since
 * the mandate version in force may change and mandate_text_en is the English text of the
 * version then in force. INVALID_TRANSITION as svc_actions_update's (out->action as found). */
enum outcome svc_rq_actions_update(const struct audit_note *note, const char *id,
                                   const char *association_id, const struct action_patch *p,
                                   const struct action_record_patch *rec, struct arena *a,
                                   struct action_doc *out);
enum outcome svc_rq_actions_list(const char *association_id, const char *incident,
                                 const char *status, const char *after, int limit,
                                 struct arena *a, struct action *out, int *n_out,
                                 bool *more_out);

/* The public face of an action that takes mandates (GET /v1/actions/{id}/mandate): the
 * action, its association and, lang not NULL ("fr" or "en"), the mandate text in lang or the
 * French original. NOT_FOUND unless a submission would accept the mandate now (action open,
 * deadline ahead, association approved, incident open). Through the intake's read cache
 * (service/lookup_cache.h). */
struct mandate_page {
    struct action action;
    struct association association;
    const char *text, *text_lang, *version; /* with lang only */
};
enum outcome svc_rq_action_mandate_page(const char *id, const char *lang, struct arena *a,
                                        struct mandate_page *out);

/* The action id if the association association_id owns it, without its member count (the
 * workspace's routes run on actions of millions of members): NOT_FOUND otherwise, then
 * APPROVAL_LAPSED unless may_write (the caller's approval is in force, for a write). */
enum outcome svc_rq_action_own(const char *id, const char *association_id, bool may_write,
                               struct arena *a, struct action *out);

#endif
