/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The watcher thread, a periodic job (cli/periodic_job.h). Replaced sets are retired, not
 * freed, until the server stops: a request may still hold a snapshot of the old set. The same
 * thread writes this server's row of server_nodes (db/nodes.h) on its own pool connection:
 * right after a reload, so that a rotation waiting for it goes on at once, and otherwise every
 * heartbeat. */
#include "cli/secrets_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/periodic_job.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "crypto/random.h"
#include "db/nodes.h"
#include "db/pool.h"

#define MAX_SETS 256

static char *watched_dir;
static struct secrets *sets[MAX_SETS]; /* every set loaded, the current one last */
static int n_sets;
static struct stat last_seen;
static struct periodic_job job;

/* this server's row of server_nodes; touched by the watcher thread only, then by the main
 * thread once it is joined */
static struct {
    char id[37]; /* random: a pid alone is reused, and two hosts have the same pids */
    char host[256];
    int reported;     /* the key the row holds: 0 while no row was written */
    int64_t last_try; /* core/clock.h monotonic ns */
    bool failing;     /* logged once per outage */
} node;

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
reload(struct app *app)
{
    struct stat st;

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

/* Writes the row when the loaded key is not the one it holds, or a heartbeat is due. A failure
 * is retried at the next heartbeat (at the next pass for a new key), never fatal: the row then
 * grows old and rotations stop waiting for this server. */
static void
report(const struct secrets *s)
{
    int key = s->data_keys[s->current_data_key].id;
    int64_t now = clock_monotonic_ns();

    if (key == node.reported && now - node.last_try < SECRETS_WATCH_HEARTBEAT_S * 1000000000LL)
        return;
    node.last_try = now;
    PGconn *c = db_pool_acquire(); /* the pool logs why it could not connect */
    int rc = c == NULL ? -1 : db_nodes_report(c, node.id, node.host, (int)getpid(), key);
    if (rc == 1 && node.reported == 0)
        (void)db_nodes_forget_gone(c); /* once, at start: rows of servers killed long ago */
    db_pool_after_request();
    if (rc != 1) {
        if (!node.failing)
            log_warn("could not record in the database that this server has data key %d; "
                     "rotate-data-key stops waiting for it %d s after its last record",
                     key, SECRETS_WATCH_STALE_S);
        node.failing = true;
        return;
    }
    if (node.failing)
        log_info("this server's data key %d is recorded in the database again", key);
    node.failing = false;
    node.reported = key;
}

static void
watch_pass(struct periodic_job *j, atomic_bool *stop)
{
    struct app *app = j->ctx;

    (void)stop;
    reload(app);
    if (node.id[0] != '\0')
        report(app_secrets(app));
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
    return true;
}

void
secrets_watch_run(struct app *app)
{
    node.reported = 0;
    node.failing = false;
    if (gethostname(node.host, sizeof node.host) != 0)
        snprintf(node.host, sizeof node.host, "(unknown host)");
    node.host[sizeof node.host - 1] = '\0'; /* a truncated name may lack its end */
    if (!random_uuid(node.id)) {
        log_error("no random id for this server: rotate-data-key will not wait for it");
        node.id[0] = '\0';
    }
    if (!periodic_job_start(&job, "secrets watcher", SECRETS_WATCH_INTERVAL_S * 1000, watch_pass,
                            app))
        log_warn("could not start the secrets watcher: rotation needs a restart");
}

void
secrets_watch_leave(void)
{
    if (!job.running)
        return;
    periodic_job_stop(&job);
    if (node.reported == 0)
        return; /* no row was written */
    PGconn *c = db_pool_acquire();
    if (c == NULL || db_nodes_remove(c, node.id) < 0)
        log_warn("could not delete this server's row of server_nodes; rotate-data-key stops "
                 "waiting for it %d s after its last record",
                 SECRETS_WATCH_STALE_S);
    db_pool_after_request();
    db_pool_close_thread();
    node.reported = 0;
}

void
secrets_watch_stop(struct app *app)
{
    periodic_job_stop(&job); /* no-op after secrets_watch_leave */
    atomic_store(&app->secrets, NULL);
    for (int i = 0; i < n_sets; i++) {
        secrets_wipe(sets[i]);
        free(sets[i]);
    }
    n_sets = 0;
    free(watched_dir);
    watched_dir = NULL;
}
