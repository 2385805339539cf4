/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation summary from groups of identical claims (see summary.h for what is exact).
 * Groups are folded into distinct award values (value, count): the cap, the largest-remainder
 * spread and the statistics only ever look at those, so the work is O(k log k) for k distinct
 * awards whatever the number of claims. */
#include "domain/summary.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/award.h"

typedef money_wide i128;

/* One distinct award before the cap, and what the cap makes of it. */
struct value {
    int64_t a; /* award before the cap */
    int64_t n; /* claims with it */
    int64_t q; /* after the cap without a leftover unit: floor(a × cap / T), or a uncapped */
    i128 r;    /* a × cap mod T (T may exceed 64 bits, and so may r) */
    int64_t x; /* how many of the n get a leftover unit */
};


struct pool {
    struct value *val; /* merged, then sorted by r descending, a ascending once capped */
    size_t k;
    /* The boundary class val[bs..be) when it holds ≥ 2 distinct awards (else bs == be): its
     * nb claims share lb < nb leftover units in a way only references could settle. */
    size_t bs, be;
    int64_t lb, nb;
};

static int
by_award(const void *pa, const void *pb)
{
    const struct value *a = pa, *b = pb;

    return (a->a > b->a) - (a->a < b->a);
}

/* Largest remainder first; within a remainder class, smaller award first. */
static int
by_remainder(const void *pa, const void *pb)
{
    const struct value *a = pa, *b = pb;

    if (a->r != b->r)
        return (a->r < b->r) - (a->r > b->r);
    return (a->a > b->a) - (a->a < b->a);
}

static int
by_after(const void *pa, const void *pb)
{
    const struct award_bin *a = pa, *b = pb;

    if (a->after != b->after)
        return (a->after > b->after) - (a->after < b->after);
    return (a->before > b->before) - (a->before < b->before);
}

/* *sum += part × n, checked (the floors under a cap, which add up to at most the cap). */
static bool
add_scaled(int64_t *sum, int64_t part, int64_t n)
{
    int64_t v;

    return money_mul(part, n, &v) && money_add(*sum, v, sum);
}

/* The same for a figure summed over claims, in 128 bits. */
static bool
add_wide(i128 *sum, int64_t part, int64_t n)
{
    return money_wide_add_scaled(sum, part, n);
}

/* Adds group g to the components and counts; its award goes to *v. */
static bool
accumulate(const struct scheme *s, const struct claim_group *g, struct summary_money *out,
           struct value *v)
{
    struct award_parts p;

    if (!award_compute(s, g->categories, g->documented_loss, g->hours_spent, g->cash, &p))
        return false;
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (!add_wide(&out->supplements[i], p.supplements[i], g->n))
            return false;
    if (!add_wide(&out->base, p.base, g->n) || !add_wide(&out->documented_loss, p.loss, g->n) ||
        !add_wide(&out->time_spent, p.time, g->n) ||
        !add_wide(&out->total_before_cap, p.total, g->n) ||
        !money_add(out->eligible, g->n, &out->eligible))
        return false;
    if (g->cash && !money_add(out->cash_claims, g->n, &out->cash_claims))
        return false;
    if (!g->cash && !money_add(out->voucher_claims, g->n, &out->voucher_claims))
        return false;
    *v = (struct value){.a = p.total, .n = g->n, .q = p.total};
    return true;
}

/* Folds the groups into pool->val: one entry per distinct award, counts summed. */
static bool
collect(const struct scheme *s, const struct claim_group *g, size_t n_groups,
        struct summary_money *out, struct pool *pool)
{
    size_t k = 0;

    for (size_t i = 0; i < n_groups; i++) {
        if (g[i].n < 0)
            return false;
        if (g[i].n > 0 && !accumulate(s, &g[i], out, &pool->val[k++]))
            return false;
    }
    qsort(pool->val, k, sizeof *pool->val, by_award);
    pool->k = 0;
    for (size_t i = 0; i < k; i++) {
        struct value *last = pool->k > 0 ? &pool->val[pool->k - 1] : NULL;
        if (last != NULL && last->a == pool->val[i].a)
            last->n += pool->val[i].n; /* both counts are part of eligible, which fitted */
        else
            pool->val[pool->k++] = pool->val[i];
    }
    return true;
}

/* A boundary class of ≥ 2 awards val[i..j) with nb claims shares lb units. docs/api.md §11.3 hands
 * them out by reference; without references (no hook, or it failed) we give each award its
 * proportional share, floor(lb × n / nb), and the rest one each by largest remainder of that
 * division, ties to the smaller award: what references in random order give on average. */
