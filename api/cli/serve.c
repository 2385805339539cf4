/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours serve: loads secrets, migrations and TLS material, checks the schema, starts the
 * daemon and waits for SIGTERM/SIGINT, then shuts down gracefully. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/erasure_job.h"
#include "cli/summary_fold_job.h"
#include "cli/mail_job.h"
#include "cli/risk_job.h"
#include "cli/secrets_watch.h"
#include "core/log.h"
#include "core/text_clean.h"
#include "core/urlencoded.h"
#include "crypto/tls_cert.h"
#include "db/pool.h"
#include "db/read_pool.h"
#include "handlers/page_common.h"
#include "handlers/public_cache.h"
#include "http/server.h"
#include "routes.h"
#include "service/audit.h"
#include "service/compensation.h"
#include "service/intake.h"
#include "service/lookup_cache.h"
#include "service/risk.h"
#include "service/risk_domains.h"
#include "service/secrets_match.h"

static void
after_request(void *app)
{
    (void)app;
    db_pool_after_request();
}

/* Refuses to serve a schema whose applied migrations were edited; a database that is down or
 * behind only makes /readyz answer 503 until it is fixed. *current: reachable and migrated. */
static bool
check_schema(const struct config *cfg, const struct migration_set *set, bool *current)
{
    char why[512];
    PGconn *c = db_connect_once(cfg->database_url, cfg->db_statement_timeout_ms,
                                cfg->db_connect_timeout_s, why, sizeof why);
    bool ok = true;

    if (c == NULL) {
        log_warn("database not reachable at start (%s); /readyz answers 503 until it is", why);
        return true;
    }
    switch (db_migrate_check(c, set)) {
    case MIGRATE_CURRENT:
        *current = true;
        break;
    case MIGRATE_PENDING:
        log_warn("database migrations are pending: run recours migrate");
        break;
    case MIGRATE_CHANGED:
        log_error("applied database migrations differ from the files in %s: refusing to serve",
                  cfg->migrations_dir);
        ok = false;
        break;
    case MIGRATE_ERROR:
        log_warn("could not check the database migrations at start");
        break;
    }
    PQfinish(c);
    return ok;
}

/* The operator's texts go into pages and, for the name, into the From header of every
 * message: a value in Latin-1 (a terminal or an env file not in UTF-8) or with a control
 * character (a line break pasted in) would show as garbage on the pages and as another name
 * in the From header (the mail composer drops what it cannot send), unnoticed; so serve
 * refuses it at start, naming the setting. */
static bool
operator_texts_ok(const struct config *cfg)
{
    const struct {
        const char *flag, *env, *value, *where;
    } texts[] = {
        {"operator-name", "RECOURS_OPERATOR_NAME", cfg->operator_name,
         "every page's footer and the messages' sender name"},
        {"operator-address", "RECOURS_OPERATOR_ADDRESS", cfg->operator_address,
         "every page's footer"},
        {"operator-email", "RECOURS_OPERATOR_EMAIL", cfg->operator_email,
         "every page's footer, /legal and the address-change message"},
        {"operator-registration", "RECOURS_OPERATOR_REGISTRATION", cfg->operator_registration,
         "/legal"},
        {"publication-director", "RECOURS_PUBLICATION_DIRECTOR", cfg->publication_director,
         "/legal"},
        {"dpo-email", "RECOURS_DPO_EMAIL", cfg->dpo_email, "/privacy"},
        {"host-name", "RECOURS_HOST_NAME", cfg->host_name, "/legal, /privacy"},
        {"host-address", "RECOURS_HOST_ADDRESS", cfg->host_address, "/legal, /privacy"},
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *v = texts[i].value != NULL ? texts[i].value : "";
        size_t points = 0; /* text_is_clean's count, unused */
        const char *wrong = NULL;
        if (!utf8_is_valid(v, strlen(v)))
            wrong = "is not valid UTF-8: save or type it as UTF-8 (from Latin-1: iconv -f "
                    "latin1 -t utf-8)";
        else if (!text_is_clean(v, NULL, &points))
            wrong = "contains a control character (a line break, a tab, an escape): give it "
                    "on one line of printable characters";
        else if (strcmp(texts[i].flag, "operator-name") == 0 && v[strspn(v, " ")] == '\0')
            wrong = "is blank: name who runs the site (or leave it unset for the demonstration "
                    "name)";
        if (wrong != NULL) {
            fprintf(stderr, "serve: --%s (%s) %s; it is shown in %s\n", texts[i].flag, texts[i].env,
                    wrong, texts[i].where);
            return false;
        }
    }
    return true;
}

