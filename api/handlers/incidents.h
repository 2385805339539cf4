/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /v1/incidents: public list and read, operator create and update (docs/api.md §10.1). */
#ifndef RECOURS_HANDLERS_INCIDENTS_H
#define RECOURS_HANDLERS_INCIDENTS_H

#include <stdbool.h>

/* Whether s matches the slug pattern of docs/api.md §8.4, ^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$ (also
 * the pattern of every ?incident= parameter). */
bool incident_slug_is_valid(const char *s);

#endif
