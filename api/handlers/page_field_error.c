/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A field error's message in the page's language (page_field_error.h). */
#include "handlers/page_field_error.h"

#include <stdio.h>
#include <string.h>

#include "web/catalogue.h"
#include "web/escape.h"

static bool
has_key(const struct web_ctx *w, const char *key)
{
    return strcmp(web_t(w->cat, w->lang, key), key) != 0;
}

/* A field's name as a message shows it: at most FIELD_SHOWN code points, then "…" (a
 * forged name can be long; errors_add may have cut it inside a code point, which is dropped). */
#define FIELD_SHOWN 40

static const char *
field_shown(const char *field, char *buf, size_t size)
{
    size_t n = strlen(field), end = 0, points = 0, i = 0;

    while (i < n && points < FIELD_SHOWN) {
        unsigned char c = (unsigned char)field[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + len > n)
            break; /* a code point errors_add cut */
        i += len;
        end = i;
        points++;
    }
    snprintf(buf, size, "%.*s%s", (int)end, field, end < n ? "…" : "");
    return buf;
}

void
page_field_error_message(struct strbuf *sb, const struct web_ctx *w, const struct field_error *e)
{
    char key[160], shown[4 * FIELD_SHOWN + 8];
    size_t n = strcspn(e->field, "[");
    const char *const params[] = {"field", field_shown(e->field, shown, sizeof shown), NULL};

    snprintf(key, sizeof key, "err.%.*s.%s", (int)n, e->field, e->code);
    if (!has_key(w, key))
        snprintf(key, sizeof key, "err.code.%s", e->code);
    if (has_key(w, key))
        web_tf_isolated(sb, w->cat, w->lang, key, params); /* a forged name in its own <bdi> */
    else
        html_text(sb, e->message != NULL ? e->message : e->code);
}
