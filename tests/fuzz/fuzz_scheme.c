/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: the compensation scheme (docs/api.md §11.1), read as PUT and simulate read it:
 * json_loadb with duplicate keys refused, then scheme_check (scheme_from_json's types and
 * shapes, scheme_validate's values). Invariants: the error list stays within bounds; a scheme
 * accepted has no value error left (scheme_validate agrees) and is exactly what was sent:
 * its canonical JSON (scheme_to_json) equals the body member by member (the ratio compared as
 * a number: "0.7500" is "0.75"), and reading that canonical JSON again gives the same
 * scheme (the stored copy round-trips). */
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "core/errors.h"
#include "domain/money.h"
#include "domain/scheme.h"
#include "handlers/scheme_json.h"

#include "fuzz_input.h"

static void
check_errors(const struct errors *e)
{
    FUZZ_CHECK(e->n >= 0 && e->n <= ERRORS_MAX);
    for (int i = 0; i < e->n; i++) {
        FUZZ_CHECK(memchr(e->items[i].field, '\0', ERRORS_FIELD_MAX) != NULL);
        FUZZ_CHECK(e->items[i].code != NULL && e->items[i].code[0] != '\0');
    }
}

static void
check_same_ratio(json_t *sent, json_t *canonical)
{
    int32_t a = 0;
    int32_t b = 0;

    FUZZ_CHECK(json_is_null(sent) == json_is_null(canonical));
    if (json_is_null(sent))
        return;
    FUZZ_CHECK(json_is_string(sent) && json_is_string(canonical));
    FUZZ_CHECK(ratio_parse_4dp(json_string_value(sent), &a));
    FUZZ_CHECK(ratio_parse_4dp(json_string_value(canonical), &b));
    FUZZ_CHECK(a == b);
}

static char *
dump(json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);

    FUZZ_CHECK(text != NULL);
    return text;
}

/* An accepted body obj and the scheme s read from it. */
static void
check_accepted(json_t *obj, const struct scheme *s, const char *currency)
{
    struct errors again = {0};
    struct scheme s2;
    const char *key;
    json_t *v;

    FUZZ_CHECK(scheme_validate(s, currency, &again));
    json_t *canonical = scheme_to_json(s);
    FUZZ_CHECK(canonical != NULL);
    FUZZ_CHECK(json_object_size(canonical) == json_object_size(obj));
    json_object_foreach(canonical, key, v)
    {
        json_t *sent = json_object_get(obj, key);
        FUZZ_CHECK(sent != NULL);
        if (strcmp(key, "cash_alternative_ratio") == 0)
            check_same_ratio(sent, v);
        else if (!json_equal(sent, v)) {
            fprintf(stderr, "member %s differs from what was sent\n", key);
            FUZZ_CHECK(json_equal(sent, v));
        }
    }
    scheme_check(canonical, "", currency, &s2, &again);
    FUZZ_CHECK(!errors_any(&again));
    json_t *canonical2 = scheme_to_json(&s2);
    char *a = dump(canonical);
    char *b = dump(canonical2);
    FUZZ_CHECK(strcmp(a, b) == 0);
    free(a);
    free(b);
    json_decref(canonical2);
    json_decref(canonical);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

    if (doc == NULL)
        return 0;
    if (json_is_object(doc)) {
        struct errors errors = {0};
        struct scheme s;
        /* PUT checks against the incident's currency, a bare simulation does not */
        const char *currency = size % 2 == 0 ? "EUR" : NULL;
        const char *prefix = size % 3 == 0 ? "scheme" : "";

        scheme_check(doc, prefix, currency, &s, &errors);
        check_errors(&errors);
        if (!errors_any(&errors))
            check_accepted(doc, &s, currency);
    }
    json_decref(doc);
    return 0;
}
