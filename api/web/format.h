/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Numbers, money and dates written for a page's language, by hand (no setlocale: the
 * server's locale is the machine's, a page's is the reader's):
 *   fr  33 700 000 · 50 000 KRW · 12,50 € · 5 décembre 2026 · 1er mars 2026
 *   en  33,700,000 · 50,000 KRW · €12.50 · 5 December 2026 · 1 March 2026
 * French groups digits with U+202F (narrow no-break space, as CLDR and the browsers'
 * Intl.NumberFormat do) and joins amount and currency with U+00A0, so a figure never
 * breaks across lines. The euro is written with its sign, where its readers put it (as
 * Intl.NumberFormat does, so a page's figures read the same with and without its script);
 * other currencies by their code. The output needs no HTML escaping (digits, separators,
 * "€", an ISO currency code, month names). */
#ifndef RECOURS_WEB_FORMAT_H
#define RECOURS_WEB_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "web/lang.h"

#define WEB_NBSP "\u00a0"        /* between an amount and its currency */
#define WEB_GROUP_FR "\u202f"    /* French digit grouping */

/* v with thousands grouped: "33 700 000" / "33,700,000"; "-1 000" for negatives. */
void web_format_int(struct strbuf *sb, enum web_lang lang, int64_t v);

/* An amount in minor units of an ISO 4217 currency (domain/currency.h exponents):
 * 5000000 KRW (exponent 0) → "5 000 000 KRW"; 1250 EUR (exponent 2) → "12,50 €" /
 * "€12.50". false (nothing appended) for an unknown currency. */
bool web_format_money(struct strbuf *sb, enum web_lang lang, int64_t minor, const char *currency);

/* A calendar date, from "YYYY-MM-DD" or an RFC 3339 timestamp (its UTC date):
 * "5 décembre 2026" / "5 December 2026". false (nothing appended) for anything else. */
bool web_format_date(struct strbuf *sb, enum web_lang lang, const char *iso);

/* A phone number in E.164 for reading: "+33612345678" → "+33 6 12 34 56 78" (the calling
 * code, then pairs where the country writes its numbers so), "+442079460958" →
 * "+44 2079460958". false (nothing appended) for anything but E.164 of a known calling code. */
bool web_format_phone(struct strbuf *sb, const char *e164);

#endif
