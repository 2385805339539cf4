/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared pieces of the public pages (page_parts.h). Every value is escaped for where it
 * lands (web/escape.h); figures come from web/format.h. */
#include "handlers/page_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/award.h"
#include "domain/vocab.h"
#include "handlers/page_common.h"
#include "web/country_names.h"
#include "web/escape.h"
#include "web/format.h"

void
page_date(struct strbuf *sb, const struct web_ctx *w, const char *iso)
{
    struct strbuf d = {0};

    if (iso == NULL || !web_format_date(&d, w->lang, iso)) {
        html_text(sb, iso);
        return;
    }
    strbuf_puts(sb, "<time datetime=\"");
    html_attr(sb, iso);
    strbuf_puts(sb, "\">");
    strbuf_append(sb, d.data, d.len);
    strbuf_puts(sb, "</time>");
    strbuf_free(&d);
}

void
page_fact_date(struct strbuf *sb, const struct web_ctx *w, const char *label_key, const char *iso)
{
    page_fact_begin(sb, w, label_key);
    page_date(sb, w, iso);
    page_fact_end(sb);
}

void
page_paragraphs(struct strbuf *sb, const char *text)
{
    const char *p = text != NULL ? text : "";

    while (*p != '\0') {
        const char *end = strstr(p, "\n\n");
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        strbuf_puts(sb, "<p>");
        for (size_t i = 0, run = 0; i <= n; i++) {
            if (i < n && p[i] != '\n')
                continue;
            struct strbuf line = {0};
            strbuf_append(&line, p + run, i - run);
            html_text(sb, line.data != NULL ? line.data : "");
            strbuf_free(&line);
            if (i < n)
                strbuf_puts(sb, "<br>");
            run = i + 1;
        }
        /* nothing between the paragraphs: a box that keeps white space (pre-wrap, the
         * mandate's) would show a line break there as a blank line */
        strbuf_puts(sb, "</p>");
        p += n;
        while (*p == '\n')
            p++;
    }
}

static void
categories(struct strbuf *sb, const struct web_ctx *w, const json_t *codes)
{
    size_t i;
    json_t *c;

    strbuf_puts(sb, "<ul class=\"tags\">");
    /* in the vocabulary's order, as everywhere (docs/api.md §8.6) */
    for (int k = 0; k < DATA_CATEGORY_COUNT; k++) {
        json_array_foreach(codes, i, c) {
            if (json_is_string(c) && strcmp(json_string_value(c), data_categories[k]) == 0) {
                char key[48];
                snprintf(key, sizeof key, "cat.%s", data_categories[k]);
                strbuf_puts(sb, "<li>");
                web_te(sb, w->cat, w->lang, WEB_TEXT, key);
                strbuf_puts(sb, "</li>");
            }
        }
    }
    strbuf_puts(sb, "</ul>");
}

void
page_incident_facts(struct strbuf *sb, const struct web_ctx *w, const json_t *inc)
{
    strbuf_puts(sb, "<dl class=\"facts\">\n");
    page_fact_date(sb, w, "incident.disclosed", pj_str(inc, "disclosed_on"));
    page_fact_int(sb, w, "incident.affected", pj_int(inc, "affected_count"));
    page_fact_int(sb, w, "page.incident.claims", pj_int(inc, "claims"));
    page_fact_begin(sb, w, "incident.categories");
    categories(sb, w, json_object_get(inc, "data_categories"));
    page_fact_end(sb);
    if (pj_str(inc, "authority_reference") != NULL)
        page_fact_text(sb, w, "incident.authority", pj_str(inc, "authority_reference"));
    strbuf_puts(sb, "</dl>\n");
}

