/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Clock helpers; gmtime_r keeps them thread-safe. */
#include "core/clock.h"

#include <stdio.h>

int64_t
clock_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
clock_format_rfc3339(time_t t, int micros, char *out, size_t n)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    if (micros >= 0)
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
    else
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
