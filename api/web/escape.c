/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The escapers of escape.h. Runs of bytes that need nothing are appended in one call, so a
 * long text costs one memcpy per entity, not one per byte. */
#include "web/escape.h"

#include <stdbool.h>
#include <string.h>

/* Appends s, replacing each byte in `special` by its entity from `entity_of`. */
static void
escape_with(struct strbuf *sb, const char *s, const char *special,
            const char *(*entity_of)(char c))
{
    const char *run = s;

    if (s == NULL)
        return;
    for (const char *p = s; *p != '\0'; p++) {
        if (strchr(special, *p) == NULL)
            continue;
        strbuf_append(sb, run, (size_t)(p - run));
        strbuf_puts(sb, entity_of(*p));
        run = p + 1;
    }
    strbuf_puts(sb, run);
}

static const char *
entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    default: /* '\'' */
        return "&#39;";
    }
}

void
html_text(struct strbuf *sb, const char *s)
{
    escape_with(sb, s, "&<>", entity);
}

void
html_isolated(struct strbuf *sb, const char *s)
{
    strbuf_puts(sb, "<bdi>");
    html_text(sb, s);
    strbuf_puts(sb, "</bdi>");
}

void
html_attr(struct strbuf *sb, const char *s)
{
    escape_with(sb, s, "&<>\"'", entity);
}

void
html_hidden(struct strbuf *sb, const char *name, const char *value)
{
    strbuf_puts(sb, "<input type=\"hidden\" name=\"");
    html_attr(sb, name);
    strbuf_puts(sb, "\" value=\"");
    html_attr(sb, value != NULL ? value : "");
    strbuf_puts(sb, "\">\n");
}

static bool
unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void
url_component(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s;

    if (s == NULL)
        return;
    for (const char *p = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (unreserved(c))
            continue;
        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
        strbuf_append(sb, run, (size_t)(p - run));
        strbuf_append(sb, enc, sizeof enc);
        run = p + 1;
    }
    strbuf_puts(sb, run);
}

void
web_escape(struct strbuf *sb, enum web_context ctx, const char *s)
{
    switch (ctx) {
    case WEB_TEXT:
        html_text(sb, s);
        return;
    case WEB_ATTR:
        html_attr(sb, s);
        return;
    case WEB_URL:
        url_component(sb, s);
        return;
    }
}
