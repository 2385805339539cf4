/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices (see notices.h). The send runs in one transaction: the notice locked (a second send
 * waits, then finds it sent), its messages queued by one statement, its send record and its
 * audit event written; a count that is not the one the user confirmed rolls it all back. A
 * stop reads the notice without a lock: its one statement locks the queued rows before the
 * notice, as a mail thread settling them does (db/notices.h). A delete locks the draft, so that
 * a send waiting on it then finds it gone (404), or the delete finds it sent (409). */
#include "service/notices.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "mail/notice_render.h"
#include "service/actions.h"
#include "service/audited_write.h"
#include "service/conn.h"
#include "service/tx.h"
#include "service/workspace.h"

/* What a preview shows where the member's own values go. */
#define PREVIEW_REFERENCE "RC-XXXX-XXXX"
#define PREVIEW_TOKEN "…"

/* The caller's connection, after checking that the action is the association's (the owner
 * check of every association route on an action, svc_rq_action_own); the action itself is not
 * needed further. */
static enum outcome
owned_action(const char *association_id, const char *action_id, struct arena *a, PGconn **c)
{
    struct action x;
    enum outcome o = svc_rq_action_own(action_id, association_id, true, a, &x);

    return o != OUTCOME_OK ? o : svc_conn(c);
}

enum outcome
svc_rq_notice_check(const char *association_id, const char *action_id, const char *id,
                    bool write, bool may_write, struct arena *a)
{
    struct notice_row n;
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o == OUTCOME_OK && id != NULL) {
        int rc = db_notices_get(c, action_id, id, false, a, &n);
        o = tx_read_outcome(c, rc);
    }
    if (o == OUTCOME_OK && write && !may_write)
        o = OUTCOME_APPROVAL_LAPSED;
    return o;
}

/* What a new notice is made of, but its action. */
struct new_notice {
    const char *kind;
    const struct notice_texts *texts;
    const char *sha256; /* the texts' digest */
};

/* The write of svc_rq_notice_create: target, the action's id; in, the struct new_notice. */
static int
insert(PGconn *c, struct tx *t, const struct audited_write *w)
{
    const struct new_notice *n = w->in;

    (void)t;
    return db_notices_insert(c, w->target, n->kind, n->texts, n->sha256, w->note->actor, w->a,
                             w->out);
}

enum outcome
svc_rq_notice_create(const struct audit_note *note, const char *association_id,
                     const char *action_id, const char *kind, const struct notice_texts *texts,
                     struct arena *a, struct notice_row *out)
{
    struct strbuf input = {0};
    char sha[SHA256_HEX_LEN + 1];
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    /* the audit event's digest is the texts' digest: the same bytes */
    notice_texts_digest_input(texts, &input);
    if (!sha256_hex(input.data, input.len, sha)) {
        strbuf_free(&input);
        return OUTCOME_INTERNAL;
    }
    struct audit_note texts_note = {note->actor, input.data, input.len};
    struct new_notice n = {kind, texts, sha};
    struct audited_write w = {.write = insert, .note = &texts_note,
                              .event = "action.notice.create", .object_type = "notice",
                              .object_id = &out->id, .target = action_id, .in = &n, .a = a,
                              .out = out};
    o = svc_audited_write(c, "notices.create", &w);
    strbuf_free(&input);
    return o;
}

enum outcome
svc_rq_notice_get(const char *association_id, const char *action_id, const char *id,
                  struct arena *a, struct notice_row *out)
{
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    int rc = db_notices_get(c, action_id, id, false, a, out);
    return tx_read_outcome(c, rc);
}

