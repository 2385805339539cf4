/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Summary assembly from tally groups: counts by status, payment, category and country, and
 * the money through domain/summary.c. */
#include "service/compensation.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/eligibility.h"
#include "db/errors.h"
#include "domain/award.h"
#include "service/conn.h"
#include "service/incidents.h"
#include "service/lookup_cache.h"
#include "service/summary_cache.h"
#include "service/read_source.h"
#include "service/tx.h"

static int
status_index(const char *status)
{
    static const char *const names[] = {"received", "verified", "rejected", "withdrawn"};

    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], status) == 0)
            return i;
    return -1;
}

static bool
is_eligible(const struct tally_group *g, bool verified_only)
{
    return strcmp(g->status, "verified") == 0 ||
           (!verified_only && strcmp(g->status, "received") == 0);
}

static void
count_country(struct summary_view *v, const char *country, int64_t n)
{
    for (int i = 0; i < v->n_countries; i++) {
        if (strcmp(v->by_country[i].country, country) == 0) {
            v->by_country[i].n += n;
            return;
        }
    }
    if (v->n_countries == COUNTRY_SLOTS) {
        v->other_countries += n;
        return;
    }
    memcpy(v->by_country[v->n_countries].country, country, 3);
    v->by_country[v->n_countries++].n = n;
}

/* Eligible groups as the summary's claim groups. */
static struct claim_group *
eligible_groups(const struct tally_group *g, int n, bool verified_only, struct arena *a,
                size_t *n_out)
{
    struct claim_group *out = arena_alloc(a, sizeof *out * (size_t)(n > 0 ? n : 1));
    size_t k = 0;

    for (int i = 0; i < n; i++) {
        if (!is_eligible(&g[i], verified_only) || g[i].n <= 0)
            continue;
        out[k++] = (struct claim_group){g[i].categories, g[i].documented_loss, g[i].hours_spent,
                                        g[i].cash, g[i].n};
    }
    *n_out = k;
    return out;
}

/* What the tie-break hook needs for the one call of summary_build: the connection of the
 * snapshot the groups were read in, and the incident's eligible groups to find the keys of a
 * boundary class. Lives on summary_build's stack. */
struct boundary_ctx {
    const struct scheme *scheme;
    const struct claim_group *pool;
    size_t n_pool;
    PGconn *c;
    int64_t incident_id;
    const char *action_id; /* NULL for the incident's own summary */
    bool verified_only;
};

static bool
has_award(const struct summary_boundary *b, int64_t award)
{
    size_t lo = 0, hi = b->k;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->awards[mid] == award)
            return true;
        if (b->awards[mid] < award)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* The keys of the pool's groups whose award is in the class; their number. */
static size_t
class_keys(const struct boundary_ctx *x, const struct summary_boundary *b,
           struct tally_boundary_key *keys)
{
    size_t n = 0;

    for (size_t i = 0; i < x->n_pool; i++) {
        const struct claim_group *g = &x->pool[i];
        struct award_parts p;
        if (award_compute(x->scheme, g->categories, g->documented_loss, g->hours_spent, g->cash,
                          &p) &&
            has_award(b, p.total))
            keys[n++] = (struct tally_boundary_key){g->categories, g->documented_loss,
                                                    g->hours_spent, g->cash, p.total};
    }
    return n;
}

/* The hook of domain/summary.h: one query over the class's claims in reference order. It
 * reads whichever end of the class is shorter (the first L_b, or the last N_b − L_b and the
 * rest by difference) and gives up, for the proportional split, when the claims disagree
 * with the tallies (a claim moved between the two reads) or the query fails. */
static bool
split_by_reference(void *ctx, const struct summary_boundary *b, int64_t *units_out)
{
    const struct boundary_ctx *x = ctx;
    struct tally_boundary_key *keys = xcalloc(x->n_pool + 1, sizeof *keys);
    int64_t *all = xcalloc(b->k, sizeof *all), *mine = xcalloc(b->k, sizeof *mine);
    int64_t size = 0, seen = 0;
    bool ok = false;

    for (size_t j = 0; j < b->k; j++)
        size += b->n[j]; /* ≤ eligible, which fitted */
    struct tally_boundary_query q = {.incident_id = x->incident_id,
                                     .verified_only = x->verified_only,
                                     .keys = keys,
                                     .n_keys = class_keys(x, b, keys),
                                     .from_end = b->units > size - b->units,
                                     .action_id = b->members != NULL ? x->action_id : NULL};
    q.limit = q.from_end ? size - b->units : b->units;
    /* A failure only costs exactness: the snapshot's transaction ends with the summary's read
     * (service/tx.c rolls back a failed one; a broken connection is dropped after the
     * request, db_pool_after_request). */
    if (db_tally_boundary(x->c, &q, b->awards, b->k, all, mine) < 0)
        goto cleanup;
    for (size_t j = 0; j < b->k; j++) {
        int64_t got = b->members != NULL ? mine[j] : all[j];
        int64_t whole = b->members != NULL ? b->members[j] : b->n[j];
        units_out[j] = q.from_end ? whole - got : got;
        seen += all[j];
    }
    ok = seen == q.limit;
cleanup:
    free(keys);
    free(all);
    free(mine);
    return ok;
}

