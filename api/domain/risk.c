/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See domain/risk.h. The address's normal form is deliberately coarse: it is only a reason
 * for a person to look, so two spellings of one building must meet, and a false meeting costs
 * a look, not a claim. */
#include "domain/risk.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const flag_names[RISK_FLAG_COUNT] = {
    "network", "address", "disposable_email", "email_unconfirmed", "unmatched",
};

const char *
risk_flag_name(enum risk_flag f)
{
    return f >= 0 && f < RISK_FLAG_COUNT ? flag_names[f] : "";
}

int
risk_flag_of(const char *name)
{
    for (int f = 0; f < RISK_FLAG_COUNT; f++)
        if (name != NULL && strcmp(name, flag_names[f]) == 0)
            return f;
    return -1;
}

/* ---- the network ---- */

bool
risk_network_prefix(const char *ip, char *out, const char **kind_out)
{
    uint8_t a[16];

    if (ip == NULL)
        return false;
    if (inet_pton(AF_INET, ip, a) == 1) {
        snprintf(out, RISK_PREFIX_MAX, "ipv4/24:%u.%u.%u.0", a[0], a[1], a[2]);
        *kind_out = "ipv4/24";
        return true;
    }
    if (inet_pton(AF_INET6, ip, a) != 1)
        return false;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, sizeof mapped) == 0) {
        snprintf(out, RISK_PREFIX_MAX, "ipv4/24:%u.%u.%u.0", a[12], a[13], a[14]);
        *kind_out = "ipv4/24";
        return true;
    }
    /* one /64 is one link: what one subscriber line or one server is given */
    snprintf(out, RISK_PREFIX_MAX, "ipv6/64:%02x%02x:%02x%02x:%02x%02x:%02x%02x", a[0], a[1],
             a[2], a[3], a[4], a[5], a[6], a[7]);
    *kind_out = "ipv6/64";
    return true;
}

/* ---- the postal address ---- */

#define MAX_TOKENS 32
#define TOKEN_MAX 64

/* Words that introduce the flat, floor, stair or building inside one street number: they and
 * the word after them (its number or letter) are left out. */
static const char *const flat_words[] = {
    "apt", "apartment", "appt", "app", "appart", "appartement", "flat", "unit", "suite",
    "bat", "batiment", "b\xc3\xa2timent", "bldg", "building", "etage", "\xc3\xa9tage", "floor",
    "fl", "escalier", "esc", "porte", "logement", "lgt", "room", "rm", "#", NULL,
};

/* Street types written short, spelled out so that both spellings meet. */
static const char *const street_words[][2] = {
    {"av", "avenue"}, {"ave", "avenue"}, {"bd", "boulevard"}, {"blvd", "boulevard"},
    {"bld", "boulevard"}, {"r", "rue"}, {"rd", "road"}, {"pl", "place"}, {"chem", "chemin"},
    {"imp", "impasse"}, {"rte", "route"}, {"fbg", "faubourg"}, {"sq", "square"},
    {"ln", "lane"}, {"dr", "drive"}, {"str", "strasse"}, {NULL, NULL},
};

/* Number suffixes written apart ("12 bis") joined to the number. */
static const char *const number_suffixes[] = {"bis", "ter", "quater", NULL};

static bool
in_list(const char *const *list, const char *w)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(list[i], w) == 0)
            return true;
    return false;
}

/* line split into lower-cased words; '#' is a word of its own. The count. */
static int
tokenize(const char *line, char tok[MAX_TOKENS][TOKEN_MAX])
{
    int n = 0;
    size_t len = 0;

    for (const unsigned char *p = (const unsigned char *)line;; p++) {
        unsigned char ch = *p;
        bool word = ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= 'A' && ch <= 'Z');
        if (word && len + 1 < TOKEN_MAX && n < MAX_TOKENS) {
            tok[n][len++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
            continue;
        }
        if (len > 0) {
            tok[n++][len] = '\0';
            len = 0;
        }
        if (ch == '#' && n < MAX_TOKENS)
            strcpy(tok[n++], "#");
        if (ch == '\0' || n >= MAX_TOKENS)
            return n;
    }
}

static bool
starts_with_digit(const char *w)
{
    return w[0] >= '0' && w[0] <= '9';
}

/* "number|street" of one address line into out; false when the line has no number. */
static bool
street_part(const char *line, char *out, size_t cap)
{
    char tok[MAX_TOKENS][TOKEN_MAX];
    char number[2 * TOKEN_MAX] = "";
    char street[RISK_ADDRESS_MAX] = "";
    int n = line != NULL ? tokenize(line, tok) : 0;

    for (int i = 0; i < n; i++) {
        if (in_list(flat_words, tok[i])) {
            i++; /* and its number */
            continue;
        }
        if (number[0] == '\0' && starts_with_digit(tok[i])) {
            snprintf(number, sizeof number, "%s", tok[i]);
            if (i + 1 < n && in_list(number_suffixes, tok[i + 1]))
                strncat(number, tok[++i], sizeof number - strlen(number) - 1);
            continue;
        }
        const char *w = tok[i];
        for (size_t k = 0; street_words[k][0] != NULL; k++)
            if (strcmp(w, street_words[k][0]) == 0)
                w = street_words[k][1];
        size_t used = strlen(street);
        if (used + strlen(w) + 2 > sizeof street)
            return false;
        snprintf(street + used, sizeof street - used, "%s%s", used > 0 ? " " : "", w);
    }
    if (number[0] == '\0' || street[0] == '\0')
        return false;
    int w = snprintf(out, cap, "%s|%s", number, street);
    return w > 0 && (size_t)w < cap;
}

bool
risk_address_normal(const struct postal_address *a, char *out, size_t cap)
{
    char code[32];
    char part[RISK_ADDRESS_MAX];
    size_t m = 0;

    /* the street is on line1, or on line2 when line1 names a building without a number */
    if (!street_part(a->line1, part, sizeof part) && !street_part(a->line2, part, sizeof part))
        return false;
    for (const char *p = a->postal_code != NULL ? a->postal_code : ""; *p != '\0'; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (m + 1 >= sizeof code)
            return false;
        code[m++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    }
    code[m] = '\0';
    int w = snprintf(out, cap, "%s|%s|%s", a->country, code, part);
    return w > 0 && (size_t)w < cap;
}

bool
risk_email_domain(const char *email, char *out, size_t cap)
{
    const char *at = email != NULL ? strrchr(email, '@') : NULL;

    if (at == NULL || at[1] == '\0' || strlen(at + 1) >= cap)
        return false;
    size_t i = 0;
    for (const char *p = at + 1; *p != '\0'; p++)
        out[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    out[i] = '\0';
    return true;
}
