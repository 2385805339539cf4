/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Summary from cells and radix-tree sums (see summary_shape.h for what is exact and the
 * error bound of the distribution). */
#include "domain/summary_shape.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "domain/award.h"

typedef money_wide i128;

int64_t
shape_loss_cap(const struct scheme *s)
{
    if (!s->reimburse)
        return 0;
    return s->loss_cap < SHAPE_LOSS_MAX + 1 ? s->loss_cap : SHAPE_LOSS_MAX + 1;
}

int64_t
shape_hours_cap(const struct scheme *s)
{
    return s->max_hours < SHAPE_HOURS_MAX + 1 ? s->max_hours : SHAPE_HOURS_MAX + 1;
}

int64_t
shape_bucket(int64_t v)
{
    if (v < 8)
        return v;
    /* the bit length by one instruction: by_key calls this four times a comparison */
    int bits = 64 - __builtin_clzll((unsigned long long)v);
    return (v >> (bits - 3)) << (bits - 3);
}

void
shape_sums_add(struct shape_sums *d, int64_t v, int64_t n, int64_t cap)
{
    if (v <= 0)
        return;
    d->n_pos += n;
    d->sum_pos += (i128)v * n;
    if (v < cap) {
        d->n_below += n;
        d->sum_below += (i128)v * n;
    }
}

/* Cells ordered by their key: payment, categories, loss bucket, hours bucket. */
static int
by_key(const void *pa, const void *pb)
{
    const struct shape_cell *a = pa, *b = pb;
    int64_t ka[4] = {a->cash, a->categories, shape_bucket(a->loss_min), shape_bucket(a->hours_min)};
    int64_t kb[4] = {b->cash, b->categories, shape_bucket(b->loss_min), shape_bucket(b->hours_min)};

    for (int i = 0; i < 4; i++)
        if (ka[i] != kb[i])
            return (ka[i] > kb[i]) - (ka[i] < kb[i]);
    return 0;
}

/* Adds cell y (a change when y_is_change) into x, of the same key. */
static void
cell_add(struct shape_cell *x, const struct shape_cell *y, bool y_is_change)
{
    x->n += y->n;
    if (y_is_change && y->n <= 0)
        return;
    x->loss_min = y->loss_min < x->loss_min ? y->loss_min : x->loss_min;
    x->loss_max = y->loss_max > x->loss_max ? y->loss_max : x->loss_max;
    x->hours_min = y->hours_min < x->hours_min ? y->hours_min : x->hours_min;
    x->hours_max = y->hours_max > x->hours_max ? y->hours_max : x->hours_max;
}

size_t
shape_cells_merge(const struct shape_cell *cells, size_t n_cells,
                  const struct shape_change *changes, size_t n_changes, struct shape_cell *out)
{
    struct shape_cell *ch = xcalloc(n_changes + 1, sizeof *ch);
    size_t k = 0, i = 0;

    memcpy(out, cells, sizeof *out * n_cells);
    qsort(out, n_cells, sizeof *out, by_key);
    for (size_t c = 0; c < n_changes; c++)
        ch[c] = (struct shape_cell){changes[c].cash, changes[c].categories, changes[c].n,
                                    changes[c].loss,  changes[c].loss,       changes[c].hours,
                                    changes[c].hours};
    qsort(ch, n_changes, sizeof *ch, by_key);
    /* both sorted: one walk; a change of a key the folded cells lack makes a cell after
     * them (the changes of one key are adjacent), then the cells left at 0 are dropped */
    size_t n_new = 0;
    for (size_t c = 0; c < n_changes; c++) {
        while (i < n_cells && by_key(&out[i], &ch[c]) < 0)
            i++;
        if (i < n_cells && by_key(&out[i], &ch[c]) == 0)
            cell_add(&out[i], &ch[c], true);
        else if (n_new > 0 && by_key(&out[n_cells + n_new - 1], &ch[c]) == 0)
            cell_add(&out[n_cells + n_new - 1], &ch[c], true);
        else
            out[n_cells + n_new++] = ch[c];
    }
    for (size_t j = 0; j < n_cells + n_new; j++)
        if (out[j].n != 0)
            out[k++] = out[j];
    free(ch);
    return k;
}

