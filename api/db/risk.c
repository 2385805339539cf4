/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See db/risk.h. The intake and the periodic pass count only up to the threshold + 1 (all
 * they need to decide), so that a flood from one network or at one address costs each claim
 * a short index walk, not one as long as the flood; the stored count is then "more than the
 * threshold", and the member's view counts again, up to COUNT_CAP. The passes leave flagged
 * claims alone: a flag once raised stays, so a pass costs at most the threshold's worth of
 * claims per network or address. */
#include "db/risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/sha256.h" /* hex_encode */
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"

#define COUNT_CAP "100000"
/* The claims a count walks, up to cap: those of r's incident from r's network whose
 * created_at satisfies `when`, or those of an incident at an address (docs/decisions.md "Risk
 * counts: one plan whatever the statistics"). ORDER BY the index's order with the LIMIT makes
 * the walk of claim_risk_network or claim_risk_address, which stops after cap entries, the
 * cheapest plan whatever the statistics: a scan or another index would first have to read and
 * sort every match. Without it, statistics in which every claim seems to share the incident
 * and the network or address (a young table, a flood) made a sequential scan, or a walk of
 * claim_risk_network_age over every claim of the last hour, look as cheap; that index, in
 * created_at order too, is closed to the counts by its predicate (0024). The address is
 * bounded on both sides, not compared with =, which would make ORDER BY addr_mac void. The cap
 * is a subquery's value (UP_TO), unknown to the planner even in a custom plan: with a cap it
 * knew, and statistics saying fewer matches than the cap, a bitmap scan of the same index
 * that reads and sorts every match looked as cheap as the walk. */
#define NETWORK_ROWS(r, when, limit)                                     \
    "SELECT 1 FROM claim_risk o WHERE o.incident_id = " r ".incident_id" \
    " AND o.net_mac = " r ".net_mac AND o.created_at " when " ORDER BY o.created_at" limit
/* The created_at of g's network's claims that satisfy `when`, newest first, up to cap: the
 * same walk of claim_risk_network, from its other end. */
#define NETWORK_NEWEST(g, when, limit)                                                 \
    "SELECT o.created_at FROM claim_risk o WHERE o.incident_id = " g ".incident_id"    \
    " AND o.net_mac = " g ".net_mac AND o.created_at " when " ORDER BY o.created_at DESC" limit
#define ADDRESS_ROWS(incident, addr, also, limit)                         \
    "SELECT o.claim_id FROM claim_risk o WHERE o.incident_id = " incident \
    " AND o.addr_mac >= " addr " AND o.addr_mac <= " addr also " ORDER BY o.addr_mac" limit
#define UP_TO(cap) " LIMIT (SELECT " cap ")"
/* claims of the incident from r's network within an hour of r, before and after, up to cap */
#define NETWORK_COUNT(r, cap)                                                                 \
    "(SELECT count(*) FROM (" NETWORK_ROWS(r, "BETWEEN " r ".created_at - interval '1 hour'"   \
                                           " AND " r ".created_at + interval '1 hour'",      \
                                           UP_TO(cap)) ") x)"
#define ADDRESS_COUNT(r, cap)                                                                 \
    "(SELECT count(*) FROM (" ADDRESS_ROWS(r ".incident_id", r ".addr_mac", "", UP_TO(cap)) ") x)"
/* claim_risk_network_age's rows (0024: net_kind is never NULL beside a net_mac) */
#define NETWORK_KEPT(r) r "net_kind IS NOT NULL AND " r "net_mac IS NOT NULL"

