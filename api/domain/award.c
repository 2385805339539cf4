/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Award of one claim before the fund cap (see award.h). Overflow-checked throughout, so an
 * unvalidated scheme yields false rather than a wrapped figure. */
#include "domain/award.h"

#include <string.h>

#include "domain/money.h"

bool
award_base(const struct scheme *s, bool cash, int64_t *out)
{
    if (cash && s->n_vouchers > 0 && s->has_cash_ratio)
        return money_muldiv(s->base_amount, s->cash_ratio_bp, MONEY_BP_ONE, out, NULL);
    *out = s->base_amount;
    return true;
}

bool
award_compute(const struct scheme *s, category_set categories, int64_t documented_loss,
              int64_t hours_spent, bool cash, struct award_parts *out)
{
    int64_t total;

    if (documented_loss < 0 || hours_spent < 0)
        return false;
    memset(out, 0, sizeof *out);
    if (!award_base(s, cash, &out->base) || out->base < 0)
        return false;
    total = out->base;
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if (!(categories & (1u << i)) || !s->has_supplement[i])
            continue;
        out->supplements[i] = s->supplement[i];
        if (out->supplements[i] < 0 || !money_add(total, out->supplements[i], &total))
            return false;
    }
    if (s->reimburse)
        out->loss = documented_loss < s->loss_cap ? documented_loss : s->loss_cap;
    int64_t hours = hours_spent < s->max_hours ? hours_spent : s->max_hours;
    if (!money_mul(hours, s->hourly_rate, &out->time))
        return false;
    /* A negative part can only come from an unvalidated scheme: refuse it rather than pay it. */
    if (out->loss < 0 || out->time < 0)
        return false;
    if (!money_add(total, out->loss, &total) || !money_add(total, out->time, &total))
        return false;
    out->total = total;
    return true;
}
