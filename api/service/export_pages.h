/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An export's members page by page, in submission order (db/exports.h), as a pipeline on the calling
 * thread's read connection: when a page is handed out, the statement for the one after it is
 * already sent, so PostgreSQL reads those rows while the caller opens and formats this page.
 * Each _next is paired with a _done within the same call of the caller's stream, on the same
 * thread: in between, a statement is in flight on the thread's connection; after _done,
 * nothing is, and the connection serves other requests until the next pair. At most two pages
 * are held (the one handed out and the one read meanwhile), each one PostgreSQL result read
 * in place: no copy and no allocation per member. */
#ifndef RECOURS_SERVICE_EXPORT_PAGES_H
#define RECOURS_SERVICE_EXPORT_PAGES_H

#include "core/outcome.h"
#include "db/exports.h"

struct export_pages;

/* A reader of action_id's members, page_rows at a time (copies action_id). */
struct export_pages *svc_export_pages_new(const char *action_id, int page_rows);

/* The next page: *m_out, *n_out members (0 once every member was handed out), valid until
 * the next _next or _free. Whatever it answers, call _done before the stream's call returns. */
enum outcome svc_export_pages_next(struct export_pages *p, const struct export_member **m_out,
                                   int *n_out);

/* Receives the page read meanwhile, if one was sent, and leaves the connection idle. */
enum outcome svc_export_pages_done(struct export_pages *p);

/* Accepts NULL. */
void svc_export_pages_free(struct export_pages *p);

#endif
