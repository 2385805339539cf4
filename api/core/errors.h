/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Validation errors collected, not thrown: validators append {field, code, message} and go
 * on, so a client gets every error of a request at once (docs/api.md §5.2). */
#ifndef RECOURS_CORE_ERRORS_H
#define RECOURS_CORE_ERRORS_H

#include <stdbool.h>

#define ERRORS_MAX 64
#define ERRORS_FIELD_MAX 96

struct field_error {
    char field[ERRORS_FIELD_MAX]; /* dotted path with [i]: claimant.address.country */
    const char *code;             /* static: "required", "invalid-format", ... */
    const char *message;          /* static, no personal data */
};

struct errors {
    struct field_error items[ERRORS_MAX];
    int n;
};

/* Appends one error; past ERRORS_MAX further errors are dropped (the client fixes and
 * retries). A field longer than ERRORS_FIELD_MAX - 1 bytes is cut on a character's boundary. */
void errors_add(struct errors *e, const char *field, const char *code, const char *message);

static inline bool
errors_any(const struct errors *e)
{
    return e->n > 0;
}

#endif
