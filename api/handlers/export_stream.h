/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The body of an export for counsel (docs/api.md §12) as a struct reply_stream: the BOM and
 * header (CSV), then the action's members a page at a time in submission order, each page read with
 * one short statement on the worker's own connection when the previous one has been handed
 * to MHD, its personal data opened and written in a page-sized buffer that is wiped before
 * reuse. Memory stays constant whatever the number of members. Every byte handed to MHD is
 * counted and digested (SHA-256); the export record becomes complete, with its audit event,
 * when the last byte has been handed over, and aborted (what was sent so far) when the stream
 * ends any other way. */
#ifndef RECOURS_HANDLERS_EXPORT_STREAM_H
#define RECOURS_HANDLERS_EXPORT_STREAM_H

#include <stdbool.h>

#include "crypto/secrets.h"
#include "http/reply.h"
#include "service/exports.h"

/* What the stream needs; every string is copied, so the request may end first. */
struct export_spec {
    const struct export_record *record; /* just created, streaming */
    const char *actor;                  /* for the audit event */
    const char *currency;               /* the incident's */
    const struct export_awards *awards;
    const struct secrets *secrets; /* a snapshot that stays valid (app.h) */
    bool csv;
    char separator;
    int beat_s; /* --export-beat: seconds between two renewals of the lease */
};

/* A stream over the members of spec->record->action_id; false (nothing to free) when
 * OpenSSL cannot make a digest. */
bool export_stream_new(const struct export_spec *spec, struct reply_stream *out);

#endif
