/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* THE route table: method, path template, handler, role. Grep a path here first. */
#ifndef RECOURS_ROUTES_H
#define RECOURS_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route routes[];
extern const size_t n_routes;

/* Prints "METHOD PATH ROLE" per line (recours routes; the OpenAPI test reads it). */
void routes_print(void);

#endif
