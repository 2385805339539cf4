/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Message composition. Bodies go in base64 so that no line ever exceeds the 998 octets of
 * RFC 5322 and no relay rewrites them; the boundary contains "=_", which base64 never does. */
#include "mail/compose.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "crypto/random.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of in[0..n) without line breaks. */
static void
base64(const unsigned char *in, size_t n, struct strbuf *out)
{
    char q[4];

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64[v & 63] : '=';
        strbuf_append(out, q, 4);
    }
}

/* Base64 body lines of 76 characters (57 input bytes), CRLF ended. */
static void
base64_body(const char *s, size_t n, struct strbuf *out)
{
    for (size_t i = 0; i < n; i += 57) {
        base64((const unsigned char *)s + i, n - i < 57 ? n - i : 57, out);
        strbuf_puts(out, "\r\n");
    }
}

/* Appends s with every line ended by CRLF, whether it came with LF or CRLF: text goes into
 * base64 in its canonical form (RFC 2045 6.8, RFC 2046 4.1.1), so that a reader decoding it
 * finds the line ends of a text part whatever the platform (an association's notice may carry
 * either). */
static void
canonical_lines(const char *s, struct strbuf *out)
{
    const char *p = s;

    for (const char *lf = strchr(p, '\n'); lf != NULL; lf = strchr(p, '\n')) {
        size_t n = (size_t)(lf - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        strbuf_append(out, p, n);
        strbuf_puts(out, "\r\n");
        p = lf + 1;
    }
    strbuf_puts(out, p);
}

static bool
is_plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p > 0x7e)
            return false;
    return strstr(s, "=?") == NULL;
}

/* Appends a plain ASCII subject folded (CRLF before a space) so that its lines keep to the 78
 * characters RFC 5322 2.1.1 asks for, "Subject: " counted: an association's subject may be
 * 200 characters long. A word longer than a line stays whole (998 is the hard limit). */
static void
fold_plain(const char *s, struct strbuf *out)
{
    const size_t start = strlen("Subject: ");
    size_t col = start;

    for (const char *p = s; *p != '\0';) {
        const char *space = strchr(p + 1, ' ');
        size_t w = space != NULL ? (size_t)(space - p) : strlen(p);
        /* never at the first word: a folded line holds more than white space */
        if (*p == ' ' && col > start && col + w > 78) {
            strbuf_puts(out, "\r\n");
            col = 0;
        }
        strbuf_append(out, p, w);
        col += w;
        p += w;
    }
}

/* Appends s[0..n) as =?UTF-8?B?…?= words of at most 75 characters, folded with CRLF SP, never
 * splitting a UTF-8 sequence (RFC 2047 5, 6.3: a reader joins adjacent words without the
 * space between them). */
static void
encoded_words(const char *s, size_t n, struct strbuf *out)
{
    /* 75 - strlen("=?UTF-8?B??=") leaves 63 characters: 45 bytes make 60 */
    const size_t max_bytes = 45;
    bool first = true;

    for (size_t i = 0; i < n;) {
        size_t take = n - i < max_bytes ? n - i : max_bytes;
        /* back off to the start of a UTF-8 sequence */
        while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xc0) == 0x80)
            take--;
        strbuf_puts(out, first ? "=?UTF-8?B?" : "\r\n =?UTF-8?B?");
        base64((const unsigned char *)s + i, take, out);
        strbuf_puts(out, "?=");
        first = false;
        i += take;
    }
}

void
mail_encode_subject(const char *s, struct strbuf *out)
{
    size_t n = strlen(s);

    if (is_plain_ascii(s) && n <= 900) {
        fold_plain(s, out);
        return;
    }
    encoded_words(s, n, out);
}

/* Words of RFC 5322 atext separated by single spaces: a phrase that goes as it is. */
static bool
is_atom_phrase(const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        unsigned char ch = (unsigned char)*p;
        bool atext = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || strchr("!#$%&'*+-/=?^_`{|}~", ch) != NULL;
        bool inner_space = ch == ' ' && p > s && p[1] != ' ' && p[1] != '\0';
        if (!atext && !inner_space)
            return false;
    }
    return s[0] != '\0';
}

/* The operator's name fit for a header: a control character (a CR or LF above all, which would
 * start a header of the setting's making) becomes a space, the spaces at either end go, and at
 * most MAIL_DISPLAY_NAME_MAX bytes are kept, cut before a UTF-8 sequence. */
