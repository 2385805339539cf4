/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See service/risk.h. The hashes are keyed_hash(server HMAC key, purpose, "<incident id>|<value>"):
 * per incident (one network's claims on two incidents are not linkable), useless without the
 * key, the same on every node. */
#include "service/risk.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "db/errors.h"
#include "service/incidents.h"
#include "service/conn.h"
#include "service/intake.h"
#include "service/risk_domains.h"
#include "service/tx.h"

/* keyed_hash purposes: never the purpose of anything else */
#define PURPOSE_NETWORK "risk-network-v1"
#define PURPOSE_ADDRESS "risk-address-v1"
/* rows per statement of the email check and the retention's erasure */
#define PASS_BATCH 10000

static struct risk_settings settings = {
    .network_max = 20, .address_max = 5, .unconfirmed_days = 7, .retention_hours = 48};

void
risk_configure(const struct risk_settings *s)
{
    settings = *s;
}

const struct risk_settings *
risk_settings(void)
{
    return &settings;
}

/* keyed_hash of "<incident id>|<value>" under purpose. */
static bool
incident_mac(const struct secrets *sec, const char *purpose, int64_t incident_id,
             const char *value, uint8_t out[RISK_MAC_LEN])
{
    char text[RISK_ADDRESS_MAX + 32];
    int w = snprintf(text, sizeof text, "%" PRId64 "|%s", incident_id, value);
    bool ok = w > 0 && (size_t)w < sizeof text && keyed_hash(sec->hmac_key, purpose, text, out);

    explicit_bzero(text, sizeof text);
    return ok;
}

bool
risk_prepare(const struct secrets *sec, int64_t incident_id, const char *client_ip,
             const struct claim_input *claim, struct risk_signals *out)
{
    char prefix[RISK_PREFIX_MAX];
    char address[RISK_ADDRESS_MAX];
    char domain[256];
    const char *kind = NULL;
    bool ok = true;

    memset(out, 0, sizeof *out);
    if (risk_network_prefix(client_ip, prefix, &kind)) {
        ok = incident_mac(sec, PURPOSE_NETWORK, incident_id, prefix, out->net_mac);
        out->net_kind = kind;
    }
    if (ok && risk_address_normal(&claim->claimant.address, address, sizeof address)) {
        ok = incident_mac(sec, PURPOSE_ADDRESS, incident_id, address, out->addr_mac);
        out->has_addr = true;
    }
    out->disposable_email = risk_email_domain(claim->claimant.email, domain, sizeof domain) &&
                            risk_domains_is_disposable(domain);
    explicit_bzero(prefix, sizeof prefix);
    explicit_bzero(address, sizeof address);
    return ok;
}

int
risk_intake_hook(PGconn *c, int shard, struct intake_submission *const *accepted, int n)
{
    struct risk_row rows[INTAKE_BATCH_MAX];
    const struct risk_limits lim = {settings.network_max, settings.address_max};

    (void)shard;
    if (n > INTAKE_BATCH_MAX)
        n = INTAKE_BATCH_MAX;
    for (int i = 0; i < n; i++)
        rows[i] = (struct risk_row){accepted[i]->row.id, accepted[i]->row.incident_id,
                                    accepted[i]->created_at, &accepted[i]->risk};
    return db_risk_insert_batch(c, rows, n, &lim);
}

/* ---- the periodic pass ---- */

struct pass_ctx {
    int lookback_s;
    struct risk_pass_result *out;
};

/* The counts, in one transaction under the job's lock (one node's pass at a time). */
static int
counts_body(PGconn *c, struct tx *t, void *arg)
{
    struct pass_ctx *x = arg;
    int rc = db_risk_try_lock(c);

    if (rc <= 0) {
        x->out->skipped = rc == 0;
        return rc == 0 ? tx_answer(t, OUTCOME_OK) : rc;
    }
    int64_t n = db_risk_pass_step(c, RISK_STEP_NETWORK, x->lookback_s, settings.network_max);
    int64_t m = n < 0 ? n
                      : db_risk_pass_step(c, RISK_STEP_ADDRESS, x->lookback_s,
                                          settings.address_max);
    if (n < 0 || m < 0)
        return (int)(n < 0 ? n : m);
    x->out->network = n;
    x->out->address = m;
    return 1;
}

struct batch_ctx {
    bool email; /* the email check; else the retention's erasure */
    int64_t done;
};

static int
batch_body(PGconn *c, struct tx *t, void *arg)
{
    struct batch_ctx *b = arg;

    (void)t;
    b->done = b->email ? db_risk_pass_step(c, RISK_STEP_EMAIL, settings.unconfirmed_days,
                                           PASS_BATCH)
                       : db_risk_pass_step(c, RISK_STEP_EXPIRE, settings.retention_hours,
                                           PASS_BATCH);
    return b->done < 0 ? (int)b->done : 1; /* commits an empty batch too: nothing to undo */
}

/* Batches of one kind until one is not full; the rows done, or -1 on a failure. */
static int64_t
in_batches(PGconn *c, bool email, const atomic_bool *stop)
{
    struct batch_ctx b = {.email = email};
    int64_t total = 0;

    do {
        if (svc_tx_run(c, email ? "risk email" : "risk retention", TX_READ_WRITE, batch_body,
                       &b) != OUTCOME_OK)
            return -1;
        total += b.done;
    } while (b.done == PASS_BATCH && (stop == NULL || !atomic_load(stop)));
    return total;
}

enum outcome
svc_risk_pass(PGconn *c, int lookback_s, const atomic_bool *stop, struct risk_pass_result *out)
{
    struct pass_ctx x = {lookback_s, out};

    memset(out, 0, sizeof *out);
    enum outcome o = svc_tx_run(c, "risk counts", TX_READ_WRITE, counts_body, &x);
    if (o != OUTCOME_OK || out->skipped)
        return o;
    out->email = in_batches(c, true, stop);
    out->expired = out->email < 0 ? -1 : in_batches(c, false, stop);
    return out->email < 0 || out->expired < 0 ? OUTCOME_UNAVAILABLE : OUTCOME_OK;
}

/* ---- reading ---- */

enum outcome
svc_risk_claim(PGconn *c, int64_t claim_id, struct arena *a, struct risk_view *out)
{
    int rc = db_risk_claim(c, claim_id, a, out);

    return rc >= 0 ? OUTCOME_OK : tx_outcome_of(c, rc);
}

enum outcome
svc_rq_risk_overview(const char *slug, struct arena *a, struct risk_overview *out)
{
    struct incident inc;
    PGconn *c;
    enum outcome o = svc_incident_here(slug, a, &c, &inc);

    if (o != OUTCOME_OK)
        return o;
    out->slug = inc.slug;
    int rc = db_risk_incident_days(c, inc.id, a, &out->days, &out->n_days);
    return rc >= 0 ? OUTCOME_OK : tx_outcome_of(c, rc);
}
