/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Language choice by hand-written scanners: the headers are short and their grammar small
 * (RFC 9110 §12.5.4 for Accept-Language, RFC 6265 §4.2 for Cookie). */
#include "web/lang.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const codes[WEB_LANG_COUNT] = {"fr", "en"};

const char *
web_lang_code(enum web_lang lang)
{
    return (unsigned)lang < WEB_LANG_COUNT ? codes[lang] : codes[WEB_LANG_FR];
}

/* The language whose code is the n bytes at s. */
static bool
parse_n(const char *s, size_t n, enum web_lang *out)
{
    for (int i = 0; i < WEB_LANG_COUNT; i++) {
        if (strlen(codes[i]) == n && strncasecmp(s, codes[i], n) == 0) {
            *out = (enum web_lang)i;
            return true;
        }
    }
    return false;
}

bool
web_lang_parse(const char *code, enum web_lang *out)
{
    return code != NULL && parse_n(code, strlen(code), out);
}

bool
web_cookie_value(const char *cookie, const char *name, char *out, unsigned size)
{
    size_t name_len = strlen(name);

    for (const char *p = cookie; p != NULL && *p != '\0';) {
        p += strspn(p, " \t;");
        size_t pair_len = strcspn(p, ";");
        if (pair_len > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
            size_t value_len = pair_len - name_len - 1;
            while (value_len > 0 && (p[name_len + value_len] == ' ' ||
                                     p[name_len + value_len] == '\t'))
                value_len--;
            if (value_len + 1 > size)
                return false;
            memcpy(out, p + name_len + 1, value_len);
            out[value_len] = '\0';
            return true;
        }
        p += pair_len;
    }
    return false;
}

/* q of one Accept-Language member's parameters (";q=0.8"), in thousandths; 1000 when absent,
 * -1 when malformed. */
static int
quality(const char *params, size_t n)
{
    const char *q = NULL;

    for (size_t i = 0; i + 1 < n; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            q = params + i + 2;
            break;
        }
    }
    if (q == NULL)
        return 1000;
    if (q[0] == '1')
        return 1000;
    if (q[0] != '0')
        return -1;
    int v = 0, scale = 100;
    for (const char *d = q + 2; q[1] == '.' && d < params + n && *d >= '0' && *d <= '9' &&
                                scale > 0;
         d++, scale /= 10)
        v += (*d - '0') * scale;
    return v;
}

enum web_lang
web_lang_choose(const char *query, const char *cookie, const char *accept_language)
{
    enum web_lang lang = WEB_LANG_FR;
    char value[8];
    int best_q = 0;

    if (web_lang_parse(query, &lang))
        return lang;
    if (web_cookie_value(cookie, WEB_LANG_COOKIE, value, sizeof value) &&
        web_lang_parse(value, &lang))
        return lang;
    lang = WEB_LANG_FR;
    for (const char *p = accept_language; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t member = strcspn(p, ",");
        size_t tag = strcspn(p, ";, \t-");
        enum web_lang candidate;
        if (tag <= member && parse_n(p, tag, &candidate)) {
            int q = quality(p + tag, member - tag);
            if (q > best_q) {
                best_q = q;
                lang = candidate;
            }
        }
        p += member;
    }
    return lang;
}
