/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The countries without a postal code system (postal_codes.h).
 *
 * Source: Google's address metadata (libaddressinput, served at
 * https://chromium-i18n.appspot.com/ssl-address/data/<code>), which browsers' autofill and
 * most address forms follow: the assigned codes whose address format ("fmt", or the default
 * "%N%n%O%n%A%n%C" where none is given) has no postal code field (%Z). Kept by hand, not
 * generated: compare it with that data when a country changes. Our choices on top of it:
 *   - a country that has codes but where people rarely know theirs (Ireland's Eircode since
 *     2015) keeps the code required: it has a system, and counsel writes to the address;
 *   - a country not listed requires the code as before: adding one here relaxes the rule for
 *     it, removing one tightens it for new claims only (stored claims are not checked again
 *     until corrected). */
#include "domain/postal_codes.h"

#include <stdlib.h>
#include <string.h>

static const char *const no_postal_code[] = {
    "AE", /* United Arab Emirates */
    "AG", /* Antigua and Barbuda */
    "AO", /* Angola */
    "AW", /* Aruba */
    "BF", /* Burkina Faso */
    "BI", /* Burundi */
    "BJ", /* Benin */
    "BO", /* Bolivia */
    "BS", /* Bahamas */
    "BW", /* Botswana */
    "BZ", /* Belize */
    "CD", /* Congo (Democratic Republic) */
    "CF", /* Central African Republic */
    "CG", /* Congo */
    "CI", /* Côte d'Ivoire */
    "CK", /* Cook Islands */
    "CM", /* Cameroon */
    "CW", /* Curaçao */
    "DJ", /* Djibouti */
    "DM", /* Dominica */
    "ER", /* Eritrea */
    "FJ", /* Fiji */
    "GA", /* Gabon */
    "GD", /* Grenada */
    "GH", /* Ghana */
    "GM", /* Gambia */
    "GQ", /* Equatorial Guinea */
    "GY", /* Guyana */
    "HK", /* Hong Kong */
    "JM", /* Jamaica */
    "KI", /* Kiribati */
    "KM", /* Comoros */
    "KN", /* Saint Kitts and Nevis */
    "KP", /* Korea (Democratic People's Republic) */
    "LC", /* Saint Lucia */
    "ML", /* Mali */
    "MO", /* Macao */
    "MR", /* Mauritania */
    "MW", /* Malawi */
    "NR", /* Nauru */
    "NU", /* Niue */
    "QA", /* Qatar */
    "RW", /* Rwanda */
    "SB", /* Solomon Islands */
    "SC", /* Seychelles */
    "SL", /* Sierra Leone */
    "SR", /* Suriname */
    "SS", /* South Sudan */
    "ST", /* Sao Tome and Principe */
    "SX", /* Sint Maarten */
    "SY", /* Syria */
    "TD", /* Chad */
    "TG", /* Togo */
    "TK", /* Tokelau */
    "TL", /* Timor-Leste */
    "TO", /* Tonga */
    "TV", /* Tuvalu */
    "UG", /* Uganda */
    "VU", /* Vanuatu */
    "YE", /* Yemen */
    "ZW", /* Zimbabwe */
};

static int
compare_code(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

bool
country_has_no_postal_code(const char *code)
{
    if (code == NULL)
        return false;
    return bsearch(code, no_postal_code, sizeof no_postal_code / sizeof no_postal_code[0],
                   sizeof no_postal_code[0], compare_code) != NULL;
}

const char *const *
countries_without_postal_code(size_t *n_out)
{
    *n_out = sizeof no_postal_code / sizeof no_postal_code[0];
    return no_postal_code;
}

/* The forms checked, from the same data's "zip" patterns (read in libaddressinput's
 * testdata/countryinfo.txt, June 2025):
 *   - France and the places its postal system serves (the overseas departments GP MQ GF RE
 *     YT, and BL MF PM WF PF NC): 5 digits. FR's pattern is "\d{2}[ ]?\d{3}" (the space
 *     after two digits is taken); the others' fix the first digits too, left to the post;
 *   - the countries of the European Union whose code is plain digits written without a
 *     prefix (no "postprefix": not LU's "L-", FI's "FI-"...).
 * Left out: a form with letters, a dash or a space in it (NL, PT, PL, SE...), and EE and CY,
 * whose examples or territories do not all fit the pattern. */
static const struct postal_code_form forms[] = {
    {"AT", 4, 0, "1010", "expected 4 digits, like 1010"},
    {"BE", 4, 0, "1000", "expected 4 digits, like 1000"},
    {"BG", 4, 0, "1000", "expected 4 digits, like 1000"},
    {"BL", 5, 0, "97133", "expected 5 digits, like 97133"},
    {"DE", 5, 0, "10115", "expected 5 digits, like 10115"},
    {"DK", 4, 0, "8660", "expected 4 digits, like 8660"},
    {"ES", 5, 0, "28039", "expected 5 digits, like 28039"},
    {"FR", 5, 2, "75001", "expected 5 digits, like 75001"},
    {"GF", 5, 0, "97300", "expected 5 digits, like 97300"},
    {"GP", 5, 0, "97100", "expected 5 digits, like 97100"},
    {"HU", 4, 0, "1037", "expected 4 digits, like 1037"},
    {"IT", 5, 0, "00144", "expected 5 digits, like 00144"},
    {"MF", 5, 0, "97150", "expected 5 digits, like 97150"},
    {"MQ", 5, 0, "97200", "expected 5 digits, like 97200"},
    {"NC", 5, 0, "98800", "expected 5 digits, like 98800"},
    {"PF", 5, 0, "98714", "expected 5 digits, like 98714"},
    {"PM", 5, 0, "97500", "expected 5 digits, like 97500"},
    {"RE", 5, 0, "97400", "expected 5 digits, like 97400"},
    {"RO", 6, 0, "060274", "expected 6 digits, like 060274"},
    {"WF", 5, 0, "98600", "expected 5 digits, like 98600"},
    {"YT", 5, 0, "97600", "expected 5 digits, like 97600"},
};

static int
compare_form(const void *key, const void *item)
{
    return strcmp(key, ((const struct postal_code_form *)item)->country);
}

const struct postal_code_form *
postal_code_form_of(const char *code)
{
    if (code == NULL)
        return NULL;
    return bsearch(code, forms, sizeof forms / sizeof forms[0], sizeof forms[0], compare_form);
}

const struct postal_code_form *
postal_code_forms(size_t *n_out)
{
    *n_out = sizeof forms / sizeof forms[0];
    return forms;
}

bool
postal_code_fits(const struct postal_code_form *f, const char *text)
{
    int digits = 0;

    for (const char *p = text; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!(*p == ' ' && f->space_after > 0 && digits == f->space_after && p[-1] != ' '))
            return false;
    }
    return digits == f->digits;
}
