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
