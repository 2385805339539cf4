/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* handlers/claim_form and handlers/form_origin: a browser's form becomes the API's claim body,
 * byte for byte the same each time; cross-site posts are told apart. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/urlencoded.h"
#include "handlers/claim_form.h"
#include "handlers/form_origin.h"

/* in euros (2 decimals) or won (0), read on a French page */
static char *
body_of(const char *form_text, int decimals, bool patch)
{
    struct arena *a = arena_new();
    struct form f;
    const struct claim_form_money money = {decimals == 0 ? "KRW" : "EUR", ','};

    assert_true(urlencoded_parse(form_text, strlen(form_text), 64, a, &f));
    json_t *j = claim_form_to_json(&f, &money, patch);
    char *text = j != NULL ? claim_form_dump(j) : NULL;
    json_decref(j);
    arena_free(a);
    return text;
}

static void
test_translates_a_claim(void **state)
{
    (void)state;
    char *t = body_of("incident=acme&lang=en&idempotency_key=k1&claimant.given_name=H%C3%A9l%C3%A8ne"
                      "&claimant.phone=&claimant.address.country=FR&data_categories=email"
                      "&data_categories=password&harms.phishing=on&harms.documented_loss=120%2C50"
                      "&harms.hours_spent=3&payment_preference=voucher"
                      "&privacy_notice_version=2026-01&mandate_text_version=v1",
                      2, false);
    assert_non_null(t);
    assert_string_equal(t, "{\"claimant\":{\"address\":{\"country\":\"FR\"},\"given_name\":"
                           "\"Hélène\"},\"data_categories\":[\"email\",\"password\"],\"harms\":"
                           "{\"documented_loss\":12050,\"hours_spent\":3,\"phishing\":true},"
                           "\"payment_preference\":\"voucher\",\"privacy_notice_version\":"
                           "\"2026-01\"}");
    free(t);
}

/* What does not read as a number stays text, for the API to refuse with invalid-type. */
static void
test_passes_what_it_cannot_read(void **state)
{
    (void)state;
    char *t = body_of("harms.hours_spent=three&harms.documented_loss=12%2C5&unknown.x=1"
                      "&action_id=abc&mandate_text_version=v1",
                      0, false);
    assert_string_equal(t, "{\"action_id\":\"abc\",\"harms\":{\"documented_loss\":\"12,5\","
                           "\"hours_spent\":\"three\"},\"mandate_text_version\":\"v1\","
                           "\"unknown\":{\"x\":\"1\"}}");
    free(t);
}

static void
test_patch_unticks(void **state)
{
    (void)state;
    char *t = body_of("harms.distress=on", 2, true);
    assert_string_equal(t, "{\"data_categories\":[],\"harms\":{\"distress\":true,"
                           "\"identity_theft\":false,\"phishing\":false}}");
    free(t);
}

/* Repeated single names and names nesting under a value are not our form. */
static void
test_refuses_forms_that_are_not_ours(void **state)
{
    static const char *bad[] = {"claimant.email=a&claimant.email=b", "claimant=x&claimant.email=a",
                                "claimant..email=a", ".x=1", "x.=1"};
    struct arena *a = arena_new();
    struct form f;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_true(urlencoded_parse(bad[i], strlen(bad[i]), 8, a, &f));
        const struct claim_form_money money = {"EUR", ','};
        if (claim_form_to_json(&f, &money, false) != NULL)
            fail_msg("accepted %s", bad[i]);
    }
    arena_free(a);
}

static void
test_origin(void **state)
{
    (void)state;
    assert_true(form_origin_is_same_site("same-origin", "https://evil.example", "x"));
    assert_true(form_origin_is_same_site("none", NULL, NULL));
    assert_false(form_origin_is_same_site("cross-site", NULL, "recours.example"));
    assert_false(form_origin_is_same_site("same-site", NULL, "recours.example"));
    assert_true(form_origin_is_same_site(NULL, "https://recours.example:8443",
                                         "recours.example:8443"));
    assert_false(form_origin_is_same_site(NULL, "https://evil.example", "recours.example"));
    assert_false(form_origin_is_same_site(NULL, "null", "recours.example"));
    assert_false(form_origin_is_same_site(NULL, "https://recours.example/x", "recours.example"));
    assert_true(form_origin_is_same_site(NULL, NULL, "recours.example"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translates_a_claim),
        cmocka_unit_test(test_passes_what_it_cannot_read),
        cmocka_unit_test(test_patch_unticks),
        cmocka_unit_test(test_refuses_forms_that_are_not_ours),
        cmocka_unit_test(test_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
