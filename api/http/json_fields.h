/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reading validated members out of a JSON object. Each reader takes the object, the member
 * name and the path prefix used in errors ("claimant.address"), appends to errors on a bad
 * value, and reports presence: `null` reads as absent (docs/api.md §1.4). Strings are returned as
 * arena copies. */
#ifndef RECOURS_HTTP_JSON_FIELDS_H
#define RECOURS_HTTP_JSON_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"

struct arena;

struct json_fields {
    json_t *obj;
    const char *prefix; /* "" at the top level */
    struct errors *errors;
    struct arena *arena;
};

/* Appends unknown-field for each member not in allowed (NULL-terminated). */
void jf_refuse_unknown(const struct json_fields *jf, const char *const allowed[]);

/* The path of member key under the reader's prefix, in buf. */
const char *jf_path(const struct json_fields *jf, const char *key, char *buf, size_t n);

/* A string trimmed of surrounding white space, 1..max_chars code points (a blank string
 * counts as missing where the member is required, `required`; where it is optional it is
 * refused, `too-short` saying to omit it or send null), without control characters.
 * Returns NULL when absent or invalid (with `required` appended when absent and
 * required). */
const char *jf_text(const struct json_fields *jf, const char *key, bool required,
                    size_t max_chars);

/* As jf_text, and a string without a letter or a digit ("\u00a0", "-") is blank as well:
 * what someone must be able to write to (an address). */
const char *jf_text_with_content(const struct json_fields *jf, const char *key, bool required,
                                 size_t max_chars);

/* As jf_text, for paragraphs (a mandate text): line breaks and tabs allowed inside. */
const char *jf_long_text(const struct json_fields *jf, const char *key, bool required,
                         size_t max_chars);

/* An integer in [min, max] (reals, -0 and out-of-range values refused). *present_out tells
 * whether the member was given (even if invalid). */
bool jf_int64(const struct json_fields *jf, const char *key, bool required, int64_t min,
              int64_t max, int64_t *out, bool *present_out);

/* One of the strings of allowed (NULL-terminated); NULL when absent or invalid. */
const char *jf_enum(const struct json_fields *jf, const char *key, bool required,
                    const char *const allowed[]);

/* A calendar date "YYYY-MM-DD" that exists; NULL when absent or invalid. */
const char *jf_date(const struct json_fields *jf, const char *key, bool required);

/* An instant of a filter (domain/dates.h instant_parse): an RFC 3339 date-time, or a plain
 * date read as midnight UTC, given as "YYYY-MM-DDT00:00:00Z" (the query filters' rule,
 * guard_query_instant); NULL when absent or invalid. */
const char *jf_instant(const struct json_fields *jf, const char *key, bool required);

/* An ISO 3166-1 alpha-2 country code, any case, as its upper-case arena copy; NULL when absent
 * or invalid. */
const char *jf_country(const struct json_fields *jf, const char *key, bool required);

/* item, the element of a list at path ("references[3]"), as a claim reference in its canonical
 * upper-case form (domain/reference.h: any case, a valid check symbol), in the arena; NULL with
 * path's error added: invalid-type (not a string of at most 32 bytes), invalid-value (not a
 * reference). */
const char *jf_reference_item(const struct json_fields *jf, json_t *item, const char *path);

/* An e-mail address (at most 254 bytes) that normalizes (domain/normalize.h), as given; NULL
 * when absent or invalid (`invalid-format`). */
const char *jf_email(const struct json_fields *jf, const char *key, bool required);

/* An array of distinct data categories (docs/api.md §8.6), at least one, into a set. When within is
 * not 0, a category outside it is `not-in-incident`. False when absent or invalid. */
bool jf_categories(const struct json_fields *jf, const char *key, bool required,
                   unsigned int within, unsigned int *out);

/* A boolean; false when absent or invalid (*out untouched). */
bool jf_bool(const struct json_fields *jf, const char *key, bool *out);

/* A nested object as a reader with the member's path as prefix; false when absent (with
 * `required` if required) or not an object (`invalid-type`). */
bool jf_object(const struct json_fields *jf, const char *key, bool required,
               struct json_fields *out);

/* Whether member key is present and not null. */
bool jf_has(const struct json_fields *jf, const char *key);

#endif
