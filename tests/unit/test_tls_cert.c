/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/tls_cert: the self-signed pair made on first run (checked by re-reading it with
 * OpenSSL), reading an existing pair, and refusing a lone file. Each test works in its own
 * mkdtemp directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stderr_capture.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/tls_cert.h"

struct fixture {
    char base[64];
    char cert[128]; /* base/tls/cert.pem */
    char key[128];  /* base/tls/private/key.pem: a different, deeper parent */
};

/* ---- helpers ------------------------------------------------------------------------- */

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    strcpy(f->base, "/tmp/test_tls_cert.XXXXXX");
    if (mkdtemp(f->base) == NULL)
        return -1;
    snprintf(f->cert, sizeof f->cert, "%s/tls/cert.pem", f->base);
    snprintf(f->key, sizeof f->key, "%s/tls/private/key.pem", f->base);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    nftw(f->base, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf = calloc(1, 65536);
    size_t n;

    assert_non_null(fp);
    assert_non_null(buf);
    n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void
put(const char *path, const char *content)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, strlen(content), fp), strlen(content));
    assert_int_equal(fclose(fp), 0);
}

static unsigned
mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

static void
free_pems(char *cert_pem, char *key_pem)
{
    free(cert_pem);
    free(key_pem);
}

static X509 *
read_cert(const char *path)
{
    FILE *fp = fopen(path, "r");
    X509 *x;

    assert_non_null(fp);
    x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    return x;
}

static EVP_PKEY *
read_key(const char *path)
{
    FILE *fp = fopen(path, "r");
    EVP_PKEY *k;

    assert_non_null(fp);
    k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(k);
    return k;
}

/* The subjectAltName has exactly DNS:localhost, IP:127.0.0.1 and IP:::1. */
static void
check_san(X509 *x)
{
    static const uint8_t v4[4] = { 127, 0, 0, 1 };
    static const uint8_t v6[16] = { [15] = 1 };
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    int seen_dns = 0, seen_v4 = 0, seen_v6 = 0;

    assert_non_null(names);
    assert_int_equal(sk_GENERAL_NAME_num(names), 3);
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == GEN_DNS) {
            const ASN1_IA5STRING *s = gn->d.dNSName;
            seen_dns += ASN1_STRING_length(s) == 9
                        && memcmp(ASN1_STRING_get0_data(s), "localhost", 9) == 0;
        } else if (gn->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *ip = gn->d.iPAddress;
            int n = ASN1_STRING_length(ip);
            seen_v4 += n == 4 && memcmp(ASN1_STRING_get0_data(ip), v4, 4) == 0;
            seen_v6 += n == 16 && memcmp(ASN1_STRING_get0_data(ip), v6, 16) == 0;
        }
    }
    GENERAL_NAMES_free(names);
    assert_int_equal(seen_dns, 1);
    assert_int_equal(seen_v4, 1);
    assert_int_equal(seen_v6, 1);
    assert_int_equal(X509_check_host(x, "localhost", 0, 0, NULL), 1);
    assert_int_equal(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
    assert_int_equal(X509_check_ip_asc(x, "::1", 0), 1);
    assert_int_equal(X509_check_host(x, "example.org", 0, 0, NULL), 0);
}

static void
check_name(const X509_NAME *name)
{
    char text[64];

    assert_int_equal(X509_NAME_get_text_by_NID(name, NID_commonName, text, sizeof text), 9);
    assert_string_equal(text, "localhost");
    assert_true(X509_NAME_get_text_by_NID(name, NID_organizationName, text, sizeof text) > 0);
    assert_string_equal(text, "recours self-signed");
}

