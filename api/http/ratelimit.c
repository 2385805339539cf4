/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Token buckets in a fixed open-addressed table, 64 shards each under its own mutex. Tokens
 * are kept in nanotokens (10^-9 token), so a refill over any interval, however short, is
 * counted exactly and never lost to rounding. */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"

#define SHARDS 64
#define SLOTS_PER_SHARD 1024
#define PROBE 8
#define KEY_MAX 46 /* INET6_ADDRSTRLEN */
#define NANO INT64_C(1000000000)

struct bucket {
    char key[KEY_MAX];
    int64_t nano; /* tokens × 10^9 at `at` */
    int64_t at_ns;
};

struct shard {
    pthread_mutex_t lock;
    struct bucket slots[SLOTS_PER_SHARD];
};

struct rate_limiter {
    int64_t burst_nano;
    int64_t per_s;
    struct shard shards[SHARDS];
};

struct rate_limiter *
ratelimit_new(int burst, int per_second)
{
    struct rate_limiter *rl = xcalloc(1, sizeof *rl);

    rl->burst_nano = (int64_t)burst * NANO;
    rl->per_s = per_second;
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&rl->shards[i].lock, NULL);
    return rl;
}

void
ratelimit_free(struct rate_limiter *rl)
{
    if (rl == NULL)
        return;
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_destroy(&rl->shards[i].lock);
    free(rl);
}

static uint64_t
hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int64_t
refilled(const struct rate_limiter *rl, const struct bucket *b, int64_t now)
{
    int64_t elapsed = now - b->at_ns;

    /* a full bucket stays full: also keeps elapsed × per_s far from overflowing */
    if (elapsed >= (rl->burst_nano - b->nano) / rl->per_s + 1)
        return rl->burst_nano;
    return b->nano + elapsed * rl->per_s;
}

/* The bucket of key in shard, made full if new; replaces the fullest (idlest) slot. */
static struct bucket *
find(struct rate_limiter *rl, struct shard *sh, const char *key, uint64_t h, int64_t now)
{
    struct bucket *victim = NULL;
    int64_t victim_nano = -1;

    for (int i = 0; i < PROBE; i++) {
        struct bucket *b = &sh->slots[(h / SHARDS + (uint64_t)i) % SLOTS_PER_SHARD];
        if (b->key[0] != '\0' && strcmp(b->key, key) == 0)
            return b;
        int64_t m = b->key[0] == '\0' ? rl->burst_nano + 1 : refilled(rl, b, now);
        if (m > victim_nano) {
            victim = b;
            victim_nano = m;
        }
    }
    snprintf(victim->key, sizeof victim->key, "%s", key);
    victim->nano = rl->burst_nano;
    victim->at_ns = now;
    return victim;
}

struct rate_verdict
ratelimit_take(struct rate_limiter *rl, const char *client)
{
    uint64_t h = hash(client);
    struct shard *sh = &rl->shards[h % SHARDS];
    int64_t now = clock_monotonic_ns();
    struct rate_verdict v = {.limit = (int)(rl->burst_nano / NANO)};

    pthread_mutex_lock(&sh->lock);
    struct bucket *b = find(rl, sh, client, h, now);
    b->nano = refilled(rl, b, now);
    b->at_ns = now;
    v.allowed = b->nano >= NANO;
    if (v.allowed)
        b->nano -= NANO;
    int64_t nano = b->nano;
    pthread_mutex_unlock(&sh->lock);

    int64_t per_s_nano = rl->per_s * NANO;
    v.remaining = (int)(nano / NANO);
    v.reset_s = (int)((rl->burst_nano - nano + per_s_nano - 1) / per_s_nano);
    v.retry_after_s = v.allowed ? 0 : (int)((NANO - nano + per_s_nano - 1) / per_s_nano);
    if (!v.allowed && v.retry_after_s < 1)
        v.retry_after_s = 1;
    return v;
}
