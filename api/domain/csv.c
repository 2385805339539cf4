/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* CSV cell encoding (see csv.h). */
#include "domain/csv.h"

#include <string.h>
#include <strings.h>

bool
csv_is_formula_like(const char *v)
{
    if (v == NULL)
        return false;
    switch (v[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether v is a date YYYY-MM-DD: every spreadsheet reads it as that very date. */
static bool
is_iso_date(const char *v)
{
    static const char shape[] = "dddd-dd-dd";

    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !is_digit(v[i]) : v[i] != shape[i])
            return false;
    return v[sizeof shape - 1] == '\0';
}

/* The characters after the first digit of a text a spreadsheet reads as a number or a date:
 * 1e5, 12/03, 1-2, 2024-01, 12 345, 1,5, 10:30. A loop, not strspn: glibc's strspn builds a
 * table of the set at each call, and most cells of a row start with a digit (dates, times). */
static bool
is_number_char(char c)
{
    switch (c) {
    case '.':
    case ',':
    case '/':
    case ':':
    case '-':
    case ' ':
    case 'e':
    case 'E':
        return true;
    default:
        return is_digit(c);
    }
}

bool
csv_is_number_like(const char *v)
{
    if (v == NULL || !is_digit(v[0]))
        return false;
    const char *p = v;
    while (is_digit(*p))
        p++;
    if (*p == '\0') /* shown as sent unless a leading 0 goes or Excel writes 1.2E+11 */
        return (v[0] == '0' && p - v > 1) || p - v > CSV_PLAIN_DIGITS_MAX;
    if (is_iso_date(v))
        return false;
    for (; *p != '\0'; p++)
        if (!is_number_char(*p))
            return false;
    return true;
}

bool
csv_is_boolean_like(const char *v)
{
    static const char *const words[] = {"true", "false", "vrai", "faux"};

    if (v == NULL)
        return false;
    switch (v[0] | 0x20) { /* most texts are ruled out by their first letter */
    case 't':
    case 'f':
    case 'v':
        break;
    default:
        return false;
    }
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(v, words[i]) == 0)
            return true;
    return false;
}

bool
csv_needs_mark(const char *v)
{
    return csv_is_formula_like(v) || csv_is_number_like(v) || csv_is_boolean_like(v);
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
        if (csv_needs_mark(v))
            strbuf_append(out, "'", 1);
        strbuf_append(out, v, plain);
        return;
    }
    bool quoted = csv_needs_quotes(v, sep);
    if (quoted)
        strbuf_append(out, "\"", 1);
    /* inside the quotes: a marked cell must still start with ' once a spreadsheet has removed
     * them */
    if (csv_needs_mark(v))
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