struct span {
    int64_t loss_lo, loss_hi, hours_lo, hours_hi;
};

static bool
cell_span(const struct shape_cell *c, struct span *sp)
{
    *sp = (struct span){c->loss_min, c->loss_max, c->hours_min, c->hours_max};
    return c->loss_min == c->loss_max && c->hours_min == c->hours_max;
}

void
shape_cells_as_groups(const struct shape_cell *cells, size_t n, struct claim_group *g,
                      bool *exact_out)
{
    *exact_out = true;
    for (size_t i = 0; i < n; i++) {
        struct span sp;
        if (!cell_span(&cells[i], &sp))
            *exact_out = false;
        g[i] = (struct claim_group){cells[i].categories, sp.loss_lo, sp.hours_lo, cells[i].cash,
                                    cells[i].n};
    }
}

/* Σ min(v, cap) over the values of one dimension (those at 0 add nothing). */
static bool
capped_sum(const struct shape_sums *d, int64_t cap, i128 *out)
{
    if (d->n_pos < 0 || d->n_below < 0 || d->n_below > d->n_pos || d->sum_below < 0)
        return false;
    *out = d->sum_below + (i128)cap * (d->n_pos - d->n_below);
    return true;
}

/* An award before the cap after it: floor(a × cap / T), plus the one leftover unit it may
 * get when `up`. */
static bool
after_cap(const struct summary_money *out, const struct scheme *s, int64_t a, bool up,
          int64_t *v)
{
    money_wide r;

    if (!out->capped) {
        *v = a;
        return true;
    }
    if (!money_wide_muldiv(a, s->fund_cap, out->total_before_cap, v, &r))
        return false;
    *v += up ? 1 : 0;
    return true;
}

/* floor((rank m1 + rank m2) / 2) at one end, after the cap. */
static bool
stat_at(const struct summary_money *out, const struct scheme *s, const struct award_bin *l,
        size_t k, int64_t m1, int64_t m2, bool up, int64_t *v)
{
    int64_t a1, a2;

    if (!after_cap(out, s, award_bin_rank(l, k, m1), up, &a1) ||
        !after_cap(out, s, award_bin_rank(l, k, m2), up, &a2))
        return false;
    *v = (int64_t)(((i128)a1 + a2) / 2);
    return true;
}

static bool
bounded_stat(const struct summary_money *out, const struct scheme *s, const struct award_bin *lo,
             const struct award_bin *hi, size_t k, int64_t m1, int64_t m2, int64_t *v, bool *exact)
{
    int64_t a, b;

    if (!stat_at(out, s, lo, k, m1, m2, false, &a) || !stat_at(out, s, hi, k, m1, m2, true, &b))
        return false;
    if (b < a)
        b = a;
    *v = a + (b - a) / 2;
    *exact = a == b;
    return true;
}

/* The histogram of award_shape.h between the reported min and max, each cell's claims in the
 * bin of the middle of its awards' range (after the cap), held between min and max: within
 * the median's bound of their own awards. Exact only when every cell is (not here). */
static bool
bounded_histogram(const struct scheme *s, const struct shape_cell *cells, size_t n,
                  struct summary_money *out)
{
    /* the bins of min and max alone, then this distribution's counts in them */
    struct award_count ends[2] = {{out->min, 1}, {out->max, 1}};
    int64_t deciles[AWARD_DECILES];
    bool deciles_exact[AWARD_DECILES];

