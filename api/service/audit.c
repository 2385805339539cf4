/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Audit events for the service layer, and the process's audit key. */
#include "service/audit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "crypto/audit_mac.h"
#include "crypto/sha256.h"
#include "db/audit.h"
#include "db/errors.h"
#include "service/conn.h"
#include "service/tx.h"

/* Written once by svc_audit_key_install before the threads that read it start (see the
 * header), never changed afterwards: the hmac-key it comes from never changes either. */
static uint8_t audit_key[AUDIT_MAC_KEY_LEN];
static bool audit_key_ready;

bool
svc_audit_key_install(const struct secrets *s)
{
    audit_key_ready = audit_mac_key_derive(s->hmac_key, audit_key);
    return audit_key_ready;
}

int
svc_audit(PGconn *c, const struct audit_note *note, const char *action, const char *object_type,
          const char *object_id)
{
    struct audit_entry e = {.actor = note->actor, .action = action,
                            .object_type = object_type, .object_id = object_id};

    if (!audit_key_ready) {
        log_bug("audit: no audit key installed; the write is refused");
        return DB_HARD;
    }
    if (!sha256(note->change != NULL ? note->change : "", note->change_len, e.digest))
        return DB_HARD;
    int rc = db_audit_append(c, audit_key, &e);
    return rc == 1 ? 0 : rc;
}

int
svc_audit_after(PGconn *c, int rc, const struct audit_note *note, const char *action,
                const char *object_type, const char *object_id)
{
    if ((rc = tx_held_row_written(rc)) != 1)
        return rc; /* a write of one row touched none or several */
    return tx_audited(svc_audit(c, note, action, object_type, object_id));
}

bool
svc_audit_head_parse(const char *text, struct audit_head *out)
{
    const char *colon = text != NULL ? strchr(text, ':') : NULL;
    size_t digits = colon != NULL ? (size_t)(colon - text) : 0;
    int64_t seq = 0;

    memset(out, 0, sizeof *out);
    if (digits == 0 || digits > 18 || text[0] == '0' || strlen(colon + 1) != 64)
        return false;
    for (size_t i = 0; i < digits; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        seq = seq * 10 + (text[i] - '0');
    }
    for (const char *h = colon + 1; *h != '\0'; h++)
        if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
            return false;
    out->seq = seq;
    memcpy(out->hash, colon + 1, 65);
    return true;
}

static void
result_of(const struct audit_verdict *v, struct audit_result *out)
{
    out->ok = v->ok;
    out->events = (long long)v->events;
    memcpy(out->head, v->head, sizeof out->head);
    out->broken_seq = (long long)v->broken_seq;
    out->reason = v->reason;
}

struct verify {
    const struct audit_head *kept;
    struct audit_verdict v;
};

static int
verify_body(PGconn *c, struct tx *t, void *ctx)
{
    struct verify *x = ctx;
    int rc = db_audit_verify(c, audit_key, x->kept, &x->v);

    (void)t;
    return rc == 0 ? DB_HARD : rc; /* 1: the walk ended, whatever it found */
}

enum outcome
svc_audit_verify(PGconn *c, const struct audit_head *kept, struct audit_result *out)
{
    struct verify x = {.kept = kept};

    if (!audit_key_ready) {
        log_bug("audit: no audit key installed; cannot verify");
        return OUTCOME_INTERNAL;
    }
    /* one snapshot for the whole walk: a write committed meanwhile is not half seen */
    enum outcome o = svc_tx_run(c, "audit.verify", TX_READ_ONLY, verify_body, &x);
    if (o == OUTCOME_OK)
        result_of(&x.v, out);
    return o;
}

enum outcome
svc_audit_head(PGconn *c, struct audit_head *out)
{
    int rc = db_audit_head(c, out);

    return rc == 1 ? OUTCOME_OK : tx_outcome_of(c, rc);
}

enum outcome
svc_audit_reseal(PGconn *c, struct audit_result *out)
{
    struct audit_verdict v;

    if (!audit_key_ready) {
        log_bug("audit: no audit key installed; cannot re-seal");
        return OUTCOME_INTERNAL;
    }
    int rc = db_audit_reseal(c, audit_key, &v);
    if (rc != 1)
        return tx_outcome_of(c, rc);
    result_of(&v, out);
    return OUTCOME_OK;
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_audit_verify,
               (const struct audit_head *kept, struct audit_result *out),
               svc_audit_verify, kept, out)
