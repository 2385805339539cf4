/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See multipart.h. The content of a part is scanned for the delimiter "\r\n--<boundary>"
 * byte by byte with one match index: a boundary holds no CR (RFC 2046 bchars), so after a
 * mismatch the only prefix that can start again is a CR; the bytes of a partial match are the
 * delimiter's own and need no buffer. */
#include "http/multipart.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

enum state {
    ST_PREAMBLE,   /* before the first delimiter: bytes discarded */
    ST_AFTER,      /* after a delimiter: "--" ends the body, CRLF starts a part */
    ST_AFTER_DASH, /* one '-' read */
    ST_AFTER_CR,   /* CR read, LF expected */
    ST_HEADERS,    /* a part's header block, up to the empty line */
    ST_CONTENT,    /* a part's content */
    ST_DONE,       /* the final delimiter was read: the epilogue is ignored */
    ST_FAILED,
};

struct multipart {
    const struct multipart_handlers *h;
    void *ctx;
    enum state st;
    enum multipart_status failure;
    char delim[4 + MULTIPART_BOUNDARY_MAX + 1]; /* "\r\n--" boundary */
    size_t delim_len;
    size_t m; /* bytes of delim matched */
    char hdr[MULTIPART_HEADER_MAX + 1];
    size_t hdr_len;
};

static bool
is_bchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

/* The boundary parameter of a multipart/form-data Content-Type into out; false otherwise. */
static bool
boundary_of(const char *ct, char out[MULTIPART_BOUNDARY_MAX + 1])
{
    static const char type[] = "multipart/form-data";

    if (ct == NULL || strncasecmp(ct, type, sizeof type - 1) != 0)
        return false;
    const char *p = ct + sizeof type - 1;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        if (strncasecmp(p, "boundary=", 9) == 0) {
            p += 9;
            bool quoted = *p == '"';
            size_t n = 0;
            if (quoted)
                p++;
            while (p[n] != '\0' && (quoted ? p[n] != '"' : p[n] != ';' && p[n] != ' '))
                n++;
            if (n == 0 || n > MULTIPART_BOUNDARY_MAX || (quoted && p[n] != '"') ||
                p[n - 1] == ' ')
                return false;
            for (size_t i = 0; i < n; i++)
                if (!is_bchar(p[i]))
                    return false;
            memcpy(out, p, n);
            out[n] = '\0';
            return true;
        }
        p += strcspn(p, ";");
    }
    return false;
}

struct multipart *
multipart_new(const char *content_type, const struct multipart_handlers *h, void *ctx)
{
    char b[MULTIPART_BOUNDARY_MAX + 1];

    if (!boundary_of(content_type, b))
        return NULL;
    struct multipart *mp = xcalloc(1, sizeof *mp);
    mp->h = h;
    mp->ctx = ctx;
    mp->st = ST_PREAMBLE;
    mp->delim_len = (size_t)(strlen(b) + 4);
    memcpy(mp->delim, "\r\n--", 4);
    memcpy(mp->delim + 4, b, strlen(b) + 1);
    mp->m = 2; /* the first delimiter may open the body, without the CRLF before it */
    return mp;
}

void
multipart_free(struct multipart *mp)
{
    free(mp);
}

bool
multipart_complete(const struct multipart *mp)
{
    return mp->st == ST_DONE;
}

static enum multipart_status
fail(struct multipart *mp, enum multipart_status why)
{
    mp->st = ST_FAILED;
    mp->failure = why;
    return why;
}

/* The value of parameter key ("name", "filename") of a Content-Disposition value, copied into
 * out (browsers percent-encode '"', CR and LF in names: no escapes to undo); false if absent.
 * A value that does not fit is false too, or with cut, its head up to a UTF-8 character's
 * start: a file's name is shortened where it is kept anyway, and a long one (a sentence in
 * Korean is 3 bytes a letter) must not make the file look absent. */
static bool
disposition_param(const char *v, const char *key, char *out, size_t max, bool cut)
{
    size_t k = strlen(key);
    const char *p = strchr(v, ';');

    while (p != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, key, k) == 0 && p[k] == '=') {
            p += k + 1;
            size_t n;
            if (*p == '"') {
                p++;
                const char *end = strchr(p, '"');
                if (end == NULL)
                    return false;
                n = (size_t)(end - p);
            } else {
                n = strcspn(p, "; \t");
            }
            if (n >= max && !cut)
                return false;
            if (n >= max) {
                n = max - 1;
                while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
                    n--;
            }
            memcpy(out, p, n);
            out[n] = '\0';
            return true;
        }
        p = strchr(p, ';');
    }
    return false;
}

