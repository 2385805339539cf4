/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence.h. */
#include "handlers/evidence.h"

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "domain/file_type.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "http/auth.h"
#include "http/json_build.h"
#include "http/outcome.h"
#include "http/problem.h"

struct evidence_limits
evidence_limits_of(const void *app)
{
    const struct config *cfg = ((const struct app *)app)->cfg;
    struct evidence_limits lim = {cfg->evidence_max_files, cfg->evidence_max_bytes};

    return lim;
}

int64_t
evidence_upload_limit(const void *app)
{
    return evidence_limits_of(app).max_bytes;
}

json_t *
evidence_file_json(const struct evidence_file *f)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "id", f->id, "name", f->name,
                     "media_type", f->media_type, "size", (json_int_t)f->size, "sha256",
                     f->sha256, "created_at", f->stored_at);
}

static json_t *
list_json(const struct evidence_list *l)
{
    struct json_build b = {0};
    json_t *data = json_array();

    for (int i = 0; i < l->n; i++)
        jb_append(&b, data, evidence_file_json(&l->files[i]));
    return jb_result(&b, data);
}

static void
sink_write(void *ctx, const char *data, size_t n)
{
    svc_rq_evidence_write(ctx, data, n);
}

static void
sink_end(void *ctx)
{
    svc_rq_evidence_end(ctx);
}

/* Before the body: the token must be the claim's and the claim must take a file now, so a
 * refused upload is answered before a byte of it is read. */
bool
evidence_upload_open(struct request *rq, struct body_sink *sink, struct reply *refusal)
{
    const char *token = auth_bearer(rq);
    struct evidence_limits lim = evidence_limits_of(rq->app);
    struct evidence_upload *u = NULL;

    if (token == NULL) {
        *refusal = auth_unauthorized();
        return false;
    }
    enum outcome o = svc_rq_evidence_begin(app_secrets(rq->app), &lim, request_param(rq, 0),
                                           token, request_query(rq, "name"), &u);
    if (o != OUTCOME_OK) {
        *refusal = reply_outcome(o, NULL);
        return false;
    }
    *sink = (struct body_sink){sink_write, sink_end, u};
    return true;
}

struct reply
handle_evidence_upload(struct request *rq)
{
    struct evidence_file f;

    if (rq->streamed.sink.write != sink_write)
        return reply_outcome(OUTCOME_INTERNAL, NULL); /* routes.c streams this route */
    enum outcome o = svc_rq_evidence_finish(rq->streamed.sink.ctx, rq->arena, &f);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(201, evidence_file_json(&f));
}

struct reply
handle_evidence_list_own(struct request *rq)
{
    const char *token = auth_bearer(rq);
    struct evidence_limits lim = evidence_limits_of(rq->app);
    struct evidence_list l;

    if (token == NULL)
        return auth_unauthorized();
    enum outcome o = svc_rq_evidence_list_own(app_secrets(rq->app), &lim, request_param(rq, 0),
                                              token, rq->arena, &l);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, json_pack("{s:o, s:b, s:b, s:i, s:I}", "data", list_json(&l),
                                          "can_add", l.can_add, "can_remove", l.can_change,
                                          "max_files", lim.max_files, "max_bytes",
                                          (json_int_t)lim.max_bytes));
}

struct reply
handle_evidence_remove(struct request *rq)
{
    const char *token = auth_bearer(rq);

    if (token == NULL)
        return auth_unauthorized();
    enum outcome o = svc_rq_evidence_remove(app_secrets(rq->app), request_param(rq, 0), token,
                                            request_param(rq, 1));
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_empty(204);
}

struct reply
handle_evidence_member_list(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct evidence_list l;
    enum outcome o = svc_rq_evidence_member_list(app_secrets(rq->app), who.association_id,
                                                 request_param(rq, 0), request_param(rq, 1),
                                                 rq->arena, &l);

    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, json_pack("{s:o}", "data", list_json(&l)));
}

static ssize_t
download_next(void *ctx, char *buf, size_t max)
{
    return svc_rq_evidence_download_next(ctx, buf, max);
}

static void
download_end(void *ctx, bool delivered)
{
    (void)delivered;
    svc_rq_evidence_download_end(ctx);
}

struct reply
handle_evidence_download(struct request *rq)
{
    struct caller who = guard_caller(rq);
    const char *reference = request_param(rq, 1);
    struct evidence_file f;
    struct evidence_download *d = NULL;
    /* the audit digests the reference alone: who read which claim's file, nothing personal */
    struct audit_note note = {who.actor, reference, strlen(reference)};
    enum outcome o = svc_rq_evidence_download_open(app_secrets(rq->app), &note, who.association_id,
                                                   request_param(rq, 0), reference,
                                                   request_param(rq, 2), rq->arena, &f, &d);

    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    /* the static name of the type (a reply's content type outlives the arena) */
    enum file_type type = file_type_of_media(f.media_type);
    const char *media = file_type_media(type);
    const char *ext = file_type_extension(type);
    struct reply r = reply_stream_take(200, media != NULL ? media : "application/octet-stream",
                                       (struct reply_stream){download_next, download_end, d});
    /* never shown in the browser's origin: a download, named by its id (the claimant's name
     * for it is theirs, not a safe file name) with the extension of its type, so that counsel's
     * system opens it with the right program */
    reply_add_header(&r, "Content-Disposition",
                     arena_printf(rq->arena, "attachment; filename=\"%s%s%s\"", f.id,
                                  ext != NULL ? "." : "", ext != NULL ? ext : ""));
    reply_add_header(&r, "X-Evidence-SHA256", arena_strdup(rq->arena, f.sha256));
    return r;
}
