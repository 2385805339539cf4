/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The intake's read cache: two direct-mapped tables (incidents by slug, actions by id) under one
 * mutex, held only to look up, copy out or swap an entry in, never across a database call.
 * Invariants: an entry owns one malloc'd block holding its key, then every string of its value
 * (the value's pointers point into it); a hit is copied into the caller's arena, so no pointer
 * into the cache ever leaves the mutex. */
#include "service/lookup_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "domain/dates.h"
#include "db/errors.h"
#include "service/conn.h"
#include "service/tx.h"

/* The first member of each slot, so that install() handles both kinds. */
struct slot_head {
    char *blob; /* the key, then the value's strings; NULL: empty slot */
    size_t blob_len;
    uint64_t generation;
    int64_t read_ns;
};

struct incident_slot {
    struct slot_head h;
    struct incident v;
};

struct action_slot {
    struct slot_head h;
    struct action v;
    int64_t deadline_us; /* v.opt_in_deadline, parsed once */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t generation = 1;
static struct incident_slot incidents[LOOKUP_CACHE_SLOTS];
static struct action_slot actions[LOOKUP_CACHE_SLOTS];

/* Where the strings of a copy go: only counted (base and arena NULL), into one block, or into
 * a request arena. */
struct copier {
    struct arena *arena;
    char *base;
    size_t used;
};

static const char *
copy_str(struct copier *k, const char *s)
{
    if (s == NULL)
        return NULL;
    if (k->arena != NULL)
        return arena_strdup(k->arena, s);
    size_t n = strlen(s) + 1;
    char *to = k->base != NULL ? memcpy(k->base + k->used, s, n) : NULL;
    k->used += n;
    return to;
}

/* Member by member, not a struct copy: a member added to struct incident or struct action but
 * not here is zero in a cached copy, never a pointer into a freed arena. */
static void
copy_incident(struct copier *k, const void *from, void *to)
{
    const struct incident *in = from;
    struct incident *out = to;

    *out = (struct incident){
        .id = in->id, .affected_count = in->affected_count, .data_categories = in->data_categories};
    out->slug = copy_str(k, in->slug);
    out->controller = copy_str(k, in->controller);
    out->title = copy_str(k, in->title);
    out->disclosed_on = copy_str(k, in->disclosed_on);
    out->authority_reference = copy_str(k, in->authority_reference);
    out->status = copy_str(k, in->status);
    out->currency = copy_str(k, in->currency);
    out->created_at = copy_str(k, in->created_at);
    out->updated_at = copy_str(k, in->updated_at);
}

static void
copy_action(struct copier *k, const void *from, void *to)
{
    const struct action *in = from;
    struct action *out = to;

    *out = (struct action){.incident_id = in->incident_id,
                           .deadline_passed = in->deadline_passed,
                           .member_count = in->member_count};
    out->id = copy_str(k, in->id);
    out->association_id = copy_str(k, in->association_id);
    out->incident = copy_str(k, in->incident);
    out->incident_status = copy_str(k, in->incident_status);
    out->title = copy_str(k, in->title);
    out->legal_basis = copy_str(k, in->legal_basis);
    out->opt_in_deadline = copy_str(k, in->opt_in_deadline);
    out->counsel_name = copy_str(k, in->counsel_name);
    out->counsel_email = copy_str(k, in->counsel_email);
    out->mandate_text = copy_str(k, in->mandate_text);
    out->mandate_text_version = copy_str(k, in->mandate_text_version);
    out->status = copy_str(k, in->status);
    out->association_status = copy_str(k, in->association_status);
    out->created_at = copy_str(k, in->created_at);
    out->updated_at = copy_str(k, in->updated_at);
}

/* key and a deep copy of *in into one new block (returned, NULL when memory is short), the
 * copy's pointers into it in *value_out. */
static char *
pack(const char *key, void (*copy)(struct copier *, const void *, void *), const void *in,
     void *value_out, size_t *len_out)
{
    struct copier k = {0};

    copy_str(&k, key);
    copy(&k, in, value_out); /* counts only */
    char *blob = malloc(k.used);
    if (blob == NULL)
        return NULL;
    *len_out = k.used;
    k = (struct copier){.base = blob};
    copy_str(&k, key);
    copy(&k, in, value_out);
    return blob;
}

static void
release(char *blob, size_t len)
{
    if (blob == NULL)
        return;
    explicit_bzero(blob, len); /* counsel names and e-mail addresses */
    free(blob);
}

static size_t
slot_of(const char *key)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */

    for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++)
        h = (h ^ *p) * 1099511628211u;
    return (size_t)(h % LOOKUP_CACHE_SLOTS);
}

static bool
is_current(const struct lookup_ticket *t, int64_t now_ns)
{
    return t->generation == atomic_load(&generation) && now_ns >= t->read_ns &&
           now_ns - t->read_ns < LOOKUP_CACHE_TTL_NS;
}

/* Under the lock. */
static bool
is_fresh(const struct slot_head *h, const char *key, int64_t now_ns)
{
    const struct lookup_ticket t = {h->generation, h->read_ns};

    return h->blob != NULL && is_current(&t, now_ns) && strcmp(h->blob, key) == 0;
}

/* Copies the new entry *fresh (a whole slot, head first) over *slot unless its ticket went stale
 * meanwhile; frees whichever block lost, outside the lock. */
static bool
install(void *slot, const void *fresh, size_t size)
{
    struct slot_head *cur = slot;
    const struct slot_head *in = fresh;
    char *loser = in->blob;
    size_t loser_len = in->blob_len;
    const struct lookup_ticket t = {in->generation, in->read_ns};

    pthread_mutex_lock(&lock);
    bool kept = is_current(&t, clock_monotonic_ns());
    if (kept) {
        loser = cur->blob;
        loser_len = cur->blob_len;
        memcpy(slot, fresh, size);
    }
    pthread_mutex_unlock(&lock);
    release(loser, loser_len);
    return kept;
}

