/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Locale formatting for the two page languages (format.h). */
#include "web/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/countries.h"
#include "domain/currency.h"
#include "domain/dates.h"

static const char *const months[WEB_LANG_COUNT][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

static const char *
group_separator(enum web_lang lang)
{
    return lang == WEB_LANG_FR ? WEB_GROUP_FR : ",";
}

/* Appends the decimal digits of u grouped by three. */
static void
grouped(struct strbuf *sb, enum web_lang lang, uint64_t u)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, u);

    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            strbuf_puts(sb, group_separator(lang));
        strbuf_append(sb, &digits[i], 1);
    }
}

static uint64_t
magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v; /* INT64_MIN included */
}

void
web_format_int(struct strbuf *sb, enum web_lang lang, int64_t v)
{
    if (v < 0)
        strbuf_puts(sb, "-");
    grouped(sb, lang, magnitude(v));
}

bool
web_format_money(struct strbuf *sb, enum web_lang lang, int64_t minor, const char *currency)
{
    int exponent = currency != NULL ? currency_exponent(currency) : -1;
    uint64_t u = magnitude(minor), unit = 1;

    if (exponent < 0 || exponent > 4)
        return false;
    for (int i = 0; i < exponent; i++)
        unit *= 10;
    /* the euro, the actions' currency, by its sign where its readers write it (and
     * Intl.NumberFormat does): "12,50 €", "€12.50"; any other by its code */
    bool euro = strcmp(currency, "EUR") == 0;
    if (minor < 0)
        strbuf_puts(sb, "-");
    if (euro && lang == WEB_LANG_EN)
        strbuf_puts(sb, "€");
    grouped(sb, lang, u / unit);
    if (exponent > 0)
        strbuf_printf(sb, "%s%0*" PRIu64, lang == WEB_LANG_FR ? "," : ".", exponent, u % unit);
    if (!euro || lang == WEB_LANG_FR) {
        strbuf_puts(sb, WEB_NBSP);
        strbuf_puts(sb, euro ? "€" : currency);
    }
    return true;
}

bool
web_format_date(struct strbuf *sb, enum web_lang lang, const char *iso)
{
    struct civil_date d;
    char day[11];

    if (iso == NULL)
        return false;
    if (strlen(iso) > 10) {
        time_t t;
        if (!rfc3339_parse(iso, &t))
            return false;
        d = civil_date_of(t);
    } else if (!civil_date_parse(iso, &d)) {
        return false;
    }
    if ((unsigned)lang >= WEB_LANG_COUNT)
        lang = WEB_LANG_FR;
    snprintf(day, sizeof day, "%d", d.day);
    strbuf_puts(sb, day);
    if (lang == WEB_LANG_FR && d.day == 1)
        strbuf_puts(sb, "er");
    strbuf_printf(sb, " %s %d", months[lang][d.month - 1], d.year);
    return true;
}

/* The length of the first group of a number of calling code [cc, cc + n) written in pairs
 * after it (France's plan: "+33 6 12 34 56 78"; its overseas departments, whose three first
 * digits name the place: "+262 692 12 34 56"; Monaco), or 0 when the country groups otherwise
 * ("+44 20 7946 0958", "+1 202-555-0143", rules of each plan that this page does not know):
 * the number then stays in one piece after its calling code rather than in groups its owner
 * would not recognise. */
static size_t
pairs_head(const char *cc, size_t n, size_t digits)
{
    static const struct {
        const char *cc;
        size_t head; /* 0: 1 or 2, so that the rest is pairs */
    } plans[] = {{"33", 0}, {"262", 3}, {"377", 0}, {"590", 3}, {"594", 3}, {"596", 3}};

    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++)
        if (strlen(plans[i].cc) == n && strncmp(plans[i].cc, cc, n) == 0)
            return plans[i].head != 0 ? plans[i].head : 2 - digits % 2;
    return 0;
}

bool
web_format_phone(struct strbuf *sb, const char *e164)
{
    struct country_dialing plan;
    size_t cc = e164 != NULL && e164[0] == '+' ? country_dialing_for_number(e164 + 1, &plan) : 0;

    if (cc == 0)
        return false;
    const char *rest = e164 + 1 + cc;
    size_t n = strlen(rest), head = pairs_head(e164 + 1, cc, n);
    if (head == 0 || head > n) {
        strbuf_printf(sb, "+%.*s %s", (int)cc, e164 + 1, rest);
        return true;
    }
    strbuf_printf(sb, "+%.*s %.*s", (int)cc, e164 + 1, (int)head, rest);
    for (size_t i = head; i < n; i += 2)
        strbuf_printf(sb, " %.*s", (int)(n - i >= 2 ? 2 : 1), rest + i);
    return true;
}
