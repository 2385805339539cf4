/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Vocabularies of API.md §3, in their canonical order. */
#include "domain/vocab.h"

#include <string.h>

const char *const data_categories[DATA_CATEGORY_COUNT + 1] = {
    "name",     "email",     "phone",       "postal_address", "birth_date", "password",
    "financial", "national_id", "health",   "order_history",  "location",   "biometric",
    NULL,
};

const char *const incident_statuses[] = {"open", "closed", NULL};
const char *const claim_statuses[] = {"received", "verified", "rejected", "withdrawn", NULL};
const char *const payment_preferences[] = {"voucher", "cash", NULL};
const char *const legal_bases[] = {"gdpr-art80-1", "fr-lil-art37", "eu-directive-2020-1828",
                                   NULL};

int
data_category_index(const char *name)
{
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (strcmp(data_categories[i], name) == 0)
            return i;
    return -1;
}
