/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim-by-claim awards after the cap (see award_cap.h); the same walk as summary.c's
 * apply_cap: remainder classes, largest first, served whole while the leftover lasts. */
#include "domain/award_cap.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "domain/award.h"
#include "domain/money.h"

struct class_entry {
    money_wide r;
    int64_t n;
};

static int
by_remainder_desc(const void *x, const void *y)
{
    const struct class_entry *a = x, *b = y;

    return (a->r < b->r) - (a->r > b->r);
}

/* T = Σ award × n over the groups, checked, in 128 bits. */
static bool
pool_total(const struct scheme *s, const struct claim_group *g, size_t n, int64_t *awards,
           money_wide *total_out)
{
    money_wide total = 0;

    for (size_t i = 0; i < n; i++) {
        struct award_parts p;
        if (g[i].n < 0 ||
            !award_compute(s, g[i].categories, g[i].documented_loss, g[i].hours_spent, g[i].cash,
                           &p) ||
            !money_wide_add_scaled(&total, p.total, g[i].n))
            return false;
        awards[i] = p.total;
    }
    *total_out = total;
    return true;
}

/* Serves the remainder classes of e[0..n) (sorted, largest first) with the leftover units. */
static void
find_boundary(const struct class_entry *e, size_t n, int64_t left, struct award_cap *out)
{
    out->r_star = -1;
    out->units = 0;
    out->class_size = 0;
    for (size_t i = 0; i < n;) {
        int64_t size = 0;
        size_t j = i;
        for (; j < n && e[j].r == e[i].r; j++)
            size += e[j].n; /* ≤ eligible, which fitted */
        if (size > left) {
            out->r_star = e[i].r;
            out->units = left;
            out->class_size = size;
            return;
        }
        left -= size;
        i = j;
    }
}

bool
award_cap_prepare(const struct scheme *s, const struct claim_group *g, size_t n,
                  struct award_cap *out)
{
    int64_t *awards = xcalloc(n + 1, sizeof *awards);
    struct class_entry *e = xcalloc(n + 1, sizeof *e);
    int64_t floors = 0, v;
    size_t k = 0;
    bool ok = false;

    *out = (struct award_cap){.r_star = -1};
    if (!pool_total(s, g, n, awards, &out->total))
        goto cleanup;
    out->capped = s->has_fund_cap && out->total > s->fund_cap;
    if (!out->capped) {
        ok = true;
        goto cleanup;
    }
    out->cap = s->fund_cap;
    for (size_t i = 0; i < n; i++) {
        int64_t q;
        money_wide r;
        if (g[i].n == 0)
            continue;
        if (!money_wide_muldiv(awards[i], out->cap, out->total, &q, &r) ||
            !money_mul(q, g[i].n, &v) ||
            !money_add(floors, v, &floors))
            goto cleanup;
        e[k++] = (struct class_entry){r, g[i].n};
    }
    qsort(e, k, sizeof *e, by_remainder_desc);
    /* Σ floors ≤ cap since Σ a × cap / T = cap */
    find_boundary(e, k, out->cap - floors, out);
    ok = true;
cleanup:
    free(awards);
    free(e);
    return ok;
}

bool
award_cap_apply(const struct award_cap *p, int64_t a, int64_t *after_out, enum award_unit *unit_out)
{
    int64_t q;
    money_wide r;

    if (a < 0)
        return false;
    *unit_out = AWARD_UNIT_NONE;
    if (!p->capped) {
        *after_out = a;
        return true;
    }
    if (!money_wide_muldiv(a, p->cap, p->total, &q, &r))
        return false;
    *after_out = q;
    if (r > p->r_star)
        *unit_out = AWARD_UNIT_ONE;
    else if (r == p->r_star && p->units > 0)
        *unit_out = AWARD_UNIT_BY_REFERENCE;
    return true;
}
