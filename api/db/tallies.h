/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Summary tallies (0005_compensation.sql): single-claim moves between groups, and the groups
 * a summary reads. */
#ifndef RECOURS_DB_TALLIES_H
#define RECOURS_DB_TALLIES_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct tally_key {
    int64_t incident_id;
    const char *status;
    const char *payment_preference;
    const char *country;
    unsigned int categories;
    int64_t documented_loss;
    int64_t hours_spent;
};

/* Where groups were read: the incident or action. A summary goes back to the claims, in the
 * snapshot it read the groups in, for the one thing groups cannot tell, which claims of a
 * boundary class come first by reference (domain/summary.h). Arena memory, valid for the
 * request. */
struct tally_source {
    int64_t incident_id;   /* 0 for an action's groups */
    const char *action_id; /* NULL for an incident's */
};

/* A group read back: the key (incident implied) and its count. */
struct tally_group {
    const char *status;
    bool cash;
    char country[3];
    unsigned int categories;
    int64_t documented_loss;
    int64_t hours_spent;
    int64_t n;
    const struct tally_source *source; /* shared by the groups of one read */
};

/* One (categories, documented_loss, hours_spent, cash) combination of a boundary class and
 * the award it earns before the cap. */
struct tally_boundary_key {
    unsigned int categories;
    int64_t documented_loss;
    int64_t hours_spent;
    bool cash;
    int64_t award;
};

/* What db_tally_boundary looks at: the eligible claims (status verified, or received too
 * unless verified_only) of the incident whose key is one of keys (repeats allowed), in
 * reference order (descending with from_end), the first `limit` of them. */
struct tally_boundary_query {
    int64_t incident_id;
    bool verified_only;
    const struct tally_boundary_key *keys;
    size_t n_keys;
    int64_t limit;
    bool from_end;
    const char *action_id; /* count its members too; NULL: none */
};

extern const struct db_statement db_tallies_statements[];

/* Adds delta (+1/-1) to key's group in the shard of single-claim changes. 1 or DB_*. */
int db_tally_add(PGconn *c, const struct tally_key *key, int delta);

/* Every non-empty group of the incident (all statuses). Count or DB_*; *out is arena
 * memory. */
int db_tally_groups(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                    int *n_out);

/* The groups a prepared statement of one text parameter answers (columns status, cash,
 * country, categories, documented_loss, hours_spent, n), without a source: the summary of
 * groups read another way than the tallies (db/eligibility.c, basis matched). Count or DB_*. */
/* Reads one group from column col of row of res on (the seven columns above), source NULL;
 * the group reader of db_tally_read_groups and of db/tally_shape.c's folded counts. */
void db_tally_group_at(const PGresult *res, int row, int col, struct arena *a,
                       struct tally_group *g);

int db_tally_read_groups(PGconn *c, const char *stmt, const char *param, struct arena *a,
                         struct tally_group **out, int *n_out);

/* The same groups computed from an action's members (GROUP BY over the claims whose member_action_id is it). */
int db_tally_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                              struct tally_group **out, int *n_out);

/* Among the claims q selects, how many have each award: awards[0..k) distinct ascending,
 * counts into all_out[j] and, of those, the members of q->action_id into members_out[j]
 * (both zeroed first). One statement; the keys travel as arrays. 1, or DB_* (a row whose
 * award is not in awards is DB_HARD, logged: the keys and awards disagree). */
int db_tally_boundary(PGconn *c, const struct tally_boundary_query *q, const int64_t *awards,
                      size_t k, int64_t *all_out, int64_t *members_out);

/* Refused duplicate submissions of the incident (sum of its shards), and of an action's
 * members (counted from claim_duplicates). */
int db_tally_duplicates(PGconn *c, int64_t incident_id, int64_t *n_out);
int db_tally_duplicates_of_action(PGconn *c, const char *action_id, int64_t *n_out);

#endif
