/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Export use cases (see exports.h). Nothing here holds a transaction across pages: the
 * records are single statements, the end one short transaction with its audit event. */
#include "service/exports.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/tallies.h"
#include "domain/award.h"
#include "service/actions.h"
#include "service/audit.h"
#include "service/conn.h"
#include "service/incidents.h"
#include "service/tx.h"

/* docs/api.md §12.3: basis all. */
static bool
is_eligible(const char *status)
{
    return strcmp(status, "received") == 0 || strcmp(status, "verified") == 0;
}

/* The pool's eligible groups as claim groups. */
static struct claim_group *
pool_of(const struct tally_group *g, int n, struct arena *a, size_t *n_out)
{
    struct claim_group *out = arena_alloc(a, sizeof *out * (size_t)(n > 0 ? n : 1));
    size_t k = 0;

    for (int i = 0; i < n; i++)
        if (is_eligible(g[i].status) && g[i].n > 0)
            out[k++] = (struct claim_group){g[i].categories, g[i].documented_loss, g[i].hours_spent,
                                            g[i].cash, g[i].n};
    *n_out = k;
    return out;
}

/* Reads where the boundary class's units stop: the keys of its groups, then the units-th
 * claim of the class by reference. */
static enum outcome
read_cutoff(PGconn *c, int64_t incident_id, const struct claim_group *pool, size_t n,
            struct arena *a, struct export_awards *w)
{
    struct tally_boundary_key *keys = arena_alloc(a, sizeof *keys * (n + 1));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        struct award_parts p;
        int64_t after;
        enum award_unit unit;
        if (!award_compute(&w->scheme, pool[i].categories, pool[i].documented_loss,
                           pool[i].hours_spent, pool[i].cash, &p) ||
            !award_cap_apply(&w->cap, p.total, &after, &unit))
            return OUTCOME_UNCOMPUTABLE;
        if (unit == AWARD_UNIT_BY_REFERENCE)
            keys[k++] = (struct tally_boundary_key){pool[i].categories, pool[i].documented_loss,
                                                    pool[i].hours_spent, pool[i].cash, p.total};
    }
    int rc = db_exports_class_cutoff(c, incident_id, keys, k, w->cap.units, w->cutoff);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0) {
        /* claims moved between the two reads: the split is then as of this moment */
        log_warn("export: the boundary class changed while read; its units follow the claims now");
        w->cutoff[0] = '\0';
    }
    return OUTCOME_OK;
}

/* The figures need the incident's tally groups, which are as many as its distinct claim
 * shapes (up to one per claim): they live in an arena of their own, freed before the first
 * row is sent, so an export holds only *out while it streams. */
static enum outcome
awards_from_groups(PGconn *c, int64_t incident_id, struct arena *tmp, struct export_awards *out)
{
    struct tally_group *groups = NULL;
    size_t n_pool = 0;
    int n = 0;

    int rc = db_tally_groups(c, incident_id, tmp, &groups, &n);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    struct claim_group *pool = pool_of(groups, n, tmp, &n_pool);
    if (!award_cap_prepare(&out->scheme, pool, n_pool, &out->cap))
        return OUTCOME_UNCOMPUTABLE; /* never the database's: no 503 */
    if (!out->cap.capped || out->cap.units == 0)
        return OUTCOME_OK;
    return read_cutoff(c, incident_id, pool, n_pool, tmp, out);
}

enum outcome
svc_exports_awards(PGconn *c, int64_t incident_id, const struct scheme *s,
                   struct export_awards *out)
{
    memset(out, 0, sizeof *out);
    if (s == NULL)
        return OUTCOME_OK;
    out->has_scheme = true;
    out->scheme = *s;
    struct arena *tmp = arena_new();
    enum outcome o = awards_from_groups(c, incident_id, tmp, out);
    arena_free(tmp);
    return o;
}

bool
svc_exports_award_of(const struct export_awards *w, const struct export_member *m, bool *has_out,
                     int64_t *award_out)
{
    struct award_parts p;
    enum award_unit unit;

    *has_out = w->has_scheme;
    *award_out = 0;
    if (!w->has_scheme || !is_eligible(m->status))
        return true;
    const struct claim_facts *f = &m->facts;
    if (!award_compute(&w->scheme, f->categories, f->documented_loss, f->hours_spent,
                       strcmp(f->payment_preference, "cash") == 0, &p) ||
        !award_cap_apply(&w->cap, p.total, award_out, &unit))
        return false;
    /* docs/api.md §11.3: leftover units to the largest remainders, ties by reference ascending */
    if (unit == AWARD_UNIT_ONE || (unit == AWARD_UNIT_BY_REFERENCE && w->cutoff[0] != '\0' &&
                                   strcmp(m->reference, w->cutoff) <= 0))
        (*award_out)++;
    return true;
}

