/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/csv and domain/export_row: RFC 4180 quoting (separator, quotes, CR, LF), formula
 * neutralisation (= + - @ TAB CR, inside the quotes when both apply), the mark of texts a
 * spreadsheet would read as numbers or dates, absent cells, rows with CRLF; counsel's header
 * and a row in CSV (both separators) and NDJSON (types, nulls, no
 * neutralisation). Hand-computed, table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/strbuf.h"
#include "domain/csv.h"
#include "domain/export_row.h"

static const struct {
    const char *in;
    char sep;
    const char *out;
} cells[] = {
    {"", ',', ""},
    {"plain", ',', "plain"},
    {"Hélène Dupont-Martin", ',', "Hélène Dupont-Martin"},
    {"a,b", ',', "\"a,b\""},
    {"a,b", ';', "a,b"},
    {"a;b", ';', "\"a;b\""},
    {"a;b", ',', "a;b"},
    {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
    {"\"", ',', "\"\"\"\""},
    {"two\nlines", ',', "\"two\nlines\""},
    {"cr\rinside", ',', "\"cr\rinside\""},
    {"=1+2", ',', "'=1+2"},
    {"+33612345678", ',', "'+33612345678"},
    {"-5", ',', "'-5"},
    {"@SUM(A1)", ',', "'@SUM(A1)"},
    {"\tindent", ',', "'\tindent"},
    {"\rcr", ',', "\"'\rcr\""},
    {"=HYPERLINK(\"x\",\"y\")", ',', "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
    {"=a;b", ';', "\"'=a;b\""},
    {"a=b", ',', "a=b"},
    {" =not first", ',', " =not first"},
    {"'quoted already", ',', "'quoted already"},
    /* what a spreadsheet would read as a number or a date and show otherwise */
    {"01000", ',', "'01000"},
    {"0", ',', "0"},
    {"75001", ',', "75001"},
    {"12345678901", ',', "12345678901"},
    {"123456789012", ',', "'123456789012"},
    {"1e5", ',', "'1e5"},
    {"12/03", ',', "'12/03"},
    {"2024-01", ',', "'2024-01"},
    {"00-950", ',', "'00-950"},
    {"12 345", ',', "'12 345"},
    {"1,5", ',', "\"'1,5\""},
    {"1,5", ';', "'1,5"},
    {"1985-03-07", ',', "1985-03-07"},
    {"1985-03-07 ", ',', "'1985-03-07 "},
    {"1985-3-07", ',', "'1985-3-07"},
    {"12 rue de Rivoli", ',', "12 rue de Rivoli"},
    {"3e étage", ',', "3e étage"},
    {"K1A 0B1", ',', "K1A 0B1"},
    {"1012 AB", ',', "1012 AB"},
};

static void
test_cells(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        struct strbuf sb = {0};
        csv_append_cell(&sb, cells[i].in, cells[i].sep);
        assert_int_equal(sb.len, strlen(cells[i].out));
        assert_memory_equal(sb.len ? sb.data : "", cells[i].out, sb.len);
        strbuf_free(&sb);
    }
}

static void
test_predicates(void **state)
{
    (void)state;
    assert_false(csv_is_formula_like(NULL));
    assert_false(csv_is_formula_like(""));
    assert_false(csv_is_formula_like("abc"));
    assert_false(csv_is_formula_like("1-2"));
    for (const char *p = "=+-@\t\r"; *p; p++) {
        char v[3] = {*p, 'x', '\0'};
        assert_true(csv_is_formula_like(v));
    }
    assert_false(csv_is_number_like(NULL));
    assert_false(csv_is_number_like(""));
    assert_false(csv_is_number_like("+33612345678")); /* formula-like instead */
    assert_true(csv_needs_mark("+33612345678"));
    assert_true(csv_needs_mark("01000"));
    assert_false(csv_needs_mark("75001"));
    assert_true(csv_needs_mark("Faux"));
    assert_true(csv_needs_mark("TRUE"));
    assert_true(csv_needs_mark("vrai"));
    assert_false(csv_is_boolean_like(NULL));
    assert_false(csv_is_boolean_like("Fauxbourg"));
    assert_false(csv_is_boolean_like("Vrais"));
    assert_false(csv_is_boolean_like("Trueman"));
    assert_false(csv_needs_quotes(NULL, ','));
    assert_false(csv_needs_quotes("a;b", ','));
    assert_true(csv_needs_quotes("a;b", ';'));
    assert_true(csv_needs_quotes("\n", ';'));
}

static void
test_absent_cell_and_row(void **state)
{
    const char *row[] = {"a", NULL, "", "b,c", "=x"};
    struct strbuf sb = {0};

    (void)state;
    csv_append_cell(&sb, NULL, ',');
    assert_int_equal(sb.len, 0);
    csv_append_row(&sb, row, 5, ',');
    assert_string_equal(sb.data, "a,,,\"b,c\",'=x\r\n");
    strbuf_free(&sb);
    csv_append_row(&sb, row, 5, ';');
    assert_string_equal(sb.data, "a;;;b,c;'=x\r\n");
    strbuf_free(&sb);
}

static const char header[] =
    "reference,family_name,given_name,birth_date,email,phone,address_line1,address_line2,"
    "postal_code,city,country,data_categories,phishing,identity_theft,distress,"
    "harm_description,documented_loss,hours_spent,award,currency,payment_preference,"
    "mandated_at,mandate_text_version,mandate_channel,claim_status,submitted_at,eligibility,"
    "eligibility_matched,evidence\r\n";

static void
test_header(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    export_csv_header(&sb, ',');
    assert_string_equal(sb.data, header);
    strbuf_free(&sb);
    export_csv_header(&sb, ';');
    assert_int_equal(sb.len, strlen(header));
    assert_null(strchr(sb.data, ','));
    strbuf_free(&sb);
}

static struct export_row
sample(void)
{
    return (struct export_row){.reference = "RC-7K3M-Q9XJ",
                               .family_name = "=Dupont; \"Martin\"",
                               .given_name = "Hélène",
                               .birth_date = NULL,
                               .email = "helene@example.org",
                               .phone = "+33612345678",
                               .address_line1 = "12 rue de Rivoli, bât. B",
                               .address_line2 = NULL,
                               .postal_code = "75001",
                               .city = "Paris",
                               .country = "FR",
                               .categories = (1u << 1) | (1u << 5), /* email, password */
                               .phishing = true,
                               .identity_theft = false,
                               .distress = true,
                               .harm_description = "line 1\nline 2",
                               .documented_loss = 12000,
                               .hours_spent = 3,
                               .has_award = true,
                               .award = 11500,
                               .currency = "EUR",
                               .payment_preference = "voucher",
                               .mandated_at = "2026-03-01T10:15:30.000000Z",
                               .mandate_text_version = "2026-03-a",
                               .mandate_channel = "web-form",
                               .claim_status = "received",
                               .submitted_at = "2026-03-01T10:15:30.000000Z",
                               .eligibility = "matched",
                               .eligibility_matched = "email|code",
                               .evidence = "0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b:e3b0c442"};
}

static void
test_row_csv(void **state)
{
    struct export_row r = sample();
    struct strbuf sb = {0};

    (void)state;
    export_row_csv(&sb, &r, ',');
    assert_string_equal(sb.data,
                        "RC-7K3M-Q9XJ,\"'=Dupont; \"\"Martin\"\"\",Hélène,,helene@example.org,"
                        "'+33612345678,\"12 rue de Rivoli, bât. B\",,75001,Paris,FR,"
                        "email|password,true,false,true,\"line 1\nline 2\",12000,3,11500,EUR,"
                        "voucher,2026-03-01T10:15:30.000000Z,2026-03-a,web-form,received,"
                        "2026-03-01T10:15:30.000000Z,matched,email|code,"
                        "0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b:e3b0c442\r\n");
    strbuf_free(&sb);
    r.has_award = false;
    export_row_csv(&sb, &r, ';');
    assert_string_equal(sb.data,
                        "RC-7K3M-Q9XJ;\"'=Dupont; \"\"Martin\"\"\";Hélène;;helene@example.org;"
                        "'+33612345678;12 rue de Rivoli, bât. B;;75001;Paris;FR;"
                        "email|password;true;false;true;\"line 1\nline 2\";12000;3;;EUR;"
                        "voucher;2026-03-01T10:15:30.000000Z;2026-03-a;web-form;received;"
                        "2026-03-01T10:15:30.000000Z;matched;email|code;"
                        "0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b:e3b0c442\r\n");
    strbuf_free(&sb);
}

static void
test_row_ndjson(void **state)
{
    struct export_row r = sample();
    struct strbuf sb = {0};

    (void)state;
    export_row_ndjson(&sb, &r);
    assert_string_equal(
        sb.data,
        "{\"reference\":\"RC-7K3M-Q9XJ\",\"family_name\":\"=Dupont; \\\"Martin\\\"\","
        "\"given_name\":\"Hélène\",\"birth_date\":null,\"email\":\"helene@example.org\","
        "\"phone\":\"+33612345678\",\"address_line1\":\"12 rue de Rivoli, bât. B\","
        "\"address_line2\":null,\"postal_code\":\"75001\",\"city\":\"Paris\",\"country\":\"FR\","
        "\"data_categories\":[\"email\",\"password\"],\"phishing\":true,"
        "\"identity_theft\":false,\"distress\":true,\"harm_description\":\"line 1\\u000aline 2\","
        "\"documented_loss\":12000,\"hours_spent\":3,\"award\":11500,\"currency\":\"EUR\","
        "\"payment_preference\":\"voucher\",\"mandated_at\":\"2026-03-01T10:15:30.000000Z\","
        "\"mandate_text_version\":\"2026-03-a\",\"mandate_channel\":\"web-form\","
        "\"claim_status\":\"received\",\"submitted_at\":\"2026-03-01T10:15:30.000000Z\","
        "\"eligibility\":\"matched\",\"eligibility_matched\":\"email|code\","
        "\"evidence\":\"0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b:e3b0c442\"}\n");
    strbuf_free(&sb);
    r.has_award = false;
    r.categories = 0;
    export_row_ndjson(&sb, &r);
    assert_non_null(strstr(sb.data, "\"award\":null,"));
    assert_non_null(strstr(sb.data, "\"data_categories\":[],"));
    strbuf_free(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_predicates),
        cmocka_unit_test(test_absent_cell_and_row),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_row_csv),
        cmocka_unit_test(test_row_ndjson),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
