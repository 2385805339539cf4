/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Folded summary structures by fold version (summary_cache.h). One mutex: a lookup copies at
 * most a few thousand cells, far shorter than the reads it saves. */
#include "service/summary_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "service/summary_view.h"

/* Tally groups the cache owns, in one block: the groups, then their statuses (each group's
 * status points there; its source is dropped). */
struct owned_groups {
    struct tally_group *at;
    int n;
};

/* Copies from[0..n) into *out: false, with nothing held, when memory runs out or a status is
 * longer than the short words of 0002 (such groups are not kept). */
static bool
groups_copy(const struct tally_group *from, int n, struct owned_groups *out)
{
    size_t groups_size = sizeof *out->at * (size_t)(n + 1);
    char (*statuses)[16];

    out->n = 0;
    out->at = malloc(groups_size + sizeof *statuses * (size_t)(n + 1));
    if (out->at == NULL)
        return false;
    statuses = (void *)((char *)out->at + groups_size);
    for (int j = 0; j < n; j++) {
        if (strlen(from[j].status) >= sizeof statuses[j]) {
            free(out->at);
            out->at = NULL;
            return false;
        }
        out->at[j] = from[j];
        out->at[j].source = NULL;
        out->at[j].status = strcpy(statuses[j], from[j].status);
    }
    out->n = n;
    return true;
}

struct entry {
    bool used;
    int64_t incident_id, version;
    bool verified_only;
    uint64_t last_use;
    struct owned_groups counts;
    struct shape_cell *cells;
    size_t n_cells;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry slots[SUMMARY_CACHE_SLOTS];
static uint64_t ticks;

static void
entry_free(struct entry *e)
{
    free(e->counts.at);
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
        *counts = arena_alloc(a, sizeof **counts * (size_t)(e->counts.n + 1));
        for (int j = 0; j < e->counts.n; j++) {
            (*counts)[j] = e->counts.at[j];
            (*counts)[j].status = arena_strdup(a, e->counts.at[j].status);
        }
        *n_counts = e->counts.n;
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
    struct entry e = {.used = true, .incident_id = incident_id, .version = version,
                      .verified_only = verified_only, .n_cells = n_cells};

    e.cells = malloc(sizeof *e.cells * (n_cells + 1));
    if (e.cells == NULL || !groups_copy(counts, n_counts, &e.counts)) {
        entry_free(&e);
        return;
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

/* The figures of one summary and what they were computed from (summary_view_key, owned). */
struct view_entry {
    bool used;
    uint64_t last_use;
    int64_t incident_id, version, duplicates, affected_count;
    bool verified_only, has_scheme;
    struct scheme scheme;
    struct owned_groups changes;
    struct summary_view view;
};

static struct view_entry views[SUMMARY_VIEW_SLOTS];

static void
view_free(struct view_entry *e)
{
    free(e->changes.at);
    memset(e, 0, sizeof *e);
}

static bool
same_change(const struct tally_group *a, const struct tally_group *b)
{
    return strcmp(a->status, b->status) == 0 && a->cash == b->cash &&
           strcmp(a->country, b->country) == 0 && a->categories == b->categories &&
           a->documented_loss == b->documented_loss && a->hours_spent == b->hours_spent &&
           a->n == b->n;
}

/* Whether e was computed from what k names, the scheme aside (same_scheme). */
static bool
same_state(const struct view_entry *e, const struct summary_view_key *k)
{
    if (!e->used || e->incident_id != k->incident_id || e->version != k->version ||
        e->duplicates != k->duplicates || e->affected_count != k->affected_count ||
        e->verified_only != k->verified_only || e->changes.n != k->n_changes)
        return false;
    for (int j = 0; j < k->n_changes; j++)
        if (!same_change(&e->changes.at[j], &k->changes[j]))
            return false;
    return true;
}

/* Field by field: the decoders leave the padding as they find it. */
static bool
scheme_same(const struct scheme *a, const struct scheme *b)
{
    if (memcmp(a->currency, b->currency, sizeof a->currency) != 0 ||
        a->base_amount != b->base_amount ||
        memcmp(a->has_supplement, b->has_supplement, sizeof a->has_supplement) != 0 ||
        memcmp(a->supplement, b->supplement, sizeof a->supplement) != 0 ||
        a->reimburse != b->reimburse || a->loss_cap != b->loss_cap ||
        a->hourly_rate != b->hourly_rate || a->max_hours != b->max_hours ||
        a->has_fund_cap != b->has_fund_cap || a->fund_cap != b->fund_cap ||
        a->n_vouchers != b->n_vouchers || a->has_cash_ratio != b->has_cash_ratio ||
        a->cash_ratio_bp != b->cash_ratio_bp)
        return false;
    for (size_t i = 0; i < a->n_vouchers && i < SCHEME_VOUCHERS_MAX; i++)
        if (strcmp(a->vouchers[i].name, b->vouchers[i].name) != 0 ||
            a->vouchers[i].amount != b->vouchers[i].amount)
            return false;
    return true;
}

static bool
same_scheme(const struct view_entry *e, const struct summary_view_key *k)
{
    return k->scheme == NULL ? !e->has_scheme : e->has_scheme && scheme_same(&e->scheme, k->scheme);
}

bool
summary_cache_get_view(const struct summary_view_key *k, struct summary_view *out)
{
    bool hit = false;

    pthread_mutex_lock(&lock);
    for (int i = 0; i < SUMMARY_VIEW_SLOTS && !hit; i++) {
        struct view_entry *e = &views[i];
        if (!same_state(e, k) || !same_scheme(e, k))
            continue;
        hit = true;
        e->last_use = ++ticks;
        *out = e->view;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void
summary_cache_put_view(const struct summary_view_key *k, const struct summary_view *v)
{
    struct view_entry e = {.used = true,
                           .incident_id = k->incident_id,
                           .version = k->version,
                           .duplicates = k->duplicates,
                           .affected_count = k->affected_count,
                           .verified_only = k->verified_only,
                           .has_scheme = k->scheme != NULL,
                           .view = *v};

    if (k->n_changes > SUMMARY_VIEW_CHANGES_MAX)
        return;
    if (k->scheme != NULL)
        memcpy(&e.scheme, k->scheme, sizeof e.scheme);
    if (!groups_copy(k->changes, k->n_changes, &e.changes))
        return;
    pthread_mutex_lock(&lock);
    int victim = 0;
    for (int i = 0; i < SUMMARY_VIEW_SLOTS; i++) {
        if (!views[i].used || views[i].last_use < views[victim].last_use)
            victim = i;
        if (!views[i].used)
            break;
    }
    view_free(&views[victim]);
    e.last_use = ++ticks;
    views[victim] = e;
    pthread_mutex_unlock(&lock);
}

void
summary_cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SUMMARY_CACHE_SLOTS; i++)
        entry_free(&slots[i]);
    for (int i = 0; i < SUMMARY_VIEW_SLOTS; i++)
        view_free(&views[i]);
    pthread_mutex_unlock(&lock);
}
