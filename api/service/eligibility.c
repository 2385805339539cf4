/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See service/eligibility.h. The list's line format is in docs/eligibility.md (and in the
 * kit's NORMALISATION.md): "<kind>,<64 hex digits>", kind email, phone or code. */
#include "service/eligibility.h"

#include <ctype.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/eligibility.h"
#include "db/errors.h"
#include "domain/normalize.h"
#include "service/audit.h"
#include "service/intake.h"
#include "service/tx.h"

bool
eligibility_prepare(const struct secrets *sec, int64_t incident_id,
                    const struct claim_input *claim, struct matching_macs *out)
{
    uint8_t key[KEYED_HASH_KEY_LEN];
    char email[NORMALIZE_EMAIL_MAX + 1];
    bool ok = matching_key_derive(sec->hmac_key, incident_id, key) &&
              normalize_email(claim->claimant.email, email, sizeof email) &&
              matching_mac(key, MATCHING_KIND_EMAIL, email, out->email);

    out->has_phone = ok && claim->claimant.phone != NULL; /* E.164 already (claims_parse.c) */
    if (out->has_phone)
        ok = matching_mac(key, MATCHING_KIND_PHONE, claim->claimant.phone, out->phone);
    out->has_code = ok && claim->notice_code != NULL; /* normalised already */
    if (out->has_code)
        ok = matching_mac(key, MATCHING_KIND_CODE, claim->notice_code, out->code);
    explicit_bzero(key, sizeof key);
    explicit_bzero(email, sizeof email);
    return ok;
}

int
eligibility_intake_hook(PGconn *c, int shard, struct intake_submission *const *accepted, int n)
{
    int64_t ids[INTAKE_BATCH_MAX];
    int64_t incidents[INTAKE_BATCH_MAX];
    const struct matching_macs *macs[INTAKE_BATCH_MAX];

    (void)shard;
    for (int i = 0; i < n && i < INTAKE_BATCH_MAX; i++) {
        ids[i] = accepted[i]->row.id;
        incidents[i] = accepted[i]->row.incident_id;
        macs[i] = &accepted[i]->eligibility;
    }
    if (n > INTAKE_BATCH_MAX)
        n = INTAKE_BATCH_MAX;
    int rc = db_eligibility_intake_lock(c, incidents, n);
    return rc != 0 ? rc : db_eligibility_insert_batch(c, ids, incidents, macs, n);
}

/* ---- the import ---- */

/* The kind of a line "<kind>,<hex>" (1 email, 2 phone, 3 code) with its hash, or 0. */
static int
parse_line(char *line, size_t len, uint8_t mac[32])
{
    static const char *const kinds[] = {MATCHING_KIND_EMAIL, MATCHING_KIND_PHONE,
                                        MATCHING_KIND_CODE};

    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    char *comma = memchr(line, ',', len);
    if (comma == NULL || (size_t)(line + len - comma - 1) != 64)
        return 0;
    for (char *p = comma + 1; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!hex_decode(comma + 1, 64, mac, 32))
        return 0;
    for (int k = 0; k < 3; k++)
        if ((size_t)(comma - line) == strlen(kinds[k]) &&
            memcmp(line, kinds[k], (size_t)(comma - line)) == 0)
            return k + 1;
    return 0;
}

static double
now_s(void)
{
    return (double)clock_monotonic_ns() / 1e9;
}

/* A line longer than this is malformed (a valid one is "phone," + 64 digits); the rest of it
 * is skipped, so no line is ever held whole. */
#define LINE_MAX_READ 128

/* Streams in into the staging table; -100 on a read error, DB_* or 0. */
static int
stream_lines(PGconn *c, FILE *in, FILE *progress, struct sha256_stream *digest,
             struct eligibility_import_result *out)
{
    char line[LINE_MAX_READ];
    int64_t number = 0;
    double start = now_s(), last = start;
    bool continuing = false, overlong = false;

