/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Validation error list (see errors.h). */
#include "core/errors.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8_cut.h"

void
errors_add(struct errors *e, const char *field, const char *code, const char *message)
{
    if (e->n >= ERRORS_MAX)
        return;
    struct field_error *fe = &e->items[e->n++];
    snprintf(fe->field, sizeof fe->field, "%s", field);
    /* cut at ERRORS_FIELD_MAX, here or by the caller's own buffer (jf_path): a member named
     * "é" × 100 left half a character, the problem could not be built and the client was
     * told 503, retry */
    utf8_cut_incomplete(fe->field, strlen(fe->field));
    fe->code = code;
    fe->message = message;
}
