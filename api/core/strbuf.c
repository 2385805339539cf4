/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Growable buffer: doubling growth, NUL kept after the last byte so data is a C string. */
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static void
reserve(struct strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;

    if (need <= sb->cap)
        return;
    size_t cap = sb->cap == 0 ? 64 : sb->cap;
    while (cap < need)
        cap *= 2;
    sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
}

void
strbuf_append(struct strbuf *sb, const void *bytes, size_t n)
{
    reserve(sb, n);
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
        reserve(sb, (size_t)n);
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
}

void
strbuf_json_string(struct strbuf *sb, const char *s)
{
    strbuf_append(sb, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            strbuf_append(sb, esc, 2);
        } else if (*p < 0x20) {
            strbuf_printf(sb, "\\u%04x", *p);
        } else {
            strbuf_append(sb, p, 1);
        }
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
