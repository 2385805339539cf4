/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Registry of every prepared-statement table (see statements.h). Each db/<table group>.c adds
 * its table here as it is written. */
#include "db/statements.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/actions.h"
#include "db/associations.h"
#include "db/audit.h"
#include "db/claims.h"
#include "db/claim_links.h"
#include "db/claims_batch.h"
#include "db/eligibility.h"
#include "db/erasure.h"
#include "db/evidence.h"
#include "db/exports.h"
#include "db/idempotency.h"
#include "db/incidents.h"
#include "db/mail_throttle.h"
#include "db/memberships.h"
#include "db/nodes.h"
#include "db/notices.h"
#include "db/notices_mail.h"
#include "db/outbox.h"
#include "db/public_pages.h"
#include "db/risk.h"
#include "db/rotate.h"
#include "db/schemes.h"
#include "db/secrets_match.h"
#include "db/tallies.h"
#include "db/tally_shape.h"
#include "db/ws_members.h"

const struct db_statement *const db_statement_tables[] = {
    db_incidents_statements,
    db_associations_statements,
    db_actions_statements,
    db_memberships_statements,
    db_audit_statements,
    db_claims_statements,
    db_claims_batch_statements,
    db_erasure_statements,
    db_idempotency_statements,
    db_rotate_statements,
    db_tallies_statements,
    db_tally_shape_statements,
    db_schemes_statements,
    db_exports_statements,
    db_outbox_statements,
    db_claim_links_statements,
    db_public_pages_statements,
    db_ws_members_statements,
    db_eligibility_statements,
    db_evidence_statements,

    db_risk_statements,

    db_notices_statements,
    db_notices_mail_statements,
    db_mail_throttle_statements,
    db_nodes_statements,
    db_secrets_match_statements,
    NULL,
};

/* Every statement once, sorted by name; built at the first lookup, never freed. */
static const struct db_statement **by_name;
static int n_statements;
static const char *duplicate;
static pthread_once_t built = PTHREAD_ONCE_INIT;

static int
compare_names(const void *a, const void *b)
{
    return strcmp((*(const struct db_statement *const *)a)->name,
                  (*(const struct db_statement *const *)b)->name);
}

static void
build(void)
{
    size_t n = 0;

    for (size_t t = 0; db_statement_tables[t] != NULL; t++)
        for (const struct db_statement *st = db_statement_tables[t]; st->name != NULL; st++)
            n++;
    by_name = xcalloc(n > 0 ? n : 1, sizeof *by_name);
    for (size_t t = 0; db_statement_tables[t] != NULL; t++)
        for (const struct db_statement *st = db_statement_tables[t]; st->name != NULL; st++)
            by_name[n_statements++] = st;
    qsort(by_name, n, sizeof *by_name, compare_names);
    for (int i = 1; i < n_statements && duplicate == NULL; i++)
        if (strcmp(by_name[i - 1]->name, by_name[i]->name) == 0)
            duplicate = by_name[i]->name;
}

int
db_statement_count(void)
{
    pthread_once(&built, build);
    return n_statements;
}

int
db_statement_index(const char *name)
{
    struct db_statement key = {.name = name};
    const struct db_statement *key_ptr = &key;

    pthread_once(&built, build);
    const struct db_statement **found =
        name != NULL
            ? bsearch(&key_ptr, by_name, (size_t)n_statements, sizeof *by_name, compare_names)
            : NULL;
    return found != NULL ? (int)(found - by_name) : -1;
}

const struct db_statement *
db_statement_at(int i)
{
    pthread_once(&built, build);
    return by_name[i];
}

const char *
db_statement_duplicate(void)
{
    pthread_once(&built, build);
    return duplicate;
}
