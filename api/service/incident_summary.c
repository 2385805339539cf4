/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An incident's own summary from rows that do not grow with the claims: the folded counts and
 * cells (db/tally_shape.h) with the unfolded changes added, kept in this process by fold
 * version (service/summary_cache.h); the exact groups for a small incident. */
#include "service/incident_summary.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/tally_shape.h"
#include "service/summary_cache.h"
#include "service/tx.h"

/* Up to this many claim_tallies rows, the exact groups (set by serve; read-only after). */
static int exact_groups_limit = 1000;

void
svc_compensation_set_exact_groups(int n)
{
    exact_groups_limit = n;
}

/* At most this many unfolded changes are read by a summary (about 80 bytes each): more, and it
 * folds them first (the fold thread runs every second; this is the case of a stopped one). */
#define SHAPE_LOG_LIMIT 65536
#define SHAPE_FOLD_SLICE 20000

/* What one incident summary reads: one statement (db_shape_read: the fold version, the
 * unfolded changes, the tree sums, the probe of claim_tallies), then the folded counts and
 * cells from this process's cache, or from the database in a snapshot of the same version;
 * or, for a small incident, the exact groups. */
struct shape_read {
    int64_t incident_id;
    bool verified_only;
    struct arena *a;
    struct shape_snapshot snap;
    struct tally_group *groups; /* exact: the groups; shape: the folded counts */
    int n_groups;
    int64_t duplicates;
    int64_t version; /* of the folded counts and cells read (shape, cache miss) */
    struct shape_cell *cells;
    size_t n_cells;
    int64_t affected_count;
    struct summary_view *view; /* set from the figures cache when view_hit */
    bool view_hit;
};

/* What the figures of x under scheme depend on (service/summary_cache.h). */
static struct summary_view_key
view_key_of(const struct shape_read *x, const struct scheme *scheme, int64_t affected_count)
{
    return (struct summary_view_key){x->incident_id,    x->snap.version,   x->snap.duplicates,
                                     affected_count,    x->verified_only,  scheme,
                                     x->snap.changes,   x->snap.n_changes};
}

static int
exact_body(PGconn *c, struct tx *t, void *ctx)
{
    struct shape_read *x = ctx;
    int rc;

    (void)t;
    rc = db_tally_groups(c, x->incident_id, x->a, &x->groups, &x->n_groups);
    if (rc >= 0)
        rc = db_tally_duplicates(c, x->incident_id, &x->duplicates);
    return rc < 0 ? rc : 1;
}

static int
folded_body(PGconn *c, struct tx *t, void *ctx)
{
    struct shape_read *x = ctx;
    int rc;

    (void)t;
    rc = db_shape_version(c, x->incident_id, &x->version);
    if (rc >= 0)
        rc = db_shape_counts(c, x->incident_id, x->a, &x->groups, &x->n_groups);
    if (rc >= 0)
        rc = db_shape_cells(c, x->incident_id, x->verified_only, x->a, &x->cells, &x->n_cells);
    return rc < 0 ? rc : 1;
}

static int
shape_fold_body(PGconn *c, struct tx *t, void *ctx)
{
    int64_t *n = ctx;

    (void)t;
    return db_shape_fold(c, SHAPE_FOLD_SLICE, n);
}

enum outcome
svc_compensation_fold(PGconn *c, int64_t *folded_out)
{
    *folded_out = 0;
    return svc_tx_run(c, "compensation.fold", TX_READ_WRITE, shape_fold_body, folded_out);
}

/* Counts ordered by status, payment, country, categories. */
static int
by_count_key(const void *pa, const void *pb)
{
    const struct tally_group *a = pa, *b = pb;
    int d = strcmp(a->status, b->status);

    if (d == 0)
        d = (int)a->cash - (int)b->cash;
    if (d == 0)
        d = strcmp(a->country, b->country);
    if (d == 0)
        d = (a->categories > b->categories) - (a->categories < b->categories);
    return d;
}

/* The folded counts with the unfolded changes added, key by key (summary_build skips
 * groups at n ≤ 0: a change that takes claims away must meet its group). */
static struct tally_group *
counts_with_changes(const struct shape_read *x, int *n_out)
{
    int n = x->n_groups + x->snap.n_changes, k = 0;
    struct tally_group *all = arena_alloc(x->a, sizeof *all * (size_t)(n + 1));

    memcpy(all, x->groups, sizeof *all * (size_t)x->n_groups);
    for (int i = 0; i < x->snap.n_changes; i++) {
        all[x->n_groups + i] = x->snap.changes[i];
        all[x->n_groups + i].documented_loss = all[x->n_groups + i].hours_spent = 0;
    }
    qsort(all, (size_t)n, sizeof *all, by_count_key);
    for (int i = 0; i < n; i++) {
        if (k > 0 && by_count_key(&all[k - 1], &all[i]) == 0)
            all[k - 1].n += all[i].n;
        else
            all[k++] = all[i];
    }
    *n_out = k;
    return all;
}

/* The cells and sums with the unfolded changes of the eligible claims added. */
static void
cells_with_changes(struct shape_read *x, const struct scheme *scheme)
{
    struct shape_change *ch = arena_alloc(x->a, sizeof *ch * (size_t)(x->snap.n_changes + 1));
    size_t k = 0;

    for (int i = 0; i < x->snap.n_changes; i++) {
        const struct tally_group *g = &x->snap.changes[i];
        if (!summary_group_eligible(g, x->verified_only))
            continue;
        ch[k++] = (struct shape_change){g->cash, g->categories, g->documented_loss,
                                        g->hours_spent, g->n};
        if (scheme != NULL) {
            shape_sums_add(&x->snap.loss, g->documented_loss, g->n, shape_loss_cap(scheme));
            shape_sums_add(&x->snap.hours, g->hours_spent, g->n, shape_hours_cap(scheme));
        }
    }
    struct shape_cell *merged = arena_alloc(x->a, sizeof *merged * (x->n_cells + k + 1));
    x->n_cells = shape_cells_merge(x->cells, x->n_cells, ch, k, merged);
    x->cells = merged;
}

