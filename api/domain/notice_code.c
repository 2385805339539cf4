/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "domain/notice_code.h"

#include <stddef.h>

bool
normalize_notice_code(const char *in, char out[NOTICE_CODE_MAX + 1])
{
    size_t n = 0;

    out[0] = '\0';
    for (const char *p = in; *p != '\0'; p++) {
        char ch = *p;
        if (ch == ' ' || ch == '-')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) || n == NOTICE_CODE_MAX) {
            out[0] = '\0';
            return false;
        }
        out[n++] = ch;
    }
    if (n < NOTICE_CODE_MIN) {
        out[0] = '\0';
        return false;
    }
    out[n] = '\0';
    return true;
}
