/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation summaries of an incident or of an action's members (the subject, the scheme
 * in force or a simulation's proposal, the groups of one snapshot), and the scheme's storage.
 * The figures are built by service/summary_view.c; an incident's own summary reads its
 * shape (service/incident_summary.c). */
#include "service/compensation.h"

#include <string.h>

#include "core/log.h"
#include "db/eligibility.h"
#include "db/errors.h"
#include "service/audited_write.h"
#include "service/conn.h"
#include "service/incidents.h"
#include "service/read_source.h"
#include "service/tx.h"

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

/* The write of svc_compensation_put: target, the incident; in, the scheme's JSON. */
static int
put(PGconn *c, struct tx *t, const struct audited_write *w)
{
    const struct incident *inc = w->target;

    (void)t;
    return db_schemes_put(c, inc->id, w->in, w->a, w->out);
}

enum outcome
svc_compensation_put(PGconn *c, const struct audit_note *note, const struct incident *inc,
                     const char *json, struct arena *a, struct scheme_record *out)
{
    /* the incident row changes too (scheme_version, updated_at) */
    struct audited_write w = {.write = put, .note = note, .event = "scheme.put",
                              .object_type = "incident", .object_id = &inc->slug,
                              .target = inc, .in = json, .a = a, .out = out,
                              .stales_lookup_cache = true};

    return svc_audited_write(c, "compensation.put", &w);
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
