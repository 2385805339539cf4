/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Form fields → the API's claim body (see claim_form.h). */
#include "handlers/claim_form.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/errors.h"
#include "domain/amount_typed.h"
#include "domain/currency.h"
#include "domain/dates.h"

#define LOSS_FIELD "harms.documented_loss"

enum kind { KIND_TEXT, KIND_BOOL, KIND_INT, KIND_MONEY, KIND_DATE, KIND_LIST };

struct form_member {
    const char *name;
    enum kind kind;
};

/* The claim members that are not text (docs/api.md §6). */
static const struct form_member typed[] = {
    {"harms.phishing", KIND_BOOL},      {"harms.identity_theft", KIND_BOOL},
    {"harms.distress", KIND_BOOL},      {"harms.hours_spent", KIND_INT},
    {LOSS_FIELD, KIND_MONEY},           {"data_categories", KIND_LIST},
    {"claimant.birth_date", KIND_DATE},
};

static const char *const page_controls[] = {"incident",  "action", "lang",
                                            "idempotency_key", "reference", "token",
                                            "form",      "switch_lang", CLAIM_FORM_SENT,
                                            CLAIM_FORM_EVIDENCE_DROPPED, NULL};

bool
claim_form_is_page_control(const char *name)
{
    for (int i = 0; page_controls[i] != NULL; i++)
        if (strcmp(page_controls[i], name) == 0)
            return true;
    return false;
}

static enum kind
kind_of(const char *name)
{
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
        if (strcmp(typed[i].name, name) == 0)
            return typed[i].kind;
    return KIND_TEXT;
}

/* The object at the dotted prefix of name, made on the way; *leaf_out: the last segment.
 * NULL when a segment is empty or already holds a value that is not an object. */
static json_t *
parent_of(json_t *root, const char *name, char *buf, size_t n, const char **leaf_out)
{
    if (strlen(name) >= n)
        return NULL;
    strcpy(buf, name);
    json_t *obj = root;
    char *seg = buf;
    for (char *dot = strchr(seg, '.'); dot != NULL; dot = strchr(seg, '.')) {
        *dot = '\0';
        if (*seg == '\0')
            return NULL;
        json_t *child = json_object_get(obj, seg);
        if (child == NULL) {
            child = json_object();
            if (child == NULL || json_object_set_new(obj, seg, child) != 0)
                return NULL;
        } else if (!json_is_object(child)) {
            return NULL;
        }
        obj = child;
        seg = dot + 1;
    }
    if (*seg == '\0')
        return NULL;
    *leaf_out = seg;
    return obj;
}

