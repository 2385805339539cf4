/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/log: a message longer than a line holds is cut on a UTF-8 character's boundary, so the
 * line stays one valid JSON object (a log reader parses every line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include <unistr.h>

#include "core/log.h"
#include "stderr_capture.h"

/* true when s is well-formed UTF-8 to its end (no character cut short) */
static bool
whole_characters(const char *s)
{
    return u8_check((const uint8_t *)s, strlen(s)) == NULL;
}

static void
test_a_long_message_is_cut_between_characters(void **state)
{
    (void)state;
    char msg[1500];

    /* "€" is 3 bytes: with 0, 1 and 2 ASCII bytes before, the cut falls at each of its bytes */
    for (size_t prefix = 0; prefix < 3; prefix++) {
        memset(msg, 'a', prefix);
        size_t n = prefix;
        while (n + 3 < sizeof msg) {
            memcpy(msg + n, "\xe2\x82\xac", 3);
            n += 3;
        }
        msg[n] = '\0';
        capture_begin();
        log_info("%s", msg);
        char *line = capture_end();
        assert_true(whole_characters(line));
        size_t len = strlen(line);
        assert_true(len > 1000);
        /* the message's string closed, then the line's end */
        assert_string_equal(line + len - 3, "\"}\n");
        free(line);
    }
}

static void
test_a_short_message_is_whole(void **state)
{
    (void)state;
    capture_begin();
    log_warn("d\xc3\xa9j\xc3\xa0 %d", 3);
    char *line = capture_end();
    assert_non_null(strstr(line, "\"level\":\"warn\",\"msg\":\"d\xc3\xa9j\xc3\xa0 3\"}\n"));
    free(line);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_long_message_is_cut_between_characters),
        cmocka_unit_test(test_a_short_message_is_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
