/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Members of an association's action: add (audited), list, remove (audited). */
#ifndef RECOURS_SERVICE_MEMBERS_H
#define RECOURS_SERVICE_MEMBERS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/memberships.h"
#include "service/audit.h"

struct arena;

/* refs_array NULL: add by filter f. ACTION_NOT_OPEN unless the action is open. */
enum outcome svc_members_add(PGconn *c, const struct audit_note *note, const struct action *x,
                             const char *refs_array, const struct member_filter *f,
                             struct member_counts *out);

enum outcome svc_members_remove(PGconn *c, const struct audit_note *note, const struct action *x,
                                const char *reference);

/* Entry points for handlers: the same on the calling thread's connection (service/conn.h). */
enum outcome svc_rq_members_remove(const struct audit_note *note, const struct action *x,
                                   const char *reference);

/* Adds the claims of refs (n_refs references) or, refs NULL, those filter f selects, to the
 * action x. */
enum outcome svc_rq_members_add(const struct audit_note *note, const struct action *x,
                                const char *const *refs, size_t n_refs,
                                const struct member_filter *f, struct member_counts *out);

#endif
