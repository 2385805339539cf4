/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mail thread of `recours serve` (docs/mail.md): delivers the outbox (service/
 * mail_delivery.c) on a database connection of its own, looking for due messages every
 * second and at once after a delivery; a database outage is logged and retried. Messages go
 * to --smtp-url, or into .eml files under --mail-dir when no relay is configured. */
#ifndef RECOURS_CLI_MAIL_JOB_H
#define RECOURS_CLI_MAIL_JOB_H

#include <stdbool.h>

struct app;

/* Reads the SMTP password file, initialises libcurl and starts the thread (after
 * db_pool_init). False, logged, when the password file cannot be read or the thread not
 * started: serve then refuses to start (a relay that cannot work is a configuration error,
 * better seen at once than as messages piling up). */
bool mail_job_start(const struct app *app);

/* Stops the thread between two messages (at most one send later), joins it, closes its
 * connection and wipes the password. No-op when not started. */
void mail_job_stop(void);

#endif