static bool
split_boundary(struct pool *pool, size_t i, size_t j, int64_t lb, int64_t nb)
{
    struct value *tmp = xcalloc(j - i, sizeof *tmp);
    int64_t given = 0;
    bool ok = false;

    for (size_t m = i; m < j; m++) {
        int64_t share_r;
        tmp[m - i] = pool->val[m];
        if (!money_muldiv(lb, pool->val[m].n, nb, &tmp[m - i].x, &share_r))
            goto cleanup;
        tmp[m - i].r = share_r;
        given += tmp[m - i].x; /* ≤ lb */
    }
    /* tmp keeps a (ascending within the class), so the sort breaks ties on the smaller award */
    qsort(tmp, j - i, sizeof *tmp, by_remainder);
    for (size_t m = 0; given < lb && m < j - i; m++, given++)
        tmp[m].x++;
    qsort(tmp, j - i, sizeof *tmp, by_award);
    for (size_t m = i; m < j; m++)
        pool->val[m].x = tmp[m - i].x; /* val[i..j) is in award order too */
    pool->bs = i;
    pool->be = j;
    pool->lb = lb;
    pool->nb = nb;
    ok = given == lb;
cleanup:
    free(tmp);
    return ok;
}

/* The boundary class val[i..j) (≥ 2 awards, ascending) settled by reference through the hook:
 * false, nothing changed, when the hook cannot tell or answers what the counts forbid. */
static bool
settle_boundary(struct pool *pool, size_t i, size_t j, int64_t lb,
                const struct summary_tiebreak *tb)
{
    size_t k = j - i;
    int64_t *awards = xcalloc(k, sizeof *awards);
    int64_t *n = xcalloc(k, sizeof *n);
    int64_t *x = xcalloc(k, sizeof *x);
    int64_t given = 0;
    bool ok = false;

    for (size_t m = 0; m < k; m++) {
        awards[m] = pool->val[i + m].a;
        n[m] = pool->val[i + m].n;
    }
    struct summary_boundary b = {.awards = awards, .n = n, .k = k, .units = lb};
    if (!tb->split(tb->ctx, &b, x))
        goto cleanup;
    for (size_t m = 0; m < k; m++) {
        if (x[m] < 0 || x[m] > n[m])
            goto cleanup;
        given += x[m]; /* ≤ Σ n, which fitted */
    }
    if (given != lb)
        goto cleanup;
    for (size_t m = 0; m < k; m++)
        pool->val[i + m].x = x[m];
    ok = true;
cleanup:
    free(awards);
    free(n);
    free(x);
    return ok;
}

/* Pro rata under the cap with the largest-remainder spread (docs/api.md §11.3). */
static bool
apply_cap(struct pool *pool, int64_t cap, i128 total, const struct summary_tiebreak *tb)
{
    int64_t floors = 0;
    int64_t left;
    size_t i = 0;

    for (size_t m = 0; m < pool->k; m++) {
        struct value *v = &pool->val[m];
        if (!money_wide_muldiv(v->a, cap, total, &v->q, &v->r) ||
            !add_scaled(&floors, v->q, v->n))
            return false;
    }
    /* Σ n·r = (cap − Σ n·q)·T, so left is below the number of claims with r > 0: the walk ends
     * inside the classes with r > 0, and no award gains a unit it cannot afford. */
    left = cap - floors;
    qsort(pool->val, pool->k, sizeof *pool->val, by_remainder);
    while (i < pool->k && left > 0) {
        size_t j = i;
        int64_t count = 0;
        while (j < pool->k && pool->val[j].r == pool->val[i].r)
            count += pool->val[j++].n;
        if (count <= left) {
            for (size_t m = i; m < j; m++)
                pool->val[m].x = pool->val[m].n;
            left -= count;
        } else if (j - i == 1) {
            pool->val[i].x = left; /* one award: which claims get the unit changes nothing */
            left = 0;
        } else {
            /* by reference when the caller can read them (exact), else in proportion */
            if ((tb == NULL || !settle_boundary(pool, i, j, left, tb)) &&
                !split_boundary(pool, i, j, left, count))
                return false;
            left = 0;
        }
        i = j;
    }
    return left == 0;
}

/* The awards after the cap, sorted; with `withheld`, the boundary class keeps its
 * leftover units back (every x there taken as 0). Returns the number of bins. */
