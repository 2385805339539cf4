/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/config: the settings written in seconds (--mail-retry-base, --erasure-interval,
 * --risk-interval) take whole seconds as before and up to three decimals, kept in
 * milliseconds; anything else (a sign, an exponent, a fourth decimal, a bare point, out of
 * range) is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/config.h"

/* config_load with one flag and its value: true and cfg filled, or false */
static bool
load_with(struct config *cfg, const char *flag, const char *value)
{
    char *argv[] = {(char *)flag, (char *)value};

    return config_load(cfg, "test", 2, argv);
}

static void
test_defaults_in_milliseconds(void **state)
{
    struct config cfg;

    (void)state;
    unsetenv("RECOURS_MAIL_RETRY_BASE");
    unsetenv("RECOURS_ERASURE_INTERVAL_S");
    unsetenv("RECOURS_RISK_INTERVAL_S");
    assert_true(config_load(&cfg, "test", 0, NULL));
    assert_int_equal(cfg.mail_retry_base_ms, 30000);
    assert_int_equal(cfg.erasure_interval_ms, 3600000);
    assert_int_equal(cfg.risk_interval_ms, 60000);
    config_free(&cfg);
}

static void
test_whole_seconds_and_decimals(void **state)
{
    static const struct {
        const char *value;
        int ms;
    } cases[] = {{"1", 1000}, {"30", 30000}, {"0.2", 200}, {"0.25", 250}, {"1.5", 1500},
                 {"0.001", 1}, {"2.050", 2050}, {"3600", 3600000}};
    struct config cfg;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(load_with(&cfg, "--mail-retry-base", cases[i].value));
        assert_int_equal(cfg.mail_retry_base_ms, cases[i].ms);
        config_free(&cfg);
    }
    assert_true(load_with(&cfg, "--erasure-interval", "0"));
    assert_int_equal(cfg.erasure_interval_ms, 0); /* 0: no erasure thread, as before */
    config_free(&cfg);
    assert_true(load_with(&cfg, "--risk-interval", "0.1"));
    assert_int_equal(cfg.risk_interval_ms, 100);
    config_free(&cfg);
}

static void
test_refused(void **state)
{
    static const char *bad[] = {"", ".5", "1.", "0.0005", "-1", "+1", "1e3", " 1", "1 ",
                                "0x10", "1,5", "0", "3600.001", "99999999999999999999"};
    struct config cfg;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(load_with(&cfg, "--mail-retry-base", bad[i]));
        config_free(&cfg);
    }
    assert_false(load_with(&cfg, "--risk-interval", "0")); /* at least a millisecond */
    config_free(&cfg);
    assert_false(load_with(&cfg, "--erasure-interval", "604800.5"));
    config_free(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_in_milliseconds),
        cmocka_unit_test(test_whole_seconds_and_decimals),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
