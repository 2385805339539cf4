/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Public pages and the action public record (public_pages.h): single-statement reads (the
 * record is written with its action: service/actions.c). */
#include "service/public_pages.h"

#include <string.h>

#include "db/actions.h"
#include "db/errors.h"
#include "service/conn.h"
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
svc_rq_public_doc(enum public_doc kind, const char *key, struct arena *a, const char **json)
{
    PGconn *c;
    enum outcome o = svc_conn(&c);

    if (o != OUTCOME_OK)
        return o;
    switch (kind) {
    case PUBLIC_DOC_HOME:
        return read_outcome(c, db_public_home(c, PUBLIC_HOME_MAX, a, json));
    case PUBLIC_DOC_INCIDENT:
        return svc_public_incident(c, key, a, json);
    case PUBLIC_DOC_ACTION:
        return read_outcome(c, db_public_action(c, key, a, json));
    }
    return OUTCOME_INTERNAL;
}

enum outcome
svc_public_incident(PGconn *c, const char *slug, struct arena *a, const char **json)
{
    return read_outcome(c, db_public_incident(c, slug, a, json));
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

enum outcome
svc_action_mandate_text(PGconn *c, const char *id, const char *lang, struct arena *a,
                        const char **text, const char **text_lang, const char **version)
{
    return read_outcome(c, db_action_mandate_text(c, id, lang, a, text, text_lang, version));
}
