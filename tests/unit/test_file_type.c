/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/file_type: each type accepted with its own head and tail, refused with another's,
 * with a cut tail or trailing bytes; the rolling tail window. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/file_type.h"

static const uint8_t png_head[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                   'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
                                   0, 0x90, 0x77, 0x53};
static const uint8_t png_tail[] = {1, 2, 3, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60,
                                   0x82};
static const uint8_t jpeg_head[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
static const uint8_t jpeg_tail[] = {0x12, 0x34, 0xff, 0xd9};
static const char pdf_head[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
static const char pdf_tail[] = "trailer\n<<>>\nstartxref\n116\n%%EOF\n";

#define U(s) ((const uint8_t *)(s))

static void
test_sniff(void **state)
{
    (void)state;
    assert_int_equal(file_type_sniff(png_head, sizeof png_head), FILE_TYPE_PNG);
    assert_int_equal(file_type_sniff(jpeg_head, sizeof jpeg_head), FILE_TYPE_JPEG);
    assert_int_equal(file_type_sniff(U(pdf_head), strlen(pdf_head)), FILE_TYPE_PDF);
    assert_int_equal(file_type_sniff(U("hello, world\n"), 13), FILE_TYPE_NONE);
    assert_int_equal(file_type_sniff(U("%PDF-"), 5), FILE_TYPE_NONE);       /* cut short */
    assert_int_equal(file_type_sniff(U("%PDF-x.y"), 8), FILE_TYPE_NONE);    /* no version */
    assert_int_equal(file_type_sniff(U("GIF89a.........."), 16), FILE_TYPE_NONE);
    assert_int_equal(file_type_sniff(png_head, 7), FILE_TYPE_NONE);
    assert_int_equal(file_type_sniff(U(""), 0), FILE_TYPE_NONE);
}

static void
test_check_each_type(void **state)
{
    (void)state;
    assert_true(file_type_check(FILE_TYPE_PNG, png_head, sizeof png_head, png_tail,
                                sizeof png_tail));
    assert_true(file_type_check(FILE_TYPE_JPEG, jpeg_head, sizeof jpeg_head, jpeg_tail,
                                sizeof jpeg_tail));
    assert_true(file_type_check(FILE_TYPE_PDF, U(pdf_head), strlen(pdf_head), U(pdf_tail),
                                strlen(pdf_tail)));
}

static void
test_check_refuses_a_mixed_or_cut_file(void **state)
{
    static const uint8_t jpeg_padded[] = {0xff, 0xd9, 0, 0, 0};
    static const uint8_t png_zero_width[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                             0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 0,
                                             0, 0, 0, 1, 8, 2};

    (void)state;
    /* a PNG head with a PDF's tail, a PDF head with a PNG tail */
    assert_false(file_type_check(FILE_TYPE_PNG, png_head, sizeof png_head, U(pdf_tail),
                                 strlen(pdf_tail)));
    assert_false(file_type_check(FILE_TYPE_PDF, U(pdf_head), strlen(pdf_head), png_tail,
                                 sizeof png_tail));
    /* the type asked is not the head's */
    assert_false(file_type_check(FILE_TYPE_JPEG, png_head, sizeof png_head, jpeg_tail,
                                 sizeof jpeg_tail));
    /* a cut file: the end marker missing */
    assert_false(file_type_check(FILE_TYPE_PNG, png_head, sizeof png_head, png_tail,
                                 sizeof png_tail - 1));
    assert_false(file_type_check(FILE_TYPE_PDF, U(pdf_head), strlen(pdf_head),
                                 U("startxref\n1\n%%EO"), 16));
    assert_false(file_type_check(FILE_TYPE_PDF, U(pdf_head), strlen(pdf_head),
                                 U("%%EOF\n"), 6)); /* no startxref before it */
    assert_false(file_type_check(FILE_TYPE_PDF, U(pdf_head), strlen(pdf_head),
                                 U("startxref\n1\n%%EOF\n<script>"), 26)); /* bytes after */
    assert_false(file_type_check(FILE_TYPE_PNG, png_zero_width, sizeof png_zero_width,
                                 png_tail, sizeof png_tail));
    assert_false(file_type_check(FILE_TYPE_JPEG, jpeg_head, sizeof jpeg_head, U("\xff"), 1));
    assert_true(file_type_check(FILE_TYPE_JPEG, jpeg_head, sizeof jpeg_head, jpeg_padded,
                                sizeof jpeg_padded));
    assert_false(file_type_check(FILE_TYPE_NONE, U("x"), 1, U("x"), 1));
}

static void
test_media_names(void **state)
{
    (void)state;
    assert_string_equal(file_type_media(FILE_TYPE_PDF), "application/pdf");
    assert_string_equal(file_type_media(FILE_TYPE_JPEG), "image/jpeg");
    assert_string_equal(file_type_media(FILE_TYPE_PNG), "image/png");
    assert_null(file_type_media(FILE_TYPE_NONE));
    assert_int_equal(file_type_of_media("image/png"), FILE_TYPE_PNG);
    assert_int_equal(file_type_of_media("image/gif"), FILE_TYPE_NONE);
    assert_int_equal(file_type_of_media(NULL), FILE_TYPE_NONE);
    assert_string_equal(file_type_extension(FILE_TYPE_PDF), "pdf");
    assert_string_equal(file_type_extension(FILE_TYPE_JPEG), "jpg");
    assert_string_equal(file_type_extension(FILE_TYPE_PNG), "png");
    assert_null(file_type_extension(FILE_TYPE_NONE));
}

/* The window keeps the last FILE_TYPE_TAIL bytes whatever the sizes of the pieces. */
static void
test_tail_window(void **state)
{
    static uint8_t stream[3 * FILE_TYPE_TAIL + 7];
    const size_t pieces[] = {1, 5, FILE_TYPE_TAIL - 3, 2, FILE_TYPE_TAIL + 9, 700, 0, 300};
    struct file_type_tail w = {.len = 0};
    size_t at = 0;

    (void)state;
    for (size_t i = 0; i < sizeof stream; i++)
        stream[i] = (uint8_t)(i * 7 + i / 251);
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0] && at < sizeof stream; i++) {
        size_t n = pieces[i] <= sizeof stream - at ? pieces[i] : sizeof stream - at;
        file_type_tail_add(&w, stream + at, n);
        at += n;
        size_t expect = at < FILE_TYPE_TAIL ? at : FILE_TYPE_TAIL;
        assert_int_equal(w.len, expect);
        assert_memory_equal(w.buf, stream + at - expect, expect);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_check_each_type),
        cmocka_unit_test(test_check_refuses_a_mixed_or_cut_file),
        cmocka_unit_test(test_media_names),
        cmocka_unit_test(test_tail_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
