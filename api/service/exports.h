/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Exports for counsel (docs/api.md §12): the record, the awards of the rows (each member's
 * incident-wide award under the scheme in force, basis all, as the compensation summary has
 * it), the member pages, and the end of an export, recorded and audited together. */
#ifndef RECOURS_SERVICE_EXPORTS_H
#define RECOURS_SERVICE_EXPORTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/exports.h"
#include "service/compensation.h"
#include "service/read_source.h"
#include "domain/award_cap.h"
#include "domain/scheme.h"

struct arena;

/* The lease of a streaming export (db-migrations/0019_export_lease.sql): renewed for
 * EXPORT_LEASE_S seconds at least every --export-beat seconds (10 by default, far inside the
 * lease; the tests shorten it) while its client reads. A client that takes longer than the
 * lease over one 32 KiB block (under 300 bytes/s) loses it: the record reads interrupted and
 * the stream stops at its next block. */
#define EXPORT_LEASE_S 120

/* What every row's award needs, computed once when the export starts. */
struct export_awards {
    bool has_scheme; /* false: the award column is empty / null */
    struct scheme scheme;
    struct award_cap cap;
    /* under a binding cap: the last reference of the boundary class that gets a leftover
     * unit ("" when none does) */
    char cutoff[16];
};

/* Fills *out for the incident's pool under scheme s (NULL: none): reads the incident's
 * groups and, when the boundary class is split, the reference where its units stop. *out
 * holds no pointer into what was read. */
enum outcome svc_exports_awards(PGconn *c, int64_t incident_id, const struct scheme *s,
                                struct export_awards *out);

/* The award of member m (has false without a scheme; 0 when m is not eligible). False when
 * the figures do not compute (never for validated schemes and claims). */
bool svc_exports_award_of(const struct export_awards *w, const struct export_member *m,
                          bool *has_out, int64_t *award_out);

/* A new record (streaming) for the action, asked by its association. */
enum outcome svc_exports_create(PGconn *c, const char *action_id, const char *association_id,
                                const char *format, const char *separator, struct arena *a,
                                struct export_record *out);

/* The record if association_id asked for it (NULL: any, for the operator), else NOT_FOUND. */
enum outcome svc_exports_get(PGconn *c, const char *id, const char *association_id, struct arena *a,
                             struct export_record *out);

/* What an export sent, once it ended. */
struct export_end {
    const char *export_id, *action_id, *format, *separator;
    const char *actor;  /* "association:<id>" */
    const char *status; /* complete | aborted */
    int64_t rows, bytes;
    const char *sha256_hex;
};

/* Ends the record and appends the audit event "action.export" (object: the export) in one
 * transaction. The event's digest is the SHA-256 of the end as canonical JSON (ids, format,
 * separator, status, rows, bytes, sha256): no personal data, and the record's figures can be
 * checked against it. NOT_FOUND when the record had already ended or its lease had run out. */
enum outcome svc_exports_finish(PGconn *c, const struct export_end *e);

/* What starting an export takes (GET /v1/actions/{id}/export). */
struct export_start {
    const char *action_id;
    const char *association_id; /* the caller, who must own the action */
    const char *format;         /* NULL: the request's parameters were refused (INVALID) */
    const char *separator;
    scheme_decode_fn decode;    /* reads the scheme in force */
};

struct export_started {
    struct incident incident;
    struct export_awards awards;
    struct export_record record; /* just created, streaming */
    struct read_source pages;    /* where the member pages will be read (a replica may lag) */
};

/* Starts an export: the caller's action (NOT_FOUND), then INVALID when the parameters were
 * refused, then the awards of its incident's pool under the scheme in force (INTERNAL when it
 * does not read) and a new record. */
enum outcome svc_rq_exports_start(const struct export_start *q, struct arena *a,
                                  struct export_started *out);

/* Entry points for handlers: the same on the calling thread's connection (service/conn.h);
 * the member pages come from service/export_pages.h (on a replica when there is one). */
enum outcome svc_rq_exports_get(const char *id, const char *association_id, struct arena *a,
                                struct export_record *out);
enum outcome svc_rq_exports_finish(const struct export_end *e);

/* Renews the lease of a streaming export, with what it sent so far, on the calling thread's
 * connection (service/conn.h). NOT_FOUND when the lease had run out: the record reads
 * interrupted, and the stream must stop. */
enum outcome svc_rq_exports_beat(const char *export_id, int64_t rows, int64_t bytes);

#endif
