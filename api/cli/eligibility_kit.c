/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/eligibility_kit.h"

#include <string.h>

#include "crypto/sha256.h"
#include "domain/normalize.h"
#include "domain/notice_code.h"

static const char normalisation_text[] =
    "# Hashing your list of notified people for recours (incident %s)\n"
    "\n"
    "recours matches the claims it receives against the people you notified without you\n"
    "handing over the list: you send keyed hashes only. This kit holds:\n"
    "\n"
    "- `matching-key.hex`: this incident's matching key, 64 hexadecimal digits (32 bytes).\n"
    "  Keep it confidential: with it, anyone can test whether an address is on your list.\n"
    "- `NORMALISATION.md`: this text.\n"
    "- `test-vectors.csv`: inputs, their normal form and their hash, computed by recours\n"
    "  itself. Check that your program gives the same before you send a list.\n"
    "\n"
    "## The hash\n"
    "\n"
    "For each value: `HMAC-SHA256(key, KIND || 0x00 || NORMAL)` where `key` is the 32 bytes\n"
    "of `matching-key.hex` (decode the hex), `KIND` is the ASCII word `email`, `phone` or\n"
    "`code`, `0x00` one zero byte, and `NORMAL` the normal form below in UTF-8 (ASCII in\n"
    "fact). Write the result as 64 lower-case hexadecimal digits.\n"
    "\n"
    "## The normal forms\n"
    "\n"
    "### email\n"
    "\n"
    "1. Remove leading and trailing ASCII white space (space, tab, CR, LF, VT, FF).\n"
    "2. Convert ASCII upper-case letters to lower case.\n"
    "3. If the domain (after the last `@`) is `gmail.com` or `googlemail.com`: remove every\n"
    "   `.` of the local part (before the `@`), remove from the first `+` of the local part\n"
    "   to its end, and make the domain `gmail.com`.\n"
    "\n"
    "recours accepts only addresses `local@domain.tld` with a dot-atom local part of 1 to 64\n"
    "characters and a domain of letters, digits and inner hyphens (ASCII only); others never\n"
    "match, so you may leave them out.\n"
    "\n"
    "### phone\n"
    "\n"
    "E.164: `+`, the country calling code, the national number without its trunk prefix,\n"
    "digits only (`06 12 34 56 78` in France is `+33612345678`; `(202) 555-0143` in the\n"
    "United States is `+12025550143`; `0033 6 12 34 56 78` is `+33612345678`). Remove spaces\n"
    "and `. - ( ) /`; an international prefix `00` becomes `+`. 7 to 15 digits after `+`.\n"
    "\n"
    "### code\n"
    "\n"
    "The notice code you printed in your letters: remove ASCII spaces and hyphens, convert\n"
    "ASCII letters to upper case; what is left must be 4 to 32 letters `A`-`Z` or digits\n"
    "(`ab12-cd 34` is `AB12CD34`).\n"
    "\n"
    "## The file you send\n"
    "\n"
    "One hash per line, UTF-8 text, lines ending in LF (CRLF accepted), no header:\n"
    "\n"
    "    email,<64 hex digits>\n"
    "    phone,<64 hex digits>\n"
    "    code,<64 hex digits>\n"
    "\n"
    "A person with an email address, a phone number and a code gives three lines. Blank lines\n"
    "are ignored; the order and repeated lines do not matter. Any other line is malformed:\n"
    "recours reports the first ones by line number and refuses a file with more than a set\n"
    "share of them (0.1%% unless the operator says otherwise). Sending the same file again\n"
    "changes nothing; a new file replaces the previous list as a whole.\n"
    "\n"
    "## Example (Python, standard library only)\n"
    "\n"
    "    import hmac, hashlib\n"
    "    key = bytes.fromhex(open('matching-key.hex').read().strip())\n"
    "    def mac(kind, normal):\n"
    "        return hmac.new(key, kind.encode() + b'\\0' + normal.encode(),\n"
    "                        hashlib.sha256).hexdigest()\n"
    "    print('email,' + mac('email', 'jean.dupont@example.org'))\n";

void
eligibility_kit_normalisation(FILE *out, const char *slug)
{
    fprintf(out, normalisation_text, slug);
}

struct vector {
    const char *kind;
    const char *input;
    const char *country; /* phones given nationally */
};

static const struct vector vectors[] = {
    {MATCHING_KIND_EMAIL, "jean.dupont@example.org", NULL},
    {MATCHING_KIND_EMAIL, "  Jean.Dupont@Example.ORG ", NULL},
    {MATCHING_KIND_EMAIL, "Marie.Curie+breach@GoogleMail.com", NULL},
    {MATCHING_KIND_EMAIL, "m.a.r.i.e.curie@gmail.com", NULL},
    {MATCHING_KIND_EMAIL, "o'brien-x@sub.example.co.uk", NULL},
    {MATCHING_KIND_PHONE, "+33 6 12 34 56 78", NULL},
    {MATCHING_KIND_PHONE, "0033 6 12 34 56 78", NULL},
    {MATCHING_KIND_PHONE, "06.12.34.56.78", "FR"},
    {MATCHING_KIND_PHONE, "(202) 555-0143", "US"},
    {MATCHING_KIND_PHONE, "+49 30 1234567", NULL},
    {MATCHING_KIND_CODE, "ab12-cd 34", NULL},
    {MATCHING_KIND_CODE, "XK7Q9PL2", NULL},
};

bool
eligibility_kit_vectors(FILE *out, const uint8_t key[KEYED_HASH_KEY_LEN])
{
    fputs("kind,input,country,normalised,hmac_sha256_hex\n", out);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vector *v = &vectors[i];
        char normal[NORMALIZE_EMAIL_MAX + 1];
        uint8_t mac[KEYED_HASH_LEN];
        char hex[2 * KEYED_HASH_LEN + 1];
        bool ok = strcmp(v->kind, MATCHING_KIND_EMAIL) == 0
                      ? normalize_email(v->input, normal, sizeof normal)
                  : strcmp(v->kind, MATCHING_KIND_PHONE) == 0
                      ? normalize_phone(v->input, v->country, normal)
                      : normalize_notice_code(v->input, normal);
        if (!ok || !matching_mac(key, v->kind, normal, mac))
            return false;
        hex_encode(mac, sizeof mac, hex);
        /* inputs hold no comma or quote: plain CSV fields */
        fprintf(out, "%s,%s,%s,%s,%s\n", v->kind, v->input, v->country ? v->country : "",
                normal, hex);
    }
    return true;
}
