/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Deciles and histogram of an award distribution (award_shape.h). */
#include "domain/award_shape.h"

#include <string.h>

void
award_decile_ranks(int64_t e, int k, int64_t *lo_out, int64_t *hi_out)
{
    /* (e − 1) × k may exceed 64 bits only beyond 10^18 claims: 128 bits all the same */
    __int128 x10 = (__int128)(e - 1) * k;

    *lo_out = (int64_t)(x10 / 10);
    *hi_out = (int64_t)((x10 + 9) / 10);
}

/* The values at ranks[0..n) (0-based, ascending) of c, in one walk. */
static void
values_at(const struct award_count *c, size_t nc, const int64_t *ranks, size_t n,
          int64_t *values)
{
    int64_t below = 0; /* claims before c[i] */
    size_t i = 0;

    for (size_t r = 0; r < n; r++) {
        while (i + 1 < nc && ranks[r] >= below + c[i].n)
            below += c[i++].n;
        values[r] = nc > 0 ? c[i].value : 0;
    }
}

size_t
award_shape_bin_of(const struct award_shape *s, int64_t value)
{
    size_t i = (size_t)((value - s->bins[0].lower) / s->bin_width);

    return i < s->n_bins ? i : s->n_bins - 1;
}

void
award_shape_fill(const struct award_count *c, size_t nc, int64_t e, struct award_shape *out)
{
    memset(out, 0, sizeof *out);
    out->histogram_exact = true;
    for (int k = 0; k < AWARD_DECILES; k++)
        out->deciles_exact[k] = true;
    if (e <= 0)
        return;
    /* the lower ranks with the minimum's, the upper ones with the maximum's: each list
     * ascends with k */
    int64_t lo[AWARD_DECILES + 1], hi[AWARD_DECILES + 1];
    int64_t vlo[AWARD_DECILES + 1], vhi[AWARD_DECILES + 1];
    lo[0] = 0;
    for (int k = 0; k < AWARD_DECILES; k++)
        award_decile_ranks(e, k + 1, &lo[k + 1], &hi[k]);
    hi[AWARD_DECILES] = e - 1;
    values_at(c, nc, lo, AWARD_DECILES + 1, vlo);
    values_at(c, nc, hi, AWARD_DECILES + 1, vhi);
    for (int k = 0; k < AWARD_DECILES; k++)
        out->deciles[k] = (int64_t)(((__int128)vlo[k + 1] + vhi[k]) / 2);
    int64_t min = vlo[0], max = vhi[AWARD_DECILES];
    int64_t d = max - min; /* awards are ≥ 0: no overflow */
    out->bin_width = d / AWARD_HISTOGRAM_BINS + 1; /* ceil((d + 1) / 10) */
    out->n_bins = (size_t)(d / out->bin_width) + 1;
    for (size_t i = 0; i < out->n_bins; i++) {
        int64_t lower = min + (int64_t)i * out->bin_width; /* i × w ≤ d */
        out->bins[i].lower = lower;
        out->bins[i].upper = max - lower < out->bin_width ? max : lower + out->bin_width - 1;
    }
    for (size_t i = 0; i < nc; i++)
        if (c[i].n > 0)
            out->bins[award_shape_bin_of(out, c[i].value)].n += c[i].n;
}