static size_t
make_bins(const struct pool *pool, bool withheld, struct award_bin *b)
{
    size_t nb = 0;

    for (size_t m = 0; m < pool->k; m++) {
        const struct value *v = &pool->val[m];
        int64_t x = withheld && m >= pool->bs && m < pool->be ? 0 : v->x;
        if (v->n - x > 0)
            b[nb++] = (struct award_bin){v->a, v->q, v->n - x};
        if (x > 0)
            b[nb++] = (struct award_bin){v->a, v->q + 1, x};
    }
    award_bins_sort(b, nb);
    return nb;
}

void
award_bins_sort(struct award_bin *b, size_t nb)
{
    qsort(b, nb, sizeof *b, by_after);
}

int64_t
award_bin_rank(const struct award_bin *b, size_t nb, int64_t m)
{
    for (size_t i = 0; i < nb; i++) {
        if (m < b[i].n)
            return b[i].after;
        m -= b[i].n;
    }
    return nb > 0 ? b[nb - 1].after : 0;
}

/* How many awards are ≤ v. */
static int64_t
count_upto(const struct award_bin *b, size_t nb, int64_t v)
{
    int64_t c = 0;

    for (size_t i = 0; i < nb && b[i].after <= v; i++)
        c += b[i].n;
    return c;
}

/* What rank m depends on. With the boundary units withheld, rank m holds u. Giving units
 * back only raises boundary awards q_j to q_j + 1, and the boundary's q_j are distinct (same
 * r and same q would mean the same award), so rank m holds u + 1 instead exactly when u is
 * some boundary q_j and x_j > t = (awards ≤ u, withheld) − m − 1; otherwise u. */
struct rank_dep {
    int64_t u;
    bool depends; /* on val[j].x */
    size_t j;
    int64_t t;
};

static void
rank_dependency(const struct pool *pool, const struct award_bin *b0, size_t n0, int64_t m,
                struct rank_dep *d)
{
    d->u = award_bin_rank(b0, n0, m);
    d->depends = false;
    for (size_t j = pool->bs; j < pool->be; j++) {
        if (pool->val[j].q == d->u) {
            d->depends = true;
            d->j = j;
            d->t = count_upto(b0, n0, d->u) - m - 1;
            return;
        }
    }
}

/* Whether some split of the boundary units (0 ≤ x_j ≤ n_j, Σ x_j = lb) puts x_j1 in
 * [lo1, hi1] and x_j2 in [lo2, hi2] (j1 may equal j2). */
static bool
split_feasible(const struct pool *pool, size_t j1, int64_t lo1, int64_t hi1, size_t j2,
               int64_t lo2, int64_t hi2)
{
    int64_t n1 = pool->val[j1].n, n2 = pool->val[j2].n;
    int64_t vars_n, lo, hi;

    if (j1 == j2) {
        lo = lo1 > lo2 ? lo1 : lo2;
        hi = hi1 < hi2 ? hi1 : hi2;
        vars_n = n1;
    } else {
        lo1 = lo1 > 0 ? lo1 : 0;
        lo2 = lo2 > 0 ? lo2 : 0;
        hi1 = hi1 < n1 ? hi1 : n1;
        hi2 = hi2 < n2 ? hi2 : n2;
        if (lo1 > hi1 || lo2 > hi2)
            return false;
        lo = lo1 + lo2;
        hi = hi1 + hi2;
        vars_n = n1 + n2;
    }
    lo = lo > 0 ? lo : 0;
    hi = hi < vars_n ? hi : vars_n;
    /* The chosen claims take between lb − (claims outside them) and lb units. */
    int64_t need_lo = pool->lb - (pool->nb - vars_n);
    lo = lo > need_lo ? lo : need_lo;
    hi = hi < pool->lb ? hi : pool->lb;
    return lo <= hi;
}

/* Whether floor((rank m1 + rank m2) / 2) is the same under every split of the boundary
 * units (m1 = m2 for a single rank: min, max, an odd median). */