    while (fgets(line, sizeof line, in) != NULL) {
        size_t len = strlen(line);
        if (!sha256_stream_update(digest, line, len))
            return DB_HARD;
        bool complete = len > 0 && line[len - 1] == '\n';
        if (continuing) { /* the tail of an overlong line */
            continuing = !complete;
            continue;
        }
        number++;
        if (!complete && !feof(in)) {
            overlong = true;
            continuing = true;
        }
        bool blank = strspn(line, " \t\r\n") == len;
        if (blank && !overlong)
            continue;
        out->lines++;
        uint8_t mac[32];
        int kind = overlong ? 0 : parse_line(line, len, mac);
        overlong = false;
        if (kind == 0) {
            if (out->malformed < ELIGIBILITY_REPORT_LINES)
                out->bad_lines[out->malformed] = number;
            out->malformed++;
            continue;
        }
        int rc = db_eligibility_copy_row(c, kind, mac);
        if (rc != 0)
            return rc;
        if (progress != NULL && (out->lines & 0x3fff) == 0 && now_s() - last >= 1.0) {
            last = now_s();
            fprintf(progress, "eligibility: %lld lines, %.0f lines/s\n",
                    (long long)out->lines, (double)out->lines / (last - start));
        }
    }
    if (ferror(in))
        return -100;
    if (progress != NULL)
        fprintf(progress, "eligibility: %lld lines read, %lld malformed, %.0f lines/s\n",
                (long long)out->lines, (long long)out->malformed,
                (double)out->lines / (now_s() - start + 1e-9));
    return 0;
}

/* The import's one transaction (svc_tx_run): never retried, since the file cannot be read
 * twice (stdin); a retry answers OUTCOME_UNAVAILABLE, nothing written. */
struct import_ctx {
    int64_t incident_id;
    const char *slug;
    FILE *in;
    double max_share;
    FILE *progress;
    struct eligibility_import_result *out;
    struct eligibility_current cur;
    int status; /* the failure inside the body: -100 for a read error, else a DB_* */
    bool ran;
};

static int
import_body(PGconn *c, struct tx *t, void *arg)
{
    struct import_ctx *x = arg;
    struct eligibility_import_result *out = x->out;
    char hex[SHA256_HEX_LEN + 1];
    uint8_t sum[32];

    if (x->ran)
        return tx_answer(t, OUTCOME_UNAVAILABLE);
    x->ran = true;
    struct sha256_stream *digest = sha256_stream_new();
    if (digest == NULL)
        return DB_HARD;
    int rc = db_eligibility_lock_current(c, x->incident_id, &x->cur);
    if (rc == 0)
        rc = db_eligibility_copy_begin(c);
    if (rc == 0) {
        int read_rc = stream_lines(c, x->in, x->progress, digest, out);
        int64_t staged = db_eligibility_copy_end(c); /* ends the COPY whatever happened */
        rc = read_rc != 0 ? read_rc : staged < 0 ? (int)staged : 0;
    }
    if (rc == 0 && !(sha256_stream_peek_hex(digest, hex) && hex_decode(hex, 64, sum, 32)))
        rc = DB_HARD;
    sha256_stream_free(digest);
    if (rc != 0) {
        x->status = rc;
        return rc == -100 ? tx_answer(t, OUTCOME_INTERNAL) : rc;
    }
    out->version = x->cur.version;
    if (out->lines == out->malformed ||
        (double)out->malformed > x->max_share * (double)out->lines) {
        out->refused = true;
        return tx_answer(t, OUTCOME_INVALID);
    }
    if (x->cur.list_id != 0 && memcmp(x->cur.sha256, sum, 32) == 0) {
        out->unchanged = true;
        return tx_answer(t, OUTCOME_ALREADY_EXISTS);
    }
    rc = db_eligibility_publish(c, x->incident_id, sum, out->lines, out->malformed,
                                &out->version, &out->entries);
    if (rc == 0) {
        /* who put which list in force, in the same transaction: a list of the people the
         * controller notified is personal data, even hashed */
        struct audit_note note = {.actor = "operator", .change = sum, .change_len = sizeof sum};
        rc = svc_audit(c, &note, "eligibility.import", "incident", x->slug);
    }
    if (rc != 0)
        x->status = rc;
    return rc == 0 ? 1 : rc;
}

int
eligibility_import(PGconn *c, int64_t incident_id, const char *slug, FILE *in,
                   double max_malformed_share, FILE *progress,
                   struct eligibility_import_result *out)
{
    struct import_ctx x = {.incident_id = incident_id, .slug = slug, .in = in,
                           .max_share = max_malformed_share, .progress = progress, .out = out};

