/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mail threads (--mail-senders of them, each with its own database connection and its own
 * connection to the relay, so that one waits for the relay's replies while another works: the
 * outbox's SKIP LOCKED gives each its own rows, the shared bucket paces them all). Each is a
 * periodic job (cli/periodic_job.h) that polls every second (every --mail-retry-base when that
 * is shorter), sooner when the rate's bucket lets a due message go before that. */
#include "cli/mail_job.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cli/periodic_job.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/mail_delivery.h"

#define POLL_MS 1000
#define PRUNE_EVERY_S 600

#define SENDERS_MAX 16

struct sender {
    struct periodic_job job;
    bool prunes;            /* the first sender also prunes */
    time_t last_prune;
    struct mail_smtp *smtp; /* its connection to the relay, reused across passes */
};

static struct sender senders[SENDERS_MAX];
static int n_senders;
static bool running;
static const struct app *the_app;
static struct mail_settings settings;
static char password[512];

/* One pass of a sender: the due messages its rate allows, then (the first sender) the prune;
 * when the rate is spent while messages are due, the next pass comes when the bucket has a
 * token rather than at the next poll. */
static void
run_pass(struct periodic_job *j, atomic_bool *stop)
{
    struct sender *me = j->ctx;
    int handled = 0;
    PGconn *c = db_pool_acquire();

    if (c == NULL)
        return; /* the pool logs why; next pass in a second */
    if (svc_mail_deliver_due(c, app_secrets(the_app), &settings, me->smtp, stop, &handled,
                             &j->next_wait_ms) != OUTCOME_OK)
        log_warn("mail: delivery stopped by a database error; trying again");
    if (me->prunes && time(NULL) - me->last_prune >= PRUNE_EVERY_S) {
        me->last_prune = time(NULL);
        if (svc_mail_prune(c) != OUTCOME_OK)
            log_warn("mail: could not prune rate events and expired links");
    }
    db_pool_after_request();
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
        /* the name a victim knows the site by; left at its default, "recours" */
        .from_name = config_mail_sender_name(cfg),
        .reply_to = cfg->mail_reply_to,
        .mail_dir = cfg->mail_dir,
        .relay = {cfg->smtp_url, cfg->smtp_user, password, cfg->smtp_ca_file},
        .give_up_after_s = cfg->mail_give_up_after_s,
        .retry_base_ms = cfg->mail_retry_base_ms,
        .rate_per_s = cfg->mail_rate,
        .operator_email = cfg->operator_email,
        .withdrawn_retention_days = cfg->withdrawn_retention_days,
    };
    if (cfg->smtp_password_file[0] != '\0' && !read_password(cfg->smtp_password_file))
        return false;
    if (cfg->smtp_url[0] == '\0')
        log_info("mail: no --smtp-url: messages are written as .eml files under %s",
                 cfg->mail_dir);
    else
        log_info("mail: messages go through the relay of --smtp-url");
    /* the demonstration's defaults, harmless in .eml files, are wrong in a claimant's inbox */
    if (cfg->smtp_url[0] != '\0' && config_is_default(cfg, "mail-from"))
        log_warn("mail: --mail-from is still %s: set an address the relay may send as "
                 "(RECOURS_MAIL_FROM), or the relay or the claimants' providers refuse the "
                 "messages",
                 cfg->mail_from);
    if (cfg->smtp_url[0] != '\0' && config_is_default(cfg, "public-url"))
        log_warn("mail: --public-url is not set: every message's links lead to %s, nowhere for "
                 "a claimant (RECOURS_PUBLIC_URL)",
                 cfg->public_url);
    return true;
}

/* Stops the senders started (all asked at once, then each joined), frees their sessions. */
static void
end_senders(void)
{
    for (int i = 0; i < n_senders; i++)
        periodic_job_ask_stop(&senders[i].job);
    for (int i = 0; i < n_senders; i++) {
        periodic_job_stop(&senders[i].job);
        mail_smtp_free(senders[i].smtp);
        senders[i] = (struct sender){0};
    }
    n_senders = 0;
}

bool
mail_job_start(const struct app *app)
{
    the_app = app;
    if (!configure(app->cfg) || !mail_transport_init())
        goto fail;
    n_senders = app->cfg->mail_senders < SENDERS_MAX ? app->cfg->mail_senders : SENDERS_MAX;
    /* a retry is taken at the first poll after it is due: a base below the poll polls at it */
    int poll_ms = app->cfg->mail_retry_base_ms < POLL_MS ? app->cfg->mail_retry_base_ms : POLL_MS;
    for (int i = 0; i < n_senders; i++) {
        struct sender *s = &senders[i];

        s->prunes = i == 0;
        if ((s->smtp = mail_smtp_new()) == NULL ||
            !periodic_job_start(&s->job, "mail sender", poll_ms, run_pass, s))
            goto fail;
    }
    running = true;
    return true;
fail:
    log_error("could not start the mail threads: serve stops (see the line above)");
    end_senders();
    explicit_bzero(password, sizeof password);
    return false;
}

void
mail_job_stop(void)
{
    if (!running)
        return;
    end_senders();
    mail_transport_cleanup();
    explicit_bzero(password, sizeof password);
    running = false;
}
