/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Audit events for the service layer. */
#include "service/audit.h"

#include <stdbool.h>
#include <string.h>

#include "crypto/sha256.h"
#include "db/audit.h"
#include "db/errors.h"
#include "service/tx.h"

int
svc_audit(PGconn *c, const struct audit_note *note, const char *action, const char *object_type,
          const char *object_id)
{
    struct audit_entry e = {.actor = note->actor, .action = action,
                            .object_type = object_type, .object_id = object_id};

    if (!sha256(note->change != NULL ? note->change : "", note->change_len, e.digest))
        return DB_HARD;
    int rc = db_audit_append(c, &e);
    return rc == 1 ? 0 : rc;
}

enum outcome
svc_audit_verify(PGconn *c, struct audit_result *out)
{
    struct audit_verdict v;
    int rc = db_audit_verify(c, &v);

    if (rc != 1)
        return tx_outcome_of(c, rc);
    out->ok = v.ok;
    out->events = (long long)v.events;
    memcpy(out->head, v.head, sizeof out->head);
    out->broken_seq = (long long)v.broken_seq;
    out->reason = v.reason;
    return OUTCOME_OK;
}