/* The source of the first group that has one, or NULL. */
static const struct tally_source *
source_of(const struct tally_group *g, int n)
{
    for (int i = 0; i < n; i++)
        if (g[i].source != NULL)
            return g[i].source;
    return NULL;
}

bool
summary_build(PGconn *c, const struct scheme *scheme, const struct tally_group *groups, int n,
              const struct tally_group *pool_groups, int n_pool, bool verified_only,
              int64_t affected_count, int64_t duplicates, struct arena *a,
              struct summary_view *out)
{
    memset(out, 0, sizeof *out);
    out->duplicate_attempts = duplicates;
    for (int i = 0; i < n; i++) {
        const struct tally_group *g = &groups[i];
        int s = status_index(g->status);
        if (s < 0 || g->n <= 0)
            continue;
        out->by_status[s] += g->n;
        if (!is_eligible(g, verified_only))
            continue;
        out->eligible += g->n;
        out->by_payment[g->cash ? 1 : 0] += g->n;
        for (int k = 0; k < DATA_CATEGORY_COUNT; k++)
            if (g->categories & (1u << k))
                out->by_category[k] += g->n;
        count_country(out, g->country, g->n);
    }
    if (scheme == NULL)
        return true;
    size_t n_members = 0, n_all = 0;
    struct claim_group *members = eligible_groups(groups, n, verified_only, a, &n_members);
    struct claim_group *pool =
        pool_groups == groups ? members
                              : eligible_groups(pool_groups, n_pool, verified_only, a, &n_all);
    if (pool_groups == groups)
        n_all = n_members;
    const struct tally_source *inc = source_of(pool_groups, n_pool);
    const struct tally_source *act = pool_groups == groups ? NULL : source_of(groups, n);
    struct boundary_ctx ctx = {scheme, pool, n_all, c, inc != NULL ? inc->incident_id : 0,
                               act != NULL ? act->action_id : NULL, verified_only};
    struct summary_tiebreak tb = {split_by_reference, &ctx};
    /* no source (groups not read from the database): the proportional split */
    bool can_read = c != NULL && inc != NULL && (pool_groups == groups || act != NULL);
    out->has_money = true;
    if (pool_groups == groups)
        return summary_compute(scheme, members, n_members, affected_count,
                               can_read ? &tb : NULL, &out->money);
    return summary_compute_subset(scheme, pool, n_all, members, n_members, affected_count,
                                  can_read ? &tb : NULL, &out->money);
}

enum outcome
svc_compensation_groups(PGconn *c, int64_t incident_id, struct arena *a,
                        struct tally_group **groups, int *n, int64_t *duplicates)
{
    int rc = db_tally_groups(c, incident_id, a, groups, n);

    if (rc >= 0)
        rc = db_tally_duplicates(c, incident_id, duplicates);
    return rc < 0 ? tx_outcome_of(c, rc) : OUTCOME_OK;
}

enum outcome
svc_compensation_action_groups(PGconn *c, const char *action_id, struct arena *a,
                               struct tally_group **groups, int *n, int64_t *duplicates)
{
    int rc = db_tally_groups_of_action(c, action_id, a, groups, n);

    if (rc >= 0)
        rc = db_tally_duplicates_of_action(c, action_id, duplicates);
    return rc < 0 ? tx_outcome_of(c, rc) : OUTCOME_OK;
}

