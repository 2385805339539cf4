/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A growable byte buffer, always NUL-terminated, for building bodies and log lines. */
#ifndef RECOURS_CORE_STRBUF_H
#define RECOURS_CORE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
};

void strbuf_append(struct strbuf *sb, const void *bytes, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as a JSON string literal (quotes included), escaping what RFC 8259 requires. */
void strbuf_json_string(struct strbuf *sb, const char *s);

/* Returns the contents ("" if empty) and leaves sb empty; the caller frees the result. */
char *strbuf_take(struct strbuf *sb);

/* Wipes (the buffer may have held personal data) and frees; accepts an empty buffer. */
void strbuf_free(struct strbuf *sb);

#endif
