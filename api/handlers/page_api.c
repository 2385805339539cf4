/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The pages' side of the JSON API (page_api.h). */
#include "handlers/page_api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "handlers/claim_form.h"

bool
page_api_body(struct request *rq, json_t *body, const char *media)
{
    char *text = body != NULL ? claim_form_dump(body) : NULL;

    json_decref(body);
    if (text == NULL)
        return false;
    strbuf_free(&rq->body);
    strbuf_puts(&rq->body, text);
    xfree_wiped(text); /* the claimant's form */
    rq->from_page_form = true;
    return request_override_header(rq, "Content-Type", media);
}

void
page_api_param(struct request *rq, const char *value)
{
    rq->match.params[0] = value;
    rq->match.n_params = 1;
}

void
page_api_answer(struct request *rq, struct reply api, struct page_answer *out)
{
    const char *type, *slash;

    out->status = api.status;
    out->doc = api.body != NULL ? json_loadb(api.body, api.body_len, 0, NULL) : NULL;
    if (out->doc != NULL)
        arena_defer(rq->arena, (void (*)(void *))json_decref, out->doc);
    type = json_string_value(json_object_get(out->doc, "type"));
    slash = type != NULL ? strrchr(type, '/') : NULL;
    out->problem = slash != NULL ? slash + 1 : "";
    out->retry_after = NULL;
    for (int i = 0; i < api.n_headers; i++)
        if (strcasecmp(api.headers[i].name, "Retry-After") == 0)
            out->retry_after = api.headers[i].value; /* static or in the arena */
    reply_discard(&api);
}

struct errors *
page_api_errors(struct request *rq, const struct page_answer *a)
{
    json_t *list = json_object_get(a->doc, "errors");
    size_t i;
    json_t *item;

    if (a->status != 422 || strcmp(a->problem, "validation-error") != 0 || !json_is_array(list))
        return NULL;
    struct errors *e = arena_alloc(rq->arena, sizeof *e);
    memset(e, 0, sizeof *e);
    json_array_foreach(list, i, item)
    {
        const char *field = json_string_value(json_object_get(item, "field"));
        const char *code = json_string_value(json_object_get(item, "code"));
        if (field != NULL && code != NULL) /* the strings live as long as a->doc */
            errors_add(e, field, code, json_string_value(json_object_get(item, "message")));
    }
    return e;
}
