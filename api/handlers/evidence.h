/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evidence files over the API (docs/evidence.md, docs/api.md "Evidence"):
 *   POST   /v1/claims/{reference}/evidence              the claimant uploads one file: the
 *          body is the file's bytes (streamed, http/body_stream.h), ?name= its name
 *   GET    /v1/claims/{reference}/evidence              the claimant's list
 *   DELETE /v1/claims/{reference}/evidence/{file}       the claimant removes one
 *   GET    /v1/actions/{id}/members/{reference}/evidence         the association's list
 *   GET    /v1/actions/{id}/members/{reference}/evidence/{file}  its download (audited)
 * The claimant's routes take the claim token as Bearer credential; the association's, an
 * API key of the association whose action the claim is a member of (another's: 404). */
#ifndef RECOURS_HANDLERS_EVIDENCE_H
#define RECOURS_HANDLERS_EVIDENCE_H

#include <jansson.h>

#include "http/body_stream.h"
#include "http/reply.h"
#include "http/request.h"
#include "service/evidence.h"

/* The streamed routes' table entries (routes.c): the limit and the opener of each. */
int64_t evidence_upload_limit(const void *app);
bool evidence_upload_open(struct request *rq, struct body_sink *sink, struct reply *refusal);

/* The limits of the configuration. */
struct evidence_limits evidence_limits_of(const void *app);

/* One file as the API shows it. */
json_t *evidence_file_json(const struct evidence_file *f);

#endif
