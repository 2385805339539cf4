/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Scheme JSON mapping. Amounts must be JSON integers (a real such as 1.5 is invalid-type);
 * their ranges are checked by scheme_validate. */
#include "handlers/scheme_json.h"

#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "domain/money.h"
#include "domain/vocab.h"
#include "http/json_build.h"

static const char *const members[] = {"currency", "base_amount", "category_supplements",
                                      "documented_loss", "time_spent", "fund_cap", "vouchers",
                                      "cash_alternative_ratio", NULL};
static const char *const loss_members[] = {"reimburse", "cap_per_claimant", NULL};
static const char *const time_members[] = {"hourly_rate", "max_hours", NULL};
static const char *const voucher_members[] = {"name", "amount", NULL};

static void
path(char *out, size_t n, const char *prefix, const char *key)
{
    int len;

    /* a path past n bytes is cut (a map's key is the client's: any length); errors_add then
     * drops a character cut in half. The length is looked at, or GCC's fortified build warns
     * of that cut wherever err() is inlined. */
    if (prefix == NULL || prefix[0] == '\0')
        len = snprintf(out, n, "%s", key);
    else
        len = snprintf(out, n, "%s.%s", prefix, key);
    if (len < 0)
        out[0] = '\0';
}

static void
err(struct errors *e, const char *prefix, const char *key, const char *code, const char *msg)
{
    char p[ERRORS_FIELD_MAX];

    path(p, sizeof p, prefix, key);
    errors_add(e, p, code, msg);
}

/* docs/api.md §1.3: an unknown member is refused (unknown-field), in nested objects too. */
static void
refuse_unknown(json_t *obj, const char *prefix, const char *const allowed[], struct errors *e)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v) {
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (!known)
            err(e, prefix, key, "unknown-field", "this member is not part of a scheme");
    }
}

/* A required member; missing or null → required. */
static json_t *
need(json_t *obj, const char *prefix, const char *key, struct errors *e)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        err(e, prefix, key, "required", "this member is required");
        return NULL;
    }
    return v;
}

