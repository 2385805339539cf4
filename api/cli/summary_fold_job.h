/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary's fold thread of `recours serve`: every interval (a second by default), folds the
 * changes the claim writers appended to claim_shape_log into the summary's folded tables (0013;
 * service svc_compensation_fold), slice by slice until none is left, on a database connection of
 * its own. Several servers may fold at once (a slice another holds is skipped). A database outage
 * is logged and retried an interval later; the summary stays exact meanwhile (it reads the
 * unfolded changes too), only slower. */
#ifndef RECOURS_CLI_SUMMARY_FOLD_JOB_H
#define RECOURS_CLI_SUMMARY_FOLD_JOB_H

#include <stdbool.h>

/* Starts the thread (after db_pool_init) with interval_ms between passes; false, logged, if
 * it could not be started. */
bool summary_fold_job_start(int interval_ms);

/* Stops and joins the thread (before db_pool_shutdown): at most one slice's time later. No-op
 * when it was not started. */
void summary_fold_job_stop(void);

#endif
