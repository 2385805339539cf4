/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See prepared.h. The only file of api/ that calls PQexecPrepared, PQsendQueryPrepared,
 * PQprepare or PQsendPrepare (tests/checks/check_prepared.sh). A connection is used by one
 * thread at a time, so its state needs no lock. */
#include "db/prepared.h"

#include <libpq-events.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/errors.h"
#include "db/statements.h"

/* What one connection holds: every statement, or those whose bit is set (by registry index);
 * then, from made_bytes() on, a bit per statement whose plan no longer matches the schema and
 * still sits under its name (DEALLOCATE before it is prepared again). */
struct conn_state {
    bool all;
    bool any_stale;
    unsigned char made[];
};

static size_t
made_bytes(void)
{
    return ((size_t)db_statement_count() + 7) / 8;
}

static bool
bit_of(const unsigned char *bits, int i)
{
    return (bits[i / 8] & (1u << (i % 8))) != 0;
}

static void
set_bit(unsigned char *bits, int i, bool on)
{
    if (on)
        bits[i / 8] |= (unsigned char)(1u << (i % 8));
    else
        bits[i / 8] &= (unsigned char)~(1u << (i % 8));
}

static int
on_event(PGEventId id, void *info, void *pass_through)
{
    (void)pass_through;
    switch (id) {
    case PGEVT_REGISTER: {
        PGconn *c = ((PGEventRegister *)info)->conn;
        struct conn_state *s = calloc(1, sizeof *s + 2 * made_bytes());
        if (s == NULL || PQsetInstanceData(c, on_event, s) != 1) {
            free(s);
            return 0; /* registration fails: no destroy event will come */
        }
        return 1;
    }
    case PGEVT_CONNRESET: { /* a new session: it holds nothing */
        struct conn_state *s = PQinstanceData(((PGEventConnReset *)info)->conn, on_event);
        if (s != NULL) {
            s->all = false;
            s->any_stale = false;
            memset(s->made, 0, 2 * made_bytes());
        }
        return 1;
    }
    case PGEVT_CONNDESTROY:
        free(PQinstanceData(((PGEventConnDestroy *)info)->conn, on_event));
        return 1;
    default:
        return 1;
    }
}

/* c's state, registered on first use; NULL when out of memory. */
static struct conn_state *
state_of(PGconn *c)
{
    struct conn_state *s = PQinstanceData(c, on_event);

    if (s == NULL && PQregisterEventProc(c, on_event, "recours-prepared", NULL) == 1)
        s = PQinstanceData(c, on_event);
    return s;
}

static bool
holds(const struct conn_state *s, int i)
{
    return s->all || bit_of(s->made, i);
}

static void
set_made(struct conn_state *s, int i, bool made)
{
    set_bit(s->made, i, made);
}

static bool
is_stale(const struct conn_state *s, int i)
{
    return bit_of(s->made + made_bytes(), i);
}

static void
set_stale(struct conn_state *s, int i, bool stale)
{
    set_bit(s->made + made_bytes(), i, stale);
}

static bool
schema_class(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    return state != NULL && strncmp(state, "42", 2) == 0;
}

static void
log_not_prepared(const char *stmt, const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    log_error("could not prepare %s: %s", stmt, state != NULL ? state : "no sqlstate");
}

/* Deallocates statement i, whose old plan still holds its name: NULL when done, else the
 * failure. */
static PGresult *
deallocate(PGconn *c, struct conn_state *s, int i)
{
    char sql[128];

    snprintf(sql, sizeof sql, "DEALLOCATE \"%s\"", db_statement_at(i)->name); /* our names */
    PGresult *res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return res;
    PQclear(res);
    set_stale(s, i, false);
    return NULL;
}

/* NULL when c holds stmt (now), else the failure to hand back as the statement's result. A
 * statement outside the registry is our bug: logged, and run anyway (PostgreSQL's 26000 is its
 * failure, as it always was). */
static PGresult *
ensure(PGconn *c, const char *stmt)
{
    struct conn_state *s = state_of(c);

    if (s == NULL)
        return PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR); /* no SQLSTATE: DB_UNAVAILABLE */
    if (s->all)
        return NULL;
    int i = db_statement_index(stmt);
    if (i < 0) {
        log_bug("statement %s is in no table of db/statements.c", stmt);
        return NULL;
    }
    if (holds(s, i))
        return NULL;
    const struct db_statement *st = db_statement_at(i);
    if (is_stale(s, i)) {
        PGresult *gone = deallocate(c, s, i);
        if (gone != NULL)
            return gone; /* an aborted transaction's 25P02: the statement's own answer there */
    }
    PGresult *res = PQprepare(c, st->name, st->sql, st->n_params, NULL);
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        PQclear(res);
        set_made(s, i, true);
        return NULL;
    }
    if (!schema_class(res))
        return res;
    log_not_prepared(stmt, res);
    PQclear(res);
    return PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR);
}

/* Whether res is the failure of a statement whose plan no longer matches the schema: its table,
 * column or function renamed or dropped since it was prepared (class 42, met when PostgreSQL
 * analyses it again), or a result type changed (0A000 "cached plan must not change result
 * type", which PostgreSQL answers for every later run until the statement is prepared again). */
static bool
schema_changed(const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    return schema_class(res) || (state != NULL && strcmp(state, "0A000") == 0);
}

/* stmt's plan is stale on c: not held any more, and deallocated before its next prepare. */
static void
forget(PGconn *c, const char *stmt)
{
    struct conn_state *s = PQinstanceData(c, on_event);
    int i = db_statement_index(stmt);

    if (s == NULL || i < 0)
        return;
    if (s->all) { /* every statement held but this one */
        memset(s->made, 0xff, made_bytes());
        s->all = false;
    }
    set_made(s, i, false);
    set_stale(s, i, true);
    s->any_stale = true;
}