static bool
digits_only(const char *s)
{
    if (*s == '\0' || strlen(s) > 15)
        return false;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* How money reads v into minor units. */
static enum amount_typed
read_money(const char *v, const struct claim_form_money *money, int64_t *minor)
{
    const char *currency = money->currency != NULL ? money->currency : "";
    int decimals = currency_exponent(currency);

    return amount_typed_read(v, money->decimal_mark, currency, decimals < 0 ? 2 : decimals, minor);
}

static json_t *
scalar(enum kind k, const char *v, const struct claim_form_money *money)
{
    int64_t minor;
    char iso[11];

    switch (k) {
    case KIND_BOOL:
        return json_true(); /* a box is sent only when ticked, whatever its value */
    case KIND_INT:
        if (digits_only(v))
            return json_integer(strtoll(v, NULL, 10));
        break;
    case KIND_MONEY:
        if (read_money(v, money, &minor) == AMOUNT_TYPED_OK)
            return json_integer(minor);
        break;
    case KIND_DATE: /* "12/03/1985" where the browser has no date picker */
        if (civil_date_typed(v, iso))
            return json_string(iso);
        break;
    default:
        break;
    }
    return json_string(v); /* NULL for bad UTF-8, which the form reader already refused */
}

/* Adds one pair; false when the form cannot be ours. In a correction (patch) an emptied control
 * is null: the member is removed (a phone, a second address line), or refused if required. */
static bool
put(json_t *root, const char *name, const char *value, const struct claim_form_money *money,
    bool patch)
{
    char buf[128];
    const char *leaf;
    enum kind k = kind_of(name);
    json_t *parent = parent_of(root, name, buf, sizeof buf, &leaf);

    if (parent == NULL)
        return false;
    json_t *old = json_object_get(parent, leaf);
    if (k == KIND_LIST) {
        if (old == NULL) {
            old = json_array();
            if (old == NULL || json_object_set_new(parent, leaf, old) != 0)
                return false;
        }
        return json_is_array(old) && json_array_append_new(old, json_string(value)) == 0;
    }
    if (old != NULL)
        return false; /* a name meant once, sent twice */
    if (value[0] == '\0' && k != KIND_BOOL)
        return !patch || json_object_set_new(parent, leaf, json_null()) == 0;
    json_t *v = scalar(k, value, money);
    return v != NULL && json_object_set_new(parent, leaf, v) == 0;
}

/* A correction unticks a box by leaving it out, and empties a category list the same way: an
 * absent list is an empty one, which the API refuses (too-short) rather than keeping the old
 * categories while the page says the correction is saved. */
static bool
fill_unticked(json_t *root)
{
    json_t *harms = json_object_get(root, "harms");

    if (json_object_get(root, "data_categories") == NULL &&
        json_object_set_new(root, "data_categories", json_array()) != 0)
        return false;

    if (harms == NULL) {
        harms = json_object();
        if (harms == NULL || json_object_set_new(root, "harms", harms) != 0)
            return false;
    }
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        if (typed[i].kind != KIND_BOOL)
            continue;
        const char *leaf = strchr(typed[i].name, '.') + 1;
        if (json_object_get(harms, leaf) == NULL &&
            json_object_set_new(harms, leaf, json_false()) != 0)
            return false;
    }
    return true;
}

bool
claim_form_names_once(const struct form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        if (kind_of(f->pairs[i].name) == KIND_LIST)
            continue;
        for (size_t j = i + 1; j < f->n; j++)
            if (strcmp(f->pairs[i].name, f->pairs[j].name) == 0)
                return false;
    }
    return true;
}

json_t *
claim_form_to_json(const struct form *f, const struct claim_form_money *money, bool patch)
{
    if (!claim_form_names_once(f))
        return NULL;
    json_t *root = json_object();

    if (root == NULL)
        return NULL;
    for (size_t i = 0; i < f->n; i++) {
        if (claim_form_is_page_control(f->pairs[i].name))
            continue;
        if (!put(root, f->pairs[i].name, f->pairs[i].value, money, patch)) {
            json_decref(root);
            return NULL;
        }
    }
    /* the mandate is the ticked box action_id; its version rides along only with it */
    if (json_object_get(root, "action_id") == NULL && !patch)
        json_object_del(root, "mandate_text_version");
    if (patch && !fill_unticked(root)) {
        json_decref(root);
        return NULL;
    }
    return root;
}

const struct errors *
claim_form_currency_errors(struct arena *a, const struct form *f,
                           const struct claim_form_money *money, const struct errors *errors)
{
    const char *loss = f != NULL ? form_get(f, LOSS_FIELD, NULL) : NULL;
    int64_t minor;

    if (errors == NULL || loss == NULL ||
        read_money(loss, money, &minor) != AMOUNT_TYPED_OTHER_CURRENCY)
        return errors;
    struct errors *said = arena_alloc(a, sizeof *said);
    memcpy(said, errors, sizeof *said);
    for (int i = 0; i < said->n; i++)
        if (strcmp(said->items[i].field, LOSS_FIELD) == 0 &&
            strcmp(said->items[i].code, "invalid-type") == 0) {
            said->items[i].code = "other-currency";
            said->items[i].message = "an amount in another currency than the incident's";
        }
    return said;
}

char *
claim_form_dump(const json_t *body)
{
    return json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
}
