/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Representative actions of an association: open, read, list, update (status lifecycle). */
#ifndef RECOURS_SERVICE_ACTIONS_H
#define RECOURS_SERVICE_ACTIONS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/public_pages.h"
#include "service/audit.h"

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

/* INVALID_TRANSITION for a status change outside the lifecycle. The action's members (p)
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

#endif
