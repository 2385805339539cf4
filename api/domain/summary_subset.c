/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Subset summaries under an incident-wide pool. */
#include "domain/summary_subset.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/award.h"

struct share {
    int64_t award; /* before the cap */
    int64_t q;     /* floor(award × cap / T) */
    money_wide r;  /* award × cap mod T */
    int64_t n;
};

static int
by_remainder_desc(const void *x, const void *y)
{
    const struct share *a = x, *b = y;

    if (a->r != b->r)
        return a->r > b->r ? -1 : 1;
    return a->award < b->award ? -1 : a->award > b->award;
}

/* Incident-wide: the remainder r* of the boundary class and how many of its N_b claims get a
 * unit (L_b), found by serving classes in remainder order. */
static bool
boundary(struct share *pool, size_t n, int64_t leftover, money_wide *r_star, int64_t *units,
         int64_t *class_size)
{
    qsort(pool, n, sizeof *pool, by_remainder_desc);
    *r_star = -1;
    *units = 0;
    *class_size = 0;
    for (size_t i = 0; i < n;) {
        int64_t size = 0;
        size_t j = i;
        for (; j < n && pool[j].r == pool[i].r; j++)
            size += pool[j].n;
        if (leftover < size) {
            *r_star = pool[i].r;
            *units = leftover;
            *class_size = size;
            return true;
        }
        leftover -= size;
        i = j;
    }
    return leftover == 0;
}

static bool
shares_of(const struct scheme *s, const struct claim_group *g, size_t n, int64_t cap,
          money_wide total, struct share *out)
{
    for (size_t i = 0; i < n; i++) {
        struct award_parts p;
        if (!award_compute(s, g[i].categories, g[i].documented_loss, g[i].hours_spent,
                           g[i].cash, &p) ||
            !money_wide_muldiv(p.total, cap, total, &out[i].q, &out[i].r))
            return false;
        out[i].award = p.total;
        out[i].n = g[i].n;
    }
    return true;
}

/* Members' distribution after the cap: value → count (struct award_count), two entries per
 * share at most. */
static int
by_value(const void *x, const void *y)
{
    const struct award_count *a = x, *b = y;

    return a->value < b->value ? -1 : a->value > b->value;
}

static void
stats(struct award_count *v, size_t k, int64_t total, int64_t eligible, struct summary_money *out)
{
    qsort(v, k, sizeof *v, by_value);
    out->mean = eligible > 0 ? total / eligible : 0;
    out->min = out->max = out->median = 0;
    if (eligible == 0)
        return;
    size_t first = 0;
    while (first < k && v[first].n == 0)
        first++;
    out->min = v[first].value;
    for (size_t i = k; i-- > 0;)
        if (v[i].n > 0) {
            out->max = v[i].value;
            break;
        }
    /* the middle one (odd) or the floored mean of the two middle ones (even) */
    int64_t lo_rank = (eligible - 1) / 2, hi_rank = eligible / 2, seen = 0;
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < k; i++) {
        if (lo_rank >= seen && lo_rank < seen + v[i].n)
            lo = v[i].value;
        if (hi_rank >= seen && hi_rank < seen + v[i].n)
            hi = v[i].value;
        seen += v[i].n;
    }
    out->median = (int64_t)(((__int128)lo + hi) / 2);
    award_shape_fill(v, k, eligible, &out->shape);
}

/* One award of the incident's boundary class: the pool's claims with it, the members', and
 * how many of those members get a unit (what is still to hand out to their groups). */
struct class_value {
    int64_t award, n, members, plus;
};

/* The class's distinct awards (all is sorted by remainder, then award) with their counts;
 * false when a member's award is not in the pool's class (the reads disagree). */
static bool
class_values(const struct share *all, size_t n_pool, const struct share *mine, size_t n_members,
             money_wide r_star, struct class_value *cv, size_t *k_out)
{
    size_t k = 0;

    for (size_t i = 0; i < n_pool; i++) {
        if (all[i].r != r_star)
            continue;
        if (k > 0 && cv[k - 1].award == all[i].award)
            cv[k - 1].n += all[i].n;
        else
            cv[k++] = (struct class_value){.award = all[i].award, .n = all[i].n};
    }
    for (size_t i = 0; i < n_members; i++) {
        if (mine[i].r != r_star)
            continue;
        size_t j = 0;
        while (j < k && cv[j].award != mine[i].award)
            j++;
        if (j == k)
            return false;
        cv[j].members += mine[i].n;
    }
    *k_out = k;
    return true;
}

/* Asks the hook how many members of each award are among the first `units` claims of the
 * class by reference; fills cv[].plus. False when it cannot tell or answers the impossible. */
static bool
settle(const struct summary_tiebreak *tb, struct class_value *cv, size_t k, int64_t units)
{
    int64_t *awards = xcalloc(k, sizeof *awards), *n = xcalloc(k, sizeof *n);
    int64_t *members = xcalloc(k, sizeof *members), *x = xcalloc(k, sizeof *x);
    int64_t given = 0;
    bool ok = false;

    for (size_t j = 0; j < k; j++) {
        awards[j] = cv[j].award;
        n[j] = cv[j].n;
        members[j] = cv[j].members;
    }
    struct summary_boundary b = {awards, n, members, k, units};
    if (!tb->split(tb->ctx, &b, x))
        goto cleanup;
    for (size_t j = 0; j < k; j++) {
        if (x[j] < 0 || x[j] > members[j] || x[j] > n[j])
            goto cleanup;
        given += x[j];
    }
    if (given > units)
        goto cleanup;
    for (size_t j = 0; j < k; j++)
        cv[j].plus = x[j];
    ok = true;
cleanup:
    free(awards);
    free(n);
    free(members);
    free(x);
    return ok;
}

