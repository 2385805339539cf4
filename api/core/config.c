/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Settings table: each setting once, with its flag, environment variable and default.
 * Order of precedence: default < environment < flag. */
#include "core/config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* KIND_SECONDS: a duration written in seconds, whole ("30") or with up to three decimals
 * ("0.2"), kept in milliseconds (an int); min and max are in milliseconds. Tests run the
 * periodic passes and the mail retries at a fraction of a second (docs/decisions.md, "Settings
 * in fractions of a second"). */
enum kind { KIND_STRING, KIND_INT, KIND_INT64, KIND_BOOL, KIND_SECONDS };

struct setting {
    const char *flag; /* without the leading "--" */
    const char *env;
    enum kind kind;
    size_t offset;
    const char *def; /* NULL: no default */
    int64_t min, max;
    const char *help;
};

#define OFF(field) offsetof(struct config, field)

/* --operator-name's default, in English for the logs and --help; the pages say it in their
 * language (web/site.h web_setting_plain) */
#define CONFIG_DEMO_OPERATOR_NAME "recours (demonstration)"

static const struct setting settings[] = {
    {"database-url", "DATABASE_URL", KIND_STRING, OFF(database_url), NULL, 0, 0,
     "PostgreSQL connection URL (required for serve, migrate, rotate-data-key and "
     "erase-withdrawn)"},
    {"database-read-url", "RECOURS_DATABASE_READ_URL", KIND_STRING, OFF(database_read_url), "", 0,
     0,
     "optional streaming replica for summaries, member lists, exports (docs/api.md, Reads from a "
     "replica)"},
    {"listen", "RECOURS_LISTEN", KIND_STRING, OFF(listen_address), "127.0.0.1", 0, 0,
     "IPv4 or IPv6 address to listen on"},
    {"port", "RECOURS_PORT", KIND_INT, OFF(port), "8443", 1, 65535, "TCP port"},
    {"plain-http", "RECOURS_PLAIN_HTTP", KIND_BOOL, OFF(plain_http), "0", 0, 1,
     "serve plain HTTP (only behind a TLS-terminating proxy)"},
    {"tls-cert", "RECOURS_TLS_CERT", KIND_STRING, OFF(tls_cert_path), "var/tls/cert.pem", 0, 0,
     "TLS certificate (PEM); made self-signed with the key when both are missing"},
    {"tls-key", "RECOURS_TLS_KEY", KIND_STRING, OFF(tls_key_path), "var/tls/key.pem", 0, 0,
     "TLS private key (PEM)"},
    {"secrets-dir", "RECOURS_SECRETS_DIR", KIND_STRING, OFF(secrets_dir), "var/secrets", 0, 0,
     "directory of hmac-key, data-keys, operator-key"},
    {"migrations-dir", "RECOURS_MIGRATIONS_DIR", KIND_STRING, OFF(migrations_dir), "db-migrations",
     0, 0, "directory of the numbered SQL migrations"},
    {"web-dir", "RECOURS_WEB_DIR", KIND_STRING, OFF(web_dir), "web", 0, 0,
     "directory of the static pages"},
    {"workers", "RECOURS_WORKERS", KIND_INT, OFF(workers), "8", 1, 256,
     "HTTP worker threads, each with its own database connection"},
    {"max-body-bytes", "RECOURS_MAX_BODY_BYTES", KIND_INT64, OFF(max_body_bytes), "65536", 1,
     INT64_C(1) << 30, "largest request body (413 above)"},
    {"max-header-bytes", "RECOURS_MAX_HEADER_BYTES", KIND_INT64, OFF(max_header_bytes), "32768",
     1024, INT64_C(1) << 20, "largest request header block (431 above)"},
    {"max-connections", "RECOURS_MAX_CONNECTIONS", KIND_INT, OFF(max_connections), "1024", 1,
     100000, "open connections in all"},
    {"max-connections-per-ip", "RECOURS_MAX_CONNECTIONS_PER_IP", KIND_INT,
     OFF(max_connections_per_ip), "256", 1, 100000, "open connections from one client address"},
    {"connection-timeout", "RECOURS_CONNECTION_TIMEOUT", KIND_INT, OFF(connection_timeout_s), "30",
     1, 3600, "seconds of inactivity before a connection is closed"},
    {"db-statement-timeout-ms", "RECOURS_DB_STATEMENT_TIMEOUT_MS", KIND_INT,
     OFF(db_statement_timeout_ms), "5000", 10, 600000, "bound on every SQL statement"},
    {"db-connect-timeout", "RECOURS_DB_CONNECT_TIMEOUT", KIND_INT, OFF(db_connect_timeout_s), "2",
     1, 60, "seconds a worker waits for a new database connection (then 503)"},
    {"shutdown-grace", "RECOURS_SHUTDOWN_GRACE", KIND_INT, OFF(shutdown_grace_s), "10", 0, 600,
     "seconds in-flight requests get to finish after SIGTERM"},
    {"rotate-wait", "RECOURS_ROTATE_WAIT", KIND_INT, OFF(rotate_wait_s), "30", 1, 3600,
     "seconds rotate-data-key waits for the running servers to load the new key (then stops, "
     "having re-encrypted nothing)"},
    {"intake-writers", "RECOURS_INTAKE_WRITERS", KIND_INT, OFF(intake_writers), "2", 1, 16,
     "claim writer threads: each commits whatever submissions wait, in one transaction; "
     "at most half of them run statements at a time, the others wait for their commit"},
    {"rate-limit-burst", "RECOURS_RATE_LIMIT_BURST", KIND_INT, OFF(rate_limit_burst), "120", 1,
     1000000, "public POSTs a client IP may make at once (token bucket size)"},
    {"rate-limit-per-s", "RECOURS_RATE_LIMIT_PER_S", KIND_INT, OFF(rate_limit_per_s), "2", 1,
     1000000, "public POSTs per second a client IP regains"},
    {"trusted-proxies", "RECOURS_TRUSTED_PROXIES", KIND_STRING, OFF(trusted_proxies), "", 0, 0,
     "comma-separated proxy IPs whose X-Forwarded-For is believed"},
    {"privacy-notice-version", "RECOURS_PRIVACY_NOTICE_VERSION", KIND_STRING,
     OFF(privacy_notice_version), "2026-01", 0, 0,
     "version of the privacy notice claimants accept (web/privacy)"},
    {"public-url", "RECOURS_PUBLIC_URL", KIND_STRING, OFF(public_url), "", 0, 0,
     "the site's address, for canonical, shared and email links "
     "(empty: https://localhost:<port>, http with --plain-http)"},
    {"operator-name", "RECOURS_OPERATOR_NAME", KIND_STRING, OFF(operator_name),
     CONFIG_DEMO_OPERATOR_NAME, 0, 0, "who runs the site: footer, /legal, /privacy, the messages' sender name"},
    {"operator-address", "RECOURS_OPERATOR_ADDRESS", KIND_STRING, OFF(operator_address),
     "(not configured: --operator-address)", 0, 0, "the operator's postal address"},
    {"operator-email", "RECOURS_OPERATOR_EMAIL", KIND_STRING, OFF(operator_email),
     "(not configured: --operator-email)", 0, 0, "the operator's contact address"},
    {"operator-registration", "RECOURS_OPERATOR_REGISTRATION", KIND_STRING,
     OFF(operator_registration), "", 0, 0, "registration (SIREN, RNA number) for /legal"},
    {"publication-director", "RECOURS_PUBLICATION_DIRECTOR", KIND_STRING, OFF(publication_director),
     "", 0, 0, "directeur de la publication, for /legal"},
    {"dpo-email", "RECOURS_DPO_EMAIL", KIND_STRING, OFF(dpo_email), "", 0, 0,
     "where privacy requests go (empty: the operator's address)"},
    {"host-name", "RECOURS_HOST_NAME", KIND_STRING, OFF(host_name), "(not configured: --host-name)",
     0, 0, "the hosting provider, for /legal"},
    {"host-address", "RECOURS_HOST_ADDRESS", KIND_STRING, OFF(host_address),
     "(not configured: --host-address)", 0, 0, "the hosting provider's address"},
    {"claim-retention-months", "RECOURS_CLAIM_RETENTION_MONTHS", KIND_INT,
     OFF(claim_retention_months), "60", 1, 1200,
     "months a claim is kept after its action ends (stated in /privacy)"},
    {"withdrawn-retention-days", "RECOURS_WITHDRAWN_RETENTION_DAYS", KIND_INT,
     OFF(withdrawn_retention_days), "30", 0, 36500,
     "days a withdrawn claim keeps its personal data before erasure (0: next pass)"},
    {"summary-exact-groups", "RECOURS_SUMMARY_EXACT_GROUPS", KIND_INT, OFF(summary_exact_groups),
     "1000", 0, 1000000,
     "an incident summary reads the exact claim groups up to this many tally rows, else the "
     "cells of docs/decisions.md \"Summary at any data shape\""},
    {"summary-fold-interval-ms", "RECOURS_SUMMARY_FOLD_INTERVAL_MS", KIND_INT,
     OFF(summary_fold_interval_ms), "1000", 0, 3600000,
     "milliseconds between two folds of the summary's changes (0: no fold thread; summaries "
     "then fold past 65,536 changes themselves)"},
    {"erasure-interval", "RECOURS_ERASURE_INTERVAL_S", KIND_SECONDS, OFF(erasure_interval_ms),
     "3600", 0, 604800000,
     "seconds between two erasure passes of serve, decimals allowed (0: no erasure thread; run "
     "recours erase-withdrawn from cron, or on one node of several)"},
    {"correction-days", "RECOURS_CORRECTION_DAYS", KIND_INT, OFF(correction_days), "14", 0, 365,
     "days a rejected claimant may correct the claim to send it back to review (0: never)"},
    /* evidence files (docs/evidence.md) */
    {"evidence-max-files", "RECOURS_EVIDENCE_MAX_FILES", KIND_INT, OFF(evidence_max_files), "5", 0,
     100, "evidence files a claimant may attach to one claim (0: none)"},
    {"evidence-max-bytes", "RECOURS_EVIDENCE_MAX_BYTES", KIND_INT64, OFF(evidence_max_bytes),
     "10485760", 1024, INT64_C(1) << 30, "largest evidence file in bytes (413 above)"},

    /* risk flags (docs/risk.md): reasons for review, never a refusal */
    {"risk-network-max-per-hour", "RECOURS_RISK_NETWORK_MAX_PER_HOUR", KIND_INT,
     OFF(risk_network_max_per_hour), "20", 1, 1000000,
     "claims of an incident from one network (IPv4 /24, IPv6 /64) within an hour beyond which each "
     "is flagged"},
    {"risk-address-max", "RECOURS_RISK_ADDRESS_MAX", KIND_INT, OFF(risk_address_max), "5", 1,
     1000000,
     "claims of an incident at one address (the flat left out) beyond which each is flagged"},
    {"risk-unconfirmed-days", "RECOURS_RISK_UNCONFIRMED_DAYS", KIND_INT, OFF(risk_unconfirmed_days),
     "7", 0, 365, "days after which a claim whose email is not confirmed is flagged"},
    {"risk-network-retention-hours", "RECOURS_RISK_NETWORK_RETENTION_HOURS", KIND_INT,
     OFF(risk_network_retention_hours), "48", 3, 8760,
     "hours a claim's network hash is kept (then erased; its flag and count stay)"},
    {"risk-interval", "RECOURS_RISK_INTERVAL_S", KIND_SECONDS, OFF(risk_interval_ms), "60", 1,
     86400000,
     "seconds between two passes of the risk job, decimals allowed (time-based flags, domains file "
     "changes)"},
    {"risk-domains-file", "RECOURS_RISK_DOMAINS_FILE", KIND_STRING, OFF(risk_domains_file),
     "data/disposable_domains.txt", 0, 0,
     "list of disposable email domains (read again on SIGHUP or when it changes)"},
    /* email (docs/mail.md) */
    {"smtp-url", "RECOURS_SMTP_URL", KIND_STRING, OFF(smtp_url), "", 0, 0,
     "mail relay (smtp://host:587 with STARTTLS, smtps://host:465); empty: .eml files"},
    {"smtp-user", "RECOURS_SMTP_USER", KIND_STRING, OFF(smtp_user), "", 0, 0,
     "user for SMTP AUTH (then TLS is required); empty: no AUTH"},
    {"smtp-password-file", "RECOURS_SMTP_PASSWORD_FILE", KIND_STRING, OFF(smtp_password_file), "",
     0, 0, "file holding the SMTP password (first line)"},
    {"smtp-ca-file", "RECOURS_SMTP_CA_FILE", KIND_STRING, OFF(smtp_ca_file), "", 0, 0,
     "CA certificates (PEM) the relay's certificate is checked against; empty: the system's"},
    {"mail-from", "RECOURS_MAIL_FROM", KIND_STRING, OFF(mail_from), "recours@localhost", 0, 0,
     "sender address of emails"},
    {"mail-reply-to", "RECOURS_MAIL_REPLY_TO", KIND_STRING, OFF(mail_reply_to), "", 0, 0,
     "Reply-To address of emails; empty: none"},
    {"mail-dir", "RECOURS_MAIL_DIR", KIND_STRING, OFF(mail_dir), "var/mail", 0, 0,
     "where emails are written as .eml files when no --smtp-url is set"},
    {"mail-give-up-after", "RECOURS_MAIL_GIVE_UP_AFTER", KIND_INT, OFF(mail_give_up_after_s),
     "172800", 1, 2592000, "seconds after which an undelivered email is given up (reason kept)"},
    {"mail-retry-base", "RECOURS_MAIL_RETRY_BASE", KIND_SECONDS, OFF(mail_retry_base_ms), "30", 1,
     3600000,
     "seconds before the first retry of an email, decimals allowed; doubles on each failure (1 h "
     "at most)"},
    {"mail-rate", "RECOURS_MAIL_RATE", KIND_INT, OFF(mail_rate), "50", 0, 100000,
     "emails a second at most, shared by every server on the database (0: no limit)"},
    {"mail-senders", "RECOURS_MAIL_SENDERS", KIND_INT, OFF(mail_senders), "4", 1, 16,
     "mail threads of serve, each with its connection to the relay"},
    {"export-beat", "RECOURS_EXPORT_BEAT_S", KIND_INT, OFF(export_beat_s), "10", 1, 60,
     "seconds between two renewals of a streaming export's 120-second lease"},
};

#define N_SETTINGS (sizeof settings / sizeof settings[0])
_Static_assert(N_SETTINGS <= CONFIG_SETTINGS_MAX, "raise CONFIG_SETTINGS_MAX in config.h");

static bool
parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end = NULL;

    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* "30", "0.2", "1.25" seconds as milliseconds within [min, max]: digits, then optionally a
 * point and one to three digits; no sign, no exponent. */
static bool
parse_seconds(const char *s, int64_t min, int64_t max, int64_t *out_ms)
{
    int64_t ms = 0;
    const char *p = s;

    for (; *p >= '0' && *p <= '9'; p++) {
        ms = ms * 10 + (*p - '0');
        if (ms > max)
            return false;
    }
    if (p == s)
        return false;
    ms *= 1000;
    if (*p == '.') {
        const char *frac = ++p;
        for (int64_t unit = 100; *p >= '0' && *p <= '9' && p - frac < 3; p++, unit /= 10)
            ms += (*p - '0') * unit;
        if (p == frac)
            return false;
    }
    if (*p != '\0' || ms < min || ms > max)
        return false;
    *out_ms = ms;
    return true;
}

/* One line: the command, what gave the value (origin: "default", the environment variable, or
 * "flag"), what was expected. */
static void
say_invalid(const struct setting *st, const char *origin, const char *cmd)
{
    const char *expected = st->kind == KIND_BOOL      ? "1 or 0"
                           : st->kind == KIND_SECONDS ? "seconds in range, at most three decimals"
                                                      : "an integer in range";
    if (strcmp(origin, "flag") == 0)
        fprintf(stderr, "%s: --%s is not valid: expected %s\n", cmd, st->flag, expected);
    else
        fprintf(stderr, "%s: %s (%s) is not valid: expected %s\n", cmd, st->flag, origin, expected);
}

/* cmd: the command whose settings these are, first word of every message. */
static bool
assign(struct config *cfg, const struct setting *st, const char *value, const char *origin,
       const char *cmd)
{
    char *base = (char *)cfg + st->offset;
    int64_t v = 0;

    switch (st->kind) {
    case KIND_STRING: {
        char **slot = (char **)(void *)base;
        free(*slot);
        *slot = xstrdup(value);
        return true;
    }
    case KIND_BOOL:
        if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0 || strcmp(value, "yes") == 0)
            *(bool *)(void *)base = true;
        else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0 ||
                 strcmp(value, "no") == 0 || value[0] == '\0')
            *(bool *)(void *)base = false;
        else
            goto bad;
        return true;
    case KIND_INT:
    case KIND_INT64:
        if (!parse_int(value, st->min, st->max, &v))
            goto bad;
        if (st->kind == KIND_INT)
            *(int *)(void *)base = (int)v;
        else
            *(int64_t *)(void *)base = v;
        return true;
    case KIND_SECONDS:
        if (!parse_seconds(value, st->min, st->max, &v))
            goto bad;
        *(int *)(void *)base = (int)v;
        return true;
    }
