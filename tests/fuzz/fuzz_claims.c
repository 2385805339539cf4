/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: the claim body (docs/api.md §9). The bytes are read as the server reads a body
 * (json_loadb, duplicate keys refused, objects only) and go through claims_parse_submission.
 * Invariants: the error list stays within bounds, each error a field path and a static code;
 * an accepted claim has every required member, in the forms the rest of the server relies on
 * (names in NFC with letters, a dedup form of the email, a two-letter upper-case country, a
 * phone in E.164, known categories within the incident's, a known payment preference) and
 * its dedup keys can be made (claims_dedup_keys: else the submission would fail late). */
#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "core/arena.h"
#include "core/errors.h"
#include "crypto/secrets.h"
#include "domain/claim.h"
#include "domain/normalize.h"
#include "domain/vocab.h"
#include "handlers/claims_parse.h"
#include "http/json_fields.h"
#include "service/claims_seal.h"

#include "fuzz_input.h"

#define NOTICE_VERSION "2026-01"

static void
check_errors(const struct errors *e)
{
    FUZZ_CHECK(e->n >= 0 && e->n <= ERRORS_MAX);
    for (int i = 0; i < e->n; i++) {
        FUZZ_CHECK(memchr(e->items[i].field, '\0', ERRORS_FIELD_MAX) != NULL);
        FUZZ_CHECK(e->items[i].code != NULL && e->items[i].code[0] != '\0');
        FUZZ_CHECK(e->items[i].message != NULL);
    }
}

static void
check_name(const char *name)
{
    FUZZ_CHECK(name != NULL && name[0] != '\0');
    FUZZ_CHECK(normalize_name_has_letters(name));
    char *nfc = normalize_nfc(name);
    FUZZ_CHECK(nfc != NULL && strcmp(nfc, name) == 0);
    free(nfc);
}

static void
check_phone(const char *phone)
{
    size_t n = strlen(phone);

    FUZZ_CHECK(n >= 8 && n <= NORMALIZE_PHONE_MAX && phone[0] == '+');
    for (size_t i = 1; i < n; i++)
        FUZZ_CHECK(phone[i] >= '0' && phone[i] <= '9');
}

static bool
is_known(const char *v, const char *const allowed[])
{
    for (size_t i = 0; v != NULL && allowed[i] != NULL; i++)
        if (strcmp(v, allowed[i]) == 0)
            return true;
    return false;
}

/* A claim the parser accepted. */
static void
check_accepted(const struct claim_input *in, unsigned int within)
{
    const struct claimant *c = &in->claimant;
    char email[NORMALIZE_EMAIL_MAX + 1];

    check_name(c->given_name);
    check_name(c->family_name);
    FUZZ_CHECK(c->email != NULL && normalize_email(c->email, email, sizeof email));
    FUZZ_CHECK(c->address.line1 != NULL && c->address.postal_code != NULL &&
               c->address.city != NULL);
    FUZZ_CHECK(strlen(c->address.country) == 2);
    FUZZ_CHECK(c->address.country[0] >= 'A' && c->address.country[0] <= 'Z');
    FUZZ_CHECK(c->address.country[1] >= 'A' && c->address.country[1] <= 'Z');
    if (c->phone != NULL)
        check_phone(c->phone);
    static const struct secrets secrets; /* a zero HMAC key does for the property */
    struct claim_row row;
    memset(&row, 0, sizeof row);
    FUZZ_CHECK(claims_dedup_keys(&secrets, c, &row));
    FUZZ_CHECK(row.has_phone_key == (c->phone != NULL));
    FUZZ_CHECK(row.has_identity_key == (c->birth_date != NULL));
    FUZZ_CHECK(in->categories != 0 && in->categories < (1u << DATA_CATEGORY_COUNT));
    FUZZ_CHECK(within == 0 || (in->categories & ~within) == 0);
    FUZZ_CHECK(in->harms.documented_loss >= 0 && in->harms.documented_loss <= 10000000000);
    FUZZ_CHECK(in->harms.hours_spent >= 0 && in->harms.hours_spent <= 1000);
    FUZZ_CHECK(in->harms.description != NULL);
    FUZZ_CHECK(is_known(in->payment_preference, payment_preferences));
    FUZZ_CHECK(in->privacy_notice_version != NULL &&
               strcmp(in->privacy_notice_version, NOTICE_VERSION) == 0);
    FUZZ_CHECK(in->action_id == NULL || in->mandate_text_version != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

    if (doc == NULL)
        return 0;
    if (json_is_object(doc)) {
        struct arena *a = arena_new();
        struct errors errors = {0};
        struct json_fields jf = {.obj = doc, .prefix = "", .errors = &errors, .arena = a};
        struct claim_input in;
        /* half the inputs as for an incident limited to a few categories (not-in-incident) */
        unsigned int within = size % 2 == 0 ? 0 : 0x0Bu;

        claims_parse_submission(&jf, within, NOTICE_VERSION, &in);
        check_errors(&errors);
        if (!errors_any(&errors))
            check_accepted(&in, within);
        arena_free(a);
    }
    json_decref(doc);
    return 0;
}
