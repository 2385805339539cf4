/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Growable buffer: doubling growth, NUL kept after the last byte so data is a C string. */
#include "core/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void
strbuf_reserve(struct strbuf *sb, size_t extra)
{
    if (extra > SIZE_MAX - 1 - sb->len)
        abort(); /* size overflow: a bug, never client-driven past our limits (as arena.c) */
    size_t need = sb->len + extra + 1;

    if (need <= sb->cap)
        return;
    size_t cap = sb->cap == 0 ? 64 : sb->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    /* not realloc: it may move the bytes and free the old block as it is, and a buffer often
     * holds personal data (a request's body, a message being composed); the old block is wiped
     * as strbuf_free wipes */
    char *grown = xmalloc(cap);
    if (sb->data != NULL) {
        memcpy(grown, sb->data, sb->len + 1);
        explicit_bzero(sb->data, sb->cap);
        free(sb->data);
    }
    sb->data = grown;
    sb->cap = cap;
}

void
strbuf_append(struct strbuf *sb, const void *bytes, size_t n)
{
    strbuf_reserve(sb, n);
    memcpy(sb->data + sb->len, bytes, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void
strbuf_puts(struct strbuf *sb, const char *s)
{
    strbuf_append(sb, s, strlen(s));
}

void
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_list ap2;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        strbuf_reserve(sb, (size_t)n);
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
}

const char *
strbuf_decimal(int64_t v, char out[STRBUF_DECIMAL_SIZE])
{
    char *p = out + STRBUF_DECIMAL_SIZE - 1;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        *--p = '-';
    return p;
}

void
strbuf_int(struct strbuf *sb, int64_t v)
{
    char digits[STRBUF_DECIMAL_SIZE];

    strbuf_puts(sb, strbuf_decimal(v, digits));
}

/* What RFC 8259 requires escaped: the quote, the backslash and the control characters. */
static bool
json_needs_escape(unsigned char ch)
{
    return ch < 0x20 || ch == '"' || ch == '\\';
}

size_t
json_literal_len(const char *s)
{
    size_t n = 2;

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        n += !json_needs_escape(*p) ? 1 : *p == '"' || *p == '\\' ? 2 : 6;
    return n;
}

char *
json_literal_put(char *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";

    *out++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (!json_needs_escape(*p)) {
            *out++ = (char)*p;
        } else if (*p == '"' || *p == '\\') {
            *out++ = '\\';
            *out++ = (char)*p;
        } else {
            memcpy(out, "\\u00", 4);
            out[4] = hex[*p >> 4];
            out[5] = hex[*p & 15];
            out += 6;
        }
    }
    *out++ = '"';
    return out;
}

void
strbuf_json_string(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    strbuf_append(sb, "\"", 1);
    for (;;) {
        /* the run that needs no escape, appended at once (an export's cells: one pass, no
         * count first) */
        const unsigned char *run = p;
        while (!json_needs_escape(*p)) /* NUL too: below 0x20 */
            p++;
        if (p > run)
            strbuf_append(sb, run, (size_t)(p - run));
        if (*p == '\0')
            break;
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            strbuf_append(sb, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            strbuf_append(sb, esc, 6);
        }
        p++;
    }
    strbuf_append(sb, "\"", 1);
}

char *
strbuf_take(struct strbuf *sb)
{
    char *s = sb->data != NULL ? sb->data : xstrdup("");

    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void
strbuf_free(struct strbuf *sb)
{
    if (sb->data != NULL) {
        /* explicit_bzero: the compiler may not drop it before free */
        explicit_bzero(sb->data, sb->cap);
        free(sb->data);
    }
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
