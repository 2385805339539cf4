/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Structured logs: one JSON object per line on stderr. Callers pass only operational facts
 * (route templates, statuses, SQLSTATEs, counts): never bodies, URLs with identifiers of
 * people, or anything a claimant typed (docs/product.md §5.3). */
#ifndef RECOURS_CORE_LOG_H
#define RECOURS_CORE_LOG_H

#include <stdint.h>

/* Routine facts an operator filters out by level: a client's own TLS refusal, say. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Our own mistake (an invariant broken), not a client's 4xx. */
void log_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The access log line: method, route template (never the concrete path), status, duration. */
void log_request(const char *request_id, const char *method, const char *route, int status,
                 int64_t duration_us);

#endif
