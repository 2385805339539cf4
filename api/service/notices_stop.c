/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The stop link's token and what following it does (see notices_stop.h). */
#include "service/notices_stop.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/errors.h"
#include "service/conn.h"
#include "service/tx.h"

#define MAC_BYTES 16
#define TOKEN_MAX 64

/* "<id>.<base64url of the first 16 bytes of the MAC>" into out (TOKEN_MAX bytes). */
static bool
make_token(const struct secrets *s, int64_t claim_id, char out[TOKEN_MAX])
{
    char id[24];
    uint8_t mac[KEYED_HASH_LEN];
    char mac_text[32];

    snprintf(id, sizeof id, "%lld", (long long)claim_id);
    if (!keyed_hash(s->hmac_key, "notice-stop", id, mac))
        return false;
    base64url_encode(mac, MAC_BYTES, mac_text);
    snprintf(out, TOKEN_MAX, "%s.%s", id, mac_text);
    return true;
}

const char *
svc_notice_stop_url(const struct secrets *s, struct arena *a, const char *public_url,
                    int64_t claim_id)
{
    char token[TOKEN_MAX];

    if (!make_token(s, claim_id, token))
        return NULL;
    return arena_printf(a, "%s/notices/stop/%s", public_url, token);
}

/* The claim id of a token we made; false for anything else (compared in constant time). */
static bool
token_claim(const struct secrets *s, const char *token, int64_t *claim_id_out)
{
    char expected[TOKEN_MAX];
    const char *dot = strchr(token, '.');
    char *end = NULL;

    if (dot == NULL || dot == token || dot - token > 19 || strlen(token) >= TOKEN_MAX)
        return false;
    for (const char *p = token; p < dot; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    long long id = strtoll(token, &end, 10);
    if (errno != 0 || end != dot || id <= 0 || !make_token(s, id, expected))
        return false;
    size_t n = strlen(expected);
    if (strlen(token) != n || CRYPTO_memcmp(expected, token, n) != 0)
        return false;
    *claim_id_out = id;
    return true;
}

struct stop {
    int64_t claim_id;
    bool apply;
    struct arena *a;
    struct notice_stop_info *out;
};

static int
stop_body(PGconn *c, struct tx *t, void *ctx)
{
    struct stop *st = ctx;
    int rc = st->apply ? db_notices_stop(c, st->claim_id) : 1;

    if (rc == 1)
        rc = db_notices_stop_info(c, st->claim_id, st->a, st->out);
    if (rc == 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    return rc;
}

static enum outcome
run(const struct secrets *s, const char *token, bool apply, struct arena *a,
    struct notice_stop_info *out)
{
    struct stop st = {.apply = apply, .a = a, .out = out};
    PGconn *c;

    memset(out, 0, sizeof *out);
    if (token == NULL || !token_claim(s, token, &st.claim_id))
        return OUTCOME_NOT_FOUND;
    enum outcome o = svc_conn(&c);
    if (o != OUTCOME_OK)
        return o;
    return svc_tx_run(c, apply ? "notices.stop" : "notices.stop_info",
                      apply ? TX_READ_WRITE : TX_READ_ONLY, stop_body, &st);
}

enum outcome
svc_rq_notice_stop_info(const struct secrets *s, const char *token, struct arena *a,
                        struct notice_stop_info *out)
{
    return run(s, token, false, a, out);
}

enum outcome
svc_rq_notice_stop(const struct secrets *s, const char *token, struct arena *a,
                   struct notice_stop_info *out)
{
    return run(s, token, true, a, out);
}
