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

/* A group read back: the key (incident implied) and its count. */
struct tally_group {
    const char *status;
    bool cash;
    char country[3];
    unsigned int categories;
    int64_t documented_loss;
    int64_t hours_spent;
    int64_t n;
};

extern const struct db_statement db_tallies_statements[];

/* Adds delta (+1/-1) to key's group in the shard of single-claim changes. 1 or DB_*. */
int db_tally_add(PGconn *c, const struct tally_key *key, int delta);

/* Every non-empty group of the incident (all statuses). Count or DB_*; *out is arena
 * memory. */
int db_tally_groups(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                    int *n_out);

/* The same groups computed from an action's members (GROUP BY over memberships ⨝ claims). */
int db_tally_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                              struct tally_group **out, int *n_out);

/* Refused duplicate submissions of the incident (sum of its shards), and of an action's
 * members (counted from claim_duplicates). */
int db_tally_duplicates(PGconn *c, int64_t incident_id, int64_t *n_out);
int db_tally_duplicates_of_action(PGconn *c, const char *action_id, int64_t *n_out);

#endif
