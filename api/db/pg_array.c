/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Array literal builder. Elements are always double-quoted with `"` and `\` escaped, so any
 * text is safe; bytea goes as "\\x<hex>" (the array parser eats one backslash). */
#include "db/pg_array.h"

#include <string.h>

static void
separator(struct pg_array *a)
{
    strbuf_append(&a->sb, a->n == 0 ? "{" : ",", 1);
    a->n++;
}

void
pg_array_null(struct pg_array *a)
{
    separator(a);
    strbuf_puts(&a->sb, "NULL");
}

void
pg_array_text(struct pg_array *a, const char *s)
{
    if (s == NULL) {
        pg_array_null(a);
        return;
    }
    separator(a);
    strbuf_append(&a->sb, "\"", 1);
    for (const char *p = s;;) {
        size_t run = strcspn(p, "\"\\"); /* appended at once: a claim's arrays are large */
        strbuf_append(&a->sb, p, run);
        p += run;
        if (*p == '\0')
            break;
        char esc[2] = {'\\', *p++};
        strbuf_append(&a->sb, esc, 2);
    }
    strbuf_append(&a->sb, "\"", 1);
}

void
pg_array_bytea(struct pg_array *a, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char hex[256];

    if (b == NULL) {
        pg_array_null(a);
        return;
    }
    separator(a);
    strbuf_puts(&a->sb, "\"\\\\x");
    while (n > 0) { /* a sealed box of personal data is hundreds of bytes: by slices */
        size_t k = n < sizeof hex / 2 ? n : sizeof hex / 2;
        for (size_t i = 0; i < k; i++) {
            hex[2 * i] = digits[b[i] >> 4];
            hex[2 * i + 1] = digits[b[i] & 15];
        }
        strbuf_append(&a->sb, hex, 2 * k);
        b += k;
        n -= k;
    }
    strbuf_append(&a->sb, "\"", 1);
}

void
pg_array_int(struct pg_array *a, int64_t v)
{
    separator(a);
    strbuf_int(&a->sb, v);
}

void
pg_array_bool(struct pg_array *a, bool v)
{
    separator(a);
    strbuf_puts(&a->sb, v ? "t" : "f");
}

const char *
pg_array_finish(struct pg_array *a)
{
    if (a->n == 0)
        strbuf_puts(&a->sb, "{}");
    else
        strbuf_append(&a->sb, "}", 1);
    return a->sb.data;
}

void
pg_array_free(struct pg_array *a)
{
    strbuf_free(&a->sb);
    a->n = 0;
}

void
pg_array_finish_all(struct pg_array *cols, int n, const char **params)
{
    for (int i = 0; i < n; i++)
        params[i] = pg_array_finish(&cols[i]);
}

void
pg_array_free_all(struct pg_array *cols, int n)
{
    for (int i = 0; i < n; i++)
        pg_array_free(&cols[i]);
}
