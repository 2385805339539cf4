/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a scheme's fund cap stands today, for the pages that state the cap as a rule (the
 * incident's page, the claim form): the claims counted so far and the share of each award
 * the cap leaves, from the public compensation summary (docs/api.md §11.5) as its per-process
 * cache serves it, so a page view costs no read of its own. */
#ifndef RECOURS_HANDLERS_PAGE_FUND_H
#define RECOURS_HANDLERS_PAGE_FUND_H

#include <stdint.h>

#include "core/strbuf.h"
#include "domain/money.h"
#include "domain/scheme.h"
#include "http/request.h"
#include "web/layout.h"

struct page_fund {
    int64_t eligible;         /* the claims counted (received or verified), > 0 */
    money_wide before, after; /* the awards' total before and after the cap */
    money_wide cap;           /* the fund cap of the summary */
};

/* The state of the fund of the incident of slug into *out, when scheme (version version, the
 * page's) has a fund cap and the summary, of that same version, counts a claim: out; else
 * NULL (no cap, no claim yet, a summary of another version or none at hand). */
const struct page_fund *page_fund_read(struct request *rq, const char *slug,
                                       const struct scheme *scheme, int64_t version,
                                       struct page_fund *out);

/* "With the N claims counted so far, … about X % of its amount (the base of … comes to about
 * …)" above the cap, "So far the N claims counted stay within the fund (X % of it)" within:
 * a <p class="fund-state">, figures rounded down. Nothing for f NULL. */
void page_fund_sentence(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
                        const struct page_fund *f);

#endif
