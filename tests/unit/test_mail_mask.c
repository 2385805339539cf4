/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* mail/mask: an address masked for the notice of a changed address (docs/mail.md,
 * address-changed): the first character of each side, the domain's last label, whole UTF-8
 * characters, and "***" for anything that is not local@domain. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/strbuf.h"
#include "mail/mask.h"

static void
assert_masked(const char *address, const char *expected)
{
    struct strbuf sb = {0};

    mail_mask_address(address, &sb);
    char *got = strbuf_take(&sb);
    assert_string_equal(got, expected);
    free(got);
}

static void
keeps_first_characters_and_last_label(void **state)
{
    (void)state;
    assert_masked("jane.doe@example.org", "j***@e***.org");
    assert_masked("j@e.com", "j***@e***.com");
    assert_masked("moved.jane@mail.example.co.uk", "m***@m***.uk");
}

static void
hides_the_rest_whatever_its_length(void **state)
{
    (void)state;
    assert_masked("a-very-long-local-part@a-very-long-domain.net", "a***@a***.net");
    assert_masked("x@localhost", "x***@l***");
}

static void
keeps_whole_utf8_characters(void **state)
{
    (void)state;
    assert_masked("\xc3\xa9lodie@\xc3\xa9t\xc3\xa9.fr", "\xc3\xa9***@\xc3\xa9***.fr");
    assert_masked("\xe2\x82\xac@x.org", "\xe2\x82\xac***@x***.org");
}

static void
odd_addresses_give_stars(void **state)
{
    (void)state;
    assert_masked(NULL, "***");
    assert_masked("", "***");
    assert_masked("no-at-sign", "***");
    assert_masked("@example.org", "***");
    assert_masked("jane@", "***");
    assert_masked("jane@example.", "j***@e***");
    assert_masked("jane@.org", "j***@.***");
    /* the last @ separates the domain: a quoted local part may hold one */
    assert_masked("\"a@b\"@example.org", "\"***@e***.org");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_first_characters_and_last_label),
        cmocka_unit_test(hides_the_rest_whatever_its_length),
        cmocka_unit_test(keeps_whole_utf8_characters),
        cmocka_unit_test(odd_addresses_give_stars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