static bool
stat_exact(const struct pool *pool, const struct award_bin *b0, size_t n0, int64_t m1, int64_t m2)
{
    struct rank_dep d1, d2;
    i128 lo = 0, hi = -1;
    const int64_t any_lo = INT64_MIN / 4, any_hi = INT64_MAX / 4;

    rank_dependency(pool, b0, n0, m1, &d1);
    rank_dependency(pool, b0, n0, m2, &d2);
    for (int c1 = 0; c1 <= (d1.depends ? 1 : 0); c1++) {
        for (int c2 = 0; c2 <= (d2.depends ? 1 : 0); c2++) {
            /* c = 0: x ≤ t keeps u; c = 1: x ≥ t + 1 moves it to u + 1. A rank that depends
             * on nothing is pinned by an unconstrained interval on the first boundary value. */
            size_t j1 = d1.depends ? d1.j : pool->bs, j2 = d2.depends ? d2.j : pool->bs;
            int64_t lo1 = d1.depends && c1 ? d1.t + 1 : any_lo;
            int64_t hi1 = d1.depends && !c1 ? d1.t : any_hi;
            int64_t lo2 = d2.depends && c2 ? d2.t + 1 : any_lo;
            int64_t hi2 = d2.depends && !c2 ? d2.t : any_hi;
            if (!split_feasible(pool, j1, lo1, hi1, j2, lo2, hi2))
                continue;
            i128 med = ((i128)d1.u + c1 + d2.u + c2) / 2;
            if (hi < lo) {
                lo = hi = med;
            } else {
                lo = med < lo ? med : lo;
                hi = med > hi ? med : hi;
            }
        }
    }
    return lo == hi;
}

/* Deciles and histogram of the sorted bins (their `after` values). */
static void
shape_of(const struct award_bin *b, size_t nb, int64_t e, struct award_shape *out)
{
    struct award_count *c = xcalloc(nb + 1, sizeof *c);
    size_t k = 0;

    for (size_t i = 0; i < nb; i++) {
        if (k > 0 && c[k - 1].value == b[i].after)
            c[k - 1].n += b[i].n;
        else
            c[k++] = (struct award_count){b[i].after, b[i].n};
    }
    award_shape_fill(c, k, e, out);
    free(c);
}

/* Whether every split of the boundary units gives the same bin counts. The bounds hang on min
 * and max; with those fixed, a boundary award q whose share x of units can vary moves claims
 * between q and q + 1, which matters when they lie in different bins. Conservative: such a
 * move might be offset by another award's (then the counts would not change after all). */
static bool
histogram_exact(const struct pool *pool, const struct summary_money *out)
{
    const struct award_shape *s = &out->shape;

    if (!out->min_exact || !out->max_exact)
        return false;
    for (size_t j = pool->bs; j < pool->be; j++) {
        int64_t n = pool->val[j].n;
        int64_t lo = pool->lb - (pool->nb - n), hi = n < pool->lb ? n : pool->lb;
        if ((lo > 0 ? lo : 0) == hi)
            continue; /* its share is forced */
        int64_t q = pool->val[j].q;
        /* q + 1 above max cannot happen with max exact and x able to be > 0 */
        if (q < s->bins[0].lower || q + 1 > s->bins[s->n_bins - 1].upper ||
            award_shape_bin_of(s, q) != award_shape_bin_of(s, q + 1))
            return false;
    }
    return true;
}

static void
award_stats(const struct pool *pool, struct award_bin *b, struct summary_money *out)
{
    int64_t e = out->eligible;
    size_t nb;

    out->median_exact = out->min_exact = out->max_exact = true;
    award_shape_fill(NULL, 0, 0, &out->shape); /* no award: no figure, all exact */
    if (e == 0)
        return;
    out->mean = (int64_t)(out->total_after_cap / e); /* ≤ the largest award */
    nb = make_bins(pool, false, b);
    shape_of(b, nb, e, &out->shape);
    out->min = award_bin_rank(b, nb, 0);
    out->max = award_bin_rank(b, nb, e - 1);
    out->median = (int64_t)(((i128)award_bin_rank(b, nb, (e - 1) / 2) + award_bin_rank(b, nb, e / 2)) / 2);
    if (pool->bs == pool->be)
        return;
    nb = make_bins(pool, true, b);
    out->min_exact = stat_exact(pool, b, nb, 0, 0);
    out->max_exact = stat_exact(pool, b, nb, e - 1, e - 1);
    out->median_exact = stat_exact(pool, b, nb, (e - 1) / 2, e / 2);
    for (int k = 0; k < AWARD_DECILES; k++) {
        int64_t lo, hi;
        award_decile_ranks(e, k + 1, &lo, &hi);
        out->shape.deciles_exact[k] = stat_exact(pool, b, nb, lo, hi);
    }
    out->shape.histogram_exact = histogram_exact(pool, out);
}

