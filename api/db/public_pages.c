/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Public pages and the action public record: SQL next to its functions. The documents are
 * built by PostgreSQL (jsonb_build_object), so a page costs one round trip. */
#include "db/public_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The claims of an incident that are not withdrawn, from the tallies (a sum over a few
 * groups, not a count over the claims). */
#define INCIDENT_CLAIMS(i)                                                                     \
    "(SELECT coalesce(sum(t.n), 0) FROM claim_tallies t WHERE t.incident_id = " i ".id"        \
    "   AND t.status <> 'withdrawn')"

#define INCIDENT_FIELDS(i)                                                                     \
    "'slug', " i ".slug, 'controller', " i ".controller, 'title', " i ".title,"                \
    " 'disclosed_on', " i ".disclosed_on::text, 'affected_count', " i ".affected_count,"       \
    " 'data_categories', to_jsonb(" i ".data_categories), 'authority_reference', "            \
    i ".authority_reference, 'status', " i ".status, 'currency', " i ".currency"

/* The open actions of incident i that take mandates, as a JSON array. */
#define OPEN_ACTIONS(i)                                                                        \
    "(SELECT coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title,"              \
    "   'association', s.name, 'approval_reference', s.approval_reference,"                   \
    "   'opt_in_deadline', " TS("x.opt_in_deadline") ") ORDER BY x.created_at, x.id), '[]')"   \
    " FROM actions x JOIN associations s ON s.id = x.association_id"                           \
    " WHERE x.incident_id = " i ".id AND x.status = 'open' AND x.opt_in_deadline > now()"      \
    "   AND s.status = 'approved' AND current_date BETWEEN s.approved_from"                    \
    "   AND coalesce(s.approved_until, 'infinity'::date))"

#define HISTORY(x)                                                                             \
    "(SELECT coalesce(jsonb_agg(jsonb_build_object('kind', e.kind, 'date', e.occurred_on::text," \
    "   'court_reference', e.court_reference, 'note', e.note) ORDER BY e.occurred_on, e.id),"   \
    "   '[]') FROM action_events e WHERE e.action_id = " x ".id)"

#define MANDATE_TEXT(x, lang)                                                                  \
    "(SELECT t.text FROM action_mandate_texts t WHERE t.action_id = " x ".id"                  \
    "   AND t.version = " x ".mandate_text_version AND t.lang = '" lang "')"

const struct db_statement db_public_pages_statements[] = {
    {"db_public_home",
     "SELECT jsonb_build_object('incidents', coalesce(jsonb_agg(jsonb_build_object("
     INCIDENT_FIELDS("i") ", 'claims', " INCIDENT_CLAIMS("i") ", 'actions', " OPEN_ACTIONS("i")
     ") ORDER BY i.disclosed_on DESC, i.slug), '[]'))::text"
     " FROM (SELECT * FROM incidents WHERE status = 'open'"
     "       ORDER BY disclosed_on DESC, slug LIMIT $1::int) i",
     1},
    {"db_public_incident",
     "SELECT jsonb_build_object(" INCIDENT_FIELDS("i") ", 'claims', " INCIDENT_CLAIMS("i")
     ", 'actions', " OPEN_ACTIONS("i") ", 'scheme_version', i.scheme_version,"
     " 'scheme', (SELECT sc.scheme FROM schemes sc WHERE sc.incident_id = i.id"
     "            AND sc.version = i.scheme_version))::text"
     " FROM incidents i WHERE i.slug = $1",
     1},
    {"db_public_action",
     "SELECT jsonb_build_object('id', x.id, 'title', x.title, 'legal_basis', x.legal_basis,"
     " 'status', x.status, 'opt_in_deadline', " TS("x.opt_in_deadline") ","
     " 'deadline_passed', x.opt_in_deadline <= now(), 'counsel_name', x.counsel_name,"
     " 'next_date', x.next_date::text, 'next_date_note', x.next_date_note,"
     " 'funding_sources', x.funding_sources, 'fees_charged', x.fees_charged,"
     " 'mandate_text_version', x.mandate_text_version,"
     " 'mandate_texts', jsonb_build_object('fr', x.mandate_text, 'en', " MANDATE_TEXT("x", "en")
     "), 'members', (SELECT count(*) FROM claims m WHERE m.member_action_id = x.id),"
     " 'history', " HISTORY("x") ","
     " 'association', jsonb_build_object('name', s.name, 'approval_reference',"
     "   s.approval_reference, 'approved_from', s.approved_from::text, 'approved_until',"
     "   s.approved_until::text, 'country', s.country, 'contact_email', s.contact_email,"
     "   'approved', s.status = 'approved' AND current_date BETWEEN s.approved_from"
     "   AND coalesce(s.approved_until, 'infinity'::date)),"
     " 'incident', jsonb_build_object(" INCIDENT_FIELDS("i") "))::text"
     " FROM actions x JOIN incidents i ON i.id = x.incident_id"
     " JOIN associations s ON s.id = x.association_id WHERE x.id = $1::uuid",
     1},
    {"db_action_record_get",
     "SELECT jsonb_build_object('next_date', x.next_date::text, 'next_date_note',"
     " x.next_date_note, 'funding_sources', x.funding_sources, 'fees_charged', x.fees_charged,"
     " 'mandate_text_en', " MANDATE_TEXT("x", "en") ", 'history', " HISTORY("x") ")::text"
     " FROM actions x WHERE x.id = $1::uuid",
     1},
    {"db_action_record_update",
     "UPDATE actions SET"
     " next_date = CASE WHEN $2::bool THEN $3::date ELSE next_date END,"
     " next_date_note = CASE WHEN $4::bool THEN $5 ELSE next_date_note END,"
     " funding_sources = CASE WHEN $6::bool THEN $7 ELSE funding_sources END,"
     " fees_charged = CASE WHEN $8::bool THEN $9 ELSE fees_charged END,"
     " updated_at = now() WHERE id = $1::uuid",
     9},
    {"db_action_mandate_en_put",
     "INSERT INTO action_mandate_texts (action_id, version, lang, text)"
     " SELECT x.id, x.mandate_text_version, 'en', $2 FROM actions x WHERE x.id = $1::uuid"
     " ON CONFLICT (action_id, version, lang) DO UPDATE SET text = EXCLUDED.text,"
     " updated_at = now()",
     2},
    {"db_action_mandate_en_delete",
     "DELETE FROM action_mandate_texts t USING actions x WHERE x.id = $1::uuid"
     " AND t.action_id = x.id AND t.version = x.mandate_text_version AND t.lang = 'en'",
     1},
    {"db_action_event_add",
     "INSERT INTO action_events (action_id, kind, occurred_on, court_reference, note)"
     " VALUES ($1::uuid, $2, $3::date, $4, $5)",
     5},
    {"db_action_mandate_text",
     "SELECT coalesce(t.text, x.mandate_text), CASE WHEN t.text IS NULL THEN 'fr' ELSE $2 END,"
     " x.mandate_text_version FROM actions x LEFT JOIN action_mandate_texts t"
     " ON t.action_id = x.id AND t.version = x.mandate_text_version AND t.lang = $2"
     " WHERE x.id = $1::uuid",
     2},
    {NULL, NULL, 0},
};

