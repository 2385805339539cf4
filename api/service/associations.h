/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Associations and their API keys: the operator registers, approves, suspends, issues and
 * revokes; every write is audited in its own transaction. */
#ifndef RECOURS_SERVICE_ASSOCIATIONS_H
#define RECOURS_SERVICE_ASSOCIATIONS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "db/associations.h"
#include "service/audit.h"

struct arena;

/* Members a PATCH gave (merge patch); unset ones keep their value. */
struct association_patch {
    bool has_name, has_approval_reference, has_approved_from, has_approved_until, has_country,
        has_contact_email, has_status;
    struct association value;
};

enum outcome svc_associations_create(PGconn *c, const struct audit_note *note,
                                     const struct association *in, struct arena *a,
                                     struct association *out);
enum outcome svc_associations_get(PGconn *c, const char *id, struct arena *a,
                                  struct association *out);
/* Applies p; INVALID with *error_field set when approved_until would precede approved_from. */
enum outcome svc_associations_update(PGconn *c, const struct audit_note *note, const char *id,
                                     const struct association_patch *p, struct arena *a,
                                     struct association *out, const char **error_field);
enum outcome svc_associations_list(PGconn *c, const char *after, int limit, struct arena *a,
                                   struct association *out, int *n_out, bool *more_out);

#define API_KEY_LEN 55 /* "rk_" + 8 + "_" + 43 */

/* Issues a key for association_id (NULL: an operator key). *secret_out (API_KEY_LEN + 1) is
 * the whole bearer value, shown once; only its keyed hash is stored. NOT_FOUND if the
 * association does not exist. */
enum outcome svc_keys_issue(PGconn *c, const struct secrets *s, const struct audit_note *note,
                            const char *association_id, const char *label, struct arena *a,
                            struct api_key *out, char *secret_out);

/* Revokes (idempotent): OK, or NOT_FOUND for an unknown key. */
enum outcome svc_keys_revoke(PGconn *c, const struct audit_note *note, const char *id);

/* Entry points for handlers: the same on the calling thread's connection (service/conn.h). */
enum outcome svc_rq_associations_create(const struct audit_note *note,
                                        const struct association *in, struct arena *a,
                                        struct association *out);
enum outcome svc_rq_associations_update(const struct audit_note *note, const char *id,
                                        const struct association_patch *p, struct arena *a,
                                        struct association *out, const char **error_field);
/* Any association as stored (its status reported), for a check the write would make next. */
enum outcome svc_rq_associations_get(const char *id, struct arena *a, struct association *out);
enum outcome svc_rq_associations_list(const char *after, int limit, struct arena *a,
                                      struct association *out, int *n_out, bool *more_out);
/* One association of the public list (GET /v1/associations/{id}): NOT_FOUND unless it is
 * reported approved (approved, within its approval dates), as the list shows no other. */
enum outcome svc_rq_associations_get_public(const char *id, struct arena *a,
                                            struct association *out);
enum outcome svc_rq_keys_issue(const struct secrets *s, const struct audit_note *note,
                               const char *association_id, const char *label, struct arena *a,
                               struct api_key *out, char *secret_out);
enum outcome svc_rq_keys_revoke(const struct audit_note *note, const char *id);

#endif
