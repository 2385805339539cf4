/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See text_trim.h. */
#include "core/text_trim.h"

#include <stdbool.h>
#include <string.h>

static bool
is_in(char c, const char *spaces)
{
    return c != '\0' && strchr(spaces, c) != NULL;
}

size_t
text_trim(const char **s, size_t len, const char *spaces)
{
    const char *p = *s;
    const char *end = p + len;

    while (p < end && is_in(*p, spaces))
        p++;
    while (end > p && is_in(end[-1], spaces))
        end--;
    *s = p;
    return (size_t)(end - p);
}
