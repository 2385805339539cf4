/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An incomplete last UTF-8 character dropped (see utf8_cut.h). */
#include "core/utf8_cut.h"

void
utf8_cut_incomplete(char *s, size_t len)
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
