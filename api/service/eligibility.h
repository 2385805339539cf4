/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The controller's list (issue 14; docs/decisions.md "Eligibility: the controller's list"):
 * a claim's keyed hashes under its incident's matching key, made on the request thread; its
 * state written by the intake hook in the batch transaction; the streamed import of a list
 * version and the recompute of every claim's state that follows it. */
#ifndef RECOURS_SERVICE_ELIGIBILITY_H
#define RECOURS_SERVICE_ELIGIBILITY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/matching_key.h"
#include "crypto/secrets.h"
#include "core/outcome.h"
#include "db/tallies.h"
#include "domain/claim.h"

struct intake_submission;

/* The claim's hashes (normalised email, E.164 phone, notice code) under the incident's
 * matching key; false when OpenSSL fails. */
bool eligibility_prepare(const struct secrets *sec, int64_t incident_id,
                         const struct claim_input *claim, struct matching_macs *out);

/* The intake hook (service/intake_hooks.h): each accepted claim's eligibility row. */
int eligibility_intake_hook(PGconn *c, int shard, struct intake_submission *const *accepted,
                            int n);

/* How many of a list's malformed lines are reported by line number. */
#define ELIGIBILITY_REPORT_LINES 20

struct eligibility_import_result {
    int64_t lines;       /* non-blank lines read */
    int64_t malformed;
    int64_t bad_lines[ELIGIBILITY_REPORT_LINES]; /* the first malformed line numbers */
    int64_t entries;     /* distinct hashes of the new version */
    int version;         /* the version in force afterwards */
    bool unchanged;      /* the same file as the version in force: nothing written */
    bool refused;        /* too many malformed lines (or none valid): nothing written */
};

/* Streams the list in (one line at a time, COPY into a staging table), then in one
 * transaction publishes it as a new version, switches the pointer and appends the audit event
 * `eligibility.import` of incident slug (the operator's; its digest covers the list's SHA-256,
 * never a line of it: the audit key must be installed, service/audit.h); refused past
 * max_malformed_share (0..1) of malformed lines. progress (may be NULL) gets a line every
 * second. 0, or a DB_* status, or -100 on a read error of in. */
int eligibility_import(PGconn *c, int64_t incident_id, const char *slug, FILE *in,
                       double max_malformed_share, FILE *progress,
                       struct eligibility_import_result *out);

/* Records in the audit chain that the operator is writing the kit of incident slug (its
 * matching key) into out_dir: `eligibility.kit`, its digest over out_dir. Called before the
 * kit is written (a kit that fails halfway may hold the key already). The audit key must be
 * installed (service/audit.h). OUTCOME_OK, or why not. */
enum outcome eligibility_kit_audit(PGconn *c, const char *slug, const char *out_dir);

/* Every claim of the incident evaluated against the list in force, batch_size claims per
 * committed transaction (intake goes on meanwhile: it only inserts rows). Walks again until
 * a walk finds nothing stale (a claim written against the previous version while the walk
 * passed). The claims re-evaluated, or DB_*. */
int64_t eligibility_recompute(PGconn *c, int64_t incident_id, int batch_size, FILE *progress);

/* The summary groups of the claims matched on the controller's list (summary basis matched):
 * the incident's into *pool, and when action_id is not NULL its members' into *groups. OK or
 * the outcome of a database failure. */
enum outcome svc_eligibility_groups(PGconn *c, int64_t incident_id, const char *action_id,
                                    struct arena *a, struct tally_group **pool, int *n_pool,
                                    struct tally_group **groups, int *n);

/* Counts of the incident's claims per state: matched, unmatched, unknown; 0 or DB_*. */
int eligibility_counts(PGconn *c, int64_t incident_id, int64_t counts[3]);

#endif