/* The members' boundary claims settled by reference (exact), or false to share in
 * proportion. */
static bool
by_reference(const struct summary_tiebreak *tb, const struct share *all, size_t n_pool,
             const struct share *mine, size_t n_members, money_wide r_star, int64_t units,
             struct class_value **cv_out, size_t *k_out)
{
    bool in_class = false;

    for (size_t i = 0; i < n_members; i++)
        in_class |= mine[i].r == r_star && mine[i].n > 0;
    if (tb == NULL || units <= 0 || !in_class)
        return false;
    struct class_value *cv = xcalloc(n_pool + 1, sizeof *cv);
    if (!class_values(all, n_pool, mine, n_members, r_star, cv, k_out) ||
        !settle(tb, cv, *k_out, units)) {
        free(cv);
        return false;
    }
    *cv_out = cv;
    return true;
}

/* How many of a member group's claims (award a, n of them) get a boundary unit, taken from
 * what the hook gave that award: groups of one award are alike, any order will do. */
static int64_t
take_plus(struct class_value *cv, size_t k, int64_t a, int64_t n)
{
    for (size_t j = 0; j < k; j++) {
        if (cv[j].award == a) {
            int64_t plus = cv[j].plus < n ? cv[j].plus : n;
            cv[j].plus -= plus;
            return plus;
        }
    }
    return 0;
}

bool
summary_compute_subset(const struct scheme *s, const struct claim_group *pool, size_t n_pool,
                       const struct claim_group *members, size_t n_members,
                       int64_t affected_count, const struct summary_tiebreak *tb,
                       struct summary_money *out)
{
    struct summary_money whole;
    struct class_value *cv = NULL;
    size_t n_cv = 0;
    bool ok = false;

    /* no hook here: the members' own cap means nothing, and the pool's statistics are not
     * shown */
    if (!summary_compute(s, members, n_members, affected_count, NULL, out) ||
        !summary_compute(s, pool, n_pool, affected_count, NULL, &whole))
        return false;
    memcpy(out->pro_rata_factor, whole.pro_rata_factor, sizeof out->pro_rata_factor);
    out->capped = whole.capped;
    if (!whole.capped) {
        out->total_after_cap = out->total_before_cap;
        return true; /* no reduction: the members' own figures stand */
    }
    int64_t cap = s->fund_cap;
    money_wide total = whole.total_before_cap;
    struct share *all = xcalloc(n_pool + 1, sizeof *all);
    struct share *mine = xcalloc(n_members + 1, sizeof *mine);
    struct award_count *dist = xcalloc(2 * n_members + 1, sizeof *dist);
    int64_t floors = 0, units, class_size;
    money_wide r_star;
    if (!shares_of(s, pool, n_pool, cap, total, all) ||
        !shares_of(s, members, n_members, cap, total, mine))
        goto cleanup;
    for (size_t i = 0; i < n_pool; i++)
        floors += all[i].q * all[i].n; /* ≤ cap: no overflow */
    if (!boundary(all, n_pool, cap - floors, &r_star, &units, &class_size))
        goto cleanup;
    bool exact = by_reference(tb, all, n_pool, mine, n_members, r_star, units, &cv, &n_cv);
    size_t k = 0;
    int64_t sum = 0;
    out->min_exact = out->max_exact = out->median_exact = true;
    for (size_t i = 0; i < n_members; i++) {
        int64_t plus = mine[i].r > r_star ? mine[i].n : 0;
        if (mine[i].r == r_star && exact) {
            plus = take_plus(cv, n_cv, mine[i].award, mine[i].n);
        } else if (mine[i].r == r_star && class_size > 0) {
            /* the boundary class shares its units in proportion: references decide which */
            plus = (int64_t)((__int128)units * mine[i].n / class_size);
            bool alike = plus == 0 || plus == mine[i].n; /* the group's claims all alike */
            out->min_exact = out->min_exact && alike; /* every boundary group, not the last */
            out->max_exact = out->max_exact && alike;
            out->median_exact = out->median_exact && alike;
        }
        dist[k++] = (struct award_count){mine[i].q + 1, plus};
        dist[k++] = (struct award_count){mine[i].q, mine[i].n - plus};
        sum += mine[i].q * mine[i].n + plus;
    }
    out->total_after_cap = sum;
    stats(dist, k, sum, out->eligible, out);
    /* the deciles and the histogram follow the median's flag (the members' split of the
     * boundary is the one uncertainty) */
    for (int d = 0; d < AWARD_DECILES; d++)
        out->shape.deciles_exact[d] = out->median_exact;
    out->shape.histogram_exact = out->median_exact;
    ok = true;
cleanup:
    free(all);
    free(mine);
    free(dist);
    free(cv);
    return ok;
}
