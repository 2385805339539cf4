/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Rotation of the data-encryption keys: a new key is appended to `data-keys` (the old ones
 * stay, to open what they sealed), the file replaced atomically. */
#ifndef RECOURS_CRYPTO_DATA_KEYS_H
#define RECOURS_CRYPTO_DATA_KEYS_H

#include <stdbool.h>

/* Appends a fresh random key with id = highest id + 1 to dir/data-keys. The new file is
 * first written complete as data-keys.next (created exclusively: two rotations at once
 * cannot both proceed), then renamed over data-keys. *new_id_out gets the id. False, with a
 * message, on any failure; data-keys is then unchanged. */
bool data_keys_append(const char *dir, int *new_id_out);

#endif
