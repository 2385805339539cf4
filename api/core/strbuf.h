/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A growable byte buffer, always NUL-terminated, for building bodies and log lines. */
#ifndef RECOURS_CORE_STRBUF_H
#define RECOURS_CORE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
};

void strbuf_append(struct strbuf *sb, const void *bytes, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* v in decimal ("%" PRId64 without printf) at the end of out: where its digits start. */
#define STRBUF_DECIMAL_SIZE 24
const char *strbuf_decimal(int64_t v, char out[STRBUF_DECIMAL_SIZE]);

/* Appends v in decimal. */
void strbuf_int(struct strbuf *sb, int64_t v);

/* Makes room for extra more bytes at once. A growth copies the bytes to a larger block and
 * wipes the old one before freeing it, so no copy of personal data is left behind. */
void strbuf_reserve(struct strbuf *sb, size_t extra);

/* Appends s as a JSON string literal (quotes included), escaping what RFC 8259 requires. */
void strbuf_json_string(struct strbuf *sb, const char *s);

/* The same literal's length, and the literal written at out (room for that length): for a
 * text sized exactly before it is written (domain/pii_doc_write.c). Returns the end. */
size_t json_literal_len(const char *s);
char *json_literal_put(char *out, const char *s);

/* Returns the contents ("" if empty) and leaves sb empty; the caller frees the result. */
char *strbuf_take(struct strbuf *sb);

/* Wipes (the buffer may have held personal data) and frees; accepts an empty buffer. */
void strbuf_free(struct strbuf *sb);

#endif
