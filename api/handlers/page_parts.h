/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Pieces several public pages show: an incident's facts, the list of open actions, what a
 * scheme pays in words and figures, paragraphs of a long text. */
#ifndef RECOURS_HANDLERS_PAGE_PARTS_H
#define RECOURS_HANDLERS_PAGE_PARTS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/strbuf.h"
#include "domain/scheme.h"
#include "domain/vocab.h"
#include "handlers/page_fund.h"
#include "web/layout.h"

/* <dl class="facts"> of an incident document: disclosure date, affected count, claims
 * registered, exposed categories, authority reference. */
void page_incident_facts(struct strbuf *sb, const struct web_ctx *w, const json_t *inc);

/* The open actions of an incident document ("actions"), or the sentence saying there is none. */
void page_open_actions(struct strbuf *sb, const struct web_ctx *w, const json_t *actions,
                       const char *heading_id);

/* The set of the category codes of a JSON array (an incident document's "data_categories");
 * unknown codes are left out. */
category_set page_categories_of(const json_t *codes);

/* What a claimant may receive under scheme (read by handlers/scheme_json.h, as the claim
 * form reads it; NULL when none is set): the base, the vouchers, the cash alternative, the
 * supplements of the categories the incident exposed (the set exposed), the loss and time rules
 * only when they pay, the pro-rata note under a fund cap and, when fund is not NULL
 * (page_fund_read), where the fund stands today. Without a scheme, the invitation to claim anyway
 * only when the incident takes claims (open). */
void page_scheme(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
                 category_set exposed, json_int_t version, bool takes_claims,
                 const struct page_fund *fund);

/* A scheme's n vouchers in words, as text without markup around: "50 000 KRW as four
 * vouchers: …" (total: what they add up to, the scheme's base). The sentence page_scheme
 * writes, which the claim form's voucher option says too. */
void page_vouchers_text(struct strbuf *sb, const struct web_ctx *w,
                        const struct scheme_voucher *list, size_t n, int64_t total,
                        const char *currency);

/* The catalogue's key (text, escaped) with its {days}: how long a withdrawn claim's personal
 * data is kept (--withdrawn-retention-days), in its "_one" form for one day (web_key_counted):
 * /my-claim's withdrawal and a withdrawn claim's evidence say when the data goes. */
void page_withdrawn_days(struct strbuf *sb, const struct web_ctx *w, const char *key);

/* When fallback, the note (the catalogue's key) saying that the text below is its French
 * original, the page's language having none. */
void page_original_note(struct strbuf *sb, const struct web_ctx *w, bool fallback,
                        const char *key);

/* Opens <div class="cls" lang="…"> for a text in the page's language or, when fallback, in its
 * French original, after page_original_note (note_key). The caller writes the text and
 * closes the div. */
void page_text_open(struct strbuf *sb, const struct web_ctx *w, bool fallback,
                    const char *note_key, const char *cls);

/* The top of an incident's or an action's page, or of a box about one: who (the controller,
 * the association) above the title as a heading of level (1: the page's <h1>) with id when
 * not NULL, both text. */
void page_heading(struct strbuf *sb, const char *who, int level, const char *id,
                  const char *title);

/* text as paragraphs: a blank line separates <p>s, a single line break is a <br>. */
void page_paragraphs(struct strbuf *sb, const char *text);

/* A date (YYYY-MM-DD or RFC 3339) in a <time datetime>, formatted for the page. */
void page_date(struct strbuf *sb, const struct web_ctx *w, const char *iso);

/* A whole fact (page_common.h page_fact_begin) whose value is the date iso (page_date). */
void page_fact_date(struct strbuf *sb, const struct web_ctx *w, const char *label_key,
                    const char *iso);

/* The name of the country code in the page's language (the address select's names); the code
 * itself when it is not one of them. */
const char *page_country_name(const struct web_ctx *w, const char *code);

/* "Share by email": a mailto: link whose subject is title and body the page's address. */
void page_share(struct strbuf *sb, const struct web_ctx *w, const char *title, const char *path);

#endif
