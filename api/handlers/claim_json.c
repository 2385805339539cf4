/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim JSON (see claim_json.h). The sealed form is written without the JSON library
 * (domain/pii_doc_write.c, for speed); test_pii_doc checks that the library reads it as the
 * view's claimant object below, so that the two cannot drift apart unseen. */
#include "handlers/claim_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/pii_doc.h"
#include "service/claims.h"
#include "domain/vocab.h"
#include "http/json_build.h"

json_t *
claimant_json(const struct claimant *c)
{
    const struct postal_address *a = &c->address;

    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:{s:s, s:s?, s:s?, s:s, s:s}}", "given_name",
                     c->given_name, "family_name", c->family_name, "email", c->email, "phone",
                     c->phone, "birth_date", c->birth_date, "address", "line1", a->line1, "line2",
                     a->line2, "postal_code", a->postal_code, "city", a->city, "country",
                     a->country);
}

json_t *
categories_json_array(unsigned int set)
{
    struct json_build b = {0};
    json_t *arr = json_array();

    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (set & (1u << i))
            jb_append(&b, arr, json_string(data_categories[i]));
    return jb_result(&b, arr);
}

char *
claim_pii_json(struct arena *a, const struct claimant *c, const char *description)
{
    return pii_doc_write(a, c, description != NULL ? description : "");
}

static const char *
take(struct arena *a, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

static void
release_json(void *p)
{
    json_decref(p);
}

bool
claim_pii_parse(struct arena *a, const char *json, struct claimant *c, const char **description)
{
    json_t *doc = json_loads(json, JSON_REJECT_DUPLICATES, NULL);

    if (doc == NULL)
        return false;
    arena_defer(a, release_json, doc);
    json_t *cl = json_object_get(doc, "claimant");
    json_t *ad = json_object_get(cl, "address");
    if (!json_is_object(cl) || !json_is_object(ad))
        return false;
    memset(c, 0, sizeof *c);
    c->given_name = take(a, cl, "given_name");
    c->family_name = take(a, cl, "family_name");
    c->email = take(a, cl, "email");
    c->phone = take(a, cl, "phone");
    c->birth_date = take(a, cl, "birth_date");
    c->address.line1 = take(a, ad, "line1");
    c->address.line2 = take(a, ad, "line2");
    c->address.postal_code = take(a, ad, "postal_code");
    c->address.city = take(a, ad, "city");
    const char *country = take(a, ad, "country");
    if (country != NULL && strlen(country) == 2)
        memcpy(c->address.country, country, 3);
    *description = take(a, doc, "description");
    return c->given_name != NULL && c->family_name != NULL && c->email != NULL &&
           *description != NULL;
}

json_t *
claim_eligibility_json(const struct claim_record *rec)
{
    json_t *matched = json_array();
    const char *p = rec->eligibility_matched;

    while (matched != NULL && p != NULL && *p != '\0') {
        size_t n = strcspn(p, ",");
        if (json_array_append_new(matched, json_stringn(p, n)) != 0) {
            json_decref(matched);
            return NULL;
        }
        p += n + (p[n] == ',');
    }
    return matched != NULL ? json_pack("{s:s, s:o}", "state", rec->eligibility_state, "matched",
                                       matched)
                           : NULL;
}
