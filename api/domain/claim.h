/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A claim as the rules see it (docs/api.md §9): who, what was exposed, what it caused, how to be
 * paid. Strings are borrowed (the request's arena owns them); personal fields are plaintext
 * here and never leave the process unsealed. */
#ifndef RECOURS_DOMAIN_CLAIM_H
#define RECOURS_DOMAIN_CLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/vocab.h"

struct postal_address {
    const char *line1;
    const char *line2; /* NULL when absent */
    const char *postal_code;
    const char *city;
    char country[3]; /* ISO 3166-1 alpha-2, upper case */
};

struct claimant {
    const char *given_name;  /* trimmed, NFC */
    const char *family_name; /* trimmed, NFC */
    const char *email;       /* trimmed, as given */
    const char *phone;       /* E.164, NULL when absent */
    const char *birth_date;  /* YYYY-MM-DD, NULL when absent */
    struct postal_address address;
};

struct harms {
    bool phishing;
    bool identity_theft;
    bool distress;
    int64_t documented_loss; /* minor units, 0..10^10 */
    int64_t hours_spent;     /* 0..1000 */
    const char *description; /* ≤ 4000 code points, "" when absent */
};

struct claim_input {
    struct claimant claimant;
    category_set categories;
    struct harms harms;
    const char *payment_preference;     /* voucher | cash */
    const char *privacy_notice_version;
    const char *action_id;              /* NULL: no mandate yet */
    const char *mandate_text_version;
    const char *lang;                   /* fr | en; NULL: fr */
    const char *notice_code;            /* normalised (domain/notice_code.h), NULL: none */
};

/* What a claim declares that is kept in clear beside its sealed personal fields
 * (docs/architecture.md §8), for filters, summaries and awards: the stored claim
 * (db/claims.h), the row the intake writes (db/claims_batch.h) and the member an export reads
 * (db/exports.h) each hold one, so a copy is one assignment and a new fact is added here.
 * The harms' description is not one of them: it is sealed with the personal fields. */
struct claim_facts {
    char country[3]; /* of the postal address: ISO 3166-1 alpha-2, upper case */
    category_set categories;
    bool phishing, identity_theft, distress;
    int64_t documented_loss;        /* minor units */
    int64_t hours_spent;
    const char *payment_preference; /* voucher | cash */
};

#define CLAIM_DESCRIPTION_MAX 4000
/* The largest documented loss and number of hours a claim may declare (docs/api.md §9.1); the
 * loss in minor units of the incident's currency. */
#define CLAIM_LOSS_MAX INT64_C(10000000000)
#define CLAIM_HOURS_MAX 1000

#endif
