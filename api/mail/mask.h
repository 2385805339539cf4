/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An email address masked for a message to someone who may not be its owner (the notice of a
 * changed address goes to the old address: docs/mail.md, address-changed): enough to recognise
 * one's own address, not enough to write to it. */
#ifndef RECOURS_MAIL_MASK_H
#define RECOURS_MAIL_MASK_H

#include "core/strbuf.h"

/* Appends address masked to out: the first character of the local part and of the domain,
 * each followed by "***", then the domain's last label ("jane.doe@example.org" gives
 * "j***@e***.org"). A character is a whole UTF-8 sequence. A domain without a dot keeps no
 * label; anything that is not local@domain gives "***". */
void mail_mask_address(const char *address, struct strbuf *out);

#endif
