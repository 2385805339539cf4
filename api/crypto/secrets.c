/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Creates and loads the secrets directory (hmac-key, data-keys, operator-key), and the small
 * file helpers it shares with tls_cert.c. Invariants: a secret file is written once, whole,
 * mode 0600, never replaced; every buffer that held a secret is cleansed before release; no
 * message quotes file contents. */
#include "crypto/secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/fd_io.h"
#include "crypto/hex.h"
#include "crypto/random.h"
#include "crypto/sha256.h"

/* Far above any valid file (16 data-key lines are 1136 bytes), far below harm. */
#define SECRET_FILE_MAX_BYTES 4096

/* One secret file: how to make it on init and how to check and load it. */
struct secret_file {
    const char *name;
    bool (*create)(const char *path, char **operator_key_out);
    bool (*parse)(const char *path, const char *buf, size_t len, struct secrets *out);
};

/* ---- file helpers -------------------------------------------------------------------- */

/* A failed mkdir is only an error when no directory is there afterwards: an existing one
 * can answer EEXIST, but also EROFS or EACCES. */
static bool
make_dir(const char *path)
{
    struct stat st;
    int err;

    if (mkdir(path, 0700) == 0)
        return true;
    err = errno;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    fprintf(stderr, "could not create directory %s: %s\n", path,
            strerror(err == EEXIST ? ENOTDIR : err));
    return false;
}

bool
secrets_mkdirs(const char *dir)
{
    char *path = NULL;
    bool ok = false;

    if (dir == NULL || dir[0] == '\0') {
        fprintf(stderr, "cannot create a directory with an empty name\n");
        return false;
    }
    path = strdup(dir);
    if (path == NULL) {
        fprintf(stderr, "could not create directory %s: out of memory\n", dir);
        return false;
    }
    /* Each prefix ending at a '/', then the whole path, like mkdir -p. */
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (!make_dir(path))
            goto cleanup;
        *p = saved;
        if (saved == '\0')
            break;
    }
    ok = true;
cleanup:
    free(path);
    return ok;
}

/* Makes the new name durable. Some file systems refuse fsync on a directory (EINVAL); the
 * file itself is already synced, so that is not worth failing over. */
