/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The ISO 3166-1 alpha-2 table (249 assigned codes, sorted) with each country's dialling
 * rules. Calling codes, trunk and international prefixes and number lengths follow Google's
 * libphonenumber metadata (8.12), with these choices of ours:
 *   - territories without metadata take their parent's plan (AQ as NF, GS as FK, PN as NZ,
 *     TF as RE, UM as the US); BV and HM have no telephone service;
 *   - CA is 10 digits (libphonenumber's 7 is a local number without its area code) and RU/KZ
 *     10 (their 14 are special services);
 *   - MX has had no trunk prefix since 2019; its "1" is the old mobile marker, dropped like a
 *     trunk prefix so that "+52 1 55..." and "+52 55..." are one number;
 *   - BY's national form is "8 0xx ...": trunk "80";
 *   - BJ moved to 10-digit numbers starting with "01" in 2024: 8-10 digits, leading 0 kept;
 *   - "keeps_zero" marks the countries whose personal numbers can start with 0 (IT, SM, VA,
 *     CI, CG, GA, BF, NE, RW, BJ); elsewhere a leading 0 is only ever a trunk prefix, and the
 *     0-prefixed special services libphonenumber knows (JP, KR "00..." toll-free) are no
 *     claimant's phone;
 *   - idd is the international call prefix when it is one fixed string; where it depends on a
 *     carrier (KR "001"/"002"/"005"..., BR, CO, ID, SG, TH, TW, TZ, UG) it is "" and only '+'
 *     is understood, rather than misreading a carrier code as a calling code. */
#include "domain/countries.h"

#include <string.h>

struct country {
    char code[3];
    struct country_dialing dialing; /* calling_code "": no telephone service (BV, HM) */
};

/* code, calling code, trunk prefix, international call prefix, national significant number
 * length min and max, keeps a leading zero; sorted by code (binary search). */
static const struct country countries[] = {
    {"AD", {"376", "", "00", 6, 9, false}}, /* Andorra */
    {"AE", {"971", "0", "00", 5, 12, false}}, /* United Arab Emirates */
    {"AF", {"93", "0", "00", 9, 9, false}}, /* Afghanistan */
    {"AG", {"1", "1", "011", 10, 10, false}}, /* Antigua and Barbuda */
    {"AI", {"1", "1", "011", 10, 10, false}}, /* Anguilla */
    {"AL", {"355", "0", "00", 6, 9, false}}, /* Albania */
    {"AM", {"374", "0", "00", 8, 8, false}}, /* Armenia */
    {"AO", {"244", "", "00", 9, 9, false}}, /* Angola */
    {"AQ", {"672", "", "00", 6, 6, false}}, /* Antarctica */
    {"AR", {"54", "0", "00", 10, 11, false}}, /* Argentina */
    {"AS", {"1", "1", "011", 10, 10, false}}, /* American Samoa */
    {"AT", {"43", "0", "00", 4, 13, false}}, /* Austria */
    {"AU", {"61", "0", "0011", 5, 12, false}}, /* Australia */
    {"AW", {"297", "", "00", 7, 7, false}}, /* Aruba */
    {"AX", {"358", "0", "00", 5, 12, false}}, /* Åland Islands */
    {"AZ", {"994", "0", "00", 9, 9, false}}, /* Azerbaijan */
    {"BA", {"387", "0", "00", 8, 9, false}}, /* Bosnia and Herzegovina */
    {"BB", {"1", "1", "011", 10, 10, false}}, /* Barbados */
    {"BD", {"880", "0", "00", 6, 10, false}}, /* Bangladesh */
    {"BE", {"32", "0", "00", 8, 9, false}}, /* Belgium */
    {"BF", {"226", "", "00", 8, 8, true}}, /* Burkina Faso */
    {"BG", {"359", "0", "00", 6, 9, false}}, /* Bulgaria */
    {"BH", {"973", "", "00", 8, 8, false}}, /* Bahrain */
    {"BI", {"257", "", "00", 8, 8, false}}, /* Burundi */
    {"BJ", {"229", "", "00", 8, 10, true}}, /* Benin */
    {"BL", {"590", "0", "00", 9, 9, false}}, /* Saint Barthélemy */
    {"BM", {"1", "1", "011", 10, 10, false}}, /* Bermuda */
    {"BN", {"673", "", "00", 7, 7, false}}, /* Brunei Darussalam */
    {"BO", {"591", "0", "00", 8, 9, false}}, /* Bolivia */
    {"BQ", {"599", "", "00", 7, 7, false}}, /* Bonaire, Sint Eustatius and Saba */
    {"BR", {"55", "0", "", 8, 11, false}}, /* Brazil */
    {"BS", {"1", "1", "011", 10, 10, false}}, /* Bahamas */
    {"BT", {"975", "", "00", 7, 8, false}}, /* Bhutan */
    {"BV", {"", "", "", 0, 0, false}}, /* Bouvet Island */
    {"BW", {"267", "", "00", 7, 10, false}}, /* Botswana */
    {"BY", {"375", "80", "810", 9, 9, false}}, /* Belarus */
    {"BZ", {"501", "", "00", 7, 11, false}}, /* Belize */
    {"CA", {"1", "1", "011", 10, 10, false}}, /* Canada */
    {"CC", {"61", "0", "0011", 6, 12, false}}, /* Cocos (Keeling) Islands */
    {"CD", {"243", "0", "00", 7, 9, false}}, /* Congo, The Democratic Republic of the */
    {"CF", {"236", "", "00", 8, 8, false}}, /* Central African Republic */
    {"CG", {"242", "", "00", 9, 9, true}}, /* Congo */
    {"CH", {"41", "0", "00", 9, 12, false}}, /* Switzerland */
    {"CI", {"225", "", "00", 10, 10, true}}, /* Côte d'Ivoire */
    {"CK", {"682", "", "00", 5, 5, false}}, /* Cook Islands */
    {"CL", {"56", "", "00", 9, 11, false}}, /* Chile */
    {"CM", {"237", "", "00", 8, 9, false}}, /* Cameroon */
    {"CN", {"86", "0", "00", 7, 12, false}}, /* China */
    {"CO", {"57", "0", "", 10, 11, false}}, /* Colombia */
    {"CR", {"506", "", "00", 8, 10, false}}, /* Costa Rica */
    {"CU", {"53", "0", "119", 6, 10, false}}, /* Cuba */
    {"CV", {"238", "", "0", 7, 7, false}}, /* Cabo Verde */
    {"CW", {"599", "", "00", 7, 8, false}}, /* Curaçao */
    {"CX", {"61", "0", "0011", 6, 12, false}}, /* Christmas Island */
    {"CY", {"357", "", "00", 8, 8, false}}, /* Cyprus */
    {"CZ", {"420", "", "00", 9, 12, false}}, /* Czechia */
    {"DE", {"49", "0", "00", 4, 15, false}}, /* Germany */
    {"DJ", {"253", "", "00", 8, 8, false}}, /* Djibouti */
    {"DK", {"45", "", "00", 8, 8, false}}, /* Denmark */
    {"DM", {"1", "1", "011", 10, 10, false}}, /* Dominica */
    {"DO", {"1", "1", "011", 10, 10, false}}, /* Dominican Republic */
    {"DZ", {"213", "0", "00", 8, 9, false}}, /* Algeria */
    {"EC", {"593", "0", "00", 8, 11, false}}, /* Ecuador */
    {"EE", {"372", "", "00", 7, 10, false}}, /* Estonia */
    {"EG", {"20", "0", "00", 8, 10, false}}, /* Egypt */
    {"EH", {"212", "0", "00", 9, 9, false}}, /* Western Sahara */
    {"ER", {"291", "0", "00", 7, 7, false}}, /* Eritrea */
    {"ES", {"34", "", "00", 9, 9, false}}, /* Spain */
    {"ET", {"251", "0", "00", 9, 9, false}}, /* Ethiopia */
    {"FI", {"358", "0", "00", 5, 12, false}}, /* Finland */
    {"FJ", {"679", "", "00", 7, 11, false}}, /* Fiji */
    {"FK", {"500", "", "00", 5, 5, false}}, /* Falkland Islands (Malvinas) */
    {"FM", {"691", "", "00", 7, 7, false}}, /* Micronesia, Federated States of */
    {"FO", {"298", "", "00", 6, 6, false}}, /* Faroe Islands */
    {"FR", {"33", "0", "00", 9, 9, false}}, /* France */
    {"GA", {"241", "", "00", 7, 8, true}}, /* Gabon */
    {"GB", {"44", "0", "00", 7, 10, false}}, /* United Kingdom */
    {"GD", {"1", "1", "011", 10, 10, false}}, /* Grenada */
    {"GE", {"995", "0", "00", 9, 9, false}}, /* Georgia */
    {"GF", {"594", "0", "00", 9, 9, false}}, /* French Guiana */
    {"GG", {"44", "0", "00", 7, 10, false}}, /* Guernsey */
    {"GH", {"233", "0", "00", 8, 9, false}}, /* Ghana */
    {"GI", {"350", "", "00", 8, 8, false}}, /* Gibraltar */
    {"GL", {"299", "", "00", 6, 6, false}}, /* Greenland */
    {"GM", {"220", "", "00", 7, 7, false}}, /* Gambia */
    {"GN", {"224", "", "00", 8, 9, false}}, /* Guinea */
    {"GP", {"590", "0", "00", 9, 9, false}}, /* Guadeloupe */
    {"GQ", {"240", "", "00", 9, 9, false}}, /* Equatorial Guinea */
    {"GR", {"30", "", "00", 10, 12, false}}, /* Greece */
    {"GS", {"500", "", "00", 5, 5, false}}, /* South Georgia and the South Sandwich Islands */
    {"GT", {"502", "", "00", 8, 11, false}}, /* Guatemala */
    {"GU", {"1", "1", "011", 10, 10, false}}, /* Guam */
    {"GW", {"245", "", "00", 7, 9, false}}, /* Guinea-Bissau */
    {"GY", {"592", "", "001", 7, 7, false}}, /* Guyana */
    {"HK", {"852", "", "00", 5, 11, false}}, /* Hong Kong */
    {"HM", {"", "", "", 0, 0, false}}, /* Heard Island and McDonald Islands */
    {"HN", {"504", "", "00", 8, 11, false}}, /* Honduras */
    {"HR", {"385", "0", "00", 6, 9, false}}, /* Croatia */
    {"HT", {"509", "", "00", 8, 8, false}}, /* Haiti */
    {"HU", {"36", "06", "00", 8, 9, false}}, /* Hungary */
    {"ID", {"62", "0", "", 7, 13, false}}, /* Indonesia */
    {"IE", {"353", "0", "00", 7, 10, false}}, /* Ireland */
    {"IL", {"972", "0", "00", 7, 12, false}}, /* Israel */
    {"IM", {"44", "0", "00", 10, 10, false}}, /* Isle of Man */
    {"IN", {"91", "0", "00", 8, 13, false}}, /* India */
    {"IO", {"246", "", "00", 7, 7, false}}, /* British Indian Ocean Territory */
    {"IQ", {"964", "0", "00", 8, 10, false}}, /* Iraq */
    {"IR", {"98", "0", "00", 4, 10, false}}, /* Iran */
    {"IS", {"354", "", "00", 7, 9, false}}, /* Iceland */
    {"IT", {"39", "", "00", 6, 12, true}}, /* Italy */
    {"JE", {"44", "0", "00", 10, 10, false}}, /* Jersey */
    {"JM", {"1", "1", "011", 10, 10, false}}, /* Jamaica */
    {"JO", {"962", "0", "00", 8, 9, false}}, /* Jordan */
    {"JP", {"81", "0", "010", 8, 17, false}}, /* Japan */
    {"KE", {"254", "0", "000", 7, 10, false}}, /* Kenya */
    {"KG", {"996", "0", "00", 9, 10, false}}, /* Kyrgyzstan */
    {"KH", {"855", "0", "", 8, 10, false}}, /* Cambodia */
    {"KI", {"686", "0", "00", 5, 8, false}}, /* Kiribati */
    {"KM", {"269", "", "00", 7, 7, false}}, /* Comoros */
    {"KN", {"1", "1", "011", 10, 10, false}}, /* Saint Kitts and Nevis */
    {"KP", {"850", "0", "00", 8, 10, false}}, /* North Korea */
    {"KR", {"82", "0", "", 5, 14, false}}, /* South Korea */
    {"KW", {"965", "", "00", 7, 8, false}}, /* Kuwait */
    {"KY", {"1", "1", "011", 10, 10, false}}, /* Cayman Islands */
    {"KZ", {"7", "8", "810", 10, 10, false}}, /* Kazakhstan */
    {"LA", {"856", "0", "00", 8, 10, false}}, /* Laos */
    {"LB", {"961", "0", "00", 7, 8, false}}, /* Lebanon */
    {"LC", {"1", "1", "011", 10, 10, false}}, /* Saint Lucia */
    {"LI", {"423", "0", "00", 7, 9, false}}, /* Liechtenstein */
    {"LK", {"94", "0", "00", 9, 9, false}}, /* Sri Lanka */
    {"LR", {"231", "0", "00", 7, 9, false}}, /* Liberia */
    {"LS", {"266", "", "00", 8, 8, false}}, /* Lesotho */
    {"LT", {"370", "8", "00", 8, 8, false}}, /* Lithuania */
    {"LU", {"352", "", "00", 4, 11, false}}, /* Luxembourg */
    {"LV", {"371", "", "00", 8, 8, false}}, /* Latvia */
    {"LY", {"218", "0", "00", 9, 9, false}}, /* Libya */
    {"MA", {"212", "0", "00", 9, 9, false}}, /* Morocco */
    {"MC", {"377", "0", "00", 8, 9, false}}, /* Monaco */
    {"MD", {"373", "0", "00", 8, 8, false}}, /* Moldova */
    {"ME", {"382", "0", "00", 8, 9, false}}, /* Montenegro */
    {"MF", {"590", "0", "00", 9, 9, false}}, /* Saint Martin (French part) */
    {"MG", {"261", "0", "00", 9, 9, false}}, /* Madagascar */
    {"MH", {"692", "1", "011", 7, 7, false}}, /* Marshall Islands */
    {"MK", {"389", "0", "00", 8, 8, false}}, /* North Macedonia */
    {"ML", {"223", "", "00", 8, 8, false}}, /* Mali */
    {"MM", {"95", "0", "00", 6, 10, false}}, /* Myanmar */
    {"MN", {"976", "0", "001", 8, 10, false}}, /* Mongolia */
    {"MO", {"853", "", "00", 7, 8, false}}, /* Macao */
    {"MP", {"1", "1", "011", 10, 10, false}}, /* Northern Mariana Islands */
    {"MQ", {"596", "0", "00", 9, 9, false}}, /* Martinique */
    {"MR", {"222", "", "00", 8, 8, false}}, /* Mauritania */
    {"MS", {"1", "1", "011", 10, 10, false}}, /* Montserrat */
    {"MT", {"356", "", "00", 8, 8, false}}, /* Malta */
    {"MU", {"230", "", "020", 7, 10, false}}, /* Mauritius */
    {"MV", {"960", "", "00", 7, 10, false}}, /* Maldives */
    {"MW", {"265", "0", "00", 7, 9, false}}, /* Malawi */
    {"MX", {"52", "1", "00", 10, 10, false}}, /* Mexico */
    {"MY", {"60", "0", "00", 8, 10, false}}, /* Malaysia */
    {"MZ", {"258", "", "00", 8, 9, false}}, /* Mozambique */
    {"NA", {"264", "0", "00", 8, 9, false}}, /* Namibia */
    {"NC", {"687", "", "00", 6, 6, false}}, /* New Caledonia */
    {"NE", {"227", "", "00", 8, 8, true}}, /* Niger */
    {"NF", {"672", "", "00", 6, 6, false}}, /* Norfolk Island */
    {"NG", {"234", "0", "009", 7, 14, false}}, /* Nigeria */
    {"NI", {"505", "", "00", 8, 8, false}}, /* Nicaragua */
    {"NL", {"31", "0", "00", 5, 11, false}}, /* Netherlands */
    {"NO", {"47", "", "00", 5, 8, false}}, /* Norway */
    {"NP", {"977", "0", "00", 8, 11, false}}, /* Nepal */
    {"NR", {"674", "", "00", 7, 7, false}}, /* Nauru */
    {"NU", {"683", "", "00", 4, 7, false}}, /* Niue */
    {"NZ", {"64", "0", "00", 5, 10, false}}, /* New Zealand */
    {"OM", {"968", "", "00", 7, 9, false}}, /* Oman */
    {"PA", {"507", "", "00", 7, 11, false}}, /* Panama */
    {"PE", {"51", "0", "00", 8, 9, false}}, /* Peru */
    {"PF", {"689", "", "00", 6, 9, false}}, /* French Polynesia */
    {"PG", {"675", "", "00", 7, 8, false}}, /* Papua New Guinea */
    {"PH", {"63", "0", "00", 6, 13, false}}, /* Philippines */
    {"PK", {"92", "0", "00", 8, 12, false}}, /* Pakistan */
    {"PL", {"48", "", "00", 6, 10, false}}, /* Poland */
    {"PM", {"508", "0", "00", 6, 9, false}}, /* Saint Pierre and Miquelon */
    {"PN", {"64", "0", "00", 5, 10, false}}, /* Pitcairn */
    {"PR", {"1", "1", "011", 10, 10, false}}, /* Puerto Rico */
    {"PS", {"970", "0", "00", 8, 10, false}}, /* Palestine, State of */
    {"PT", {"351", "", "00", 9, 9, false}}, /* Portugal */
    {"PW", {"680", "", "011", 7, 7, false}}, /* Palau */
    {"PY", {"595", "0", "00", 6, 11, false}}, /* Paraguay */
    {"QA", {"974", "", "00", 7, 9, false}}, /* Qatar */
    {"RE", {"262", "0", "00", 9, 9, false}}, /* Réunion */
    {"RO", {"40", "0", "00", 6, 9, false}}, /* Romania */
    {"RS", {"381", "0", "00", 6, 12, false}}, /* Serbia */
    {"RU", {"7", "8", "810", 10, 10, false}}, /* Russian Federation */
    {"RW", {"250", "0", "00", 8, 9, true}}, /* Rwanda */
    {"SA", {"966", "0", "00", 9, 10, false}}, /* Saudi Arabia */
    {"SB", {"677", "", "00", 5, 7, false}}, /* Solomon Islands */
    {"SC", {"248", "", "00", 7, 7, false}}, /* Seychelles */
    {"SD", {"249", "0", "00", 9, 9, false}}, /* Sudan */
    {"SE", {"46", "0", "00", 6, 12, false}}, /* Sweden */
    {"SG", {"65", "", "", 8, 11, false}}, /* Singapore */
    {"SH", {"290", "", "00", 4, 5, false}}, /* Saint Helena, Ascension and Tristan da Cunha */
    {"SI", {"386", "0", "00", 5, 8, false}}, /* Slovenia */
    {"SJ", {"47", "", "00", 5, 8, false}}, /* Svalbard and Jan Mayen */
    {"SK", {"421", "0", "00", 6, 9, false}}, /* Slovakia */
    {"SL", {"232", "0", "00", 8, 8, false}}, /* Sierra Leone */
    {"SM", {"378", "", "00", 8, 10, true}}, /* San Marino */
    {"SN", {"221", "", "00", 9, 9, false}}, /* Senegal */
    {"SO", {"252", "0", "00", 6, 9, false}}, /* Somalia */
    {"SR", {"597", "", "00", 6, 7, false}}, /* Suriname */
    {"SS", {"211", "0", "00", 9, 9, false}}, /* South Sudan */
    {"ST", {"239", "", "00", 7, 7, false}}, /* Sao Tome and Principe */
    {"SV", {"503", "", "00", 7, 11, false}}, /* El Salvador */
    {"SX", {"1", "1", "011", 10, 10, false}}, /* Sint Maarten (Dutch part) */
    {"SY", {"963", "0", "00", 8, 9, false}}, /* Syria */
    {"SZ", {"268", "", "00", 8, 9, false}}, /* Eswatini */
    {"TC", {"1", "1", "011", 10, 10, false}}, /* Turks and Caicos Islands */
    {"TD", {"235", "", "00", 8, 8, false}}, /* Chad */
    {"TF", {"262", "0", "00", 9, 9, false}}, /* French Southern Territories */
    {"TG", {"228", "", "00", 8, 8, false}}, /* Togo */
    {"TH", {"66", "0", "", 8, 13, false}}, /* Thailand */
    {"TJ", {"992", "", "810", 9, 9, false}}, /* Tajikistan */
    {"TK", {"690", "", "00", 4, 7, false}}, /* Tokelau */
    {"TL", {"670", "", "00", 7, 8, false}}, /* Timor-Leste */
    {"TM", {"993", "8", "810", 8, 8, false}}, /* Turkmenistan */
    {"TN", {"216", "", "00", 8, 8, false}}, /* Tunisia */
    {"TO", {"676", "", "00", 5, 7, false}}, /* Tonga */
    {"TR", {"90", "0", "00", 7, 13, false}}, /* Türkiye */
    {"TT", {"1", "1", "011", 10, 10, false}}, /* Trinidad and Tobago */
    {"TV", {"688", "", "00", 5, 7, false}}, /* Tuvalu */
    {"TW", {"886", "0", "", 7, 11, false}}, /* Taiwan */
    {"TZ", {"255", "0", "", 9, 9, false}}, /* Tanzania */
    {"UA", {"380", "0", "00", 9, 10, false}}, /* Ukraine */
    {"UG", {"256", "0", "", 9, 9, false}}, /* Uganda */
    {"UM", {"1", "1", "011", 10, 10, false}}, /* United States Minor Outlying Islands */
    {"US", {"1", "1", "011", 10, 10, false}}, /* United States */
    {"UY", {"598", "0", "00", 7, 10, false}}, /* Uruguay */
    {"UZ", {"998", "8", "810", 9, 9, false}}, /* Uzbekistan */
    {"VA", {"39", "", "00", 6, 12, true}}, /* Holy See (Vatican City State) */
    {"VC", {"1", "1", "011", 10, 10, false}}, /* Saint Vincent and the Grenadines */
    {"VE", {"58", "0", "00", 10, 10, false}}, /* Venezuela */
    {"VG", {"1", "1", "011", 10, 10, false}}, /* Virgin Islands, British */
    {"VI", {"1", "1", "011", 10, 10, false}}, /* Virgin Islands, U.S. */
    {"VN", {"84", "0", "00", 7, 10, false}}, /* Vietnam */
    {"VU", {"678", "", "00", 5, 7, false}}, /* Vanuatu */
    {"WF", {"681", "", "00", 6, 9, false}}, /* Wallis and Futuna */
    {"WS", {"685", "", "0", 5, 10, false}}, /* Samoa */
    {"YE", {"967", "0", "00", 7, 9, false}}, /* Yemen */
    {"YT", {"262", "0", "00", 9, 9, false}}, /* Mayotte */
    {"ZA", {"27", "0", "00", 5, 10, false}}, /* South Africa */
    {"ZM", {"260", "0", "00", 9, 9, false}}, /* Zambia */
    {"ZW", {"263", "0", "00", 5, 10, false}}, /* Zimbabwe */
};

#define COUNTRY_COUNT (sizeof countries / sizeof countries[0])

/* Calling codes that belong to no country (ITU-T E.164 "global services"): freephone,
 * shared-cost, Inmarsat, satellite and international networks. */
static const struct country non_geographic[] = {
    {"", {"800", "", "", 8, 8, false}},  {"", {"808", "", "", 8, 8, false}},
    {"", {"870", "", "", 9, 12, false}}, {"", {"878", "", "", 12, 12, false}},
    {"", {"881", "", "", 9, 9, false}},  {"", {"882", "", "", 7, 12, false}},
    {"", {"883", "", "", 9, 12, false}}, {"", {"888", "", "", 11, 11, false}},
    {"", {"979", "", "", 9, 9, false}},
};

static bool
is_upper_pair(const char *code)
{
    return code != NULL && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z'
           && code[2] == '\0';
}

/* Binary search of an upper-case pair; NULL when not assigned. */
static const struct country *
find(const char *code)
{
    size_t lo = 0;
    size_t hi = COUNTRY_COUNT;

    if (!is_upper_pair(code))
        return NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(countries[mid].code, code);

        if (c == 0)
            return &countries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool
country_is_assigned(const char *code)
{
    return find(code) != NULL;
}

bool
country_normalize(const char *in, char out[3])
{
    char up[3];

    out[0] = '\0';
    if (in == NULL || in[0] == '\0' || in[1] == '\0' || in[2] != '\0')
        return false;
    for (int i = 0; i < 2; i++) {
        char c = in[i];

        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        up[i] = c;
    }
    up[2] = '\0';
    if (find(up) == NULL)
        return false;
    memcpy(out, up, 3);
    return true;
}

const char *
country_calling_code(const char *code)
{
    const struct country *c = find(code);

    if (c == NULL || c->dialing.calling_code[0] == '\0')
        return NULL;
    return c->dialing.calling_code;
}

bool
country_dialing_of(const char *code, struct country_dialing *out)
{
    const struct country *c = find(code);

    if (c == NULL || c->dialing.calling_code[0] == '\0')
        return false;
    *out = c->dialing;
    return true;
}

static bool
starts_with(const char *s, const char *prefix)
{
    return prefix[0] != '\0' && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Widens *out (already holding one country of that calling code) by another one. */
static void
merge(struct country_dialing *out, const struct country_dialing *d)
{
    if (d->nsn_min < out->nsn_min)
        out->nsn_min = d->nsn_min;
    if (d->nsn_max > out->nsn_max)
        out->nsn_max = d->nsn_max;
    out->keeps_zero = out->keeps_zero || d->keeps_zero;
    if (strcmp(out->trunk_prefix, d->trunk_prefix) != 0)
        out->trunk_prefix = "";
}

size_t
country_dialing_for_number(const char *digits, struct country_dialing *out)
{
    size_t first = 0;

    while (first < COUNTRY_COUNT && !starts_with(digits, countries[first].dialing.calling_code))
        first++;
    if (first < COUNTRY_COUNT) {
        *out = countries[first].dialing;
        for (size_t i = first + 1; i < COUNTRY_COUNT; i++) {
            if (starts_with(digits, countries[i].dialing.calling_code))
                merge(out, &countries[i].dialing);
        }
        out->idd = "";
        return strlen(out->calling_code);
    }
    for (size_t i = 0; i < sizeof non_geographic / sizeof non_geographic[0]; i++) {
        if (starts_with(digits, non_geographic[i].dialing.calling_code)) {
            *out = non_geographic[i].dialing;
            return strlen(out->calling_code);
        }
    }
    return 0;
}
