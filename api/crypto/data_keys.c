/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Appending a data key (see data_keys.h). */
#include "crypto/data_keys.h"

#include <errno.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/random.h"
#include "crypto/secrets.h"
#include "crypto/sha256.h"

#define DATA_KEYS_MAX_BYTES 4096

static int
highest_id(const struct secrets *s)
{
    int id = 0;

    for (int i = 0; i < s->n_data_keys; i++)
        if (s->data_keys[i].id > id)
            id = s->data_keys[i].id;
    return id;
}

bool
data_keys_append(const char *dir, int *new_id_out)
{
    struct secrets s;
    char path[4096], next[4200];
    char *old = NULL;
    size_t old_len = 0;
    uint8_t key[SECRETS_KEY_LEN];
    char line[16 + 2 * SECRETS_KEY_LEN];
    char *content = NULL;
    size_t total = 0;
    bool ok = false;

    snprintf(path, sizeof path, "%s/data-keys", dir);
    snprintf(next, sizeof next, "%s.next", path);
    if (!secrets_load(dir, &s))
        return false;
    int id = highest_id(&s) + 1;
    bool full = s.n_data_keys >= SECRETS_MAX_DATA_KEYS || id > SECRETS_MAX_DATA_KEY_ID;
    secrets_wipe(&s);
    if (full) {
        fprintf(stderr, "rotate: data-keys is full; remove keys no row uses any more\n");
        return false;
    }
    if (!secrets_read_file(path, DATA_KEYS_MAX_BYTES, true, &old, &old_len) ||
        !random_bytes(key, sizeof key))
        goto cleanup;
    char hex[2 * SECRETS_KEY_LEN + 1];
    hex_encode(key, sizeof key, hex);
    int n = snprintf(line, sizeof line, "%d %s\n", id, hex);
    OPENSSL_cleanse(hex, sizeof hex);
    bool needs_newline = old_len > 0 && old[old_len - 1] != '\n';
    total = old_len + (needs_newline ? 1 : 0) + (size_t)n;
    content = malloc(total);
    if (content == NULL)
        goto cleanup;
    memcpy(content, old, old_len);
    if (needs_newline)
        content[old_len] = '\n';
    memcpy(content + total - (size_t)n, line, (size_t)n);
    if (!secrets_write_new(next, content, total, 0600)) {
        fprintf(stderr, "rotate: is another rotation running? if not, remove %s\n", next);
        goto cleanup;
    }
    if (rename(next, path) != 0) {
        fprintf(stderr, "rotate: could not replace %s: %s\n", path, strerror(errno));
        unlink(next);
        goto cleanup;
    }
    *new_id_out = id;
    ok = true;
cleanup:
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(line, sizeof line);
    if (content != NULL) {
        OPENSSL_cleanse(content, total);
        free(content);
    }
    if (old != NULL) {
        OPENSSL_cleanse(old, old_len);
        free(old);
    }
    return ok;
}
