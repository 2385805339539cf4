/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Association, key and audit handlers (operator, except the public list and its items). */
#include "handlers/handlers.h"

#include <openssl/crypto.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "domain/countries.h"
#include "domain/uuid.h"
#include "handlers/guard.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "service/associations.h"

#define LIST_KIND "associations"

static const char *const members[] = {"name", "approval_reference", "approved_from",
                                      "approved_until", "country", "contact_email", "status",
                                      NULL};
static const char *const settable_statuses[] = {"approved", "suspended", NULL};

static const char *
read_country(const struct json_fields *jf, bool required)
{
    const char *raw = jf_text(jf, "country", required, 2);
    char upper[3];

    if (raw == NULL)
        return NULL;
    if (!country_normalize(raw, upper)) {
        errors_add(jf->errors, "country", "invalid-value", "not an ISO 3166-1 alpha-2 code");
        return NULL;
    }
    return arena_strdup(jf->arena, upper);
}

static json_t *
association_json(const struct association *x)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s, s:s, s:s}", "id", x->id, "name",
                     x->name, "approval_reference", x->approval_reference, "approved_from",
                     x->approved_from, "approved_until", x->approved_until, "country",
                     x->country, "contact_email", x->contact_email, "status", x->status,
                     "created_at", x->created_at, "updated_at", x->updated_at);
}

static void
read_create(const struct json_fields *jf, void *out)
{
    struct association *in = out;

    jf_refuse_unknown(jf, members);
    if (json_object_get(jf->obj, "status") != NULL)
        errors_add(jf->errors, "status", "read-only", "a new association is pending");
    in->name = jf_text(jf, "name", true, 200);
    in->approval_reference = jf_text(jf, "approval_reference", true, 200);
    in->approved_from = jf_date(jf, "approved_from", true);
    in->approved_until = jf_date(jf, "approved_until", false);
    if (in->approved_from != NULL && in->approved_until != NULL &&
        strcmp(in->approved_until, in->approved_from) < 0)
        errors_add(jf->errors, "approved_until", "out-of-range",
                   "must not precede approved_from");
    in->country = read_country(jf, true);
    in->contact_email = jf_email(jf, "contact_email", false);
}

struct reply
handle_associations_create(struct request *rq)
{
    struct association in = {0}, out;
    struct reply deny;

    if (!json_body_read(rq, false, read_create, &in, &deny))
        return deny;
    struct audit_note note = guard_audit_note(rq);
    enum outcome o = svc_rq_associations_create(&note, &in, rq->arena, &out);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct reply r = reply_json_take(201, association_json(&out));
    reply_add_header(&r, "Location", arena_printf(rq->arena, "/v1/associations/%s", out.id));
    return r;
}

static void
read_patch(const struct json_fields *jf, void *out)
{
    struct association_patch *p = out;
    json_t *o = jf->obj;

    jf_refuse_unknown(jf, members);
    if ((p->has_name = json_object_get(o, "name") != NULL))
        p->value.name = jf_text(jf, "name", true, 200);
    if ((p->has_approval_reference = json_object_get(o, "approval_reference") != NULL))
        p->value.approval_reference = jf_text(jf, "approval_reference", true, 200);
    if ((p->has_approved_from = json_object_get(o, "approved_from") != NULL))
        p->value.approved_from = jf_date(jf, "approved_from", true);
    if ((p->has_approved_until = json_object_get(o, "approved_until") != NULL))
        p->value.approved_until = jf_date(jf, "approved_until", false);
    if (p->value.approved_from != NULL && p->value.approved_until != NULL &&
        strcmp(p->value.approved_until, p->value.approved_from) < 0)
        errors_add(jf->errors, "approved_until", "out-of-range", "must not precede approved_from");
    if ((p->has_country = json_object_get(o, "country") != NULL))
        p->value.country = read_country(jf, true);
    if ((p->has_contact_email = json_object_get(o, "contact_email") != NULL))
        p->value.contact_email = jf_email(jf, "contact_email", false);
    if ((p->has_status = json_object_get(o, "status") != NULL))
        p->value.status = jf_enum(jf, "status", true, settable_statuses);
}

/* Every error at once (docs/api.md §5.2): a patch refused for other members that moves one
 * approval date says too whether it would end before it starts against the stored other one,
 * which the write would have said next (an association that cannot be read leaves it unsaid). */
static void
check_dates_against_stored(const struct json_fields *jf, const char *id,
                           const struct association_patch *p)
{
    struct association cur;
    const char *from = p->value.approved_from, *until = p->value.approved_until;

    if (p->has_approved_from == p->has_approved_until || (from == NULL && until == NULL))
        return; /* both given: read_patch compared them; neither, or one invalid or null */
    if (svc_rq_associations_get(id, jf->arena, &cur) != OUTCOME_OK)
        return;
    if (from == NULL)
        from = cur.approved_from;
    else
        until = cur.approved_until;
    if (from != NULL && until != NULL && strcmp(until, from) < 0)
        errors_add(jf->errors, "approved_until", "out-of-range", "must not precede approved_from");
}

