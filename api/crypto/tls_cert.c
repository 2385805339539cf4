/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Loads the TLS certificate and key, or makes a self-signed pair on first run. Invariants:
 * the key is written before the certificate and removed again if the certificate cannot be
 * written, so a failed run never leaves one file without the other; key bytes live in
 * cleansed memory only (BIO_s_secmem, OPENSSL_cleanse). */
#include "crypto/tls_cert.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/secrets.h"

/* A certificate chain is a few KiB; this only bounds what a wrong path can make us read. */
#define TLS_PEM_MAX_BYTES (256 * 1024)
#define TLS_VALID_DAYS 365
#define TLS_BACKDATE_S 3600 /* tolerates clients whose clock is a little behind */

/* Prints "tls: could not <what>: <first OpenSSL error>" and empties the error queue. */
static void
report_openssl(const char *what)
{
    char err[256] = "unknown error";
    unsigned long code = ERR_get_error();

    if (code != 0)
        ERR_error_string_n(code, err, sizeof err);
    fprintf(stderr, "tls: could not %s: %s\n", what, err);
    ERR_clear_error();
}

static bool
file_exists(const char *path, bool *exists_out)
{
    struct stat st;

    if (stat(path, &st) == 0) {
        *exists_out = true;
        return true;
    }
    if (errno == ENOENT) {
        *exists_out = false;
        return true;
    }
    fprintf(stderr, "tls: could not look at %s: %s\n", path, strerror(errno));
    return false;
}

static bool
read_pem(const char *path, bool is_private, char **pem_out)
{
    size_t len = 0;

    if (!secrets_read_file(path, TLS_PEM_MAX_BYTES, is_private, pem_out, &len))
        return false;
    if (len == 0) {
        fprintf(stderr, "tls: %s is empty\n", path);
        free(*pem_out);
        *pem_out = NULL;
        return false;
    }
    return true;
}

/* ---- making the pair ----------------------------------------------------------------- */

static bool
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    bool ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;

    X509_EXTENSION_free(ext);
    if (!ok)
        report_openssl("add a certificate extension");
    return ok;
}

static bool
set_name_and_validity(X509 *x)
{
    X509_NAME *name = X509_get_subject_name(x);
    time_t now = time(NULL);

    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   (const unsigned char *)"recours self-signed", -1, -1, 0) != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                      (const unsigned char *)"localhost", -1, -1, 0) != 1
        || X509_set_issuer_name(x, name) != 1) {
        report_openssl("set the certificate name");
        return false;
    }
    /* These return the time they set, not 1. */
    if (X509_time_adj_ex(X509_getm_notBefore(x), 0, -TLS_BACKDATE_S, &now) == NULL
        || X509_time_adj_ex(X509_getm_notAfter(x), TLS_VALID_DAYS, -TLS_BACKDATE_S, &now)
               == NULL) {
        report_openssl("set the certificate validity");
        return false;
    }
    return true;
}

/* RFC 5280 4.1.2.2: positive, at most 20 octets; random so that no two of our certificates
 * for the same name share a serial (browsers reject that). */
