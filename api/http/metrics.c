/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Metrics store: a small fixed table of (route, method, status) counters under one mutex
 * (held for a few nanoseconds per request) and lock-free histogram buckets. */
#include "http/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

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
#define N_BUCKETS (sizeof bucket_us / sizeof bucket_us[0])
static _Atomic uint64_t bucket_count[N_BUCKETS + 1];
static _Atomic uint64_t duration_sum_us;

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
    int64_t us = duration_ns / 1000;
    size_t b = 0;

    while (b < N_BUCKETS && us > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&bucket_count[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&duration_sum_us, (uint64_t)(us > 0 ? us : 0),
                              memory_order_relaxed);

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
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= N_BUCKETS; b++) {
        cumulative += atomic_load_explicit(&bucket_count[b], memory_order_relaxed);
        if (b < N_BUCKETS)
            strbuf_printf(sb, "recours_http_request_duration_seconds_bucket{le=\"%lld.%06lld\"} %llu\n",
                          (long long)(bucket_us[b] / 1000000), (long long)(bucket_us[b] % 1000000),
                          (unsigned long long)cumulative);
        else
            strbuf_printf(sb, "recours_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                          (unsigned long long)cumulative);
    }
    uint64_t sum = atomic_load_explicit(&duration_sum_us, memory_order_relaxed);
    strbuf_printf(sb, "recours_http_request_duration_seconds_sum %llu.%06llu\n",
                  (unsigned long long)(sum / 1000000), (unsigned long long)(sum % 1000000));
    strbuf_printf(sb, "recours_http_request_duration_seconds_count %llu\n",
                  (unsigned long long)cumulative);
}
