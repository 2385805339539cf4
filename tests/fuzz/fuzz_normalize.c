/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: the normal forms of domain/normalize on arbitrary bytes. The input is split
 * on NUL bytes into fields (email, phone, country, family name, given name, birth date); each
 * field also goes through the email, phone, NFC and "has letters / content" readers.
 * Invariants:
 *  - email: an accepted address gives at most 254 bytes of lower-case printable ASCII with
 *    one '@', which normalises to itself, and needs exactly its length + 1 bytes of room;
 *  - phone: an accepted number gives '+' and 7-15 digits, which reads back to itself with or
 *    without the country;
 *  - NFC: defined exactly for valid UTF-8, idempotent, and it changes neither whether a name
 *    has letters nor its identity key (names are stored in NFC, keys made from them);
 *  - identity key: "family|given|date", valid UTF-8 without doubled, leading or trailing
 *    spaces in its parts, made exactly when both names have letters and the date is real. */
#include <stdbool.h>
#include <string.h>
#include <unistr.h>

#include "domain/dates.h"
#include "domain/normalize.h"

#include "fuzz_input.h"

#define KEY_CAP 16384      /* as service/claims_seal.c */
#define NAME_BYTES_MAX 400 /* 100 code points (claims_parse.c): the key fits in KEY_CAP */

enum { EMAIL, PHONE, COUNTRY, FAMILY, GIVEN, BIRTH_DATE, N_FIELDS };

static void
check_email(const char *in)
{
    char out[NORMALIZE_EMAIL_MAX + 1];
    char again[NORMALIZE_EMAIL_MAX + 1];

    if (!normalize_email(in, out, sizeof out)) {
        FUZZ_CHECK(out[0] == '\0');
        return;
    }
    size_t n = strlen(out);
    FUZZ_CHECK(n >= 6 && n <= NORMALIZE_EMAIL_MAX);
    FUZZ_CHECK(strchr(out, '@') != NULL && strchr(out, '@') == strrchr(out, '@'));
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(out[i] > ' ' && out[i] < 0x7f && !(out[i] >= 'A' && out[i] <= 'Z'));
    FUZZ_CHECK(normalize_email(out, again, sizeof again) && strcmp(again, out) == 0);
    FUZZ_CHECK(normalize_email(in, again, n + 1) && strcmp(again, out) == 0);
    FUZZ_CHECK(!normalize_email(in, again, n));
}

static void
check_phone(const char *in, const char *country)
{
    char out[NORMALIZE_PHONE_MAX + 1];
    char again[NORMALIZE_PHONE_MAX + 1];

    if (!normalize_phone(in, country, out))
        return;
    size_t n = strlen(out);
    FUZZ_CHECK(n >= 8 && n <= NORMALIZE_PHONE_MAX && out[0] == '+');
    FUZZ_CHECK(strspn(out + 1, "0123456789") == n - 1);
    FUZZ_CHECK(normalize_phone(out, NULL, again) && strcmp(again, out) == 0);
    FUZZ_CHECK(normalize_phone(out, country, again) && strcmp(again, out) == 0);
}

static void
check_nfc(const char *in)
{
    bool valid = u8_check((const uint8_t *)in, strlen(in)) == NULL;
    char *nfc = normalize_nfc(in);

    (void)normalize_text_has_content(in);
    FUZZ_CHECK((nfc != NULL) == valid);
    if (nfc == NULL) {
        FUZZ_CHECK(!normalize_name_has_letters(in));
        return;
    }
    char *again = normalize_nfc(nfc);
    FUZZ_CHECK(again != NULL && strcmp(again, nfc) == 0);
    if (strlen(in) <= NAME_BYTES_MAX)
        FUZZ_CHECK(normalize_name_has_letters(nfc) == normalize_name_has_letters(in));
    free(again);
    free(nfc);
}

/* Each part of key before the date: not empty, no leading, trailing or doubled space. */
static void
check_key_shape(const char *key, const char *birth_date)
{
    const char *bar1 = strchr(key, '|');
    FUZZ_CHECK(bar1 != NULL);
    const char *bar2 = strchr(bar1 + 1, '|');
    FUZZ_CHECK(bar2 != NULL && strcmp(bar2 + 1, birth_date) == 0);
    FUZZ_CHECK(u8_check((const uint8_t *)key, strlen(key)) == NULL);
    FUZZ_CHECK(bar1 > key && bar2 > bar1 + 1);
    for (const char *p = key; p < bar2; p++)
        if (*p == ' ')
            FUZZ_CHECK(p > key && p[-1] != ' ' && p[-1] != '|' && p[1] != ' ' && p[1] != '|');
}

static void
check_identity(const char *family, const char *given, const char *birth_date)
{
    static char key[KEY_CAP];
    static char nfc_key[KEY_CAP];
    struct civil_date d;

    bool ok = normalize_identity(family, given, birth_date, key, sizeof key);
    if (ok)
        check_key_shape(key, birth_date);
    else
        FUZZ_CHECK(key[0] == '\0');
    if (strlen(family) <= NAME_BYTES_MAX && strlen(given) <= NAME_BYTES_MAX)
        FUZZ_CHECK(ok == (normalize_name_has_letters(family) && normalize_name_has_letters(given) &&
                          civil_date_parse(birth_date, &d)));
    char *f = normalize_nfc(family);
    char *g = normalize_nfc(given);
    if (f != NULL && g != NULL) {
        bool nfc_ok = normalize_identity(f, g, birth_date, nfc_key, sizeof nfc_key);
        FUZZ_CHECK(nfc_ok == ok && (!ok || strcmp(nfc_key, key) == 0));
    }
    free(f);
    free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *field[N_FIELDS];
    char *block;
    size_t n = fuzz_split(data, size, field, N_FIELDS, &block);
    const char *country = field[COUNTRY][0] != '\0' ? field[COUNTRY] : NULL;

    for (size_t i = 0; i < N_FIELDS && i < n; i++) {
        check_email(field[i]);
        check_phone(field[i], country);
        check_nfc(field[i]);
    }
    check_identity(field[FAMILY], field[GIVEN], field[BIRTH_DATE]);
    /* a one-field input is a name too */
    check_identity(field[EMAIL], field[EMAIL], "1990-02-28");
    free(block);
    return 0;
}
