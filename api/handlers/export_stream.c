/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The export body (see export_stream.h). Every call comes from the worker thread of the
 * connection, one at a time (http/server.c), and nothing is held open between calls: the
 * worker's connection serves other requests in between. */
#include "handlers/export_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "crypto/pii_box.h"
#include "crypto/sha256.h"
#include "domain/claim.h"
#include "domain/csv.h"
#include "domain/export_row.h"
#include "domain/pii_doc.h"
#include "handlers/claim_json.h"
#include "service/claims_seal.h"
#include "service/conn.h"
#include "service/export_pages.h"
#include "service/exports.h"

/* Members per page: one statement of a few ms and a buffer of ~0.4-0.9 MiB. PostgreSQL plans
 * each page (~1 ms) and starts it: 1,024 members spread that over four times as many rows as
 * 256 did (bench/RESULTS.md "Export at 1,000,000 members, page statement"). */
#define PAGE_ROWS 1024

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
    struct strbuf buf; /* bytes of the current page; buf[sent..len) still to hand over */
    size_t sent;
    size_t row_end[PAGE_ROWS]; /* where each member row of buf ends */
    int n_rows, rows_passed;
    int64_t rows, bytes; /* handed to MHD so far */
    int64_t beat_ns;     /* when the record's lease was last renewed (monotonic) */
    int beat_s;          /* --export-beat */
    struct sha256_stream *digest;
    struct export_pages *pages;   /* the members, a page read while the previous is formatted */
    struct claims_opener *opener; /* one AES key schedule per data key for the whole export */
    char *scratch;                /* the page's opened personal data, wiped after each page */
    size_t scratch_cap;
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

/* Opens member m's personal part into who and *description, its text in the page's scratch
 * at *used: read in place (domain/pii_doc.h), or by the JSON library (the arena *fallback,
 * made when first needed) for a document that reader does not take. */
static bool
open_member(struct export_stream *st, const struct export_member *m, size_t *used,
            struct arena **fallback, struct claimant *who, const char **description)
{
    if (m->pii_len < PII_BOX_OVERHEAD)
        return false;
    char *plain = st->scratch + *used;
    size_t n = m->pii_len - PII_BOX_OVERHEAD;
    char *strings = plain + n + 1;
    *used += 2 * (n + 1);
    if (!claims_opener_open(st->opener, m->data_key_id, m->reference, strlen(m->reference), m->pii,
                            m->pii_len, plain))
        return false;
    if (pii_doc_read(plain, strings, who, description))
        return true;
    if (*fallback == NULL)
        *fallback = arena_new();
    return claim_pii_parse(*fallback, plain, who, description);
}

/* The row of member m (personal part opened as open_member does). The one place where the
 * export's columns are filled: a new column is a field of struct export_row
 * (domain/export_row.h), read here. */
static bool
row_of(struct export_stream *st, const struct export_member *m, size_t *used,
       struct arena **fallback, struct export_row *r)
{
    struct claimant who = {0};
    const char *description = "";

    if (m->pii != NULL && !open_member(st, m, used, fallback, &who, &description))
        return false;
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
                             .country = m->facts.country,
                             .categories = m->facts.categories,
                             .phishing = m->facts.phishing,
                             .identity_theft = m->facts.identity_theft,
                             .distress = m->facts.distress,
                             .harm_description = description,
                             .documented_loss = m->facts.documented_loss,
                             .hours_spent = m->facts.hours_spent,
                             .currency = st->currency,
                             .payment_preference = m->facts.payment_preference,
                             .mandated_at = m->mandated_at,
                             .mandate_text_version = m->mandate_text_version,
                             .mandate_channel = m->mandate_channel,
                             .claim_status = m->status,
                             .submitted_at = m->created_at,
                             .eligibility = m->eligibility,
                             .eligibility_matched = m->eligibility_matched,
                             .evidence = m->evidence};
    return svc_exports_award_of(&st->awards, m, &r->has_award, &r->award);
}

/* Room in the scratch for the page's opened data: each member's plaintext and its unescaped
 * strings (never longer). Grown rarely, the old one wiped. */
