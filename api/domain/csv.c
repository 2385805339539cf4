/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* CSV cell encoding (see csv.h). */
#include "domain/csv.h"

#include <string.h>

bool
csv_is_formula_like(const char *v)
{
    return v != NULL && v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
}

bool
csv_needs_quotes(const char *v, char sep)
{
    if (v == NULL)
        return false;
    for (const char *p = v; *p != '\0'; p++)
        if (*p == sep || *p == '"' || *p == '\r' || *p == '\n')
            return true;
    return false;
}

void
csv_append_cell(struct strbuf *out, const char *v, char sep)
{
    if (v == NULL)
        return;
    /* most cells need no quotes: found in one scan, appended at once */
    const char specials[] = {sep, '"', '\r', '\n', '\0'};
    size_t plain = strcspn(v, specials);
    if (v[plain] == '\0') {
        if (csv_is_formula_like(v))
            strbuf_append(out, "'", 1);
        strbuf_append(out, v, plain);
        return;
    }
    bool quoted = csv_needs_quotes(v, sep);
    if (quoted)
        strbuf_append(out, "\"", 1);
    /* inside the quotes: a formula-like cell must still start with ' once a spreadsheet has
     * removed them */
    if (csv_is_formula_like(v))
        strbuf_append(out, "'", 1);
    const char *run = v;
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '"') {
            strbuf_append(out, run, (size_t)(p - run) + 1);
            strbuf_append(out, "\"", 1);
            run = p + 1;
        }
    }
    strbuf_puts(out, run);
    if (quoted)
        strbuf_append(out, "\"", 1);
}

void
csv_append_row(struct strbuf *out, const char *const *cells, size_t n, char sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strbuf_append(out, &sep, 1);
        csv_append_cell(out, cells[i], sep);
    }
    strbuf_append(out, "\r\n", 2);
}