enum outcome
svc_rq_notice_list(const char *association_id, const char *action_id, const char *after,
                   int limit, struct arena *a, struct notice_row *out, int *n_out,
                   bool *more_out)
{
    const char *after_created = NULL, *after_id = NULL;
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    if (after != NULL) {
        const char *bar = strchr(after, '|');
        if (bar == NULL)
            return OUTCOME_INVALID; /* a cursor we signed always has one */
        after_created = arena_strndup(a, after, (size_t)(bar - after));
        after_id = bar + 1;
    }
    /* one more tells whether another page follows */
    int rc = db_notices_list(c, action_id, after_created, after_id, limit + 1, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = rc > limit;
    *n_out = rc > limit ? limit : rc;
    return OUTCOME_OK;
}

enum outcome
svc_rq_notice_preview(const char *association_id, const char *action_id, const char *id,
                      const char *lang, const char *public_url, const char *sender_name,
                      struct arena *a, struct mail_rendered *out, const char **stop_url_out)
{
    struct notice_row n;
    const char *title, *association;
    int k = strcmp(lang, "en") == 0 ? 1 : 0;
    enum outcome o = svc_rq_notice_get(association_id, action_id, id, a, &n);
    PGconn *c;

    if (o != OUTCOME_OK)
        return o;
    if ((o = svc_conn(&c)) != OUTCOME_OK)
        return o;
    int rc = db_notices_sender(c, action_id, a, &title, &association);
    if (rc != 1)
        return rc < 0 ? tx_outcome_of(c, rc) : OUTCOME_NOT_FOUND;
    struct notice_mail m = {
        .lang = notice_langs[k],
        .subject = n.texts.subject[k],
        .body = n.texts.body[k],
        .association_name = association,
        .action_title = title,
        .reference = PREVIEW_REFERENCE,
        .sender_name = sender_name,
        .my_claim_url = arena_printf(a, "%s/my-claim", public_url),
        .stop_url = n.essential ? NULL
                                : arena_printf(a, "%s/notices/stop/%s", public_url, PREVIEW_TOKEN),
    };
    mail_render_notice(&m, out);
    *stop_url_out = m.stop_url;
    return OUTCOME_OK;
}

struct send {
    const struct audit_note *note;
    const char *action_id;
    const char *id;
    const struct notice_send_request *rq;
    struct arena *a;
    struct notice_send_result *out;
};

/* The send's record as the audit digests it: what was sent (the texts' digest), to whom and
 * how many; no personal data. */
static char *
send_record(const struct send *s, const struct notice_row *n)
{
    return arena_printf(s->a,
                        "{\"notice\":\"%s\",\"texts_sha256\":\"%s\",\"audience\":%s,"
                        "\"matching\":%lld,\"recipients\":%lld,\"skipped_opted_out\":%lld}",
                        n->id, n->texts_sha256, s->rq->audience, (long long)s->out->matching,
                        (long long)s->out->recipients, (long long)s->out->skipped_opted_out);
}

static int
send_body(PGconn *c, struct tx *t, void *ctx)
{
    struct send *s = ctx;
    struct notice_send_result *r = s->out;
    struct notice_row n;
    int64_t opted = 0;

    memset(r, 0, sizeof *r);
    int rc = db_notices_get(c, s->action_id, s->id, true, s->a, &n);
    if (rc != 1)
        return rc < 0 ? rc : tx_answer(t, OUTCOME_NOT_FOUND);
    if (n.sent)
        return tx_answer(t, OUTCOME_INVALID_TRANSITION);
    if (s->rq->dry_run) {
        if ((rc = db_notices_count(c, s->action_id, s->rq->f, &r->matching, &opted)) != 1)
            return rc;
        r->skipped_opted_out = n.essential ? 0 : opted;
        r->recipients = r->matching - r->skipped_opted_out;
        return tx_answer(t, OUTCOME_OK); /* nothing to commit */
    }
    rc = db_notices_queue(c, s->id, n.essential, s->action_id, s->rq->f, &r->matching,
                          &r->recipients);
    if (rc != 1)
        return rc;
    r->skipped_opted_out = r->matching - r->recipients;
    /* decided here, on the rows this statement queued, not on the dry run's count: members
     * removed meanwhile may leave nobody, whatever expected says */
    if (r->recipients == 0) {
        r->no_recipients = true;
        return tx_answer(t, OUTCOME_OK); /* rolled back: the notice stays a draft */
    }
    if (r->recipients != s->rq->expected) {
        r->count_changed = true;
        return tx_answer(t, OUTCOME_OK); /* rolled back: the user confirms the new count */
    }
    rc = db_notices_mark_sent(c, s->id, s->note->actor, s->rq->audience, r->matching,
                              r->recipients);
    if ((rc = tx_held_row_written(rc)) != 1)
        return rc; /* the row is locked: it cannot have been sent since */
    const char *record = send_record(s, &n);
    struct audit_note note = {s->note->actor, record, strlen(record)};
    return tx_audited(svc_audit(c, &note, "action.notice.send", "notice", s->id));
}

enum outcome
svc_rq_notice_send(const struct audit_note *note, const char *association_id,
                   const char *action_id, const char *id, const struct notice_send_request *rq,
                   struct arena *a, struct notice_send_result *out)
{
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    struct send s = {note, action_id, id, rq, a, out};
    return svc_tx_run(c, "notices.send", TX_READ_WRITE, send_body, &s);
}

struct stop {
    const struct audit_note *note;
    const char *action_id;
    const char *id;
    struct arena *a;
    struct notice_row *out;
};

static int
cancel_body(PGconn *c, struct tx *t, void *ctx)
{
    struct stop *s = ctx;
    int64_t cancelled = 0;
    int rc = db_notices_get(c, s->action_id, s->id, false, s->a, s->out);

    if (rc != 1)
        return rc < 0 ? rc : tx_answer(t, OUTCOME_NOT_FOUND);
    if (!s->out->sent || s->out->cancelled)
        return tx_answer(t, OUTCOME_INVALID_TRANSITION);
    rc = db_notices_cancel(c, s->id, s->note->actor, &cancelled);
    if (rc != 1) /* nothing left queued, or stopped by another request meanwhile */
        return rc < 0 ? rc : tx_answer(t, OUTCOME_INVALID_TRANSITION);
    /* what was stopped: the texts' digest and how many messages; no personal data */
    const char *record = arena_printf(s->a, "{\"notice\":\"%s\",\"texts_sha256\":\"%s\","
                                            "\"cancelled\":%lld}",
                                      s->id, s->out->texts_sha256, (long long)cancelled);
    struct audit_note note = {s->note->actor, record, strlen(record)};
    if ((rc = tx_audited(svc_audit(c, &note, "action.notice.cancel", "notice", s->id))) != 1)
        return rc;
    /* the answer: the notice as this transaction leaves it */
    return tx_held_row_written(db_notices_get(c, s->action_id, s->id, false, s->a, s->out));
}

enum outcome
svc_rq_notice_cancel(const struct audit_note *note, const char *association_id,
                     const char *action_id, const char *id, struct arena *a,
                     struct notice_row *out)
{
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    struct stop s = {note, action_id, id, a, out};
    return svc_tx_run(c, "notices.cancel", TX_READ_WRITE, cancel_body, &s);
}

static int
delete_body(PGconn *c, struct tx *t, void *ctx)
{
    struct stop *s = ctx;
    struct strbuf input = {0};
    int rc = db_notices_get(c, s->action_id, s->id, true, s->a, s->out);

    if (rc != 1)
        return rc < 0 ? rc : tx_answer(t, OUTCOME_NOT_FOUND);
    if (s->out->sent)
        return tx_answer(t, OUTCOME_INVALID_TRANSITION);
    if ((rc = tx_held_row_written(db_notices_delete_draft(c, s->action_id, s->id))) != 1)
        return rc;
    /* the event's digest is the texts' digest, as the draft's creation had it */
    notice_texts_digest_input(&s->out->texts, &input);
    struct audit_note note = {s->note->actor, input.data, input.len};
    rc = tx_audited(svc_audit(c, &note, "action.notice.delete", "notice", s->id));
    strbuf_free(&input);
    return rc;
}

enum outcome
svc_rq_notice_delete(const struct audit_note *note, const char *association_id,
                     const char *action_id, const char *id, struct arena *a)
{
    struct notice_row n;
    PGconn *c;
    enum outcome o = owned_action(association_id, action_id, a, &c);

    if (o != OUTCOME_OK)
        return o;
    struct stop s = {note, action_id, id, a, &n};
    return svc_tx_run(c, "notices.delete", TX_READ_WRITE, delete_body, &s);
}
