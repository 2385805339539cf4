/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Configuration: defaults, then environment (RECOURS_*, DATABASE_URL), then flags.
 * One table in config.c lists every setting once; README.md documents the same table. */
#ifndef RECOURS_CORE_CONFIG_H
#define RECOURS_CORE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* Room for config.c's table of settings (a static assertion there keeps it enough). */
#define CONFIG_SETTINGS_MAX 96

struct config {
    char *database_url;        /* DATABASE_URL, --database-url */
    char *database_read_url;   /* RECOURS_DATABASE_READ_URL, --database-read-url ("": none) */
    char *listen_address;      /* RECOURS_LISTEN, --listen (default 127.0.0.1) */
    int port;                  /* RECOURS_PORT, --port (default 8443) */
    bool plain_http;           /* RECOURS_PLAIN_HTTP=1, --plain-http: no TLS, behind a proxy */
    char *tls_cert_path;       /* RECOURS_TLS_CERT, --tls-cert (default var/tls/cert.pem) */
    char *tls_key_path;        /* RECOURS_TLS_KEY, --tls-key (default var/tls/key.pem) */
    char *secrets_dir;         /* RECOURS_SECRETS_DIR, --secrets-dir (default var/secrets) */
    char *migrations_dir;      /* RECOURS_MIGRATIONS_DIR, --migrations-dir (default db-migrations) */
    char *web_dir;             /* RECOURS_WEB_DIR, --web-dir (default web) */
    int workers;               /* RECOURS_WORKERS, --workers */
    int64_t max_body_bytes;    /* RECOURS_MAX_BODY_BYTES, --max-body-bytes (65536) */
    int64_t max_header_bytes;  /* RECOURS_MAX_HEADER_BYTES, --max-header-bytes (32768) */
    int max_connections;       /* RECOURS_MAX_CONNECTIONS, --max-connections */
    int max_connections_per_ip;/* RECOURS_MAX_CONNECTIONS_PER_IP, --max-connections-per-ip */
    int connection_timeout_s;  /* RECOURS_CONNECTION_TIMEOUT, --connection-timeout (seconds) */
    int db_statement_timeout_ms; /* RECOURS_DB_STATEMENT_TIMEOUT_MS, --db-statement-timeout-ms */
    int db_connect_timeout_s;  /* RECOURS_DB_CONNECT_TIMEOUT, --db-connect-timeout (seconds) */
    int shutdown_grace_s;      /* RECOURS_SHUTDOWN_GRACE, --shutdown-grace (seconds) */
    int rotate_wait_s;         /* RECOURS_ROTATE_WAIT, --rotate-wait (seconds) */
    int intake_writers;        /* RECOURS_INTAKE_WRITERS, --intake-writers (group-commit writers) */
    int rate_limit_burst;      /* RECOURS_RATE_LIMIT_BURST: public POSTs per client IP, bucket */
    int rate_limit_per_s;      /* RECOURS_RATE_LIMIT_PER_S: refill per second */
    char *trusted_proxies;     /* RECOURS_TRUSTED_PROXIES: comma-separated IPs allowed to set X-Forwarded-For */
    int withdrawn_retention_days; /* RECOURS_WITHDRAWN_RETENTION_DAYS, --withdrawn-retention-days (30) */
    int summary_exact_groups;  /* RECOURS_SUMMARY_EXACT_GROUPS, --summary-exact-groups (1000) */
    int summary_fold_interval_ms; /* RECOURS_SUMMARY_FOLD_INTERVAL_MS (1000; 0: no fold thread) */
    int erasure_interval_ms;   /* RECOURS_ERASURE_INTERVAL_S, --erasure-interval (in s: 3600) */
    /* the operator and its host, shown in every page's footer, /legal and /privacy
     * (docs/decisions.md "Public pages"; README.md table) */
    char *public_url;          /* RECOURS_PUBLIC_URL, --public-url: canonical, shared and email links */
    char *operator_name;       /* RECOURS_OPERATOR_NAME */
    char *operator_address;    /* RECOURS_OPERATOR_ADDRESS */
    char *operator_email;      /* RECOURS_OPERATOR_EMAIL */
    char *operator_registration; /* RECOURS_OPERATOR_REGISTRATION (SIREN, RNA, ...) */
    char *publication_director; /* RECOURS_PUBLICATION_DIRECTOR */
    char *dpo_email;           /* RECOURS_DPO_EMAIL: privacy requests ("" → operator email) */
    char *host_name;           /* RECOURS_HOST_NAME */
    char *host_address;        /* RECOURS_HOST_ADDRESS */
    int claim_retention_months; /* RECOURS_CLAIM_RETENTION_MONTHS: after the action ends */

