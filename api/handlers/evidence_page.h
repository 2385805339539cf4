/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evidence on /my-claim without JavaScript (docs/evidence.md §3, docs/web-forms.md): the
 * section of the claim page (the files, a remove button each, a file input) and the
 * multipart/form-data post it sends, POST /my-claim/evidence, read as it arrives
 * (http/multipart.h): the reference and token fields come first in the form, so the upload
 * is admitted (or refused) before the file's bytes, which go to the upload chunk by chunk.
 * With JavaScript (web/static/evidence.js) the same section uploads through the API with a
 * progress bar. */
#ifndef RECOURS_HANDLERS_EVIDENCE_PAGE_H
#define RECOURS_HANDLERS_EVIDENCE_PAGE_H

#include "core/strbuf.h"
#include "http/body_stream.h"
#include "http/reply.h"
#include "http/request.h"
#include "service/evidence.h"
#include "web/layout.h"

/* The streamed route's entries (routes.c). */
int64_t evidence_form_limit(const void *app);
bool evidence_form_open(struct request *rq, struct body_sink *sink, struct reply *refusal);

/* The claim's files for its page (NULL when the claim takes no evidence and has none, or
 * they cannot be read: the page then shows no section). */
const struct evidence_list *evidence_page_list(struct request *rq, const char *reference,
                                               const char *token);

/* The section of the claim page. dropped: the name of a file chosen on the page before, not
 * attached, which its language switch forgot (web/static/evidence.js posts it), or NULL.
 * refused: the catalogue key of why the file just posted was not attached (the page answering
 * it without JavaScript), said beside the file input with, when a file was chosen, that it
 * must be chosen again (no page can fill a file input); NULL: none. withdrawn: the claim is
 * withdrawn (its files are listed, to be erased with it). */
void evidence_section(struct strbuf *sb, const struct web_ctx *w, const struct evidence_list *l,
                      const char *reference, const char *token, const char *dropped,
                      const char *refused, bool withdrawn);

/* A file's size or the limit as the section says it: "10 MB", "2.5 MB", "12 KB"; in French
 * "10 Mo", "2,5 Mo", "12 Ko" (the French units), the number and its unit never on two lines;
 * no ",0" after a round limit. */
void evidence_size_text(struct strbuf *sb, const struct web_ctx *w, int64_t bytes);

/* What a page answering POST /my-claim/evidence said, named by the word its language switch
 * posts to /my-claim (`done`, with form=open): the claim opens in the other language saying
 * it again, a refusal with its status and its reason beside the file input. */
struct evidence_said {
    const char *done; /* "evidence_added", "evidence_type", … */
    const char *key;  /* the message's catalogue key */
    int status;       /* the page's */
    bool refused;     /* an error, said beside the file input too */
};

/* The result named done, or NULL for a word that is none of them. */
const struct evidence_said *evidence_said_named(const char *done);

#endif