    memcpy(deciles, out->shape.deciles, sizeof deciles);
    memcpy(deciles_exact, out->shape.deciles_exact, sizeof deciles_exact);
    size_t n_ends = out->min == out->max ? 1 : 2;
    award_shape_fill(ends, n_ends, (int64_t)n_ends, &out->shape);
    memcpy(out->shape.deciles, deciles, sizeof deciles);
    memcpy(out->shape.deciles_exact, deciles_exact, sizeof deciles_exact);
    for (size_t b = 0; b < out->shape.n_bins; b++)
        out->shape.bins[b].n = 0;
    out->shape.histogram_exact = false;
    for (size_t i = 0; i < n; i++) {
        struct span sp;
        struct award_parts pl, ph;
        int64_t a_lo, a_hi;
        if (cells[i].n <= 0)
            continue;
        cell_span(&cells[i], &sp);
        if (!award_compute(s, cells[i].categories, sp.loss_lo, sp.hours_lo, cells[i].cash, &pl) ||
            !award_compute(s, cells[i].categories, sp.loss_hi, sp.hours_hi, cells[i].cash, &ph) ||
            !after_cap(out, s, pl.total, false, &a_lo) || !after_cap(out, s, ph.total, false, &a_hi))
            return false;
        int64_t v = a_lo + (a_hi - a_lo) / 2;
        v = v < out->min ? out->min : (v > out->max ? out->max : v);
        out->shape.bins[award_shape_bin_of(&out->shape, v)].n += cells[i].n;
    }
    return true;
}

/* The distribution's bounds from the cells' two ends. */
static bool
bounded_distribution(const struct scheme *s, const struct shape_cell *cells, size_t n,
                     struct summary_money *out)
{
    struct award_bin *lo = xcalloc(n + 1, sizeof *lo), *hi = xcalloc(n + 1, sizeof *hi);
    size_t k = 0;
    int64_t e = out->eligible;
    bool ok = false;

    for (size_t i = 0; i < n; i++) {
        struct span sp;
        struct award_parts pl, ph;
        if (cells[i].n <= 0)
            continue;
        cell_span(&cells[i], &sp);
        if (!award_compute(s, cells[i].categories, sp.loss_lo, sp.hours_lo, cells[i].cash, &pl) ||
            !award_compute(s, cells[i].categories, sp.loss_hi, sp.hours_hi, cells[i].cash, &ph))
            goto cleanup;
        /* one end of the cells: the award with no cap applied yet (after_cap applies it) */
        lo[k] = (struct award_bin){pl.total, pl.total, cells[i].n};
        hi[k++] = (struct award_bin){ph.total, ph.total, cells[i].n};
    }
    award_bins_sort(lo, k);
    award_bins_sort(hi, k);
    if (e == 0) {
        out->median = out->min = out->max = 0;
        out->median_exact = out->min_exact = out->max_exact = true;
        ok = true;
        goto cleanup;
    }
    ok = bounded_stat(out, s, lo, hi, k, 0, 0, &out->min, &out->min_exact) &&
         bounded_stat(out, s, lo, hi, k, e - 1, e - 1, &out->max, &out->max_exact) &&
         bounded_stat(out, s, lo, hi, k, (e - 1) / 2, e / 2, &out->median, &out->median_exact);
    for (int d = 0; ok && d < AWARD_DECILES; d++) {
        int64_t m1, m2;
        award_decile_ranks(e, d + 1, &m1, &m2);
        ok = bounded_stat(out, s, lo, hi, k, m1, m2, &out->shape.deciles[d],
                          &out->shape.deciles_exact[d]);
    }
    ok = ok && bounded_histogram(s, cells, n, out);
cleanup:
    free(lo);
    free(hi);
    return ok;
}

bool
summary_shape_compute(const struct scheme *s, const struct shape_cell *cells, size_t n,
                      const struct shape_sums *loss, const struct shape_sums *hours,
                      int64_t affected_count, const struct summary_tiebreak *tb,
                      struct summary_money *out)
{
    struct claim_group *g = xcalloc(n + 1, sizeof *g);
    bool exact = true, ok = false;
    i128 l, h;

    shape_cells_as_groups(cells, n, g, &exact);
    if (!summary_compute(s, g, n, affected_count, exact ? tb : NULL, out))
        goto cleanup;
    if (exact) { /* every value known: summary_compute's figures are the claims' own */
        ok = true;
        goto cleanup;
    }
    if (!capped_sum(loss, shape_loss_cap(s), &l) || !capped_sum(hours, shape_hours_cap(s), &h))
        goto cleanup;
    out->documented_loss = l;
    out->time_spent = h * s->hourly_rate; /* ≤ 1000 × 10^12 per claim: far inside 2^127 */
    ok = summary_finish_totals(s, affected_count, out) &&
         bounded_distribution(s, cells, n, out);
cleanup:
    free(g);
    return ok;
}
