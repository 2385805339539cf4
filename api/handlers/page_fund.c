/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a fund cap stands today (page_fund.h): the public summary's figures in words. */
#include "handlers/page_fund.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "handlers/compensation.h"
#include "web/format.h"

/* A money figure of the summary (a JSON integer, or the decimal string of one beyond 2^53,
 * docs/api.md §8.1) into *out; false for anything else or a negative one. */
static bool
figure(const json_t *v, money_wide *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return *out >= 0;
    }
    const char *s = json_string_value(v);
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 36) /* 10^36 < 2^127: no overflow below */
        return false;
    money_wide x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *out = x;
    return true;
}

const struct page_fund *
page_fund_read(struct request *rq, const char *slug, const struct scheme *scheme, int64_t version,
               struct page_fund *out)
{
    if (scheme == NULL || !scheme->has_fund_cap || slug == NULL)
        return NULL;
    json_t *doc = incident_public_summary(rq, slug);
    const json_t *eligible = json_object_get(doc, "eligible");
    bool ok = json_is_integer(eligible) && json_integer_value(eligible) > 0 &&
              json_integer_value(json_object_get(doc, "scheme_version")) == version &&
              figure(json_object_get(doc, "total_before_cap"), &out->before) &&
              figure(json_object_get(doc, "total_after_cap"), &out->after) &&
              figure(json_object_get(doc, "fund_cap"), &out->cap);
    if (ok)
        out->eligible = (int64_t)json_integer_value(eligible);
    json_decref(doc);
    /* the cap is at most MONEY_AMOUNT_MAX (docs/api.md §11.1), so that every product below
     * stays far inside 128 bits; a summary saying otherwise is not shown */
    if (!ok || out->before <= 0 || out->cap <= 0 || out->cap > MONEY_AMOUNT_MAX ||
        out->after > out->before || out->after > out->cap)
        return NULL;
    return out;
}

/* part ÷ whole as a percentage rounded down to a hundredth, in the page's language: "75 %",
 * "7,58 %", "0,13 %" ("75%", "7.58%", "0.13%"), "less than 0.01%" below that; whole > 0,
 * part ≤ whole ≤ MONEY_AMOUNT_MAX. */
static void
percent(struct strbuf *sb, const struct web_ctx *w, money_wide part, money_wide whole)
{
    int h = (int)(part * 10000 / whole); /* hundredths of a percent, 0..10000 */
    bool fr = w->lang == WEB_LANG_FR;
    char text[32];

    if (h == 0) {
        strbuf_puts(sb, web_t(w->cat, w->lang, "page.scheme.fund_percent_tiny"));
        return;
    }
    int whole_pc = h / 100, frac = h % 100;
    if (whole_pc >= 10 || frac == 0)
        snprintf(text, sizeof text, "%d", whole_pc);
    else if (frac % 10 == 0)
        snprintf(text, sizeof text, "%d%s%d", whole_pc, fr ? "," : ".", frac / 10);
    else
        snprintf(text, sizeof text, "%d%s%02d", whole_pc, fr ? "," : ".", frac);
    strbuf_puts(sb, text);
    strbuf_puts(sb, fr ? WEB_GROUP_FR "%" : "%"); /* French: a narrow no-break space */
}

void
page_fund_sentence(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
                   const struct page_fund *f)
{
    struct strbuf count = {0}, pc = {0}, base = {0}, share = {0};
    char digits[24], one[64];

    if (f == NULL)
        return;
    bool over = f->after < f->before;
    web_format_int(&count, w->lang, f->eligible);
    snprintf(digits, sizeof digits, "%lld", (long long)f->eligible);
    if (over) {
        percent(&pc, w, f->after, f->before);
        /* the base scaled as the cap scales every award, rounded down (an award may get one
         * minor unit more: docs/api.md §11.3) */
        int64_t scaled = (int64_t)(scheme->base_amount * f->after / f->before);
        web_format_money(&base, w->lang, scheme->base_amount, scheme->currency);
        web_format_money(&share, w->lang, scaled, scheme->currency);
    } else {
        percent(&pc, w, f->before, f->cap);
    }
    const char *key =
        web_key_counted(w->cat, w->lang, over ? "page.scheme.fund_over" : "page.scheme.fund_within",
                        digits, one, sizeof one);
    strbuf_puts(sb, "<p class=\"fund-state\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, key,
           (const char *[]){"count", count.data, "percent", pc.data, "base",
                            base.data != NULL ? base.data : "", "share",
                            share.data != NULL ? share.data : "", NULL});
    strbuf_puts(sb, "</p>\n");
    strbuf_free(&count);
    strbuf_free(&pc);
    strbuf_free(&base);
    strbuf_free(&share);
}