void
db_prepared_tidy(PGconn *c)
{
    struct conn_state *s = PQinstanceData(c, on_event);

    if (s == NULL || !s->any_stale || PQtransactionStatus(c) != PQTRANS_IDLE ||
        PQpipelineStatus(c) != PQ_PIPELINE_OFF)
        return;
    s->any_stale = false;
    for (int i = 0; i < db_statement_count(); i++) {
        if (!is_stale(s, i))
            continue;
        PGresult *failed = deallocate(c, s, i);
        if (failed != NULL) { /* the connection is likely gone; try again next time */
            s->any_stale = true;
            PQclear(failed);
        }
    }
}

PGresult *
db_exec_prepared(PGconn *c, const char *stmt, int n, const char *const *params, const int *lengths,
                 const int *formats, int result_format)
{
    PGresult *failed = ensure(c, stmt);

    if (failed != NULL)
        return failed;
    /* outside a transaction block a statement refused for its plan ran nothing, and nothing of
     * the caller's is lost with it: it can be prepared again and run once more */
    bool alone = PQtransactionStatus(c) == PQTRANS_IDLE;
    PGresult *res = PQexecPrepared(c, stmt, n, params, lengths, formats, result_format);
    if (PQresultStatus(res) != PGRES_FATAL_ERROR || !schema_changed(res))
        return res;
    forget(c, stmt);
    if (alone && !schema_class(res)) { /* 0A000: the plan's result type changed */
        log_warn("%s: its result type changed since it was prepared (0A000): prepared again", stmt);
        PQclear(res);
        if ((failed = ensure(c, stmt)) != NULL)
            return failed;
        res = PQexecPrepared(c, stmt, n, params, lengths, formats, result_format);
        if (PQresultStatus(res) != PGRES_FATAL_ERROR || !schema_changed(res))
            return res;
        forget(c, stmt);
    }
    /* the database's state, not the request's: 503 (db_status_of of a result without SQLSTATE),
     * as a statement that cannot be prepared; the name, never the parameters */
    log_error("%s no longer matches the schema it was prepared on: %s", stmt,
              PQresultErrorField(res, PG_DIAG_SQLSTATE));
    PQclear(res);
    return PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR);
}

/* In pipeline mode: queues stmt's Parse when c does not hold it. False when it could not. */
static bool
queue_parse(PGconn *c, const char *stmt, bool *parse_sent)
{
    struct conn_state *s = state_of(c);
    int i = db_statement_index(stmt);

    if (s == NULL)
        return false;
    if (i < 0 || holds(s, i))
        return true; /* outside the registry: as in ensure */
    if (is_stale(s, i))
        return false; /* its old plan holds the name until the request ends (db_prepared_tidy) */
    if (parse_sent == NULL) {
        log_bug("%s: a Parse in a pipeline that would not read its answer", stmt);
        return false;
    }
    const struct db_statement *st = db_statement_at(i);
    if (PQsendPrepare(c, st->name, st->sql, st->n_params, NULL) != 1)
        return false;
    set_made(s, i, true); /* so the pipeline's next use of it sends no second Parse */
    *parse_sent = true;
    return true;
}

int
db_send_prepared(PGconn *c, const char *stmt, int n, const char *const *params, const int *lengths,
                 const int *formats, int result_format, bool *parse_sent)
{
    if (parse_sent != NULL)
        *parse_sent = false;
    if (PQpipelineStatus(c) != PQ_PIPELINE_OFF) {
        if (!queue_parse(c, stmt, parse_sent))
            return 0;
    } else {
        PGresult *failed = ensure(c, stmt);
        if (failed != NULL) {
            int rc = db_status_of(failed, stmt);
            PQclear(failed);
            return rc;
        }
    }
    return PQsendQueryPrepared(c, stmt, n, params, lengths, formats, result_format);
}

int
db_prepared_parse_answer(PGconn *c, const char *stmt, const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    struct conn_state *s = PQinstanceData(c, on_event);
    int i = db_statement_index(stmt);

    if (st == PGRES_COMMAND_OK)
        return 0;
    if (s != NULL && i >= 0)
        set_made(s, i, false); /* not made: the next use prepares it again */
    if (st == PGRES_PIPELINE_ABORTED)
        return 0; /* an earlier statement's failure is the pipeline's */
    if (schema_class(res)) {
        log_not_prepared(stmt, res);
        return DB_UNAVAILABLE;
    }
    return db_status_of(res, stmt);
}

bool
db_prepare_all(PGconn *c)
{
    struct conn_state *s = state_of(c);

    if (s == NULL)
        return false;
    /* a retry after a partial failure must not trip over the statements already made */
    PGresult *reset = PQexec(c, "DEALLOCATE ALL");
    bool reset_ok = PQresultStatus(reset) == PGRES_COMMAND_OK;
    PQclear(reset);
    if (!reset_ok)
        return false;
    s->all = false;
    s->any_stale = false;
    memset(s->made, 0, 2 * made_bytes()); /* DEALLOCATE ALL took the stale ones too */
    /* in the registry's order: the first statement to fail is the one it always named */
    for (size_t t = 0; db_statement_tables[t] != NULL; t++) {
        for (const struct db_statement *st = db_statement_tables[t]; st->name != NULL; st++) {
            PGresult *res = PQprepare(c, st->name, st->sql, st->n_params, NULL);
            bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            if (!ok)
                log_not_prepared(st->name, res);
            PQclear(res);
            if (!ok)
                return false;
            set_made(s, db_statement_index(st->name), true);
        }
    }
    s->all = true;
    return true;
}
