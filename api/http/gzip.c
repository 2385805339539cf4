/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See gzip.h. */
#include "http/gzip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/xalloc.h"

/* Bodies below this are not worth a compressor's header and CPU. */
#define GZIP_MIN_BYTES 1024

/* The q parameter of one coding ("gzip;q=0.5"): false for q=0 (0, 0.0, 0.00, 0.000). */
static bool
q_allows(const char *params, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            const char *v = params + i + 2;
            size_t left = n - i - 2;
            if (left == 0 || v[0] != '0')
                return true;
            for (size_t k = 1; k < left; k++)
                if (v[k] != '.' && v[k] != '0')
                    return true;
            return false;
        }
    }
    return true;
}

bool
http_accepts_gzip(const char *accept_encoding)
{
    for (const char *p = accept_encoding; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        size_t name = strcspn(p, ";, \t");
        if (name > n)
            name = n;
        bool gzip = (name == 4 && strncasecmp(p, "gzip", 4) == 0) ||
                    (name == 6 && strncasecmp(p, "x-gzip", 6) == 0) || (name == 1 && p[0] == '*');
        if (gzip && q_allows(p + name, n - name))
            return true;
        p += n;
    }
    return false;
}

bool
reply_gzip(struct reply *r)
{
    reply_add_header(r, "Vary", "Accept-Encoding");
    /* zlib counts in uInt: a larger body would be cut short by the casts below */
    if (r->body == NULL || r->body_len < GZIP_MIN_BYTES || r->body_len > UINT_MAX)
        return false;

    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper, not zlib's */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    uLong bound = deflateBound(&z, (uLong)r->body_len);
    unsigned char *out = bound <= UINT_MAX ? malloc(bound) : NULL;
    bool ok = false;
    if (out != NULL) {
        z.next_in = (Bytef *)r->body;
        z.avail_in = (uInt)r->body_len;
        z.next_out = out;
        z.avail_out = (uInt)bound;
        ok = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < r->body_len;
    }
    size_t n = (size_t)z.total_out;
    deflateEnd(&z);
    if (!ok) {
        free(out);
        return false;
    }
    xfree_wiped(r->body); /* the plain body: a page may hold a claimant's data */
    r->body = (char *)out;
    r->body_len = n;
    reply_add_header(r, "Content-Encoding", "gzip");
    return true;
}
