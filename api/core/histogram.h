/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A fixed-bucket histogram of non-negative integers (durations in microseconds, batch sizes),
 * lock-free: observing is two relaxed atomic additions, so it may sit on any hot path; and its
 * rendering as a Prometheus histogram (_bucket, _sum, _count). Used by /metrics for the HTTP
 * request durations (http/metrics.c) and the intake's phases (service/intake_metrics.c). */
#ifndef RECOURS_CORE_HISTOGRAM_H
#define RECOURS_CORE_HISTOGRAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

#define HISTOGRAM_MAX_BOUNDS 16

/* How a value and a bound are written: microseconds as seconds ("0.002500"), or as they are. */
enum histogram_unit { HISTOGRAM_MICROSECONDS, HISTOGRAM_PLAIN };

struct histogram {
    const int64_t *bound; /* upper bounds, ascending; one more bucket for +Inf */
    size_t n_bounds;      /* at most HISTOGRAM_MAX_BOUNDS */
    enum histogram_unit unit;
    _Atomic uint64_t bucket[HISTOGRAM_MAX_BOUNDS + 1];
    _Atomic uint64_t sum;
};

/* A static initialiser: HISTOGRAM_OF(bounds, unit) for a `static const int64_t bounds[]`. */
#define HISTOGRAM_OF(bounds, u) \
    {.bound = (bounds), .n_bounds = sizeof(bounds) / sizeof((bounds)[0]), .unit = (u)}

/* Counts one value (a negative one as 0). */
void histogram_observe(struct histogram *h, int64_t value);

/* Appends name_bucket{labels,le="..."} for every bucket (cumulative), name_sum{labels} and
 * name_count{labels}; labels (such as `phase="queue"`) may be NULL. No # HELP / # TYPE lines:
 * a metric with several label sets writes those once. */
void histogram_render(struct strbuf *sb, const struct histogram *h, const char *name,
                      const char *labels);

#endif
