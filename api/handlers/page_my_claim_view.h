/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The markup of /my-claim (page_my_claim.c): the access and recovery forms, the claim as given
 * with its action, the correction form (the claim form's own questions), the mandate offer,
 * the withdrawal and the question before it, the new token after a recovery. */
#ifndef RECOURS_HANDLERS_PAGE_MY_CLAIM_VIEW_H
#define RECOURS_HANDLERS_PAGE_MY_CLAIM_VIEW_H

#include <jansson.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "core/urlencoded.h"
#include "service/claim_page.h"
#include "service/evidence.h"
#include "web/layout.h"

/* The recovery question's reference, in the access page's one form beside the access
 * question's own "reference" (POST /my-claim, form=recover). */
#define MY_CLAIM_RECOVER_REFERENCE "recover_reference"

struct my_claim_state {
    struct arena *arena;           /* the request's */
    const char *notice_key;        /* a message at the top (catalogue key), or NULL */
    const char *notice_kind;       /* "error" | "success" | "info" */
    const char *notice_param;      /* its {seconds} (a wait) or {days} (the retention) */
    /* the access page */
    const char *reference;         /* kept in the access form */
    const char *offer_action;      /* ?action= of the link: kept to offer it once open */
    const char *recover_link;      /* ?recover=: the redeem form */
    const char *recover_email;     /* kept in the recovery form when it was refused */
    const char *recover_reference;
    const char *sent;              /* a refusal of the posted form, kept in its hidden `sent`
                                    * for its language switch to say again, or NULL */
    const char *new_reference;     /* after a redeem: the new token, shown once */
    const char *new_token;
    bool renewed;                  /* new_token was just set by a recovery link */
    /* the claim page */
    json_t *view;                  /* the API's claim view, or NULL for the access page */
    const char *token;             /* carried in the claim page's forms */
    const struct claim_page_data *data;   /* its incident, scheme; action offered */
    const json_t *open_actions;    /* the incident's actions taking mandates (a JSON array of
                                    * {id, title, association}), or NULL */
    const struct scheme *scheme;
    const struct action *member;          /* the action the claim is in, or NULL */
    const struct association *member_assoc;
    const struct evidence_list *evidence; /* its evidence files (handlers/evidence_page.h), or
                                           * NULL: no section */
    const char *evidence_dropped;         /* a file chosen but not attached, which the
                                           * language switch forgot (its name), or NULL */
    const char *evidence_refused;         /* why a file was not attached (catalogue key),
                                           * said beside the file input, or NULL */
    bool confirm_withdraw;                /* the question before a withdrawal, not the claim */
    const struct form *values;     /* a refused correction's values, or NULL */
    const struct errors *errors;
    bool recheck;                  /* values is a refused correction shown again in another
                                    * language: errors are those it would meet now */
};

void page_my_claim_render(struct strbuf *sb, const struct web_ctx *w,
                          const struct my_claim_state *st);

/* The claim as given (st->view): a <dl> of its facts, in the page's language
 * (page_my_claim_facts.c). */
void page_my_claim_facts(struct strbuf *sb, const struct web_ctx *w,
                         const struct my_claim_state *st);

/* The claim view's fields as the correction form's values ("claimant.phone" → "+33 6 12 …",
 * amounts in major units), into out (strings in a). */
void page_my_claim_values(const json_t *view, const struct web_ctx *w, const char *currency,
                          struct arena *a, struct form *out);

#endif