const struct db_statement db_risk_statements[] = {
    /* The batch's own claims count too (window counts over the batch), the earlier ones
     * through the indexes; the claims of the batch are not in claim_risk yet. The network
     * count walks claim_risk_network once per (incident, network) of the batch, not per claim
     * (a flood from one network is many claims of one batch): newest first, from an hour
     * before the group's first claim, up to the cap; each claim then counts the times walked
     * that fall within its own hour. That is its count exactly: the walk holds the group's
     * newest claims, so any claim in a later claim's hour that the walk stopped before is
     * older than all it holds, which are then all in that hour, past the cap. */
    {"db_risk_insert_batch",
     "WITH u AS MATERIALIZED (SELECT x.*,"
     "          count(x.net_mac) OVER (PARTITION BY x.incident_id, x.net_mac) AS nb,"
     "          count(x.addr_mac) OVER (PARTITION BY x.incident_id, x.addr_mac) AS ab"
     "        FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::text[],"
     "                    $5::bytea[], $6::bytea[], $7::boolean[])"
     "             AS x(claim_id, incident_id, created_at, net_kind, net_mac, addr_mac,"
     "                  disposable)),"
     " nets AS MATERIALIZED (SELECT g.incident_id, g.net_mac, ARRAY("
     NETWORK_NEWEST("g", "> g.since - interval '1 hour'", UP_TO("$8::int + 1")) ") AS recent"
     "        FROM (SELECT incident_id, net_mac, min(created_at) AS since FROM u"
     "              WHERE net_mac IS NOT NULL GROUP BY incident_id, net_mac) g)"
     " INSERT INTO claim_risk (claim_id, incident_id, created_at, net_kind, net_mac, net_count,"
     "                        addr_mac, addr_count, disposable_email, flags)"
     " SELECT u.claim_id, u.incident_id, u.created_at, u.net_kind, u.net_mac, n.c, u.addr_mac,"
     "        a.c, u.disposable,"
     "        array_remove(ARRAY[CASE WHEN n.c > $8 THEN 'network' END,"
     "                           CASE WHEN a.c > $9 THEN 'address' END,"
     "                           CASE WHEN u.disposable THEN 'disposable_email' END], NULL)"
     " FROM u LEFT JOIN nets ON nets.incident_id = u.incident_id AND nets.net_mac = u.net_mac"
     " CROSS JOIN LATERAL (SELECT u.nb + count(*) FROM unnest(nets.recent) AS t(at)"
     "                     WHERE t.at > u.created_at - interval '1 hour') n(c)"
     " CROSS JOIN LATERAL (SELECT u.ab + count(*) FROM ("
     ADDRESS_ROWS("u.incident_id", "u.addr_mac", "", UP_TO("$9::int + 1")) ") y) a(c)",
     9},
    /* the corrected claim, and the unflagged claims already at its new address: their count
     * includes it now (the pass only looks at addresses of claims made since the last one).
     * Its incident is a subquery's value, a constant to the plan of the count (no claim
     * without a risk row: NULL, no claim counted, none updated). */
    {"db_risk_correct",
     "WITH n AS (SELECT CASE WHEN $2::bytea IS NULL THEN 0 ELSE 1 + (SELECT count(*) FROM ("
     ADDRESS_ROWS("(SELECT incident_id FROM claim_risk WHERE claim_id = $1::bigint)",
                  "$2::bytea", " AND o.claim_id <> $1::bigint", UP_TO("$4::int + 1"))
     ") x) END AS c),"
     " others AS (UPDATE claim_risk o SET addr_count = n.c, evaluated_at = now(),"
     "              flags = risk_flag_set(o.flags, 'address', n.c > $4::int)"
     "            FROM n"
     "            WHERE o.incident_id = (SELECT incident_id FROM claim_risk"
     "                                   WHERE claim_id = $1::bigint)"
     "            AND o.addr_mac >= $2::bytea AND o.addr_mac <= $2::bytea"
     "            AND o.claim_id <> $1::bigint"
     "            AND NOT ('address' = ANY (o.flags)) AND o.addr_count <> n.c)"
     " UPDATE claim_risk r SET addr_mac = $2::bytea, addr_count = n.c,"
     "   disposable_email = $3::boolean, evaluated_at = now(),"
     "   flags = risk_flag_set(risk_flag_set(r.flags, 'disposable_email', $3::boolean),"
     "                         'address', n.c > $4::int)"
     " FROM n WHERE r.claim_id = $1::bigint",
     4},
    {"db_risk_try_lock", "SELECT pg_try_advisory_xact_lock(hashtext('recours-risk-pass'))", 0},
    {"db_risk_pass_network",
     "WITH keys AS (SELECT DISTINCT incident_id, net_mac FROM claim_risk"
     "              WHERE " NETWORK_KEPT("")
     "              AND created_at > now() - make_interval(secs => $1::int)),"
     /* MATERIALIZED (and cnt's below): each count run once; inlined, it ran for each use */
     " todo AS MATERIALIZED (SELECT r.claim_id, " NETWORK_COUNT("r", "$2::int + 1") " AS n"
     "          FROM keys k JOIN claim_risk r"
     "               ON r.incident_id = k.incident_id AND r.net_mac = k.net_mac"
     "          WHERE " NETWORK_KEPT("r.")
     "          AND r.created_at > now() - make_interval(secs => $1::int) - interval '1 hour'"
     "          AND NOT ('network' = ANY (r.flags)))"
     " UPDATE claim_risk r SET net_count = todo.n,"
     "        flags = risk_flag_set(r.flags, 'network', todo.n > $2::int), evaluated_at = now()"
     " FROM todo WHERE r.claim_id = todo.claim_id AND r.net_count <> todo.n",
     2},
    {"db_risk_pass_address",
     "WITH keys AS (SELECT DISTINCT incident_id, addr_mac FROM claim_risk"
     "              WHERE " NETWORK_KEPT("") " AND addr_mac IS NOT NULL"
     "              AND created_at > now() - make_interval(secs => $1::int)),"
     " cnt AS MATERIALIZED (SELECT k.incident_id, k.addr_mac,"
     "                      " ADDRESS_COUNT("k", "$2::int + 1") " AS n FROM keys k)"
     " UPDATE claim_risk r SET addr_count = cnt.n,"
     "        flags = risk_flag_set(r.flags, 'address', cnt.n > $2::int), evaluated_at = now()"
     " FROM cnt CROSS JOIN LATERAL (" ADDRESS_ROWS("cnt.incident_id", "cnt.addr_mac",
                                                   " AND NOT ('address' = ANY (o.flags))", "")
     "   ) w(claim_id)"
     " WHERE r.claim_id = w.claim_id AND r.addr_count <> cnt.n",
     2},
    /* this pass's rows and the expiry's reached by their ids as an array (= ANY (ARRAY(...))),
     * an index scan of the key: the generic plan of `claim_id IN (subquery)` joined them to a
     * sequential scan of claim_risk (as the outbox's takes did, db/outbox.c) */
    {"db_risk_pass_email",
     "UPDATE claim_risk r SET email_pending = false, evaluated_at = now(),"
     "       flags = risk_flag_set(r.flags, 'email_unconfirmed', c.email_verified_at IS NULL)"
     " FROM claims c"
     " WHERE c.id = r.claim_id AND r.claim_id = ANY (ARRAY(SELECT claim_id FROM claim_risk"
     "   WHERE email_pending AND created_at < now() - make_interval(days => $1::int)"
     "   ORDER BY created_at LIMIT $2::int))",
     2},
    {"db_risk_expire_networks",
     "UPDATE claim_risk SET net_mac = NULL WHERE claim_id = ANY (ARRAY(SELECT claim_id"
     "   FROM claim_risk"
     "   WHERE " NETWORK_KEPT("") " AND created_at < now() - make_interval(hours => $1::int)"
     "   ORDER BY created_at LIMIT $2::int))",
     2},
    {"db_risk_claim",
     "SELECT r.flags::text, r.net_kind,"
     "       CASE WHEN r.net_mac IS NULL THEN r.net_count ELSE " NETWORK_COUNT("r", COUNT_CAP) " END,"
     "       CASE WHEN r.addr_mac IS NULL THEN r.addr_count"
     "            ELSE " ADDRESS_COUNT("r", COUNT_CAP) " END,"
     "       r.email_pending, " DB_TS("r.evaluated_at") ","
     "       coalesce(e.state = 'unmatched', false)"
     " FROM claim_risk r LEFT JOIN claim_eligibility e ON e.claim_id = r.claim_id"
     " WHERE r.claim_id = $1::bigint",
     1},
    /* from claims (its incident index): the claims without a risk row count as unflagged */
    {"db_risk_incident_days",
     "SELECT to_char(date_trunc('day', c.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'),"
     "       count(*),"
     "       count(*) FILTER (WHERE 'network' = ANY (r.flags)),"
     "       count(*) FILTER (WHERE 'address' = ANY (r.flags)),"
     "       count(*) FILTER (WHERE 'disposable_email' = ANY (r.flags)),"
     "       count(*) FILTER (WHERE 'email_unconfirmed' = ANY (r.flags)),"
     "       count(*) FILTER (WHERE e.state = 'unmatched'),"
     "       count(*) FILTER (WHERE cardinality(r.flags) > 0 OR e.state = 'unmatched')"
     " FROM claims c"
     " LEFT JOIN claim_risk r ON r.claim_id = c.id"
     " LEFT JOIN claim_eligibility e ON e.claim_id = c.id"
     " WHERE c.incident_id = $1::bigint AND c.status <> 'withdrawn'"
     " GROUP BY 1 ORDER BY 1 LIMIT 3660",
     1},
    {NULL, NULL, 0},
};

