/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An amount as a person types it on a page, in the page's language and the incident's
 * currency: "50 €", "1 234,56 EUR", "1.234,56" (French), "€50", "1,234.56" (English). The
 * rule (docs/web-forms.md, "Amounts as typed"): a currency sign or code at either end is
 * dropped when it is the incident's, refused when it is another's; with both ',' and '.'
 * the last is the decimal mark; a lone mark followed by three digits is the page's decimal
 * mark when it is the page's ("1,234" in French is 1,234), a thousands separator otherwise
 * ("1.234" in French, "1,234" in English: 1 234), refused in a currency with three decimals
 * (both readings are amounts); any other lone mark is the decimal mark. No floating point. */
#ifndef RECOURS_DOMAIN_AMOUNT_TYPED_H
#define RECOURS_DOMAIN_AMOUNT_TYPED_H

#include <stdint.h>

enum amount_typed {
    AMOUNT_TYPED_OK,
    AMOUNT_TYPED_BAD,            /* not an amount, or not one unambiguously */
    AMOUNT_TYPED_OTHER_CURRENCY, /* an amount in a currency that is not the incident's */
};

/* Reads s as typed on a page whose decimal mark is decimal_mark (',' French, '.' English)
 * for an amount in currency (ISO 4217, upper case) with `decimals` decimals, into minor
 * units; *minor_out is set only for AMOUNT_TYPED_OK. */
enum amount_typed amount_typed_read(const char *s, char decimal_mark, const char *currency,
                                    int decimals, int64_t *minor_out);

#endif
