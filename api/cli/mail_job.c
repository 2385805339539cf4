/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mail thread: a periodic job (cli/periodic_job.h) of one second. */
#include "cli/mail_job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cli/periodic_job.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/mail_delivery.h"

#define POLL_S 1
#define PRUNE_EVERY_S 600

static const struct app *the_app;
static struct mail_settings settings;
static char password[512];

static void
run_pass(void *ctx, atomic_bool *stop)
{
    static time_t last_prune;
    int handled = 0;
    PGconn *c = db_pool_acquire();

    (void)ctx;
    if (c == NULL)
        return; /* the pool logs why; next pass in a second */
    if (svc_mail_deliver_due(c, app_secrets(the_app), &settings, stop, &handled) != OUTCOME_OK)
        log_warn("mail: delivery stopped by a database error; trying again");
    if (time(NULL) - last_prune >= PRUNE_EVERY_S) {
        last_prune = time(NULL);
        if (svc_mail_prune(c) != OUTCOME_OK)
            log_warn("mail: could not prune rate events and expired links");
    }
    db_pool_after_request();
}

static struct periodic_job job = {
    .name = "mail",
    .interval_s = POLL_S,
    .pass = run_pass,
    .thread_end = db_pool_close_thread,
};

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

bool
mail_job_start(const struct app *app)
{
    the_app = app;
    if (!configure(app->cfg) || !mail_transport_init())
        goto fail;
    if (!periodic_job_start(&job)) {
        mail_transport_cleanup();
        goto fail;
    }
    return true;
fail:
    log_error("could not start the mail thread: serve stops (see the line above)");
    explicit_bzero(password, sizeof password);
    return false;
}

void
mail_job_stop(void)
{
    if (!job.running)
        return;
    periodic_job_stop(&job);
    mail_transport_cleanup();
    explicit_bzero(password, sizeof password);
}
