/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The risk job of `recours serve` (docs/risk.md): a thread that, every interval, brings the
 * time-based risk flags up to date (service/risk.c: network counts after the claims that came
 * later in the hour, address counts, the email check after N days, the network hashes' end of
 * retention) and reads the disposable domains file again if it changed. On a connection of
 * its own; a database outage is logged and retried at the next pass. */
#ifndef RECOURS_CLI_RISK_JOB_H
#define RECOURS_CLI_RISK_JOB_H

#include <stdbool.h>

/* Starts the thread (after db_pool_init); false, logged, if it could not be started (the
 * intake's flags are still written; only the time-based ones wait). */
bool risk_job_start(int interval_ms);

/* Stops and joins the thread (before db_pool_shutdown); no-op when not started. */
void risk_job_stop(void);

#endif