struct reply
handle_associations_update(struct request *rq)
{
    struct association_patch patch = {0};
    struct association out;
    struct errors errors = {0};
    struct json_fields jf;
    struct reply deny;
    const char *bad_field = NULL;

    if (!uuid_is_valid(request_param(rq, 0)))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    if (!json_body_fields(rq, true, NULL, &errors, &jf, &deny))
        return deny;
    read_patch(&jf, &patch);
    if (errors_any(&errors)) {
        check_dates_against_stored(&jf, request_param(rq, 0), &patch);
        return json_body_invalid(&errors);
    }
    struct audit_note note = guard_audit_note(rq);
    enum outcome o = svc_rq_associations_update(&note, request_param(rq, 0), &patch, rq->arena,
                                             &out, &bad_field);
    if (o == OUTCOME_INVALID) {
        errors_add(&errors, bad_field, "out-of-range", "must not precede approved_from");
        return json_body_invalid(&errors);
    }
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, association_json(&out));
}

/* An association of the public list (docs/api.md §10.3). */
static json_t *
association_item(const void *row)
{
    const struct association *x = row;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}", "id", x->id, "name", x->name,
                     "approval_reference", x->approval_reference, "country", x->country,
                     "approved_from", x->approved_from, "approved_until", x->approved_until);
}

/* The object of a new association's Location, for anyone: the item the public list shows of
 * it, and 404 for an association the list does not show. */
struct reply
handle_associations_get(struct request *rq)
{
    struct association x;
    const char *id = request_param(rq, 0);

    if (!uuid_is_valid(id))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    enum outcome o = svc_rq_associations_get_public(id, rq->arena, &x);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, association_item(&x));
}

struct reply
handle_associations_list(struct request *rq)
{
    struct reply deny;
    int limit, n = 0;
    bool more = false;
    const char *after;

    if (!guard_page(rq, LIST_KIND, NULL, NULL, &limit, &after, &deny))
        return deny;
    struct association *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    enum outcome o = svc_rq_associations_list(after, limit, rq->arena, rows, &n, &more);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    const char *next = more ? guard_next_cursor(rq, LIST_KIND, NULL, NULL, rows[n - 1].id) : NULL;
    return reply_rows(rows, n, sizeof *rows, association_item, next);
}

static json_t *
key_json(const struct api_key *k, const char *secret)
{
    return json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:s, s:s?, s:s?}", "id", k->id,
                     "association_id", k->association_id, "label", k->label, "prefix",
                     k->prefix, "secret", secret, "created_at", k->created_at, "last_used_at",
                     k->last_used_at, "revoked_at", k->revoked_at);
}

/* {"label": ...}: a key's only member, into the const char * at out. */
static void
read_key_request(const struct json_fields *jf, void *out)
{
    static const char *const key_members[] = {"label", NULL};

    jf_refuse_unknown(jf, key_members);
    *(const char **)out = jf_text(jf, "label", false, 200);
}

struct reply
handle_keys_issue(struct request *rq)
{
    struct api_key key;
    struct reply deny;
    const char *label = NULL;
    char secret[API_KEY_LEN + 1];

    if (!uuid_is_valid(request_param(rq, 0)))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    /* the body is optional: without one, the key has no label */
    if (rq->body.len > 0 && !json_body_read(rq, false, read_key_request, &label, &deny))
        return deny;
    struct audit_note note = guard_audit_note(rq);
    enum outcome o = svc_rq_keys_issue(app_secrets(rq->app), &note, request_param(rq, 0), label,
                                    rq->arena, &key, secret);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct reply r = reply_json_take(201, key_json(&key, secret));
    OPENSSL_cleanse(secret, sizeof secret);
    return r;
}

struct reply
handle_keys_revoke(struct request *rq)
{
    struct caller who = guard_caller(rq);
    const char *id = request_param(rq, 0);

    if (!uuid_is_valid(id))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    struct audit_note note = {who.actor, id, strlen(id)};
    enum outcome o = svc_rq_keys_revoke(&note, id);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_empty(204);
}

struct reply
handle_audit_verify(struct request *rq)
{
    struct audit_result v;
    struct audit_head kept;
    const char *head = request_query(rq, "head");

    /* a head kept outside the database (recours audit head): a cut tail then shows */
    if (head != NULL && !svc_audit_head_parse(head, &kept))
        return guard_bad_parameter("head", "head must be <seq>:<64 lower-case hex digits>, as "
                                           "recours audit head prints it");
    enum outcome o = svc_rq_audit_verify(head != NULL ? &kept : NULL, &v);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    json_t *first = v.ok ? json_null()
                         : json_pack("{s:I, s:s}", "seq", (json_int_t)v.broken_seq, "reason",
                                     v.reason);
    return reply_json_take(200, json_pack("{s:b, s:I, s:s?, s:o}", "ok", v.ok, "events",
                                          (json_int_t)v.events, "head",
                                          v.head[0] != '\0' ? v.head : NULL, "first_broken",
                                          first));
}
