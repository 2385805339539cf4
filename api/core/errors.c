/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Validation error list (see errors.h). */
#include "core/errors.h"

#include <stdio.h>

void
errors_add(struct errors *e, const char *field, const char *code, const char *message)
{
    if (e->n >= ERRORS_MAX)
        return;
    struct field_error *fe = &e->items[e->n++];
    snprintf(fe->field, sizeof fe->field, "%s", field);
    fe->code = code;
    fe->message = message;
}