int
db_risk_insert_batch(PGconn *c, const struct risk_row *rows, int n, const struct risk_limits *lim)
{
    struct pg_array col[7];
    const char *params[9];
    char net_max[16], addr_max[16];

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        const struct risk_signals *s = rows[i].sig;
        pg_array_int(&col[0], rows[i].claim_id);
        pg_array_int(&col[1], rows[i].incident_id);
        pg_array_text(&col[2], rows[i].created_at);
        pg_array_text(&col[3], s->net_kind);
        pg_array_bytea(&col[4], s->net_kind != NULL ? s->net_mac : NULL, RISK_MAC_LEN);
        pg_array_bytea(&col[5], s->has_addr ? s->addr_mac : NULL, RISK_MAC_LEN);
        pg_array_bool(&col[6], s->disposable_email);
    }
    pg_array_finish_all(col, 7, params);
    snprintf(net_max, sizeof net_max, "%d", lim->network_max);
    snprintf(addr_max, sizeof addr_max, "%d", lim->address_max);
    params[7] = net_max;
    params[8] = addr_max;
    int rc = db_exec_command(c, "db_risk_insert_batch", 9, params);
    pg_array_free_all(col, 7);
    return rc < 0 ? rc : 0;
}

int
db_risk_correct(PGconn *c, int64_t claim_id, const struct risk_signals *sig,
                const struct risk_limits *lim)
{
    char id[24], addr[2 + 2 * RISK_MAC_LEN + 1], max[16];
    const char *params[4] = {db_int64_text(claim_id, id), sig->has_addr ? addr : NULL,
                             sig->disposable_email ? "true" : "false", max};
    snprintf(max, sizeof max, "%d", lim->address_max);
    memcpy(addr, "\\x", 2); /* bytea in its hex text form */
    hex_encode(sig->addr_mac, RISK_MAC_LEN, addr + 2);
    addr[sizeof addr - 1] = '\0';
    int rc = db_exec_command(c, "db_risk_correct", 4, params);
    return rc < 0 ? rc : 0;
}

