/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The strict urlencoded reader (see urlencoded.h). Two passes: count the pairs to size the
 * array, then decode each name and value into the arena. */
#include "core/urlencoded.h"

#include <stdint.h>
#include <string.h>

#include "core/arena.h"

int
hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
utf8_is_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned char c = p[i];
        size_t more;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07u;
        } else {
            return false; /* a continuation byte first, 0xc0/0xc1 (overlong) or above 0xf4 */
        }
        if (n - i <= more)
            return false;
        for (size_t k = 1; k <= more; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3fu);
        }
        if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += more + 1;
    }
    return true;
}

/* Decodes s[0..n) ('+' → space, %XX → byte) into a new arena string; NULL when an escape is
 * malformed or the result holds a NUL byte or bad UTF-8. */
static const char *
decode(const char *s, size_t n, struct arena *a)
{
    char *out = arena_alloc(a, n + 1);
    size_t w = 0;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            out[w++] = ' ';
        } else if (c == '%') {
            if (n - i < 3)
                return NULL;
            int hi = hex_digit_value(s[i + 1]);
            int lo = hex_digit_value(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            out[w++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '\0' || c == '=' || c == '&') {
            return NULL; /* never inside a pair's part: the split found them */
        } else {
            out[w++] = c;
        }
    }
    out[w] = '\0';
    return utf8_is_valid(out, w) ? out : NULL;
}

bool
urlencoded_parse(const char *body, size_t len, size_t max_pairs, struct arena *a,
                 struct form *out)
{
    out->pairs = NULL;
    out->n = 0;
    if (len == 0)
        return true;
    size_t n_pairs = 1;
    for (size_t i = 0; i < len; i++)
        if (body[i] == '&')
            n_pairs++;
    if (n_pairs > max_pairs)
        return false;
    struct form_pair *pairs = arena_alloc(a, n_pairs * sizeof *pairs);
    size_t start = 0, k = 0;
    while (start <= len && k < n_pairs) {
        const char *amp = memchr(body + start, '&', len - start);
        size_t end = amp != NULL ? (size_t)(amp - body) : len;
        const char *eq = memchr(body + start, '=', end - start);
        if (eq == NULL || eq == body + start)
            return false; /* an empty pair, a pair without '=', an empty name */
        size_t name_len = (size_t)(eq - (body + start));
        pairs[k].name = decode(body + start, name_len, a);
        pairs[k].value = decode(eq + 1, end - start - name_len - 1, a);
        if (pairs[k].name == NULL || pairs[k].value == NULL || pairs[k].name[0] == '\0')
            return false;
        k++;
        start = end + 1;
    }
    out->pairs = pairs;
    out->n = k;
    return true;
}

size_t
form_count(const struct form *f, const char *name)
{
    size_t n = 0;

    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->pairs[i].name, name) == 0)
            n++;
    return n;
}

const char *
form_get(const struct form *f, const char *name, bool *repeated_out)
{
    const char *found = NULL;

    if (repeated_out != NULL)
        *repeated_out = false;
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->pairs[i].name, name) != 0)
            continue;
        if (found != NULL) {
            if (repeated_out != NULL)
                *repeated_out = true;
            break;
        }
        found = f->pairs[i].value;
    }
    return found;
}
