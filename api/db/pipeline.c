/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See db/pipeline.h. The statements' answers are command tags only, a few bytes each, so the
 * blocking sends cannot fill the server's output while it waits for us to read (the deadlock
 * libpq's documentation warns of for pipelines of large results). */
#include "db/pipeline.h"

#include "db/errors.h"
#include "db/prepared.h"

/* What the pipeline's stream will answer, in order: a statement, or the Parse that prepares one
 * the connection did not hold yet (db/prepared.h), queued just before it. */
struct sent {
    const char *stmt; /* its name, for the log of a failure */
    bool parse;
};

/* One pipeline per connection at a time, and a connection is used by one thread: what was
 * sent, how many statements of it, and the first failure met while sending. */
static _Thread_local struct sent sent[2 * DB_PIPELINE_MAX];
static _Thread_local int n_sent;
static _Thread_local int n_statements;
static _Thread_local int send_failure;

int
db_pipeline_begin(PGconn *c)
{
    n_sent = 0;
    n_statements = 0;
    send_failure = 0;
    return PQenterPipelineMode(c) == 1 ? 0 : DB_UNAVAILABLE;
}

bool
db_pipeline_on(PGconn *c)
{
    return PQpipelineStatus(c) != PQ_PIPELINE_OFF;
}

int
db_pipeline_send(PGconn *c, const char *stmt, int n, const char *const *params)
{
    if (send_failure != 0)
        return send_failure; /* nothing more once one could not go */
    if (n_statements == DB_PIPELINE_MAX)
        return send_failure = DB_HARD;
    bool parse = false;
    int rc = db_send_prepared(c, stmt, n, params, NULL, NULL, 0, &parse);
    if (parse) /* its answer is in the stream even when the statement could not follow */
        sent[n_sent++] = (struct sent){stmt, true};
    if (rc != 1)
        return send_failure = rc < 0 ? rc : DB_UNAVAILABLE;
    sent[n_sent++] = (struct sent){stmt, false};
    n_statements++;
    return 0;
}

/* The answer of one statement or Parse: its results up to the NULL that ends them. An aborted
 * one (a statement before it failed) is not a failure of its own. */
static int
read_answer(PGconn *c, const struct sent *one)
{
    int rc = 0;
    PGresult *res;

    while ((res = PQgetResult(c)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (one->parse) {
            int parsed = db_prepared_parse_answer(c, one->stmt, res);
            if (rc == 0)
                rc = parsed;
        } else if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                   st != PGRES_PIPELINE_ABORTED)
            rc = db_status_of(res, one->stmt);
        PQclear(res);
        if (PQstatus(c) == CONNECTION_BAD)
            return rc != 0 ? rc : DB_UNAVAILABLE;
    }
    return rc;
}

int
db_pipeline_end(PGconn *c)
{
    int rc = send_failure;

    if (PQpipelineSync(c) != 1)
        return DB_UNAVAILABLE;
    for (int i = 0; i < n_sent; i++) {
        int one = read_answer(c, &sent[i]);
        if (rc == 0)
            rc = one;
        if (PQstatus(c) == CONNECTION_BAD)
            return DB_UNAVAILABLE;
    }
    PGresult *sync = PQgetResult(c); /* the sync's own result: PGRES_PIPELINE_SYNC */
    bool synced = sync != NULL && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    n_sent = 0;
    n_statements = 0;
    send_failure = 0;
    if (!synced || PQexitPipelineMode(c) != 1)
        return DB_UNAVAILABLE;
    return rc;
}
