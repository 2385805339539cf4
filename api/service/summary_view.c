/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A summary's figures from tally groups: counts by status, payment, category and country, and
 * the money through domain/summary.c, with the boundary tie-break that reads the claims in
 * reference order. */
#include "service/summary_view.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "domain/award.h"
#include "domain/summary_subset.h"

static int
status_index(const char *status)
{
    static const char *const names[] = {"received", "verified", "rejected", "withdrawn"};

    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], status) == 0)
            return i;
    return -1;
}

bool
summary_group_eligible(const struct tally_group *g, bool verified_only)
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
        if (!summary_group_eligible(&g[i], verified_only) || g[i].n <= 0)
            continue;
        out[k++] = (struct claim_group){g[i].categories, g[i].documented_loss, g[i].hours_spent,
                                        g[i].cash, g[i].n};
    }
    *n_out = k;
    return out;
}

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
bool
summary_split_by_reference(void *ctx, const struct summary_boundary *b, int64_t *units_out)
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
        if (!summary_group_eligible(g, verified_only))
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
    struct summary_tiebreak tb = {summary_split_by_reference, &ctx};
    /* no source (groups not read from the database): the proportional split */
    bool can_read = c != NULL && inc != NULL && (pool_groups == groups || act != NULL);
    out->has_money = true;
    if (pool_groups == groups)
        return summary_compute(scheme, members, n_members, affected_count,
                               can_read ? &tb : NULL, &out->money);
    return summary_compute_subset(scheme, pool, n_all, members, n_members, affected_count,
                                  can_read ? &tb : NULL, &out->money);
}