static void
scratch_reserve(struct export_stream *st, const struct export_member *m, int n)
{
    size_t need = 0;

    for (int i = 0; i < n; i++)
        need += 2 * (m[i].pii_len + 1);
    if (need <= st->scratch_cap)
        return;
    if (st->scratch != NULL) {
        explicit_bzero(st->scratch, st->scratch_cap);
        free(st->scratch);
    }
    st->scratch_cap = need + need / 2;
    st->scratch = xmalloc(st->scratch_cap);
}

/* Formats members m[0..n) into the buffer. */
static bool
format_page(struct export_stream *st, const struct export_member *m, int n)
{
    struct arena *fallback = NULL;
    size_t used = 0;
    bool ok = false;

    scratch_reserve(st, m, n);
    for (int i = 0; i < n; i++) {
        struct export_row r;
        if (!row_of(st, &m[i], &used, &fallback, &r)) {
            log_error("export %s: could not open or price a member's claim", st->export_id);
            goto cleanup;
        }
        if (st->csv)
            export_row_csv(&st->buf, &r, st->sep);
        else
            export_row_ndjson(&st->buf, &r);
        st->row_end[st->n_rows++] = st->buf.len;
    }
    ok = true;
cleanup:
    if (used > 0)
        explicit_bzero(st->scratch, used);
    arena_free(fallback);
    return ok;
}

/* Writes the next page of members into the (empty) buffer. The page reader's pipeline
 * (service/export_pages.h): PostgreSQL reads the page after this one while it is formatted. */
static bool
fill_page(struct export_stream *st)
{
    const struct export_member *m = NULL;
    int n = 0;
    bool ok = svc_export_pages_next(st->pages, &m, &n) == OUTCOME_OK;

    if (!ok)
        log_error("export %s: could not read its members", st->export_id);
    else
        ok = format_page(st, m, n);
    if (svc_export_pages_done(st->pages) != OUTCOME_OK && ok) {
        log_error("export %s: could not read its members", st->export_id);
        ok = false;
    }
    st->last_page = n < PAGE_ROWS;
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

/* Renews the record's lease every --export-beat seconds (service/exports.h). False when it
 * had run out: the record reads interrupted for good, and the stream stops. A renewal that
 * fails otherwise (the database briefly away) is tried again at the next beat. */
static bool
beat(struct export_stream *st)
{
    int64_t now = clock_monotonic_ns();

    if (now - st->beat_ns < (int64_t)st->beat_s * 1000000000)
        return true;
    st->beat_ns = now;
    enum outcome o = svc_rq_exports_beat(st->export_id, st->rows, st->bytes);
    if (o == OUTCOME_NOT_FOUND) {
        log_error("export %s: its lease ran out; the record reads interrupted, stopped",
                  st->export_id);
        st->ended = true;
        return false;
    }
    if (o != OUTCOME_OK)
        log_warn("export %s: could not renew its lease; tried again in %d s", st->export_id,
                 st->beat_s);
    return true;
}

static ssize_t
stream_next(void *ctx, char *out, size_t max)
{
    struct export_stream *st = ctx;
    bool failed = false;

    if (!beat(st))
        return -1;
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
    svc_export_pages_free(st->pages);
    claims_opener_free(st->opener);
    if (st->scratch != NULL)
        explicit_bzero(st->scratch, st->scratch_cap);
    free(st->scratch);
    sha256_stream_free(st->digest);
    strbuf_free(&st->buf);
    arena_free(st->arena);
    explicit_bzero(st, sizeof *st);
    free(st);
#ifdef __GLIBC__
    /* An export frees everything it allocated; its large buffers go back to the kernel when
     * freed (api/main.c's malloc policy), the free pages left among the arenas' small blocks
     * (the pages' PostgreSQL results) are handed back here, once per export (a few hundred
     * microseconds). */
    malloc_trim(0);
#endif
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
    st->beat_ns = clock_monotonic_ns(); /* the record was made with its lease */
    st->beat_s = spec->beat_s;
    st->pages = svc_export_pages_new(st->action_id, PAGE_ROWS);
    st->opener = claims_opener_new(st->secrets);
    *out = (struct reply_stream){stream_next, stream_end, st};
    return true;
}
