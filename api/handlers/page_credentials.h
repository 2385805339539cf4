/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claimant's credentials as /my-claim's forms receive them (page_my_claim.c): a reference
 * and a token typed or pasted, eased to what the person meant; a recovery link's secret as a
 * mail program may have cut it. The API itself stays strict (domain/reference.h). */
#ifndef RECOURS_HANDLERS_PAGE_CREDENTIALS_H
#define RECOURS_HANDLERS_PAGE_CREDENTIALS_H

#include <stdbool.h>

struct arena;
struct form;

/* The reference and token of a post as meant, in place: the token without the blanks around
 * it (ASCII ones and U+00A0, which a copy from a page or a message brings), the reference
 * without any (none belongs in it; read out, it comes in groups), its dashes put back where
 * they belong when blanks stood for them or none was typed ("RC 7K3M Q9XD", "rc7k3mq9xd").
 * "reference" and "recover_reference" alike. In a's memory. */
void page_ease_credentials(struct arena *a, struct form *f);

/* Whether s can be a recovery link's secret: base64url, 16 to 128 characters (the links of
 * api/mail/). */
bool page_recovery_link_is_valid(const char *s);

#endif
