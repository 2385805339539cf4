/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* http/multipart: the parts of a browser's body come out exactly, however the body is split
 * (every split in two, and byte by byte), content holding near-delimiters included; bodies
 * that are cut, malformed or not multipart are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/multipart.h"

#define CT "multipart/form-data; boundary=----WebKitFormBoundaryABC123"

struct seen {
    char log[4096]; /* "name|filename|content;" per part */
    size_t len;
};

static void
put(struct seen *s, const char *p, size_t n)
{
    assert_true(s->len + n < sizeof s->log);
    memcpy(s->log + s->len, p, n);
    s->len += n;
    s->log[s->len] = '\0';
}

static bool
on_begin(void *ctx, const char *name, const char *filename)
{
    put(ctx, name, strlen(name));
    put(ctx, "|", 1);
    if (filename != NULL)
        put(ctx, filename, strlen(filename));
    else
        put(ctx, "-", 1);
    put(ctx, "|", 1);
    return true;
}

static bool
on_data(void *ctx, const char *data, size_t n)
{
    assert_true(n > 0);
    put(ctx, data, n);
    return true;
}

static bool
on_end(void *ctx)
{
    put(ctx, ";", 1);
    return true;
}

static const struct multipart_handlers handlers = {on_begin, on_data, on_end};

/* content with a CR LF, a "--", a cut delimiter and the boundary without its dashes */
#define FILE_CONTENT "%PDF-1.7\r\n--\r\n\r\r\n--\r\n------WebKitFormBoundaryABC12\r\nend\r"

static const char body[] =
    "preamble to ignore\r\n"
    "------WebKitFormBoundaryABC123\r\n"
    "Content-Disposition: form-data; name=\"token\"\r\n"
    "\r\n"
    "tok-123\r\n"
    "------WebKitFormBoundaryABC123\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"loss report.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    FILE_CONTENT "\r\n"
    "------WebKitFormBoundaryABC123\r\n"
    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
    "\r\n"
    "\r\n"
    "------WebKitFormBoundaryABC123--\r\n"
    "epilogue";

static const char expected[] =
    "token|-|tok-123;file|loss report.pdf|" FILE_CONTENT ";empty||;";

static void
feed_split(size_t at)
{
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new(CT, &handlers, &s);
    size_t n = sizeof body - 1;

    assert_non_null(mp);
    assert_int_equal(multipart_feed(mp, body, at), MULTIPART_OK);
    assert_int_equal(multipart_feed(mp, body + at, n - at), MULTIPART_OK);
    assert_true(multipart_complete(mp));
    assert_string_equal(s.log, expected);
    multipart_free(mp);
}

static void
test_every_split_in_two(void **state)
{
    (void)state;
    for (size_t at = 0; at < sizeof body; at++)
        feed_split(at);
}

static void
test_byte_by_byte(void **state)
{
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new(CT, &handlers, &s);

    (void)state;
    for (size_t i = 0; i < sizeof body - 1; i++)
        assert_int_equal(multipart_feed(mp, body + i, 1), MULTIPART_OK);
    assert_true(multipart_complete(mp));
    assert_string_equal(s.log, expected);
    multipart_free(mp);
}

static void
test_cut_body_is_not_complete(void **state)
{
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new(CT, &handlers, &s);
    size_t cut = (size_t)(strstr(body, "------WebKitFormBoundaryABC123--") - body) + 20;

    (void)state;
    assert_int_equal(multipart_feed(mp, body, cut), MULTIPART_OK);
    assert_false(multipart_complete(mp));
    multipart_free(mp);
}

static void
test_malformed(void **state)
{
    static const char *const bad[] = {
        /* no name */
        "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
        /* not form-data */
        "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--",
        /* garbage after a delimiter */
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bX",
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct seen s = {.len = 0};
        struct multipart *mp = multipart_new("multipart/form-data; boundary=b", &handlers, &s);
        assert_int_equal(multipart_feed(mp, bad[i], strlen(bad[i])), MULTIPART_MALFORMED);
        assert_false(multipart_complete(mp));
        multipart_free(mp);
    }
}

