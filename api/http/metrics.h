/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Process-wide HTTP metrics in Prometheus text format: requests by route template, method and
 * status, and a latency histogram. Thread-safe. */
#ifndef RECOURS_HTTP_METRICS_H
#define RECOURS_HTTP_METRICS_H

#include <stdint.h>

#include "core/strbuf.h"

/* Counts one finished request. route and method must be static strings (route templates). */
void metrics_record(const char *route, const char *method, int status, int64_t duration_ns);

/* Appends recours_http_requests_total and recours_http_request_duration_seconds. */
void metrics_render_http(struct strbuf *sb);

#endif