/* Reads x for the summary (see struct shape_read): OUTCOME_OK with *exact set when the
 * incident is small enough for its exact groups. A fold between the statement and a cache
 * miss's read makes it read again (a few times at most: folds come a second apart). */
static enum outcome
shape_read(PGconn *c, const struct scheme *scheme, struct shape_read *x, bool *exact)
{
    struct shape_read_query q = {x->incident_id,
                                 x->verified_only,
                                 scheme != NULL,
                                 scheme != NULL ? shape_loss_cap(scheme) : 0,
                                 scheme != NULL ? shape_hours_cap(scheme) : 0,
                                 SHAPE_LOG_LIMIT + 1,
                                 (int64_t)exact_groups_limit + 1};
    enum outcome o = OUTCOME_OK;

    for (int attempt = 0; attempt < 4; attempt++) {
        int rc = db_shape_read(c, &q, x->a, &x->snap);
        if (rc < 0)
            return tx_outcome_of(c, rc);
        *exact = x->snap.tally_rows <= exact_groups_limit;
        if (*exact)
            return svc_tx_run(c, "compensation.summary", TX_READ_ONLY, exact_body, x);
        if (x->snap.n_changes > SHAPE_LOG_LIMIT) {
            /* more unfolded changes than a call reads: fold them here (a replica cannot:
             * 503, the fold thread of the primary catches up), then read again */
            int64_t folded = 0;
            for (int64_t left = x->snap.n_changes; o == OUTCOME_OK && left > 0;
                 left -= SHAPE_FOLD_SLICE)
                o = svc_compensation_fold(c, &folded);
            if (o != OUTCOME_OK)
                return o;
            continue;
        }
        x->duplicates = x->snap.duplicates;
        struct summary_view_key key = view_key_of(x, scheme, x->affected_count);
        x->view_hit = scheme != NULL && summary_cache_get_view(&key, x->view);
        if (x->view_hit) /* the same folded state, changes and scheme: the same figures */
            return OUTCOME_OK;
        if (summary_cache_get(x->incident_id, x->snap.version, x->verified_only, x->a,
                              &x->groups, &x->n_groups, &x->cells, &x->n_cells))
            return OUTCOME_OK;
        o = svc_tx_run(c, "compensation.summary", TX_READ_ONLY, folded_body, x);
        if (o != OUTCOME_OK)
            return o;
        if (x->version == x->snap.version) {
            summary_cache_put(x->incident_id, x->version, x->verified_only, x->groups,
                              x->n_groups, x->cells, x->n_cells);
            return OUTCOME_OK;
        }
    }
    return OUTCOME_UNAVAILABLE; /* folds faster than two statements: the machine is drowning */
}

enum outcome
svc_compensation_summary(PGconn *c, int64_t incident_id, const struct scheme *scheme,
                         bool verified_only, int64_t affected_count, struct arena *a,
                         struct summary_view *out)
{
    struct shape_read x = {.incident_id = incident_id,
                           .verified_only = verified_only,
                           .a = a,
                           .affected_count = affected_count,
                           .view = out};
    bool exact = false;
    enum outcome o = shape_read(c, scheme, &x, &exact);

    if (o != OUTCOME_OK)
        return o;
    if (x.view_hit)
        return OUTCOME_OK;
    if (exact) { /* as before 0013: the groups themselves, their source for the hook */
        if (!summary_build(c, scheme, x.groups, x.n_groups, x.groups, x.n_groups,
                           verified_only, affected_count, x.duplicates, a, out))
            goto uncomputable;
        return OUTCOME_OK;
    }
    int n_counts = 0;
    struct tally_group *counts = counts_with_changes(&x, &n_counts);
    cells_with_changes(&x, scheme);
    /* the counts: summary_build without a scheme cannot fail */
    summary_build(NULL, NULL, counts, n_counts, counts, n_counts, verified_only, affected_count,
                  x.duplicates, a, out);
    if (scheme == NULL)
        return OUTCOME_OK;
    /* When every cell is exact, its groups are the claims' own keys: a boundary class of
     * several awards is settled by reference as before (the hook reads the claims). The
     * hook runs after the snapshot: a claim moved in between makes it give up, for the
     * proportional split. */
    struct claim_group *pool = arena_alloc(a, sizeof *pool * (x.n_cells + 1));
    bool cells_exact;
    shape_cells_as_groups(x.cells, x.n_cells, pool, &cells_exact);
    struct boundary_ctx ctx = {scheme, pool, x.n_cells, c, incident_id, NULL, verified_only};
    struct summary_tiebreak tb = {summary_split_by_reference, &ctx};
    out->has_money = true;
    if (!summary_shape_compute(scheme, x.cells, x.n_cells, &x.snap.loss, &x.snap.hours,
                               affected_count, &tb, &out->money))
        goto uncomputable;
    struct summary_view_key key = view_key_of(&x, scheme, affected_count);
    summary_cache_put_view(&key, out);
    return OUTCOME_OK;
uncomputable:
    log_bug("summary of incident %lld could not be computed", (long long)incident_id);
    return OUTCOME_UNCOMPUTABLE;
}
