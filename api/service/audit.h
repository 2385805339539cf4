/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What a write tells the audit chain: who, what, which object, and a digest of the change
 * (SHA-256 of the request body or of the object's new state; never the data in clear). The
 * chain's links are HMACs under the audit key, derived from the hmac-key secret and installed
 * once per process before anything appends or verifies. */
#ifndef RECOURS_SERVICE_AUDIT_H
#define RECOURS_SERVICE_AUDIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "db/audit.h"

struct audit_note {
    const char *actor;  /* "operator" or "association:<id>" */
    const void *change; /* bytes digested */
    size_t change_len;
};

/* Derives the audit key from s->hmac_key and keeps it for the life of the process. Call it
 * once, before any thread that audits starts (serve, and each CLI command that writes or
 * verifies): it is read without a lock afterwards. False if OpenSSL fails. */
bool svc_audit_key_install(const struct secrets *s);

/* Appends the event inside the open transaction; 0 or DB_* (DB_HARD when no key was
 * installed). */
int svc_audit(PGconn *c, const struct audit_note *note, const char *action,
              const char *object_type, const char *object_id);

/* The end of a transaction body whose write of one row returned rc (service/tx.h): the event
 * appended when it wrote that row, else rc (DB_*), or DB_HARD for none or several rows. */
int svc_audit_after(PGconn *c, int rc, const struct audit_note *note, const char *action,
                    const char *object_type, const char *object_id);

struct audit_result {
    bool ok;
    long long events;
    char head[65];
    long long broken_seq;
    const char *reason;
};

/* Parses a kept head "<seq>:<64 lower-case hex>" (seq a positive decimal without leading
 * zeros, as `recours audit head` prints it); false when text is anything else. */
bool svc_audit_head_parse(const char *text, struct audit_head *out);

/* Walks the chain (GET /v1/audit/verify, recours audit verify); with kept (else NULL) the
 * chain must also still hold that head. */
enum outcome svc_audit_verify(PGconn *c, const struct audit_head *kept, struct audit_result *out);

/* The head to keep outside the database (recours audit head). */
enum outcome svc_audit_head(PGconn *c, struct audit_head *out);

/* Re-seals a chain of the old unkeyed format under the audit key, inside the caller's
 * transaction (migration 0009). OUTCOME_OK with out->ok false when a link was already
 * broken: the caller must roll back. */
enum outcome svc_audit_reseal(PGconn *c, struct audit_result *out);

/* Entry points for handlers: the same on the calling thread's connection (service/conn.h). */
enum outcome svc_rq_audit_verify(const struct audit_head *kept, struct audit_result *out);

#endif
