/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The frame of every server-rendered page: <head> (title, description, canonical URL and its
 * language alternates, OpenGraph and Twitter card tags when asked, the stylesheet), the
 * header with the menu and the language switch that keeps the page, and the footer with the
 * operator's identity and contact from configuration (api/core/config.c). No script: the
 * pages work without JavaScript; a page that wants one names it in web_page.script. */
#ifndef RECOURS_WEB_LAYOUT_H
#define RECOURS_WEB_LAYOUT_H

#include <stdbool.h>

#include "core/config.h"
#include "core/strbuf.h"
#include "web/catalogue.h"
#include "web/lang.h"

/* What every page needs to write anything: strings, settings, language. */
struct web_ctx {
    const struct web_catalogue *cat;
    const struct config *cfg;
    enum web_lang lang;
    /* the page answers its language switch (a post naming switch_lang): the switch's button
     * of this language has the focus, where the person was, rather than the page's top */
    bool switched;
};

struct web_page {
    const char *title;       /* plain text; the site name is appended */
    const char *description; /* plain text or NULL */
    const char *path;        /* the page's path as requested ("/a/…"), decoded */
    const char *query_keep;  /* URL-encoded query to keep across the language switch
                              * ("incident=x"), or NULL */
    bool social;             /* OpenGraph + Twitter card tags */
    const char *og_type;     /* "website" when NULL */
    bool noindex;            /* error pages */
    const char *nav_current; /* the menu entry's path to mark aria-current ("/"), or NULL */
    const char *script;      /* "/static/x.js" (module) or NULL */
    bool h1;                 /* the title is also the page's <h1>, first in <main> */
    /* A page that is the answer to a post and holds a secret of it (a claim token): the
     * language switch posts these hidden fields (name, value, …, NULL) to switch_post_path
     * ?lang= instead of linking to path, which would lose what the page holds. */
    const char *switch_post_path;
    const char *const *switch_post;
    /* A page whose form holds what a person typed (the claim form): the id of that form. Each
     * language of the switch is then a button of it (form=, formaction=path?lang=, named
     * switch_lang), which posts what was typed to be shown again in that language; a
     * visually hidden copy of the form's own button comes first in the page, so that Enter
     * in a field still sends the form (a form's first button is the one Enter presses). */
    const char *switch_form;
    bool error;              /* the page answers with errors: the <title> (not the <h1>)
                              * starts with "Error: ", the first words a screen reader says
                              * when nothing moves the focus (no JavaScript) */
};

/* Appends path with each segment through url_component ("/a/x y" → "/a/x%20y"). */
void web_path(struct strbuf *sb, const char *path);

/* The absolute URL of path in lang: <public-url><path>, with "?lang=en" for English (French
 * is the default language and has the bare URL). */
void web_absolute_url(struct strbuf *sb, const struct web_ctx *w, const char *path,
                      enum web_lang lang);

/* Everything up to and including <main>. */
void web_layout_begin(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p);

/* </main>, the footer, </html>. */
void web_layout_end(struct strbuf *sb, const struct web_ctx *w);

#endif
