/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A strict reader of application/x-www-form-urlencoded bodies (the HTML forms of the pages
 * that work without JavaScript, docs/web-forms.md). Browsers write these bodies one way:
 * pairs joined by '&', name and value joined by '=', '+' for a space, %XX for any other byte
 * of the UTF-8 text. Anything else is refused rather than guessed at: a pair without '=', an
 * empty pair ("a=1&&b=2", a trailing '&'), an empty name, a malformed escape, a NUL byte or
 * bad UTF-8 once decoded, more pairs than the caller allows. libc only, so that it is
 * unit-tested and fuzzed alone (tests/unit/test_urlencoded.c, tests/fuzz/fuzz_urlencoded.c). */
#ifndef RECOURS_CORE_URLENCODED_H
#define RECOURS_CORE_URLENCODED_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct form_pair {
    const char *name;  /* decoded, NUL-terminated, valid UTF-8, non-empty */
    const char *value; /* decoded, NUL-terminated, valid UTF-8, may be empty */
};

/* The pairs of one body, in the order sent. Names may repeat (a group of checkboxes). */
struct form {
    struct form_pair *pairs;
    size_t n;
};

/* Decodes body[0..len) into *out, every string in the arena a. Returns false (and leaves *out
 * empty) on any departure from the format above or when the body has more than max_pairs
 * pairs. An empty body is a form without pairs. */
bool urlencoded_parse(const char *body, size_t len, size_t max_pairs, struct arena *a,
                      struct form *out);

/* How many pairs are named name. */
size_t form_count(const struct form *f, const char *name);

/* The value of the only pair named name; NULL when there is none. *repeated_out (may be NULL)
 * is set when the name appears more than once (the first value is returned). */
const char *form_get(const struct form *f, const char *name, bool *repeated_out);

/* The value of a hex digit of either case (a %XX escape's), -1 for any other character. */
int hex_digit_value(char c);

/* Whether s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
bool utf8_is_valid(const char *s, size_t n);

#endif
