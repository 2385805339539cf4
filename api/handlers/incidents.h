/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /v1/incidents: public list and read, operator create and update (docs/api.md §10.1). */
#ifndef RECOURS_HANDLERS_INCIDENTS_H
#define RECOURS_HANDLERS_INCIDENTS_H

#include "domain/vocab.h" /* incident_slug_is_valid, for the handlers that read a slug */

#endif
