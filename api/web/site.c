/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Loading the pages' files at start (site.h). */
#include "web/site.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "web/escape.h"
#include "web/text_file.h"

#define PRIVACY_FILE_MAX (256 * 1024)

/* The value of configuration setting name as text, into buf; NULL when unknown. *flag: the
 * operator's or host's setting it shows (web_setting_plain), NULL for the others. */
static const char *
config_value(const struct config *cfg, const char *name, size_t n, char *buf, size_t size,
             const char **flag)
{
    const bool own_dpo = cfg->dpo_email != NULL && cfg->dpo_email[0] != '\0';
    const struct {
        const char *name;
        const char *flag;
        const char *value;
    } strings[] = {
        {"operator_name", "operator-name", cfg->operator_name},
        {"operator_address", "operator-address", cfg->operator_address},
        {"operator_email", "operator-email", cfg->operator_email},
        {"operator_registration", "operator-registration", cfg->operator_registration},
        {"publication_director", "publication-director", cfg->publication_director},
        {"dpo_email", own_dpo ? "dpo-email" : "operator-email",
         own_dpo ? cfg->dpo_email : cfg->operator_email},
        {"host_name", "host-name", cfg->host_name},
        {"host_address", "host-address", cfg->host_address},
        {"public_url", NULL, cfg->public_url},
    };

    *flag = NULL;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strlen(strings[i].name) == n && strncmp(strings[i].name, name, n) == 0) {
            *flag = strings[i].flag;
            return strings[i].value != NULL ? strings[i].value : "";
        }
    if (n == strlen("claim_retention_months") && strncmp(name, "claim_retention_months", n) == 0) {
        snprintf(buf, size, "%d", cfg->claim_retention_months);
        return buf;
    }
    if (n == strlen("withdrawn_retention_days") &&
        strncmp(name, "withdrawn_retention_days", n) == 0) {
        snprintf(buf, size, "%d", cfg->withdrawn_retention_days);
        return buf;
    }
    return NULL;
}

void
web_setting_plain(struct strbuf *plain, const struct web_catalogue *c, enum web_lang lang,
                  const struct config *cfg, const char *flag, const char *value)
{
    char dashed[64];

    if (flag == NULL || value[0] == '\0' || !config_is_default(cfg, flag)) {
        strbuf_puts(plain, value);
        return;
    }
    if (strcmp(flag, "operator-name") == 0) { /* the default operator's name */
        strbuf_puts(plain, web_t(c, lang, "footer.demo_operator"));
        return;
    }
    snprintf(dashed, sizeof dashed, "--%s", flag);
    web_expand(plain, web_t(c, lang, "footer.not_configured"),
               (const char *[]){"flag", dashed, NULL});
}

struct fill {
    const struct config *cfg;
    const struct web_catalogue *catalogue;
    enum web_lang lang;
};

/* The setting name HTML-escaped, for web_fill_config. */
static bool
put_setting(struct strbuf *sb, const char *name, size_t n, const void *ctx)
{
    const struct fill *f = ctx;
    char num[24];
    const char *flag = NULL;
    const char *value = config_value(f->cfg, name, n, num, sizeof num, &flag);
    struct strbuf said = {0};

    if (value == NULL)
        return false;
    web_setting_plain(&said, f->catalogue, f->lang, f->cfg, flag, value);
    html_text(sb, said.data != NULL ? said.data : "");
    strbuf_free(&said);
    return true;
}

char *
web_fill_config(const char *text, const struct config *cfg, const struct web_catalogue *c,
                enum web_lang lang)
{
    struct strbuf sb = {0};
    const struct fill f = {cfg, c, lang};

    web_template(&sb, text, put_setting, &f);
    return strbuf_take(&sb);
}

/* "fr-2026-01.html" → lang fr, version "2026-01"; false for any other name. */
static bool
parse_privacy_name(const char *name, enum web_lang *lang, char *version)
{
    size_t n = strlen(name);
    const char *dash = strchr(name, '-');

    if (dash == NULL || n < 6 || strcmp(name + n - 5, ".html") != 0)
        return false;
    char code[8];
    size_t code_len = (size_t)(dash - name);
    size_t v_len = n - 5 - code_len - 1;
    if (code_len >= sizeof code || v_len == 0 || v_len > WEB_PRIVACY_VERSION_LEN)
        return false;
    memcpy(code, name, code_len);
    code[code_len] = '\0';
    if (!web_lang_parse(code, lang))
        return false;
    memcpy(version, dash + 1, v_len);
    version[v_len] = '\0';
    for (size_t i = 0; i < v_len; i++) {
        char c = version[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '.'))
            return false;
    }
    return true;
}