enum outcome
svc_exports_create(PGconn *c, const char *action_id, const char *association_id, const char *format,
                   const char *separator, struct arena *a, struct export_record *out)
{
    int rc = db_exports_insert(c, action_id, association_id, format, separator, EXPORT_LEASE_S,
                               a, out);

    return rc == 1 ? OUTCOME_OK : tx_outcome_of(c, rc);
}

enum outcome
svc_exports_get(PGconn *c, const char *id, const char *association_id, struct arena *a,
                struct export_record *out)
{
    int rc = db_exports_get(c, id, a, out);

    return tx_owned_outcome(c, rc, &out->association_id, association_id);
}

struct finish {
    struct audit_note note;
    const struct export_end *e;
};

static int
finish_body(PGconn *c, struct tx *t, void *ctx)
{
    struct finish *x = ctx;
    const struct export_end *e = x->e;
    int rc = db_exports_finish(c, e->export_id, e->status, e->rows, e->bytes, e->sha256_hex);

    (void)t;
    if (rc != 1)
        return rc <= 0 ? rc : DB_HARD; /* 0: no such export */
    return tx_audited(svc_audit(c, &x->note, "action.export", "export", e->export_id));
}

enum outcome
svc_exports_finish(PGconn *c, const struct export_end *e)
{
    char change[512];
    int len = snprintf(change, sizeof change,
                       "{\"action_id\":\"%s\",\"bytes\":%" PRId64 ",\"export_id\":\"%s\","
                       "\"format\":\"%s\",\"rows\":%" PRId64 ",\"separator\":\"%s\","
                       "\"sha256\":\"%s\",\"status\":\"%s\"}",
                       e->action_id, e->bytes, e->export_id, e->format, e->rows, e->separator,
                       e->sha256_hex, e->status);
    if (len < 0 || (size_t)len >= sizeof change)
        return OUTCOME_INTERNAL;
    struct finish x = {{e->actor, change, (size_t)len}, e};
    return svc_tx_run(c, "exports.finish", TX_READ_WRITE, finish_body, &x);
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_exports_get,
               (const char *id, const char *association_id, struct arena *a,
                struct export_record *out),
               svc_exports_get, id, association_id, a, out)

SVC_RQ_ON_CONN(svc_rq_exports_finish, (const struct export_end *e), svc_exports_finish, e)

enum outcome
svc_rq_exports_start(const struct export_start *q, struct arena *a, struct export_started *out)
{
    struct scheme_record rec;
    struct scheme s;
    struct action x;
    bool has = false;
    PGconn *c;
    enum outcome o = svc_conn(&c);

    if (o == OUTCOME_OK)
        o = svc_actions_get(c, q->action_id, q->association_id, a, &x);
    if (o == OUTCOME_OK)
        o = svc_incidents_get(c, x.incident, a, &out->incident);
    if (o == OUTCOME_OK && q->format == NULL)
        o = OUTCOME_INVALID;
    if (o == OUTCOME_OK)
        o = svc_compensation_current(c, out->incident.id, a, &rec, &has);
    if (o == OUTCOME_OK && has && !q->decode(rec.json, &s))
        o = OUTCOME_INTERNAL;
    if (o == OUTCOME_OK)
        o = svc_exports_awards(c, out->incident.id, has ? &s : NULL, &out->awards);
    if (o == OUTCOME_OK)
        o = svc_exports_create(c, x.id, q->association_id, q->format, q->separator, a,
                               &out->record);
    /* where the pages will come from, for the answer to say how far behind they may be */
    if (o == OUTCOME_OK && svc_read_connection(&out->pages) == NULL)
        out->pages = (struct read_source){0};
    return o;
}

enum outcome
svc_rq_exports_beat(const char *export_id, int64_t rows, int64_t bytes)
{
    PGconn *c = NULL;
    enum outcome o = svc_conn(&c);

    if (o == OUTCOME_OK) {
        int rc = db_exports_beat(c, export_id, rows, bytes, EXPORT_LEASE_S);
        o = rc == 1 ? OUTCOME_OK : rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
    }
    svc_conn_release();
    return o;
}