    int correction_days;       /* RECOURS_CORRECTION_DAYS, --correction-days (14) */
    /* risk flags (docs/risk.md) */
    int risk_network_max_per_hour; /* RECOURS_RISK_NETWORK_MAX_PER_HOUR (20) */
    int risk_address_max;      /* RECOURS_RISK_ADDRESS_MAX (5) */
    int risk_unconfirmed_days; /* RECOURS_RISK_UNCONFIRMED_DAYS (7) */
    int risk_network_retention_hours; /* RECOURS_RISK_NETWORK_RETENTION_HOURS (48) */
    int risk_interval_ms;      /* RECOURS_RISK_INTERVAL_S, --risk-interval (in s: 60) */
    char *risk_domains_file;   /* RECOURS_RISK_DOMAINS_FILE (data/disposable_domains.txt) */
    char *privacy_notice_version; /* RECOURS_PRIVACY_NOTICE_VERSION (default 2026-01) */
    int evidence_max_files;    /* RECOURS_EVIDENCE_MAX_FILES, --evidence-max-files (5) */
    int64_t evidence_max_bytes; /* RECOURS_EVIDENCE_MAX_BYTES, --evidence-max-bytes (10 MiB) */
    /* email (docs/mail.md): no --smtp-url writes .eml files under --mail-dir instead */
    char *smtp_url;            /* RECOURS_SMTP_URL, --smtp-url (smtp:// or smtps://; "" none) */
    char *smtp_user;           /* RECOURS_SMTP_USER, --smtp-user ("" no AUTH) */
    char *smtp_password_file;  /* RECOURS_SMTP_PASSWORD_FILE, --smtp-password-file */
    char *smtp_ca_file;        /* RECOURS_SMTP_CA_FILE, --smtp-ca-file ("" system CAs) */
    char *mail_from;           /* RECOURS_MAIL_FROM, --mail-from */
    char *mail_reply_to;       /* RECOURS_MAIL_REPLY_TO, --mail-reply-to ("" none) */
    char *mail_dir;            /* RECOURS_MAIL_DIR, --mail-dir (default var/mail) */
    int mail_give_up_after_s;  /* RECOURS_MAIL_GIVE_UP_AFTER, --mail-give-up-after (seconds) */
    int mail_retry_base_ms;    /* RECOURS_MAIL_RETRY_BASE, --mail-retry-base (in s: 30) */
    int mail_rate;             /* RECOURS_MAIL_RATE, --mail-rate (messages/s, all servers) */
    int mail_senders;          /* RECOURS_MAIL_SENDERS, --mail-senders (threads, default 4) */
    int export_beat_s;         /* RECOURS_EXPORT_BEAT_S, --export-beat (service/exports.h) */
    /* set by config_load, by row of config.c's table: true for a setting neither the environment
     * nor a flag gave (config_is_default); false in a zeroed struct */
    bool at_default[CONFIG_SETTINGS_MAX];
};

/* Fills *cfg from defaults, the environment, then argv (flags of the form --name value or
 * --name=value; --plain-http takes no value). Unknown flags and bad numbers are reported on
 * stderr, one line naming the command cmd ("serve: unknown flag --frob (see recours serve
 * --help)"), and make it return false. Strings are heap copies owned by cfg. */
bool config_load(struct config *cfg, const char *cmd, int argc, char **argv);

/* Whether the setting of that flag (without "--": "operator-email") was left at its default by
 * config_load: the pages say an operator's setting left unset in their language. False for a
 * flag not in the table. */
bool config_is_default(const struct config *cfg, const char *flag);

/* Who signs and sends the messages: the --operator-name that was set, NULL when it was left at
 * its default (the messages then say "recours", mail/compose.h). The sender of every message
 * and of a notice's preview, so that an association previews what its members receive. */
const char *config_mail_sender_name(const struct config *cfg);

/* Releases what config_load allocated; accepts a zeroed struct. */
void config_free(struct config *cfg);

/* Prints the table of settings (flag, environment variable, default, meaning). */
void config_print_help(void);

#endif
