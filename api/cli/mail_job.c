/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mail threads (--mail-senders of them, each with its own database connection and its own
 * connection to the relay, so that one waits for the relay's replies while another works: the
 * outbox's SKIP LOCKED gives each its own rows, the shared bucket paces them all). Like the
 * erasure job they wait on a condition variable (monotonic clock), so a stop wakes them at
 * once. */
#include "cli/mail_job.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/mail_delivery.h"

#define POLL_S 1
#define PRUNE_EVERY_S 600

#define SENDERS_MAX 16

struct sender {
    pthread_t thread;
    bool started;
    bool prunes;              /* the first sender also prunes */
    struct mail_smtp *smtp;   /* its connection to the relay, reused across passes */
    int next_wait_ms;         /* the rate's wait after a pass, 0: the poll's */
};

static struct sender senders[SENDERS_MAX];
static int n_senders;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static atomic_bool stop;
static bool running;
static const struct app *the_app;
static struct mail_settings settings;
static char password[512];

static void
run_pass(struct sender *me, time_t *last_prune)
{
    int handled = 0;
    PGconn *c = db_pool_acquire();

    me->next_wait_ms = 0;
    if (c == NULL)
        return; /* the pool logs why; next pass in a second */
    if (svc_mail_deliver_due(c, app_secrets(the_app), &settings, me->smtp, &stop, &handled,
                             &me->next_wait_ms) != OUTCOME_OK)
        log_warn("mail: delivery stopped by a database error; trying again");
    if (me->prunes && time(NULL) - *last_prune >= PRUNE_EVERY_S) {
        *last_prune = time(NULL);
        if (svc_mail_prune(c) != OUTCOME_OK)
            log_warn("mail: could not prune rate events and expired links");
    }
    db_pool_after_request();
}

static void
wait_poll(int next_wait_ms)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    if (next_wait_ms > 0 && next_wait_ms < POLL_S * 1000) {
        /* the rate is spent and messages are due: back when the bucket has a token */
        until.tv_nsec += (long)next_wait_ms * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
    } else {
        until.tv_sec += POLL_S;
    }
    pthread_mutex_lock(&lock);
    while (!atomic_load(&stop)) {
        if (pthread_cond_timedwait(&wake, &lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&lock);
}

static void *
job_main(void *arg)
{
    struct sender *me = arg;
    time_t last_prune = 0;

    while (!atomic_load(&stop)) {
        run_pass(me, &last_prune);
        wait_poll(me->next_wait_ms);
    }
    db_pool_close_thread();
    return NULL;
}

/* The first line of the password file, without its line end. */
static bool
read_password(const char *path)
{
    FILE *f = fopen(path, "r");

    if (f == NULL) {
        log_error("mail: could not open --smtp-password-file: %s", strerror(errno));
        return false;
    }
    bool ok = fgets(password, sizeof password, f) != NULL;
    fclose(f);
    if (!ok) {
        log_error("mail: --smtp-password-file is empty");
        return false;
    }
    password[strcspn(password, "\r\n")] = '\0';
    return true;
}

static bool
configure(const struct config *cfg)
{
    size_t n = strlen(cfg->public_url);

    /* links are written public_url + "/path": one slash */
    static char public_url[1024];
    snprintf(public_url, sizeof public_url, "%.*s", (int)(n > 0 && cfg->public_url[n - 1] == '/'
                                                              ? n - 1 : n), cfg->public_url);
    settings = (struct mail_settings){
        .public_url = public_url,
        .from = cfg->mail_from,
        .reply_to = cfg->mail_reply_to,
        .mail_dir = cfg->mail_dir,
        .relay = {cfg->smtp_url, cfg->smtp_user, password, cfg->smtp_ca_file},
        .give_up_after_s = cfg->mail_give_up_after_s,
        .retry_base_s = cfg->mail_retry_base_s,
        .rate_per_s = cfg->mail_rate,
    };
    if (cfg->smtp_password_file[0] != '\0' && !read_password(cfg->smtp_password_file))
        return false;
    if (cfg->smtp_url[0] == '\0')
        log_info("mail: no --smtp-url: messages are written as .eml files under %s",
                 cfg->mail_dir);
    else
        log_info("mail: messages go through the relay of --smtp-url");
    return true;
}

/* Stops and joins the senders started, frees their sessions. */
static void
end_senders(void)
{
    pthread_mutex_lock(&lock);
    atomic_store(&stop, true);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n_senders; i++) {
        if (senders[i].started)
            pthread_join(senders[i].thread, NULL);
        mail_smtp_free(senders[i].smtp);
        senders[i] = (struct sender){0};
    }
    n_senders = 0;
}

bool
mail_job_start(const struct app *app)
{
    pthread_condattr_t attr;
    bool cond_made = false;

    the_app = app;
    atomic_store(&stop, false);
    if (!configure(app->cfg) || !mail_transport_init())
        goto fail;
    if (pthread_condattr_init(&attr) != 0)
        goto fail;
    cond_made = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
                pthread_cond_init(&wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!cond_made)
        goto fail;
    n_senders = app->cfg->mail_senders < SENDERS_MAX ? app->cfg->mail_senders : SENDERS_MAX;
    for (int i = 0; i < n_senders; i++) {
        senders[i].prunes = i == 0;
        if ((senders[i].smtp = mail_smtp_new()) == NULL)
            goto fail;
        senders[i].started = pthread_create(&senders[i].thread, NULL, job_main, &senders[i]) == 0;
        if (!senders[i].started)
            goto fail;
    }
    running = true;
    return true;
fail:
    log_error("could not start the mail threads: serve stops (see the line above)");
    end_senders();
    if (cond_made)
        pthread_cond_destroy(&wake);
    explicit_bzero(password, sizeof password);
    return false;
}

void
mail_job_stop(void)
{
    if (!running)
        return;
    end_senders();
    pthread_cond_destroy(&wake);
    mail_transport_cleanup();
    explicit_bzero(password, sizeof password);
    running = false;
}
