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
