/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The notice renderer (see notice_render.h). The association's text is never a format: it is
 * copied (text part) or escaped (HTML part), and only http(s) addresses become links, shown as
 * their own text. */
#include "mail/notice_render.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "mail/words.h"


/* Length of the http(s) address at p, its trailing punctuation left out; 0 if none starts here. */
static size_t
url_at(const char *p)
{
    size_t n = 0;

    if (strncmp(p, "https://", 8) != 0 && strncmp(p, "http://", 7) != 0)
        return 0;
    while (p[n] != '\0' && (unsigned char)p[n] > ' ' && strchr("<>\"'", p[n]) == NULL)
        n++;
    while (n > 0 && strchr(".,;:!?)]", p[n - 1]) != NULL)
        n--;
    return n > 8 ? n : 0;
}

/* s[0..n) escaped for HTML, its addresses as links and its line breaks as <br>. */
static void
html_inline(const char *s, size_t n, struct strbuf *out)
{
    struct strbuf chunk = {0};

    for (size_t i = 0; i < n;) {
        size_t u = url_at(s + i);
        if (u > n - i)
            u = n - i;
        if (u > 0 || s[i] == '\n') {
            mail_html_escape(chunk.data != NULL ? chunk.data : "", out);
            strbuf_free(&chunk);
            chunk = (struct strbuf){0};
        }
        if (u > 0) {
            char *url = xstrndup(s + i, u);
            mail_html_link(url, out);
            free(url);
            i += u;
        } else if (s[i] == '\n') {
            strbuf_puts(out, "<br>\n");
            i++;
        } else {
            strbuf_append(&chunk, s + i, 1);
            i++;
        }
    }
    mail_html_escape(chunk.data != NULL ? chunk.data : "", out);
    strbuf_free(&chunk);
}

/* The association's body: paragraphs are separated by blank lines. */
static void
html_body(const char *body, struct strbuf *out)
{
    const char *p = body;

    while (*p != '\0') {
        while (*p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            break;
        const char *end = strstr(p, "\n\n");
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        strbuf_puts(out, "<p>");
        html_inline(p, n, out);
        strbuf_puts(out, "</p>\n");
        p += n;
    }
}

/* Who sends it, about which action, and to which claim. */
static void
sender_lines(struct mail_rendered *r, enum mail_lang l, const struct notice_mail *n)
{
    strbuf_printf(&r->text, "-- \n%s%s%s%s%s\n%s%s\n\n", mail_words.notice_from_before[l],
                  n->association_name, mail_words.notice_from_between[l], n->action_title,
                  mail_words.notice_from_after[l], mail_words.notice_reference[l], n->reference);
    strbuf_puts(&r->html, "<hr>\n<p>");
    mail_html_escape(mail_words.notice_from_before[l], &r->html);
    strbuf_puts(&r->html, "<strong>");
    mail_html_escape(n->association_name, &r->html);
    strbuf_puts(&r->html, "</strong>");
    mail_html_escape(mail_words.notice_from_between[l], &r->html);
    mail_html_escape(n->action_title, &r->html);
    mail_html_escape(mail_words.notice_from_after[l], &r->html);
    strbuf_puts(&r->html, "<br>");
    mail_html_escape(mail_words.notice_reference[l], &r->html);
    strbuf_puts(&r->html, "<strong>");
    mail_html_escape(n->reference, &r->html);
    strbuf_puts(&r->html, "</strong></p>\n");
}

void
mail_render_notice(const struct notice_mail *n, struct mail_rendered *out)
{
    enum mail_lang l = mail_lang_of(n->lang);

    strbuf_puts(&out->subject, n->subject);
    mail_html_start(mail_lang_code(l), n->subject, &out->html);
    strbuf_printf(&out->text, "%s\n\n", n->body);
    html_body(n->body, &out->html);
    sender_lines(out, l, n);
    mail_page_link(out, mail_words.notice_my_claim[l], n->my_claim_url, mail_lang_code(l));
    if (n->stop_url != NULL)
        mail_link(out, mail_words.notice_stop[l], n->stop_url);
    else
        mail_para(out, mail_words.notice_essential[l]);
    mail_para(out, mail_words.no_token_note[l]);
    mail_signature(out, l, n->sender_name);
    strbuf_puts(&out->html, "</body>\n</html>\n");
}
