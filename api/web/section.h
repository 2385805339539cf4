/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The opening of a page's section headed by a catalogue text, the part every server-rendered
 * page repeats: the heading's id labels the section for assistive technologies. */
#ifndef RECOURS_WEB_SECTION_H
#define RECOURS_WEB_SECTION_H

#include "core/strbuf.h"
#include "web/layout.h"

/* <section[ id="id"][ class="cls"] aria-labelledby="heading_id">\n<h2 id="heading_id">
 * (the text of key)</h2>\n; id and cls may be NULL. The caller closes with </section>. */
void web_section_begin(struct strbuf *sb, const struct web_ctx *w, const char *id,
                       const char *cls, const char *heading_id, const char *key);

#endif
