/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A process-wide read cache for the two lookups every claim submission makes: its incident (by
 * slug) and the action it mandates (uncounted). Only the intake paths use it (submission and the
 * claimant's PATCH); every other read goes to the database.
 * Invariants: an entry is served only while younger than LOOKUP_CACHE_TTL_NS, counted from
 * before the read that filled it, and only if no svc_lookup_cache_invalidate() came after that
 * read began; every write of this process to incidents, actions or associations invalidates
 * after its COMMIT, so such a write is seen at once by the next submission, and a write by
 * another process (the CLI, another replica) within 1 s. Not-found answers are never kept. */
#ifndef RECOURS_SERVICE_LOOKUP_CACHE_H
#define RECOURS_SERVICE_LOOKUP_CACHE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/incidents.h"
#include "service/tx.h"

struct arena;

#define LOOKUP_CACHE_TTL_NS 1000000000 /* the staleness bound for writes of other processes */
#define LOOKUP_CACHE_SLOTS 256         /* per kind; a new entry replaces its slot's occupant */

/* As svc_incidents_get (OK, NOT_FOUND or the outcome of a database failure), answered from
 * the cache when it can; the strings of *out live in a on both paths. */
enum outcome svc_incident_for_intake(PGconn *c, const char *slug, struct arena *a,
                                     struct incident *out);

/* As db_actions_get_uncounted (1 found, 0 not found, DB_* on failure), answered from the cache
 * when it can; strings of *out live in a. deadline_passed always compares the deadline with the
 * wall clock at the call, to the microsecond, as the database's `opt_in_deadline <= now()`. */
int svc_action_for_mandate(PGconn *c, const char *id, struct arena *a, struct action *out);

/* The same two on the calling thread's connection (service/conn.h), as outcomes: OK,
 * NOT_FOUND, or the database's. */
enum outcome svc_rq_incident_for_intake(const char *slug, struct arena *a, struct incident *out);
enum outcome svc_rq_action_for_mandate(const char *id, struct arena *a, struct action *out);

/* A write to incidents, actions or associations: body run by svc_tx_run (READ WRITE), then
 * every entry made stale whatever COMMIT said (a lost answer may hide a commit). */
enum outcome svc_tx_run_cached_write(PGconn *c, const char *name, tx_body_fn body, void *ctx);

/* Makes every entry stale at once (a generation counter: lock-free, any thread). Call it after
 * each committed write to incidents, actions or associations. */
void svc_lookup_cache_invalidate(void);

/* Frees every entry (server shutdown, once no request runs). The cache stays usable. */
void svc_lookup_cache_free(void);

/* The store beneath the two reads above, public for the unit test (no database needed). */

/* Taken before a read: the generation it belongs to and the monotonic time it began. */
struct lookup_ticket {
    uint64_t generation;
    int64_t read_ns;
};

struct lookup_ticket svc_lookup_cache_ticket(void);

/* Keeps a deep copy of *in under key, read under ticket t. False when nothing was kept: t is
 * already stale, memory is short or (an action) its opt_in_deadline cannot be parsed. */
bool svc_lookup_cache_put_incident(const struct lookup_ticket *t, const char *key,
                                   const struct incident *in);
bool svc_lookup_cache_put_action(const struct lookup_ticket *t, const char *key,
                                 const struct action *in);

/* A fresh entry of key copied into a (*out untouched on a miss); true on a hit. */
bool svc_lookup_cache_get_incident(const char *key, struct arena *a, struct incident *out);
bool svc_lookup_cache_get_action(const char *key, struct arena *a, struct action *out);

#endif
