/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A section headed by a catalogue text (section.h). Values go through web/escape.h like
 * every other part of a page. */
#include "web/section.h"

#include "web/escape.h"

/* " name=\"value\"" when value is not NULL. */
static void
attribute(struct strbuf *sb, const char *name, const char *value)
{
    if (value == NULL)
        return;
    strbuf_printf(sb, " %s=\"", name);
    web_escape(sb, WEB_ATTR, value);
    strbuf_puts(sb, "\"");
}

void
web_section_begin(struct strbuf *sb, const struct web_ctx *w, const char *id, const char *cls,
                  const char *heading_id, const char *key)
{
    strbuf_puts(sb, "<section");
    attribute(sb, "id", id);
    attribute(sb, "class", cls);
    attribute(sb, "aria-labelledby", heading_id);
    strbuf_puts(sb, ">\n<h2");
    attribute(sb, "id", heading_id);
    strbuf_puts(sb, ">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</h2>\n");
}
