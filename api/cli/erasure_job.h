/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The erasure job of `recours serve`: a thread that erases the personal data of claims
 * withdrawn longer ago than the retention period (service/erasure.c), once at start and then
 * every interval, on a database connection of its own (db/pool.c). A database outage is
 * logged and retried at the next pass; it never stops the server. */
#ifndef RECOURS_CLI_ERASURE_JOB_H
#define RECOURS_CLI_ERASURE_JOB_H

#include <stdbool.h>

/* Starts the thread (after db_pool_init); false, logged, if it could not be started (the
 * server then serves without it, and `recours erase-withdrawn` can stand in). */
bool erasure_job_start(int retention_days, int interval_ms);

/* Asks the thread to stop, wakes it and joins it (before db_pool_shutdown): it stops between
 * two batches, so at most one statement's time later. Its connection is closed. No-op when
 * the job was not started. */
void erasure_job_stop(void);

#endif
