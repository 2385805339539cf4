/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ISO 4217 currencies in use, with their minor-unit exponents (EUR 2, KRW 0, JPY 0, ...). */
#ifndef RECOURS_DOMAIN_CURRENCY_H
#define RECOURS_DOMAIN_CURRENCY_H

#include <stdbool.h>

/* Exponent of the code ("EUR" → 2), or -1 if it is not an active ISO 4217 currency. Only
 * upper-case codes are accepted, as on the wire. */
int currency_exponent(const char *code);

#endif
