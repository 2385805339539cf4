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
#include "service/audit.h"
#include "service/incident_summary.h"
#include "service/read_source.h"
#include "service/summary_view.h"

struct arena;

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

/* The scheme in force (found false when none). */
enum outcome svc_compensation_current(PGconn *c, int64_t incident_id, struct arena *a,
                                      struct scheme_record *out, bool *found);

/* Stores a new version (audited). */
enum outcome svc_compensation_put(PGconn *c, const struct audit_note *note,
                                  const struct incident *inc, const char *json, struct arena *a,
                                  struct scheme_record *out);

#endif