static bool
read_amount(json_t *obj, const char *prefix, const char *key, int64_t *out, struct errors *e)
{
    json_t *v = need(obj, prefix, key, e);

    if (v == NULL)
        return false;
    if (!json_is_integer(v)) {
        err(e, prefix, key, "invalid-type", "expected an integer amount in minor units");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

static json_t *
need_object(json_t *obj, const char *prefix, const char *key, struct errors *e)
{
    json_t *v = need(obj, prefix, key, e);

    if (v != NULL && !json_is_object(v)) {
        err(e, prefix, key, "invalid-type", "expected an object");
        return NULL;
    }
    return v;
}

static void
read_supplements(json_t *obj, const char *prefix, struct scheme *s, struct errors *e)
{
    char sub[ERRORS_FIELD_MAX];
    json_t *sup = need_object(obj, prefix, "category_supplements", e);
    const char *key;
    json_t *v;

    if (sup == NULL)
        return;
    path(sub, sizeof sub, prefix, "category_supplements");
    json_object_foreach(sup, key, v) {
        int i = data_category_index(key);
        if (i < 0) {
            err(e, sub, key, "invalid-value", "not a data category of the vocabulary");
            continue;
        }
        /* a key is never required: its null is a wrong type, not a missing member */
        if (json_is_null(v)) {
            err(e, sub, key, "invalid-type", "expected an integer amount in minor units");
            continue;
        }
        if (read_amount(sup, sub, key, &s->supplement[i], e))
            s->has_supplement[i] = true;
    }
}

static void
read_loss_and_time(json_t *obj, const char *prefix, struct scheme *s, struct errors *e)
{
    char sub[ERRORS_FIELD_MAX];
    json_t *loss = need_object(obj, prefix, "documented_loss", e);
    json_t *time = need_object(obj, prefix, "time_spent", e);

    if (loss != NULL) {
        path(sub, sizeof sub, prefix, "documented_loss");
        refuse_unknown(loss, sub, loss_members, e);
        json_t *r = need(loss, sub, "reimburse", e);
        if (r != NULL && !json_is_boolean(r))
            err(e, sub, "reimburse", "invalid-type", "expected true or false");
        s->reimburse = json_is_true(r);
        read_amount(loss, sub, "cap_per_claimant", &s->loss_cap, e);
    }
    if (time != NULL) {
        path(sub, sizeof sub, prefix, "time_spent");
        refuse_unknown(time, sub, time_members, e);
        read_amount(time, sub, "hourly_rate", &s->hourly_rate, e);
        read_amount(time, sub, "max_hours", &s->max_hours, e);
    }
}

static void
read_vouchers(json_t *obj, const char *prefix, struct scheme *s, struct errors *e)
{
    json_t *list = need(obj, prefix, "vouchers", e);
    char base[ERRORS_FIELD_MAX];
    size_t i;
    json_t *item;

    if (list == NULL)
        return;
    if (!json_is_array(list)) {
        err(e, prefix, "vouchers", "invalid-type", "expected an array (empty for none)");
        return;
    }
    if (json_array_size(list) > SCHEME_VOUCHERS_MAX) {
        err(e, prefix, "vouchers", "too-long", "at most 16 vouchers");
        return;
    }
    path(base, sizeof base, prefix, "vouchers");
    json_array_foreach(list, i, item) {
        char at[ERRORS_FIELD_MAX + 32];
        snprintf(at, sizeof at, "%s[%zu]", base, i);
        if (!json_is_object(item)) {
            errors_add(e, at, "invalid-type", "expected {\"name\", \"amount\"}");
            continue;
        }
        refuse_unknown(item, at, voucher_members, e);
        json_t *name = need(item, at, "name", e);
        if (name != NULL && !json_is_string(name))
            err(e, at, "name", "invalid-type", "expected a string");
        else if (name != NULL && u8_mbsnlen((const uint8_t *)json_string_value(name),
                                            json_string_length(name)) > SCHEME_VOUCHER_NAME_MAX)
            err(e, at, "name", "too-long", "at most 100 characters");
        else if (name != NULL)
            snprintf(s->vouchers[i].name, sizeof s->vouchers[i].name, "%s",
                     json_string_value(name));
        read_amount(item, at, "amount", &s->vouchers[i].amount, e);
        s->n_vouchers = i + 1;
    }
}

/* "1.5", "2", "0.0000": a well-formed decimal (the range is another matter). */
static bool
is_plain_decimal(const char *v)
{
    size_t digits = strspn(v, "0123456789");

    if (digits == 0)
        return false;
    if (v[digits] == '\0')
        return true;
    if (v[digits] != '.')
        return false;
    size_t frac = strspn(v + digits + 1, "0123456789");
    return frac >= 1 && frac <= 4 && v[digits + 1 + frac] == '\0';
}

bool
scheme_from_json(json_t *obj, const char *prefix, struct scheme *s, struct errors *e)
{
    int before = e->n;

    memset(s, 0, sizeof *s);
    refuse_unknown(obj, prefix, members, e);
    json_t *cur = need(obj, prefix, "currency", e);
    if (cur != NULL && !json_is_string(cur))
        err(e, prefix, "currency", "invalid-type", "expected an ISO 4217 code");
    else if (cur != NULL && json_string_length(cur) < sizeof s->currency)
        snprintf(s->currency, sizeof s->currency, "%s", json_string_value(cur));
    /* a longer string stays "" (not cut to its first three letters: "EURO" is not EUR), and
     * scheme_validate refuses it as any other wrong code */
    read_amount(obj, prefix, "base_amount", &s->base_amount, e);
    read_supplements(obj, prefix, s, e);
    read_loss_and_time(obj, prefix, s, e);
    json_t *cap = json_object_get(obj, "fund_cap");
    if (cap == NULL)
        err(e, prefix, "fund_cap", "required", "this member is required (null for none)");
    else if (!json_is_null(cap) && read_amount(obj, prefix, "fund_cap", &s->fund_cap, e))
        s->has_fund_cap = true;
    read_vouchers(obj, prefix, s, e);
    json_t *ratio = json_object_get(obj, "cash_alternative_ratio");
    if (ratio == NULL)
        err(e, prefix, "cash_alternative_ratio", "required",
            "this member is required (null for none)");
    else if (!json_is_null(ratio) &&
             (!json_is_string(ratio) ||
              !ratio_parse_4dp(json_string_value(ratio), &s->cash_ratio_bp)))
        err(e, prefix, "cash_alternative_ratio",
            !json_is_string(ratio)                       ? "invalid-type"
            : is_plain_decimal(json_string_value(ratio)) ? "out-of-range"
                                                         : "invalid-format",
            "a decimal string in (0, 1] with at most 4 decimals, such as \"0.75\"");
    else if (!json_is_null(ratio))
        s->has_cash_ratio = true;
    return e->n == before;
}

json_t *
scheme_to_json(const struct scheme *s)
{
    struct json_build b = {0};
    json_t *sup = json_object();
    json_t *vouchers = json_array();
    char ratio[16];

    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        if (s->has_supplement[i])
            jb_set(&b, sup, data_categories[i], json_integer(s->supplement[i]));
    for (size_t i = 0; i < s->n_vouchers; i++)
        jb_append(&b, vouchers, json_pack("{s:s, s:I}", "name", s->vouchers[i].name, "amount",
                                          (json_int_t)s->vouchers[i].amount));
    snprintf(ratio, sizeof ratio, "%d.%04d", s->cash_ratio_bp / 10000, s->cash_ratio_bp % 10000);
    /* trim trailing zeros: "0.7500" → "0.75", "1.0000" → "1" */
    size_t n = strlen(ratio);
    while (n > 0 && ratio[n - 1] == '0')
        ratio[--n] = '\0';
    if (n > 0 && ratio[n - 1] == '.')
        ratio[--n] = '\0';
    json_t *cap = s->has_fund_cap ? json_integer(s->fund_cap) : json_null();
    json_t *r = s->has_cash_ratio ? json_string(ratio) : json_null();
    return json_pack("{s:s, s:I, s:o, s:{s:b, s:I}, s:{s:I, s:I}, s:o, s:o, s:o}", "currency",
                     s->currency, "base_amount", (json_int_t)s->base_amount,
                     "category_supplements", jb_result(&b, sup), "documented_loss", "reimburse",
                     s->reimburse,
                     "cap_per_claimant", (json_int_t)s->loss_cap, "time_spent", "hourly_rate",
                     (json_int_t)s->hourly_rate, "max_hours", (json_int_t)s->max_hours,
                     "fund_cap", cap, "vouchers", jb_result(&b, vouchers),
                     "cash_alternative_ratio", r);
}

/* Whether errors already holds an error at field. */
static bool
has_error_at(const struct errors *e, int upto, const char *field)
{
    for (int i = 0; i < upto; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return true;
    return false;
}

/* Whether an error from index `from` on is at field, or (with item_member) at one of its
 * items `field[i]` or their member `field[i].<item_member>`. */
static bool
has_error_in(const struct errors *e, int from, const char *field, const char *item_member)
{
    size_t n = strlen(field);

    for (int i = from; i < e->n; i++) {
        const char *f = e->items[i].field;
        if (strncmp(f, field, n) != 0)
            continue;
        f += n;
        if (*f == '\0')
            return true;
        if (item_member == NULL || *f != '[')
            continue;
        f += strspn(f + 1, "0123456789") + 1;
        if (strcmp(f, "]") == 0 || (f[0] == ']' && f[1] == '.' && strcmp(f + 2, item_member) == 0))
            return true;
    }
    return false;
}

void
scheme_check(json_t *obj, const char *prefix, const char *incident_currency, struct scheme *s,
             struct errors *e)
{
    struct errors rules = {0};
    int parsed = e->n;
    bool amounts_ok;

    scheme_from_json(obj, prefix, s, e);
    /* the vouchers' sum is checked whenever its terms parsed, whatever else did not: every
     * error at once (docs/api.md §5.2); a bad ratio or voucher name hid a sum that did not
     * add up */
    char base[ERRORS_FIELD_MAX], vouchers[ERRORS_FIELD_MAX];
    path(base, sizeof base, prefix, "base_amount");
    path(vouchers, sizeof vouchers, prefix, "vouchers");
    amounts_ok =
        !has_error_in(e, parsed, base, NULL) && !has_error_in(e, parsed, vouchers, "amount");
    scheme_validate(s, incident_currency, &rules);
    for (int i = 0; i < rules.n; i++) {
        char field[ERRORS_FIELD_MAX];
        path(field, sizeof field, prefix, rules.items[i].field);
        /* a member the parser refused is reported once; a sum over amounts that did not
         * parse means nothing */
        if (has_error_at(e, e->n, field) ||
            (!amounts_ok && strcmp(rules.items[i].code, "sum-mismatch") == 0))
            continue;
        errors_add(e, field, rules.items[i].code, rules.items[i].message);
    }
}

bool
scheme_from_stored(const char *json, struct scheme *s)
{
    struct errors ignored = {0};
    json_t *doc = json_loads(json, JSON_REJECT_DUPLICATES, NULL);
    bool ok = doc != NULL && scheme_from_json(doc, "", s, &ignored);

    json_decref(doc);
    return ok;
}
