/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The server's secrets, one file each in a directory of mode 0700:
 *   hmac-key      64 lower-case hex digits + "\n": the 32-byte key of the dedup hashes
 *   data-keys     one "<id> <64 hex>\n" line per data-encryption key, id 1..32767; the
 *                 highest id encrypts, older ones only decrypt (rotation appends a line)
 *   operator-key  "rop_" + 43 base64url characters (32 random bytes) + "\n"
 * Files are created 0600, complete or not at all, and never overwritten. Messages name the
 * file and the problem, never a secret. Also the file helpers the TLS key shares. */
#ifndef RECOURS_CRYPTO_SECRETS_H
#define RECOURS_CRYPTO_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SECRETS_KEY_LEN 32
#define SECRETS_MAX_DATA_KEYS 16
#define SECRETS_MAX_DATA_KEY_ID 32767
#define SECRETS_OPERATOR_KEY_PREFIX "rop_"
#define SECRETS_OPERATOR_KEY_LEN 47 /* "rop_" + base64url of 32 bytes */

struct secrets {
    uint8_t hmac_key[SECRETS_KEY_LEN];
    struct data_key {
        int id;
        uint8_t key[SECRETS_KEY_LEN];
    } data_keys[SECRETS_MAX_DATA_KEYS];
    int n_data_keys;
    int current_data_key;                      /* index into data_keys of the highest id */
    uint8_t operator_key_hash[SECRETS_KEY_LEN]; /* SHA-256 of the operator key */
};

/* Creates dir (0700, with missing parents) and each missing secret file with fresh random
 * content; an existing file is never touched. *operator_key_out gets a heap copy of the
 * operator key when this call created it (the only time it is shown; the caller cleanses and
 * frees it), else NULL. False, with a message on stderr, when anything could not be made;
 * files created before the failure stay. */
bool secrets_init(const char *dir, char **operator_key_out);

/* Reads and strictly validates the three files of dir into *out. False, with a message naming
 * the file and the problem, on a missing file, wrong length, non-hex digits, a bad or duplicate
 * id, or no data key; *out is then wiped. Warns on stderr about files group or others can
 * access. The caller calls secrets_wipe when done. */
bool secrets_load(const char *dir, struct secrets *out);

/* Whether presented[0..len) is the operator key: compares SHA-256 digests in constant time. */
bool secrets_operator_key_matches(const struct secrets *s, const char *presented, size_t len);

/* Overwrites every key in *s with zeros (OPENSSL_cleanse); accepts NULL. */
void secrets_wipe(struct secrets *s);

/* Creates dir and its missing parents with mode 0700; existing directories are left as they
 * are. False, with a message, if a component cannot be made or is not a directory. */
bool secrets_mkdirs(const char *dir);

/* Writes data[0..len) to a new file at path with the given mode: into a temporary file in the
 * same directory, synced, then linked into place, so path appears complete or not at all and
 * an existing path is never replaced (that is an error). False, with a message, on failure;
 * nothing is left behind then. */
bool secrets_write_new(const char *path, const void *data, size_t len, mode_t mode);

/* Reads the regular file at path, at most max_len bytes, into a NUL-terminated heap buffer
 * (*data_out, *len_out without the NUL); the caller cleanses and frees it. False, with a
 * message, when the file is missing, unreadable, not a regular file or too large, or when
 * is_private and group or others may access it (the message says to chmod 600 it). */
bool secrets_read_file(const char *path, size_t max_len, bool is_private, char **data_out,
                       size_t *len_out);

#endif
