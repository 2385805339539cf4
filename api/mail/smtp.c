/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The SMTP client: one libcurl easy handle kept by the sender across messages, so that its
 * connection to the relay is reused (a notice to thousands of members goes out at hundreds of
 * messages a second; libcurl drops a connection idle for longer than CURLOPT_MAXAGE_CONN, 118 s
 * by default, and reconnects). After a failure the handle is dropped: the next message starts
 * on a fresh connection. Every transfer is bounded in time, and CURLOPT_NOSIGNAL keeps
 * libcurl's resolver from using signals in a threaded server. */
#include "mail/transport.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mail_smtp {
    CURL *h; /* NULL until the first message, and after a failure */
};

struct reader {
    const char *data;
    size_t left;
};

static size_t
read_payload(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct reader *r = arg;
    size_t n = size * nmemb < r->left ? size * nmemb : r->left;

    memcpy(buf, r->data, n);
    r->data += n;
    r->left -= n;
    return n;
}

bool
mail_transport_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void
mail_transport_cleanup(void)
{
    curl_global_cleanup();
}

static bool
has_text(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* The options of one transfer; false if libcurl refused one (a build without SMTP or TLS). */
static bool
set_options(CURL *h, const struct mail_relay *r, const char *from, struct curl_slist *rcpt,
            struct reader *rd)
{
    bool ok = curl_easy_setopt(h, CURLOPT_URL, r->url) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps") == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L) == CURLE_OK &&
              /* a user means AUTH: never send the password without TLS */
              curl_easy_setopt(h, CURLOPT_USE_SSL,
                               has_text(r->user) ? (long)CURLUSESSL_ALL
                                                 : (long)CURLUSESSL_TRY) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_MAIL_FROM, from) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_READFUNCTION, read_payload) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_READDATA, rd) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)rd->left) == CURLE_OK;
    if (ok && has_text(r->user))
        ok = curl_easy_setopt(h, CURLOPT_USERNAME, r->user) == CURLE_OK &&
             curl_easy_setopt(h, CURLOPT_PASSWORD, r->password != NULL ? r->password : "") ==
                 CURLE_OK;
    if (ok && has_text(r->ca_file))
        ok = curl_easy_setopt(h, CURLOPT_CAINFO, r->ca_file) == CURLE_OK;
    return ok;
}

struct mail_smtp *
mail_smtp_new(void)
{
    return calloc(1, sizeof(struct mail_smtp));
}

void
mail_smtp_free(struct mail_smtp *s)
{
    if (s == NULL)
        return;
    curl_easy_cleanup(s->h);
    free(s);
}

bool
mail_smtp_send(struct mail_smtp *s, const struct mail_relay *r, const char *from,
               const char *to, const char *payload, size_t n, char *reason_out, size_t reason_n)
{
    struct reader rd = {payload, n};
    struct curl_slist *rcpt = NULL;
    bool ok = false;

    if (s->h == NULL)
        s->h = curl_easy_init();
    else
        curl_easy_reset(s->h); /* the options go; the live connection stays */
    CURL *h = s->h;
    if (h == NULL) {
        snprintf(reason_out, reason_n, "could not make a libcurl handle");
        goto cleanup;
    }
    rcpt = curl_slist_append(NULL, to);
    if (rcpt == NULL || !set_options(h, r, from, rcpt, &rd)) {
        snprintf(reason_out, reason_n, "libcurl refused an SMTP option");
        goto cleanup;
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        long code = 0;
        /* curl's message and the reply code only: the relay's own text may quote the
         * recipient's address */
        if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
            code = 0;
        snprintf(reason_out, reason_n, "smtp: %s (reply %ld)", curl_easy_strerror(rc), code);
        goto cleanup;
    }
    ok = true;
cleanup:
    curl_slist_free_all(rcpt);
    if (!ok && s->h != NULL) {
        curl_easy_cleanup(s->h);
        s->h = NULL;
    }
    return ok;
}
