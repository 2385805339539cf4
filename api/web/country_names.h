/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The names of the ISO 3166-1 alpha-2 countries in the page languages, for the address
 * <select> of the forms (api/web/country_names.c, generated). */
#ifndef RECOURS_WEB_COUNTRY_NAMES_H
#define RECOURS_WEB_COUNTRY_NAMES_H

#include <stddef.h>

struct web_country {
    const char *code; /* "FR" */
    const char *fr;   /* "France" */
    const char *en;   /* "France" */
};

extern const struct web_country web_countries[];
extern const size_t web_n_countries;

/* web_n_countries indexes into web_countries, by name in French and in English. */
extern const unsigned short web_country_order_fr[];
extern const unsigned short web_country_order_en[];

#endif
