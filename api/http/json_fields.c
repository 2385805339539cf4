/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Member readers for JSON objects (see json_fields.h). */
#include "http/json_fields.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/text_clean.h"
#include "core/text_trim.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/normalize.h"
#include "domain/reference.h"
#include "domain/vocab.h"

const char *
jf_path(const struct json_fields *jf, const char *key, char *buf, size_t n)
{
    if (jf->prefix == NULL || jf->prefix[0] == '\0')
        snprintf(buf, n, "%s", key);
    else
        snprintf(buf, n, "%s.%s", jf->prefix, key);
    return buf;
}

static void
add(const struct json_fields *jf, const char *key, const char *code, const char *message)
{
    char path[ERRORS_FIELD_MAX];

    errors_add(jf->errors, jf_path(jf, key, path, sizeof path), code, message);
}

void
jf_refuse_unknown(const struct json_fields *jf, const char *const allowed[])
{
    const char *key;
    json_t *v;

    json_object_foreach(jf->obj, key, v) {
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (!known)
            add(jf, key, "unknown-field", "this member is not part of the resource");
    }
}

bool
jf_has(const struct json_fields *jf, const char *key)
{
    json_t *v = json_object_get(jf->obj, key);

    return v != NULL && !json_is_null(v);
}

/* Returns the member or NULL; appends `required` when it is missing and required. */
static json_t *
member(const struct json_fields *jf, const char *key, bool required)
{
    json_t *v = json_object_get(jf->obj, key);

    if (v == NULL || json_is_null(v)) {
        if (required)
            add(jf, key, "required", "this member is required");
        return NULL;
    }
    return v;
}

/* member, then its type: t (JSON_TRUE stands for either boolean), else NULL with
 * invalid-type and the expected kind of value. */
static json_t *
member_of_type(const struct json_fields *jf, const char *key, bool required, json_type t,
               const char *expected)
{
    json_t *v = member(jf, key, required);

    if (v == NULL)
        return NULL;
    if (t == JSON_TRUE ? json_is_boolean(v) : json_typeof(v) == t)
        return v;
    add(jf, key, "invalid-type", expected);
    return NULL;
}

/* A blank string: missing where the member is required; where it is optional, no value of it
 * (the schema's minLength, a pattern), and the client is told how to say "none". */
static void
refuse_blank(const struct json_fields *jf, const char *key, bool required)
{
    add(jf, key, required ? "required" : "too-short",
        required ? "this member is required" : "is empty: omit the member, or send null, for none");
}

static const char *
text_of(const struct json_fields *jf, const char *key, bool required, size_t max_chars,
        const char *allowed_ctrl)
{
    json_t *v = member_of_type(jf, key, required, JSON_STRING, "expected a string");
    size_t chars = 0;

    if (v == NULL)
        return NULL;
    const char *s = json_string_value(v);
    size_t len = text_trim(&s, json_string_length(v), " \t\n\r"); /* JSON's white space */
    if (len == 0) { /* blank: docs/api.md §5.4 */
        refuse_blank(jf, key, required);
        return NULL;
    }
    char *copy = arena_strndup(jf->arena, s, len);
    if (allowed_ctrl != NULL && strchr(allowed_ctrl, '\n') != NULL)
        text_unify_line_breaks(copy, len);
    if (!text_is_clean(copy, allowed_ctrl, &chars)) {
        add(jf, key, "invalid-format",
            allowed_ctrl == NULL ? "must not contain control characters"
                                 : "only line breaks and tabs may be used");
        return NULL;
    }
    if (chars > max_chars) {
        add(jf, key, "too-long", "is longer than allowed");
        return NULL;
    }
    return copy;
}

const char *
jf_text(const struct json_fields *jf, const char *key, bool required, size_t max_chars)
{
    return text_of(jf, key, required, max_chars, NULL);
}

const char *
jf_text_with_content(const struct json_fields *jf, const char *key, bool required, size_t max_chars)
{
    const char *text = text_of(jf, key, required, max_chars, NULL);

    if (text != NULL && !normalize_text_has_content(text)) {
        refuse_blank(jf, key, required);
        return NULL;
    }
    return text;
}

const char *
jf_long_text(const struct json_fields *jf, const char *key, bool required, size_t max_chars)
{
    return text_of(jf, key, required, max_chars, "\n\t");
}

bool
jf_int64(const struct json_fields *jf, const char *key, bool required, int64_t min, int64_t max,
         int64_t *out, bool *present_out)
{
    json_t *v = member(jf, key, required);

    if (present_out != NULL)
        *present_out = v != NULL;
    if (v == NULL)
        return false;
    if (!json_is_integer(v)) {
        add(jf, key, "invalid-type", "expected an integer");
        return false;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        add(jf, key, "out-of-range", "is outside the allowed range");
        return false;
    }
    *out = n;
    return true;
}