/* The header block is complete (hdr holds it, the empty line excluded): the part begins. */
static enum multipart_status
begin_part(struct multipart *mp)
{
    char name[256], filename[256];
    bool has_name = false, has_file = false;
    char *line = mp->hdr;

    mp->hdr[mp->hdr_len] = '\0';
    while (*line != '\0') {
        char *eol = strstr(line, "\r\n");
        if (eol == NULL)
            return fail(mp, MULTIPART_MALFORMED);
        *eol = '\0';
        if (strncasecmp(line, "Content-Disposition:", 20) == 0) {
            const char *v = line + 20;
            while (*v == ' ' || *v == '\t')
                v++;
            if (strncasecmp(v, "form-data", 9) != 0)
                return fail(mp, MULTIPART_MALFORMED);
            has_name = disposition_param(v, "name", name, sizeof name, false);
            has_file = disposition_param(v, "filename", filename, sizeof filename, true);
        }
        line = eol + 2;
    }
    if (!has_name)
        return fail(mp, MULTIPART_MALFORMED);
    if (!mp->h->part_begin(mp->ctx, name, has_file ? filename : NULL))
        return fail(mp, MULTIPART_STOPPED);
    mp->st = ST_CONTENT;
    mp->m = 0;
    return MULTIPART_OK;
}

/* Content bytes from data[0..n): *used gets how many were consumed (up to and including a
 * delimiter found). */
static enum multipart_status
scan_content(struct multipart *mp, const char *data, size_t n, size_t *used)
{
    bool keep = mp->st == ST_CONTENT; /* the preamble is discarded */
    size_t run = 0;                  /* data[run..i) is content not handed out yet */

    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (c == mp->delim[mp->m]) {
            if (mp->m == 0 && keep && i > run && !mp->h->part_data(mp->ctx, data + run, i - run))
                return fail(mp, MULTIPART_STOPPED);
            mp->m++;
            run = i + 1;
            if (mp->m == mp->delim_len) {
                if (keep && !mp->h->part_end(mp->ctx))
                    return fail(mp, MULTIPART_STOPPED);
                mp->st = ST_AFTER;
                mp->m = 0;
                *used = i + 1;
                return MULTIPART_OK;
            }
            continue;
        }
        if (mp->m > 0) {
            /* a partial match was content after all: its bytes are the delimiter's */
            if (keep && mp->st == ST_CONTENT && !mp->h->part_data(mp->ctx, mp->delim, mp->m))
                return fail(mp, MULTIPART_STOPPED);
            mp->m = c == '\r' ? 1 : 0;
            run = c == '\r' ? i + 1 : i;
        }
    }
    if (mp->m == 0 && keep && n > run && !mp->h->part_data(mp->ctx, data + run, n - run))
        return fail(mp, MULTIPART_STOPPED);
    *used = n;
    return MULTIPART_OK;
}

enum multipart_status
multipart_feed(struct multipart *mp, const char *data, size_t n)
{
    size_t i = 0;

    while (i < n) {
        enum multipart_status s = MULTIPART_OK;
        size_t used = 1;
        char c = data[i];
        switch (mp->st) {
        case ST_FAILED:
            return mp->failure;
        case ST_DONE:
            return MULTIPART_OK; /* the epilogue */
        case ST_PREAMBLE:
        case ST_CONTENT:
            s = scan_content(mp, data + i, n - i, &used);
            break;
        case ST_AFTER:
            if (c == '-')
                mp->st = ST_AFTER_DASH;
            else if (c == '\r')
                mp->st = ST_AFTER_CR;
            else if (c != ' ' && c != '\t') /* transport padding */
                s = fail(mp, MULTIPART_MALFORMED);
            break;
        case ST_AFTER_DASH:
            if (c != '-')
                s = fail(mp, MULTIPART_MALFORMED);
            else
                mp->st = ST_DONE;
            break;
        case ST_AFTER_CR:
            if (c != '\n') {
                s = fail(mp, MULTIPART_MALFORMED);
            } else {
                mp->st = ST_HEADERS;
                mp->hdr_len = 0;
            }
            break;
        case ST_HEADERS:
            if (mp->hdr_len == MULTIPART_HEADER_MAX) {
                s = fail(mp, MULTIPART_MALFORMED);
                break;
            }
            mp->hdr[mp->hdr_len++] = c;
            /* the block ends with an empty line: CRLF at its start, or CRLFCRLF */
            if (mp->hdr_len == 2 && memcmp(mp->hdr, "\r\n", 2) == 0) {
                mp->hdr_len = 0;
                s = begin_part(mp);
            } else if (mp->hdr_len >= 4 && memcmp(mp->hdr + mp->hdr_len - 4, "\r\n\r\n", 4) == 0) {
                mp->hdr_len -= 2; /* keep the last header's CRLF */
                s = begin_part(mp);
            }
            break;
        }
        if (s != MULTIPART_OK)
            return s;
        i += used;
    }
    return mp->st == ST_FAILED ? mp->failure : MULTIPART_OK;
}
