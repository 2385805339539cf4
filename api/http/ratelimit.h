/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Per-client-IP token buckets for public POSTs (docs/api.md §6: bucket 120, refill 2/s by
 * default): 429 + Retry-After past them, RateLimit-* headers on every public POST. Memory is
 * bounded: a fixed table where a full bucket (an idle client) is the first to be replaced. */
#ifndef RECOURS_HTTP_RATELIMIT_H
#define RECOURS_HTTP_RATELIMIT_H

#include <stdbool.h>

struct rate_limiter;

struct rate_verdict {
    bool allowed;
    int limit;
    int remaining;
    int reset_s;       /* seconds until the bucket is full again */
    int retry_after_s; /* when refused: seconds until one token is back */
};

struct rate_limiter *ratelimit_new(int burst, int per_second);
void ratelimit_free(struct rate_limiter *rl);

/* Takes a token from the bucket of client (an IP address as text). */
struct rate_verdict ratelimit_take(struct rate_limiter *rl, const char *client);

#endif
