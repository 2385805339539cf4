/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Risk flags (issue 14, docs/risk.md): reasons shown to the reviewing association, never a
 * refusal. The claim's signals made on the request thread (keyed hashes of its network
 * prefix and of its address without the flat, whether its email domain is disposable); its
 * row written by the intake hook in the batch transaction with the counts and flags known
 * then; the periodic pass that brings the time-based ones up to date; one claim's flags for
 * its reviewer; an incident's flags per day for the operator. */
#ifndef RECOURS_SERVICE_RISK_H
#define RECOURS_SERVICE_RISK_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "db/risk.h"
#include "domain/claim.h"
#include "domain/risk.h"

struct arena;
struct intake_submission;

/* The thresholds and periods (core/config.h, RECOURS_RISK_*). */
struct risk_settings {
    int network_max;      /* claims from one network within an hour, beyond which: flagged */
    int address_max;      /* claims at one address, beyond which: flagged */
    int unconfirmed_days; /* email not confirmed after this many days: flagged */
    int retention_hours;  /* network hashes erased after this many hours */
};

/* Sets the thresholds for the intake hook and the passes (before the intake starts). */
void risk_configure(const struct risk_settings *s);

/* The claim's signals: client_ip is the address the server believes (http/client_ip.h; NULL
 * or "unknown": no network signal). False when OpenSSL fails. */
bool risk_prepare(const struct secrets *sec, int64_t incident_id, const char *client_ip,
                  const struct claim_input *claim, struct risk_signals *out);

/* The intake hook (service/intake_hooks.h): each accepted claim's risk row. */
int risk_intake_hook(PGconn *c, int shard, struct intake_submission *const *accepted, int n);

/* What one pass did. */
struct risk_pass_result {
    bool skipped;       /* another node's pass was running */
    int64_t network;    /* claims whose network count changed */
    int64_t address;    /* claims whose address count changed */
    int64_t email;      /* claims whose email check came */
    int64_t expired;    /* network hashes erased */
};

/* One pass of the periodic job: network and address counts of the claims made in the last
 * lookback_s seconds and of those sharing their network or address; the email check of
 * claims older than the configured days; network hashes past the retention erased. Stops
 * between batches when *stop. OUTCOME_OK or the first failure. */
enum outcome svc_risk_pass(PGconn *c, int lookback_s, const atomic_bool *stop,
                           struct risk_pass_result *out);

/* One claim's flags for its reviewer (counts read now); out->present false when the claim
 * has none (taken in before risk flags existed). */
enum outcome svc_risk_claim(PGconn *c, int64_t claim_id, struct arena *a,
                            struct risk_view *out);

/* The operator's view: the incident's claims per day (UTC) and how many raised each flag.
 * OUTCOME_NOT_FOUND for an unknown incident. Takes the thread's connection. */
struct risk_overview {
    const char *slug;
    struct risk_day *days;
    int n_days;
};
enum outcome svc_rq_risk_overview(const char *slug, struct arena *a, struct risk_overview *out);

/* The configured thresholds (for the evidence shown with a flag). */
const struct risk_settings *risk_settings(void);

#endif
