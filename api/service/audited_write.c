/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One audited write in one transaction (see the header). */
#include "service/audited_write.h"

#include "service/lookup_cache.h"

static int
audited_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct audited_write *w = ctx;
    int rc = w->write(c, t, w);

    /* the object's id is read only once written: a new row's is set by then */
    if (rc != 1)
        return tx_held_row_written(rc);
    return svc_audit_after(c, rc, w->note, w->event, w->object_type, *w->object_id);
}

enum outcome
svc_audited_write(PGconn *c, const char *name, const struct audited_write *w)
{
    /* the body only reads w: the runner's context is not const */
    void *ctx = (void *)w;

    if (w->stales_lookup_cache)
        return svc_tx_run_cached_write(c, name, audited_body, ctx);
    return svc_tx_run(c, name, TX_READ_WRITE, audited_body, ctx);
}
