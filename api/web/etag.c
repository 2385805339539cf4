/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* FNV-1a 64 (etag.h). */
#include "web/etag.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void
web_etag(const void *bytes, size_t n, char out[WEB_ETAG_LEN])
{
    const unsigned char *p = bytes;
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    snprintf(out, WEB_ETAG_LEN, "\"%016" PRIx64 "\"", h);
}

bool
web_etag_matches(const char *if_none_match, const char *etag)
{
    size_t len = strlen(etag);

    for (const char *p = if_none_match; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        const char *tag = p;
        size_t tag_len = n;
        while (tag_len > 0 && (tag[tag_len - 1] == ' ' || tag[tag_len - 1] == '\t'))
            tag_len--;
        if (tag_len == 1 && tag[0] == '*')
            return true;
        if (tag_len > 2 && strncmp(tag, "W/", 2) == 0) {
            tag += 2;
            tag_len -= 2;
        }
        if (tag_len == len && strncmp(tag, etag, len) == 0)
            return true;
        p += n;
    }
    return false;
}