void
page_open_actions(struct strbuf *sb, const struct web_ctx *w, const json_t *actions,
                  const char *heading_id)
{
    size_t i;
    json_t *x;

    if (json_array_size(actions) == 0) {
        strbuf_puts(sb, "<p class=\"note\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.actions.none");
        strbuf_puts(sb, "</p>\n");
        return;
    }
    strbuf_printf(sb, "<ul class=\"action-list\" aria-labelledby=\"%s\">\n", heading_id);
    json_array_foreach(actions, i, x) {
        struct strbuf date = {0};
        web_format_date(&date, w->lang, pj_str(x, "opt_in_deadline"));
        strbuf_puts(sb, "<li><a href=\"/a/");
        url_component(sb, pj_str(x, "id"));
        strbuf_puts(sb, "\">");
        html_text(sb, pj_str(x, "title"));
        strbuf_puts(sb, "</a> <span class=\"by\">");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.actions.by",
               (const char *[]){"association", pj_str(x, "association"), "approval",
                                pj_str(x, "approval_reference"), NULL});
        strbuf_puts(sb, "</span> <span class=\"deadline\">");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.actions.deadline",
               (const char *[]){"date", date.data != NULL ? date.data : "", NULL});
        strbuf_puts(sb, "</span></li>\n");
        strbuf_free(&date);
    }
    strbuf_puts(sb, "</ul>\n");
}

/* An amount of the scheme's currency as text (empty on an unknown currency). */
static char *
money(const struct web_ctx *w, int64_t minor, const char *currency)
{
    struct strbuf m = {0};

    if (!web_format_money(&m, w->lang, minor, currency))
        strbuf_puts(&m, "");
    return strbuf_take(&m);
}

/* <p>the catalogue string of key with {name} = an amount</p> */
static void
amount_sentence(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *name,
                int64_t minor, const char *currency)
{
    char *m = money(w, minor, currency);

    strbuf_puts(sb, "<p>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, key, (const char *[]){name, m, NULL});
    strbuf_puts(sb, "</p>\n");
    free(m);
}

void
page_withdrawn_days(struct strbuf *sb, const struct web_ctx *w, const char *key)
{
    char days[16], one[64];

    snprintf(days, sizeof days, "%d", w->cfg->withdrawn_retention_days);
    web_tf(sb, w->cat, w->lang, WEB_TEXT,
           web_key_counted(w->cat, w->lang, key, days, one, sizeof one),
           (const char *[]){"days", days, NULL});
}

void
page_vouchers_text(struct strbuf *sb, const struct web_ctx *w, const struct scheme_voucher *list,
                   size_t n, int64_t total, const char *currency)
{
    struct strbuf items = {0};
    char count_key[16];

    for (size_t i = 0; i < n; i++) {
        char *m = money(w, list[i].amount, currency);
        if (i > 0)
            strbuf_puts(&items, web_t(w->cat, w->lang, "common.list_sep"));
        web_expand(&items, web_t(w->cat, w->lang, "page.scheme.voucher_item"),
                   (const char *[]){"name", list[i].name, "amount", m, NULL});
        free(m);
    }
    char *sum = money(w, total, currency);
    snprintf(count_key, sizeof count_key, "num.%zu", n);
    web_tf(sb, w->cat, w->lang, WEB_TEXT,
           n == 1 ? "page.scheme.vouchers_one" : "page.scheme.vouchers",
           (const char *[]){"amount", sum, "count", web_t(w->cat, w->lang, count_key), "list",
                            items.data != NULL ? items.data : "", NULL});
    free(sum);
    strbuf_free(&items);
}

category_set
page_categories_of(const json_t *codes)
{
    category_set set = 0;
    size_t i;
    json_t *c;

    json_array_foreach(codes, i, c)
    {
        int k = json_is_string(c) ? data_category_index(json_string_value(c)) : -1;
        if (k >= 0)
            set |= 1u << k;
    }
    return set;
}

void
page_scheme(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
            category_set exposed, json_int_t version, bool takes_claims,
            const struct page_fund *fund)
{
    if (scheme == NULL) {
        /* a closed incident's page said "you can already register your claim" above "this
         * incident no longer accepts claims" */
        strbuf_puts(sb, "<p>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.none");
        if (takes_claims) {
            strbuf_puts(sb, " ");
            web_te(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.none_claim");
        }
        strbuf_puts(sb, "</p>\n");
        return;
    }
    const char *cur = scheme->currency;
    int64_t base = scheme->base_amount;
    if (scheme->n_vouchers > 0) {
        strbuf_puts(sb, "<p class=\"award\">");
        page_vouchers_text(sb, w, scheme->vouchers, scheme->n_vouchers, base, cur);
        strbuf_puts(sb, "</p>\n");
        int64_t cash;
        if (scheme->has_cash_ratio && award_base(scheme, true, &cash))
            amount_sentence(sb, w, "page.scheme.cash", "amount", cash, cur);
    } else {
        strbuf_puts(sb, "<p class=\"award\">");
        char *m = money(w, base, cur);
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.base",
               (const char *[]){"amount", m, NULL});
        free(m);
        strbuf_puts(sb, "</p>\n");
    }
    bool any = false;
    for (int k = 0; k < DATA_CATEGORY_COUNT; k++) {
        int64_t amount = scheme->has_supplement[k] ? scheme->supplement[k] : 0;
        /* a category the incident did not expose pays nothing, since no claimant can declare
         * it (docs/api.md §11.1): "Health data: + €100.00" there promised what no one gets */
        if (amount <= 0 || (exposed & (1u << k)) == 0)
            continue;
        if (!any) {
            strbuf_puts(sb, "<p>");
            web_te(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.supplements");
            strbuf_puts(sb, "</p>\n<ul class=\"supplements\">");
            any = true;
        }
        char key[48], *m = money(w, amount, cur);
        snprintf(key, sizeof key, "cat.%s", data_categories[k]);
        strbuf_puts(sb, "<li>");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.supplement",
               (const char *[]){"category", web_t(w->cat, w->lang, key), "amount", m, NULL});
        strbuf_puts(sb, "</li>");
        free(m);
    }
    if (any)
        strbuf_puts(sb, "</ul>\n");
    if (scheme->reimburse && scheme->loss_cap > 0)
        amount_sentence(sb, w, "page.scheme.loss", "cap", scheme->loss_cap, cur);
    if (scheme->hourly_rate > 0 && scheme->max_hours > 0) {
        char *rate = money(w, scheme->hourly_rate, cur);
        char hours[24];
        snprintf(hours, sizeof hours, "%lld", (long long)scheme->max_hours);
        strbuf_puts(sb, "<p>");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.time",
               (const char *[]){"rate", rate, "hours", hours, NULL});
        strbuf_puts(sb, "</p>\n");
        free(rate);
    }
    if (scheme->has_fund_cap)
        amount_sentence(sb, w, "page.scheme.fund_cap", "cap", scheme->fund_cap, cur);
    page_fund_sentence(sb, w, scheme, fund);
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)version);
    strbuf_puts(sb, "<p class=\"hint-plain\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.scheme.source",
           (const char *[]){"version", v, NULL});
    strbuf_puts(sb, "</p>\n");
}

