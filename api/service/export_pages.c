/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The export's page pipeline (see export_pages.h). The connection is taken again at each
 * call (a worker's connection may have been reset or may serve a replica in between); a page
 * in flight is always received on the connection it was sent on, within the same call. */
#include "service/export_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "service/conn.h"
#include "service/read_source.h"
#include "service/tx.h"

struct export_pages {
    char *action_id;
    struct export_after after; /* the last member handed out */
    int page_rows;
    bool exhausted; /* a short page was read: nothing after it */
    struct db_exports_page current, next;
    int n_next;
    bool has_next;  /* next holds the page after current */
    PGconn *flight; /* the connection next's statement is in flight on, during a call */
    struct export_member *members; /* current's rows, page_rows of them */
};

struct export_pages *
svc_export_pages_new(const char *action_id, int page_rows)
{
    struct export_pages *p = xcalloc(1, sizeof *p);

    p->action_id = xstrdup(action_id);
    p->page_rows = page_rows;
    p->members = xcalloc((size_t)page_rows, sizeof *p->members);
    return p;
}

/* The connection of this call (replica or primary: the lag went out with the export's
 * start), or NULL. */
static PGconn *
connection(void)
{
    struct read_source src;

    return svc_read_connection(&src);
}

/* Reads the page after p->after now (the first page, or after a send that failed). */
static enum outcome
read_now(struct export_pages *p, int *n_out)
{
    PGconn *c = connection();

    if (c == NULL)
        return OUTCOME_UNAVAILABLE;
    int rc = db_exports_members_send(c, p->action_id, &p->after, p->page_rows);
    if (rc >= 0)
        rc = db_exports_members_recv(c, &p->current);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    *n_out = rc;
    return OUTCOME_OK;
}

enum outcome
svc_export_pages_next(struct export_pages *p, const struct export_member **m_out, int *n_out)
{
    int n = 0;

    *m_out = p->members;
    *n_out = 0;
    db_exports_page_clear(&p->current);
    if (p->has_next) {
        p->current = p->next;
        p->next.res = NULL;
        p->has_next = false;
        n = p->n_next;
    } else if (p->exhausted) {
        return OUTCOME_OK;
    } else {
        enum outcome o = read_now(p, &n);
        if (o != OUTCOME_OK)
            return o;
    }
    for (int i = 0; i < n && i < p->page_rows; i++)
        if (!db_exports_member_read(&p->current, i, &p->members[i])) {
            log_error("export: a member's row did not read");
            return OUTCOME_INTERNAL;
        }
    if (n > p->page_rows)
        n = p->page_rows;
    if (n > 0) {
        snprintf(p->after.created_at, sizeof p->after.created_at, "%s",
                 p->members[n - 1].created_at);
        p->after.id = p->members[n - 1].id;
    }
    p->exhausted = n < p->page_rows;
    *n_out = n;
    if (!p->exhausted) {
        PGconn *c = connection();
        if (c != NULL && db_exports_members_send(c, p->action_id, &p->after, p->page_rows) == 1)
            p->flight = c; /* else the next call reads its page itself */
    }
    return OUTCOME_OK;
}

enum outcome
svc_export_pages_done(struct export_pages *p)
{
    enum outcome o = OUTCOME_OK;

    if (p->flight != NULL) {
        int rc = db_exports_members_recv(p->flight, &p->next);
        if (rc >= 0) {
            p->n_next = rc;
            p->has_next = true;
        } else {
            o = tx_outcome_of(p->flight, rc);
        }
        p->flight = NULL;
    }
    svc_conn_release();
    return o;
}

void
svc_export_pages_free(struct export_pages *p)
{
    if (p == NULL)
        return;
    db_exports_page_clear(&p->current);
    db_exports_page_clear(&p->next);
    free(p->members);
    free(p->action_id);
    free(p);
}
