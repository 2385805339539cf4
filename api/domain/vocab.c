/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Vocabularies of docs/api.md §8.6, in their canonical order. */
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

category_set
categories_from_csv(const char *csv)
{
    category_set set = 0;
    char name[32];

    while (*csv != '\0') {
        size_t len = strcspn(csv, ",");
        if (len < sizeof name) {
            memcpy(name, csv, len);
            name[len] = '\0';
            int i = data_category_index(name);
            if (i >= 0)
                set |= 1u << i;
        }
        csv += len + (csv[len] == ',');
    }
    return set;
}

void
categories_to_csv(category_set set, char *out, size_t n)
{
    size_t used = 0;

    if (n == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if (!(set & (1u << i)))
            continue;
        size_t len = strlen(data_categories[i]);
        if (used + len + 2 > n)
            return;
        if (used > 0)
            out[used++] = ',';
        memcpy(out + used, data_categories[i], len + 1);
        used += len;
    }
}

bool
incident_slug_is_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 3 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!alnum && !(ch == '-' && i > 0 && i < n - 1))
            return false;
    }
    return true;
}
