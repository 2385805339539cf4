/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Metrics store: a small fixed table of (route, method, status) counters under one mutex
 * (held for a few nanoseconds per request) and a lock-free histogram (core/histogram.h). */
#include "http/metrics.h"

#include <pthread.h>
#include <string.h>

#include "core/histogram.h"

#define MAX_SERIES 512

struct series {
    const char *route;
    const char *method;
    int status;
    uint64_t count;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[MAX_SERIES];
static int n_series;
static uint64_t dropped; /* series beyond MAX_SERIES: counted, not lost silently */

/* Upper bounds in microseconds; the last bucket is +Inf. */
static const int64_t bucket_us[] = {500,    1000,   2500,   5000,    10000,   25000,  50000,
                                    100000, 250000, 500000, 1000000, 2500000, 5000000};
static struct histogram durations = HISTOGRAM_OF(bucket_us, HISTOGRAM_MICROSECONDS);

static const char *known_methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

/* Client-chosen method names must not create series without bound. */
static const char *
method_label(const char *method)
{
    for (size_t i = 0; i < sizeof known_methods / sizeof known_methods[0]; i++)
        if (strcmp(known_methods[i], method) == 0)
            return known_methods[i];
    return "OTHER";
}

void
metrics_record(const char *route, const char *method, int status, int64_t duration_ns)
{
    const char *m = method_label(method);

    histogram_observe(&durations, duration_ns / 1000);

    pthread_mutex_lock(&lock);
    int i = 0;
    for (; i < n_series; i++)
        if (series[i].route == route && series[i].method == m && series[i].status == status)
            break;
    if (i == n_series && n_series < MAX_SERIES) {
        series[i] = (struct series){.route = route, .method = m, .status = status};
        n_series++;
    }
    if (i < n_series)
        series[i].count++;
    else
        dropped++;
    pthread_mutex_unlock(&lock);
}

void
metrics_render_http(struct strbuf *sb)
{
    strbuf_puts(sb, "# HELP recours_http_requests_total HTTP requests by route template, "
                    "method and status.\n# TYPE recours_http_requests_total counter\n");
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_series; i++)
        strbuf_printf(sb, "recours_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
                      series[i].route, series[i].method, series[i].status,
                      (unsigned long long)series[i].count);
    uint64_t lost = dropped;
    pthread_mutex_unlock(&lock);
    strbuf_printf(sb, "# HELP recours_http_series_dropped_total Requests not counted by "
                      "route because the series table was full.\n"
                      "# TYPE recours_http_series_dropped_total counter\n"
                      "recours_http_series_dropped_total %llu\n",
                  (unsigned long long)lost);

    strbuf_puts(sb, "# HELP recours_http_request_duration_seconds Time from the first byte of "
                    "a request to its completion.\n"
                    "# TYPE recours_http_request_duration_seconds histogram\n");
    histogram_render(sb, &durations, "recours_http_request_duration_seconds", NULL);
}
