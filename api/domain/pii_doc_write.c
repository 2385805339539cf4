/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The personal document written without a JSON library (see pii_doc.h): every claim writes
 * one before it is sealed, and building a JSON tree of ten strings, dumping it and freeing it
 * was 6 % of the request threads' CPU in the intake (bench/RESULTS.md, "Intake: the server's
 * CPU per claim"). The text goes straight into the request's arena, wiped when the request
 * ends, sized exactly first: no buffer grows, so no copy of the personal data is left behind
 * in freed memory. test_pii_doc checks that the JSON library reads every document written
 * here as the object the claim view builds (handlers/claim_json.c). */
#include "domain/pii_doc.h"

#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "core/urlencoded.h"

/* A member's value: its JSON string literal, or null. */
static size_t
value_len(const char *s)
{
    return s != NULL ? json_literal_len(s) : 4;
}

static char *
put_value(char *out, const char *s)
{
    if (s != NULL)
        return json_literal_put(out, s);
    memcpy(out, "null", 4);
    return out + 4;
}

/* A member of the document: its key with what comes before it, and its value. */
struct member {
    const char *prefix; /* '{' or ',', the quoted key, ':' (and the opening of address) */
    const char *value;
};

char *
pii_doc_write(struct arena *a, const struct claimant *c, const char *description)
{
    const struct postal_address *ad = &c->address;
    const struct member members[] = {
        {"{\"claimant\":{\"given_name\":", c->given_name},
        {",\"family_name\":", c->family_name},
        {",\"email\":", c->email},
        {",\"phone\":", c->phone},
        {",\"birth_date\":", c->birth_date},
        {",\"address\":{\"line1\":", ad->line1},
        {",\"line2\":", ad->line2},
        {",\"postal_code\":", ad->postal_code},
        {",\"city\":", ad->city},
        {",\"country\":", ad->country},
        {"}},\"description\":", description},
    };
    const size_t n = sizeof members / sizeof members[0];
    size_t len = 1; /* the closing brace */

    /* the members the view requires (claimant_json's "s", not "s?"), and text the JSON
     * library would refuse, give no document, as its writer gave none */
    if (c->given_name == NULL || c->family_name == NULL || c->email == NULL || ad->line1 == NULL ||
        ad->city == NULL || description == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (members[i].value != NULL &&
            !utf8_is_valid(members[i].value, strlen(members[i].value)))
            return NULL;
        len += strlen(members[i].prefix) + value_len(members[i].value);
    }
    char *doc = arena_alloc(a, len + 1);
    char *out = doc;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(members[i].prefix);
        memcpy(out, members[i].prefix, k);
        out = put_value(out + k, members[i].value);
    }
    *out++ = '}';
    *out = '\0';
    return doc;
}