enum outcome
svc_compensation_current(PGconn *c, int64_t incident_id, struct arena *a,
                         struct scheme_record *out, bool *found)
{
    int rc = db_schemes_current(c, incident_id, a, out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    *found = rc == 1;
    return OUTCOME_OK;
}

struct put {
    const struct audit_note *note;
    const struct incident *inc;
    const char *json;
    struct arena *a;
    struct scheme_record *out;
};

static int
put_body(PGconn *c, struct tx *t, void *ctx)
{
    struct put *x = ctx;
    int rc = db_schemes_put(c, x->inc->id, x->json, x->a, x->out);

    (void)t;
    return svc_audit_after(c, rc, x->note, "scheme.put", "incident", x->inc->slug);
}

enum outcome
svc_compensation_put(PGconn *c, const struct audit_note *note, const struct incident *inc,
                     const char *json, struct arena *a, struct scheme_record *out)
{
    struct put x = {note, inc, json, a, out};
    /* the incident row changes too (scheme_version, updated_at) */
    return svc_tx_run_cached_write(c, "compensation.put", put_body, &x);
}

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
        if (!is_eligible(g, x->verified_only))
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
    struct summary_tiebreak tb = {split_by_reference, &ctx};
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

/* The read of svc_rq_compensation_summary, run by the transaction runner in one or two
 * snapshots. */
struct summary_read {
    const struct summary_query *q;
    struct arena *a;
    struct summary_result *out;
    int scheme_rc; /* read_scheme's: 2 when the stored scheme does not read */
};

/* The incident (and action) of the query into out; 1, 0 when there is none, or DB_*. */
static int
read_subject(PGconn *c, const struct summary_query *q, struct arena *a,
             struct summary_result *out)
{
    int rc;

    if (q->incident != NULL) {
        out->incident = *q->incident;
        return 1;
    }
    if (q->action_id == NULL)
        return db_incidents_get(c, q->incident_slug, false, a, &out->incident);
    rc = db_actions_get(c, q->action_id, false, a, &out->action);
    if (rc != 1)
        return rc;
    if (q->association_id != NULL && strcmp(out->action.association_id, q->association_id) != 0)
        return 0;
    return db_incidents_get(c, out->action.incident, false, a, &out->incident);
}

/* The scheme the summary prices with into out (has_scheme false for none): the proposal, or
 * the scheme in force. 1, DB_*, or the code of tx_answer for a refused proposal or a scheme
 * that does not read. */
static int
read_scheme(PGconn *c, struct tx *t, const struct summary_query *q, struct arena *a,
            struct summary_result *out)
{
    struct scheme_record rec;

