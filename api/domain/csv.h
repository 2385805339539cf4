/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* CSV cells and rows (RFC 4180) for files opened in spreadsheets (docs/product.md §7,
 * docs/api.md §12.2). Invariants: a text cell a spreadsheet would read as a formula (starts with
 * = + - @ TAB or CR: OWASP "CSV injection") or as a number or date that it shows otherwise than
 * sent (01000, 1e5, 12/03, 2024-01, a 12-digit code; not 75001 nor 1985-03-07) or as a boolean
 * (True, Faux) is written with a leading ', so that the spreadsheet keeps it as text
 * (docs/decisions.md, "The export in a spreadsheet"); a cell holding the separator, a double
 * quote, CR or LF is quoted with inner quotes doubled; rows end with CRLF. Bytes are copied as
 * they are (UTF-8 in, UTF-8 out). */
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

/* Digits a spreadsheet shows as sent when it reads them as a number: Excel's General format
 * writes a 12-digit number as 1.23457E+11. */
#define CSV_PLAIN_DIGITS_MAX 11

/* Whether v (NUL-terminated) is a text a spreadsheet would read as a number or a date and
 * show otherwise: digits with a leading 0 (01000) or more than CSV_PLAIN_DIGITS_MAX of them,
 * or a digit followed by digits and . , / : - space e E only; not a date YYYY-MM-DD (read as
 * that date). "75001", "1985-03-07" and "12 rue" are not. */
bool csv_is_number_like(const char *v);

/* Whether v (NUL-terminated) is a word a spreadsheet reads as a boolean and shows otherwise:
 * true or false (English), vrai or faux (French), in any case of ASCII letters: a family name
 * "Faux" became the boolean FAUX in a French LibreOffice. */
bool csv_is_boolean_like(const char *v);

/* Whether csv_append_cell writes v with a leading ': formula-like, number-like or
 * boolean-like. */
bool csv_needs_mark(const char *v);

/* Whether v, once neutralised, must be quoted for separator sep: it holds sep, '"', CR or LF. */
bool csv_needs_quotes(const char *v, char sep);

/* Appends v as one text cell: marked when csv_needs_mark, then quoted when needed. NULL (absent) is
 * an empty cell. No separator is written. */
void csv_append_cell(struct strbuf *out, const char *v, char sep);

/* Appends n cells (NULL ones empty) separated by sep, then CRLF. */
void csv_append_row(struct strbuf *out, const char *const *cells, size_t n, char sep);

#endif