bad:
    say_invalid(st, origin, cmd);
    return false;
}

/* A value the environment or a flag gave: the setting is no longer at its default. */
static bool
give(struct config *cfg, const struct setting *st, const char *value, const char *origin,
     const char *cmd)
{
    cfg->at_default[st - settings] = false;
    return assign(cfg, st, value, origin, cmd);
}

static const struct setting *
find_flag(const char *name, size_t len)
{
    for (size_t i = 0; i < N_SETTINGS; i++)
        if (strlen(settings[i].flag) == len && strncmp(settings[i].flag, name, len) == 0)
            return &settings[i];
    return NULL;
}

static bool
apply_flags(struct config *cfg, const char *cmd, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "%s: unexpected argument '%s' (see recours %s --help)\n", cmd, arg,
                    cmd);
            return false;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        const struct setting *st = find_flag(name, len);
        if (st == NULL) {
            fprintf(stderr, "%s: unknown flag --%.*s (see recours %s --help)\n", cmd, (int)len,
                    name, cmd);
            return false;
        }
        const char *value = eq != NULL ? eq + 1 : NULL;
        if (value == NULL && st->kind == KIND_BOOL)
            value = "1";
        if (value == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: --%s needs a value\n", cmd, st->flag);
                return false;
            }
            value = argv[++i];
        }
        if (!give(cfg, st, value, "flag", cmd))
            return false;
    }
    return true;
}

