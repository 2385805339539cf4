/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The server's TLS certificate and key: the operator's files, or a self-signed pair made on
 * first run (docs/product.md §9.1: HTTPS by default). */
#ifndef RECOURS_CRYPTO_TLS_CERT_H
#define RECOURS_CRYPTO_TLS_CERT_H

#include <stdbool.h>

/* Gives the PEM certificate and private key for the server in *cert_pem_out and *key_pem_out
 * (NUL-terminated heap strings; the caller frees both, cleansing the key first).
 * - Both files exist: reads them as they are (warning if the key file is open to group or
 *   others); *created_out = false.
 * - Neither exists: makes an EC P-256 key and a one-year self-signed certificate for
 *   localhost, 127.0.0.1 and ::1, creates missing parent directories (0700), writes the key
 *   (PKCS#8 "BEGIN PRIVATE KEY", mode 0600) and then the certificate (0644), each complete or
 *   not at all; *created_out = true.
 * - Only one exists: refuses, since pairing a new key with an old certificate (or the reverse)
 *   cannot work.
 * False, with a short message on stderr, on any failure; nothing is returned or left
 * half-written then. */
bool tls_cert_ensure(const char *cert_path, const char *key_path, char **cert_pem_out,
                     char **key_pem_out, bool *created_out);

#endif
