/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim as /my-claim's correction form shows it before any change: the API's view of the
 * claim turned into the form's values (page_my_claim_view.h), the phone as read and amounts
 * in major units as a person types them. The markup is page_my_claim_view.c's. */
#include "handlers/page_my_claim_view.h"

#include "core/arena.h"
#include "domain/currency.h"
#include "web/format.h"

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* minor units as typed in the form: "120.50" / "120,50" */
static const char *
amount_text(struct arena *a, int64_t minor, int exponent, enum web_lang lang)
{
    if (exponent <= 0)
        return arena_printf(a, "%lld", (long long)minor);
    int64_t unit = 1;
    for (int i = 0; i < exponent; i++)
        unit *= 10;
    return arena_printf(a, "%lld%c%0*lld", (long long)(minor / unit),
                        lang == WEB_LANG_FR ? ',' : '.', exponent, (long long)(minor % unit));
}

void
page_my_claim_values(const json_t *view, const struct web_ctx *w, const char *currency,
                     struct arena *a, struct form *out)
{
    static const char *const claimant_keys[] = {"given_name", "family_name", "email", "birth_date",
                                                NULL};
    static const char *const address_keys[] = {"line1", "line2",   "postal_code",
                                               "city",  "country", NULL};
    static const char *const boxes[] = {"phishing", "identity_theft", "distress", NULL};
    const json_t *who = json_object_get(view, "claimant");
    const json_t *addr = json_object_get(who, "address");
    const json_t *harms = json_object_get(view, "harms");
    const json_t *cats = json_object_get(view, "data_categories");
    struct form_pair *p = arena_alloc(a, 40 * sizeof *p);
    size_t n = 0;

    for (int i = 0; claimant_keys[i] != NULL; i++)
        if (str(who, claimant_keys[i]) != NULL)
            p[n++] = (struct form_pair){arena_printf(a, "claimant.%s", claimant_keys[i]),
                                        str(who, claimant_keys[i])};
    if (str(who, "phone") != NULL) {
        struct strbuf sb = {0};
        bool read = web_format_phone(&sb, str(who, "phone"));
        p[n++] = (struct form_pair){"claimant.phone",
                                    read ? arena_strdup(a, sb.data) : str(who, "phone")};
        strbuf_free(&sb);
    }
    for (int i = 0; address_keys[i] != NULL; i++)
        if (str(addr, address_keys[i]) != NULL)
            p[n++] = (struct form_pair){arena_printf(a, "claimant.address.%s", address_keys[i]),
                                        str(addr, address_keys[i])};
    for (size_t i = 0; i < json_array_size(cats) && n < 30; i++)
        p[n++] = (struct form_pair){"data_categories", json_string_value(json_array_get(cats, i))};
    for (int i = 0; boxes[i] != NULL; i++)
        if (json_is_true(json_object_get(harms, boxes[i])))
            p[n++] = (struct form_pair){arena_printf(a, "harms.%s", boxes[i]), "true"};
    json_int_t loss = json_integer_value(json_object_get(harms, "documented_loss"));
    if (loss > 0)
        p[n++] = (struct form_pair){"harms.documented_loss",
                                    amount_text(a, loss, currency_exponent(currency), w->lang)};
    json_int_t hours = json_integer_value(json_object_get(harms, "hours_spent"));
    if (hours > 0)
        p[n++] = (struct form_pair){"harms.hours_spent", arena_printf(a, "%lld", (long long)hours)};
    if (str(harms, "description") != NULL)
        p[n++] = (struct form_pair){"harms.description", str(harms, "description")};
    if (str(view, "payment_preference") != NULL)
        p[n++] = (struct form_pair){"payment_preference", str(view, "payment_preference")};
    out->pairs = p;
    out->n = n;
}
