/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* CSV cells and rows (RFC 4180) for files opened in spreadsheets (docs/product.md §7,
 * docs/api.md §12.2). Invariants: a cell a spreadsheet would read as a formula (starts with = + -
 * @ TAB or CR) is written with a leading ' (OWASP "CSV injection"), so it shows as text; a cell
 * holding the separator, a double quote, CR or LF is quoted with inner quotes doubled; rows end
 * with CRLF. Bytes are copied as they are (UTF-8 in, UTF-8 out). */
#ifndef RECOURS_DOMAIN_CSV_H
#define RECOURS_DOMAIN_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

/* The UTF-8 byte order mark that makes spreadsheets read the file as UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"
#define CSV_BOM_LEN 3

/* Whether v (NUL-terminated) starts with = + - @ TAB or CR. NULL and "" do not. */
bool csv_is_formula_like(const char *v);

/* Whether v, once neutralised, must be quoted for separator sep: it holds sep, '"', CR or LF. */
bool csv_needs_quotes(const char *v, char sep);

/* Appends v as one cell: neutralised, then quoted when needed. NULL (absent) is an empty
 * cell. No separator is written. */
void csv_append_cell(struct strbuf *out, const char *v, char sep);

/* Appends n cells (NULL ones empty) separated by sep, then CRLF. */
void csv_append_row(struct strbuf *out, const char *const *cells, size_t n, char sep);

#endif
