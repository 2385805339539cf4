/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The action's public record on the wire (docs/api.md "Action public record"): the members
 * POST/PATCH /v1/actions(/{id}) accept besides the action's own, and the members GET and
 * PATCH answers carry (next_date, next_date_note, funding_sources, fees_charged,
 * mandate_text_en, history; history_add appends a dated event). */
#ifndef RECOURS_HANDLERS_ACTION_RECORD_H
#define RECOURS_HANDLERS_ACTION_RECORD_H

#include <jansson.h>
#include <stdbool.h>

#include "http/json_fields.h"
#include "service/public_pages.h"

/* The record's member names, NULL-terminated. */
extern const char *const action_record_members[];

/* Reads the record members of jf->obj into *p (null clears a field); errors to jf->errors.
 * True when any record member is present. */
bool action_record_read(const struct json_fields *jf, struct action_record_patch *p);

/* Adds the members of record (the text of a JSON object, service/actions.h struct action_doc)
 * to obj, the action's JSON. False when it cannot be parsed or added. */
bool action_record_merge(json_t *obj, const char *record);

#endif
