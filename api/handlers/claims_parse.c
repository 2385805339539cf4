/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim validation. Names are stored as submitted but trimmed and in NFC; the phone as
 * E.164; the country upper case. Normal forms for dedup are made later, from these. */
#include "handlers/claims_parse.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistr.h>

#include "core/arena.h"
#include "core/text_clean.h"
#include "core/xalloc.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/normalize.h"
#include "domain/notice_code.h"
#include "domain/postal_codes.h"
#include "domain/vocab.h"

static const char *const submission_members[] = {
    "claimant", "data_categories", "harms", "payment_preference", "privacy_notice_version",
    "action_id", "mandate_text_version", "lang", "notice_code", NULL};
/* the languages messages are written in (api/mail/words.c) */
static const char *const languages[] = {"fr", "en", NULL};
static const char *const claimant_members[] = {"given_name", "family_name", "email", "phone",
                                               "birth_date", "address", NULL};
static const char *const address_members[] = {"line1", "line2", "postal_code", "city",
                                              "country", NULL};
static const char *const harms_members[] = {"phishing", "identity_theft", "distress",
                                            "documented_loss", "hours_spent", "description",
                                            NULL};

static void
add(const struct json_fields *jf, const char *key, const char *code, const char *message)
{
    char path[ERRORS_FIELD_MAX];

    errors_add(jf->errors, jf_path(jf, key, path, sizeof path), code, message);
}

#define NAME_MAX_CHARS 100

/* A name: trimmed, 1..100 code points, no control characters, stored in NFC — and still
 * 100 code points at most in NFC, the form every answer gives (docs/api.md §9.1): NFC can
 * lengthen a text (U+FB2C is three code points in NFC), and a name sent within the limit
 * was read back past it, against the claim's schema. */
static const char *
read_name(const struct json_fields *jf, const char *key)
{
    const char *raw = jf_text(jf, key, true, NAME_MAX_CHARS);

    if (raw == NULL)
        return NULL;
    /* " ", "-", a lone accent or a zero-width space is no name (and has no identity key) */
    if (!normalize_name_has_letters(raw)) {
        add(jf, key, "required", "this member is required");
        return NULL;
    }
    char *nfc = normalize_nfc(raw);
    if (nfc == NULL) {
        add(jf, key, "invalid-format", "is not valid text");
        return NULL;
    }
    if (u8_mbsnlen((const uint8_t *)nfc, strlen(nfc)) > NAME_MAX_CHARS) {
        xfree_wiped(nfc); /* a name */
        add(jf, key, "too-long", "is longer than allowed once normalised (NFC)");
        return NULL;
    }
    const char *kept = arena_strdup(jf->arena, nfc);
    xfree_wiped(nfc);
    return kept;
}

static void
read_address(const struct json_fields *jf, struct postal_address *a)
{
    jf_refuse_unknown(jf, address_members);
    /* each must say something (a letter or a digit): counsel cannot write to "\u00a0" or "-" */
    a->line1 = jf_text_with_content(jf, "line1", true, 200);
    a->line2 = jf_text_with_content(jf, "line2", false, 200);
    /* required but where the country has no postal codes (Hong Kong, Qatar...): the country
     * is looked at first, silently, so that errors keep the members' order */
    json_t *named = json_object_get(jf->obj, "country");
    char named_code[3] = "";
    bool no_code = json_is_string(named) &&
                   country_normalize(json_string_value(named), named_code) &&
                   country_has_no_postal_code(named_code);
    a->postal_code = jf_text_with_content(jf, "postal_code", !no_code, 20);
    a->city = jf_text_with_content(jf, "city", true, 100);
    /* read wider than 2 so "FRA" is reported as the wrong value it is, not as too long */
    const char *country = jf_text(jf, "country", true, 16);
    a->country[0] = '\0';
    if (country != NULL && !country_normalize(country, a->country)) {
        add(jf, "country", "invalid-value", "not an assigned ISO 3166-1 alpha-2 code");
        a->country[0] = '\0';
    }
}

static void
read_birth_date(const struct json_fields *jf, struct claimant *c)
{
    struct civil_date d;
    const struct civil_date earliest = {1900, 1, 1};
    struct civil_date today = civil_date_of(time(NULL));

    c->birth_date = jf_date(jf, "birth_date", false);
    if (c->birth_date == NULL || !civil_date_parse(c->birth_date, &d))
        return;
    if (civil_date_compare(&d, &earliest) < 0 || civil_date_compare(&d, &today) >= 0) {
        add(jf, "birth_date", "out-of-range", "must be from 1900-01-01 to yesterday");
        c->birth_date = NULL;
    }
}

