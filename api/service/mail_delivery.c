/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The delivery of the outbox, in phases: take a batch (leased, committed, within the shared
 * rate: db/mail_throttle.h), read the messages of its notice rows in one statement (the bulk
 * of a large send: no statement per message), prepare every row in one transaction (claims,
 * address, the links stored; a notice's from what the batch read), then for each render and
 * compose, send on the thread's relay connection, and settle: the sent rows of a batch in one
 * statement, a failure at once. Plaintext lives in the row's arena, wiped when the batch is
 * sent; the batch's reads (sealed) in the batch's, wiped with it. Delivery is at least once: a
 * server killed after the relay accepted and before "sent" committed sends those messages (a
 * batch at most) again after the lease; never one for a claim that was not committed (the row
 * commits with it). */
#include "service/mail_delivery.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/claim_links.h"
#include "db/errors.h"
#include "db/mail_throttle.h"
#include "db/notices_mail.h"
#include "db/outbox.h"
#include "db/ws_members.h"
#include "mail/compose.h"
#include "mail/mask.h"
#include "mail/notice_render.h"
#include "mail/render.h"
#include "mail/review_words.h"
#include "service/claims_seal.h"
#include "service/mail_links.h"
#include "service/notices_stop.h"
#include "service/tx.h"

#define RECOVERY_MAX_CLAIMS 10
#define RETRY_MAX_S 3600
/* Rows taken at once: one commit takes them, one settles those sent. A server killed
 * mid-batch sends at most this many again. */
#define BATCH_MAX 50

/* What gathering came to: GATHERED, GONE (nothing to send, for good: reason set), or a
 * DB_* status (the row is left to its lease and retried). */
#define GATHERED 1
#define GONE 0

struct delivery {
    PGconn *c;
    const struct secrets *s;
    const struct mail_settings *ms;
    struct arena *a;
    struct outbox_item it;
    struct mail_facts f;
    bool is_notice;
    const struct notice_message *msg; /* a notice's row: its message read with the batch's, or
                                       * NULL when its notice is gone */
    struct notice_mail notice;
    const char *to;
    bool unsendable; /* the message cannot be made: retrying would not help */
    int status;      /* prepare_one's: READY or SETTLED */
    char reason[300];
};

/* The claimant's address from the opened submission; NULL if it cannot be opened. */
static const char *
address_of(struct delivery *d, const struct mail_claim *m)
{
    char *plain = claims_open(d->s, d->a, m->data_key_id, m->reference, strlen(m->reference),
                              m->pii, m->pii_len);
    const char *email = NULL;

    if (plain == NULL)
        return NULL;
    json_t *doc = json_loads(plain, JSON_REJECT_DUPLICATES, NULL);
    const char *v = json_string_value(json_object_get(json_object_get(doc, "claimant"), "email"));
    if (v != NULL)
        email = arena_strdup(d->a, v);
    json_decref(doc);
    return email;
}

/* Makes a link of purpose for claim_id, stored as its keyed hash: 1 with its URL, or DB_*. */
static int
make_link(struct delivery *d, const char *path, const char *purpose, int64_t claim_id,
          int valid_s, const char **url_out)
{
    char token[64];
    uint8_t hash[KEYED_HASH_LEN];

    if (!random_token(32, token) || !mail_link_hash(d->s, token, hash))
        return DB_HARD;
    int rc = db_links_insert(d->c, hash, purpose, claim_id, valid_s);
    if (rc == 1)
        *url_out = arena_printf(d->a, "%s%s%s", d->ms->public_url, path, token);
    explicit_bzero(token, sizeof token);
    return rc == 1 ? 1 : (rc == 0 ? DB_HARD : rc);
}

static int
gone(struct delivery *d, const char *reason)
{
    snprintf(d->reason, sizeof d->reason, "%s", reason);
    return GONE;
}

/* Whom a claimant writes to when a change made with their token was not theirs (a change of
 * address, a withdrawal): the operator, or the legal page that names them. */
static void
operator_contact(struct delivery *d)
{
    /* an address only: the setting left at its default is the text "(not configured: …)" */
    if (d->ms->operator_email != NULL && strchr(d->ms->operator_email, '@') != NULL)
        d->f.operator_email = d->ms->operator_email;
    d->f.legal_url = arena_printf(d->a, "%s/legal", d->ms->public_url);
}

/* The notice of a changed address goes to the old address, which only its row holds (sealed,
 * migration 0027), and shows the claim's new address masked and the day of the change. */
static int
gather_moved(struct delivery *d, const char *new_address)
{
    struct strbuf masked = {0};
    char day[16];
    time_t at = time(NULL) - (time_t)d->it.age_s;
    struct tm tm;

    if (d->it.sealed_email == NULL)
        return gone(d, "the former address is erased");
    const char *aad = claims_moved_address_aad(d->a, d->it.id, d->f.reference);
    d->to = claims_open(d->s, d->a, d->it.sealed_key_id, aad, strlen(aad), d->it.sealed_email,
                        d->it.sealed_len);
    if (d->to == NULL)
        return gone(d, "the former address cannot be opened");
    mail_mask_address(new_address, &masked);
    d->f.masked_new_address = arena_strdup(d->a, masked.data != NULL ? masked.data : "***");
    strbuf_free(&masked);
    if (gmtime_r(&at, &tm) != NULL && strftime(day, sizeof day, "%Y-%m-%d", &tm) > 0)
        d->f.changed_on = arena_strdup(d->a, day);
    operator_contact(d);
    return GATHERED;
}

/* A message about one claim. */
static int
gather_claim(struct delivery *d)
{
    struct mail_claim m;
    int rc = db_mail_claim(d->c, d->it.claim_id, d->a, &m);

    if (rc != 1)
        return rc == 0 ? gone(d, "the claim no longer exists") : rc;
    d->f.lang = m.lang;
    d->f.reference = m.reference;
    d->f.incident_title = m.incident_title;
    d->f.incident_controller = m.incident_controller;
    d->f.action_title = d->f.kind == MAIL_CLAIM_ACCEPTED ? m.action_title : NULL;
    d->f.action_association = d->f.kind == MAIL_CLAIM_ACCEPTED ? m.association_name : NULL;
    if (m.pii == NULL)
        return gone(d, "the claim's personal data is erased");
    if ((d->to = address_of(d, &m)) == NULL)
        return gone(d, "the claim's personal data cannot be opened");
    if (d->f.kind == MAIL_ADDRESS_CHANGED)
        return gather_moved(d, d->to);
    if (d->f.kind == MAIL_CLAIM_WITHDRAWN) {
        operator_contact(d);
        d->f.withdrawn_retention_days = d->ms->withdrawn_retention_days;
    }
    if (d->f.kind == MAIL_CLAIM_REJECTED || d->f.kind == MAIL_MEMBER_REMOVED) {
        const char *code = NULL;
        rc = db_ws_outbox_reason(d->c, d->it.id, d->a, &code);
        if (rc != 1)
            return rc == 0 ? gone(d, "the message's row is gone") : rc;
        d->f.reason = mail_review_reason(m.lang, code);
        d->f.correctable_until = m.correctable_until;
    }
    /* a correction may have changed the address: the new one is confirmed as the first was */
    if ((d->f.kind == MAIL_CLAIM_ACCEPTED || d->f.kind == MAIL_CLAIM_CORRECTED) &&
        !m.email_verified)
        return make_link(d, "/confirm-email/", "confirm-email", m.id, MAIL_CONFIRM_LINK_S,
                         &d->f.confirm_url);
    return GATHERED;
}

/* A notice to a member: the claim's address, the notice's texts in the row's language, and
 * for a notice that is not essential the link that stops such notices (all read with the
 * batch: read_notices). A member who left the action, or who stopped non-essential notices
 * after this one was queued, gets nothing. */
static int
gather_notice(struct delivery *d)
{
    const struct notice_message *n = d->msg;

    if (n == NULL)
        return gone(d, "the notice's row is gone");
    if (n->claim_id == 0)
        return gone(d, "the claim no longer exists");
    if (!n->still_member)
        return gone(d, "the claim is no longer a member of the notice's action");
    if (n->opted_out && !n->essential)
        return gone(d, "the member stopped non-essential notices");
    if (n->pii == NULL)
        return gone(d, "the claim's personal data is erased");
    struct mail_claim m = {.id = n->claim_id,
                           .reference = n->reference,
                           .data_key_id = n->data_key_id,
                           .pii = n->pii,
                           .pii_len = n->pii_len};
    if ((d->to = address_of(d, &m)) == NULL)
        return gone(d, "the claim's personal data cannot be opened");
    d->notice = (struct notice_mail){.lang = d->it.lang,
                                     .subject = n->subject,
                                     .body = n->body,
                                     .association_name = n->association_name,
                                     .action_title = n->action_title,
                                     .reference = n->reference,
                                     .my_claim_url = d->f.my_claim_url};
    if (!n->essential) {
        d->notice.stop_url = svc_notice_stop_url(d->s, d->a, d->ms->public_url, n->claim_id);
        if (d->notice.stop_url == NULL)
            return DB_HARD; /* OpenSSL failed: retried after the lease */
    }
    d->f.lang = d->it.lang;
    return GATHERED;
}

/* A recovery: every active claim of the address (or the one referenced), one link each. */
static int
gather_recovery(struct delivery *d)
{
    struct mail_claim *m = arena_alloc(d->a, RECOVERY_MAX_CLAIMS * sizeof *m);
    struct mail_recovery_item *items = arena_alloc(d->a, RECOVERY_MAX_CLAIMS * sizeof *items);
    int n = db_mail_recovery_claims(d->c, d->it.email_key, d->it.reference, RECOVERY_MAX_CLAIMS,
                                    d->a, m);

    if (n < 0)
        return n;
    if (n == 0)
        return gone(d, "no active claim matches");
    if ((d->to = address_of(d, &m[0])) == NULL)
        return gone(d, "the claim's personal data cannot be opened");
    for (int i = 0; i < n; i++) {
        items[i].reference = m[i].reference;
        items[i].incident_title = m[i].incident_title;
        items[i].incident_controller = m[i].incident_controller;
        int rc = make_link(d, "/my-claim?recover=", "recovery", m[i].id, MAIL_RECOVERY_LINK_S,
                           &items[i].link);
        if (rc != 1)
            return rc;
    }
    d->f.lang = d->it.lang_asked != NULL ? d->it.lang_asked : m[0].lang;
    d->f.items = items;
    d->f.n_items = n;
    return GATHERED;
}

/* Composes and hands the message over (on the session's connection to the relay); false
 * with the reason. */
static bool
hand_over(struct delivery *d, struct mail_smtp *smtp)
{
    struct mail_rendered r = {0};
    struct strbuf msg = {0};
    bool ok = false;

    /* signed by the name From bears */
    d->notice.sender_name = d->ms->from_name;
    d->f.sender_name = d->ms->from_name;
    if (d->is_notice)
        mail_render_notice(&d->notice, &r);
    else
        mail_render(&d->f, &r);
    struct mail_message mm = {.from = d->ms->from,
                              .reply_to = d->ms->reply_to,
                              .to = d->to,
                              .lang = d->f.lang,
                              .subject = r.subject.data,
                              .text = r.text.data,
                              .html = r.html.data,
                              .list_unsubscribe = d->is_notice ? d->notice.stop_url : NULL,
                              .from_name = d->ms->from_name};
    if (!mail_compose(&mm, time(NULL), &msg)) {
        /* an address beyond ASCII (no SMTPUTF8 here) or a sender misconfigured */
        snprintf(d->reason, sizeof d->reason, "the message could not be composed (an address "
                                               "unfit for a header, or no random bytes)");
        d->unsendable = true;
        goto cleanup;
    }
    if (d->ms->relay.url != NULL && d->ms->relay.url[0] != '\0') {
        ok = mail_smtp_send(smtp, &d->ms->relay, d->ms->from, d->to, msg.data, msg.len,
                            d->reason, sizeof d->reason);
    } else {
        char name[64];
        snprintf(name, sizeof name, "%010lld-%s", (long long)d->it.id, d->it.kind);
        ok = mail_eml_write(d->ms->mail_dir, name, msg.data, msg.len, d->reason,
                            sizeof d->reason);
    }
cleanup:
    strbuf_free(&msg);
    mail_rendered_free(&r);
    return ok;
}

/* After a failed attempt: again later (doubling), or given up past the configured time. */
static int
settle_failure(struct delivery *d)
{
    int64_t delay_ms = d->ms->retry_base_ms;

    for (int i = 1; i < d->it.attempts && delay_ms < RETRY_MAX_S * 1000; i++)
        delay_ms *= 2;
    if (delay_ms > RETRY_MAX_S * 1000)
        delay_ms = RETRY_MAX_S * 1000;
    if (d->it.age_s * 1000 + delay_ms > (int64_t)d->ms->give_up_after_s * 1000) {
        log_warn("mail: message %lld given up after %d attempts: %s", (long long)d->it.id,
                 d->it.attempts, d->reason);
        return db_outbox_mark_failed(d->c, d->it.id, d->reason);
    }
    log_warn("mail: message %lld not delivered (attempt %d), next in %g s: %s", (long long)d->it.id,
             d->it.attempts, (double)delay_ms / 1000.0, d->reason);
    return db_outbox_mark_retry(d->c, d->it.id, delay_ms, d->reason);
}

/* What preparing a taken row came to: READY to be sent, or SETTLED (failed for good: gone,
 * unknown kind); a DB_* status leaves the batch to its lease. What sending one came to: SENT
 * (to be marked with its batch), or SETTLED (retried later or failed). */
#define READY 1
#define SETTLED 2
#define SENT 3

static int
settled(int mark_rc)
{
    return mark_rc < 0 ? mark_rc : SETTLED;
}

/* Gathers what the row's message needs, its links stored (in the batch's transaction). */
static int
prepare_one(struct delivery *d)
{
    int rc;

    d->is_notice = strcmp(d->it.kind, "notice") == 0;
    d->f.my_claim_url = arena_printf(d->a, "%s/my-claim", d->ms->public_url);
    if (d->is_notice)
        rc = gather_notice(d);
    else if (!mail_kind_parse(d->it.kind, &d->f.kind))
        return settled(db_outbox_mark_failed(d->c, d->it.id, "unknown kind"));
    else
        rc = d->f.kind == MAIL_RECOVERY ? gather_recovery(d) : gather_claim(d);
    if (rc == GONE)
        return settled(db_outbox_mark_failed(d->c, d->it.id, d->reason));
    return rc == GATHERED ? READY : rc;
}

/* Hands a prepared row's message over: SENT, SETTLED, or DB_* (the lease brings it back). */
static int
send_one(struct delivery *d, struct mail_smtp *smtp)
{
    if (hand_over(d, smtp))
        return SENT;
    return settled(d->unsendable ? db_outbox_mark_failed(d->c, d->it.id, d->reason)
                                 : settle_failure(d));
}

/* Taking a batch within the shared rate (rate 0: no limit). */
struct take {
    const struct mail_settings *ms;
    struct arena *a;
    struct outbox_item *items;
    int n;
    int wait_ms; /* > 0: the bucket holds less than a slice for this long */
};

/* The least a sender takes from the bucket while the rate holds messages back: a quarter of a
 * second's worth. Taking each token as it comes made four senders at 50 a second run about 180
 * transactions a second on the bucket's row, each a commit waiting for a WAL flush beside the
 * intake's (bench/RESULTS.md "Mail beside the intake"); a slice makes it about four. A full
 * bucket (nothing sent for a second) still lets the first messages go at once. */
#define RATE_SLICE_S 0.25

static double
least_taken(double rate_per_s)
{
    double least = rate_per_s * RATE_SLICE_S;

    return least < 1 ? 1 : least > BATCH_MAX ? BATCH_MAX : least;
}

/* What the bucket holds now (one second of sending at most), from its tokens and the time since
 * its last refill. */
static double
bucket_holds(double tokens, double elapsed_s, double rate_per_s)
{
    double avail = tokens + elapsed_s * rate_per_s;

    return avail > rate_per_s ? rate_per_s : avail;
}

static int
take_body(PGconn *c, struct tx *t, void *ctx)
{
    struct take *k = ctx;
    double rate = k->ms->rate_per_s, tokens = 0, elapsed = 0, avail = BATCH_MAX;
    char now[64];
    int rc;

    (void)t;
    k->n = 0;
    k->wait_ms = 0;
    if (rate > 0) {
        double least = least_taken(rate);
        /* a look without the lock first: a sender that would wait locks nothing, so its
         * transaction writes nothing; under the lock the bucket may hold less (another sender
         * took from it meanwhile) */
        if ((rc = db_throttle_peek(c, &tokens, &elapsed)) != 1)
            return rc;
        if (bucket_holds(tokens, elapsed, rate) >= least &&
            (rc = db_throttle_lock(c, &tokens, &elapsed, now)) != 1)
            return rc;
        avail = bucket_holds(tokens, elapsed, rate);
        if (avail < least) {
            k->wait_ms = (int)((least - avail) * 1000.0 / rate) + 1;
            return 1;
        }
    }
    k->n = db_outbox_take_batch(c, MAIL_LEASE_S, avail >= BATCH_MAX ? BATCH_MAX : (int)avail,
                                k->a, k->items);
    if (k->n < 0)
        return k->n;
    /* none due: the bucket is left as it is (what it holds is counted from its last refill) */
    if (k->n == 0 || rate <= 0)
        return 1;
    return db_throttle_store(c, avail - k->n, now);
}

/* Marks the rows sent in one statement; DB_* when that failed (they go again after the
 * lease: at least once). */
static int
settle_sent(PGconn *c, const int64_t *ids, int n)
{
    if (n == 0)
        return 1;
    int rc = db_outbox_mark_sent(c, ids, n);
    if (rc >= 0)
        log_info("mail: %d message(s) delivered", n);
    return rc < 0 ? rc : 1;
}

/* The messages of the batch's notice rows, in one statement: msg_out[i] for items[i] (NULL
 * for a row of another kind, or whose notice is gone). 1 or DB_* (the batch is left to its
 * lease). */
static int
read_notices(PGconn *c, const struct outbox_item *items, int n, struct arena *a,
             const struct notice_message **msg_out)
{
    int64_t ids[BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++) {
        msg_out[i] = NULL;
        if (strcmp(items[i].kind, "notice") == 0)
            ids[m++] = items[i].id;
    }
    if (m == 0)
        return 1;
    struct notice_message *found = arena_alloc(a, sizeof *found * (size_t)m);
    int got = db_notice_messages(c, ids, m, a, found);
    if (got < 0)
        return got;
    /* both in the order of the batch: one walk pairs them */
    for (int i = 0, j = 0; i < n && j < got; i++)
        if (items[i].id == found[j].outbox_id)
            msg_out[i] = &found[j++];
    return 1;
}

/* A taken batch's rows prepared in one transaction: the links of its messages cost one commit,
 * not one each, and a row gone for good is marked failed with them. */
struct batch {
    PGconn *c;
    const struct secrets *s;
    const struct mail_settings *ms;
    const struct take *k;
    const struct notice_message *const *msgs;
    struct delivery *d; /* k->n of them */
};

static int
prepare_body(PGconn *c, struct tx *t, void *ctx)
{
    struct batch *b = ctx;

    (void)t;
    for (int i = 0; i < b->k->n; i++) {
        struct delivery *d = &b->d[i];
        arena_free(d->a); /* a body run again starts afresh */
        *d = (struct delivery){.c = c, .s = b->s, .ms = b->ms, .a = arena_new(),
                               .it = b->k->items[i], .msg = b->msgs[i]};
        int rc = prepare_one(d);
        if (rc < 0)
            return rc;
        d->status = rc;
    }
    return 1;
}

/* Prepares then sends the taken rows (until *stop: the rest are left to the lease), marks
 * those sent in one statement; 1, or DB_* when the database failed (the rows not settled come
 * back after the lease). */
static int
deliver_batch(struct batch *b, struct mail_smtp *smtp, atomic_bool *stop, int *handled)
{
    const struct notice_message *msgs[BATCH_MAX];
    int64_t sent[BATCH_MAX];
    int n = b->k->n, n_sent = 0;
    int rc = read_notices(b->c, b->k->items, n, b->k->a, msgs);

    b->msgs = msgs;
    b->d = arena_alloc(b->k->a, sizeof *b->d * (size_t)n);
    if (rc >= 0 && svc_tx_run(b->c, "mail.prepare", TX_READ_WRITE, prepare_body, b) != OUTCOME_OK)
        rc = DB_HARD;
    for (int i = 0; rc >= 0 && i < n && !atomic_load(stop); i++) {
        struct delivery *d = &b->d[i];
        int r = d->status == READY ? send_one(d, smtp) : d->status;
        if (r < 0)
            rc = r;
        else if (r == SENT)
            sent[n_sent++] = d->it.id;
        *handled += r >= 0;
    }
    if (settle_sent(b->c, sent, n_sent) < 0)
        rc = DB_HARD;
    for (int i = 0; i < n; i++)
        arena_free(b->d[i].a); /* wipes the addresses and the links' tokens */
    return rc;
}

enum outcome
svc_mail_deliver_due(PGconn *c, const struct secrets *s, const struct mail_settings *ms,
                     struct mail_smtp *smtp, atomic_bool *stop, int *handled_out,
                     int *wait_ms_out)
{
    struct outbox_item items[BATCH_MAX];

    *handled_out = 0;
    *wait_ms_out = 0;
    while (!atomic_load(stop)) {
        struct take k = {.ms = ms, .a = arena_new(), .items = items};
        enum outcome o = svc_tx_run(c, "mail.take", TX_READ_WRITE, take_body, &k);
        int rc = 1;
        if (o == OUTCOME_OK && k.n > 0) {
            struct batch b = {.c = c, .s = s, .ms = ms, .k = &k};
            rc = deliver_batch(&b, smtp, stop, handled_out);
        }
        arena_free(k.a);
        if (o != OUTCOME_OK || rc < 0)
            return OUTCOME_UNAVAILABLE;
        if (k.n == 0) {
            *wait_ms_out = k.wait_ms;
            return OUTCOME_OK;
        }
    }
    return OUTCOME_OK;
}

enum outcome
svc_mail_prune(PGconn *c)
{
    return db_links_prune(c, 24 * 3600) < 0 ? OUTCOME_UNAVAILABLE : OUTCOME_OK;
}
