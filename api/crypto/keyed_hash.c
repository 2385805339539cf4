/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* HMAC-SHA256 through OpenSSL 3's EVP_MAC, with domain separation for keyed hashes: the message
 * is fed in parts (purpose, NUL, value) so no buffer holding personal data is built here.
 * Invariants: the HMAC implementation is fetched once and kept for the life of the process
 * (never freed: valgrind reports it still reachable); a keyed context lives in the slot of
 * the thread that made it and is freed (OpenSSL cleanses it) when that thread ends or the
 * slot takes another key, and dropped after any failure; out is only valid when true
 * returns. */
#include "crypto/keyed_hash.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* EVP_MAC_fetch searches the provider store under its locks, and each claim makes several
 * hashes: the first successful fetch is published here and shared (a fetched EVP_MAC is
 * reference counted and safe to use from any thread). */
static _Atomic(EVP_MAC *) hmac_impl;

/* The shared HMAC implementation, or NULL when OpenSSL cannot provide it (not remembered: the
 * next call tries again). */
static EVP_MAC *
hmac(void)
{
    EVP_MAC *mac = atomic_load(&hmac_impl);
    EVP_MAC *none = NULL;

    if (mac != NULL)
        return mac;
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL)
        return NULL;
    if (!atomic_compare_exchange_strong(&hmac_impl, &none, mac)) {
        EVP_MAC_free(mac); /* another thread published first: use its object */
        mac = none;
    }
    return mac;
}

bool
keyed_hash(const uint8_t key[KEYED_HASH_KEY_LEN], const char *purpose, const char *value,
           uint8_t out[KEYED_HASH_LEN])
{
    static const unsigned char separator = 0x00;

    if (purpose == NULL || purpose[0] == '\0' || value == NULL) {
        OPENSSL_cleanse(out, KEYED_HASH_LEN);
        return false;
    }
    const struct hmac_part parts[] = {
        {purpose, strlen(purpose)},
        {&separator, 1},
        {value, strlen(value)},
    };
    return hmac_sha256(key, parts, sizeof parts / sizeof parts[0], out);
}

/* Each thread keeps the contexts of the last few keys it hashed with, keyed already. Making a
 * context per hash (EVP_MAC_CTX_new, then EVP_MAC_init with the key and the digest's name)
 * fetched SHA-256 from the provider store and derived the padded key blocks every time: a
 * tenth of the request threads' CPU in the intake (a claim makes five to eight hashes;
 * bench/RESULTS.md "Intake: the server's CPU per claim"). EVP_MAC_init without a key starts a
 * keyed context again from its stored blocks. A thread uses few keys (the server's HMAC key,
 * the audit chain's, the matching key of the incident being claimed): four slots, the oldest
 * replaced. */
#define CACHED_KEYS 4

struct keyed_slot {
    uint8_t key[KEYED_HASH_KEY_LEN];
    EVP_MAC_CTX *ctx; /* NULL: empty */
};

struct thread_slots {
    struct keyed_slot slot[CACHED_KEYS];
    unsigned next; /* the slot a new key takes */
};

static pthread_key_t slots_key;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static bool slots_key_made;

/* Runs when a thread that hashed ends (never for the main thread: its slots stay reachable
 * until the process exits). */
static void
slots_free(void *p)
{
    struct thread_slots *t = p;

    for (int i = 0; i < CACHED_KEYS; i++)
        EVP_MAC_CTX_free(t->slot[i].ctx);
    OPENSSL_cleanse(t, sizeof *t);
    free(t);
}

static void
slots_key_make(void)
{
    slots_key_made = pthread_key_create(&slots_key, slots_free) == 0;
}

/* This thread's slots, made on its first hash; NULL when out of memory. */
static struct thread_slots *
thread_slots(void)
{
    if (pthread_once(&slots_once, slots_key_make) != 0 || !slots_key_made)
        return NULL;
    struct thread_slots *t = pthread_getspecific(slots_key);
    if (t != NULL)
        return t;
    t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    if (pthread_setspecific(slots_key, t) != 0) {
        free(t);
        return NULL;
    }
    return t;
}

static void
slot_drop(struct keyed_slot *k)
{
    EVP_MAC_CTX_free(k->ctx);
    k->ctx = NULL;
    OPENSSL_cleanse(k->key, sizeof k->key);
}

/* The slot of key, its context ready for a new message, or NULL. */
static struct keyed_slot *
keyed_slot(const uint8_t key[KEYED_HASH_KEY_LEN])
{
    struct thread_slots *t = thread_slots();

    if (t == NULL)
        return NULL;
    for (int i = 0; i < CACHED_KEYS; i++) {
        struct keyed_slot *k = &t->slot[i];
        if (k->ctx != NULL && CRYPTO_memcmp(k->key, key, KEYED_HASH_KEY_LEN) == 0) {
            if (EVP_MAC_init(k->ctx, NULL, 0, NULL) == 1)
                return k;
            slot_drop(k); /* not restarted: made again below */
            break;
        }
    }
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC *mac = hmac();
    struct keyed_slot *k = &t->slot[t->next];

    if (mac == NULL)
        return NULL;
    slot_drop(k);
    k->ctx = EVP_MAC_CTX_new(mac);
    if (k->ctx == NULL || EVP_MAC_init(k->ctx, key, KEYED_HASH_KEY_LEN, params) != 1) {
        slot_drop(k);
        return NULL;
    }
    memcpy(k->key, key, KEYED_HASH_KEY_LEN);
    t->next = (t->next + 1) % CACHED_KEYS;
    return k;
}

bool
hmac_sha256(const uint8_t key[KEYED_HASH_KEY_LEN], const struct hmac_part *parts, size_t n,
            uint8_t out[KEYED_HASH_LEN])
{
    struct keyed_slot *k = NULL;
    size_t out_len = 0;
    bool ok = false;

    for (size_t i = 0; i < n; i++)
        if (parts[i].data == NULL && parts[i].len > 0)
            goto cleanup;
    k = keyed_slot(key);
    if (k == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (EVP_MAC_update(k->ctx, parts[i].data, parts[i].len) != 1)
            goto cleanup;
    if (EVP_MAC_final(k->ctx, out, &out_len, KEYED_HASH_LEN) != 1 || out_len != KEYED_HASH_LEN)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok) {
        OPENSSL_cleanse(out, KEYED_HASH_LEN);
        if (k != NULL)
            slot_drop(k); /* a context in an unknown state is not used again */
    }
    return ok;
}