static struct web_privacy_version *
version_slot(struct web_site *s, const char *version)
{
    for (size_t i = 0; i < s->n_privacy; i++)
        if (strcmp(s->privacy[i].version, version) == 0)
            return &s->privacy[i];
    if (s->n_privacy == WEB_PRIVACY_VERSIONS_MAX)
        return NULL;
    struct web_privacy_version *v = &s->privacy[s->n_privacy++];
    snprintf(v->version, sizeof v->version, "%s", version);
    return v;
}

static int
by_version(const void *a, const void *b)
{
    return strcmp(((const struct web_privacy_version *)a)->version,
                  ((const struct web_privacy_version *)b)->version);
}

static bool
load_privacy(struct web_site *s, const struct config *cfg, char *why, size_t why_size)
{
    char dir[4096];
    DIR *d;
    struct dirent *e;
    bool ok = true;

    snprintf(dir, sizeof dir, "%s/privacy", cfg->web_dir);
    d = opendir(dir);
    if (d == NULL) {
        snprintf(why, why_size, "%s: %s", dir, strerror(errno));
        return false;
    }
    while (ok && (e = readdir(d)) != NULL) {
        enum web_lang lang;
        char version[WEB_PRIVACY_VERSION_LEN + 1];
        if (!parse_privacy_name(e->d_name, &lang, version))
            continue;
        struct web_privacy_version *v = version_slot(s, version);
        char path[4352];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *raw = v != NULL ? web_read_text_file(path, PRIVACY_FILE_MAX, NULL) : NULL;
        if (raw == NULL) {
            snprintf(why, why_size, "%s: %s", path,
                     v == NULL ? "too many privacy versions" : strerror(errno));
            ok = false;
            break;
        }
        v->html[lang] = web_fill_config(raw, cfg, s->catalogue, lang);
        free(raw);
    }
    closedir(d);
    if (!ok)
        return false;
    qsort(s->privacy, s->n_privacy, sizeof s->privacy[0], by_version);
    for (size_t i = 0; i < s->n_privacy; i++) {
        if (s->privacy[i].html[WEB_LANG_FR] == NULL) {
            snprintf(why, why_size, "%s: version %s has no French text (fr-%s.html)", dir,
                     s->privacy[i].version, s->privacy[i].version);
            return false;
        }
    }
    s->privacy_current = web_site_privacy(s, cfg->privacy_notice_version);
    if (s->privacy_current == NULL) {
        snprintf(why, why_size, "%s: no fr-%s.html for privacy-notice-version %s", dir,
                 cfg->privacy_notice_version, cfg->privacy_notice_version);
        return false;
    }
    return true;
}

struct web_site *
web_site_load(const struct config *cfg, char *why, size_t why_size)
{
    struct web_site *s = xcalloc(1, sizeof *s);
    char dir[4096];

    snprintf(dir, sizeof dir, "%s/i18n", cfg->web_dir);
    s->catalogue = web_catalogue_load(dir, why, why_size);
    if (s->catalogue == NULL || !load_privacy(s, cfg, why, why_size)) {
        web_site_free(s);
        return NULL;
    }
    return s;
}

void
web_site_free(struct web_site *s)
{
    if (s == NULL)
        return;
    web_catalogue_free(s->catalogue);
    for (size_t i = 0; i < s->n_privacy; i++)
        for (int l = 0; l < WEB_LANG_COUNT; l++)
            free(s->privacy[i].html[l]);
    free(s);
}

const struct web_privacy_version *
web_site_privacy(const struct web_site *s, const char *version)
{
    for (size_t i = 0; version != NULL && i < s->n_privacy; i++)
        if (strcmp(s->privacy[i].version, version) == 0)
            return &s->privacy[i];
    return NULL;
}

const char *
web_site_privacy_current(const struct web_site *s)
{
    return s->privacy_current->version;
}
