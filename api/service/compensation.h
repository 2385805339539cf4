/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation summaries (docs/api.md §11.4) of an incident or of an action's members, for the
 * scheme in force or a proposed one, from the summary tallies (never the claims table for
 * an incident). */
#ifndef RECOURS_SERVICE_COMPENSATION_H
#define RECOURS_SERVICE_COMPENSATION_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/incidents.h"
#include "db/schemes.h"
#include "db/tallies.h"
#include "db/tally_shape.h"
#include "domain/summary.h"
#include "domain/summary_subset.h"
#include "service/audit.h"
#include "service/read_source.h"

struct arena;

#define COUNTRY_SLOTS 64

struct summary_view {
    int64_t by_status[4];         /* received, verified, rejected, withdrawn */
    int64_t duplicate_attempts;
    int64_t eligible;
    int64_t by_payment[2];        /* voucher, cash */
    int64_t by_category[DATA_CATEGORY_COUNT];
    struct { char country[3]; int64_t n; } by_country[COUNTRY_SLOTS];
    int n_countries;
    int64_t other_countries;      /* beyond COUNTRY_SLOTS distinct countries (never seen) */
    bool has_money;               /* a scheme was given */
    struct summary_money money;
};

/* Counts and money of groups for scheme (NULL: no money) with eligibility by basis. For an
 * action, pool_groups are the incident's (the pool is always the whole incident, docs/api.md
 * §11.3) and groups the members'; for an incident both are the same. When a fund cap binds and
 * the boundary remainder class needs references (domain/summary.h), one query reads them over
 * c, the connection of the snapshot the groups were read in (tally_group.source tells which
 * incident or action); with c NULL, or groups without a source, the proportional split. */
bool summary_build(PGconn *c, const struct scheme *scheme, const struct tally_group *groups,
                   int n, const struct tally_group *pool_groups, int n_pool, bool verified_only,
                   int64_t affected_count, int64_t duplicates, struct arena *a,
                   struct summary_view *out);

/* The summary of an incident (docs/api.md §11.4) for scheme (NULL: counts only), from a number
 * of rows that does not grow with the claims, in one read-only snapshot: when the incident
 * has at most the exact-groups limit of claim_tallies rows (a bounded probe tells), those
 * groups, every figure exact; else the folded counts and cells (kept in this process by
 * fold version: service/summary_cache.h), the unfolded changes (at most 65,536, else folded
 * here first; OUTCOME_UNAVAILABLE when that cannot be done, as on a replica) and the loss and
 * hours sums under the scheme's caps (domain/summary_shape.h says what is exact); the figures
 * themselves are kept too, by folded state, changes and scheme (summary_cache_get_view), so a
 * repeated call answers without computing them again. Memory:
 * O(limit + cells + count groups), arena and temporary, whatever the claims.
 * OUTCOME_UNCOMPUTABLE when a figure cannot be computed (logged). */
enum outcome svc_compensation_summary(PGconn *c, int64_t incident_id, const struct scheme *scheme,
                                      bool verified_only, int64_t affected_count,
                                      struct arena *a, struct summary_view *out);

/* Folds a slice of the summary's unfolded changes (claim_shape_log of 0013, any incidents)
 * in one transaction; *folded_out how many (0: none left that this snapshot sees). The
 * server's fold thread calls it every second (cli/summary_fold_job.h). */
enum outcome svc_compensation_fold(PGconn *c, int64_t *folded_out);

/* Up to how many claim_tallies rows svc_compensation_summary reads the exact groups (every
 * figure exact, as summary_compute) rather than the cells; set once at start-up (serve). */
void svc_compensation_set_exact_groups(int n);

/* Reads a stored scheme (the jsonb text of scheme_record.json) into *out; false when it does
 * not read. The service knows no JSON: the handlers' JSON layer gives it
 * (handlers/scheme_json.h). */
typedef bool (*scheme_decode_fn)(const char *json, struct scheme *out);

/* A simulation's proposed scheme, chosen once the incident is known (its currency); false
 * when the proposal is refused (the chooser keeps its own errors). May run more than once
 * (the read is retried as a whole): it only computes. */
typedef bool (*scheme_choose_fn)(void *ctx, const struct incident *inc, struct scheme *out);

/* Which summary (docs/api.md §11.4, §11.5): of exactly one of incident, incident_slug or
 * action_id. */
struct summary_query {
    const struct incident *incident; /* already read (the incident's totals) */
    const char *incident_slug;
    const char *action_id;           /* the action's members; the pool is its incident */
    const char *association_id;      /* the action's owner must be this one; NULL: any */
    bool verified_only;
    bool matched_only;               /* the claims matched on the controller's list */
    scheme_decode_fn decode;         /* reads the scheme in force ... */
    scheme_choose_fn choose;         /* ... unless a simulation proposes one */
    void *choose_ctx;
    bool lag_ok;                     /* the figures may come from a replica (docs/api.md §16) */
};

struct summary_result {
    struct incident incident;
    struct action action;  /* with action_id */
    bool counted;          /* the groups were read: view holds the counts at least */
    bool has_scheme;       /* view holds money too */
    struct scheme scheme;
    int scheme_version;    /* of the scheme in force; 0 for none or a proposal */
    struct summary_view view;
    struct read_source source; /* where the figures were read (a replica may lag) */
};

/* One summary from read-only snapshots (REPEATABLE READ READ ONLY, service/tx.h): the
 * incident or action and the scheme on the calling thread's connection; the groups and the
 * boundary references in one snapshot, on a replica when q->lag_ok and one answers (then
 * out->source says so), else in the same snapshot as the rest. OUTCOME_OK; NOT_FOUND (no
 * such incident, or action of association_id); INVALID when choose refused; INTERNAL when
 * the stored scheme does not read and UNCOMPUTABLE when its money cannot be computed (both
 * logged as bugs; the counts are in out->view, counted true); else the database's outcome. */
enum outcome svc_rq_compensation_summary(const struct summary_query *q, struct arena *a,
                                         struct summary_result *out);

/* The scheme in force of the incident (found false when none), on the calling thread's
 * connection. */
enum outcome svc_rq_compensation_current(int64_t incident_id, struct arena *a,
                                         struct scheme_record *out, bool *found);

/* Stores a new version of the scheme of the incident of slug (audited); NOT_FOUND without the
 * incident. check validates the body against the incident (its currency) and returns the
 * canonical JSON text to store, or NULL when it refused the body (the run answers INVALID;
 * it keeps its own errors). */
typedef const char *(*scheme_check_fn)(void *ctx, const struct incident *inc);
enum outcome svc_rq_compensation_put(const struct audit_note *note, const char *slug,
                                     scheme_check_fn check, void *check_ctx, struct arena *a,
                                     struct incident *inc_out, struct scheme_record *out);

/* The incident's groups and duplicate count. */
enum outcome svc_compensation_groups(PGconn *c, int64_t incident_id, struct arena *a,
                                     struct tally_group **groups, int *n, int64_t *duplicates);

/* The action's member groups and the duplicate attempts linked to its members. */
enum outcome svc_compensation_action_groups(PGconn *c, const char *action_id, struct arena *a,
                                            struct tally_group **groups, int *n,
                                            int64_t *duplicates);

/* The scheme in force (found false when none). */
enum outcome svc_compensation_current(PGconn *c, int64_t incident_id, struct arena *a,
                                      struct scheme_record *out, bool *found);

/* Stores a new version (audited). */
enum outcome svc_compensation_put(PGconn *c, const struct audit_note *note,
                                  const struct incident *inc, const char *json, struct arena *a,
                                  struct scheme_record *out);

#endif