    if (q->choose != NULL) {
        if (!q->choose(q->choose_ctx, &out->incident, &out->scheme))
            return tx_answer(t, OUTCOME_INVALID);
        out->has_scheme = true;
        return 1;
    }
    int rc = db_schemes_current(c, out->incident.id, a, &rec);
    if (rc <= 0)
        return rc < 0 ? rc : 1;
    out->has_scheme = q->decode(rec.json, &out->scheme);
    out->scheme_version = rec.version;
    return out->has_scheme ? 1 : 2; /* 2: stored but unreadable, told after the counts */
}

/* Whether the caller may read, and with what scheme: the subject and the scheme in force,
 * always on the primary (docs/api.md §16). */
static int
subject_body(PGconn *c, struct tx *t, void *ctx)
{
    struct summary_read *r = ctx;
    struct summary_result *out = r->out;
    struct read_source src = out->source;

    memset(out, 0, sizeof *out);
    out->source = src;
    int rc = read_subject(c, r->q, r->a, out);
    if (rc == 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    r->scheme_rc = rc < 0 ? rc : read_scheme(c, t, r->q, r->a, out);
    if (r->scheme_rc < 0 || (r->q->choose != NULL && !out->has_scheme))
        return r->scheme_rc;
    return 1;
}

/* The figures: the groups and the boundary references of one snapshot, on c (the replica's
 * when the query tolerates lag). */
static int
tallies_body(PGconn *c, struct tx *t, void *ctx)
{
    struct summary_read *r = ctx;
    const struct summary_query *q = r->q;
    struct summary_result *out = r->out;
    struct tally_group *pool = NULL, *groups = NULL;
    int n_pool = 0, n = 0;
    int64_t dups = 0, action_dups = 0;

    int rc = db_tally_groups(c, out->incident.id, r->a, &pool, &n_pool);
    if (rc >= 0)
        rc = db_tally_duplicates(c, out->incident.id, &dups);
    if (rc >= 0 && q->action_id != NULL)
        rc = db_tally_groups_of_action(c, out->action.id, r->a, &groups, &n);
    if (rc >= 0 && q->action_id != NULL)
        rc = db_tally_duplicates_of_action(c, out->action.id, &action_dups);
    if (rc >= 0 && q->matched_only) /* the matched claims' groups instead (basis matched) */
        rc = db_eligibility_groups(c, out->incident.id, r->a, &pool, &n_pool);
    if (rc >= 0 && q->matched_only && q->action_id != NULL)
        rc = db_eligibility_groups_of_action(c, out->action.id, r->a, &groups, &n);
    if (rc < 0)
        return rc;
    if (q->action_id == NULL) {
        groups = pool;
        n = n_pool;
    }
    int64_t d = q->action_id != NULL ? action_dups : dups;
    int64_t affected = out->incident.affected_count;
    out->counted = true;
    /* a figure that cannot be computed is this summary's failure, never the database's */
    if (out->has_scheme && summary_build(c, &out->scheme, groups, n, pool, n_pool,
                                         q->verified_only, affected, d, r->a, &out->view))
        return 1;
    summary_build(NULL, NULL, groups, n, pool, n_pool, q->verified_only, affected, d, r->a,
                  &out->view); /* the counts need no scheme and cannot fail */
    if (r->scheme_rc == 2) {
        log_bug("the scheme in force of incident %lld does not read",
                (long long)out->incident.id);
        return tx_answer(t, OUTCOME_INTERNAL);
    }
    if (!out->has_scheme)
        return 1;
    out->has_scheme = false;
    log_bug("summary of incident %lld could not be computed", (long long)out->incident.id);
    return tx_answer(t, OUTCOME_UNCOMPUTABLE);
}

/* Both on the primary, in one snapshot. */
static int
summary_body(PGconn *c, struct tx *t, void *ctx)
{
    int rc = subject_body(c, t, ctx);

    return rc != 1 ? rc : tallies_body(c, t, ctx);
}

/* An incident's own summary: the subject and the scheme on the primary, then the figures
 * from rows that do not grow with the claims (svc_compensation_summary) on `figures`. */
static enum outcome
incident_summary(PGconn *c, PGconn *figures, struct summary_read *r)
{
    struct summary_result *out = r->out;

    if (figures == c)
        out->source = (struct read_source){0};
    enum outcome o = svc_tx_run(c, "compensation.subject", TX_READ_ONLY, subject_body, r);
    if (o != OUTCOME_OK)
        return o;
    o = svc_compensation_summary(figures, out->incident.id,
                                 out->has_scheme ? &out->scheme : NULL, r->q->verified_only,
                                 out->incident.affected_count, r->a, &out->view);
    if (o == OUTCOME_UNCOMPUTABLE) {
        out->counted = true; /* svc_compensation_summary counted before it priced */
        out->has_scheme = false;
        return o;
    }
    if (o != OUTCOME_OK)
        return o;
    out->counted = true;
    if (r->scheme_rc == 2) {
        log_bug("the scheme in force of incident %lld does not read",
                (long long)out->incident.id);
        return OUTCOME_INTERNAL;
    }
    return OUTCOME_OK;
}

enum outcome
svc_rq_compensation_summary(const struct summary_query *q, struct arena *a,
                            struct summary_result *out)
{
    struct summary_read r = {q, a, out, 0};
    PGconn *c, *figures = NULL;

    memset(out, 0, sizeof *out);
    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    if (q->lag_ok)
        figures = svc_read_connection(&out->source);
    /* basis matched reads the claims with their eligibility (db_eligibility_groups): the
     * shape path has no eligibility state in its key */
    if (q->action_id == NULL && !q->matched_only)
        return incident_summary(c, figures != NULL ? figures : c, &r);
    if (figures == NULL || figures == c) {
        out->source = (struct read_source){0};
        return svc_tx_run(c, "compensation.summary", TX_READ_ONLY, summary_body, &r);
    }
    enum outcome o = svc_tx_run(c, "compensation.subject", TX_READ_ONLY, subject_body, &r);
    return o != OUTCOME_OK
               ? o
               : svc_tx_run(figures, "compensation.tallies", TX_READ_ONLY, tallies_body, &r);
}

enum outcome
svc_rq_compensation_current(int64_t incident_id, struct arena *a, struct scheme_record *out,
                            bool *found)
{
    PGconn *c;

    return svc_conn(&c) != OUTCOME_OK
               ? OUTCOME_UNAVAILABLE
               : svc_compensation_current(c, incident_id, a, out, found);
}

enum outcome
svc_rq_compensation_put(const struct audit_note *note, const char *slug, scheme_check_fn check,
                        void *check_ctx, struct arena *a, struct incident *inc_out,
                        struct scheme_record *out)
{
    PGconn *c;
    enum outcome o = svc_conn(&c);

    if (o == OUTCOME_OK)
        o = svc_incidents_get(c, slug, a, inc_out);
    if (o != OUTCOME_OK)
        return o;
    const char *json = check(check_ctx, inc_out);
    if (json == NULL)
        return OUTCOME_INVALID;
    return svc_compensation_put(c, note, inc_out, json, a, out);
}
