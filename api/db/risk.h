/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Risk flags' statements (db-migrations/0018_risk.sql, docs/risk.md): the intake's row per
 * claim with its counts and flags, the periodic job's passes (network and address counts of
 * recent claims, the email check after N days, the erasure of network hashes after the
 * retention period), one claim's flags with live counts, an incident's flags per day, and
 * the member list's filter conditions. */
#ifndef RECOURS_DB_RISK_H
#define RECOURS_DB_RISK_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/statements.h"
#include "domain/risk.h"

struct arena;

extern const struct db_statement db_risk_statements[];

/* One accepted claim of an intake batch. */
struct risk_row {
    int64_t claim_id;
    int64_t incident_id;
    const char *created_at; /* RFC 3339 */
    const struct risk_signals *sig;
};

/* The thresholds: a count above its max raises its flag. */
struct risk_limits {
    int network_max; /* claims from one network within an hour */
    int address_max; /* claims at one address */
};

/* The rows of an intake batch, each with its counts (other claims of the incident before it,
 * and the batch's own) and its flags, in one statement. 0 or DB_*. */
int db_risk_insert_batch(PGconn *c, const struct risk_row *rows, int n,
                         const struct risk_limits *lim);

/* A corrected claim's address and email signals (its network stays the submission's): the
 * address count made again, the address and disposable_email flags set or cleared. 0 (also
 * for a claim without a risk row) or DB_*. */
int db_risk_correct(PGconn *c, int64_t claim_id, const struct risk_signals *sig,
                    const struct risk_limits *lim);

/* Whether this transaction took the job's lock (one pass at a time over every node): 1 yes,
 * 0 no, or DB_*. */
int db_risk_try_lock(PGconn *c);

/* The steps of the periodic pass, each one statement of two integer parameters (a, b):
 *   RISK_STEP_NETWORK (lookback_s, network_max): network counts within an hour of each claim
 *     (before and after), for the claims not yet flagged that share a network with a claim
 *     made in the last lookback_s seconds;
 *   RISK_STEP_ADDRESS (lookback_s, address_max): address counts of the claims not yet
 *     flagged that share an address with a recent claim;
 *   RISK_STEP_EMAIL (days, limit): at most limit claims older than days whose email check is
 *     pending: flagged when the email is still not confirmed, no longer pending either way;
 *   RISK_STEP_EXPIRE (hours, limit): at most limit network hashes older than hours erased. */
enum risk_step { RISK_STEP_NETWORK, RISK_STEP_ADDRESS, RISK_STEP_EMAIL, RISK_STEP_EXPIRE };

/* One step; the rows it changed, or DB_*. */
int64_t db_risk_pass_step(PGconn *c, enum risk_step step, int a, int b);

/* 1 (*out filled), 0 (no row; out->present false) or DB_*. */
int db_risk_claim(PGconn *c, int64_t claim_id, struct arena *a, struct risk_view *out);

/* The incident's days with claims, oldest first, at most 3660 (arena). 1 or DB_*. */
int db_risk_incident_days(PGconn *c, int64_t incident_id, struct arena *a,
                          struct risk_day **out, int *n_out);

/* A member list condition on claims alias c (docs/workspace.md): `before`, then (when value
 * is not NULL) the placeholder of a text parameter holding value, then `after`. */
struct db_condition {
    const char *before;
    const char *value;
    const char *after;
};

/* For risk a flag name, "any" or "none"; for eligibility "matched", "unmatched" or
 * "unknown". False for another value. */
bool db_risk_filter_sql(const char *risk, struct db_condition *out);
bool db_eligibility_filter_sql(const char *state, struct db_condition *out);

#endif
