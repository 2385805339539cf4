/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Incident use cases: create, read, list open ones, update (merge patch), close/reopen. */
#ifndef RECOURS_SERVICE_INCIDENTS_H
#define RECOURS_SERVICE_INCIDENTS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/incidents.h"
#include "service/audit.h"

/* The largest affected_count (docs/api.md §10.1: 0–10^10), for the API and the command line
 * alike. */
#define INCIDENT_AFFECTED_MAX INT64_C(10000000000)

struct arena;

/* Members a PATCH gave; unset ones keep their value. */
struct incident_patch {
    bool has_controller, has_title, has_disclosed_on, has_affected_count;
    bool has_data_categories, has_authority_reference, has_status;
    struct incident value; /* the given values (authority_reference NULL = remove) */
};

/* Creates the incident and its audit event in one transaction. */
enum outcome svc_incidents_create(PGconn *c, const struct audit_note *note,
                                  const struct incident *in, struct arena *a,
                                  struct incident *out);
enum outcome svc_incidents_get(PGconn *c, const char *slug, struct arena *a,
                               struct incident *out);
enum outcome svc_incidents_update(PGconn *c, const struct audit_note *note, const char *slug,
                                  const struct incident_patch *p, struct arena *a,
                                  struct incident *out);
/* Up to limit open incidents after position; *n_out of them in out. *more_out: a further
 * page exists. */
enum outcome svc_incidents_list_open(PGconn *c, const char *after, int limit, struct arena *a,
                                     struct incident *out, int *n_out, bool *more_out);

/* For an entry point whose work starts from the incident of slug: the calling thread's
 * connection into *c_out and the incident into *out; UNAVAILABLE without a connection,
 * NOT_FOUND for no such incident. */
enum outcome svc_incident_here(const char *slug, struct arena *a, PGconn **c_out,
                               struct incident *out);

/* Entry points for handlers: the same on the calling thread's connection (service/conn.h). */
enum outcome svc_rq_incidents_create(const struct audit_note *note, const struct incident *in,
                                     struct arena *a, struct incident *out);
enum outcome svc_rq_incidents_get(const char *slug, struct arena *a, struct incident *out);
enum outcome svc_rq_incidents_update(const struct audit_note *note, const char *slug,
                                     const struct incident_patch *p, struct arena *a,
                                     struct incident *out);
enum outcome svc_rq_incidents_list_open(const char *after, int limit, struct arena *a,
                                        struct incident *out, int *n_out, bool *more_out);

#endif
