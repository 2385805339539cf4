/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What a write tells the audit chain: who, what, which object, and a digest of the change
 * (SHA-256 of the request body or of the object's new state; never the data in clear). */
#ifndef RECOURS_SERVICE_AUDIT_H
#define RECOURS_SERVICE_AUDIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/outcome.h"

struct audit_note {
    const char *actor;  /* "operator" or "association:<id>" */
    const void *change; /* bytes digested */
    size_t change_len;
};

/* Appends the event inside the open transaction; 0 or DB_*. */
int svc_audit(PGconn *c, const struct audit_note *note, const char *action,
              const char *object_type, const char *object_id);

struct audit_result {
    bool ok;
    long long events;
    char head[65];
    long long broken_seq;
    const char *reason;
};

/* Walks the chain (GET /v1/audit/verify). */
enum outcome svc_audit_verify(PGconn *c, struct audit_result *out);

#endif
