/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* web/escape: each context's escaper on the characters that context gives a meaning to,
 * runs of plain text kept whole, NULL, and web_format's templates (values escaped once, by
 * the same escaper as the template, and never expanded a second time). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/catalogue.h"
#include "web/escape.h"
#include "web/etag.h"

typedef void (*escaper)(struct strbuf *, const char *);

static void
expect(escaper f, const char *in, const char *want)
{
    struct strbuf sb = {0};

    f(&sb, in);
    assert_string_equal(sb.data != NULL ? sb.data : "", want);
    strbuf_free(&sb);
}

static void
test_html_text(void **state)
{
    (void)state;
    expect(html_text, "plain", "plain");
    expect(html_text, "", "");
    expect(html_text, NULL, "");
    expect(html_text, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html_text, "AT&T", "AT&amp;T");
    expect(html_text, "&amp;", "&amp;amp;"); /* escaped again: input is text, not HTML */
    expect(html_text, "\"quoted\" 'single'", "\"quoted\" 'single'");
    expect(html_text, "Coupang 쿠팡 — «", "Coupang 쿠팡 — «"); /* UTF-8 untouched */
}

static void
test_html_attr(void **state)
{
    (void)state;
    expect(html_attr, "plain", "plain");
    expect(html_attr, NULL, "");
    expect(html_attr, "\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
    expect(html_attr, "' autofocus '", "&#39; autofocus &#39;");
    expect(html_attr, "<a&b>", "&lt;a&amp;b&gt;");
    expect(html_attr, "<script>\"'&", "&lt;script&gt;&quot;&#39;&amp;");
}

/* A hidden field's name and value cannot leave their attributes. */
static void
test_html_hidden(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    html_hidden(&sb, "token", "a\"><script>");
    html_hidden(&sb, "lang", NULL);
    assert_string_equal(sb.data, "<input type=\"hidden\" name=\"token\" value=\"a&quot;&gt;"
                                 "&lt;script&gt;\">\n<input type=\"hidden\" name=\"lang\" "
                                 "value=\"\">\n");
    strbuf_free(&sb);
}

static void
test_url_component(void **state)
{
    (void)state;
    expect(url_component, "coupang-2025", "coupang-2025");
    expect(url_component, "A-Z_a.z~09", "A-Z_a.z~09");
    expect(url_component, NULL, "");
    expect(url_component, "a b/c?d", "a%20b%2Fc%3Fd");
    expect(url_component, "x&y=z#f", "x%26y%3Dz%23f");
    expect(url_component, "<\"'>", "%3C%22%27%3E");
    expect(url_component, "é", "%C3%A9"); /* UTF-8 bytes, upper-case hex */
    expect(url_component, "javascript:alert(1)", "javascript%3Aalert%281%29");
}

static void
test_web_escape_dispatch(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    web_escape(&sb, WEB_TEXT, "<'");
    web_escape(&sb, WEB_ATTR, "<'");
    web_escape(&sb, WEB_URL, "<'");
    assert_string_equal(sb.data, "&lt;'&lt;&#39;%3C%27");
    strbuf_free(&sb);
}

static void
format_expect(enum web_context ctx, const char *tmpl, const char *const *params,
              const char *want)
{
    struct strbuf sb = {0};

    web_format(&sb, ctx, tmpl, params);
    assert_string_equal(sb.data != NULL ? sb.data : "", want);
    strbuf_free(&sb);
}

static void
test_web_format(void **state)
{
    (void)state;
    format_expect(WEB_TEXT, "{n} claims", (const char *[]){"n", "3", NULL}, "3 claims");
    format_expect(WEB_TEXT, "{a} & {b}", (const char *[]){"a", "<x>", "b", "y", NULL},
                  "&lt;x&gt; &amp; y");
    format_expect(WEB_ATTR, "Join {t}", (const char *[]){"t", "\"q\"", NULL},
                  "Join &quot;q&quot;");
    /* unknown names and lone braces stay as written */
    format_expect(WEB_TEXT, "{missing} {x", (const char *[]){"n", "1", NULL}, "{missing} {x");
    format_expect(WEB_TEXT, "no params {n}", NULL, "no params {n}");
    /* a value carrying "{name}" is not expanded again */
    format_expect(WEB_TEXT, "{a}{b}", (const char *[]){"a", "{b}", "b", "B", NULL}, "{b}B");
    format_expect(WEB_TEXT, "", NULL, "");
}

static void
test_etag(void **state)
{
    char a[WEB_ETAG_LEN], b[WEB_ETAG_LEN];

    (void)state;
    web_etag("page one", 8, a);
    web_etag("page two", 8, b);
    assert_int_equal(strlen(a), WEB_ETAG_LEN - 1);
    assert_true(a[0] == '"' && a[WEB_ETAG_LEN - 2] == '"');
    assert_string_not_equal(a, b);
    web_etag("", 0, b);
    assert_string_equal(b, "\"cbf29ce484222325\""); /* FNV-1a 64 offset basis */
    assert_true(web_etag_matches(a, a));
    assert_true(web_etag_matches("*", a));
    char list[80];
    snprintf(list, sizeof list, "\"other\", W/%s", a);
    assert_true(web_etag_matches(list, a));
    assert_false(web_etag_matches(NULL, a));
    assert_false(web_etag_matches("\"other\"", a));
    assert_false(web_etag_matches("", a));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_text),    cmocka_unit_test(test_html_attr),
        cmocka_unit_test(test_html_hidden),
        cmocka_unit_test(test_url_component), cmocka_unit_test(test_web_escape_dispatch),
        cmocka_unit_test(test_web_format),   cmocka_unit_test(test_etag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
