/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Accessors over MHD's view of a request, so handlers never include microhttpd.h. */
#include "http/request.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

const char *
request_header(const struct request *rq, const char *name)
{
    for (int i = 0; i < rq->n_header_overrides; i++)
        if (strcasecmp(rq->header_overrides[i].name, name) == 0)
            return rq->header_overrides[i].value;
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

bool
request_override_header(struct request *rq, const char *name, const char *value)
{
    for (int i = 0; i < rq->n_header_overrides; i++)
        if (strcasecmp(rq->header_overrides[i].name, name) == 0) {
            rq->header_overrides[i].value = value;
            return true;
        }
    if (rq->n_header_overrides == REQUEST_MAX_OVERRIDES)
        return false;
    rq->header_overrides[rq->n_header_overrides].name = name;
    rq->header_overrides[rq->n_header_overrides].value = value;
    rq->n_header_overrides++;
    return true;
}

const char *
request_query(const struct request *rq, const char *name)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);

    if (v != NULL)
        return v;
    /* MHD reports "?flag" (no '=') as present with a NULL value */
    if (MHD_lookup_connection_value_n(rq->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), NULL,
                                      NULL) == MHD_YES)
        return "";
    return NULL;
}

struct query_count {
    const char *name;
    int n;
};

static enum MHD_Result
count_name(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct query_count *q = cls;

    (void)kind;
    (void)value;
    if (key != NULL && strcmp(key, q->name) == 0)
        q->n++;
    return MHD_YES;
}

int
request_query_count(const struct request *rq, const char *name)
{
    struct query_count q = {name, 0};

    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, count_name, &q);
    return q.n;
}

struct query_scan {
    bool (*known)(void *cls, const char *name);
    void *cls;
    const char *unknown;
};

static enum MHD_Result
scan_name(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct query_scan *q = cls;

    (void)kind;
    (void)value;
    if (key == NULL || q->known(q->cls, key))
        return MHD_YES;
    q->unknown = key;
    return MHD_NO;
}

const char *
request_query_first_unknown(const struct request *rq, bool (*known)(void *cls, const char *name),
                            void *cls)
{
    struct query_scan q = {known, cls, NULL};

    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, scan_name, &q);
    return q.unknown;
}

const char *
request_param(const struct request *rq, int n)
{
    if (n < 0 || n >= rq->match.n_params)
        return NULL;
    return rq->match.params[n];
}

void
request_complete(struct request *rq, struct reply r)
{
    struct MHD_Connection *conn = rq->conn;
    bool resume;

    pthread_mutex_lock(&rq->async_lock);
    rq->async_reply = r;
    rq->async_done = true;
    resume = rq->suspended;
    pthread_mutex_unlock(&rq->async_lock);
    /* after the unlock: once resumed, the worker may answer and free rq at any moment */
    if (resume)
        MHD_resume_connection(conn);
}
