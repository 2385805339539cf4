/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: the CSV writer (domain/csv). The input's first byte picks the separator
 * (',', ';' or TAB) and whether the row has absent cells; the rest, split on NUL bytes, gives
 * the cells. The row written is read back by a strict RFC 4180 reader (below), and must give:
 * exactly as many cells, each the cell as sent (absent ones empty), with a ' put in front of a
 * formula-like or number-like one (csv_needs_mark), so that no cell read back starts with
 * = + - @ TAB or CR, nor is one a spreadsheet would turn into a number; an unquoted cell
 * holds no separator, quote, CR or LF; the row ends with its one CRLF. */
#include <stdbool.h>
#include <string.h>

#include "core/strbuf.h"
#include "domain/csv.h"

#include "fuzz_input.h"

#define CELLS_MAX 64

/* Reads one RFC 4180 field of s at *at into out (a heap string) and moves *at past it. False
 * for a malformed field: a bare quote in an unquoted field, an unterminated quoted one, or
 * anything but sep or CRLF after a closing quote. */
static bool
read_field(const char *s, size_t len, size_t *at, char sep, struct strbuf *out)
{
    size_t i = *at;

    strbuf_append(out, "", 0);
    if (i < len && s[i] == '"') {
        for (i++;; i++) {
            if (i >= len)
                return false;
            if (s[i] == '"') {
                if (i + 1 < len && s[i + 1] == '"') {
                    strbuf_append(out, "\"", 1);
                    i++;
                    continue;
                }
                i++;
                break;
            }
            strbuf_append(out, s + i, 1);
        }
    } else {
        size_t start = i;
        while (i < len && s[i] != sep && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
            i++;
        strbuf_append(out, s + start, i - start);
    }
    if (i >= len || (s[i] != sep && s[i] != '\r'))
        return false;
    *at = i;
    return true;
}

/* The cell as the writer must store it: ' in front of a formula-like or number-like one. */
static void
expected_cell(const char *cell, struct strbuf *out)
{
    strbuf_append(out, "", 0);
    if (cell == NULL)
        return;
    if (csv_needs_mark(cell))
        strbuf_append(out, "'", 1);
    strbuf_puts(out, cell);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seps[] = {',', ';', '\t'};
    const char *cells[CELLS_MAX];
    char *block;
    struct strbuf row = {0};

    if (size == 0)
        return 0;
    char sep = seps[data[0] % 3];
    bool with_absent = data[0] & 0x80;
    size_t n = fuzz_split(data + 1, size - 1, cells, CELLS_MAX, &block);
    if (n > CELLS_MAX)
        n = CELLS_MAX;
    /* absent (NULL) cells: the empty ones, when the first byte says so */
    for (size_t i = 0; with_absent && i < n; i++)
        if (cells[i][0] == '\0')
            cells[i] = NULL;

    csv_append_row(&row, cells, n, sep);
    FUZZ_CHECK(row.data != NULL && row.len >= 2);
    FUZZ_CHECK(strlen(row.data) == row.len);
    FUZZ_CHECK(memcmp(row.data + row.len - 2, "\r\n", 2) == 0);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        struct strbuf got = {0};
        struct strbuf want = {0};
        bool quoted = row.data[at] == '"';

        FUZZ_CHECK(read_field(row.data, row.len, &at, sep, &got));
        expected_cell(cells[i], &want);
        FUZZ_CHECK(got.len == want.len && memcmp(got.data, want.data, got.len) == 0);
        FUZZ_CHECK(!csv_needs_mark(got.data));
        FUZZ_CHECK(quoted == csv_needs_quotes(want.data, sep));
        strbuf_free(&got);
        strbuf_free(&want);
        /* a separator after every cell but the last, then CRLF and nothing else */
        if (i + 1 < n) {
            FUZZ_CHECK(row.data[at] == sep);
            at++;
        }
    }
    FUZZ_CHECK(at == row.len - 2);
    strbuf_free(&row);
    free(block);
    return 0;
}