const char *
jf_enum(const struct json_fields *jf, const char *key, bool required,
        const char *const allowed[])
{
    json_t *v = member_of_type(jf, key, required, JSON_STRING, "expected a string");

    if (v == NULL)
        return NULL;
    for (size_t i = 0; allowed[i] != NULL; i++)
        if (strcmp(allowed[i], json_string_value(v)) == 0)
            return allowed[i];
    add(jf, key, "invalid-value", "is not one of the allowed values");
    return NULL;
}

const char *
jf_date(const struct json_fields *jf, const char *key, bool required)
{
    json_t *v =
        member_of_type(jf, key, required, JSON_STRING, "expected a date string YYYY-MM-DD");
    struct civil_date d;

    if (v == NULL)
        return NULL;
    if (!civil_date_parse(json_string_value(v), &d)) {
        add(jf, key, "invalid-format", "expected a real date YYYY-MM-DD");
        return NULL;
    }
    return arena_strdup(jf->arena, json_string_value(v));
}

const char *
jf_instant(const struct json_fields *jf, const char *key, bool required)
{
    const char *v = jf_text(jf, key, required, 40);
    bool is_date;
    time_t t;

    if (v == NULL)
        return NULL;
    if (!instant_parse(v, &t, &is_date)) {
        add(jf, key, "invalid-format",
            "expected a date (2026-12-01, midnight UTC) or an RFC 3339 date-time "
            "(2026-12-01T09:30:00Z)");
        return NULL;
    }
    /* the statement reads one form: a date is its midnight UTC, as the query's filter */
    return is_date ? arena_printf(jf->arena, "%sT00:00:00Z", v) : v;
}

const char *
jf_reference_item(const struct json_fields *jf, json_t *item, const char *path)
{
    if (!json_is_string(item) || json_string_length(item) > 32) {
        errors_add(jf->errors, path, "invalid-type", "expected a reference RC-XXXX-XXXX");
        return NULL;
    }
    /* a malformed reference is the caller's mistake, said as such, not a claim not found */
    char *canonical = arena_alloc(jf->arena, REFERENCE_LEN + 1);
    if (!reference_parse(json_string_value(item), canonical)) {
        errors_add(jf->errors, path, "invalid-value",
                   "not a reference RC-XXXX-XXXX (or its check symbol is wrong)");
        return NULL;
    }
    return canonical;
}

const char *
jf_country(const struct json_fields *jf, const char *key, bool required)
{
    const char *v = jf_text(jf, key, required, 16);
    char upper[3];

    if (v == NULL)
        return NULL;
    if (!country_normalize(v, upper)) {
        add(jf, key, "invalid-value", "not an ISO 3166-1 alpha-2 code");
        return NULL;
    }
    return arena_strdup(jf->arena, upper);
}

const char *
jf_email(const struct json_fields *jf, const char *key, bool required)
{
    const char *v = jf_text(jf, key, required, 254);
    char normal[256];

    if (v != NULL && !normalize_email(v, normal, sizeof normal)) {
        add(jf, key, "invalid-format", "expected name@example.org");
        return NULL;
    }
    return v;
}

bool
jf_categories(const struct json_fields *jf, const char *key, bool required, unsigned int within,
              unsigned int *out)
{
    json_t *v = member_of_type(jf, key, required, JSON_ARRAY, "expected an array");
    unsigned int set = 0;
    bool ok = true;
    size_t i;
    json_t *item;
    char base[ERRORS_FIELD_MAX];
    char path[ERRORS_FIELD_MAX + 32];

    if (v == NULL)
        return false;
    if (json_array_size(v) == 0) {
        add(jf, key, "too-short", "name at least one category");
        return false;
    }
    jf_path(jf, key, base, sizeof base);
    json_array_foreach(v, i, item) {
        snprintf(path, sizeof path, "%s[%zu]", base, i);
        int idx = json_is_string(item) ? data_category_index(json_string_value(item)) : -1;
        const char *code = NULL;
        if (idx < 0)
            code = json_is_string(item) ? "invalid-value" : "invalid-type";
        else if (set & (1u << idx))
            code = "duplicate-value";
        else if (within != 0 && !(within & (1u << idx)))
            code = "not-in-incident";
        if (code != NULL) {
            errors_add(jf->errors, path, code,
                       idx < 0 ? "not a data category of the vocabulary"
                       : strcmp(code, "duplicate-value") == 0 ? "this category is repeated"
                                                                : "not exposed in this incident");
            ok = false;
        } else {
            set |= 1u << idx;
        }
    }
    *out = set;
    return ok;
}

bool
jf_bool(const struct json_fields *jf, const char *key, bool *out)
{
    json_t *v = member_of_type(jf, key, false, JSON_TRUE, "expected true or false");

    if (v == NULL)
        return false;
    *out = json_is_true(v);
    return true;
}

bool
jf_object(const struct json_fields *jf, const char *key, bool required, struct json_fields *out)
{
    json_t *v = member_of_type(jf, key, required, JSON_OBJECT, "expected an object");
    char path[ERRORS_FIELD_MAX];

    if (v == NULL)
        return false;
    *out = *jf;
    out->obj = v;
    out->prefix = arena_strdup(jf->arena, jf_path(jf, key, path, sizeof path));
    return true;
}
