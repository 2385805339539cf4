/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See public_cache.h. One mutex over a small array: lookups are a few string compares, the
 * costly work (the computation, the copy of a body into the reply) happens around it. */
#include "handlers/public_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/xalloc.h"

#define SLOTS 256                  /* summaries (2 bases) and totals of ~85 incidents: a
                                    * page of GET /v1/incidents fits without churn */
#define KEY_MAX 160                /* slugs are short; a longer key is not cached */
#define BODY_MAX (256 * 1024)      /* a public summary is a few KiB */
#define WAIT_MAX_S 30              /* past any statement timeout: then compute alone */
#define TTL_NS ((int64_t)PUBLIC_CACHE_TTL_S * 1000000000)

struct slot {
    char key[KEY_MAX];  /* "" when free */
    char *body;         /* NULL: nothing kept */
    size_t len;
    int64_t fresh_until;
    int64_t last_used;
    bool computing;     /* a lead is out */
    uint64_t generation; /* bumped by forget: a lead started before keeps nothing */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t computed = PTHREAD_COND_INITIALIZER;
static struct slot slots[SLOTS];
static struct public_cache_stats stats;

static struct slot *
find(const char *key)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].key[0] != '\0' && strcmp(slots[i].key, key) == 0)
            return &slots[i];
    return NULL;
}

static void
drop_body(struct slot *s)
{
    free(s->body);
    s->body = NULL;
    s->len = 0;
    s->fresh_until = 0;
}

/* A slot for a new key: a free one, else the least recently used stale one, else the least
 * recently used fresh one; never one being computed. So keys that never get a body (unknown
 * incidents) only borrow free slots and do not push out the answers in use. */
static struct slot *
victim(int64_t now)
{
    struct slot *best = NULL;
    int best_rank = 3;

    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[i];
        int rank = s->key[0] == '\0' ? 0 : s->body == NULL || now >= s->fresh_until ? 1 : 2;
        if (s->computing)
            continue;
        if (rank < best_rank || (rank == best_rank && s->last_used < best->last_used)) {
            best = s;
            best_rank = rank;
        }
    }
    return best;
}

static void
copy_out(const struct slot *s, char **body, size_t *len)
{
    *body = xmalloc(s->len + 1);
    memcpy(*body, s->body, s->len);
    (*body)[s->len] = '\0';
    *len = s->len;
}

static struct public_cache_ticket
lead(struct slot *s)
{
    s->computing = true;
    stats.leads++;
    return (struct public_cache_ticket){.slot = (int)(s - slots), .generation = s->generation};
}

enum public_cache_verdict
public_cache_get(const char *scope, const char *variant, char **body, size_t *len,
                 struct public_cache_ticket *ticket)
{
    char key[KEY_MAX];
    int n = snprintf(key, sizeof key, "%s|%s", scope, variant);
    struct timespec until;

    if (n < 0 || (size_t)n >= sizeof key)
        return PUBLIC_CACHE_BYPASS;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_MAX_S;
    pthread_mutex_lock(&lock);
    for (;;) {
        int64_t now = clock_monotonic_ns();
        struct slot *s = find(key);
        if (s == NULL) {
            s = victim(now);
            if (s == NULL)
                break; /* every slot is being computed */
            drop_body(s);
            memcpy(s->key, key, (size_t)n + 1);
            s->last_used = now;
            *ticket = lead(s);
            pthread_mutex_unlock(&lock);
            return PUBLIC_CACHE_LEAD;
        }
        s->last_used = now;
        /* fresh, or stale while another request refreshes it: the kept answer */
        if (s->body != NULL && (now < s->fresh_until || s->computing)) {
            copy_out(s, body, len);
            stats.hits++;
            pthread_mutex_unlock(&lock);
            return PUBLIC_CACHE_HIT;
        }
        if (!s->computing) {
            *ticket = lead(s);
            pthread_mutex_unlock(&lock);
            return PUBLIC_CACHE_LEAD;
        }
        /* nothing kept yet and a lead is out: its answer, rather than a computation more */
        stats.waiting++;
        int rc = pthread_cond_timedwait(&computed, &lock, &until);
        stats.waiting--;
        if (rc != 0)
            break;
    }
    pthread_mutex_unlock(&lock);
    return PUBLIC_CACHE_BYPASS;
}

void
public_cache_put(const struct public_cache_ticket *ticket, const char *body, size_t len)
{
    pthread_mutex_lock(&lock);
    struct slot *s = &slots[ticket->slot];
    s->computing = false;
    if (body != NULL && len <= BODY_MAX && s->generation == ticket->generation) {
        drop_body(s);
        s->body = xmalloc(len);
        memcpy(s->body, body, len);
        s->len = len;
        s->fresh_until = clock_monotonic_ns() + TTL_NS;
    } else if (s->body == NULL) {
        s->key[0] = '\0'; /* nothing to keep: the slot is free again */
    }
    pthread_cond_broadcast(&computed);
    pthread_mutex_unlock(&lock);
}

void
public_cache_forget(const char *scope)
{
    size_t n = strlen(scope);

    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[i];
        if (strncmp(s->key, scope, n) == 0 && s->key[n] == '|') {
            s->generation++;
            drop_body(s);
        }
    }
    pthread_mutex_unlock(&lock);
}

void
public_cache_stats(struct public_cache_stats *out)
{
    pthread_mutex_lock(&lock);
    *out = stats;
    pthread_mutex_unlock(&lock);
}

void
public_cache_free(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        drop_body(&slots[i]);
        slots[i].key[0] = '\0';
    }
    pthread_mutex_unlock(&lock);
}
