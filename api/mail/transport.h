/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a composed message goes: to the configured SMTP relay through libcurl's SMTP client
 * (STARTTLS, AUTH), or, with no relay (the default), into an .eml file under a directory
 * (var/mail/) so that a new user sees what would have been sent. */
#ifndef RECOURS_MAIL_TRANSPORT_H
#define RECOURS_MAIL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

struct mail_relay {
    const char *url;      /* smtp://host:port or smtps://host:port */
    const char *user;     /* NULL or "": no AUTH */
    const char *password; /* with user */
    const char *ca_file;  /* NULL or "": the system's CA store */
};

/* Call once in the main thread before any thread sends (curl_global_init); false if libcurl
 * could not initialise. */
bool mail_transport_init(void);
void mail_transport_cleanup(void);

/* A sender's session with the relay: its connection is reused from one message to the next.
 * One per thread. mail_smtp_new: NULL when out of memory; mail_smtp_free accepts NULL. */
struct mail_smtp;
struct mail_smtp *mail_smtp_new(void);
void mail_smtp_free(struct mail_smtp *s);

/* Sends payload (a whole message, CRLF lines) from `from` to `to` through the relay, on the
 * session's connection when it has one. With an smtp:// URL STARTTLS is used when the relay
 * offers it, and required when a user is set (a password never crosses the network in
 * clear). False on any failure, with a short reason in reason_out that names no person
 * (curl's error and the relay's reply code); the connection is then dropped. */
bool mail_smtp_send(struct mail_smtp *s, const struct mail_relay *r, const char *from,
                    const char *to, const char *payload, size_t n, char *reason_out,
                    size_t reason_n);

/* Writes payload as dir/name.eml atomically (a temporary name in dir, fsync, rename), the
 * directory made (0700) when missing, the file 0600 (it holds an address). False, with a
 * reason, on failure. */
bool mail_eml_write(const char *dir, const char *name, const char *payload, size_t n,
                    char *reason_out, size_t reason_n);

#endif
