/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dedup normal forms (docs/product.md §3.1) of email addresses, phone numbers and identities,
 * and NFC for stored names. Pure: ASCII rules by hand, Unicode through libunistring.
 * Invariants: a normal form is a function of what the person typed, not of how (case,
 * spacing, separators, trunk or call prefixes, decomposed or precomposed accents); nothing is
 * written to out unless the whole input is accepted. */
#include "domain/normalize.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/xalloc.h"
#include "domain/countries.h"
#include "domain/dates.h"

#define EMAIL_LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63
#define PHONE_DIGITS_MAX 24 /* E.164's 15, a call prefix and a trunk prefix, with room */
#define E164_MIN 7          /* shortest numbers in service: +683 (Niue) and +290 with 4 digits */
#define E164_MAX 15

static bool
is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Trims ASCII white space: *start and *len describe what is left of s. */
static void
trim(const char *s, const char **start, size_t *len)
{
    size_t n = strlen(s);

    while (n > 0 && is_ascii_space(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_ascii_space(s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

/* ---- email ---------------------------------------------------------------------------- */

/* RFC 5322 atext; quoted local parts and comments are refused: no web form needs them. */
static bool
is_atext(char c)
{
    return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A dot-atom: atext runs separated by single dots, none leading or trailing. */
static bool
local_part_ok(const char *s, size_t n)
{
    if (n == 0 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i]))
            return false;
    }
    return true;
}

/* Letters only, or an IDNA A-label ("xn--p1ai") since registries sell those as TLDs. */
static bool
tld_ok(const char *s, size_t n)
{
    bool letters = n >= 2;

    for (size_t i = 0; i < n; i++)
        letters = letters && is_alpha(s[i]);
    return letters || (n > 4 && strncmp(s, "xn--", 4) == 0);
}

/* Host name of at least two labels (RFC 1123), the last a TLD. Expects lower case. */
static bool
domain_ok(const char *s, size_t n)
{
    size_t start = 0;
    size_t labels = 0;

    if (n == 0 || n > DOMAIN_MAX)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
                return false;
            continue;
        }
        if (i == start || i - start > LABEL_MAX || s[start] == '-' || s[i - 1] == '-')
            return false;
        labels++;
        if (i < n)
            start = i + 1;
    }
    return labels >= 2 && tld_ok(s + start, n - start);
}

/* Gmail ignores dots and "+tag" in the local part; googlemail.com is the same mailbox. */
static size_t
gmail_local(char *local, size_t n)
{
    size_t o = 0;

    for (size_t i = 0; i < n && local[i] != '+'; i++) {
        if (local[i] != '.')
            local[o++] = local[i];
    }
    return o;
}

bool
normalize_email(const char *in, char *out, size_t cap)
{
    char buf[NORMALIZE_EMAIL_MAX + 1];
    const char *s;
    size_t n;
    size_t at;

    if (cap > 0)
        out[0] = '\0';
    trim(in, &s, &n);
    if (n == 0 || n > NORMALIZE_EMAIL_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return false; /* internationalised addresses: see normalize.h */
        buf[i] = lower(s[i]);
    }
    buf[n] = '\0';
    if (strchr(buf, '@') == NULL || strchr(buf, '@') != strrchr(buf, '@'))
        return false;
    at = (size_t)(strchr(buf, '@') - buf);
    if (!local_part_ok(buf, at) || !domain_ok(buf + at + 1, n - at - 1))
        return false;
    if (strcmp(buf + at + 1, "gmail.com") == 0 || strcmp(buf + at + 1, "googlemail.com") == 0) {
        size_t local_n = gmail_local(buf, at);

        if (local_n == 0)
            return false; /* "+tag@gmail.com" names no mailbox */
        memcpy(buf + local_n, "@gmail.com", sizeof "@gmail.com");
    }
    if (strlen(buf) + 1 > cap)
        return false;
    memcpy(out, buf, strlen(buf) + 1);
    return true;
}

