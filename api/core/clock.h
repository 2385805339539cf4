/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Time: a monotonic clock for durations and RFC 3339 UTC formatting for the wire. */
#ifndef RECOURS_CORE_CLOCK_H
#define RECOURS_CORE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Nanoseconds from CLOCK_MONOTONIC: only differences mean anything. */
int64_t clock_monotonic_ns(void);

/* "2026-03-01T10:15:30Z" (or with ".123456" micros when micros >= 0) into out (≥ 32 bytes). */
void clock_format_rfc3339(time_t t, int micros, char *out, size_t n);

/* The same text as clock_format_rfc3339(t, micros) for unix_us microseconds since the epoch
 * ("2026-03-01T10:15:30.123456Z", 27 bytes and a NUL into out), without gmtime_r and
 * printf: an export writes two per member. Years 0 to 9999; false (out "") outside. */
#define CLOCK_RFC3339_US_LEN 27
bool clock_format_rfc3339_us(int64_t unix_us, char out[CLOCK_RFC3339_US_LEN + 1]);

#endif
