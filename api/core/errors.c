/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Validation error list (see errors.h). */
#include "core/errors.h"

#include <stdio.h>
#include <string.h>

/* The field goes into a JSON string: a path cut at ERRORS_FIELD_MAX, here or by the caller's
 * own buffer (jf_path), must not end inside a UTF-8 character (a member named "é" × 100 left
 * half a character, the problem could not be built and the client was told 503, retry).
 * Drops an incomplete last character; a path from JSON is otherwise valid UTF-8. */
static void
cut_on_character(char *s, size_t len)
{
    size_t lead = len;

    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
        lead--;
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (len - (lead - 1) < need)
        s[lead - 1] = '\0';
}

void
errors_add(struct errors *e, const char *field, const char *code, const char *message)
{
    if (e->n >= ERRORS_MAX)
        return;
    struct field_error *fe = &e->items[e->n++];
    snprintf(fe->field, sizeof fe->field, "%s", field);
    cut_on_character(fe->field, strlen(fe->field));
    fe->code = code;
    fe->message = message;
}
