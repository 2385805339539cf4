/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/secrets: init makes the three files once (0600 in a 0700 dir), load validates them
 * strictly and names the file, never the secret; the operator key check. Each test works in
 * its own mkdtemp directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stderr_capture.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/secrets.h"

#define KEY_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define KEY_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define KEY_C "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define OPERATOR_KEY "rop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-"

struct fixture {
    char base[64]; /* mkdtemp directory, removed afterwards */
    char dir[128]; /* base/secrets */
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
    strcpy(f->base, "/tmp/test_secrets.XXXXXX");
    if (mkdtemp(f->base) == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/secrets", f->base);
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
path_of(const struct fixture *f, const char *name)
{
    static char path[256];

    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    return path;
}

/* Whole file as a heap string (tests only: no size limit, aborts the test on error). */
static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf = calloc(1, 8192);
    size_t n;

    assert_non_null(fp);
    assert_non_null(buf);
    n = fread(buf, 1, 8191, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void
put(const struct fixture *f, const char *name, const char *content)
{
    const char *path = path_of(f, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(content, 1, strlen(content), fp), strlen(content));
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, 0600), 0);
}

static void
put_valid_file(const struct fixture *f, const char *name)
{
    if (strcmp(name, "hmac-key") == 0)
        put(f, name, KEY_A "\n");
    else if (strcmp(name, "data-keys") == 0)
        put(f, name, "1 " KEY_B "\n");
    else
        put(f, name, OPERATOR_KEY "\n");
}

static void
put_valid(const struct fixture *f)
{
    assert_int_equal(mkdir(f->dir, 0700), 0);
    put_valid_file(f, "hmac-key");
    put_valid_file(f, "data-keys");
    put_valid_file(f, "operator-key");
}

static unsigned
mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

static int
entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static bool
is_all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* ---- init ---------------------------------------------------------------------------- */

static void
test_init_creates_files(void **state)
{
    struct fixture *f = *state;
    char *key = NULL;
    char nested[192];

    /* missing parents are made too */
    snprintf(nested, sizeof nested, "%s/a/b", f->dir);
    assert_true(secrets_init(nested, &key));
    assert_non_null(key);
    assert_int_equal(mode_of(f->dir), 0700);
    assert_int_equal(mode_of(nested), 0700);
    free(key);

    key = NULL;
    assert_true(secrets_init(f->dir, &key));
    assert_non_null(key);
    assert_int_equal(strlen(key), 47);
    assert_memory_equal(key, "rop_", 4);
    assert_int_equal(entries_in(f->dir), 4); /* three files and a/, no temporary left */

    const char *names[] = { "hmac-key", "data-keys", "operator-key" };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(mode_of(path_of(f, names[i])), 0600);

    char *hmac = slurp(path_of(f, "hmac-key"));
    char *data = slurp(path_of(f, "data-keys"));
    char *op = slurp(path_of(f, "operator-key"));
    assert_int_equal(strlen(hmac), 65);
    assert_int_equal(strspn(hmac, "0123456789abcdef"), 64);
    assert_int_equal(hmac[64], '\n');
    assert_int_equal(strlen(data), 67);
    assert_memory_equal(data, "1 ", 2);
    assert_int_equal(strspn(data + 2, "0123456789abcdef"), 64);
    assert_int_equal(strlen(op), 48);
    assert_memory_equal(op, key, 47);
    assert_int_equal(op[47], '\n');
    free(hmac);
    free(data);
    free(op);
    free(key);
}

static void
test_init_twice_changes_nothing(void **state)
{
    struct fixture *f = *state;
    const char *names[] = { "hmac-key", "data-keys", "operator-key" };
    char *before[3];
    ino_t inodes[3];
    struct stat st;
    char *key = NULL;

    assert_true(secrets_init(f->dir, &key));
    assert_non_null(key);
    free(key);
    for (size_t i = 0; i < 3; i++) {
        before[i] = slurp(path_of(f, names[i]));
        assert_int_equal(stat(path_of(f, names[i]), &st), 0);
        inodes[i] = st.st_ino;
    }
    key = (char *)"sentinel";
    assert_true(secrets_init(f->dir, &key));
    assert_null(key);
    for (size_t i = 0; i < 3; i++) {
        char *after = slurp(path_of(f, names[i]));
        assert_string_equal(after, before[i]);
        assert_int_equal(stat(path_of(f, names[i]), &st), 0);
        assert_int_equal(st.st_ino, inodes[i]);
        free(after);
        free(before[i]);
    }
}

/* A missing file is made; the others, the operator key among them, stay as they were. */
static void
test_init_fills_in_missing(void **state)
{
    struct fixture *f = *state;
    char *key = NULL;

    put_valid(f);
    assert_int_equal(unlink(path_of(f, "hmac-key")), 0);
    assert_true(secrets_init(f->dir, &key));
    assert_null(key);
    assert_int_equal(mode_of(path_of(f, "hmac-key")), 0600);
    char *op = slurp(path_of(f, "operator-key"));
    assert_string_equal(op, OPERATOR_KEY "\n");
    free(op);
}

static void
test_write_new_never_replaces(void **state)
{
    struct fixture *f = *state;

    put_valid(f);
    capture_begin();
    bool ok = secrets_write_new(path_of(f, "hmac-key"), "x", 1, 0600);
    char *err = capture_end();
    assert_false(ok);
    assert_non_null(strstr(err, "hmac-key"));
    char *hmac = slurp(path_of(f, "hmac-key"));
    assert_string_equal(hmac, KEY_A "\n");
    assert_int_equal(entries_in(f->dir), 3); /* the temporary is gone */
    free(hmac);
    free(err);
}

static void
test_mkdirs_refuses_file(void **state)
{
    struct fixture *f = *state;
    char below[512];

    put_valid(f);
    snprintf(below, sizeof below, "%s/sub", path_of(f, "hmac-key"));
    capture_begin();
    bool ok = secrets_mkdirs(path_of(f, "hmac-key")) || secrets_mkdirs(below);
    free(capture_end());
    assert_false(ok);
}

/* ---- load ---------------------------------------------------------------------------- */

static void
test_load_after_init(void **state)
{
    struct fixture *f = *state;
    struct secrets s;
    char *key = NULL;

    assert_true(secrets_init(f->dir, &key));
    assert_true(secrets_load(f->dir, &s));
    assert_int_equal(s.n_data_keys, 1);
    assert_int_equal(s.data_keys[0].id, 1);
    assert_int_equal(s.current_data_key, 0);
    assert_false(is_all_zero(s.hmac_key, sizeof s.hmac_key));
    assert_false(is_all_zero(s.data_keys[0].key, sizeof s.data_keys[0].key));

    assert_true(secrets_operator_key_matches(&s, key, strlen(key)));
    char last = key[46];
    key[46] = last == 'A' ? 'B' : 'A';
    assert_false(secrets_operator_key_matches(&s, key, strlen(key)));
    key[46] = last;
    assert_true(secrets_operator_key_matches(&s, key, 47));
    assert_false(secrets_operator_key_matches(&s, key, 46));
    assert_false(secrets_operator_key_matches(&s, "", 0));
    assert_false(secrets_operator_key_matches(&s, NULL, 0));
    assert_false(secrets_operator_key_matches(NULL, key, 47));

    secrets_wipe(&s);
    assert_true(is_all_zero(&s, sizeof s));
    secrets_wipe(NULL);
    free(key);
}

/* Known contents decode to known bytes; the highest id is current whatever the order. */
static void
test_load_known_values(void **state)
{
    static const uint8_t a[32] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
                                   0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    struct fixture *f = *state;
    struct secrets s;

    put_valid(f);
    put(f, "data-keys", "3 " KEY_B "\n10 " KEY_A "\n2 " KEY_C "\n32767 " KEY_C);
    put(f, "operator-key", OPERATOR_KEY); /* no final newline is fine */
    assert_true(secrets_load(f->dir, &s));
    assert_memory_equal(s.hmac_key, a, 32);
    assert_int_equal(s.n_data_keys, 4);
    assert_int_equal(s.data_keys[0].id, 3);
    assert_int_equal(s.data_keys[1].id, 10);
    assert_int_equal(s.data_keys[2].id, 2);
    assert_int_equal(s.data_keys[3].id, 32767);
    assert_int_equal(s.current_data_key, 3);
    assert_memory_equal(s.data_keys[1].key, a, 32);
    assert_int_equal(s.data_keys[0].key[0], 0xfe);
    assert_int_equal(s.data_keys[0].key[31], 0x10);
    assert_true(secrets_operator_key_matches(&s, OPERATOR_KEY, strlen(OPERATOR_KEY)));
    secrets_wipe(&s);
}

static void
test_load_sixteen_keys(void **state)
{
    struct fixture *f = *state;
    struct secrets s;
    char lines[17 * 72] = "";
    char *err;

    put_valid(f);
    for (int id = 1; id <= 16; id++)
        snprintf(lines + strlen(lines), sizeof lines - strlen(lines), "%d %s\n", id, KEY_A);
    put(f, "data-keys", lines);
    assert_true(secrets_load(f->dir, &s));
    assert_int_equal(s.n_data_keys, 16);
    assert_int_equal(s.current_data_key, 15);
    secrets_wipe(&s);

    strcat(lines, "17 " KEY_A "\n");
    put(f, "data-keys", lines);
    capture_begin();
    assert_false(secrets_load(f->dir, &s));
    err = capture_end();
    assert_non_null(strstr(err, "more than 16"));
    free(err);
}

/* One malformed file among valid ones: refused, the file named, its content never echoed. */
static const struct {
    const char *file;
    const char *content;
    const char *says;
} malformed[] = {
    { "hmac-key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeef\n", "63" },
    { "hmac-key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg\n", "hex" },
    { "hmac-key", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\n", "hex" },
    { "hmac-key", KEY_A "0\n", "65" },
    { "hmac-key", KEY_A "\n\n", "65" },
    { "hmac-key", " " KEY_A, "65" },
    { "hmac-key", "", "0 characters" },
    { "data-keys", "1 " KEY_A "\n1 " KEY_B "\n", "duplicate id 1" },
    { "data-keys", "0 " KEY_A "\n", "line 1: id" },
    { "data-keys", "32768 " KEY_A "\n", "line 1: id" },
    { "data-keys", "100000 " KEY_A "\n", "line 1: id" },
    { "data-keys", "01 " KEY_A "\n", "line 1: id" },
    { "data-keys", "-1 " KEY_A "\n", "line 1: id" },
    { "data-keys", "1\t" KEY_A "\n", "line 1: expected" },
    { "data-keys", "1  " KEY_A "\n", "line 1: key" },
    { "data-keys", "1 " KEY_A " \n", "line 1: key" },
    { "data-keys", "1 " KEY_A "\n\n2 " KEY_B "\n", "line 2: id" },
    { "data-keys", "1 0011\n", "line 1: key" },
    { "data-keys", "", "no keys" },
    { "data-keys", "\n", "line 1" },
    { "operator-key", "rop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "expected" },
    { "operator-key", "rok_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "expected" },
    { "operator-key", "rop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+\n", "base64url" },
    { "operator-key", "rop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "base64url" },
};

static void
test_load_refuses_malformed(void **state)
{
    struct fixture *f = *state;
    struct secrets s;

    put_valid(f);
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        char *err;

        put(f, malformed[i].file, malformed[i].content);
        memset(&s, 0x5a, sizeof s);
        capture_begin();
        bool ok = secrets_load(f->dir, &s);
        err = capture_end();
        if (ok || strstr(err, malformed[i].file) == NULL || strstr(err, malformed[i].says) == NULL)
            fail_msg("case %zu (%s): ok=%d, stderr: %s", i, malformed[i].file, ok, err);
        /* no secret material in the message, and none left in the struct */
        assert_null(strstr(err, "0011223344556677"));
        assert_null(strstr(err, "fedcba9876543210"));
        assert_null(strstr(err, "AAAAAAAA"));
        assert_true(is_all_zero(&s, sizeof s));
        free(err);
        put_valid_file(f, malformed[i].file);
    }
}

static void
test_load_refuses_missing(void **state)
{
    struct fixture *f = *state;
    struct secrets s;
    char *err;

    put_valid(f);
    assert_int_equal(unlink(path_of(f, "data-keys")), 0);
    capture_begin();
    assert_false(secrets_load(f->dir, &s));
    err = capture_end();
    assert_non_null(strstr(err, "data-keys"));
    free(err);
}

static void
test_load_refuses_when_shared(void **state)
{
    struct fixture *f = *state;
    struct secrets s;
    char *err;

    put_valid(f);
    assert_int_equal(chmod(path_of(f, "hmac-key"), 0640), 0);
    capture_begin();
    bool ok = secrets_load(f->dir, &s);
    err = capture_end();
    assert_false(ok); /* as OpenSSH with a private key: refused, not warned about */
    assert_non_null(strstr(err, "hmac-key"));
    assert_non_null(strstr(err, "0640"));
    assert_non_null(strstr(err, "chmod 600"));
    assert_null(strstr(err, "data-keys"));
    free(err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_creates_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_twice_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_fills_in_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_new_never_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdirs_refuses_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_after_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_known_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_sixteen_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_refuses_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_refuses_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_refuses_when_shared, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