/* opt_in_deadline as the database writes it ("2027-01-31T23:59:59.000000Z") in microseconds
 * since the epoch: a hit compares it with the wall clock as `opt_in_deadline <= now()` would. */
static bool
parse_deadline_us(const char *s, int64_t *out)
{
    time_t t;
    int64_t micros = 0;

    if (s == NULL || !rfc3339_parse(s, &t))
        return false;
    if (s[19] == '.') /* rfc3339_parse checked the digits up to the seconds, fixed width */
        for (int64_t i = 20, scale = 100000; s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
            micros += (s[i] - '0') * scale;
    *out = (int64_t)t * 1000000 + micros;
    return true;
}

static int64_t
wall_clock_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct lookup_ticket
svc_lookup_cache_ticket(void)
{
    struct lookup_ticket t;

    /* both before the read: a write the read may have missed commits after this load and
     * invalidates after its COMMIT, so an entry filled from that read is never served after */
    t.generation = atomic_load(&generation);
    t.read_ns = clock_monotonic_ns();
    return t;
}

bool
svc_lookup_cache_put_incident(const struct lookup_ticket *t, const char *key,
                              const struct incident *in)
{
    struct incident_slot e = {.h = {.generation = t->generation, .read_ns = t->read_ns}};

    e.h.blob = pack(key, copy_incident, in, &e.v, &e.h.blob_len);
    if (e.h.blob == NULL)
        return false;
    return install(&incidents[slot_of(key)], &e, sizeof e);
}

bool
svc_lookup_cache_put_action(const struct lookup_ticket *t, const char *key, const struct action *in)
{
    struct action_slot e = {.h = {.generation = t->generation, .read_ns = t->read_ns}};

    if (!parse_deadline_us(in->opt_in_deadline, &e.deadline_us))
        return false;
    e.h.blob = pack(key, copy_action, in, &e.v, &e.h.blob_len);
    if (e.h.blob == NULL)
        return false;
    return install(&actions[slot_of(key)], &e, sizeof e);
}

bool
svc_lookup_cache_get_incident(const char *key, struct arena *a, struct incident *out)
{
    const struct incident_slot *s = &incidents[slot_of(key)];
    int64_t now_ns = clock_monotonic_ns();

    pthread_mutex_lock(&lock);
    bool hit = is_fresh(&s->h, key, now_ns);
    if (hit)
        copy_incident(&(struct copier){.arena = a}, &s->v, out);
    pthread_mutex_unlock(&lock);
    return hit;
}

bool
svc_lookup_cache_get_action(const char *key, struct arena *a, struct action *out)
{
    const struct action_slot *s = &actions[slot_of(key)];
    int64_t now_ns = clock_monotonic_ns();
    int64_t deadline_us = 0;

    pthread_mutex_lock(&lock);
    bool hit = is_fresh(&s->h, key, now_ns);
    if (hit) {
        copy_action(&(struct copier){.arena = a}, &s->v, out);
        deadline_us = s->deadline_us;
    }
    pthread_mutex_unlock(&lock);
    if (hit)
        out->deadline_passed = deadline_us <= wall_clock_us();
    return hit;
}

enum outcome
svc_incident_for_intake(PGconn *c, const char *slug, struct arena *a, struct incident *out)
{
    if (slug != NULL && svc_lookup_cache_get_incident(slug, a, out))
        return OUTCOME_OK;
    /* svc_incidents_get's read and outcomes, not a call to it: service/incidents invalidates
     * this cache, and the two modules should not depend on each other */
    struct lookup_ticket t = svc_lookup_cache_ticket();
    int rc = db_incidents_get(c, slug, false, a, out);
    if (rc == 1 && slug != NULL)
        svc_lookup_cache_put_incident(&t, slug, out);
    return tx_read_outcome(c, rc);
}

int
svc_action_for_mandate(PGconn *c, const char *id, struct arena *a, struct action *out)
{
    if (id != NULL && svc_lookup_cache_get_action(id, a, out))
        return 1;
    struct lookup_ticket t = svc_lookup_cache_ticket();
    int rc = db_actions_get_uncounted(c, id, a, out);
    if (rc == 1 && id != NULL)
        svc_lookup_cache_put_action(&t, id, out);
    return rc;
}

SVC_RQ_ON_CONN(svc_rq_incident_for_intake,
               (const char *slug, struct arena *a, struct incident *out),
               svc_incident_for_intake, slug, a, out)

enum outcome
svc_rq_action_for_mandate(const char *id, struct arena *a, struct action *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    int rc = svc_action_for_mandate(c, id, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    return rc == 1 ? OUTCOME_OK : OUTCOME_NOT_FOUND;
}

enum outcome
svc_tx_run_cached_write(PGconn *c, const char *name, tx_body_fn body, void *ctx)
{
    enum outcome o = svc_tx_run(c, name, TX_READ_WRITE, body, ctx);

    svc_lookup_cache_invalidate();
    return o;
}

void
svc_lookup_cache_invalidate(void)
{
    atomic_fetch_add(&generation, 1);
}

void
svc_lookup_cache_free(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < LOOKUP_CACHE_SLOTS; i++) {
        release(incidents[i].h.blob, incidents[i].h.blob_len);
        release(actions[i].h.blob, actions[i].h.blob_len);
        incidents[i] = (struct incident_slot){0};
        actions[i] = (struct action_slot){0};
    }
    pthread_mutex_unlock(&lock);
}
