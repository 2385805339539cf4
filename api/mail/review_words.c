/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words of the review messages (docs/workspace.md): why a claim was rejected or a member
 * removed, in both languages side by side (mail/words.h), from the reason codes of
 * domain/review.c. */
#include "mail/review_words.h"

#include <string.h>

#include "mail/words.h"

struct reason_words {
    const char *code;
    const char *in[MAIL_N_LANGS];
};

/* "other" last: the words of an unknown code */
static const struct reason_words words[] = {
    {"not_affected",
     {"vous ne semblez pas concerné par cet incident",
      "you do not appear to be affected by this incident"}},
    {"incomplete", {"la réclamation est incomplète", "the claim is incomplete"}},
    {"duplicate",
     {"la réclamation fait double emploi avec une autre", "the claim duplicates another one"}},
    {"outside_period",
     {"les faits décrits sont en dehors de la période de l'incident",
      "what the claim describes is outside the incident's period"}},
    {"claimant_request", {"à votre demande", "at your request"}},
    {"other",
     {"pour une autre raison, que l'association peut vous préciser",
      "for another reason, which the association can explain"}},
};

const char *
mail_review_reason(const char *lang, const char *code)
{
    size_t i = 0, last = sizeof words / sizeof words[0] - 1;

    while (i < last && (code == NULL || strcmp(words[i].code, code) != 0))
        i++;
    return words[i].in[mail_lang_of(lang)];
}
