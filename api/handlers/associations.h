/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /v1/associations, /v1/associations/{id}/keys, /v1/keys/{id}, /v1/audit/verify
 * (docs/api.md §10.2–10.3, §13.1). */
#ifndef RECOURS_HANDLERS_ASSOCIATIONS_H
#define RECOURS_HANDLERS_ASSOCIATIONS_H

#include "http/request.h"

struct reply handle_associations_list(struct request *rq);
struct reply handle_associations_create(struct request *rq);
struct reply handle_associations_update(struct request *rq);
struct reply handle_keys_issue(struct request *rq);
struct reply handle_keys_revoke(struct request *rq);
struct reply handle_audit_verify(struct request *rq);

#endif
