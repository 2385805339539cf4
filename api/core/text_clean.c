/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/text_clean.h"

#include <string.h>

bool
text_is_clean(const char *s, const char *allowed_ctrl, size_t *chars_out)
{
    size_t chars = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) != 0x80)
            chars++;
        if (*p < 0x20 || *p == 0x7f) {
            if (allowed_ctrl == NULL || strchr(allowed_ctrl, *p) == NULL)
                return false;
        }
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return false;
    }
    *chars_out = chars;
    return true;
}

size_t
text_unify_line_breaks(char *s, size_t len)
{
    size_t out = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[out++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            s[out++] = s[i];
        }
    }
    s[out] = '\0';
    return out;
}
