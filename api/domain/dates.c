/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Date parsing by hand: strptime accepts "2026-2-30" and normalises it silently. */
#include "domain/dates.h"

#include <stdio.h>
#include <string.h>

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static bool
digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool
civil_date_parse(const char *s, struct civil_date *out)
{
    struct civil_date d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!digits(s, 4, &d.year) || !digits(s + 5, 2, &d.month) || !digits(s + 8, 2, &d.day))
        return false;
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return false;
    *out = d;
    return true;
}

/* A run of 1..max digits at *s, its value in *out, *s moved past it; false if none or longer. */
static bool
digit_run(const char **s, int max, int *out)
{
    int n = 0, v = 0;

    while (**s >= '0' && **s <= '9') {
        if (++n > max)
            return false;
        v = v * 10 + (**s - '0');
        (*s)++;
    }
    *out = v;
    return n > 0;
}

bool
civil_date_typed(const char *s, char iso[11])
{
    struct civil_date d;
    const char *p = s;
    size_t n = strlen(s);

    while (*p == ' ' || *p == '\t')
        p++;
    while (n > (size_t)(p - s) && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n - (size_t)(p - s) == 10 && p[4] == '-' && p[7] == '-') {
        memcpy(iso, p, 10);
        iso[10] = '\0';
        return civil_date_parse(iso, &d);
    }
    const char *end = s + n;
    char sep = 0;
    if (!digit_run(&p, 2, &d.day) || p >= end || strchr("/.-", *p) == NULL)
        return false;
    sep = *p++;
    if (!digit_run(&p, 2, &d.month) || p >= end || *p++ != sep)
        return false;
    const char *year = p;
    if (!digit_run(&p, 4, &d.year) || p != end || p - year != 4)
        return false; /* "85": 1985 or 2085, the person knows and types it */
    snprintf(iso, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
    return civil_date_parse(iso, &d);
}

int
civil_date_compare(const struct civil_date *a, const struct civil_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

struct civil_date
civil_date_of(time_t t)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    return (struct civil_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

long
civil_days(const struct civil_date *d)
{
    /* Howard Hinnant's days_from_civil */
    long y = d->year - (d->month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d->month + (d->month > 2 ? -3 : 9)) + 2) / 5 + d->day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool
rfc3339_parse(const char *s, time_t *out)
{
    struct civil_date d;
    char date[11];
    int hh, mm, ss;
    size_t n = strlen(s);

    if (n < 20 || (s[10] != 'T' && s[10] != 't'))
        return false;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!civil_date_parse(date, &d) || !digits(s + 11, 2, &hh) || s[13] != ':' ||
        !digits(s + 14, 2, &mm) || s[16] != ':' || !digits(s + 17, 2, &ss) || hh > 23 || mm > 59 ||
        ss > 59)
        return false;
    const char *p = s + 19;
    size_t fraction_digits = 0;
    if (*p == '.') {
        p++;
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start)
            return false;
        fraction_digits = (size_t)(p - start);
    }
    long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return false;
        offset = (oh * 60L + om) * 60L * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    long t = civil_days(&d) * 86400L + hh * 3600L + mm * 60L + ss - offset;
    /* Only instants written back with a four-digit year: "9999-12-31T23:59:60Z", an offset
     * or PostgreSQL's rounding of a fraction past microseconds could make year 10000 (or 0),
     * which an answer would then carry as no RFC 3339 date-time (docs/api.md §8). */
    static const struct civil_date first = {1, 1, 1}, past_last = {10000, 1, 1};
    long end = civil_days(&past_last) * 86400L;
    if (t < civil_days(&first) * 86400L || t >= end || (t == end - 1 && fraction_digits > 6))
        return false;
    *out = (time_t)t;
    return true;
}

bool
instant_parse(const char *s, time_t *out, bool *is_date)
{
    struct civil_date d;

    *is_date = civil_date_parse(s, &d);
    if (!*is_date)
        return rfc3339_parse(s, out);
    *out = (time_t)(civil_days(&d) * 86400L);
    return true;
}

/* The last Sunday of month (31 days: March, October) of year. */
static long
last_sunday(int year, int month)
{
    struct civil_date last = {year, month, 31};
    long days = civil_days(&last);
    long weekday = ((days + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0: Sunday */

    return days - weekday;
}

time_t
paris_day_end(const struct civil_date *d)
{
    long days = civil_days(d);
    bool summer = days >= last_sunday(d->year, 3) && days < last_sunday(d->year, 10);
    long offset = summer ? 7200 : 3600;

    return (time_t)(days * 86400L + 86399L - offset);
}