    memset(out, 0, sizeof *out);
    enum outcome o = svc_tx_run(c, "eligibility import", TX_READ_WRITE, import_body, &x);
    if (out->refused || out->unchanged)
        return 0;
    if (o != OUTCOME_OK)
        return x.status != 0 ? x.status : o == OUTCOME_UNAVAILABLE ? DB_UNAVAILABLE : DB_HARD;
    /* the older version's entries go once the switch committed (kept as history: its row) */
    if (x.cur.list_id != 0) {
        int64_t dropped = db_eligibility_drop_entries(c, x.cur.list_id);
        if (dropped < 0)
            log_warn("eligibility: the previous version's entries stay (status %lld)",
                     (long long)dropped);
    }
    return 0;
}

struct kit_audit {
    const char *slug;
    const char *out_dir;
};

static int
kit_audit_body(PGconn *c, struct tx *t, void *arg)
{
    const struct kit_audit *k = arg;
    struct audit_note note = {.actor = "operator", .change = k->out_dir,
                              .change_len = strlen(k->out_dir)};

    (void)t;
    return tx_audited(svc_audit(c, &note, "eligibility.kit", "incident", k->slug));
}

enum outcome
eligibility_kit_audit(PGconn *c, const char *slug, const char *out_dir)
{
    struct kit_audit k = {slug, out_dir};

    return svc_tx_run(c, "eligibility kit audit", TX_READ_WRITE, kit_audit_body, &k);
}

/* One batch of the recompute (svc_tx_run), from ctx->start each time it runs. */
struct batch_ctx {
    int64_t incident_id;
    int limit;
    int64_t start;
    int64_t after;
    int64_t updated;
    int examined;
};

static int
batch_body(PGconn *c, struct tx *t, void *arg)
{
    struct batch_ctx *b = arg;

    (void)t;
    b->after = b->start;
    b->updated = 0;
    b->examined = db_eligibility_recompute_batch(c, b->incident_id, &b->after, b->limit,
                                                 &b->updated);
    return b->examined; /* > 0 commits; 0: the walk's end, nothing to commit */
}

/* One walk over the incident's claims in id order; the claims evaluated again, or DB_*. */
static int64_t
walk_once(PGconn *c, int64_t incident_id, int batch_size, FILE *progress)
{
    struct batch_ctx b = {.incident_id = incident_id, .limit = batch_size};
    int64_t changed = 0;

    for (;;) {
        /* each batch commits on its own: row locks held a moment only */
        enum outcome o = svc_tx_run(c, "eligibility recompute", TX_READ_WRITE, batch_body, &b);
        if (o == OUTCOME_NOT_FOUND && b.examined == 0)
            return changed;
        if (o != OUTCOME_OK)
            return o == OUTCOME_UNAVAILABLE ? DB_UNAVAILABLE : DB_HARD;
        b.start = b.after;
        changed += b.updated;
        if (progress != NULL && b.updated > 0)
            fprintf(progress, "eligibility: %lld claims evaluated again\n", (long long)changed);
    }
}

int64_t
eligibility_recompute(PGconn *c, int64_t incident_id, int batch_size, FILE *progress)
{
    int64_t total = 0;

    /* a claim written against the previous version while a walk passed its id is found by
     * the next walk; a walk that changes nothing ends it (bounded: a claim is only written
     * against an older version before the switch) */
    for (int walk = 0; walk < 10; walk++) {
        int64_t changed = walk_once(c, incident_id, batch_size, progress);
        if (changed < 0)
            return changed;
        total += changed;
        if (changed == 0)
            break;
    }
    return total;
}

enum outcome
svc_eligibility_groups(PGconn *c, int64_t incident_id, const char *action_id, struct arena *a,
                       struct tally_group **pool, int *n_pool, struct tally_group **groups,
                       int *n)
{
    int rc = db_eligibility_groups(c, incident_id, a, pool, n_pool);

    if (rc >= 0 && action_id != NULL)
        rc = db_eligibility_groups_of_action(c, action_id, a, groups, n);
    return rc < 0 ? tx_outcome_of(c, rc) : OUTCOME_OK;
}

int
eligibility_counts(PGconn *c, int64_t incident_id, int64_t counts[3])
{
    return db_eligibility_counts(c, incident_id, counts);
}
