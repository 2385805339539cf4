/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claimant self-service (GDPR Art. 15-17): find a claim by reference and token, correct it
 * (dedup again), withdraw it. */
#ifndef RECOURS_SERVICE_CLAIMS_H
#define RECOURS_SERVICE_CLAIMS_H

#include <libpq-fe.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "crypto/matching_key.h"
#include "db/claims.h"
#include "db/ws_members.h"
#include "domain/claim.h"
#include "domain/risk.h"
#include "service/audit.h"

struct arena;

/* The claim of reference (any case) if token is its token: OUTCOME_OK, else NOT_FOUND (an
 * unknown reference and a wrong token are indistinguishable, compared in constant time). */
enum outcome svc_claims_find(PGconn *c, const struct secrets *s, const char *reference,
                             const char *token, struct arena *a, struct claim_record *out);

/* A change of mandate carried by a correction (docs/api.md §9.6, `action_id`). */
struct mandate_change {
    enum { MANDATE_KEEP, MANDATE_SET, MANDATE_REVOKE } kind;
    const char *action_id;      /* MANDATE_SET */
    const char *association_id;
    const char *version;
};

/* What a correction changes besides the row (issue 14): the claim's eligibility hashes and
 * risk signals made again from the corrected input (eligibility_prepare, risk_prepare). */
struct claim_hashes {
    struct matching_macs eligibility;
    struct risk_signals risk;
};

/* The address a correction replaced, told of the change (docs/mail.md, address-changed);
 * old_email NULL when the address did not change. The secrets seal it in the outbox. */
struct address_move {
    const struct secrets *s;
    const char *old_email;
};

/* Makes *out from the corrected input of a claim of incident_id; false when OpenSSL fails. */
bool svc_claims_hashes(const struct secrets *sec, int64_t incident_id,
                       const struct claim_input *in, struct claim_hashes *out);

/* Entry points for handlers, on the calling thread's connection (service/conn.h). */

/* svc_claims_find there. */
enum outcome svc_rq_claims_find(const struct secrets *s, const char *reference,
                                const char *token, struct arena *a, struct claim_record *out);

/* Writes a correction of rec (keys and sealed pii in row) in a transaction that re-reads the
 * claim locked, and queues its messages (to the old address too when moved says it changed):
 * CLAIM_WITHDRAWN, DUPLICATE_CLAIM (nothing stored), or OK with *out re-read. */
enum outcome svc_rq_claims_correct(const struct claim_record *rec, const struct claim_row *row,
                                   const struct mandate_change *m,
                                   const struct claim_hashes *again,
                                   const struct address_move *moved, struct arena *a,
                                   struct claim_record *out);

/* Withdraws rec's claim (idempotent); *out re-read. */
enum outcome svc_rq_claims_withdraw(const struct claim_record *rec, struct arena *a,
                                    struct claim_record *out);

/* The claim of reference for its review: NOT_FOUND unless association_id is the association it
 * mandated (NULL: the operator, any claim); then APPROVAL_LAPSED unless may_write. */
enum outcome svc_rq_claims_for_review(const char *reference, const char *association_id,
                                      bool may_write, struct arena *a,
                                      struct claim_record *out);

/* Review by the operator or the mandated association: received → verified | rejected,
 * verified ↔ rejected; INVALID_TRANSITION otherwise (withdrawn claims included). d gives the
 * decision, its reason code (domain/review.h reject_reasons, NULL for a verification), the
 * note to the claimant and the correction window; the rest of it is filled here. The decision
 * runs as the workspace's does (service/review.h), audited "claim.review" on the reference. */
enum outcome svc_rq_claims_review(const struct audit_note *note, const struct claim_record *rec,
                                  struct ws_decision *d, struct arena *a, struct claim_record *out);

/* A page of the claims mandated to association_id on the incident of slug (NOT_FOUND without
 * it): up to limit of them into out, *more_out when more follow. out has room for limit + 1. */
enum outcome svc_rq_claims_list_mandated(const char *slug, const char *association_id,
                                         const struct claim_list_filter *f, int limit,
                                         struct arena *a, struct claim_record *out, int *n_out,
                                         bool *more_out);

#endif
