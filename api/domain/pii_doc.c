/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The personal document read in one pass (see pii_doc.h). Each object is a fixed set of
 * keys, each seen at most once; every string is checked as JSON and UTF-8 the way the JSON
 * library checks it (RFC 8259 escapes, surrogate pairs, no \u0000, then utf8_is_valid), so that
 * what is declined here is what the library would refuse or what this reader does not know. */
#include "domain/pii_doc.h"

#include <stdint.h>
#include <string.h>

#include "core/urlencoded.h"

struct reader {
    const char *p; /* next byte of the document */
    char *out;     /* next free byte for unescaped strings */
};

static void
skip_ws(struct reader *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

/* The 4 hex digits at p as a code unit, or -1. */
static int32_t
hex4(const char *p)
{
    int32_t v = 0;

    for (int i = 0; i < 4; i++) {
        int d = hex_digit_value(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void
put_utf8(struct reader *r, int32_t cp)
{
    char *o = r->out;

    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    r->out = o;
}

/* An escape after the backslash at r->p (which points at the letter): appended to out. */
static bool
escape(struct reader *r)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = *r->p != '\0' ? strchr(from, *r->p) : NULL;

    if (hit != NULL) {
        *r->out++ = to[hit - from];
        r->p++;
        return true;
    }
    if (*r->p != 'u')
        return false;
    int32_t cp = hex4(r->p + 1);
    if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) /* \u0000, malformed, a lone low half */
        return false;
    r->p += 5;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (r->p[0] != '\\' || r->p[1] != 'u')
            return false;
        int32_t low = hex4(r->p + 2);
        if (low < 0xDC00 || low > 0xDFFF)
            return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        r->p += 6;
    }
    put_utf8(r, cp);
    return true;
}

/* The string at r->p (its opening quote) unescaped into out, NUL-terminated: where it
 * starts, or NULL. */
static const char *
string(struct reader *r)
{
    char *start = r->out;

    if (*r->p != '"')
        return NULL;
    r->p++;
    for (;;) {
        /* the run without quote, backslash or control character, copied at once */
        const char *run = r->p;
        while ((unsigned char)*r->p >= 0x20 && *r->p != '"' && *r->p != '\\')
            r->p++;
        memcpy(r->out, run, (size_t)(r->p - run));
        r->out += r->p - run;
        if (*r->p == '"')
            break;
        if (*r->p != '\\')
            return NULL; /* a control character or the end of the text */
        r->p++;
        if (!escape(r))
            return NULL;
    }
    r->p++;
    /* escapes write whole sequences, so the raw bytes are valid iff the result is */
    if (!utf8_is_valid(start, (size_t)(r->out - start)))
        return NULL;
    *r->out++ = '\0';
    return start;
}

/* A key of an object: the bytes between its quotes (no escape), then the colon. */
static bool
key(struct reader *r, const char **key_out, size_t *len_out)
{
    if (*r->p != '"')
        return false;
    const char *k = ++r->p;
    while (*r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
        r->p++;
    if (*r->p != '"')
        return false;
    *key_out = k;
    *len_out = (size_t)(r->p - k);
    r->p++;
    skip_ws(r);
    if (*r->p != ':')
        return false;
    r->p++;
    skip_ws(r);
    return true;
}

/* A string or null value into *v (NULL for null). */
static bool
string_or_null(struct reader *r, const char **v)
{
    if (strncmp(r->p, "null", 4) == 0) {
        r->p += 4;
        *v = NULL;
        return true;
    }
    *v = string(r);
    return *v != NULL;
}

struct slot {
    const char *name;
    const char **value; /* NULL: the member is an object, read by `object` */
};

typedef bool (*object_fn)(struct reader *r, void *ctx);

/* An object whose members are slots[0..n): each at most once, values strings or null, but
 * the slot whose value is NULL, read by nested(r, ctx). */
static bool
object(struct reader *r, const struct slot *slots, int n, object_fn nested, void *ctx)
{
    unsigned seen = 0;

    skip_ws(r);
    if (*r->p != '{')
        return false;
    r->p++;
    skip_ws(r);
    if (*r->p == '}') {
        r->p++;
        return true;
    }
    for (;;) {
        const char *k;
        size_t len;
        int i;
        if (!key(r, &k, &len))
            return false;
        for (i = 0; i < n; i++)
            if (strlen(slots[i].name) == len && memcmp(slots[i].name, k, len) == 0)
                break;
        if (i == n || (seen & (1u << i)))
            return false;
        seen |= 1u << i;
        if (slots[i].value != NULL ? !string_or_null(r, slots[i].value) : !nested(r, ctx))
            return false;
        skip_ws(r);
        if (*r->p == '}') {
            r->p++;
            return true;
        }
        if (*r->p != ',')
            return false;
        r->p++;
        skip_ws(r);
    }
}

struct doc {
    struct claimant *c;
    const char *country;
    const char **description;
    bool has_claimant, has_address;
};

static bool
address(struct reader *r, void *ctx)
{
    struct doc *d = ctx;
    struct postal_address *a = &d->c->address;
    const struct slot slots[] = {{"line1", &a->line1},
                                 {"line2", &a->line2},
                                 {"postal_code", &a->postal_code},
                                 {"city", &a->city},
                                 {"country", &d->country}};

    d->has_address = true;
    return object(r, slots, (int)(sizeof slots / sizeof slots[0]), NULL, NULL);
}

static bool
claimant(struct reader *r, void *ctx)
{
    struct doc *d = ctx;
    struct claimant *c = d->c;
    const struct slot slots[] = {{"given_name", &c->given_name}, {"family_name", &c->family_name},
                                 {"email", &c->email},           {"phone", &c->phone},
                                 {"birth_date", &c->birth_date}, {"address", NULL}};

    d->has_claimant = true;
    return object(r, slots, (int)(sizeof slots / sizeof slots[0]), address, d);
}

bool
pii_doc_read(const char *json, char *out, struct claimant *c, const char **description)
{
    struct reader r = {json, out};
    struct doc d = {c, NULL, description, false, false};
    const struct slot slots[] = {{"claimant", NULL}, {"description", description}};

    memset(c, 0, sizeof *c);
    *description = NULL;
    if (!object(&r, slots, 2, claimant, &d))
        return false;
    skip_ws(&r);
    if (*r.p != '\0' || !d.has_claimant || !d.has_address)
        return false;
    if (d.country != NULL && strlen(d.country) == 2)
        memcpy(c->address.country, d.country, 3);
    return c->given_name != NULL && c->family_name != NULL && c->email != NULL &&
           *description != NULL;
}
