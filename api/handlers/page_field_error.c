/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A field error's message in the page's language (page_field_error.h). */
#include "handlers/page_field_error.h"

#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "domain/claim.h"
#include "domain/currency.h"
#include "domain/postal_codes.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"

static bool
has_key(const struct web_ctx *w, const char *key)
{
    return strcmp(web_t(w->cat, w->lang, key), key) != 0;
}

/* A field's name as a message shows it: at most FIELD_SHOWN code points, then "…" (a
 * forged name can be long). The name is whole UTF-8: the readers refuse anything else and
 * errors_add cuts on a character's boundary; u8_mblen's -1 (never seen) would end it there. */
#define FIELD_SHOWN 40

static const char *
field_shown(const char *field, char *buf, size_t size)
{
    const uint8_t *s = (const uint8_t *)field;
    size_t n = strlen(field), end = 0;

    for (int points = 0; end < n && points < FIELD_SHOWN; points++) {
        int len = u8_mblen(s + end, n - end);
        if (len <= 0)
            break;
        end += (size_t)len;
    }
    snprintf(buf, size, "%.*s%s", (int)end, field, end < n ? "…" : "");
    return buf;
}

/* An amount as a person types it in currency, in the page's language: 120.5 with the
 * currency's decimals ("120,50", "120.50"), or 50000 for a currency without any (the
 * script's exampleAmount, web/static/common.js). */
static const char *
example_amount(const struct web_ctx *w, const char *currency, char *buf, size_t size)
{
    int d = currency != NULL ? currency_exponent(currency) : -1;

    if (d < 0)
        d = 2;
    if (d == 0)
        snprintf(buf, size, "50000");
    else
        snprintf(buf, size, "120%s5%.*s", w->lang == WEB_LANG_FR ? "," : ".", d - 1, "000");
    return buf;
}

void
page_field_error_message(struct strbuf *sb, const struct web_ctx *w, const struct field_error *e,
                         const char *currency, const char *country, const char *item)
{
    char key[160], shown[4 * FIELD_SHOWN + 8], item_shown[4 * FIELD_SHOWN + 8], example[16],
        digits[8];
    size_t n = strcspn(e->field, "[");
    /* {max}: the largest loss, in the incident's currency ("100 000 000,00 EUR"), as the
     * script says it; a plain number where the currency is unknown */
    struct strbuf max = {0};
    if (currency == NULL || !web_format_money(&max, w->lang, CLAIM_LOSS_MAX, currency))
        web_format_int(&max, w->lang, CLAIM_LOSS_MAX);
    /* {example}: the amount's message ("enter an amount like 120,50"), which said "{example}"
     * without the script */
    /* {digits}, {postcode}: the form of the country's postal codes, which the postal
     * code's invalid-format says ("5 digits, like 75001"); none, its general message */
    const struct postal_code_form *postal = postal_code_form_of(country);
    snprintf(digits, sizeof digits, "%d", postal != NULL ? postal->digits : 0);
    const char *amount = example_amount(w, currency, example, sizeof example);
    const char *const params[] = {
        "field",    field_shown(e->field, shown, sizeof shown),
        "example",  amount,
        "max",      max.data,
        "currency", currency != NULL ? currency : "",
        "digits",   digits,
        "postcode", postal != NULL ? postal->example : "",
        "item",     field_shown(item != NULL ? item : "", item_shown, sizeof item_shown),
        NULL};

    snprintf(key, sizeof key, "err.%.*s.%s", (int)n, e->field, e->code);
    if (strcmp(key, "err.claimant.address.postal_code.invalid-format") == 0 && postal == NULL)
        key[0] = '\0';
    if (!has_key(w, key))
        snprintf(key, sizeof key, "err.code.%s", e->code);
    if (has_key(w, key))
        web_tf_isolated(sb, w->cat, w->lang, key, params); /* a forged name in its own <bdi> */
    else
        html_text(sb, e->message != NULL ? e->message : e->code);
    strbuf_free(&max);
}
