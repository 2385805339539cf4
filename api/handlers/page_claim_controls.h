/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form's controls, for the files that write its questions (page_claim_fields.c) and
 * its page (page_claim_form.c): the table of the controls (the API's member, the element's id,
 * the label), which control a field error belongs to, and how one question is written: its
 * wrapper, label or legend, hint and errors' holder, then the input or the boxes inside, with
 * the value kept from a refused post. */
#ifndef RECOURS_HANDLERS_PAGE_CLAIM_CONTROLS_H
#define RECOURS_HANDLERS_PAGE_CLAIM_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "handlers/page_claim_form.h"
#include "web/layout.h"

/* One control of the form and where its errors go. */
struct claim_control {
    const char *name; /* the API's member: claimant.email */
    const char *id;   /* the element's id: email */
    const char *label_key;
    const char *hint_key; /* NULL: none */
    const char *type;     /* input type; NULL: not a text input */
    const char *autocomplete;
    int maxlength;
    const char *size_class; /* input-short | input-medium | NULL */
};

/* The questions about the claimant, then the address's text inputs, in the form's order. */
extern const struct claim_control page_claim_you[];
extern const size_t page_claim_n_you;
extern const struct claim_control page_claim_address[];
extern const size_t page_claim_n_address;

/* The control a field error (claimant.email, data_categories[2]) belongs to, or NULL. */
const struct claim_control *page_claim_control_of(const char *field);

/* The value posted for name, or "" (first render: nothing). */
const char *page_claim_kept(const struct claim_form_state *st, const char *name);

/* Whether name was posted with value (NULL: with any value). */
bool page_claim_kept_has(const struct claim_form_state *st, const char *name, const char *value);

/* aria-describedby (c's hint when hint, its errors' holder when it has errors) and
 * aria-invalid, inside an element's tag. */
void page_claim_describedby(struct strbuf *sb, const struct claim_form_state *st,
                            const struct claim_control *c, bool hint);

/* <div class="field" data-field=...> label (label_params filling it), hint, errors' holder. */
void page_claim_field_open(struct strbuf *sb, const struct web_ctx *w,
                           const struct claim_form_state *st, const struct claim_control *c,
                           const char *const *label_params);

/* A fieldset that is one question (categories, payment): its errors go on the fieldset. */
void page_claim_group_open(struct strbuf *sb, const struct web_ctx *w,
                           const struct claim_form_state *st, const struct claim_control *c,
                           const char *legend_key, const char *hint_key);

/* The end of a field's <input>: what describes it, the value kept, then the field closed. */
void page_claim_input_end(struct strbuf *sb, const struct claim_form_state *st,
                          const struct claim_control *c, bool hint);

/* A whole text-like field of the table: its wrapper, then its <input>. */
void page_claim_text_input(struct strbuf *sb, const struct web_ctx *w,
                           const struct claim_form_state *st, const struct claim_control *c,
                           bool required);

/* <div class="check"><input type=checkbox|radio ...><label>…</label>[hint]</div>; the label is
 * the catalogue's label_key with params, the hint hint_key (NULL: none). */
void page_claim_box(struct strbuf *sb, const struct web_ctx *w, const char *type, const char *id,
                    const char *name, const char *value, bool checked, const char *label_key,
                    const char *const *params, const char *hint_key);

/* page_claim_box whose hint is text already written for the page (escaped), the label without
 * parameters: a hint made of the scheme's figures. */
void page_claim_box_hinted(struct strbuf *sb, const struct web_ctx *w, const char *type,
                           const char *id, const char *name, const char *value, bool checked,
                           const char *label_key, const char *hint_html);

#endif
