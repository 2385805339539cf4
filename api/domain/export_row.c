/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Counsel's file, row by row (see export_row.h). Both forms walk the columns in one order,
 * taken from export_columns, so the header, the CSV cells and the NDJSON keys cannot drift. */
#include "domain/export_row.h"

#include <string.h>

#include "domain/csv.h"

const char *const export_columns[EXPORT_COLUMN_COUNT] = {
    "reference",
    "family_name",
    "given_name",
    "birth_date",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "data_categories",
    "phishing",
    "identity_theft",
    "distress",
    "harm_description",
    "documented_loss",
    "hours_spent",
    "award",
    "currency",
    "payment_preference",
    "mandated_at",
    "mandate_text_version",
    "mandate_channel",
    "claim_status",
    "submitted_at",
    "eligibility",
    "eligibility_matched",
    "evidence",
};

/* Where a column's value comes from. */
enum kind { TEXT, BOOL, INT, CATEGORIES, AWARD };

struct cell {
    enum kind kind;
    const char *text; /* TEXT (NULL: absent) */
    bool flag;        /* BOOL */
    int64_t number;   /* INT, AWARD */
};

/* The cells of r in column order. */
static void
cells_of(const struct export_row *r, struct cell *c)
{
    const char *texts[] = {r->reference,   r->family_name, r->given_name,    r->birth_date,
                           r->email,       r->phone,       r->address_line1, r->address_line2,
                           r->postal_code, r->city,        r->country};
    int i = 0;

    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        c[i++] = (struct cell){TEXT, texts[t], false, 0};
    c[i++] = (struct cell){CATEGORIES, NULL, false, 0};
    c[i++] = (struct cell){BOOL, NULL, r->phishing, 0};
    c[i++] = (struct cell){BOOL, NULL, r->identity_theft, 0};
    c[i++] = (struct cell){BOOL, NULL, r->distress, 0};
    c[i++] = (struct cell){TEXT, r->harm_description != NULL ? r->harm_description : "", false, 0};
    c[i++] = (struct cell){INT, NULL, false, r->documented_loss};
    c[i++] = (struct cell){INT, NULL, false, r->hours_spent};
    c[i++] = (struct cell){AWARD, NULL, r->has_award, r->award};
    const char *tail[] = {
        r->currency,        r->payment_preference, r->mandated_at, r->mandate_text_version,
        r->mandate_channel, r->claim_status,       r->submitted_at,
        r->eligibility,     r->eligibility_matched, r->evidence};
    for (size_t t = 0; t < sizeof tail / sizeof tail[0]; t++)
        c[i++] = (struct cell){TEXT, tail[t], false, 0};
}

void
export_csv_header(struct strbuf *out, char sep)
{
    csv_append_row(out, export_columns, EXPORT_COLUMN_COUNT, sep);
}

/* Categories of set, in vocabulary order, joined by '|' into out (room for every name). */
static void
join_categories(category_set set, char *out, size_t n)
{
    size_t len = 0;

    out[0] = '\0';
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if (!(set & (1u << i)))
            continue;
        size_t w = strlen(data_categories[i]);
        if (len + (len > 0) + w + 1 > n)
            return;
        if (len > 0)
            out[len++] = '|';
        memcpy(out + len, data_categories[i], w + 1);
        len += w;
    }
}

void
export_row_csv(struct strbuf *out, const struct export_row *r, char sep)
{
    struct cell c[EXPORT_COLUMN_COUNT];
    char cats[256];

    cells_of(r, c);
    for (int i = 0; i < EXPORT_COLUMN_COUNT; i++) {
        if (i > 0)
            strbuf_append(out, &sep, 1);
        switch (c[i].kind) {
        case TEXT:
            csv_append_cell(out, c[i].text, sep);
            break;
        case BOOL:
            strbuf_puts(out, c[i].flag ? "true" : "false");
            break;
        case CATEGORIES: /* vocabulary names: a-z and _ */
            join_categories(r->categories, cats, sizeof cats);
            strbuf_puts(out, cats);
            break;
        case AWARD:
            if (!c[i].flag)
                break;
            /* fall through */
        case INT: /* a number, never marked: the spreadsheet reads it as one */
            strbuf_int(out, c[i].number);
            break;
        }
    }
    strbuf_append(out, "\r\n", 2);
}

void
export_row_ndjson(struct strbuf *out, const struct export_row *r)
{
    struct cell c[EXPORT_COLUMN_COUNT];

    cells_of(r, c);
    strbuf_append(out, "{", 1);
    for (int i = 0; i < EXPORT_COLUMN_COUNT; i++) {
        /* the names need no escape (plain ASCII, checked by the unit test) */
        strbuf_append(out, i > 0 ? ",\"" : "\"", i > 0 ? 2 : 1);
        strbuf_puts(out, export_columns[i]);
        strbuf_append(out, "\":", 2);
        switch (c[i].kind) {
        case TEXT:
            if (c[i].text != NULL)
                strbuf_json_string(out, c[i].text);
            else
                strbuf_puts(out, "null");
            break;
        case BOOL:
            strbuf_puts(out, c[i].flag ? "true" : "false");
            break;
        case CATEGORIES:
            strbuf_append(out, "[", 1);
            for (int k = 0, n = 0; k < DATA_CATEGORY_COUNT; k++) {
                if (!(r->categories & (1u << k)))
                    continue;
                if (n++ > 0)
                    strbuf_append(out, ",", 1);
                strbuf_json_string(out, data_categories[k]);
            }
            strbuf_append(out, "]", 1);
            break;
        case AWARD:
            if (!c[i].flag) {
                strbuf_puts(out, "null");
                break;
            }
            /* fall through */
        case INT:
            strbuf_int(out, c[i].number);
            break;
        }
    }
    strbuf_append(out, "}\n", 2);
}
