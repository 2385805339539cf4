/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Public pages and the action public record (public_pages.h). Reads are single statements;
 * the record's write is one audited transaction. */
#include "service/public_pages.h"

#include <string.h>

#include "db/actions.h"
#include "db/errors.h"
#include "service/tx.h"

/* A single read: its rc as an outcome. */
static enum outcome
read_outcome(PGconn *c, int rc)
{
    if (rc < 0)
        return tx_outcome_of(c, rc);
    return rc == 0 ? OUTCOME_NOT_FOUND : OUTCOME_OK;
}

enum outcome
svc_public_home(PGconn *c, struct arena *a, const char **json)
{
    return read_outcome(c, db_public_home(c, PUBLIC_HOME_MAX, a, json));
}

enum outcome
svc_public_incident(PGconn *c, const char *slug, struct arena *a, const char **json)
{
    return read_outcome(c, db_public_incident(c, slug, a, json));
}

enum outcome
svc_public_action(PGconn *c, const char *id, struct arena *a, const char **json)
{
    return read_outcome(c, db_public_action(c, id, a, json));
}

enum outcome
svc_action_record_get(PGconn *c, const char *id, const char *association_id, struct arena *a,
                      const char **json)
{
    struct action x;
    int rc = db_actions_get_uncounted(c, id, a, &x);

    if (rc == 1 && association_id != NULL && strcmp(x.association_id, association_id) != 0)
        return OUTCOME_NOT_FOUND;
    if (rc != 1)
        return read_outcome(c, rc);
    return read_outcome(c, db_action_record_get(c, id, a, json));
}

struct record_update {
    const struct audit_note *note;
    const char *id;
    const char *association_id;
    const struct action_record_patch *p;
    struct arena *a;
};

static int
record_update_body(PGconn *c, struct tx *t, void *ctx)
{
    struct record_update *x = ctx;
    struct action cur;
    int rc = db_actions_get_uncounted(c, x->id, x->a, &cur);

    if (rc != 1)
        return rc;
    if (strcmp(cur.association_id, x->association_id) != 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    rc = db_action_record_update(c, x->id, x->p);
    if (rc != 1)
        return rc;
    return tx_audited(svc_audit(c, x->note, "action.record.update", "action", x->id));
}

enum outcome
svc_action_record_update(PGconn *c, const struct audit_note *note, const char *id,
                         const char *association_id, const struct action_record_patch *p,
                         struct arena *a)
{
    struct record_update x = {note, id, association_id, p, a};

    return svc_tx_run(c, "actions.record", TX_READ_WRITE, record_update_body, &x);
}

enum outcome
svc_action_mandate_text(PGconn *c, const char *id, const char *lang, struct arena *a,
                        const char **text, const char **text_lang, const char **version)
{
    return read_outcome(c, db_action_mandate_text(c, id, lang, a, text, text_lang, version));
}
