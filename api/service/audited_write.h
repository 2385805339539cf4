/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The commonest transaction of the service layer: one write of one object by an association or
 * the operator, then its audit event, in one transaction run by the transaction runner
 * (service/tx.h; docs/architecture.md "Transactions"). A use case describes it in one
 * struct audited_write — the write as a small function, the event, and the write's own
 * arguments — instead of a context struct and a body of its own. A use case that writes
 * several objects, or audits before its last write, writes its own body. */
#ifndef RECOURS_SERVICE_AUDITED_WRITE_H
#define RECOURS_SERVICE_AUDITED_WRITE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "service/audit.h"
#include "service/tx.h"

struct arena;
struct audited_write;

/* The write: db calls over w's arguments (each write says which it reads), returning as a
 * body does after its write of one row: 1 written (the event is appended), a DB_* status, or
 * tx_answer(t, o) for a refusal. Touching no row is a bug (DB_HARD): a write to an object
 * that may be missing says so itself, tx_answer(t, OUTCOME_NOT_FOUND). It may run several
 * times (service/tx.h). */
typedef int (*audited_write_fn)(PGconn *c, struct tx *t, const struct audited_write *w);

struct audited_write {
    audited_write_fn write;
    /* the audit event, appended once the write returned 1 */
    const struct audit_note *note;
    const char *event;            /* "incident.create" */
    const char *object_type;      /* "incident" */
    const char *const *object_id; /* read after the write: it may be the new row's */
    /* the write's arguments */
    const void *target;           /* what it writes to: a key, or a row read before */
    const void *in;               /* what it writes: new values, a patch */
    struct arena *a;              /* for out's strings */
    void *out;                    /* the object as written */
    /* a write to incidents, actions or associations: the intake's read cache is made stale
     * after it, whatever COMMIT answered (service/lookup_cache.h) */
    bool stales_lookup_cache;
};

/* Runs w's write and its audit event in one read-write transaction named name (for the log):
 * what svc_tx_run answers. */
enum outcome svc_audited_write(PGconn *c, const char *name, const struct audited_write *w);

#endif
