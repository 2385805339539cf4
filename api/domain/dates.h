/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Calendar dates (proleptic Gregorian) as the API writes them: "YYYY-MM-DD". */
#ifndef RECOURS_DOMAIN_DATES_H
#define RECOURS_DOMAIN_DATES_H

#include <stdbool.h>
#include <time.h>

struct civil_date {
    int year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* Parses exactly "YYYY-MM-DD" (year 0001..9999) and checks the day exists in that month. */
bool civil_date_parse(const char *s, struct civil_date *out);

/* A date as a person types it on a page, into "YYYY-MM-DD" in iso: ISO itself, or day, month
 * and year in that order ("12/03/1985", "1.3.1985", "12-03-1985"; the day first in French and
 * in British English alike: docs/web-forms.md), blanks around ignored. False when it is not
 * one (a year of two digits, a day that does not exist): iso is unspecified then. */
bool civil_date_typed(const char *s, char iso[11]);

/* Negative, zero or positive as a is before, equal to or after b. */
int civil_date_compare(const struct civil_date *a, const struct civil_date *b);

/* The UTC calendar date of t. */
struct civil_date civil_date_of(time_t t);

/* Parses an RFC 3339 date-time ("2026-03-01T10:15:30Z", fraction and ±hh:mm offset
 * allowed) into seconds since the epoch; false for a field out of its range (month 13, day
 * 30 of February, hour 24, minute or second 60: a leap second too, which the database would
 * move to the next minute unasked), and for an instant outside the years 0001–9999 in UTC
 * (an answer could not write it back as RFC 3339). */
bool rfc3339_parse(const char *s, time_t *out);

/* An instant as a filter gives it: an RFC 3339 date-time (rfc3339_parse), or a plain date
 * "YYYY-MM-DD" (what people type), read as midnight UTC of that day; *is_date says which. */
bool instant_parse(const char *s, time_t *out, bool *is_date);

/* The last second of day d in Paris (23:59:59 Europe/Paris), as seconds since the epoch: what
 * a deadline given as a date alone means (docs/api.md §8.3; the actions are French). Summer
 * time by the EU rule in force since 1996 (from the last Sunday of March to the last Sunday
 * of October, both switches at 01:00 UTC): at 23:59:59 no switch is near, the day's offset is
 * whole. */
time_t paris_day_end(const struct civil_date *d);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long civil_days(const struct civil_date *d);

#endif