static void
test_header_block_is_bounded(void **state)
{
    char big[MULTIPART_HEADER_MAX + 64];
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new("multipart/form-data; boundary=b", &handlers, &s);

    (void)state;
    memset(big, 'x', sizeof big);
    assert_int_equal(multipart_feed(mp, "--b\r\nX-Long: ", 13), MULTIPART_OK);
    assert_int_equal(multipart_feed(mp, big, sizeof big), MULTIPART_MALFORMED);
    multipart_free(mp);
}

static void
test_content_types(void **state)
{
    struct seen s = {.len = 0};

    (void)state;
    assert_null(multipart_new("application/x-www-form-urlencoded", &handlers, &s));
    assert_null(multipart_new("multipart/form-data", &handlers, &s));
    assert_null(multipart_new("multipart/form-data; boundary=", &handlers, &s));
    assert_null(multipart_new("multipart/form-data; boundary=a\rb", &handlers, &s));
    assert_null(multipart_new(NULL, &handlers, &s));
    struct multipart *mp = multipart_new("multipart/form-data; charset=x; boundary=\"a b\"",
                                         &handlers, &s);
    assert_non_null(mp);
    const char q[] = "--a b\r\nContent-Disposition: form-data; name=n\r\n\r\nv\r\n--a b--";
    assert_int_equal(multipart_feed(mp, q, sizeof q - 1), MULTIPART_OK);
    assert_true(multipart_complete(mp));
    assert_string_equal(s.log, "n|-|v;");
    multipart_free(mp);
}

static bool
stop_at_file(void *ctx, const char *name, const char *filename)
{
    (void)ctx;
    (void)name;
    return filename == NULL;
}

static void
test_a_handler_stops_the_parser(void **state)
{
    static const struct multipart_handlers stopper = {stop_at_file, on_data, on_end};
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new(CT, &stopper, &s);

    (void)state;
    assert_int_equal(multipart_feed(mp, body, sizeof body - 1), MULTIPART_STOPPED);
    assert_int_equal(multipart_feed(mp, "x", 1), MULTIPART_STOPPED);
    multipart_free(mp);
}

/* A file name longer than the parser keeps is shortened at a character's start, not taken
 * for "no file": 150 "é" (300 bytes) become 127 (254 bytes); a part's name is not shortened. */
static void
test_a_long_file_name_is_cut_at_a_character(void **state)
{
    struct seen s = {.len = 0};
    struct multipart *mp = multipart_new("multipart/form-data; boundary=b", &handlers, &s);
    char req[1024], expect[600];
    int n;

    (void)state;
    char name[301] = "";
    for (int i = 0; i < 150; i++)
        strcat(name, "\xc3\xa9");
    n = snprintf(req, sizeof req,
                 "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n\r\n"
                 "x\r\n--b--",
                 name);
    assert_int_equal(multipart_feed(mp, req, (size_t)n), MULTIPART_OK);
    assert_true(multipart_complete(mp));
    snprintf(expect, sizeof expect, "file|%.254s|x;", name);
    assert_string_equal(s.log, expect);
    multipart_free(mp);
    mp = multipart_new("multipart/form-data; boundary=b", &handlers, &s);
    n = snprintf(req, sizeof req, "--b\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                                  "x\r\n--b--",
                 name);
    assert_int_equal(multipart_feed(mp, req, (size_t)n), MULTIPART_MALFORMED);
    multipart_free(mp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_split_in_two),
        cmocka_unit_test(test_byte_by_byte),
        cmocka_unit_test(test_cut_body_is_not_complete),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_header_block_is_bounded),
        cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_a_handler_stops_the_parser),
        cmocka_unit_test(test_a_long_file_name_is_cut_at_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
