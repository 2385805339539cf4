/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The watcher thread, a periodic job (cli/periodic_job.h). Replaced sets are retired, not
 * freed, until the server stops: a request may still hold a snapshot of the old set. */
#include "cli/secrets_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/periodic_job.h"
#include "core/log.h"
#include "core/xalloc.h"

#define MAX_SETS 256

static char *watched_dir;
static struct secrets *sets[MAX_SETS]; /* every set loaded, the current one last */
static int n_sets;
static struct stat last_seen;
static struct periodic_job job;

static bool
stat_keys(struct stat *st)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/data-keys", watched_dir);
    return stat(path, st) == 0;
}

static bool
changed(const struct stat *a, const struct stat *b)
{
    /* ctime too: a chmod 600 that fixes a refused file changes only it */
    return a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
           a->st_ctim.tv_sec != b->st_ctim.tv_sec || a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

static void
reload(struct periodic_job *j, atomic_bool *stop)
{
    struct app *app = j->ctx;
    struct stat st;

    (void)stop;
    if (!stat_keys(&st) || !changed(&st, &last_seen))
        return;
    if (n_sets >= MAX_SETS) {
        log_error("too many secrets reloads; restart the server to reload again");
        return;
    }
    struct secrets *next = xcalloc(1, sizeof *next);
    if (!secrets_load(watched_dir, next)) {
        log_error("could not reload the secrets after data-keys changed; keeping the old ones");
        free(next);
        last_seen = st; /* do not retry a broken file every second; a fix changes it again */
        return;
    }
    sets[n_sets++] = next;
    atomic_store_explicit(&app->secrets, next, memory_order_release);
    last_seen = st;
    log_info("data keys reloaded: %d keys, sealing with key %d", next->n_data_keys,
             next->data_keys[next->current_data_key].id);
}

bool
secrets_watch_start(struct app *app, const char *dir)
{
    struct secrets *first = xcalloc(1, sizeof *first);

    if (!secrets_load(dir, first)) {
        free(first);
        return false;
    }
    watched_dir = xstrdup(dir);
    if (!stat_keys(&last_seen))
        memset(&last_seen, 0, sizeof last_seen);
    sets[n_sets++] = first;
    atomic_store(&app->secrets, first);
    if (!periodic_job_start(&job, "secrets watcher", SECRETS_WATCH_INTERVAL_S * 1000, reload,
                            app))
        log_warn("could not start the secrets watcher: rotation needs a restart");
    return true;
}

void
secrets_watch_stop(struct app *app)
{
    periodic_job_stop(&job);
    atomic_store(&app->secrets, NULL);
    for (int i = 0; i < n_sets; i++) {
        secrets_wipe(sets[i]);
        free(sets[i]);
    }
    n_sets = 0;
    free(watched_dir);
    watched_dir = NULL;
}
