/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Folded summary structures by fold version (summary_cache.h). One mutex: a lookup copies at
 * most a few thousand cells, far shorter than the reads it saves. */
#include "service/summary_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct entry {
    bool used;
    int64_t incident_id, version;
    bool verified_only;
    uint64_t last_use;
    struct tally_group *counts; /* status: pointers into statuses */
    char (*statuses)[16];
    int n_counts;
    struct shape_cell *cells;
    size_t n_cells;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry slots[SUMMARY_CACHE_SLOTS];
static uint64_t ticks;

static void
entry_free(struct entry *e)
{
    free(e->counts);
    free(e->statuses);
    free(e->cells);
    memset(e, 0, sizeof *e);
}

bool
summary_cache_get(int64_t incident_id, int64_t version, bool verified_only, struct arena *a,
                  struct tally_group **counts, int *n_counts, struct shape_cell **cells,
                  size_t *n_cells)
{
    bool hit = false;

    pthread_mutex_lock(&lock);
    for (int i = 0; i < SUMMARY_CACHE_SLOTS && !hit; i++) {
        struct entry *e = &slots[i];
        if (!e->used || e->incident_id != incident_id || e->version != version ||
            e->verified_only != verified_only)
            continue;
        hit = true;
        e->last_use = ++ticks;
        *counts = arena_alloc(a, sizeof **counts * (size_t)(e->n_counts + 1));
        for (int j = 0; j < e->n_counts; j++) {
            (*counts)[j] = e->counts[j];
            (*counts)[j].status = arena_strdup(a, e->statuses[j]);
        }
        *n_counts = e->n_counts;
        *cells = arena_alloc(a, sizeof **cells * (e->n_cells + 1));
        memcpy(*cells, e->cells, sizeof **cells * e->n_cells);
        *n_cells = e->n_cells;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void
summary_cache_put(int64_t incident_id, int64_t version, bool verified_only,
                  const struct tally_group *counts, int n_counts, const struct shape_cell *cells,
                  size_t n_cells)
{
    struct entry e = {true, incident_id, version,  verified_only, 0,
                      NULL, NULL,        n_counts, NULL,          n_cells};

    e.counts = malloc(sizeof *e.counts * (size_t)(n_counts + 1));
    e.statuses = malloc(sizeof *e.statuses * (size_t)(n_counts + 1));
    e.cells = malloc(sizeof *e.cells * (n_cells + 1));
    if (e.counts == NULL || e.statuses == NULL || e.cells == NULL) {
        entry_free(&e);
        return;
    }
    for (int j = 0; j < n_counts; j++) {
        e.counts[j] = counts[j];
        e.counts[j].source = NULL;
        /* the statuses of 0002 are short words; a longer one is not kept */
        if (strlen(counts[j].status) >= sizeof e.statuses[j]) {
            entry_free(&e);
            return;
        }
        strcpy(e.statuses[j], counts[j].status);
        e.counts[j].status = e.statuses[j];
    }
    memcpy(e.cells, cells, sizeof *cells * n_cells);
    pthread_mutex_lock(&lock);
    int victim = 0;
    for (int i = 0; i < SUMMARY_CACHE_SLOTS; i++) {
        struct entry *x = &slots[i];
        if (x->used && x->incident_id == incident_id && x->verified_only == verified_only) {
            victim = i; /* an older version of the same incident: replaced */
            break;
        }
        if (!x->used || (slots[victim].used && x->last_use < slots[victim].last_use))
            victim = i;
    }
    entry_free(&slots[victim]);
    e.last_use = ++ticks;
    slots[victim] = e;
    pthread_mutex_unlock(&lock);
}

void
summary_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SUMMARY_CACHE_SLOTS; i++)
        entry_free(&slots[i]);
    pthread_mutex_unlock(&lock);
}
