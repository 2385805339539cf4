/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Links sent by email: confirmation, recovery request and redemption. Each use case is one
 * transaction through the runner. */
#include "service/mail_links.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/random.h"
#include "db/claim_links.h"
#include "db/errors.h"
#include "db/outbox.h"
#include "domain/normalize.h"
#include "service/audit.h"
#include "service/conn.h"
#include "service/tx.h"

bool
mail_link_hash(const struct secrets *s, const char *token, uint8_t out[KEYED_HASH_LEN])
{
    return keyed_hash(s->hmac_key, "mail-link", token, out);
}

/* A token from a link: base64url of 32 bytes (43 characters), else refused before any hash. */
static bool
is_link_token(const char *t)
{
    if (t == NULL || strlen(t) != 43)
        return false;
    for (const char *p = t; *p != '\0'; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* The entry of a link's use: the thread's connection and the keyed hash of link_token into
 * link_hash; NOT_FOUND for a token no link of ours can have. */
static enum outcome
link_conn(const struct secrets *s, const char *link_token, PGconn **c_out,
          uint8_t link_hash[KEYED_HASH_LEN])
{
    enum outcome o = svc_conn(c_out);

    if (o != OUTCOME_OK)
        return o;
    if (!is_link_token(link_token))
        return OUTCOME_NOT_FOUND;
    return mail_link_hash(s, link_token, link_hash) ? OUTCOME_OK : OUTCOME_INTERNAL;
}

/* In a body: uses the link of link_hash for purpose (once only), its claim into *claim_id;
 * 1, or the body's answer NOT_FOUND (unknown, used, expired or for another purpose), or
 * DB_*. */
static int
use_link(PGconn *c, struct tx *t, const uint8_t *link_hash, const char *purpose,
         int64_t *claim_id)
{
    int rc = db_links_use(c, link_hash, purpose, claim_id);

    return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc;
}

struct request_tx {
    uint8_t email_key[KEYED_HASH_LEN];
    uint8_t client_bucket[KEYED_HASH_LEN];
    uint8_t email_bucket[KEYED_HASH_LEN];
    const struct recovery_request *r;
    bool limited;
};

static int
request_body(PGconn *c, struct tx *t, void *ctx)
{
    struct request_tx *x = ctx;
    int64_t by_client = 0;
    int64_t by_email = 0;
    /* the request is recorded, not who asked: no address, no hash of one */
    const struct audit_note note = {"public", "", 0};

    (void)t;
    x->limited = false;
    int rc = db_rate_count(c, x->client_bucket, x->email_bucket, RECOVERY_WINDOW_S, &by_client,
                           &by_email);
    if (rc != 1)
        return rc == 0 ? DB_HARD : rc;
    if (by_client >= RECOVERY_PER_CLIENT || by_email >= RECOVERY_PER_EMAIL) {
        x->limited = true;
        return 1; /* nothing written: the commit is empty */
    }
    if ((rc = db_rate_add(c, x->client_bucket, x->email_bucket)) != 2)
        return rc < 0 ? rc : DB_HARD;
    /* whether a claim matches is looked at only when the message is delivered: this path,
     * its answer and its timing are the same for an address that never claimed */
    if ((rc = db_outbox_enqueue_recovery(c, x->email_key, x->r->lang, x->r->reference)) != 1)
        return rc < 0 ? rc : DB_HARD;
    return tx_audited(svc_audit(c, &note, "claim.recovery-request", "recovery", "-"));
}

enum outcome
svc_rq_recovery_request(const struct secrets *s, const struct recovery_request *r,
                        bool *limited_out)
{
    char normal[512];
    struct request_tx x = {.r = r};
    PGconn *c;

    *limited_out = false;
    enum outcome o = svc_conn(&c);
    if (o != OUTCOME_OK)
        return o;
    if (!normalize_email(r->email, normal, sizeof normal))
        return OUTCOME_INVALID;
    bool ok = keyed_hash(s->hmac_key, KEYED_HASH_EMAIL, normal, x.email_key) &&
              keyed_hash(s->hmac_key, "rate-recovery-email", normal, x.email_bucket) &&
              keyed_hash(s->hmac_key, "rate-recovery-client", r->client, x.client_bucket);
    explicit_bzero(normal, sizeof normal);
    if (!ok)
        return OUTCOME_INTERNAL;
    o = svc_tx_run(c, "mail.recovery_request", TX_READ_WRITE, request_body, &x);
    *limited_out = x.limited;
    return o;
}

/* The use of a link, in one transaction run by link_body: the link of link_hash used for
 * purpose (once only), then what the use does with its claim. */
struct link_use;
typedef int (*link_then_fn)(PGconn *c, struct tx *t, const struct link_use *x,
                            int64_t claim_id);

struct link_use {
    const char *purpose;
    link_then_fn then;
    uint8_t link_hash[KEYED_HASH_LEN];
    uint8_t token_hash[KEYED_HASH_LEN]; /* a recovery's: the new token's keyed hash */
    char *ref_out;                      /* a recovery's: the claim's reference */
    struct arena *arena;                /* a confirmation's: its claim, in arena */
    struct confirm_claim *claim_out;
};

static int
link_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct link_use *x = ctx;
    int64_t claim_id = 0;
    int rc = use_link(c, t, x->link_hash, x->purpose, &claim_id);

    return rc == 1 ? x->then(c, t, x, claim_id) : rc;
}

static int
replace_token(PGconn *c, struct tx *t, const struct link_use *x, int64_t claim_id)
{
    const struct audit_note note = {"claimant", "", 0};
    int rc = db_claims_replace_token(c, claim_id, x->token_hash, x->ref_out);

    if (rc != 1)
        return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc;
    return tx_audited(svc_audit(c, &note, "claim.token-recovered", "claim", x->ref_out));
}

enum outcome
svc_rq_recovery_redeem(const struct secrets *s, const char *link_token, char *token_out,
                       char *ref_out)
{
    struct link_use x = {.purpose = "recovery", .then = replace_token, .ref_out = ref_out};
    PGconn *c;
    enum outcome o = link_conn(s, link_token, &c, x.link_hash);

    if (o != OUTCOME_OK)
        return o;
    if (!random_token(32, token_out) ||
        !keyed_hash(s->hmac_key, KEYED_HASH_CLAIM_TOKEN, token_out, x.token_hash))
        return OUTCOME_INTERNAL;
    o = svc_tx_run(c, "mail.recovery_redeem", TX_READ_WRITE, link_body, &x);
    if (o != OUTCOME_OK)
        explicit_bzero(token_out, 44);
    return o;
}

static int
confirm_email(PGconn *c, struct tx *t, const struct link_use *x, int64_t claim_id)
{
    int rc = db_claims_confirm_email(c, claim_id, x->arena, x->claim_out);

    return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc;
}

enum outcome
svc_rq_mail_confirm_email(const struct secrets *s, const char *link_token, struct arena *a,
                          struct confirm_claim *out)
{
    struct link_use x = {
        .purpose = "confirm-email", .then = confirm_email, .arena = a, .claim_out = out};
    PGconn *c;
    enum outcome o = link_conn(s, link_token, &c, x.link_hash);

    if (o != OUTCOME_OK)
        return o;
    return svc_tx_run(c, "mail.confirm_email", TX_READ_WRITE, link_body, &x);
}

enum outcome
svc_rq_mail_confirm_email_peek(const struct secrets *s, const char *link_token, struct arena *a,
                               struct confirm_claim *out)
{
    uint8_t link_hash[KEYED_HASH_LEN];
    PGconn *c;
    enum outcome o = link_conn(s, link_token, &c, link_hash);

    if (o != OUTCOME_OK)
        return o;
    int rc = db_links_peek_confirm(c, link_hash, a, out);
    return rc == 1 ? OUTCOME_OK : rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
}