/* The JSON document of a one-column, at-most-one-row statement of one key parameter, into
 * *json (arena): 1, 0 when there is none, or DB_*. */
static int
json_of(PGconn *c, const char *stmt, const char *key, struct arena *a, const char **json)
{
    const char *params[1] = {key};

    return db_exec_one(c, stmt, 1, params, db_read_text, a, json);
}

int
db_public_home(PGconn *c, int limit, struct arena *a, const char **json)
{
    char lim[16];

    snprintf(lim, sizeof lim, "%d", limit);
    return json_of(c, "db_public_home", lim, a, json);
}

int
db_public_incident(PGconn *c, const char *slug, struct arena *a, const char **json)
{
    return json_of(c, "db_public_incident", slug, a, json);
}

int
db_public_action(PGconn *c, const char *id, struct arena *a, const char **json)
{
    return json_of(c, "db_public_action", id, a, json);
}

int
db_action_record_get(PGconn *c, const char *id, struct arena *a, const char **json)
{
    return json_of(c, "db_action_record_get", id, a, json);
}

static const char *
flag(bool b)
{
    return b ? "t" : "f";
}

int
db_action_record_update(PGconn *c, const char *id, const struct action_record_patch *p)
{
    const char *params[9] = {id,
                             flag(p->has_next_date),       p->next_date,
                             flag(p->has_next_date_note),  p->next_date_note,
                             flag(p->has_funding_sources), p->funding_sources,
                             flag(p->has_fees_charged),    p->fees_charged};
    int rc = db_exec_command(c, "db_action_record_update", 9, params);

    if (rc != 1)
        return rc;
    if (p->has_mandate_text_en) {
        const char *en[2] = {id, p->mandate_text_en};
        int r = p->mandate_text_en != NULL
                    ? db_exec_command(c, "db_action_mandate_en_put", 2, en)
                    : db_exec_command(c, "db_action_mandate_en_delete", 1, en);
        if (r < 0)
            return r;
    }
    if (p->has_event) {
        const char *ev[5] = {id, p->event_kind, p->event_date, p->event_court_reference,
                             p->event_note};
        int r = db_exec_command(c, "db_action_event_add", 5, ev);
        if (r < 0)
            return r;
    }
    return 1;
}

int
db_action_mandate_text(PGconn *c, const char *id, const char *lang, struct arena *a,
                       const char **text, const char **text_lang, const char **version)
{
    const char *params[2] = {id, lang};
    PGresult *res = db_exec_prepared(c, "db_action_mandate_text", 2, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_action_mandate_text");
    } else {
        rc = PQntuples(res);
        if (rc == 1) {
            *text = arena_strdup(a, PQgetvalue(res, 0, 0));
            *text_lang = arena_strdup(a, PQgetvalue(res, 0, 1));
            *version = arena_strdup(a, PQgetvalue(res, 0, 2));
        }
    }
    PQclear(res);
    return rc;
}