/* Without --public-url, links point at this server as started: a fixed default
 * (https://localhost:8443) sent the emails of `./scripts/run --port 9443` to a port nobody
 * listened on. */
static void
derive_public_url(struct config *cfg)
{
    if (cfg->public_url != NULL && cfg->public_url[0] != '\0')
        return;
    char url[64];
    snprintf(url, sizeof url, "%s://localhost:%d", cfg->plain_http ? "http" : "https", cfg->port);
    free(cfg->public_url);
    cfg->public_url = xstrdup(url);
}

bool
config_load(struct config *cfg, const char *cmd, int argc, char **argv)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const struct setting *st = &settings[i];
        if (st->def != NULL && !assign(cfg, st, st->def, "default", cmd))
            return false;
        cfg->at_default[i] = true;
        const char *env = getenv(st->env);
        if (env != NULL && env[0] != '\0' && !give(cfg, st, env, st->env, cmd))
            return false;
    }
    if (!apply_flags(cfg, cmd, argc, argv))
        return false;
    derive_public_url(cfg);
    return true;
}

bool
config_is_default(const struct config *cfg, const char *flag)
{
    const struct setting *st = find_flag(flag, strlen(flag));

    return st != NULL && cfg->at_default[st - settings];
}

const char *
config_mail_sender_name(const struct config *cfg)
{
    return config_is_default(cfg, "operator-name") ? NULL : cfg->operator_name;
}

void
config_free(struct config *cfg)
{
    for (size_t i = 0; i < N_SETTINGS; i++) {
        if (settings[i].kind != KIND_STRING)
            continue;
        char **slot = (char **)(void *)((char *)cfg + settings[i].offset);
        if (*slot != NULL && (settings[i].offset == OFF(database_url) ||
                              settings[i].offset == OFF(database_read_url)))
            explicit_bzero(*slot, strlen(*slot)); /* may hold a password */
        free(*slot);
        *slot = NULL;
    }
}

void
config_print_help(void)
{
    printf("%-28s %-32s %-18s %s\n", "flag", "environment", "default", "meaning");
    for (size_t i = 0; i < N_SETTINGS; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "--%s", settings[i].flag);
        printf("%-28s %-32s %-18s %s\n", flag, settings[i].env,
               settings[i].def != NULL ? settings[i].def : "-", settings[i].help);
    }
}
