/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One member of an action as counsel's file shows it (docs/api.md §12): the columns, in order, and
 * their CSV and NDJSON forms. Strings are borrowed; personal fields are plaintext here and
 * belong to the caller's (wiped) memory. */
#ifndef RECOURS_DOMAIN_EXPORT_ROW_H
#define RECOURS_DOMAIN_EXPORT_ROW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "domain/vocab.h"

#define EXPORT_COLUMN_COUNT 29

/* The column names of docs/api.md §12.3, in order (the CSV header, the NDJSON keys). */
extern const char *const export_columns[EXPORT_COLUMN_COUNT];

struct export_row {
    const char *reference;
    const char *family_name, *given_name;
    const char *birth_date; /* NULL: absent */
    const char *email;
    const char *phone;                                              /* E.164, NULL: absent */
    const char *address_line1, *address_line2, *postal_code, *city; /* line2 NULL: absent */
    const char *country;
    category_set categories;
    bool phishing, identity_theft, distress;
    const char *harm_description; /* "" when none */
    int64_t documented_loss;
    int64_t hours_spent;
    bool has_award; /* false without a scheme: empty / null */
    int64_t award;
    const char *currency;
    const char *payment_preference;
    const char *mandated_at, *mandate_text_version, *mandate_channel;
    const char *claim_status;
    const char *submitted_at;
    const char *eligibility;         /* matched | unmatched | unknown (issue 14) */
    const char *eligibility_matched; /* what matched, '|'-joined: email|phone|code */
    const char *evidence; /* the evidence files, '|'-joined "<file id>:<sha256>" (issue 14) */
};

/* The CSV header row (CRLF-ended) with separator sep: the column names, the NDJSON keys
 * (docs/api.md §12.3; docs/decisions.md "The export in a spreadsheet": why no unit in them).
 * The BOM is the caller's. */
void export_csv_header(struct strbuf *out, char sep);

/* The row as one CSV line: categories joined by '|', booleans true/false, integers as they
 * are, absent values empty, text cells marked as domain/csv.h says. */
void export_row_csv(struct strbuf *out, const struct export_row *r, char sep);

/* The row as one NDJSON line ('\n'-ended): the same keys in the same order, JSON types
 * (categories an array, booleans, integers), null for absent values, nothing neutralised. */
void export_row_ndjson(struct strbuf *out, const struct export_row *r);

#endif
