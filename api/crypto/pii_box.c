/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* AES-256-GCM through OpenSSL's EVP interface for pii_box.h.
 * Invariants: every EVP call is checked against 1; the cipher context is freed on every path
 * (EVP_CIPHER_CTX_free cleanses the key schedule); plaintext is only ever in the caller's
 * buffers, and a failed open wipes what it decrypted before the tag was refused. */
#include "crypto/pii_box.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/random.h"

/* Feeds the associated data, if any: an update with no output buffer. */
static bool
feed_aad(EVP_CIPHER_CTX *ctx, bool encrypt, const void *aad, size_t aad_len)
{
    int len = 0;

    if (aad_len == 0)
        return true;
    if (encrypt)
        return EVP_EncryptUpdate(ctx, NULL, &len, aad, (int)aad_len) == 1;
    return EVP_DecryptUpdate(ctx, NULL, &len, aad, (int)aad_len) == 1;
}

bool
pii_box_seal(const uint8_t key[PII_BOX_KEY_LEN], const void *aad, size_t aad_len,
             const void *plain, size_t n, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t *nonce = out;
    uint8_t *cipher = out + PII_BOX_NONCE;
    int len = 0;
    bool ok = false;

    if (n > INT_MAX - PII_BOX_OVERHEAD || aad_len > INT_MAX)
        return false; /* OpenSSL counts in int */
    if (!random_bytes(nonce, PII_BOX_NONCE))
        goto cleanup;
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
        goto cleanup;
    /* The cipher first, then key and nonce: GCM's default nonce length is 96 bits, the size
     * NIST recommends, so no EVP_CTRL_GCM_SET_IVLEN is needed. */
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_get_iv_length(ctx) != PII_BOX_NONCE
        || EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) != 1)
        goto cleanup;
    if (!feed_aad(ctx, true, aad, aad_len))
        goto cleanup;
    if (n > 0 && (EVP_EncryptUpdate(ctx, cipher, &len, plain, (int)n) != 1 || (size_t)len != n))
        goto cleanup;
    if (EVP_EncryptFinal_ex(ctx, cipher + n, &len) != 1 || len != 0)
        goto cleanup;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PII_BOX_TAG, cipher + n) != 1)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok)
        OPENSSL_cleanse(out, n + PII_BOX_OVERHEAD);
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

/* Opens box with ctx, whose key is already set: the nonce, the aad, the ciphertext, the tag. */
static bool
open_with(EVP_CIPHER_CTX *ctx, const void *aad, size_t aad_len, const uint8_t *box,
          size_t box_len, uint8_t *plain_out)
{
    uint8_t tag[PII_BOX_TAG];
    uint8_t spare[EVP_MAX_BLOCK_LENGTH]; /* GCM's final step writes nothing; NULL + 0 is UB */
    size_t n = box_len - PII_BOX_OVERHEAD;
    int len = 0;
    bool ok = false;

    memcpy(tag, box + PII_BOX_NONCE + n, PII_BOX_TAG); /* the ctrl wants a mutable buffer */
    if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, box) != 1)
        goto cleanup;
    if (!feed_aad(ctx, false, aad, aad_len))
        goto cleanup;
    if (n > 0
        && (EVP_DecryptUpdate(ctx, plain_out, &len, box + PII_BOX_NONCE, (int)n) != 1
            || (size_t)len != n))
        goto cleanup;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, PII_BOX_TAG, tag) != 1)
        goto cleanup;
    /* The tag is checked here, after decryption: until it passes, plain_out is unauthenticated
     * and must not survive a failure. */
    if (EVP_DecryptFinal_ex(ctx, spare, &len) != 1 || len != 0)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok && n > 0)
        OPENSSL_cleanse(plain_out, n);
    return ok;
}

/* A context for AES-256-GCM decryption under key (nonce still to set), or NULL. */
static EVP_CIPHER_CTX *
decrypt_ctx(const uint8_t key[PII_BOX_KEY_LEN])
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

    if (ctx == NULL)
        return NULL;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_get_iv_length(ctx) != PII_BOX_NONCE
        || EVP_DecryptInit_ex(ctx, NULL, NULL, key, NULL) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static bool
box_fits(size_t box_len, size_t aad_len)
{
    return box_len >= PII_BOX_OVERHEAD && box_len - PII_BOX_OVERHEAD <= INT_MAX
           && aad_len <= INT_MAX;
}

bool
pii_box_open(const uint8_t key[PII_BOX_KEY_LEN], const void *aad, size_t aad_len,
             const uint8_t *box, size_t box_len, uint8_t *plain_out)
{
    if (!box_fits(box_len, aad_len))
        return false; /* nothing written yet */
    EVP_CIPHER_CTX *ctx = decrypt_ctx(key);
    if (ctx == NULL) {
        if (box_len > PII_BOX_OVERHEAD)
            OPENSSL_cleanse(plain_out, box_len - PII_BOX_OVERHEAD);
        return false;
    }
    bool ok = open_with(ctx, aad, aad_len, box, box_len, plain_out);
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

struct pii_box_opener {
    EVP_CIPHER_CTX *ctx;
};

struct pii_box_opener *
pii_box_opener_new(const uint8_t key[PII_BOX_KEY_LEN])
{
    EVP_CIPHER_CTX *ctx = decrypt_ctx(key);

    if (ctx == NULL)
        return NULL;
    struct pii_box_opener *o = OPENSSL_zalloc(sizeof *o);
    if (o == NULL) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    o->ctx = ctx;
    return o;
}

bool
pii_box_opener_open(struct pii_box_opener *o, const void *aad, size_t aad_len,
                    const uint8_t *box, size_t box_len, uint8_t *plain_out)
{
    if (!box_fits(box_len, aad_len))
        return false;
    return open_with(o->ctx, aad, aad_len, box, box_len, plain_out);
}

void
pii_box_opener_free(struct pii_box_opener *o)
{
    if (o == NULL)
        return;
    EVP_CIPHER_CTX_free(o->ctx); /* cleanses the key schedule */
    OPENSSL_free(o);
}
