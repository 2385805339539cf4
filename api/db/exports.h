/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Exports for counsel (0007_exports.sql): the export records, and the reads an export makes —
 * its action's members a page at a time in submission order (keyset, one short autocommit
 * statement per page: nothing stays open between pages) and, under a binding fund cap, where
 * the boundary class's leftover units stop by reference. */
#ifndef RECOURS_DB_EXPORTS_H
#define RECOURS_DB_EXPORTS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"
#include "db/tallies.h"
#include "domain/claim.h"

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
    const char *status; /* streaming | complete | aborted | interrupted (its lease ran out) */
    const char *created_at;
    const char *completed_at; /* NULL while streaming */
};

/* A member as the export reads it: the claim's clear columns, its sealed personal part and
 * its mandate. The strings and the sealed bytes point into the page it was read from
 * (db_exports_member_read), valid until that page is cleared; the country is copied. */
struct export_member {
    int64_t id; /* the claim's, never sent: with created_at, where the next page starts */
    char reference[16];
    int data_key_id;
    const uint8_t *pii; /* NULL once erased */
    size_t pii_len;
    struct claim_facts facts;
    const char *status;
    const char *mandated_at, *mandate_text_version, *mandate_channel; /* mandated_at: NULL */
    const char *created_at;
    const char *eligibility, *eligibility_matched; /* issue 14 */
    const char *evidence;  /* "<file id>:<sha256>" of each evidence file, '|'-joined, in order */
    char time_text[2][28]; /* where mandated_at and created_at are */
};

/* One page of members as PostgreSQL sent it (binary); its rows are read in place. */
struct db_exports_page {
    PGresult *res;
    int members; /* its first rows; the evidence rows follow */
};

extern const struct db_statement db_exports_statements[];

/* A new record, status streaming, its lease running lease_s seconds; *out filled (arena).
 * 1 or DB_*. */
int db_exports_insert(PGconn *c, const char *action_id, const char *association_id,
                      const char *format, const char *separator, int lease_s, struct arena *a,
                      struct export_record *out);

/* The record of id: 1, 0 when none. */
int db_exports_get(PGconn *c, const char *id, struct arena *a, struct export_record *out);

/* Ends a streaming record with status (complete | aborted), rows, bytes and sha256_hex. 1, or
 * 0 when it was not streaming any more or its lease had run out (it reads interrupted). */
int db_exports_finish(PGconn *c, const char *id, const char *status, int64_t rows, int64_t bytes,
                      const char *sha256_hex);

/* Renews a streaming record's lease for lease_s seconds from now, with the rows and bytes sent
 * so far: 1, or 0 when the lease had already run out (or the record ended). */
int db_exports_beat(PGconn *c, const char *id, int64_t rows, int64_t bytes, int lease_s);

/* Where an export's next page starts: after the member submitted at created_at (RFC 3339
 * with microseconds, "" from the start) with claim id id. */
struct export_after {
    char created_at[28];
    int64_t id;
};

/* An export's members a page at a time, in two halves, so that the caller works while
 * PostgreSQL reads the page (the export's pipeline): _send sends the statement for at most
 * limit members of action_id after *after, in submission order (created_at, then the claim's
 * id: docs/api.md §12.2) (1 or DB_*); _recv waits for its rows into *out (their count, or
 * DB_* with out->res NULL), consuming every result so that the connection is idle again.
 * After a successful _send, the caller must call _recv; a page received must be cleared
 * (db_exports_page_clear). */
int db_exports_members_send(PGconn *c, const char *action_id, const struct export_after *after,
                            int limit);
int db_exports_members_recv(PGconn *c, struct db_exports_page *out);

/* Row i of the page into *m (pointing into the page): false when the row is malformed. */
bool db_exports_member_read(const struct db_exports_page *page, int i, struct export_member *m);

/* Frees the page's rows (accepts an empty page). */
void db_exports_page_clear(struct db_exports_page *page);

/* The reference of the rank-th (1-based) eligible claim of the incident, in reference order,
 * among those whose key is one of keys[0..n_keys) (the boundary class): into ref_out (16
 * bytes). 1, 0 when there are fewer, or DB_*. */
int db_exports_class_cutoff(PGconn *c, int64_t incident_id, const struct tally_boundary_key *keys,
                            size_t n_keys, int64_t rank, char *ref_out);

#endif