static void
sync_parent(const char *path)
{
    char *copy = strdup(path);
    char *slash = copy ? strrchr(copy, '/') : NULL;
    int fd;

    if (copy == NULL)
        return;
    if (slash == copy)
        slash[1] = '\0';
    else if (slash != NULL)
        slash[0] = '\0';
    fd = open(slash ? copy : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

bool
secrets_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
    char *tmp = NULL;
    int fd = -1;
    bool ok = false;

    if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0) {
        tmp = NULL;
        fprintf(stderr, "could not create %s: out of memory\n", path);
        goto cleanup;
    }
    fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL, mode 0600 from the first byte */
    if (fd < 0) {
        fprintf(stderr, "could not create %s: %s\n", tmp, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto cleanup;
    }
    if (fchmod(fd, mode) != 0 || !fd_write_all(fd, data, len) || fsync(fd) != 0) {
        fprintf(stderr, "could not write %s: %s\n", tmp, strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        fprintf(stderr, "could not write %s: %s\n", tmp, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    /* link, not rename: rename would silently replace a file another process made since
     * we looked, and a secret that was already in use must never change. */
    if (link(tmp, path) != 0) {
        fprintf(stderr, "could not create %s: %s\n", path, strerror(errno));
        goto cleanup;
    }
    sync_parent(path);
    ok = true;
cleanup:
    if (fd >= 0)
        close(fd);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    return ok;
}

bool
secrets_read_file(const char *path, size_t max_len, bool is_private, char **data_out,
                  size_t *len_out)
{
    struct stat st;
    char *buf = NULL;
    size_t cap = max_len + 2; /* one byte more than allowed shows the file is too large */
    size_t len = 0;
    int fd = -1;
    bool ok = false;

    *data_out = NULL;
    *len_out = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "could not read %s: %s\n", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "cannot read %s: not a regular file\n", path);
        goto cleanup;
    }
    /* as OpenSSH with a private key: a secret others may read is refused, not warned about
     * (a warning scrolls past; the key would stay exposed) */
    if (is_private && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        fprintf(stderr,
                "cannot use %s: group or others may access it (mode %04o); run: chmod 600 %s\n",
                path, (unsigned)(st.st_mode & 0777), path);
        goto cleanup;
    }
    buf = malloc(cap);
    if (buf == NULL) {
        fprintf(stderr, "could not read %s: out of memory\n", path);
        goto cleanup;
    }
    if (!fd_read_all(fd, buf, cap - 1, &len)) {
        fprintf(stderr, "could not read %s: %s\n", path, strerror(errno));
        goto cleanup;
    }
    if (len > max_len) {
        fprintf(stderr, "cannot read %s: larger than %zu bytes\n", path, max_len);
        goto cleanup;
    }
    buf[len] = '\0';
    *data_out = buf;
    *len_out = len;
    buf = NULL;
    ok = true;
cleanup:
    if (fd >= 0)
        close(fd);
    if (buf != NULL) {
        OPENSSL_cleanse(buf, cap);
        free(buf);
    }
    return ok;
}

/* ---- creating ------------------------------------------------------------------------ */

/* Writes prefix + 64 hex digits of a fresh random key + "\n". */
static bool
create_hex_key(const char *path, const char *prefix)
{
    uint8_t key[SECRETS_KEY_LEN];
    char line[16 + 2 * SECRETS_KEY_LEN + 2];
    size_t n = strlen(prefix);
    bool ok = false;

    if (n > 16 || !random_bytes(key, sizeof key)) {
        fprintf(stderr, "secrets: could not make a key for %s: no random bytes\n", path);
        goto cleanup;
    }
    memcpy(line, prefix, n);
    hex_encode(key, sizeof key, line + n);
    n += 2 * SECRETS_KEY_LEN;
    line[n++] = '\n';
    ok = secrets_write_new(path, line, n, 0600);
cleanup:
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(line, sizeof line);
    return ok;
}

static bool
create_hmac_key(const char *path, char **operator_key_out)
{
    (void)operator_key_out;
    return create_hex_key(path, "");
}

static bool
create_data_keys(const char *path, char **operator_key_out)
{
    (void)operator_key_out;
    return create_hex_key(path, "1 ");
}

static bool
create_operator_key(const char *path, char **operator_key_out)
{
    char line[SECRETS_OPERATOR_KEY_LEN + 1];
    const size_t prefix_len = strlen(SECRETS_OPERATOR_KEY_PREFIX);
    bool ok = false;

    memcpy(line, SECRETS_OPERATOR_KEY_PREFIX, prefix_len);
    if (!random_token(SECRETS_KEY_LEN, line + prefix_len)) {
        fprintf(stderr, "secrets: could not make a key for %s: no random bytes\n", path);
        goto cleanup;
    }
    line[SECRETS_OPERATOR_KEY_LEN] = '\n';
    if (!secrets_write_new(path, line, sizeof line, 0600))
        goto cleanup;
    *operator_key_out = strndup(line, SECRETS_OPERATOR_KEY_LEN);
    if (*operator_key_out == NULL) {
        fprintf(stderr, "secrets: out of memory; the new operator key is in %s\n", path);
        goto cleanup;
    }
    ok = true;
cleanup:
    OPENSSL_cleanse(line, sizeof line);
    return ok;
}

/* ---- parsing ------------------------------------------------------------------------- */

/* Length without one final newline: "key\n" and "key" are both accepted, "key\n\n" is not. */
static size_t
without_newline(const char *buf, size_t len)
{
    return len > 0 && buf[len - 1] == '\n' ? len - 1 : len;
}

static bool
parse_hmac_key(const char *path, const char *buf, size_t len, struct secrets *out)
{
    size_t n = without_newline(buf, len);

    if (n != 2 * SECRETS_KEY_LEN) {
        fprintf(stderr, "secrets: %s: %zu characters, expected 64 hex digits and a newline\n",
                path, n);
        return false;
    }
    if (!hex_decode(buf, n, out->hmac_key, sizeof out->hmac_key)) {
        fprintf(stderr, "secrets: %s: not 64 lower-case hex digits\n", path);
        return false;
    }
    return true;
}

/* One "<id> <64 hex>" line of data-keys, appended to out->data_keys. */
static bool
parse_data_key_line(const char *path, int line_no, const char *s, size_t n, struct secrets *out)
{
    size_t i = 0;
    int id = 0;

    while (i < n && i < 6 && s[i] >= '0' && s[i] <= '9')
        id = id * 10 + (s[i++] - '0');
    if (i == 0 || i > 5 || s[0] == '0' || id > SECRETS_MAX_DATA_KEY_ID) {
        fprintf(stderr, "secrets: %s: line %d: id must be an integer from 1 to %d\n", path,
                line_no, SECRETS_MAX_DATA_KEY_ID);
        return false;
    }
    if (i >= n || s[i] != ' ') {
        fprintf(stderr, "secrets: %s: line %d: expected \"<id> <64 hex digits>\"\n", path,
                line_no);
        return false;
    }
    for (int k = 0; k < out->n_data_keys; k++) {
        if (out->data_keys[k].id == id) {
            fprintf(stderr, "secrets: %s: line %d: duplicate id %d\n", path, line_no, id);
            return false;
        }
    }
    if (out->n_data_keys == SECRETS_MAX_DATA_KEYS) {
        fprintf(stderr, "secrets: %s: more than %d keys\n", path, SECRETS_MAX_DATA_KEYS);
        return false;
    }
    struct data_key *dk = &out->data_keys[out->n_data_keys];
    if (!hex_decode(s + i + 1, n - i - 1, dk->key, sizeof dk->key)) {
        fprintf(stderr, "secrets: %s: line %d: key is not 64 lower-case hex digits\n", path,
                line_no);
        return false;
    }
    dk->id = id;
    out->n_data_keys++;
    return true;
}

static bool
parse_data_keys(const char *path, const char *buf, size_t len, struct secrets *out)
{
    const char *p = buf;
    const char *end = buf + len;
    int line_no = 0;

    out->n_data_keys = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl != NULL ? nl : end;

        if (!parse_data_key_line(path, ++line_no, p, (size_t)(eol - p), out))
            return false;
        p = nl != NULL ? nl + 1 : end;
    }
    if (out->n_data_keys == 0) {
        fprintf(stderr, "secrets: %s: no keys\n", path);
        return false;
    }
    /* The newest key encrypts: ids only grow, whatever the line order. */
    out->current_data_key = 0;
    for (int k = 1; k < out->n_data_keys; k++)
        if (out->data_keys[k].id > out->data_keys[out->current_data_key].id)
            out->current_data_key = k;
    return true;
}

static bool
parse_operator_key(const char *path, const char *buf, size_t len, struct secrets *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const size_t prefix_len = strlen(SECRETS_OPERATOR_KEY_PREFIX);
    size_t n = without_newline(buf, len);

    if (n != SECRETS_OPERATOR_KEY_LEN
        || memcmp(buf, SECRETS_OPERATOR_KEY_PREFIX, prefix_len) != 0) {
        fprintf(stderr, "secrets: %s: expected \"rop_\", 43 base64url characters and a newline\n",
                path);
        return false;
    }
    for (size_t i = prefix_len; i < n; i++) {
        if (buf[i] == '\0' || strchr(alphabet, buf[i]) == NULL) {
            fprintf(stderr, "secrets: %s: not base64url after \"rop_\"\n", path);
            return false;
        }
    }
    /* Only the digest is kept: a memory dump does not give away the credential. */
    if (!sha256(buf, n, out->operator_key_hash)) {
        fprintf(stderr, "secrets: %s: could not hash the key\n", path);
        return false;
    }
    return true;
}

/* ---- public -------------------------------------------------------------------------- */

/* In creation order: the operator key last, so nothing can fail after it is shown. */
static const struct secret_file secret_files[] = {
    { "hmac-key", create_hmac_key, parse_hmac_key },
    { "data-keys", create_data_keys, parse_data_keys },
    { "operator-key", create_operator_key, parse_operator_key },
};

static bool
join(char *out, size_t cap, const char *dir, const char *name)
{
    /* an empty directory (--secrets-dir "") would make "/hmac-key": the filesystem's root */
    if (dir == NULL || dir[0] == '\0') {
        fprintf(stderr,
                "secrets: the secrets directory is empty (--secrets-dir or "
                "RECOURS_SECRETS_DIR: give a directory, or leave it out for var/secrets)\n");
        return false;
    }
    int n = snprintf(out, cap, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "secrets: path too long: %s/%s\n", dir, name);
        return false;
    }
    return true;
}

