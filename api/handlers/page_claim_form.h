/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form page, rendered by the server (docs/web-forms.md): the incident and what a
 * claimant may receive at the top, the form in the page's language, every control named after
 * the API's member it fills (handlers/claim_form.h), the values kept and the errors beside
 * their fields after a refused post (GOV.UK's error summary pattern), the mandate of the
 * action the page was opened from. It works without JavaScript; web/static/claim.js enhances
 * the same markup (data-field wrappers, error-msg holders: web/static/forms.js). */
#ifndef RECOURS_HANDLERS_PAGE_CLAIM_FORM_H
#define RECOURS_HANDLERS_PAGE_CLAIM_FORM_H

#include "core/errors.h"
#include "core/strbuf.h"
#include "core/urlencoded.h"
#include "domain/scheme.h"
#include "handlers/page_fund.h"
#include "service/claim_page.h"
#include "web/layout.h"

#define CLAIM_FORM_KEY_LEN 32 /* hex digits of the Idempotency-Key a rendered form carries */

struct claim_form_state {
    const struct claim_page_data *data;
    const struct scheme *scheme;  /* the scheme in force, read; NULL: none */
    const struct page_fund *fund; /* where its fund cap stands today; NULL: nothing to say */
    const struct form *values;    /* what was posted, kept; NULL on a first render */
    const struct errors *errors;  /* field errors of a refused post; NULL: none */
    const char *notice_key;       /* a message above the form (catalogue key), or NULL */
    const char *offer_note_key;   /* why the link's action is not offered (catalogue key), or
                                   * NULL: "mandate.unavailable" when the data refused one */
    const char *notice_param;     /* its {seconds} */
    const char *notice_link;      /* a link under it, or NULL */
    const char *notice_link_key;
    const char *privacy_version;  /* the notice a claim made now accepts */
    const char *sent;             /* a refused send: the form's hidden `sent` ("1": field
                                   * errors, else the refusal, page_claim.c), or NULL */
    char idem_key[CLAIM_FORM_KEY_LEN + 1];
};

/* Appends the whole page (layout included) to sb. */
void page_claim_form_render(struct strbuf *sb, const struct web_ctx *w,
                            const struct claim_form_state *st);

/* The questions of the claim, shared by the claim form and the correction form of /my-claim:
 * who, address, categories, harms (loss and time only when the scheme pays them), payment;
 * values from st->values, errors from st->errors. */
void page_claim_fields(struct strbuf *sb, const struct web_ctx *w,
                       const struct claim_form_state *st);

/* The payment options' hints under scheme s, which has vouchers: the vouchers themselves, in
 * the words of the incident's page (page_parts.h page_vouchers_text), into voucher, and the
 * money instead, into cash: lower only when the scheme sets a cash ratio below one
 * (domain/award.h award_base), else the same. The claim form says them under its options,
 * /my-claim under the choice stored. */
void page_claim_payment_hints(struct strbuf *voucher, struct strbuf *cash, const struct web_ctx *w,
                              const struct scheme *s);

/* The mandate of the action the page offers: "{association} (approved association, approval
 * …) brings the action …" (who, which action, on what basis, until when), the label of its
 * text with the version, then the text in the page's language (the original, with a
 * sentence saying so, when the action has none in that language), paragraph by paragraph. */
void page_claim_mandate(struct strbuf *sb, const struct web_ctx *w,
                        const struct claim_page_data *d);

/* GOV.UK's error summary: st's errors, each as a link to its control, announced
 * (role="alert"); an empty hidden holder for the scripts when there is none. The messages
 * read the incident's currency (an amount's) and the country posted (a postal code's;
 * page_field_error.h). */
void page_claim_error_summary(struct strbuf *sb, const struct web_ctx *w,
                              const struct claim_form_state *st);

/* What stands above the claim form: the message of st->notice_key (a refusal that is no
 * field's), if any; the incident (controller, title, link to its page) and what a claimant
 * may receive under the scheme in force, in the words of /i/{slug} (page_parts.h
 * page_scheme). */
void page_claim_form_top(struct strbuf *sb, const struct web_ctx *w,
                         const struct claim_form_state *st);

#endif
