/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the server-rendered pages load once at start from --web-dir: the string catalogue
 * (i18n/<lang>.json) and the privacy notice's versions (privacy/<lang>-<version>.html, with
 * their {placeholders} filled from configuration). Read-only afterwards: any thread may read
 * it. */
#ifndef RECOURS_WEB_SITE_H
#define RECOURS_WEB_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/strbuf.h"
#include "web/catalogue.h"
#include "web/lang.h"

#define WEB_PRIVACY_VERSIONS_MAX 32
#define WEB_PRIVACY_VERSION_LEN 32

struct web_privacy_version {
    char version[WEB_PRIVACY_VERSION_LEN + 1]; /* as in the file name: "2026-01" */
    char *html[WEB_LANG_COUNT];                /* filled body fragment; NULL: none in that
                                                * language (the French one is required) */
};

struct web_site {
    struct web_catalogue *catalogue;
    struct web_privacy_version privacy[WEB_PRIVACY_VERSIONS_MAX]; /* ascending version */
    size_t n_privacy;
    const struct web_privacy_version *privacy_current; /* cfg->privacy_notice_version */
};

/* Loads <cfg->web_dir>/i18n and <cfg->web_dir>/privacy. The privacy version the
 * configuration names (privacy-notice-version) must exist in French. NULL with the reason in
 * why on failure. */
struct web_site *web_site_load(const struct config *cfg, char *why, size_t why_size);

void web_site_free(struct web_site *s);

/* The privacy notice of that version, or NULL. */
const struct web_privacy_version *web_site_privacy(const struct web_site *s, const char *version);

/* The version of the privacy notice in force: the one a claim made now accepts and stores. */
const char *web_site_privacy_current(const struct web_site *s);

/* Replaces each "{name}" of text with the HTML-escaped value of that configuration setting
 * (operator_name, operator_address, operator_email, dpo_email, host_name, host_address,
 * public_url, claim_retention_months, withdrawn_retention_days, operator_registration,
 * publication_director), a default in lang's words (web_setting_plain); an unknown name stays
 * as written. The result is the caller's to free. */
char *web_fill_config(const char *text, const struct config *cfg, const struct web_catalogue *c,
                      enum web_lang lang);

/* A setting's value as a page in lang says it, appended to plain unescaped. flag names the
 * operator's or host's setting value is ("operator-email", core/config.c's table); left at its
 * default (config_is_default), whose English is for the logs and --help, it is said in lang's
 * words: the operator's name as footer.demo_operator ("recours (démonstration)"), another as
 * footer.not_configured ("(à configurer : --operator-email)"). A value given, an empty one, or
 * one without a flag (NULL: a number, the public URL) as it is. */
void web_setting_plain(struct strbuf *plain, const struct web_catalogue *c, enum web_lang lang,
                       const struct config *cfg, const char *flag, const char *value);

#endif