bool
secrets_init(const char *dir, char **operator_key_out)
{
    char path[PATH_MAX];
    struct stat st;

    *operator_key_out = NULL;
    if (!secrets_mkdirs(dir))
        return false;
    for (size_t i = 0; i < sizeof secret_files / sizeof secret_files[0]; i++) {
        if (!join(path, sizeof path, dir, secret_files[i].name))
            return false;
        if (lstat(path, &st) == 0)
            continue;
        if (errno != ENOENT) {
            fprintf(stderr, "secrets: could not look at %s: %s\n", path, strerror(errno));
            return false;
        }
        if (!secret_files[i].create(path, operator_key_out))
            return false;
    }
    return true;
}

bool
secrets_load(const char *dir, struct secrets *out)
{
    char path[PATH_MAX];
    char *buf = NULL;
    size_t len = 0;
    bool ok = false;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof secret_files / sizeof secret_files[0]; i++) {
        if (!join(path, sizeof path, dir, secret_files[i].name))
            goto cleanup;
        if (!secrets_read_file(path, SECRET_FILE_MAX_BYTES, true, &buf, &len))
            goto cleanup;
        if (!secret_files[i].parse(path, buf, len, out))
            goto cleanup;
        OPENSSL_cleanse(buf, len);
        free(buf);
        buf = NULL;
    }
    ok = true;
cleanup:
    if (buf != NULL) {
        OPENSSL_cleanse(buf, len);
        free(buf);
    }
    if (!ok)
        secrets_wipe(out);
    return ok;
}

bool
secrets_operator_key_matches(const struct secrets *s, const char *presented, size_t len)
{
    uint8_t digest[SHA256_LEN];
    bool match;

    if (s == NULL || (presented == NULL && len > 0))
        return false;
    if (!sha256(presented != NULL ? presented : "", len, digest))
        return false;
    match = CRYPTO_memcmp(digest, s->operator_key_hash, sizeof digest) == 0;
    OPENSSL_cleanse(digest, sizeof digest);
    return match;
}

void
secrets_wipe(struct secrets *s)
{
    if (s != NULL)
        OPENSSL_cleanse(s, sizeof *s);
}
