/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The catalogue of problem types: name → status, title (docs/api.md §5.3). */
#include "http/problem.h"

#include <string.h>

#include "core/log.h"
#include "http/json_build.h"

struct problem_kind {
    const char *name;
    int status;
    const char *title;
};

static const struct problem_kind kinds[] = {
    {"malformed-json", 400, "Malformed JSON"},
    {"malformed-request", 400, "Malformed request"},
    {"invalid-parameter", 400, "Invalid parameter"},
    {"invalid-cursor", 400, "Invalid cursor"},
    {"unauthorized", 401, "Unauthorized"},
    {"not-found", 404, "Not found"},
    {"method-not-allowed", 405, "Method not allowed"},
    {"duplicate-claim", 409, "Duplicate claim"},
    {"incident-closed", 409, "Incident closed"},
    {"claim-withdrawn", 409, "Claim withdrawn"},
    {"already-in-action", 409, "Already in an action"},
    {"action-not-open", 409, "Action not open"},
    {"approval-lapsed", 409, "Approval lapsed"},
    {"invalid-transition", 409, "Invalid transition"},
    {"already-exists", 409, "Already exists"},
    {"claim-reviewed", 409, "Claim reviewed"},
    {"evidence-not-applicable", 409, "Evidence not applicable"},
    {"evidence-limit-reached", 409, "Evidence limit reached"},
    {"count-changed", 409, "Count changed"},
    {"no-recipients", 409, "No recipients"},
    {"idempotency-key-in-use", 409, "Idempotency key in use"},
    {"payload-too-large", 413, "Payload too large"},
    {"uri-too-long", 414, "URI too long"},
    {"unsupported-media-type", 415, "Unsupported media type"},
    {"validation-error", 422, "Validation error"},
    {"idempotency-key-reuse", 422, "Idempotency key reuse"},
    {"rate-limited", 429, "Too many requests"},
    {"headers-too-large", 431, "Request header fields too large"},
    {"internal-error", 500, "Internal error"},
    {"service-unavailable", 503, "Service unavailable"},
};

static const struct problem_kind *
lookup(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

int
problem_status(const char *name)
{
    const struct problem_kind *k = lookup(name);

    return k != NULL ? k->status : 500;
}

/* The problem document of name with errors[] when errors is not NULL. */
static struct reply
problem_build(const char *name, const char *detail, const struct errors *errors)
{
    const struct problem_kind *k = lookup(name);
    struct json_build b = {0};

    if (k == NULL) {
        log_bug("unknown problem name %s", name);
        k = lookup("internal-error");
        detail = "the server could not complete the request";
        errors = NULL;
    }
    char type[128];
    strcpy(type, PROBLEM_BASE);
    strncat(type, k->name, sizeof type - strlen(type) - 1);
    json_t *doc = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", k->title, "status",
                            k->status, "detail", detail);
    if (errors != NULL) {
        json_t *list = json_array();
        for (int i = 0; i < errors->n; i++)
            jb_append(&b, list, json_pack("{s:s, s:s, s:s}", "field", errors->items[i].field,
                                          "code", errors->items[i].code, "message",
                                          errors->items[i].message));
        jb_set(&b, doc, "errors", jb_result(&b, list));
    }
    struct reply r = reply_json_take(k->status, jb_result(&b, doc));
    if (r.status == k->status)
        r.content_type = "application/problem+json";
    return r;
}

struct reply
problem_reply(const char *name, const char *detail)
{
    return problem_build(name, detail, NULL);
}

struct reply
problem_reply_errors(const char *name, const char *detail, const struct errors *errors)
{
    return problem_build(name, detail, errors);
}
