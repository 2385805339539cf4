/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ISO 3166-1 alpha-2 countries (the 249 officially assigned codes) and, for each, how its
 * telephone numbers are dialled: E.164 calling code, trunk prefix, international call prefix
 * and the length of national significant numbers.
 * Invariants: codes are two upper-case ASCII letters; calling codes are 1-3 digits and form a
 * prefix-free set (E.164), so the leading digits of an international number name at most one;
 * every returned string is static. */
#ifndef RECOURS_DOMAIN_COUNTRIES_H
#define RECOURS_DOMAIN_COUNTRIES_H

#include <stdbool.h>
#include <stddef.h>

/* How national numbers are written in a country, or under one calling code. */
struct country_dialing {
    const char *calling_code; /* E.164 country code without '+': "33", "1", "378" */
    /* Digits dialled before the national significant number inside the country and dropped in
     * E.164: "0" (FR, DE, GB, KR...), "1" (NANP, optional there), "8" (RU...), "06" (HU); ""
     * where there is none. Italy, San Marino and the Vatican have none: their leading 0 is
     * part of the number and kept. */
    const char *trunk_prefix;
    const char *idd;  /* international call prefix from that country ("00", "011"), "" if we
                         cannot recognise one (only '+' is then international) */
    int nsn_min;      /* bounds on the national significant number's digits */
    int nsn_max;
    bool keeps_zero;  /* a national significant number may start with 0 (IT, SM, VA, CI...) */
};

/* True when code is exactly two upper-case letters officially assigned by ISO 3166-1
 * ("FR"; not "fr", "UK", "EU" or "XK"). */
bool country_is_assigned(const char *code);

/* Upper-cases a two-letter code given in any case into out ("be" → "BE"); false, with out set
 * to "", when it is not exactly two ASCII letters or not assigned. */
bool country_normalize(const char *in, char out[3]);

/* The E.164 calling code of an assigned upper-case code ("FR" → "33", "US" → "1"), or NULL for
 * an unknown code or a country with no telephone service of its own (BV, HM). */
const char *country_calling_code(const char *code);

/* The dialling rules of an assigned upper-case code; false for an unknown code or one without
 * a calling code. */
bool country_dialing_of(const char *code, struct country_dialing *out);

/* The calling code that starts digits (an international number after its '+' or call prefix),
 * with the rules of the countries sharing it merged: widest length bounds, keeps_zero if any
 * keeps it, the trunk prefix only when all agree, idd "". Non-geographic codes (800, 870, 881,
 * ...) are known too. Returns the calling code's length, or 0 when no assigned code starts
 * digits. */
size_t country_dialing_for_number(const char *digits, struct country_dialing *out);

#endif
