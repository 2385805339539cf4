/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Masking an address: only what the owner needs to recognise it. */
#include "mail/mask.h"

#include <string.h>

/* The length of the UTF-8 character starting at s (1 for a stray byte), within n bytes. */
static size_t
char_len(const char *s, size_t n)
{
    unsigned char b = (unsigned char)s[0];
    size_t len = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;

    return len > n ? n : len;
}

void
mail_mask_address(const char *address, struct strbuf *out)
{
    const char *at = address != NULL ? strrchr(address, '@') : NULL;

    if (at == NULL || at == address || at[1] == '\0') {
        strbuf_puts(out, "***");
        return;
    }
    const char *domain = at + 1;
    size_t domain_len = strlen(domain);
    const char *dot = strrchr(domain, '.');
    strbuf_append(out, address, char_len(address, (size_t)(at - address)));
    strbuf_puts(out, "***@");
    strbuf_append(out, domain, char_len(domain, domain_len));
    strbuf_puts(out, "***");
    /* the last label only when something precedes it and it is not empty ("a@b." keeps none) */
    if (dot != NULL && dot != domain && dot[1] != '\0')
        strbuf_puts(out, dot);
}