static bool
set_random_serial(X509 *x)
{
    BIGNUM *bn = BN_new();
    bool ok = bn != NULL && BN_rand(bn, 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1
              && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;

    BN_free(bn);
    if (!ok)
        report_openssl("set the certificate serial");
    return ok;
}

static X509 *
make_cert(EVP_PKEY *pkey)
{
    X509V3_CTX ctx;
    X509 *x = X509_new();
    bool ok = false;

    if (x == NULL || X509_set_version(x, X509_VERSION_3) != 1 || X509_set_pubkey(x, pkey) != 1) {
        report_openssl("make a certificate");
        goto cleanup;
    }
    if (!set_random_serial(x) || !set_name_and_validity(x))
        goto cleanup;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509V3_set_ctx_nodb(&ctx);
    if (!add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE")
        || !add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature")
        || !add_ext(x, &ctx, NID_ext_key_usage, "serverAuth")
        || !add_ext(x, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"))
        goto cleanup;
    /* X509_sign returns the signature's length, 0 on failure. */
    if (X509_sign(x, pkey, EVP_sha256()) <= 0) {
        report_openssl("sign the certificate");
        goto cleanup;
    }
    ok = true;
cleanup:
    if (!ok) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

/* Copies a memory BIO into a NUL-terminated heap string. */
static bool
bio_to_string(BIO *bio, char **out)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);

    if (n <= 0 || data == NULL)
        return false;
    *out = malloc((size_t)n + 1);
    if (*out == NULL)
        return false;
    memcpy(*out, data, (size_t)n);
    (*out)[n] = '\0';
    return true;
}

/* PEM of the key (PKCS#8, unencrypted: what GnuTLS under libmicrohttpd reads) and of the
 * certificate. The key's BIO is secure memory, cleansed when freed. */
static bool
pems_of(EVP_PKEY *pkey, X509 *x, char **cert_pem_out, char **key_pem_out)
{
    BIO *key_bio = BIO_new(BIO_s_secmem());
    BIO *cert_bio = BIO_new(BIO_s_mem());
    bool ok = false;

    if (key_bio == NULL || cert_bio == NULL
        || PEM_write_bio_PrivateKey(key_bio, pkey, NULL, NULL, 0, NULL, NULL) != 1
        || PEM_write_bio_X509(cert_bio, x) != 1) {
        report_openssl("encode the key and certificate");
        goto cleanup;
    }
    if (!bio_to_string(key_bio, key_pem_out) || !bio_to_string(cert_bio, cert_pem_out)) {
        fprintf(stderr, "tls: could not encode the key and certificate: out of memory\n");
        goto cleanup;
    }
    ok = true;
cleanup:
    BIO_free(key_bio);
    BIO_free(cert_bio);
    return ok;
}

static bool
generate(char **cert_pem_out, char **key_pem_out)
{
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    X509 *x = NULL;
    bool ok = false;

    if (pkey == NULL) {
        report_openssl("generate a key");
        goto cleanup;
    }
    x = make_cert(pkey);
    if (x == NULL || !pems_of(pkey, x, cert_pem_out, key_pem_out))
        goto cleanup;
    ok = true;
cleanup:
    X509_free(x);
    EVP_PKEY_free(pkey); /* clears the private scalar */
    return ok;
}

/* ---- files --------------------------------------------------------------------------- */

static bool
mkdirs_of(const char *path)
{
    char *copy = strdup(path);
    bool ok;

    if (copy == NULL) {
        fprintf(stderr, "tls: could not create the directory of %s: out of memory\n", path);
        return false;
    }
    ok = secrets_mkdirs(dirname(copy));
    free(copy);
    return ok;
}

static bool
write_pair(const char *cert_path, const char *key_path, const char *cert_pem,
           const char *key_pem)
{
    if (!mkdirs_of(key_path) || !mkdirs_of(cert_path))
        return false;
    if (!secrets_write_new(key_path, key_pem, strlen(key_pem), 0600))
        return false;
    if (!secrets_write_new(cert_path, cert_pem, strlen(cert_pem), 0644)) {
        /* A key alone would make every later start refuse ("give both or neither"). */
        unlink(key_path);
        return false;
    }
    return true;
}

bool
tls_cert_ensure(const char *cert_path, const char *key_path, char **cert_pem_out,
                char **key_pem_out, bool *created_out)
{
    char *cert_pem = NULL;
    char *key_pem = NULL;
    bool has_cert = false;
    bool has_key = false;
    bool ok = false;

    *cert_pem_out = NULL;
    *key_pem_out = NULL;
    *created_out = false;
    if (!file_exists(cert_path, &has_cert) || !file_exists(key_path, &has_key))
        goto cleanup;
    if (has_cert != has_key) {
        fprintf(stderr, "tls: %s exists but %s does not; give both or neither\n",
                has_cert ? cert_path : key_path, has_cert ? key_path : cert_path);
        goto cleanup;
    }
    if (has_cert) {
        if (!read_pem(cert_path, false, &cert_pem) || !read_pem(key_path, true, &key_pem))
            goto cleanup;
    } else {
        if (!generate(&cert_pem, &key_pem) || !write_pair(cert_path, key_path, cert_pem, key_pem))
            goto cleanup;
        *created_out = true;
    }
    *cert_pem_out = cert_pem;
    *key_pem_out = key_pem;
    cert_pem = NULL;
    key_pem = NULL;
    ok = true;
cleanup:
    free(cert_pem);
    if (key_pem != NULL) {
        OPENSSL_cleanse(key_pem, strlen(key_pem));
        free(key_pem);
    }
    return ok;
}
