/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The normal forms of docs/product.md §3.1: two submissions by one person give byte-identical
 * strings here, which crypto/keyed_hash then turns into lookup keys; and the NFC form names
 * are stored in.
 * Invariants: outputs are NUL-terminated and written only on success (on failure the first
 * byte is NUL when there is room); inputs are NUL-terminated and never modified. */
#ifndef RECOURS_DOMAIN_NORMALIZE_H
#define RECOURS_DOMAIN_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest normal forms, without the NUL. */
#define NORMALIZE_EMAIL_MAX 254
#define NORMALIZE_PHONE_MAX 16 /* '+' and at most 15 digits (E.164) */

/* Email address dedup form into out (cap bytes, NORMALIZE_EMAIL_MAX + 1 always suffice):
 * ASCII white space trimmed, then `local@domain.tld` checked (a dot-atom local part of 1-64
 * characters, a domain of at least two dot-separated labels of letters, digits and inner
 * hyphens, a top-level label of two letters or more, 254 characters in all) and lower-cased.
 * For gmail.com and googlemail.com, which ignore them, the dots and any "+tag" of the local
 * part are removed and the domain becomes gmail.com. False when the address is not in that
 * shape, non-ASCII included (internationalised addresses are refused for now: RFC 6531 local
 * parts have no agreed case folding), or when out is too small. */
bool normalize_email(const char *in, char *out, size_t cap);

/* Phone number in E.164 ("+33612345678") into out. Accepts '+' or an international call
 * prefix then the calling code ("+33 6 12 34 56 78", "0033 6..."; the country is then
 * ignored and may be NULL), or a national number of country, an upper-case ISO code ("06 12
 * 34 56 78" with "FR", "(202) 555-0143" with "US"), whose trunk prefix is dropped; digits may
 * be separated by spaces and . - ( ) /. False for any other character, an unknown calling
 * code, a length outside the country's national numbers or E.164's 7-15 digits, a leading 0
 * where the country's numbers have none, or a national number without a known country. */
bool normalize_phone(const char *in, const char *country, char out[NORMALIZE_PHONE_MAX + 1]);

/* Identity dedup key "family|given|birth_date" into out (cap bytes). Each name is Unicode
 * compatibility-decomposed (NFKD) and case-folded, stripped of combining marks (diacritics),
 * format characters and control characters; hyphens and dashes, apostrophes, underscores and
 * '|' become spaces; white-space runs become one space, trimmed. birth_date must be a real
 * "YYYY-MM-DD" date. So "Dupont-Martin", "Hélène" and "dupont  martin", "HELENE" give the
 * same key. False for invalid UTF-8, a name left empty, a bad date or a key longer than
 * cap - 1 bytes. */
bool normalize_identity(const char *family, const char *given, const char *birth_date,
                        char *out, size_t cap);

/* Whether name keeps something once folded as for the identity key: a name of only spaces,
 * dashes, apostrophes, marks or invisible characters is blank. False for invalid UTF-8. */
bool normalize_name_has_letters(const char *name);

/* Whether text has at least one letter or digit (any script): an address line, postal code or
 * city of only spaces (no-break ones too), punctuation, marks or invisible characters is blank.
 * False for invalid UTF-8. */
bool normalize_text_has_content(const char *text);

/* A heap copy of in in Unicode NFC, NUL-terminated: the form names are stored and shown in.
 * The caller frees it with free(). NULL when in is not valid UTF-8; aborts on memory
 * exhaustion like xmalloc. */
char *normalize_nfc(const char *in);

#endif
