/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Preset schemes. Amounts in minor units: KRW has none (exponent 0), USD cents. */
#include "domain/presets.h"

#include <string.h>

/* In id order: GET /v1/schemes/presets pages by id. */
const struct preset presets[] = {
    {
        .id = "coupang-2025",
        .name = "Coupang 2025: 50,000 KRW per customer in four vouchers",
        .source = "Coupang's 2025 breach of 33.7 million customer accounts; compensation "
                  "announced as purchase vouchers worth 50,000 KRW per customer: Coupang "
                  "5,000, Coupang Eats 5,000, Coupang Travel 20,000 and R.LUX 20,000. No cash "
                  "alternative, no documented-loss or time reimbursement, no fund cap.",
        .affected_count = 33700000,
        .scheme =
            {
                .currency = "KRW",
                .base_amount = 50000,
                .vouchers = {{"Coupang", 5000},
                             {"Coupang Eats", 5000},
                             {"Coupang Travel", 20000},
                             {"R.LUX", 20000}},
                .n_vouchers = 4,
            },
    },
    {
        .id = "equifax-2019",
        .name = "Equifax 2019-style settlement: losses, time and a shared fund",
        .source = "Modelled on the 2019 Equifax data breach settlement (147 million people "
                  "in the United States): documented out-of-pocket losses reimbursed up to "
                  "USD 20,000, time spent paid USD 25 an hour up to 20 hours, an alternative "
                  "cash payment of USD 125, all paid from a capped consumer fund (USD 380.5 "
                  "million) shared pro rata when claims exceed it.",
        .affected_count = 147000000,
        .scheme =
            {
                .currency = "USD",
                .base_amount = 12500,
                .reimburse = true,
                .loss_cap = 2000000,
                .hourly_rate = 2500,
                .max_hours = 20,
                .has_fund_cap = true,
                .fund_cap = INT64_C(38050000000),
            },
    },
};

const size_t n_presets = sizeof presets / sizeof presets[0];

const struct preset *
preset_find(const char *id)
{
    for (size_t i = 0; i < n_presets; i++)
        if (strcmp(presets[i].id, id) == 0)
            return &presets[i];
    return NULL;
}