/* notBefore <= now < notAfter, an hour back-dated, 365 days long. */
static void
check_validity(X509 *x)
{
    time_t now = time(NULL);
    time_t hour_ago = now - 3600 - 60;
    int days = -1;
    int secs = -1;

    assert_int_equal(X509_cmp_time(X509_get0_notBefore(x), &now), -1);
    assert_int_equal(X509_cmp_time(X509_get0_notBefore(x), &hour_ago), 1);
    assert_int_equal(X509_cmp_time(X509_get0_notAfter(x), &now), 1);
    assert_int_equal(
        ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
    assert_int_equal(days, 365);
    assert_int_equal(secs, 0);
}

static void
check_profile(X509 *x)
{
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);

    assert_int_equal(X509_get_version(x), X509_VERSION_3);
    assert_non_null(serial);
    assert_int_equal(BN_num_bits(serial), 128);
    assert_false(BN_is_negative(serial));
    BN_free(serial);
    assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
    assert_int_equal(X509_check_ca(x), 0);
    assert_true((X509_get_extension_flags(x) & EXFLAG_BCONS) != 0);
    assert_int_equal(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
    assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_SERVER);
    check_name(X509_get_subject_name(x));
    check_name(X509_get_issuer_name(x));
}

/* ---- tests --------------------------------------------------------------------------- */

static void
test_generates_pair(void **state)
{
    struct fixture *f = *state;
    char *cert_pem = NULL;
    char *key_pem = NULL;
    bool created = false;
    char group[64];
    char dir[160];

    assert_true(tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created));
    assert_true(created);
    assert_non_null(strstr(key_pem, "-----BEGIN PRIVATE KEY-----\n")); /* PKCS#8 */
    assert_int_equal(strncmp(key_pem, "-----BEGIN PRIVATE KEY-----\n", 28), 0);
    assert_int_equal(strncmp(cert_pem, "-----BEGIN CERTIFICATE-----\n", 28), 0);

    char *cert_file = slurp(f->cert);
    char *key_file = slurp(f->key);
    assert_string_equal(cert_file, cert_pem);
    assert_string_equal(key_file, key_pem);
    free(cert_file);
    free(key_file);
    assert_int_equal(mode_of(f->key), 0600);
    assert_int_equal(mode_of(f->cert), 0644);
    snprintf(dir, sizeof dir, "%s/tls", f->base);
    assert_int_equal(mode_of(dir), 0700);
    snprintf(dir, sizeof dir, "%s/tls/private", f->base);
    assert_int_equal(mode_of(dir), 0700);

    X509 *x = read_cert(f->cert);
    EVP_PKEY *k = read_key(f->key);
    assert_int_equal(X509_check_private_key(x, k), 1);
    assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1); /* self-signed */
    assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
    size_t len = 0;
    assert_int_equal(EVP_PKEY_get_group_name(k, group, sizeof group, &len), 1);
    assert_string_equal(group, "prime256v1");
    check_san(x);
    check_validity(x);
    check_profile(x);
    X509_free(x);
    EVP_PKEY_free(k);
    free_pems(cert_pem, key_pem);
}

static void
test_second_call_reads(void **state)
{
    struct fixture *f = *state;
    char *cert1 = NULL, *key1 = NULL, *cert2 = NULL, *key2 = NULL;
    bool created = false;

    assert_true(tls_cert_ensure(f->cert, f->key, &cert1, &key1, &created));
    assert_true(created);
    assert_true(tls_cert_ensure(f->cert, f->key, &cert2, &key2, &created));
    assert_false(created);
    assert_string_equal(cert1, cert2);
    assert_string_equal(key1, key2);
    free_pems(cert1, key1);
    free_pems(cert2, key2);
}

/* The operator's files are returned as they are, whatever their type or key format. */
static void
test_reads_given_files(void **state)
{
    struct fixture *f = *state;
    char *cert_pem = NULL, *key_pem = NULL;
    bool created = true;

    snprintf(f->cert, sizeof f->cert, "%s/c.pem", f->base);
    snprintf(f->key, sizeof f->key, "%s/k.pem", f->base);
    put(f->cert, "cert text\n");
    put(f->key, "key text\n");
    assert_int_equal(chmod(f->key, 0600), 0);
    assert_true(tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created));
    assert_false(created);
    assert_string_equal(cert_pem, "cert text\n");
    assert_string_equal(key_pem, "key text\n");
    free_pems(cert_pem, key_pem);

    put(f->key, ""); /* an empty key is refused at once, not by the TLS library later */
    capture_begin();
    bool ok = tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created);
    char *err = capture_end();
    assert_false(ok);
    assert_null(cert_pem);
    assert_null(key_pem);
    assert_non_null(strstr(err, "empty"));
    free(err);
}

