/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words of every message, each in both languages side by side (words.c), so that a
 * translation is read, changed and checked next to its original and a message can never
 * exist in one language only. Fragments, not formats: the renderer (render.c) puts the
 * values between them, so that no string here is ever a printf format. Kept apart from the
 * pages' catalogue (web/i18n/), which browsers download: these never reach them. */
#ifndef RECOURS_MAIL_WORDS_H
#define RECOURS_MAIL_WORDS_H

/* French typography: the space before : ; ? ! and inside « » is a no-break space (U+00A0), so a
 * mail reader never wraps a line before the mark (tests/checks/check_french_spacing.sh). */
#define MAIL_NBSP "\xc2\xa0"

/* How many days a confirmation link works: service/mail_delivery.h sets the links' validity
 * from it, and the messages say it (confirm_expiry), from the same number. */
#define MAIL_CONFIRM_LINK_DAYS 30
#define MAIL_STRINGIFY(x) #x
#define MAIL_NUMBER(x) MAIL_STRINGIFY(x)

/* The languages of the messages, in the column order of every entry below. */
enum mail_lang { MAIL_FR, MAIL_EN, MAIL_N_LANGS };

/* The language of lang ("fr", "en"); French for anything else (the site's default). */
enum mail_lang mail_lang_of(const char *lang);

/* The code of l ("fr", "en"), for Content-Language and <html lang>. */
const char *mail_lang_code(enum mail_lang l);

/* One entry per fragment, indexed by enum mail_lang. */
struct mail_words {
    const char *greeting[MAIL_N_LANGS];
    const char *signature_by[MAIL_N_LANGS];
    const char *signature_end[MAIL_N_LANGS];
    const char *reference_label[MAIL_N_LANGS];
    const char *incident_label[MAIL_N_LANGS];
    const char *action_label[MAIL_N_LANGS];
    const char *association_label[MAIL_N_LANGS];
    const char *no_token_note[MAIL_N_LANGS];
    const char *not_you_note[MAIL_N_LANGS];
    const char *accepted_subject[MAIL_N_LANGS];
    const char *accepted_intro[MAIL_N_LANGS];
    const char *my_claim_intro[MAIL_N_LANGS];
    const char *confirm_intro[MAIL_N_LANGS];
    const char *confirm_not_you[MAIL_N_LANGS]; /* after the link of a first confirmation */
    const char *confirm_expiry[MAIL_N_LANGS];  /* right after a confirmation link */
    const char *corrected_subject[MAIL_N_LANGS];
    const char *corrected_intro[MAIL_N_LANGS];
    const char *withdrawn_subject[MAIL_N_LANGS];
    /* "… will be erased " days " days after the withdrawal." (one day: withdrawn_day) */
    const char *withdrawn_intro[MAIL_N_LANGS];
    const char *withdrawn_days[MAIL_N_LANGS];
    const char *withdrawn_day[MAIL_N_LANGS]; /* 1, and 0 in French (the pages' rule) */
    const char *recovery_subject[MAIL_N_LANGS];
    const char *recovery_intro[MAIL_N_LANGS];
    const char *recovery_link_label[MAIL_N_LANGS];
    const char *recovery_expiry[MAIL_N_LANGS];
    /* the workspace's review (docs/workspace.md) */
    const char *reason_label[MAIL_N_LANGS];
    const char *rejected_subject[MAIL_N_LANGS];
    const char *rejected_intro[MAIL_N_LANGS];
    const char *rejected_correct_before[MAIL_N_LANGS]; /* "You may correct it until " date */
    const char *rejected_correct_after[MAIL_N_LANGS];
    const char *rejected_final_intro[MAIL_N_LANGS];    /* no correction window */
    const char *month[12][MAIL_N_LANGS];               /* the dates' month names */
    const char *first_of_month[MAIL_N_LANGS];          /* "1er", "1" */
    const char *removed_subject[MAIL_N_LANGS];
    const char *removed_intro[MAIL_N_LANGS];
    /* to the address a correction replaced: "… changed on " day " to " masked "." */
    const char *address_changed_subject[MAIL_N_LANGS];
    const char *address_changed_before[MAIL_N_LANGS];
    const char *address_changed_recently[MAIL_N_LANGS]; /* no day known */
    const char *address_changed_between[MAIL_N_LANGS];
    const char *address_changed_after[MAIL_N_LANGS];
    /* "if this was not you" (a change of address, a withdrawal: someone holds the token) */
    const char *not_you_operator[MAIL_N_LANGS];      /* then the operator's address */
    const char *not_you_operator_page[MAIL_N_LANGS]; /* then the legal page's URL */
    const char *address_changed_last[MAIL_N_LANGS];
    /* what recours adds around an association's notice (notice_render.c) */
    const char *notice_from_before[MAIL_N_LANGS];  /* "Message from " association */
    const char *notice_from_between[MAIL_N_LANGS]; /* " to the members of the action “" title */
    const char *notice_from_after[MAIL_N_LANGS];   /* "”." */
    const char *notice_reference[MAIL_N_LANGS];
    const char *notice_my_claim[MAIL_N_LANGS];
    const char *notice_stop[MAIL_N_LANGS];
    const char *notice_essential[MAIL_N_LANGS];
};

extern const struct mail_words mail_words;

#endif
