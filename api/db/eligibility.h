/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The controller's list in the database (db-migrations/0015_eligibility.sql): the intake's
 * per-claim row, the streamed import of a list version and the recompute that follows it. */
#ifndef RECOURS_DB_ELIGIBILITY_H
#define RECOURS_DB_ELIGIBILITY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/matching_key.h"
#include "db/pool.h"
#include "db/tallies.h"

extern const struct db_statement db_eligibility_statements[];

/* Inserts the eligibility rows of n new claims (claim_ids[i] of incident_ids[i], hashes
 * macs[i]) with their state against the list in force, in one statement inside the
 * caller's transaction; 0 or DB_*. */
/* Takes the switch lock of each incident shared, for the rest of the caller's transaction
 * (see db_eligibility_publish); call it before db_eligibility_insert_batch. 0 or DB_*. */
int db_eligibility_intake_lock(PGconn *c, const int64_t *incident_ids, int n);

/* The summary groups (db/tallies.h) of the incident's claims matched on its list, or of the
 * action's members matched (summary basis matched, docs/eligibility.md): a GROUP BY over the
 * claims, not the tallies. Count or DB_*; *out is arena memory. */
int db_eligibility_groups(PGconn *c, int64_t incident_id, struct arena *a,
                          struct tally_group **out, int *n_out);
int db_eligibility_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                                    struct tally_group **out, int *n_out);

/* A corrected claim evaluated again against the list in force (after
 * db_eligibility_intake_lock of its incident): its email and phone hashes replaced, its
 * notice code's too when macs has one (recours keeps no code in clear: without a new one the
 * stored hash stays); the row made when the claim had none. 0 or DB_*. */
int db_eligibility_correct(PGconn *c, int64_t claim_id, int64_t incident_id,
                           const struct matching_macs *macs);

int db_eligibility_insert_batch(PGconn *c, const int64_t *claim_ids, const int64_t *incident_ids,
                                const struct matching_macs *const *macs, int n);

/* ---- the import, on the operator's own connection (cli/eligibility.c) ---- */

/* What the list in force is: list_id 0 when none. */
struct eligibility_current {
    int64_t list_id;
    int version;
    uint8_t sha256[32];
};

/* Inside the caller's transaction: takes the incident's import lock (one import at a time)
 * and reads the list in force; 0 or DB_*. */
int db_eligibility_lock_current(PGconn *c, int64_t incident_id, struct eligibility_current *out);

/* Creates the transaction's staging table and enters COPY ... FROM STDIN; 0 or DB_*. */
int db_eligibility_copy_begin(PGconn *c);
/* One staged row (kind 1..3, a 32-byte hash), buffered by libpq; 0 or DB_*. */
int db_eligibility_copy_row(PGconn *c, int kind, const uint8_t mac[32]);
/* Ends the COPY; the number of staged rows, or DB_*. */
int64_t db_eligibility_copy_end(PGconn *c);

/* A new version from the staging table (duplicates folded) and, last, under the incident's
 * switch lock taken exclusively, the pointer switched to it;
 * *version_out, *entries_out set. 0 or DB_*. */
int db_eligibility_publish(PGconn *c, int64_t incident_id, const uint8_t sha256[32],
                           int64_t n_lines, int64_t n_malformed, int *version_out,
                           int64_t *entries_out);

/* After the switch committed: the entries of an older version (kept as history in
 * eligibility_lists), deleted; the rows deleted or DB_*. */
int64_t db_eligibility_drop_entries(PGconn *c, int64_t list_id);

/* One batch of the recompute: up to limit claims of the incident after *after_claim whose
 * state was computed against another list than the current one, evaluated again; sets
 * *after_claim to the last claim seen, *updated_out to the rows evaluated again. The rows examined (0: the walk reached the end), or
 * DB_*. Commits nothing: the caller commits each batch. */
int db_eligibility_recompute_batch(PGconn *c, int64_t incident_id, int64_t *after_claim,
                                   int limit, int64_t *updated_out);

/* Counts of the incident's claims per state (matched, unmatched, unknown); 0 or DB_*. */
int db_eligibility_counts(PGconn *c, int64_t incident_id, int64_t counts[3]);

#endif
