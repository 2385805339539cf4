/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The marks of a page of web/ filled in the reader's language (static_page.h). One pass over
 * the file: text and comments copied, each start tag read attribute by attribute. */
#include "web/static_page.h"

#include <string.h>
#include <strings.h>

#include "web/escape.h"

/* A catalogue key is short ("ws.sort.newest"); a longer mark is left as it is. */
#define KEY_MAX 128

static bool
is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static bool
is_name(const char *s, size_t n, const char *name)
{
    return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/* key[0..KEY_MAX) from s[0..n) without its surrounding spaces; false when empty or longer. */
static bool
copy_key(char key[KEY_MAX], const char *s, size_t n)
{
    while (n > 0 && is_space(s[0])) {
        s++;
        n--;
    }
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0 || n >= KEY_MAX)
        return false;
    memcpy(key, s, n);
    key[n] = '\0';
    return true;
}

/* The index of the '>' ending the start tag at html[at] ('<'), quotes respected, or len when
 * the page ends first. */
static size_t
tag_end(const char *html, size_t len, size_t at)
{
    char quote = 0;

    for (size_t i = at + 1; i < len; i++) {
        if (quote != 0) {
            if (html[i] == quote)
                quote = 0;
        } else if (html[i] == '"' || html[i] == '\'') {
            quote = html[i];
        } else if (html[i] == '>') {
            return i;
        }
    }
    return len;
}

/* " attr=\"text\"" for each "attr:key" of a data-i18n-attr value ("aria-label:nav.label"). */
static void
put_attributes(struct strbuf *out, const struct web_catalogue *c, enum web_lang lang, const char *v,
               size_t n)
{
    size_t i = 0;

    while (i < n) {
        const char *pair = v + i;
        const char *semi = memchr(pair, ';', n - i);
        size_t plen = semi != NULL ? (size_t)(semi - pair) : n - i;
        const char *colon = memchr(pair, ':', plen);
        char attr[KEY_MAX], key[KEY_MAX];

        i += plen + (semi != NULL ? 1 : 0);
        if (colon == NULL || !copy_key(attr, pair, (size_t)(colon - pair)) ||
            !copy_key(key, colon + 1, plen - (size_t)(colon - pair) - 1))
            continue;
        strbuf_printf(out, " %s=\"", attr);
        html_attr(out, web_t(c, lang, key));
        strbuf_puts(out, "\"");
    }
}

/* Copies the start tag tag[0..n) (from '<', without its '>'), its language set when it is
 * <html>, the attributes of a data-i18n-attr added; the key of its data-i18n, if any, in
 * text_key (else ""). */
static void
fill_tag(struct strbuf *out, const struct web_catalogue *c, enum web_lang lang, const char *tag,
         size_t n, char text_key[KEY_MAX])
{
    size_t i = 1;

    text_key[0] = '\0';
    while (i < n && !is_space(tag[i]) && tag[i] != '/')
        i++;
    bool html = is_name(tag + 1, i - 1, "html");
    strbuf_append(out, tag, i);
    while (i < n) {
        size_t start = i;
        while (i < n && (is_space(tag[i]) || tag[i] == '/'))
            i++;
        size_t name = i;
        while (i < n && !is_space(tag[i]) && tag[i] != '=' && tag[i] != '/')
            i++;
        size_t name_len = i - name;
        const char *value = NULL;
        size_t value_len = 0;
        if (i < n && tag[i] == '=') {
            i++;
            char quote = i < n && (tag[i] == '"' || tag[i] == '\'') ? tag[i++] : 0;
            value = tag + i;
            while (i < n && (quote != 0 ? tag[i] != quote : !is_space(tag[i])))
                i++;
            value_len = (size_t)(tag + i - value);
            if (quote != 0 && i < n)
                i++;
        }
        if (html && value != NULL && is_name(tag + name, name_len, "lang")) {
            strbuf_append(out, tag + start, name - start);
            strbuf_printf(out, "lang=\"%s\"", web_lang_code(lang));
            continue;
        }
        strbuf_append(out, tag + start, i - start);
        if (value != NULL && is_name(tag + name, name_len, "data-i18n") &&
            !copy_key(text_key, value, value_len))
            text_key[0] = '\0';
        if (value != NULL && is_name(tag + name, name_len, "data-i18n-attr"))
            put_attributes(out, c, lang, value, value_len);
    }
}

void
web_static_page_fill(struct strbuf *out, const struct web_catalogue *c, enum web_lang lang,
                     const char *html, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t at = lt != NULL ? (size_t)(lt - html) : len;
        strbuf_append(out, html + i, at - i);
        i = at;
        if (i == len)
            break;
        if (len - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
            const char *close = memmem(html + i + 4, len - i - 4, "-->", 3);
            size_t end = close != NULL ? (size_t)(close - html) + 3 : len;
            strbuf_append(out, html + i, end - i);
            i = end;
            continue;
        }
        bool start_tag = i + 1 < len && ((html[i + 1] >= 'a' && html[i + 1] <= 'z') ||
                                         (html[i + 1] >= 'A' && html[i + 1] <= 'Z'));
        if (!start_tag) { /* an end tag, <!doctype>, or a "<" of text */
            bool markup = i + 1 < len && (html[i + 1] == '/' || html[i + 1] == '!');
            const char *gt = markup ? memchr(html + i, '>', len - i) : NULL;
            size_t upto = gt != NULL ? (size_t)(gt - html) + 1 : i + 1;
            strbuf_append(out, html + i, upto - i);
            i = upto;
            continue;
        }
        size_t end = tag_end(html, len, i);
        if (end == len) { /* a tag the page leaves open: as it is */
            strbuf_append(out, html + i, len - i);
            break;
        }
        char key[KEY_MAX];
        fill_tag(out, c, lang, html + i, end - i, key);
        strbuf_puts(out, ">");
        i = end + 1;
        if (key[0] == '\0')
            continue;
        /* the element's own words, up to its next tag, give way to the catalogue's */
        const char *next = memchr(html + i, '<', len - i);
        i = next != NULL ? (size_t)(next - html) : len;
        html_text(out, web_t(c, lang, key));
    }
}
