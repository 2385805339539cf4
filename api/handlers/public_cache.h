/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A small per-process cache of public answers that are costly to compute and open to anyone
 * (the public compensation summary: 0.25–0.6 s and 20 MiB at 100,000 claim groups). It holds
 * a fixed number of entries (memory bounded), each fresh for PUBLIC_CACHE_TTL_S seconds, and
 * computes an uncached key once however many requests ask for it at the same time (single
 * flight): the others wait for that answer, or take the previous one while it is refreshed.
 * So a burst costs one computation per key and per TTL. docs/decisions.md, "Hardening: HTTP".
 *
 * Use: public_cache_get; on PUBLIC_CACHE_LEAD compute, then public_cache_put exactly once
 * (with NULL when there is nothing to keep: an error, a 404). */
#ifndef RECOURS_HANDLERS_PUBLIC_CACHE_H
#define RECOURS_HANDLERS_PUBLIC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds an answer is served from the cache; also its Cache-Control max-age. */
#define PUBLIC_CACHE_TTL_S 5
#define PUBLIC_CACHE_CONTROL "public, max-age=5"

enum public_cache_verdict {
    PUBLIC_CACHE_HIT,    /* *body (malloc'd, the caller's) and *len are the answer */
    PUBLIC_CACHE_LEAD,   /* compute it, then public_cache_put(ticket, ...) */
    PUBLIC_CACHE_BYPASS, /* compute it, keep nothing (no slot free, key too long) */
};

struct public_cache_ticket {
    int slot;
    uint64_t generation;
};

/* The key is "<scope>|<variant>": public_cache_forget(scope) drops every variant. */
enum public_cache_verdict public_cache_get(const char *scope, const char *variant,
                                           char **body, size_t *len,
                                           struct public_cache_ticket *ticket);

/* Ends a lead: stores body (copied; NULL keeps nothing) and wakes the waiters. */
void public_cache_put(const struct public_cache_ticket *ticket, const char *body, size_t len);

/* Drops the answers of scope (this process wrote something they show). */
void public_cache_forget(const char *scope);

struct public_cache_stats {
    uint64_t leads;   /* computations handed out (LEAD) */
    uint64_t hits;    /* answers served from the cache */
    int waiting;      /* requests waiting now for a lead's answer */
};

/* Counters since the start, for tests and diagnosis. */
void public_cache_stats(struct public_cache_stats *out);

/* Frees every entry; no request may run. */
void public_cache_free(void);

#endif
