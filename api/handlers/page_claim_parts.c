/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The parts of the claim page that other pages show too: what a claimant may receive, in words
 * and figures, and the mandate text of an action (page_claim_form.h). */
#include "handlers/page_claim_form.h"

#include <stdio.h>
#include <string.h>

#include "domain/vocab.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"

static void
money(struct strbuf *sb, const struct web_ctx *w, int64_t minor, const char *currency)
{
    if (!web_format_money(sb, w->lang, minor, currency))
        strbuf_printf(sb, "%lld", (long long)minor);
}

/* "{key}" of the catalogue with one money parameter (and an optional second one). */
static void
money_line(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *name,
           int64_t minor, const char *name2, const char *value2, const char *currency)
{
    struct strbuf amount = {0};

    money(&amount, w, minor, currency);
    strbuf_puts(sb, "<li>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, key,
           (const char *[]){name, amount.data != NULL ? amount.data : "", name2, value2, NULL});
    strbuf_puts(sb, "</li>\n");
    strbuf_free(&amount);
}

void
page_claim_compensation(struct strbuf *sb, const struct web_ctx *w, const struct scheme *s,
                        const char *currency)
{
    char key[64], n[24];

    strbuf_puts(sb, "<section class=\"compensation\" aria-labelledby=\"comp-h2\">\n"
                    "<h2 id=\"comp-h2\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.comp_h2");
    strbuf_puts(sb, "</h2>\n");
    if (s == NULL) {
        strbuf_puts(sb, "<p>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.comp_none");
        strbuf_puts(sb, "</p>\n</section>\n");
        return;
    }
    strbuf_puts(sb, "<ul class=\"comp-list\">\n");
    snprintf(n, sizeof n, "%zu", s->n_vouchers);
    money_line(sb, w, s->n_vouchers > 0 ? "claimform.comp_base_vouchers" : "claimform.comp_base",
               "amount", s->base_amount, "n", n, currency);
    for (size_t i = 0; i < s->n_vouchers; i++)
        money_line(sb, w, "claimform.comp_voucher", "amount", s->vouchers[i].amount, "name",
                   s->vouchers[i].name, currency);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if (!s->has_supplement[i] || s->supplement[i] == 0)
            continue;
        snprintf(key, sizeof key, "cat.%s", data_categories[i]);
        money_line(sb, w, "claimform.comp_supplement", "amount", s->supplement[i], "category",
                   web_t(w->cat, w->lang, key), currency);
    }
    if (s->reimburse)
        money_line(sb, w, "claimform.comp_loss", "cap", s->loss_cap, NULL, NULL, currency);
    if (s->hourly_rate > 0 && s->max_hours > 0) {
        snprintf(n, sizeof n, "%lld", (long long)s->max_hours);
        money_line(sb, w, "claimform.comp_time", "rate", s->hourly_rate, "hours", n, currency);
    }
    if (s->has_fund_cap)
        money_line(sb, w, "claimform.comp_cap", "cap", s->fund_cap, NULL, NULL, currency);
    strbuf_puts(sb, "</ul>\n</section>\n");
}

void
page_claim_mandate_text(struct strbuf *sb, const struct web_ctx *w, const struct action *x)
{
    const char *text = x->mandate_text;
    bool original = false;

    (void)original;
    strbuf_puts(sb, "<div id=\"mandate-text\" class=\"mandate-text\" tabindex=\"0\" "
                    "role=\"region\" aria-labelledby=\"mandate-text-label\">");
    /* paragraphs: the text's own line breaks, each line escaped */
    const char *p = text != NULL ? text : "";
    while (*p != '\0') {
        size_t len = strcspn(p, "\n");
        struct strbuf line = {0};
        strbuf_append(&line, p, len);
        if (len > 0) {
            strbuf_puts(sb, "<p>");
            html_text(sb, line.data);
            strbuf_puts(sb, "</p>");
        }
        strbuf_free(&line);
        p += len;
        if (*p == '\n')
            p++;
    }
    strbuf_puts(sb, "</div>\n");
    (void)w;
}


/* GOV.UK's error summary: every error as a link to its control, focused by the script and
 * announced (role="alert") without it. */
void
page_claim_error_summary(struct strbuf *sb, const struct web_ctx *w, const struct errors *errors)
{
    char key[160];

    if (errors == NULL || errors->n == 0) {
        strbuf_puts(sb, "<div id=\"error-summary\" class=\"error-summary\" tabindex=\"-1\" "
                        "hidden></div>\n");
        return;
    }
    strbuf_puts(sb, "<div id=\"error-summary\" class=\"error-summary\" tabindex=\"-1\" "
                    "role=\"alert\" aria-labelledby=\"error-summary-title\">\n"
                    "<h2 id=\"error-summary-title\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.title");
    strbuf_puts(sb, "</h2>\n<p>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.intro");
    strbuf_puts(sb, "</p>\n<ul>\n");
    for (int i = 0; i < errors->n; i++) {
        const struct field_error *e = &errors->items[i];
        const char *id = "main", *label_key = NULL;
        bool known = page_claim_field_anchor(e->field, &id, &label_key);
        strbuf_puts(sb, "<li><a href=\"#");
        html_attr(sb, id);
        strbuf_puts(sb, "\">");
        if (known) {
            web_te(sb, w->cat, w->lang, WEB_TEXT, label_key);
            web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
        }
        html_text(sb, page_claim_error_message(w, e, key, sizeof key));
        strbuf_puts(sb, "</a></li>\n");
    }
    strbuf_puts(sb, "</ul>\n</div>\n");
}

void
page_claim_notice(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    if (st->notice_key == NULL)
        return;
    strbuf_puts(sb, "<div id=\"form-notice\" class=\"status status-error\" role=\"alert\"><p>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, st->notice_key,
           (const char *[]){"seconds", st->notice_param != NULL ? st->notice_param : "", NULL});
    strbuf_puts(sb, "</p>");
    if (st->notice_link != NULL) {
        strbuf_puts(sb, "<p><a href=\"");
        html_attr(sb, st->notice_link);
        strbuf_puts(sb, "\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, st->notice_link_key);
        strbuf_puts(sb, "</a></p>");
    }
    strbuf_puts(sb, "</div>\n");
}

void
page_claim_incident_box(struct strbuf *sb, const struct web_ctx *w, const struct incident *inc,
                        const struct scheme *scheme)
{
    strbuf_puts(sb, "<section id=\"incident-box\" class=\"incident-summary\" "
                    "aria-labelledby=\"incident-title\">\n<p class=\"controller\">");
    html_text(sb, inc->controller);
    strbuf_puts(sb, "</p>\n<h2 id=\"incident-title\">");
    html_text(sb, inc->title);
    strbuf_puts(sb, "</h2>\n<p><a href=\"/i/");
    url_component(sb, inc->slug);
    strbuf_puts(sb, "\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.incident_link");
    strbuf_puts(sb, "</a></p>\n</section>\n");
    page_claim_compensation(sb, w, scheme, inc->currency);
}

