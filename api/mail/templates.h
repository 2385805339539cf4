/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words of every message, one catalogue per language (templates_fr.c, templates_en.c).
 * Fragments, not formats: the renderer (render.c) puts the values between them, so that no
 * string here is ever a printf format. Kept apart from the pages' catalogue (web/i18n/). */
#ifndef RECOURS_MAIL_TEMPLATES_H
#define RECOURS_MAIL_TEMPLATES_H

struct mail_catalogue {
    const char *lang;
    const char *greeting;
    const char *signature;
    const char *reference_label;
    const char *incident_label;
    const char *action_label;
    const char *no_token_note;
    const char *not_you_note;
    const char *accepted_subject;
    const char *accepted_intro;
    const char *my_claim_intro;
    const char *confirm_intro;
    const char *corrected_subject;
    const char *corrected_intro;
    const char *withdrawn_subject;
    const char *withdrawn_intro;
    const char *recovery_subject;
    const char *recovery_intro;
    const char *recovery_link_label;
    const char *recovery_expiry;
    /* the workspace's review (docs/workspace.md) */
    const char *reason_label;
    const char *rejected_subject;
    const char *rejected_intro;
    const char *rejected_correct_intro;
    const char *removed_subject;
    const char *removed_intro;
};

extern const struct mail_catalogue mail_catalogue_fr;
extern const struct mail_catalogue mail_catalogue_en;

/* The catalogue of lang ("fr", "en"); French for anything else (the site's default). */
const struct mail_catalogue *mail_catalogue_of(const char *lang);

#endif
