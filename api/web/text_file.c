/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See text_file.h. */
#include "web/text_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"

char *
web_read_text_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return NULL;
    char *buf = xmalloc(max + 1);
    size_t n = fread(buf, 1, max + 1, f);
    bool bad = ferror(f) != 0 || n > max;
    fclose(f);
    if (bad) {
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}
