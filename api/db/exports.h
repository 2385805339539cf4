/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Exports for counsel (0007_exports.sql): the export records, and the reads an export makes —
 * its action's members a page at a time by reference (keyset, one short autocommit statement
 * per page: nothing stays open between pages) and, under a binding fund cap, where the
 * boundary class's leftover units stop by reference. */
#ifndef RECOURS_DB_EXPORTS_H
#define RECOURS_DB_EXPORTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"
#include "db/tallies.h"

struct arena;

struct export_record {
    const char *id;
    const char *action_id;
    const char *association_id;
    const char *format;    /* csv | ndjson */
    const char *separator; /* , | ; */
    int64_t rows;
    int64_t bytes;
    const char *sha256; /* lower-case hex, NULL while streaming */
    const char *status; /* streaming | complete | aborted */
    const char *created_at;
    const char *completed_at; /* NULL while streaming */
};

/* A member as the export reads it: the claim's clear columns, its sealed personal part and
 * its mandate. Arena strings. */
struct export_member {
    char reference[16];
    int data_key_id;
    uint8_t *pii; /* NULL once erased */
    size_t pii_len;
    const char *country;
    unsigned int categories;
    bool phishing, identity_theft, distress;
    int64_t documented_loss;
    int64_t hours_spent;
    const char *payment_preference;
    const char *status;
    const char *mandated_at, *mandate_text_version, *mandate_channel;
    const char *created_at;
    const char *eligibility, *eligibility_matched; /* issue 14 */
};

extern const struct db_statement db_exports_statements[];

/* A new record, status streaming; *out filled (arena). 1 or DB_*. */
int db_exports_insert(PGconn *c, const char *action_id, const char *association_id,
                      const char *format, const char *separator, struct arena *a,
                      struct export_record *out);

/* The record of id: 1, 0 when none. */
int db_exports_get(PGconn *c, const char *id, struct arena *a, struct export_record *out);

/* Ends a streaming record with status (complete | aborted), rows, bytes and sha256_hex. 1, or
 * 0 when it was not streaming any more. */
int db_exports_finish(PGconn *c, const char *id, const char *status, int64_t rows, int64_t bytes,
                      const char *sha256_hex);

/* At most limit members of action_id with reference > after ("" from the start), by
 * reference, into out[]; *n_out their number. Count or DB_*. */
int db_exports_members(PGconn *c, const char *action_id, const char *after, int limit,
                       struct arena *a, struct export_member *out, int *n_out);

/* The reference of the rank-th (1-based) eligible claim of the incident, in reference order,
 * among those whose key is one of keys[0..n_keys) (the boundary class): into ref_out (16
 * bytes). 1, 0 when there are fewer, or DB_*. */
int db_exports_class_cutoff(PGconn *c, int64_t incident_id, const struct tally_boundary_key *keys,
                            size_t n_keys, int64_t rank, char *ref_out);

#endif