static void
expect_lone_file_refused(struct fixture *f, const char *present, const char *absent)
{
    char *cert_pem = (char *)"x", *key_pem = (char *)"x";
    bool created = true;
    char expected[512];

    capture_begin();
    bool ok = tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created);
    char *err = capture_end();
    assert_false(ok);
    assert_false(created);
    assert_null(cert_pem);
    assert_null(key_pem);
    snprintf(expected, sizeof expected,
             "tls: %s exists but %s does not; give both or neither\n", present, absent);
    assert_string_equal(err, expected);
    free(err);
    assert_int_equal(access(present, F_OK), 0); /* left alone */
    assert_int_equal(access(absent, F_OK), -1);
}

static void
test_refuses_lone_file(void **state)
{
    struct fixture *f = *state;
    char *cert_pem = NULL, *key_pem = NULL;
    bool created = false;

    assert_true(tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created));
    free_pems(cert_pem, key_pem);
    char *saved_cert = slurp(f->cert);

    assert_int_equal(unlink(f->cert), 0);
    expect_lone_file_refused(f, f->key, f->cert);

    put(f->cert, saved_cert);
    assert_int_equal(unlink(f->key), 0);
    expect_lone_file_refused(f, f->cert, f->key);
    free(saved_cert);
}

/* Two runs give two keys and two serials (browsers reject a reused serial for one issuer). */
static void
test_pairs_differ(void **state)
{
    struct fixture *f = *state;
    char *cert1 = NULL, *key1 = NULL, *cert2 = NULL, *key2 = NULL;
    bool created = false;

    assert_true(tls_cert_ensure(f->cert, f->key, &cert1, &key1, &created));
    X509 *x1 = read_cert(f->cert);
    assert_int_equal(unlink(f->cert), 0);
    assert_int_equal(unlink(f->key), 0);
    assert_true(tls_cert_ensure(f->cert, f->key, &cert2, &key2, &created));
    assert_true(created);
    X509 *x2 = read_cert(f->cert);
    assert_string_not_equal(key1, key2);
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(x1), X509_get0_serialNumber(x2)),
                         0);
    X509_free(x1);
    X509_free(x2);
    free_pems(cert1, key1);
    free_pems(cert2, key2);
}

/* The certificate cannot be written (a dangling symlink holds its name): the key written
 * just before is removed again, so the next start is not stuck with a lone key. */
static void
test_failed_write_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    char *cert_pem = NULL, *key_pem = NULL;
    bool created = false;
    char dir[160];

    snprintf(dir, sizeof dir, "%s/tls", f->base);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(symlink("nowhere", f->cert), 0);
    capture_begin();
    bool ok = tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created);
    char *err = capture_end();
    assert_false(ok);
    assert_false(created);
    assert_null(cert_pem);
    assert_null(key_pem);
    assert_non_null(strstr(err, f->cert));
    assert_int_equal(access(f->key, F_OK), -1);
    free(err);

    /* a parent that is a file: nothing is made either */
    snprintf(f->key, sizeof f->key, "%s/file/key.pem", f->base);
    snprintf(dir, sizeof dir, "%s/file", f->base);
    put(dir, "x");
    capture_begin();
    ok = tls_cert_ensure(f->cert, f->key, &cert_pem, &key_pem, &created);
    free(capture_end());
    assert_false(ok);
    assert_null(key_pem);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generates_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_call_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_given_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_lone_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pairs_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
