/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Typed amounts with their currency and marks (see amount_typed.h): the text is brought to
 * the plain form amount_text_parse reads ("1234.56"), which then bounds it. */
#include "domain/amount_typed.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "domain/amount_text.h"
#include "domain/currency.h"

#define TYPED_MAX 64

/* What people write for a currency beside an amount, and the currencies it may mean. */
static const struct {
    const char *text;
    const char *codes; /* space-separated ISO 4217 codes */
} markers[] = {
    {"\xe2\x82\xac", "EUR"}, /* € */
    {"euros", "EUR"},
    {"euro", "EUR"},
    {"US$", "USD"},
    {"$", "USD CAD AUD NZD HKD SGD MXN"},
    {"\xc2\xa3", "GBP"},         /* £ */
    {"\xe2\x82\xa9", "KRW"},     /* ₩ */
    {"\xec\x9b\x90", "KRW"},     /* 원 */
    {"\xc2\xa5", "JPY CNY"},     /* ¥ */
    {"\xef\xbf\xa5", "JPY CNY"}, /* ￥ */
    {"\xe2\x82\xb9", "INR"},     /* ₹ */
};

/* Length of a blank at s (a tab, or a group separator: space, U+00A0, U+202F), else 0. */
static size_t
blank_len(const char *s)
{
    return s[0] == '\t' ? 1 : amount_text_separator_len(s);
}

/* [*b, *e) without blanks at either end. */
static void
trim(const char **b, const char **e)
{
    size_t n;

    while (*b < *e && (n = blank_len(*b)) != 0)
        *b += n;
    for (bool cut = true; cut && *b < *e;) {
        cut = false;
        for (size_t k = 1; k <= 3 && !cut && *e - k >= *b; k++)
            if (blank_len(*e - k) == k) {
                *e -= k;
                cut = true;
            }
    }
}

static bool
has_code(const char *codes, const char *currency)
{
    size_t n = strlen(currency);

    for (const char *p = codes; *p != '\0'; p += strcspn(p, " "), p += *p == ' ')
        if (strncmp(p, currency, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* The currency marker [b, e) against currency: 1 the incident's, 0 another's, -1 not one. */
static int
marker_is(const char *b, const char *e, const char *currency)
{
    size_t n = (size_t)(e - b);
    char code[4];

    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (strlen(markers[i].text) == n && strncasecmp(b, markers[i].text, n) == 0)
            return has_code(markers[i].codes, currency) ? 1 : 0;
    if (n != 3)
        return -1;
    for (int i = 0; i < 3; i++) {
        if (!((b[i] >= 'A' && b[i] <= 'Z') || (b[i] >= 'a' && b[i] <= 'z')))
            return -1;
        code[i] = (char)(b[i] & ~0x20);
    }
    code[3] = '\0';
    if (currency_exponent(code) < 0)
        return -1;
    return strcmp(code, currency) == 0 ? 1 : 0;
}

static bool
is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == ',' || c == '.';
}

/* Drops a currency marker at the start or the end of [*b, *e): 1 none or the incident's,
 * 0 another currency's, -1 something else beside the number. */
static int
drop_marker(const char **b, const char **e, const char *currency)
{
    const char *p = *b;

    if (p < *e && !is_number_char(*p) && blank_len(p) == 0) {
        while (p < *e && !is_number_char(*p) && (blank_len(p) == 0))
            p++;
        int m = marker_is(*b, p, currency);
        *b = p;
        trim(b, e);
        return m;
    }
    p = *e;
    if (p > *b && !is_number_char(p[-1])) {
        while (p > *b && !is_number_char(p[-1]) && blank_len(p - 1) == 0 &&
               (p - 2 < *b || blank_len(p - 2) != 2) && (p - 3 < *b || blank_len(p - 3) != 3))
            p--;
        int m = marker_is(p, *e, currency);
        *e = p;
        trim(b, e);
        return m;
    }
    return 1;
}

/* Whether the digits between grouping marks make groups of three after a first of 1-3. */
static bool
groups_ok(const char *b, const char *e, char mark)
{
    int run = 0;
    bool first = true;

    for (const char *p = b; p < e; p++) {
        if (*p == mark) {
            if (run == 0 || (first ? run > 3 : run != 3))
                return false;
            first = false;
            run = 0;
        } else if (*p >= '0' && *p <= '9') {
            run++;
        } else {
            return false;
        }
    }
    return first || run == 3;
}

/* [b, e) (marks, digits, blanks) into plain "digits[.digits]" in out; false if not one. */
static bool
plain(const char *b, const char *e, char decimal_mark, int decimals, char *out)
{
    const char *last_comma = NULL, *last_dot = NULL;
    int commas = 0, dots = 0;

    for (const char *p = b; p < e; p++) {
        commas += *p == ',';
        dots += *p == '.';
        last_comma = *p == ',' ? p : last_comma;
        last_dot = *p == '.' ? p : last_dot;
    }
    const char *dec = NULL; /* the decimal mark's place, NULL: none */
    char group = 0;         /* the grouping mark, 0: blanks only */
    if (commas > 0 && dots > 0) {
        dec = last_comma > last_dot ? last_comma : last_dot;
        group = *dec == ',' ? '.' : ',';
        if ((*dec == ',' ? commas : dots) != 1)
            return false;
    } else if (commas + dots > 1) {
        group = commas > 0 ? ',' : '.';
    } else if (commas + dots == 1) {
        const char *mark = last_comma != NULL ? last_comma : last_dot;
        size_t after = (size_t)(e - mark - 1);
        bool three = after == 3 && strspn(mark + 1, "0123456789") >= 3;
        if (!three || (decimals > 0 && *mark == decimal_mark))
            dec = mark;
        else if (decimals == 3)
            return false; /* 1.234 KWD: 1.234 or 1 234, both amounts */
        else
            group = *mark;
    }
    const char *int_end = dec != NULL ? dec : e;
    if (group != 0 && !groups_ok(b, int_end, group))
        return false;
    size_t n = 0;
    for (const char *p = b; p < e; p++) {
        if (p == dec)
            out[n++] = '.';
        else if (*p != group)
            out[n++] = *p;
    }
    out[n] = '\0';
    return true;
}

enum amount_typed
amount_typed_read(const char *s, char decimal_mark, const char *currency, int decimals,
                  int64_t *minor_out)
{
    char out[TYPED_MAX + 1];
    const char *b = s, *e = s + strlen(s);

    if (e - b > TYPED_MAX)
        return AMOUNT_TYPED_BAD;
    trim(&b, &e);
    int m = drop_marker(&b, &e, currency);
    if (m < 0)
        return AMOUNT_TYPED_BAD;
    /* a sign on either side is one marker at most: "€ 50 €" is not an amount */
    if (b == e || !is_number_char(*b) || !is_number_char(e[-1]))
        return AMOUNT_TYPED_BAD;
    if (m == 0)
        return AMOUNT_TYPED_OTHER_CURRENCY;
    if (!plain(b, e, decimal_mark, decimals, out) || !amount_text_parse(out, decimals, minor_out))
        return AMOUNT_TYPED_BAD;
    return AMOUNT_TYPED_OK;
}