void
page_share(struct strbuf *sb, const struct web_ctx *w, const char *title, const char *path)
{
    struct strbuf url = {0};

    web_absolute_url(&url, w, path, w->lang);
    strbuf_puts(sb, "<p class=\"share\"><a href=\"mailto:?subject=");
    url_component(sb, title);
    strbuf_puts(sb, "&amp;body=");
    url_component(sb, url.data);
    strbuf_puts(sb, "\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "page.share");
    strbuf_puts(sb, "</a></p>\n");
    strbuf_free(&url);
}

void
page_original_note(struct strbuf *sb, const struct web_ctx *w, bool fallback, const char *key)
{
    if (!fallback)
        return;
    strbuf_puts(sb, "<p class=\"note\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</p>\n");
}

void
page_text_open(struct strbuf *sb, const struct web_ctx *w, bool fallback, const char *note_key,
               const char *cls)
{
    page_original_note(sb, w, fallback, note_key);
    strbuf_printf(sb, "<div class=\"%s\" lang=\"%s\">\n", cls,
                  fallback ? "fr" : web_lang_code(w->lang));
}

void
page_heading(struct strbuf *sb, const char *who, int level, const char *id, const char *title)
{
    strbuf_puts(sb, "<p class=\"controller\">");
    html_text(sb, who);
    strbuf_printf(sb, "</p>\n<h%d", level);
    if (id != NULL) {
        strbuf_puts(sb, " id=\"");
        html_attr(sb, id);
        strbuf_puts(sb, "\"");
    }
    strbuf_puts(sb, ">");
    html_text(sb, title);
    strbuf_printf(sb, "</h%d>\n", level);
}

const char *
page_country_name(const struct web_ctx *w, const char *code)
{
    for (size_t i = 0; code != NULL && i < web_n_countries; i++)
        if (strcmp(web_countries[i].code, code) == 0)
            return w->lang == WEB_LANG_FR ? web_countries[i].fr : web_countries[i].en;
    return code;
}