void
claims_parse_claimant(const struct json_fields *jf, struct claimant *c)
{
    struct json_fields address;
    char normal[256];
    char e164[17];

    jf_refuse_unknown(jf, claimant_members);
    c->given_name = read_name(jf, "given_name");
    c->family_name = read_name(jf, "family_name");
    c->email = jf_text(jf, "email", true, 254);
    if (c->email != NULL && !normalize_email(c->email, normal, sizeof normal)) {
        add(jf, "email", "invalid-format", "expected an address like name@example.org");
        c->email = NULL;
    }
    read_birth_date(jf, c);
    memset(&c->address, 0, sizeof c->address);
    if (jf_object(jf, "address", true, &address))
        read_address(&address, &c->address);
    /* the phone reads in the address's country, so it comes after the address */
    const char *phone = jf_text(jf, "phone", false, 40);
    c->phone = NULL;
    if (phone != NULL) {
        if (normalize_phone(phone, c->address.country[0] != '\0' ? c->address.country : NULL,
                            e164))
            c->phone = arena_strdup(jf->arena, e164);
        else
            add(jf, "phone", "invalid-format",
                "expected an international number or a national one of the address country");
    }
}

void
claims_parse_harms(const struct json_fields *jf, struct harms *h)
{
    jf_refuse_unknown(jf, harms_members);
    jf_bool(jf, "phishing", &h->phishing);
    jf_bool(jf, "identity_theft", &h->identity_theft);
    jf_bool(jf, "distress", &h->distress);
    jf_int64(jf, "documented_loss", false, 0, CLAIM_LOSS_MAX, &h->documented_loss, NULL);
    jf_int64(jf, "hours_spent", false, 0, CLAIM_HOURS_MAX, &h->hours_spent, NULL);
    json_t *d = json_object_get(jf->obj, "description");
    if (d == NULL || json_is_null(d))
        return;
    if (!json_is_string(d)) {
        add(jf, "description", "invalid-type", "expected a string");
        return;
    }
    /* CR LF (a browser's form post, Windows) and CR are line breaks, kept as LF (docs/api.md
     * §8.8); counted after, one character each */
    char *text = arena_strdup(jf->arena, json_string_value(d));
    text_unify_line_breaks(text, strlen(text));
    size_t chars = 0;
    if (!text_is_clean(text, "\n\t", &chars))
        add(jf, "description", "invalid-format", "only line breaks and tabs may be used");
    else if (chars > CLAIM_DESCRIPTION_MAX)
        add(jf, "description", "too-long", "at most 4000 characters");
    else
        h->description = text;
}

void
claims_parse_submission(const struct json_fields *jf, unsigned int within,
                        const char *notice_version, struct claim_input *in)
{
    struct json_fields sub;

    memset(in, 0, sizeof *in);
    in->harms.description = "";
    jf_refuse_unknown(jf, submission_members);
    if (jf_object(jf, "claimant", true, &sub))
        claims_parse_claimant(&sub, &in->claimant);
    jf_categories(jf, "data_categories", true, within, &in->categories);
    if (jf_object(jf, "harms", false, &sub))
        claims_parse_harms(&sub, &in->harms);
    in->payment_preference = jf_enum(jf, "payment_preference", true, payment_preferences);
    in->privacy_notice_version = jf_text(jf, "privacy_notice_version", true, 64);
    if (in->privacy_notice_version != NULL &&
        strcmp(in->privacy_notice_version, notice_version) != 0)
        add(jf, "privacy_notice_version", "mismatch",
            "accept the current privacy notice of this incident");
    /* absent: French, the site's default */
    in->lang = jf_enum(jf, "lang", false, languages);
    in->action_id = jf_text(jf, "action_id", false, 64);
    if (in->action_id != NULL)
        claims_mandate_id_form(in->action_id, jf->errors);
    /* with an action, a blank version is a missing one (required, said once); a mistyped
     * one is invalid-type alone */
    in->mandate_text_version =
        jf_text(jf, "mandate_text_version",
                in->action_id != NULL && jf_has(jf, "mandate_text_version"), 64);
    if (in->action_id != NULL && !jf_has(jf, "mandate_text_version"))
        add(jf, "mandate_text_version", "required", "required with action_id");
    /* a version without an action (absent or null) mandates nothing: refused as the
     * claimant's PATCH refuses it (handlers/claims_correct.c), not dropped unsaid; beside an
     * action_id of the wrong type only that one is named */
    json_t *action = json_object_get(jf->obj, "action_id");
    if ((action == NULL || json_is_null(action)) && in->mandate_text_version != NULL)
        add(jf, "mandate_text_version", "invalid-value", "only with action_id");
    /* the code the controller printed in its letters, matched against its list (issue 14) */
    const char *code = jf_text(jf, "notice_code", false, 64);
    char code_normal[NOTICE_CODE_MAX + 1];
    if (code != NULL && !normalize_notice_code(code, code_normal))
        add(jf, "notice_code", "invalid-format", "expected 4 to 32 letters or digits");
    else if (code != NULL)
        in->notice_code = arena_strdup(jf->arena, code_normal);
}

void
claims_check_postal_form(const struct json_fields *jf, const struct claim_input *in)
{
    const struct postal_address *a = &in->claimant.address;
    const struct postal_code_form *form =
        a->country[0] != '\0' ? postal_code_form_of(a->country) : NULL;

    /* a code refused already (missing, too long) is said once, by that error */
    if (a->postal_code != NULL && form != NULL && !postal_code_fits(form, a->postal_code))
        errors_add(jf->errors, "claimant.address.postal_code", "invalid-format", form->message);
}