static bool
vouchers_and_projection(const struct scheme *s, int64_t affected_count,
                        struct summary_money *out)
{
    for (size_t i = 0; i < s->n_vouchers && i < SCHEME_VOUCHERS_MAX; i++) {
        out->vouchers[i].count = out->voucher_claims;
        if (!money_wide_add_scaled(&out->vouchers[i].total, out->voucher_claims,
                                   s->vouchers[i].amount))
            return false;
    }
    /* base_amount 10^12 × affected_count 10^10 = 10^22: 128 bits, never int64_t */
    if (out->eligible > 0) {
        if (!money_wide_scale(out->total_before_cap, affected_count, out->eligible,
                              &out->projection_before_cap))
            return false;
    } else if (!money_wide_add_scaled(&out->projection_before_cap, s->base_amount,
                                      affected_count)) {
        return false;
    }
    out->projection_after_cap = out->projection_before_cap;
    if (s->has_fund_cap && out->projection_after_cap > s->fund_cap)
        out->projection_after_cap = s->fund_cap;
    return true;
}

/* Folds the groups and applies the cap: the part summary_compute and summary_distribution
 * share. */
static bool
build(const struct scheme *s, const struct claim_group *g, size_t n_groups,
      const struct summary_tiebreak *tb, struct summary_money *out, struct pool *pool)
{
    memset(out, 0, sizeof *out);
    if (!collect(s, g, n_groups, out, pool))
        return false;
    out->total_after_cap = out->total_before_cap;
    out->capped = s->has_fund_cap && out->total_before_cap > s->fund_cap;
    if (!out->capped)
        return true;
    out->total_after_cap = s->fund_cap;
    return apply_cap(pool, s->fund_cap, out->total_before_cap, tb);
}

bool
summary_compute(const struct scheme *s, const struct claim_group *g, size_t n_groups,
                int64_t affected_count, const struct summary_tiebreak *tb,
                struct summary_money *out)
{
    struct pool pool = {0};
    struct award_bin *bins = NULL;
    bool ok = false;

    if (affected_count < 0)
        return false;
    pool.val = xcalloc(n_groups, sizeof *pool.val);
    bins = xcalloc(n_groups, 2 * sizeof *bins);
    if (!build(s, g, n_groups, tb, out, &pool))
        goto cleanup;
    if (out->capped)
        ratio_format_wide(out->total_after_cap, out->total_before_cap, out->pro_rata_factor);
    else
        memcpy(out->pro_rata_factor, "1.000000", sizeof "1.000000");
    award_stats(&pool, bins, out);
    ok = vouchers_and_projection(s, affected_count, out);
cleanup:
    free(pool.val);
    free(bins);
    return ok;
}

bool
summary_finish_totals(const struct scheme *s, int64_t affected_count, struct summary_money *out)
{
    i128 t = out->base + out->documented_loss + out->time_spent;

    if (affected_count < 0)
        return false;
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        t += out->supplements[i]; /* each part below 2^114 (domain/money.h): no overflow */
    out->total_before_cap = t;
    out->capped = s->has_fund_cap && t > s->fund_cap;
    out->total_after_cap = out->capped ? s->fund_cap : t;
    if (out->capped)
        ratio_format_wide(out->total_after_cap, out->total_before_cap, out->pro_rata_factor);
    else
        memcpy(out->pro_rata_factor, "1.000000", sizeof "1.000000");
    out->mean = out->eligible > 0 ? (int64_t)(out->total_after_cap / out->eligible) : 0;
    memset(out->vouchers, 0, sizeof out->vouchers);
    out->projection_before_cap = out->projection_after_cap = 0;
    return vouchers_and_projection(s, affected_count, out);
}

bool
summary_distribution(const struct scheme *s, const struct claim_group *g, size_t n_groups,
                     struct award_bin **bins_out, size_t *n_out)
{
    struct pool pool = {0};
    struct summary_money scratch;
    struct award_bin *bins = NULL;
    bool ok = false;

    pool.val = xcalloc(n_groups, sizeof *pool.val);
    bins = xcalloc(n_groups, 2 * sizeof *bins);
    if (!build(s, g, n_groups, NULL, &scratch, &pool))
        goto cleanup;
    *n_out = make_bins(&pool, false, bins);
    *bins_out = bins;
    bins = NULL;
    ok = true;
cleanup:
    free(pool.val);
    free(bins);
    return ok;
}
