/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The export body (see export_stream.h). Every call comes from the worker thread of the
 * connection, one at a time (http/server.c), and nothing is held open between calls: the
 * worker's connection serves other requests in between. */
#include "handlers/export_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "crypto/sha256.h"
#include "domain/claim.h"
#include "domain/csv.h"
#include "domain/export_row.h"
#include "handlers/claim_json.h"
#include "service/claims_seal.h"
#include "service/conn.h"

/* Members per page: one statement of ~1 ms and a buffer of ~100 KiB. */
#define PAGE_ROWS 256

struct export_stream {
    struct arena *arena; /* the stream's own strings: ids, actor, currency */
    const struct secrets *secrets;
    struct export_awards awards;
    const char *export_id, *action_id, *format, *separator, *actor, *currency;
    bool csv;
    char sep;
    bool started;      /* BOM and header written */
    bool last_page;    /* no member after the current buffer */
    bool ended;        /* the record was finished (complete or aborted) */
    char after[16];    /* reference of the last member written */
    struct strbuf buf; /* bytes of the current page; buf[sent..len) still to hand over */
    size_t sent;
    size_t row_end[PAGE_ROWS]; /* where each member row of buf ends */
    int n_rows, rows_passed;
    int64_t rows, bytes; /* handed to MHD so far */
    struct sha256_stream *digest;
};

/* Records the end (complete or aborted) with its audit event, once. */
static void
finish(struct export_stream *st, const char *status)
{
    char hex[SHA256_HEX_LEN + 1];

    if (st->ended)
        return;
    st->ended = true;
    if (!sha256_stream_peek_hex(st->digest, hex)) {
        log_error("export %s: could not compute its digest; the record stays streaming",
                  st->export_id);
        return;
    }
    struct export_end e = {st->export_id, st->action_id, st->format,
                           st->separator, st->actor,     status,
                           st->rows,      st->bytes,     hex};
    if (svc_rq_exports_finish(&e) != OUTCOME_OK)
        log_error("export %s: could not record its end (%s)", st->export_id, status);
    svc_conn_release();
}

/* The row of member m, its personal part opened with the page arena a. */
static bool
row_of(struct export_stream *st, struct arena *a, const struct export_member *m,
       struct export_row *r)
{
    struct claimant who = {0};
    const char *description = "";

    if (m->pii != NULL) {
        char *plain = claims_open(st->secrets, a, m->data_key_id, m->reference,
                                  strlen(m->reference), m->pii, m->pii_len);
        if (plain == NULL || !claim_pii_parse(a, plain, &who, &description))
            return false;
    }
    *r = (struct export_row){.reference = m->reference,
                             .family_name = who.family_name,
                             .given_name = who.given_name,
                             .birth_date = who.birth_date,
                             .email = who.email,
                             .phone = who.phone,
                             .address_line1 = who.address.line1,
                             .address_line2 = who.address.line2,
                             .postal_code = who.address.postal_code,
                             .city = who.address.city,
                             .country = m->country,
                             .categories = m->categories,
                             .phishing = m->phishing,
                             .identity_theft = m->identity_theft,
                             .distress = m->distress,
                             .harm_description = description,
                             .documented_loss = m->documented_loss,
                             .hours_spent = m->hours_spent,
                             .currency = st->currency,
                             .payment_preference = m->payment_preference,
                             .mandated_at = m->mandated_at,
                             .mandate_text_version = m->mandate_text_version,
                             .mandate_channel = m->mandate_channel,
                             .claim_status = m->status,
                             .submitted_at = m->created_at,
                             .eligibility = m->eligibility,
                             .eligibility_matched = m->eligibility_matched};
    return svc_exports_award_of(&st->awards, m, &r->has_award, &r->award);
}

