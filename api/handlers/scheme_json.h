/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation schemes on the wire (docs/api.md §11.1): JSON → struct scheme with every type error
 * listed, and struct scheme → JSON (answers, the stored copy, presets). */
#ifndef RECOURS_HANDLERS_SCHEME_JSON_H
#define RECOURS_HANDLERS_SCHEME_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "core/errors.h"
#include "domain/scheme.h"

/* Reads obj (all members required, unknown ones refused) into *s; type and shape errors go
 * to e under prefix (e.g. "scheme" inside a simulate body, "" for PUT). Value rules are
 * scheme_validate's. False when something could not be read. */
bool scheme_from_json(json_t *obj, const char *prefix, struct scheme *s, struct errors *e);

/* Reads a stored scheme (the canonical JSON text a PUT stored) into *s; false when it does
 * not read. The decoder the service's reads are given (service/compensation.h). */
bool scheme_from_stored(const char *json, struct scheme *s);

/* Reads and validates in one go, every error at once: the parser's type errors and the value
 * rules (scheme_validate) of every member that did parse, all under prefix. */
void scheme_check(json_t *obj, const char *prefix, const char *incident_currency,
                  struct scheme *s, struct errors *e);

/* The canonical JSON of s (every member, supplement keys in vocabulary order). */
json_t *scheme_to_json(const struct scheme *s);

#endif
