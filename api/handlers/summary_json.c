/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Summary rendering. Money fields are null without a scheme; ratios are 6-decimal strings. */
#include "handlers/summary_json.h"

#include <string.h>
#include <sys/time.h>

#include "core/clock.h"
#include "domain/money.h"
#include "domain/vocab.h"
#include "http/json_build.h"

json_t *
money_json(money_wide v)
{
    char digits[MONEY_WIDE_LEN];

    if (v >= -MONEY_JSON_EXACT_MAX && v <= MONEY_JSON_EXACT_MAX)
        return json_integer((json_int_t)v);
    money_wide_format(v, digits);
    return json_string(digits);
}

static json_t *
money_or_null(bool has, money_wide v)
{
    return has ? money_json(v) : json_null();
}

static json_t *
projection(const struct scheme *s, const struct summary_view *v, int64_t affected)
{
    bool m = v->has_money;

    return json_pack("{s:I, s:o, s:o}", "claimants", (json_int_t)affected, "total_before_cap",
                     money_or_null(m, v->money.projection_before_cap), "total_after_cap",
                     money_or_null(m && s != NULL, v->money.projection_after_cap));
}

static json_t *
take_up(const struct summary_view *v, int64_t affected)
{
    char ratio[MONEY_RATIO_LEN];

    if (affected <= 0)
        return json_null();
    ratio_format(v->eligible, affected, ratio);
    return json_string(ratio);
}

static json_t *
components(const struct scheme *s, const struct summary_view *v)
{
    struct json_build b = {0};
    json_t *sup = json_object();

    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (s->has_supplement[i])
            jb_set(&b, sup, data_categories[i], money_json(v->money.supplements[i]));
    return json_pack("{s:o, s:o, s:o, s:o}", "base", money_json(v->money.base), "supplements",
                     jb_result(&b, sup), "documented_loss", money_json(v->money.documented_loss),
                     "time_spent", money_json(v->money.time_spent));
}

/* p10 … p90 and the histogram's bins (domain/award_shape.h); empty without an award. NULL
 * when memory runs out. */
static json_t *
award_shape_json(const struct award_shape *s, int64_t eligible)
{
    json_t *deciles = json_array(), *bins = json_array();
    bool ok = deciles != NULL && bins != NULL;

    for (int k = 0; ok && eligible > 0 && k < AWARD_DECILES; k++)
        ok = json_array_append_new(deciles, json_pack("{s:i, s:I, s:b}", "percentile",
                                                      10 * (k + 1), "award",
                                                      (json_int_t)s->deciles[k], "exact",
                                                      s->deciles_exact[k])) == 0;
    for (size_t i = 0; ok && i < s->n_bins; i++)
        ok = json_array_append_new(bins, json_pack("{s:I, s:I, s:I}", "from",
                                                   (json_int_t)s->bins[i].lower, "to",
                                                   (json_int_t)s->bins[i].upper, "claims",
                                                   (json_int_t)s->bins[i].n)) == 0;
    if (!ok) {
        json_decref(deciles);
        json_decref(bins);
        return NULL;
    }
    return json_pack("{s:o, s:{s:o, s:b}}", "deciles", deciles, "histogram", "bins", bins,
                     "exact", eligible == 0 || s->histogram_exact);
}

static json_t *
award_stats(const struct summary_view *v)
{
    json_t *doc;

    if (v->eligible == 0)
        doc = json_pack("{s:n, s:n, s:n, s:n, s:b}", "mean", "median", "min", "max",
                        "median_exact", 1);
    else
        doc = json_pack("{s:I, s:I, s:I, s:I, s:b}", "mean", (json_int_t)v->money.mean, "median",
                        (json_int_t)v->money.median, "min", (json_int_t)v->money.min, "max",
                        (json_int_t)v->money.max, "median_exact", v->money.median_exact);
    if (doc == NULL || json_object_update_new(doc, award_shape_json(&v->money.shape,
                                                                    v->eligible)) != 0) {
        json_decref(doc); /* a summary without its award_stats must not go out as whole */
        return NULL;
    }
    return doc;
}

