/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Date parsing by hand: strptime accepts "2026-2-30" and normalises it silently. */
#include "domain/dates.h"

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
