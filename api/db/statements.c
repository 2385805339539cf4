/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Registry of every prepared-statement table (see statements.h). Each db/<table group>.c adds
 * its table here as it is written. */
#include "db/statements.h"

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