static json_t *
vouchers(const struct scheme *s, const struct summary_view *v)
{
    struct json_build b = {0};
    json_t *list = json_array();

    for (size_t i = 0; s != NULL && i < s->n_vouchers; i++)
        jb_append(&b, list, json_pack("{s:s, s:I, s:I, s:o}", "name", s->vouchers[i].name,
                                      "amount", (json_int_t)s->vouchers[i].amount, "count",
                                      (json_int_t)v->money.vouchers[i].count, "total",
                                      money_json(v->money.vouchers[i].total)));
    return jb_result(&b, list);
}

static json_t *
counts_by(const struct summary_view *v, bool countries)
{
    struct json_build b = {0};
    json_t *o = json_object();

    if (countries) {
        for (int i = 0; i < v->n_countries; i++)
            if (v->by_country[i].n > 0)
                jb_set(&b, o, v->by_country[i].country, json_integer(v->by_country[i].n));
        return jb_result(&b, o);
    }
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (v->by_category[i] > 0)
            jb_set(&b, o, data_categories[i], json_integer(v->by_category[i]));
    return jb_result(&b, o);
}

const char *
summary_basis_name(bool verified_only, bool matched_only)
{
    static const char *const names[2][2] = {{"all", "matched"}, {"verified", "matched_verified"}};

    return names[verified_only][matched_only];
}

json_t *
summary_json(const struct summary_head *h, const struct scheme *s, const struct summary_view *v)
{
    struct timeval tv;
    char now[40];
    bool m = v->has_money;
    struct json_build b = {0};
    json_t *doc = json_object();

    gettimeofday(&tv, NULL);
    clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, now, sizeof now);
    jb_set(&b, doc, "incident", json_string(h->incident));
    jb_set(&b, doc, "action_id", h->action_id != NULL ? json_string(h->action_id) : json_null());
    jb_set(&b, doc, "view", json_string(h->full ? "full" : "public"));
    if (h->full)
        jb_set(&b, doc, "simulated", json_boolean(h->simulated));
    jb_set(&b, doc, "basis", json_string(summary_basis_name(h->verified_only, h->matched_only)));
    jb_set(&b, doc, "scheme_version",
           h->scheme_version > 0 ? json_integer(h->scheme_version) : json_null());
    jb_set(&b, doc, "currency", json_string(h->currency));
    jb_set(&b, doc, "computed_at", json_string(now));
    jb_set(&b, doc, "affected_count", json_integer(h->affected_count));
    if (h->full) {
        jb_set(&b, doc, "claims_by_status",
               json_pack("{s:I, s:I, s:I, s:I}", "received", (json_int_t)v->by_status[0],
                         "verified", (json_int_t)v->by_status[1], "rejected",
                         (json_int_t)v->by_status[2], "withdrawn", (json_int_t)v->by_status[3]));
        jb_set(&b, doc, "duplicate_attempts", json_integer(v->duplicate_attempts));
    }
    jb_set(&b, doc, "eligible", json_integer(v->eligible));
    if (h->full)
        jb_set(&b, doc, "components", m ? components(s, v) : json_null());
    jb_set(&b, doc, "total_before_cap", money_or_null(m, v->money.total_before_cap));
    jb_set(&b, doc, "fund_cap", money_or_null(m && s->has_fund_cap, s != NULL ? s->fund_cap : 0));
    jb_set(&b, doc, "total_after_cap", money_or_null(m, v->money.total_after_cap));
    jb_set(&b, doc, "pro_rata_factor", m ? json_string(v->money.pro_rata_factor) : json_null());
    if (h->full) {
        jb_set(&b, doc, "award_stats", m ? award_stats(v) : json_null());
        jb_set(&b, doc, "vouchers", m ? vouchers(s, v) : json_array());
        jb_set(&b, doc, "by_payment_preference",
               json_pack("{s:I, s:I}", "voucher", (json_int_t)v->by_payment[0], "cash",
                         (json_int_t)v->by_payment[1]));
    }
    jb_set(&b, doc, "take_up_rate", take_up(v, h->affected_count));
    jb_set(&b, doc, "projection_if_all_claimed", projection(s, v, h->affected_count));
    if (h->full) {
        jb_set(&b, doc, "by_country", counts_by(v, true));
        jb_set(&b, doc, "by_category", counts_by(v, false));
    }
    return jb_result(&b, doc);
}