static void
clean_display_name(const char *s, struct strbuf *out)
{
    size_t n = strlen(s);

    while (n > 0 && (unsigned char)s[n - 1] <= ' ')
        n--;
    while (n > 0 && (unsigned char)*s <= ' ') {
        s++;
        n--;
    }
    if (n > MAIL_DISPLAY_NAME_MAX) {
        n = MAIL_DISPLAY_NAME_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        strbuf_append(out, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? " " : s + i, 1);
}

void
mail_sender_name(const char *name, struct strbuf *out)
{
    size_t before = out->len;

    clean_display_name(name != NULL ? name : "", out);
    if (out->len == before)
        strbuf_puts(out, "recours");
}

void
mail_encode_display_name(const char *name, struct strbuf *out)
{
    struct strbuf clean = {0};

    clean_display_name(name != NULL ? name : "", &clean);
    const char *s = clean.data != NULL ? clean.data : "";
    if (s[0] == '\0')
        strbuf_puts(out, "recours");
    else if (!is_plain_ascii(s) || clean.len > 60) /* a long one folds as words */
        encoded_words(s, clean.len, out);
    else if (is_atom_phrase(s))
        strbuf_puts(out, s);
    else { /* a quoted-string: specials as they are, a quote or backslash escaped */
        strbuf_puts(out, "\"");
        for (const char *p = s; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_puts(out, "\\");
            strbuf_append(out, p, 1);
        }
        strbuf_puts(out, "\"");
    }
    strbuf_free(&clean);
}

void
mail_format_date(time_t t, struct strbuf *out)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    /* by hand: strftime's %a and %b follow the locale, RFC 5322 wants English */
    gmtime_r(&t, &tm);
    strbuf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
                  tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
                  tm.tm_min, tm.tm_sec);
}

/* An address fit for a header: printable ASCII, an @, no spaces, no angle brackets. */
static bool
is_fit_address(const char *a)
{
    if (a == NULL || a[0] == '\0' || strlen(a) > 254 || strchr(a, '@') == NULL)
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p != '\0'; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';')
            return false;
    return true;
}

/* A URL fit for a header between angle brackets: printable ASCII without spaces or brackets. */
static bool
is_fit_url(const char *u)
{
    if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p != '\0'; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>')
            return false;
    return strlen(u) <= 900;
}

static void
part(struct strbuf *out, const char *boundary, const char *type, const char *body)
{
    struct strbuf canonical = {0};

    strbuf_printf(out,
                  "--%s\r\n"
                  "Content-Type: %s; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n",
                  boundary, type);
    canonical_lines(body, &canonical);
    base64_body(canonical.data != NULL ? canonical.data : "", canonical.len, out);
    strbuf_free(&canonical);
}

bool
mail_compose(const struct mail_message *m, time_t now, struct strbuf *out)
{
    uint8_t rnd[16];
    char id[sizeof rnd * 2 + 1];
    char boundary[64];

    if (!is_fit_address(m->from) || !is_fit_address(m->to) ||
        (m->list_unsubscribe != NULL && !is_fit_url(m->list_unsubscribe)) ||
        (m->reply_to != NULL && m->reply_to[0] != '\0' && !is_fit_address(m->reply_to)))
        return false;
    if (!random_bytes(rnd, sizeof rnd))
        return false;
    for (size_t i = 0; i < sizeof rnd; i++) {
        id[2 * i] = "0123456789abcdef"[rnd[i] >> 4];
        id[2 * i + 1] = "0123456789abcdef"[rnd[i] & 15];
    }
    id[sizeof id - 1] = '\0';
    snprintf(boundary, sizeof boundary, "=_recours_%s", id);
    /* a display name: a mailbox lists who writes, not a bare address; the operator's name
     * when set (a victim who never heard of recours took it for phishing) */
    strbuf_puts(out, "From: ");
    mail_encode_display_name(m->from_name, out);
    strbuf_printf(out, " <%s>\r\n", m->from);
    if (m->reply_to != NULL && m->reply_to[0] != '\0')
        strbuf_printf(out, "Reply-To: %s\r\n", m->reply_to);
    strbuf_printf(out, "To: %s\r\nSubject: ", m->to);
    mail_encode_subject(m->subject, out);
    strbuf_puts(out, "\r\nDate: ");
    mail_format_date(now, out);
    /* the Message-ID's right side is the sender's domain: ours to make unique */
    strbuf_printf(out, "\r\nMessage-ID: <%s@%s>\r\n", id, strchr(m->from, '@') + 1);
    if (m->list_unsubscribe != NULL)
        strbuf_printf(out,
                      "List-Unsubscribe: <%s>\r\n"
                      "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                      m->list_unsubscribe);
    strbuf_printf(out,
                  "Auto-Submitted: auto-generated\r\n"
                  "Content-Language: %s\r\n"
                  "MIME-Version: 1.0\r\n"
                  "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
                  m->lang, boundary);
    part(out, boundary, "text/plain", m->text);
    part(out, boundary, "text/html", m->html);
    strbuf_printf(out, "--%s--\r\n", boundary);
    return true;
}
