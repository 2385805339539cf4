/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claimant's credentials as /my-claim's forms receive them (page_credentials.h). */
#include "handlers/page_credentials.h"

#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/urlencoded.h"

/* Whether s starts with a space a pasted text brings: ASCII blanks and U+00A0 (copied from
 * a page or a message); its length in bytes, else 0. */
static size_t
blank_at(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0 ? 2 : 0;
}

/* A reference or token as a person typed or pasted it, as they meant it: the token without
 * the blanks around it, the reference without any (none belongs in it; read out, it comes in
 * groups). The API stays strict (domain/reference.h); only what the form received is eased. */
static const char *
as_meant(struct arena *a, const char *typed, bool inner)
{
    size_t n = strlen(typed);
    char *out = arena_alloc(a, n + 1);
    size_t o = 0, kept = 0;

    for (size_t i = 0; i < n;) {
        size_t b = blank_at(typed + i);
        if (b == 0) {
            out[o++] = typed[i++];
            kept = o;
        } else {
            if (!inner && kept > 0)
                for (size_t k = 0; k < b; k++)
                    out[o++] = typed[i + k];
            i += b;
        }
    }
    out[kept] = '\0';
    return out;
}

/* The length in bytes of a dash at s that a person or a phone's keyboard types for the
 * reference's: '-', U+2010 to U+2015 (hyphens, the dashes a keyboard's autocorrect makes) and
 * U+2212 (minus); 0 when none. */
static size_t
dash_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    if (u[0] == '-')
        return 1;
    if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95)
        return 3;
    return u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92 ? 3 : 0;
}

/* A reference as meant: its 10 symbols, whatever stood between them (blanks where it was read
 * out in groups, no dash, a dash autocorrected), with its dashes where they belong
 * ("RC 7K3M Q9XD" → "RC-7K3M-Q9XD"); anything else only without its blanks (as_meant), for
 * the API to refuse. */
static const char *
reference_as_meant(struct arena *a, const char *typed)
{
    char bare[11];
    size_t n = 0;

    for (const char *s = typed; *s != '\0';) {
        size_t skip = blank_at(s) + dash_at(s);
        if (skip > 0) {
            s += skip;
            continue;
        }
        if (n == sizeof bare - 1 || (unsigned char)*s >= 0x80)
            return as_meant(a, typed, true);
        bare[n++] = *s++;
    }
    if (n != sizeof bare - 1)
        return as_meant(a, typed, true);
    return arena_printf(a, "%.2s-%.4s-%.4s", bare, bare + 2, bare + 6);
}

void
page_ease_credentials(struct arena *a, struct form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        /* the recovery question's reference too (page_my_claim_view.h) */
        bool ref = strcmp(f->pairs[i].name, "reference") == 0 ||
                   strcmp(f->pairs[i].name, "recover_reference") == 0;
        if (ref)
            f->pairs[i].value = reference_as_meant(a, f->pairs[i].value);
        else if (strcmp(f->pairs[i].name, "token") == 0)
            f->pairs[i].value = as_meant(a, f->pairs[i].value, false);
    }
}

bool
page_recovery_link_is_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 16 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}