int
db_risk_try_lock(PGconn *c)
{
    PGresult *res = db_exec_prepared(c, "db_risk_try_lock", 0, NULL, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                 ? strcmp(PQgetvalue(res, 0, 0), "t") == 0
                 : db_status_of(res, "db_risk_try_lock");

    PQclear(res);
    return rc;
}

/* Runs a prepared UPDATE of two integer parameters; the rows it changed, or DB_*. */
static int64_t
update2(PGconn *c, const char *name, int a, int b)
{
    char pa[16], pb[16];
    const char *params[2] = {pa, pb};

    snprintf(pa, sizeof pa, "%d", a);
    snprintf(pb, sizeof pb, "%d", b);
    PGresult *res = db_exec_prepared(c, name, 2, params, NULL, NULL, 0);
    int64_t n = PQresultStatus(res) == PGRES_COMMAND_OK ? strtoll(PQcmdTuples(res), NULL, 10)
                                                        : db_status_of(res, name);
    PQclear(res);
    return n;
}

int64_t
db_risk_pass_step(PGconn *c, enum risk_step step, int a, int b)
{
    static const char *const names[] = {"db_risk_pass_network", "db_risk_pass_address",
                                        "db_risk_pass_email", "db_risk_expire_networks"};

    return update2(c, names[step], a, b);
}

/* The flags of a text[] in its text form, {network,address}, into flags[]. */
static void
read_flags(const char *text, bool flags[RISK_FLAG_COUNT])
{
    char word[32];
    size_t n = 0;

    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '{' || *p == '"')
            continue;
        if (*p == ',' || *p == '}') {
            word[n] = '\0';
            int f = risk_flag_of(word);
            if (f >= 0)
                flags[f] = true;
            n = 0;
        } else if (n + 1 < sizeof word) {
            word[n++] = *p;
        }
    }
}

