/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The reasons of a rejection or a removal in words, for the messages to the claimant. */
#ifndef RECOURS_MAIL_REVIEW_WORDS_H
#define RECOURS_MAIL_REVIEW_WORDS_H

/* The reason code (domain/review.h) in words, in lang ("fr", "en"; French otherwise); an
 * unknown code reads as "other". */
const char *mail_review_reason(const char *lang, const char *code);

#endif