/* Writes the next page of members into the (empty) buffer. */
static bool
fill_page(struct export_stream *st)
{
    struct arena *a = arena_new(); /* decrypted fields: wiped when the page is written */
    struct export_member *m = arena_alloc(a, sizeof *m * PAGE_ROWS);
    int n = 0;
    bool ok = false;

    if (svc_rq_exports_page(st->action_id, st->after, PAGE_ROWS, a, m, &n) != OUTCOME_OK) {
        log_error("export %s: could not read its members", st->export_id);
        goto cleanup;
    }
    for (int i = 0; i < n; i++) {
        struct export_row r;
        if (!row_of(st, a, &m[i], &r)) {
            log_error("export %s: could not open or price a member's claim", st->export_id);
            goto cleanup;
        }
        if (st->csv)
            export_row_csv(&st->buf, &r, st->sep);
        else
            export_row_ndjson(&st->buf, &r);
        st->row_end[st->n_rows++] = st->buf.len;
    }
    if (n > 0)
        snprintf(st->after, sizeof st->after, "%s", m[n - 1].reference);
    st->last_page = n < PAGE_ROWS;
    ok = true;
cleanup:
    svc_conn_release();
    arena_free(a);
    return ok;
}

/* Empties the buffer (wiped: it held personal data) and fills it with what comes next:
 * false at the end of the body (*failed false) or on a failure (*failed true). */
static bool
refill(struct export_stream *st, bool *failed)
{
    if (st->buf.data != NULL)
        explicit_bzero(st->buf.data, st->buf.len);
    st->buf.len = 0;
    st->sent = 0;
    st->n_rows = st->rows_passed = 0;
    *failed = false;
    if (!st->started) {
        st->started = true;
        if (st->csv) {
            strbuf_append(&st->buf, CSV_BOM, CSV_BOM_LEN);
            export_csv_header(&st->buf, st->sep);
            return true;
        }
    }
    if (st->last_page)
        return false;
    if (!fill_page(st)) {
        *failed = true;
        return false;
    }
    return st->buf.len > 0;
}

static ssize_t
stream_next(void *ctx, char *out, size_t max)
{
    struct export_stream *st = ctx;
    bool failed = false;

    while (st->sent == st->buf.len) {
        if (!refill(st, &failed)) {
            finish(st, failed ? "aborted" : "complete");
            return failed ? -1 : 0;
        }
    }
    size_t n = st->buf.len - st->sent;
    if (n > max)
        n = max;
    if (!sha256_stream_update(st->digest, st->buf.data + st->sent, n)) {
        log_error("export %s: could not update its digest", st->export_id);
        finish(st, "aborted");
        return -1;
    }
    memcpy(out, st->buf.data + st->sent, n);
    st->sent += n;
    st->bytes += (int64_t)n;
    while (st->rows_passed < st->n_rows && st->row_end[st->rows_passed] <= st->sent) {
        st->rows_passed++;
        st->rows++;
    }
    return (ssize_t)n;
}

static void
stream_end(void *ctx, bool delivered)
{
    struct export_stream *st = ctx;

    (void)delivered; /* complete is decided when the last byte is handed over (docs/api.md §12.4) */
    finish(st, "aborted");
    sha256_stream_free(st->digest);
    strbuf_free(&st->buf);
    arena_free(st->arena);
    explicit_bzero(st, sizeof *st);
    free(st);
}

bool
export_stream_new(const struct export_spec *spec, struct reply_stream *out)
{
    struct sha256_stream *digest = sha256_stream_new();

    if (digest == NULL)
        return false;
    struct export_stream *st = xcalloc(1, sizeof *st);
    st->arena = arena_new();
    st->digest = digest;
    st->secrets = spec->secrets;
    st->awards = *spec->awards;
    st->export_id = arena_strdup(st->arena, spec->record->id);
    st->action_id = arena_strdup(st->arena, spec->record->action_id);
    st->format = arena_strdup(st->arena, spec->record->format);
    st->separator = arena_strdup(st->arena, spec->record->separator);
    st->actor = arena_strdup(st->arena, spec->actor);
    st->currency = arena_strdup(st->arena, spec->currency);
    st->csv = spec->csv;
    st->sep = spec->separator;
    *out = (struct reply_stream){stream_next, stream_end, st};
    return true;
}