/* Refuses secrets that did not write this database (service/secrets_match.h), in one line
 * naming the key that does not match; checked when the database is reachable and migrated at
 * start, before anything is written to it. */
static bool
secrets_belong(const struct config *cfg, const struct app *app)
{
    char why[512];
    PGconn *c = db_pool_acquire();

    if (c == NULL)
        return true; /* gone since check_schema: /readyz says so */
    enum secrets_match verdict = svc_secrets_match(c, app_secrets(app), why, sizeof why);
    db_pool_close_thread(); /* the workers have their own */
    if (verdict == SECRETS_UNCHECKED)
        log_warn("could not check at start that the secrets belong to the database: %s", why);
    if (verdict != SECRETS_FOREIGN)
        return true;
    fprintf(stderr,
            "serve: the secrets in %s are not this database's: %s; start with the secrets "
            "directory kept with this database (--secrets-dir; docs/operating.md, "
            "\"Restore\")\n",
            cfg->secrets_dir, why);
    return false;
}

static int
wait_for_signal(void)
{
    sigset_t set;
    int sig = 0;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    /* SIGHUP reads the disposable email domains again (docs/risk.md); the others stop */
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
        risk_domains_reload(true);
    return sig;
}

static void
block_signals(void)
{
    sigset_t set;

    /* blocked before any thread starts, so every thread inherits the mask and only sigwait
     * sees them */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The risk flags' thresholds and the disposable domains (docs/risk.md): a list that cannot
 * be read is logged and the intake goes on without that flag until it can. */
static void
start_risk(const struct config *cfg)
{
    risk_configure(&(struct risk_settings){
        .network_max = cfg->risk_network_max_per_hour,
        .address_max = cfg->risk_address_max,
        .unconfirmed_days = cfg->risk_unconfirmed_days,
        .retention_hours = cfg->risk_network_retention_hours,
    });
    (void)risk_domains_load(cfg->risk_domains_file);
}

static struct http_server *
start_http(const struct config *cfg, struct app *app, const char *cert, const char *key)
{
    struct http_server_config hc = {
        .listen_address = cfg->listen_address,
        .port = cfg->port,
        .tls = !cfg->plain_http,
        .cert_pem = cert,
        .key_pem = key,
        .workers = cfg->workers,
        .max_body_bytes = cfg->max_body_bytes,
        .max_header_bytes = cfg->max_header_bytes,
        .max_connections = cfg->max_connections,
        .max_connections_per_ip = cfg->max_connections_per_ip,
        .connection_timeout_s = cfg->connection_timeout_s,
        .rate_limit_burst = cfg->rate_limit_burst,
        .rate_limit_per_s = cfg->rate_limit_per_s,
        .trusted_proxies = cfg->trusted_proxies,
        .routes = routes,
        .n_routes = n_routes,
        .app = app,
        .after_request = after_request,
        .run = routes_run,
        .error_page = page_error,
        .rate_limited_forms = rate_limited_forms,
        .n_rate_limited_forms = n_rate_limited_forms,
        .body_streams = {body_stream_routes, n_body_stream_routes, routes_admit},
    };

    return http_server_start(&hc);
}

int
cli_serve(const struct config *cfg)
{
    struct app app = {.cfg = cfg, .tls = !cfg->plain_http};
    struct web_site *site = NULL;
    char why[512];
    char *cert = NULL;
    char *key = NULL;
    bool created = false;
    bool schema_current = false;
    int rc = 1;

    if (cfg->database_url == NULL) {
        fprintf(stderr, "serve: DATABASE_URL (or --database-url) is required\n");
        return 1;
    }
    if (!operator_texts_ok(cfg))
        return 2;
    block_signals(); /* before the first thread starts */
    if (!secrets_watch_start(&app, cfg->secrets_dir)) {
        fprintf(stderr, "serve: run `recours secrets init` to create the secrets\n");
        return 1;
    }
    /* the threads that audit (HTTP workers, erasure job) start after this */
    if (!svc_audit_key_install(app_secrets(&app))) {
        fprintf(stderr, "serve: could not derive the audit key\n");
        secrets_watch_stop(&app);
        return 1;
    }
    if (!migration_set_load(cfg->migrations_dir, &app.migrations))
        goto cleanup;
    site = web_site_load(cfg, why, sizeof why);
    if (site == NULL) {
        log_error("web pages: %s", why);
        goto cleanup;
    }
    app.site = site;
    if (!check_schema(cfg, &app.migrations, &schema_current))
        goto cleanup;
    if (!cfg->plain_http) {
        if (!tls_cert_ensure(cfg->tls_cert_path, cfg->tls_key_path, &cert, &key, &created))
            goto cleanup;
        /* a mistyped path to the operator's own certificate also finds neither file */
        if (created && config_is_default(cfg, "tls-cert"))
            log_info("made a self-signed certificate in %s", cfg->tls_cert_path);
        else if (created)
            log_warn("neither %s nor %s existed: made a self-signed certificate there, which "
                     "browsers warn about; if you meant your own, check --tls-cert and "
                     "--tls-key",
                     cfg->tls_cert_path, cfg->tls_key_path);
    }
    db_pool_init(&(struct db_pool_config){.database_url = cfg->database_url,
                                          .statement_timeout_ms = cfg->db_statement_timeout_ms,
                                          .connect_timeout_s = cfg->db_connect_timeout_s,
                                          .application_name = "recours"});
    db_read_pool_init(cfg->database_read_url, cfg->db_statement_timeout_ms);
    if (schema_current && !secrets_belong(cfg, &app))
        goto cleanup_pool;
    secrets_watch_run(&app); /* its rows of server_nodes need the pool */
    start_risk(cfg);
    if (!intake_start(cfg->intake_writers))
        goto cleanup_pool;
    /* a mail configuration that cannot work (password file) stops the start, not the mail */
    if (!mail_job_start(&app)) {
        intake_stop();
        goto cleanup_pool;
    }
    struct http_server *srv = start_http(cfg, &app, cert, key);
    if (srv == NULL) {
        mail_job_stop();
        intake_stop();
        goto cleanup_pool;
    }
    log_info("listening on %s://%s:%d with %d workers", cfg->plain_http ? "http" : "https",
             cfg->listen_address, http_server_port(srv), cfg->workers);
    if (cfg->erasure_interval_ms > 0)
        erasure_job_start(cfg->withdrawn_retention_days, cfg->erasure_interval_ms);
    risk_job_start(cfg->risk_interval_ms);
    svc_compensation_set_exact_groups(cfg->summary_exact_groups);
    if (cfg->summary_fold_interval_ms > 0)
        summary_fold_job_start(cfg->summary_fold_interval_ms);
    int sig = wait_for_signal();
    erasure_job_stop(); /* first: it must not outlive the pool */
    risk_job_stop();
    summary_fold_job_stop();
    mail_job_stop();
    log_info("signal %d: finishing in-flight requests (up to %d s)", sig, cfg->shutdown_grace_s);
    http_server_drain(srv, cfg->shutdown_grace_s);
    /* the writers answer every queued submission before they stop; MHD must not stop while
     * a connection is still suspended. From here on a keep-alive connection's new submission
     * is answered 503 at once, never queued (intake_submit; decisions.md "Hardening: HTTP") */
    intake_stop();
    log_info("intake writers stopped: new submissions are answered 503");
    http_server_drain(srv, 2);
    http_server_stop(srv);
    log_info("stopped");
    rc = 0;
cleanup_pool:
    secrets_watch_leave();   /* nothing is sealed or opened any more: rotations stop waiting */
    svc_lookup_cache_free(); /* no request runs any more */
    risk_domains_free();
    public_cache_free();
    db_read_pool_shutdown();
    db_pool_shutdown();
cleanup:
    if (key != NULL) {
        explicit_bzero(key, strlen(key));
        free(key);
    }
    free(cert);
    migration_set_free(&app.migrations);
    web_site_free(site);
    secrets_watch_stop(&app);
    return rc;
}