/* ---- phone ---------------------------------------------------------------------------- */

/* The digits of in, with whether it started with '+'. Separators are those people write
 * between groups; anything else (letters, "ext", a second '+') refuses the number. */
static bool
phone_digits(const char *in, char digits[PHONE_DIGITS_MAX + 1], bool *plus_out)
{
    const char *s;
    size_t n;
    size_t d = 0;

    trim(in, &s, &n);
    *plus_out = n > 0 && s[0] == '+';
    for (size_t i = *plus_out ? 1 : 0; i < n; i++) {
        if (is_digit(s[i])) {
            if (d == PHONE_DIGITS_MAX)
                return false;
            digits[d++] = s[i];
        } else if (strchr(" .-()/", s[i]) == NULL) {
            return false;
        }
    }
    digits[d] = '\0';
    return d > 0;
}

static bool
starts_with(const char *s, const char *prefix)
{
    return prefix[0] != '\0' && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
nsn_length_ok(const struct country_dialing *plan, size_t n)
{
    return n > 0 && n >= (size_t)plan->nsn_min && n <= (size_t)plan->nsn_max;
}

/* Writes "+" cc nsn once rest (what follows the calling code, or a national number) is
 * reduced to its national significant number. The trunk prefix is dropped only where what
 * remains has a valid length: a Russian "8 812 ..." loses its 8, "812 ..." (St Petersburg)
 * keeps it. It is dropped after the calling code too, since "+33 (0)6 ..." and "+33 06 ..."
 * are common ways of writing +33 6. */
static bool
phone_finish(const char *cc, const char *rest, const struct country_dialing *plan,
             char out[NORMALIZE_PHONE_MAX + 1])
{
    size_t n = strlen(rest);
    size_t t = strlen(plan->trunk_prefix);
    size_t cc_n = strlen(cc);

    if (t > 0 && n > t && starts_with(rest, plan->trunk_prefix) && nsn_length_ok(plan, n - t)) {
        rest += t;
        n -= t;
    }
    if (!nsn_length_ok(plan, n) || cc_n + n < E164_MIN || cc_n + n > E164_MAX)
        return false;
    /* A leading 0 left over is a second trunk prefix or a carrier's call prefix ("001 ..."
     * from Korea), except where numbers really start with 0. */
    if (rest[0] == '0' && !plan->keeps_zero)
        return false;
    if (strcmp(cc, "1") == 0 && rest[0] == '1')
        return false; /* NANP area codes start with 2-9 */
    out[0] = '+';
    memcpy(out + 1, cc, cc_n);
    memcpy(out + 1 + cc_n, rest, n + 1);
    return true;
}

/* digits start with a calling code. */
static bool
phone_international(const char *digits, char out[NORMALIZE_PHONE_MAX + 1])
{
    struct country_dialing plan;
    char cc[4];
    size_t cc_n = country_dialing_for_number(digits, &plan);

    if (cc_n == 0)
        return false;
    memcpy(cc, digits, cc_n);
    cc[cc_n] = '\0';
    return phone_finish(cc, digits + cc_n, &plan, out);
}

bool
normalize_phone(const char *in, const char *country, char out[NORMALIZE_PHONE_MAX + 1])
{
    char digits[PHONE_DIGITS_MAX + 1];
    char e164[NORMALIZE_PHONE_MAX + 1];
    struct country_dialing plan;
    bool plus;
    bool ok;

    out[0] = '\0';
    if (!phone_digits(in, digits, &plus))
        return false;
    if (plus) {
        ok = phone_international(digits, e164);
    } else if (country != NULL && country_dialing_of(country, &plan)) {
        if (starts_with(digits, plan.idd))
            ok = phone_international(digits + strlen(plan.idd), e164);
        else
            ok = phone_finish(plan.calling_code, digits, &plan, e164);
    } else {
        /* Without a country only ITU's recommended call prefix can be read. */
        ok = starts_with(digits, "00") && phone_international(digits + 2, e164);
    }
    if (ok)
        memcpy(out, e164, sizeof e164);
    return ok;
}

/* ---- identity ------------------------------------------------------------------------- */

static void
out_of_memory(void)
{
    fprintf(stderr, "{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n");
    abort();
}

/* Hyphens, dashes, apostrophes and the like separate name parts however they are typed:
 * "Dupont-Martin", "Dupont–Martin" and "Dupont Martin", "O'Brien" and "O’Brien". '|' too,
 * since it separates the parts of the key. */
static bool
is_name_separator(ucs4_t uc)
{
    switch (uc) {
    case '\'': case '`': case '_': case '|':
    case 0x02BB: /* ʻ modifier letter turned comma (okina, Uzbek o‘) */
    case 0x02BC: /* ʼ modifier letter apostrophe */
    case 0x2018: case 0x2019: /* ‘ ’ */
    case 0x2212: /* − minus sign */
        return true;
    default:
        return uc_is_general_category(uc, UC_CATEGORY_Pd) || uc_is_property_white_space(uc);
    }
}

/* Letters with a stroke or ligatures that Unicode does not decompose, as a claimant without
 * the keyboard would type them ("Łukasz" / "Lukasz", "Œuvrard" / "Oeuvrard"). Applied after
 * case folding, so lower case only. */
static const char *
base_letters(ucs4_t uc)
{
    switch (uc) {
    case 0x00E6: return "ae"; /* æ */
    case 0x00F0: return "d";  /* ð */
    case 0x00F8: return "o";  /* ø */
    case 0x00FE: return "th"; /* þ */
    case 0x0111: return "d";  /* đ */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* ı */
    case 0x0142: return "l";  /* ł */
    case 0x0153: return "oe"; /* œ */
    case 0x0167: return "t";  /* ŧ */
    default: return NULL;
    }
}

/* Appends len bytes to out[*at] if they fit before cap - 1 (room for the NUL). */
static bool
append(char *out, size_t cap, size_t *at, const void *bytes, size_t len)
{
    if (*at + len + 1 > cap)
        return false;
    memcpy(out + *at, bytes, len);
    *at += len;
    return true;
}

/* Combining marks (the diacritics NFKD split off), control characters and invisible format
 * characters (soft hyphen, zero-width joiners, direction marks): nothing a person sees. */
static bool
is_dropped(ucs4_t uc)
{
    return uc_is_general_category(uc, UC_CATEGORY_M) || uc_is_general_category(uc, UC_CATEGORY_Cc)
           || uc_is_general_category(uc, UC_CATEGORY_Cf);
}

/* Appends the folded s[0..n) (NFKD, case-folded, so valid UTF-8) to out: dropped characters
 * left out, separator runs as one inner space. False if nothing is left or out is full. */
static bool
append_folded(const uint8_t *s, size_t n, char *out, size_t cap, size_t *at)
{
    size_t start = *at;
    bool pending_space = false;

    for (size_t i = 0; i < n;) {
        const uint8_t *bytes = s + i;
        ucs4_t uc;
        int k = u8_mbtouc_unsafe(&uc, bytes, n - i);
        const char *base = base_letters(uc);

        i += (size_t)k;
        if (is_name_separator(uc)) {
            pending_space = *at > start;
            continue;
        }
        if (is_dropped(uc))
            continue;
        if (pending_space && !append(out, cap, at, " ", 1))
            return false;
        pending_space = false;
        if (base != NULL ? !append(out, cap, at, base, strlen(base))
                         : !append(out, cap, at, bytes, (size_t)k))
            return false;
    }
    return *at > start;
}

/* Whether s[0..n) is ASCII: then it is its own NFC and NFKD (no ASCII character decomposes,
 * none composes with another), and its case folding is A-Z to a-z (CaseFolding.txt has no
 * other ASCII entry), so libunistring's calls, most of the normalization's cost on the
 * intake's request threads, can be skipped without changing any result (test_normalize
 * compares both paths). */
static bool
is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Folds one name and appends it to out at *at. */
static bool
append_name_key(const char *name, char *out, size_t cap, size_t *at)
{
    uint8_t nfkd_buf[512];
    uint8_t fold_buf[512];
    uint8_t *nfkd = NULL;
    uint8_t *folded = NULL;
    size_t nfkd_n = sizeof nfkd_buf;
    size_t fold_n = sizeof fold_buf;
    size_t n = strlen(name);
    bool ok = false;

    if (n <= sizeof fold_buf && is_ascii(name, n)) {
        for (size_t i = 0; i < n; i++)
            fold_buf[i] =
                (uint8_t)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
        ok = append_folded(fold_buf, n, out, cap, at);
        explicit_bzero(fold_buf, n); /* a name */
        return ok;
    }
    if (u8_check((const uint8_t *)name, n) != NULL)
        goto cleanup;
    /* NFKD first so compatibility forms (ligatures, full-width letters, "Ǆ") fold too, then
     * case folding with NFKD again: Unicode's compatibility caseless match (D146). */
    nfkd = u8_normalize(UNINORM_NFKD, (const uint8_t *)name, n, nfkd_buf, &nfkd_n);
    if (nfkd == NULL)
        out_of_memory();
    folded = u8_casefold(nfkd, nfkd_n, NULL, UNINORM_NFKD, fold_buf, &fold_n);
    if (folded == NULL)
        out_of_memory();
    ok = append_folded(folded, fold_n, out, cap, at);
cleanup:
    /* the name, decomposed and folded, wiped wherever it was made */
    if (nfkd != nfkd_buf)
        xfree_wiped(nfkd);
    if (folded != fold_buf)
        xfree_wiped(folded);
    explicit_bzero(nfkd_buf, sizeof nfkd_buf);
    explicit_bzero(fold_buf, sizeof fold_buf);
    return ok;
}

bool
normalize_identity(const char *family, const char *given, const char *birth_date, char *out,
                   size_t cap)
{
    struct civil_date date;
    size_t at = 0;
    bool ok;

    if (cap == 0)
        return false;
    ok = birth_date != NULL && civil_date_parse(birth_date, &date)
         && append_name_key(family, out, cap, &at) && append(out, cap, &at, "|", 1)
         && append_name_key(given, out, cap, &at) && append(out, cap, &at, "|", 1)
         && append(out, cap, &at, birth_date, strlen(birth_date));
    out[ok ? at : 0] = '\0';
    return ok;
}

bool
normalize_name_has_letters(const char *name)
{
    char key[16384];
    size_t at = 0;

    return append_name_key(name, key, sizeof key, &at);
}

bool
normalize_text_has_content(const char *text)
{
    const uint8_t *s = (const uint8_t *)text;
    ucs4_t uc;

    if (u8_check(s, strlen(text)) != NULL)
        return false;
    while ((s = u8_next(&uc, s)) != NULL)
        if (uc_is_alnum(uc))
            return true;
    return false;
}

char *
normalize_nfc(const char *in)
{
    size_t n = strlen(in);
    size_t len = 0;
    uint8_t *nfc;

    if (is_ascii(in, n)) {
        char *copy = malloc(n + 1);
        if (copy == NULL)
            out_of_memory();
        return memcpy(copy, in, n + 1);
    }
    if (u8_check((const uint8_t *)in, n) != NULL)
        return NULL;
    /* The terminating NUL goes through too: a starter, it stays last and ends the result. */
    nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)in, n + 1, NULL, &len);
    if (nfc == NULL) {
        if (errno == ENOMEM)
            out_of_memory();
        return NULL;
    }
    return (char *)nfc;
}