static bool
read_claim_risk(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct risk_view *out = dest;

    out->present = true;
    read_flags(PQgetvalue(res, row, 0), out->flags);
    out->net_kind = db_text_at(a, res, row, 1);
    out->net_count = db_int64_at(res, row, 2);
    out->addr_count = db_int64_at(res, row, 3);
    out->email_pending = db_bool_at(res, row, 4);
    out->evaluated_at = db_text_at(a, res, row, 5);
    out->flags[RISK_UNMATCHED] = db_bool_at(res, row, 6);
    return true;
}

int
db_risk_claim(PGconn *c, int64_t claim_id, struct arena *a, struct risk_view *out)
{
    memset(out, 0, sizeof *out);
    return db_exec_one_id(c, "db_risk_claim", claim_id, read_claim_risk, a, out);
}

static bool
read_day(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct risk_day *d = dest;

    if (PQnfields(res) != 2 + RISK_FLAG_COUNT + 1)
        return false;
    d->date = db_text_at(a, res, row, 0);
    d->claims = db_int64_at(res, row, 1);
    for (int f = 0; f < RISK_FLAG_COUNT; f++)
        d->flagged[f] = db_int64_at(res, row, 2 + f);
    d->any = db_int64_at(res, row, 2 + RISK_FLAG_COUNT);
    return true;
}

int
db_risk_incident_days(PGconn *c, int64_t incident_id, struct arena *a, struct risk_day **out,
                      int *n_out)
{
    char id[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(incident_id, id)};
    void *rows;
    int rc = db_exec_all(c, "db_risk_incident_days", 1, params, read_day, a, sizeof **out, &rows);

    *out = rows;
    if (rc < 0)
        return rc;
    *n_out = rc;
    return 1;
}

/* ---- the member list's conditions ---- */

#define HAS_FLAG "EXISTS (SELECT 1 FROM claim_risk r WHERE r.claim_id = c.id"
#define HAS_STATE "EXISTS (SELECT 1 FROM claim_eligibility e WHERE e.claim_id = c.id"
#define ANY_FLAG                                                                             \
    "(" HAS_FLAG " AND cardinality(r.flags) > 0) OR " HAS_STATE " AND e.state = 'unmatched'))"

bool
db_risk_filter_sql(const char *risk, struct db_condition *out)
{
    int f = risk_flag_of(risk);

    *out = (struct db_condition){NULL, NULL, ""};
    if (strcmp(risk, "any") == 0)
        out->before = ANY_FLAG;
    else if (strcmp(risk, "none") == 0)
        out->before = "NOT " ANY_FLAG;
    else if (f == RISK_UNMATCHED)
        out->before = HAS_STATE " AND e.state = 'unmatched')";
    else if (f >= 0)
        *out = (struct db_condition){HAS_FLAG " AND ", risk, "::text = ANY (r.flags))"};
    return out->before != NULL;
}

bool
db_eligibility_filter_sql(const char *state, struct db_condition *out)
{
    *out = (struct db_condition){NULL, NULL, ""};
    /* a claim without a row (before 0015) is unknown */
    if (strcmp(state, "unknown") == 0)
        out->before = "NOT " HAS_STATE " AND e.state <> 'unknown')";
    else if (strcmp(state, "matched") == 0 || strcmp(state, "unmatched") == 0)
        *out = (struct db_condition){HAS_STATE " AND e.state = ", state, "::text)"};
    return out->before != NULL;
}
