/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* web/catalogue and web/site: the catalogue loads when both languages have the same keys and
 * refuses to otherwise (naming the key), a missing key shows as itself, the served bytes are
 * the file's; configuration placeholders of the privacy notices are filled HTML-escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/catalogue.h"
#include "web/site.h"

static char dir[] = "/tmp/recours-catalogue-XXXXXX";

static void
write_file(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_load_and_lookup(void **state)
{
    char why[256] = "";

    (void)state;
    write_file("fr.json", "{\"a\": \"Bonjour {n}\", \"b\": \"<b>\"}");
    write_file("en.json", "{\"a\": \"Hello {n}\", \"b\": \"<b>\"}");
    struct web_catalogue *c = web_catalogue_load(dir, why, sizeof why);
    assert_non_null(c);
    assert_string_equal(web_t(c, WEB_LANG_FR, "a"), "Bonjour {n}");
    assert_string_equal(web_t(c, WEB_LANG_EN, "a"), "Hello {n}");
    assert_string_equal(web_t(c, WEB_LANG_EN, "missing.key"), "missing.key");
    struct strbuf sb = {0};
    web_tf(&sb, c, WEB_LANG_EN, WEB_TEXT, "a", (const char *[]){"n", "<you>", NULL});
    web_te(&sb, c, WEB_LANG_FR, WEB_ATTR, "b");
    assert_string_equal(sb.data, "Hello &lt;you&gt;&lt;b&gt;");
    strbuf_free(&sb);
    size_t len;
    const char *etag;
    const char *bytes = web_catalogue_bytes(c, WEB_LANG_EN, &len, &etag);
    assert_int_equal(len, strlen("{\"a\": \"Hello {n}\", \"b\": \"<b>\"}"));
    assert_memory_equal(bytes, "{\"a\": \"Hello", 11);
    assert_int_equal(strlen(etag), 18);
    web_catalogue_free(c);
}

static void
test_refuses_different_keys_and_bad_files(void **state)
{
    char why[256] = "";

    (void)state;
    write_file("fr.json", "{\"a\": \"x\", \"only.fr\": \"y\"}");
    write_file("en.json", "{\"a\": \"x\"}");
    assert_null(web_catalogue_load(dir, why, sizeof why));
    assert_non_null(strstr(why, "only.fr"));
    write_file("fr.json", "{\"a\": \"x\"}");
    write_file("en.json", "{\"a\": \"x\", \"only.en\": \"y\"}");
    assert_null(web_catalogue_load(dir, why, sizeof why));
    assert_non_null(strstr(why, "only.en"));
    write_file("en.json", "{\"a\": 1}");
    assert_null(web_catalogue_load(dir, why, sizeof why));
    assert_non_null(strstr(why, "not a string"));
    write_file("en.json", "{\"a\": \"x\", \"a\": \"y\"}");
    assert_null(web_catalogue_load(dir, why, sizeof why)); /* duplicate key */
    write_file("en.json", "[");
    assert_null(web_catalogue_load(dir, why, sizeof why));
}

/* web_markup: the markup as written, each {key} the catalogue's text escaped for text, each
 * {=key} for an attribute; an unknown key is written as its name, like web_t. */
static void
test_markup(void **state)
{
    char why[256];
    struct strbuf sb = {0};

    (void)state;
    write_file("fr.json", "{\"t\": \"<Bonjour> & \\\"vous\\\"\", \"l\": \"Menu \\\"x\\\"\"}");
    write_file("en.json", "{\"t\": \"<Hello> & \\\"you\\\"\", \"l\": \"Menu\"}");
    struct web_catalogue *c = web_catalogue_load(dir, why, sizeof why);
    assert_non_null(c);
    web_markup(&sb, c, WEB_LANG_FR, "<h1 class=\"a\">{t}</h1>\n<nav aria-label=\"{=l}\">{t}{no.key}</nav>");
    assert_string_equal(sb.data, "<h1 class=\"a\">&lt;Bonjour&gt; &amp; \"vous\"</h1>\n"
                                 "<nav aria-label=\"Menu &quot;x&quot;\">&lt;Bonjour&gt; &amp; "
                                 "\"vous\"no.key</nav>");
    strbuf_free(&sb);
    web_markup(&sb, c, WEB_LANG_EN, "<p>{t}</p> and no key at all, { unclosed");
    assert_string_equal(sb.data, "<p>&lt;Hello&gt; &amp; \"you\"</p> and no key at all, { unclosed");
    strbuf_free(&sb);
    web_catalogue_free(c);
}

/* The privacy notice's {settings}: escaped; a setting the configuration left at its default
 * said in the notice's language, as the footer says it; a value given, as given (even one that
 * reads like a default: the configuration says which is which, not the text). */
static void
test_fill_config(void **state)
{
    static const char *const env[] = {"RECOURS_OPERATOR_NAME",  "RECOURS_OPERATOR_ADDRESS",
                                      "RECOURS_OPERATOR_EMAIL", "RECOURS_DPO_EMAIL",
                                      "RECOURS_HOST_NAME",      "RECOURS_CLAIM_RETENTION_MONTHS"};
    char *given[] = {"--operator-name=A <&> \"B\"", "--operator-email=op@example.org",
                     "--host-name=(not configured: --host-name)", "--claim-retention-months=61"};
    struct config cfg;
    char why[256];

    (void)state;
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        unsetenv(env[i]);
    write_file("fr.json", "{\"footer.not_configured\": \"(à configurer : {flag})\", "
                          "\"footer.demo_operator\": \"recours (démonstration)\"}");
    write_file("en.json", "{\"footer.not_configured\": \"(not configured: {flag})\", "
                          "\"footer.demo_operator\": \"recours (demonstration)\"}");
    struct web_catalogue *c = web_catalogue_load(dir, why, sizeof why);
    assert_non_null(c);
    assert_true(config_load(&cfg, "test", sizeof given / sizeof given[0], given));
    assert_true(config_is_default(&cfg, "operator-address"));
    assert_false(config_is_default(&cfg, "host-name"));
    const char *text = "{operator_name} / {dpo_email} / {claim_retention_months} / "
                       "{unknown} / {operator_address} / {host_name} / {";
    char *s = web_fill_config(text, &cfg, c, WEB_LANG_FR);
    assert_string_equal(s,
                        "A &lt;&amp;&gt; \"B\" / op@example.org / 61 / {unknown} / "
                        "(à configurer : --operator-address) / (not configured: --host-name) / {");
    free(s);
    s = web_fill_config(text, &cfg, c, WEB_LANG_EN);
    assert_string_equal(s,
                        "A &lt;&amp;&gt; \"B\" / op@example.org / 61 / {unknown} / "
                        "(not configured: --operator-address) / (not configured: --host-name) / {");
    free(s);
    config_free(&cfg);
    /* nothing given: the demonstration's operator, and the privacy address is the operator's */
    assert_true(config_load(&cfg, "test", 0, NULL));
    s = web_fill_config("{operator_name} / {dpo_email}", &cfg, c, WEB_LANG_FR);
    assert_string_equal(s, "recours (démonstration) / (à configurer : --operator-email)");
    free(s);
    config_free(&cfg);
    web_catalogue_free(c);
}

/* A value that ends its own sentence ("Coupang Corp.") takes the template's full stop: no
 * "Corp.." on the page; an ellipsis in the template stays whole. */
static void
test_value_ending_a_sentence(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    web_expand(&sb, "By {a} against {c}. Until {d}.",
               (const char *[]){"a", "Asso", "c", "Coupang Corp.", "d", "May 5.", NULL});
    assert_string_equal(sb.data, "By Asso against Coupang Corp. Until May 5.");
    strbuf_free(&sb);
    web_expand(&sb, "{c}... and {c}.", (const char *[]){"c", "Inc.", NULL});
    assert_string_equal(sb.data, "Inc.... and Inc.");
    strbuf_free(&sb);
    web_format(&sb, WEB_TEXT, "<{c}>.", (const char *[]){"c", "Ltd.", NULL});
    assert_string_equal(sb.data, "&lt;Ltd.&gt;.");
    strbuf_free(&sb);
}

/* Each value in its own <bdi>, escaped; the sentence escaped; a value ending a sentence still
 * takes its full stop; a value's "{n}" stays as typed. */
static void
test_isolated_values(void **state)
{
    char why[256] = "";
    struct strbuf sb = {0};

    (void)state;
    write_file("fr.json", "{\"s\": \"<{a}> & {t}.\", \"u\": \"{a} {b}\"}");
    write_file("en.json", "{\"s\": \"<{a}> & {t}.\", \"u\": \"{a} {b}\"}");
    struct web_catalogue *c = web_catalogue_load(dir, why, sizeof why);
    assert_non_null(c);
    web_tf_isolated(
        &sb, c, WEB_LANG_EN, "s",
        (const char *[]){"a", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d <b>", "t", "Corp.", NULL});
    assert_string_equal(sb.data,
                        "&lt;<bdi>\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d &lt;b&gt;</bdi>&gt; &amp; "
                        "<bdi>Corp.</bdi>");
    strbuf_free(&sb);
    web_tf_isolated(&sb, c, WEB_LANG_FR, "u", (const char *[]){"a", "{b}", "b", "x", NULL});
    assert_string_equal(sb.data, "<bdi>{b}</bdi> <bdi>x</bdi>");
    strbuf_free(&sb);
    web_catalogue_free(c);
}

static int
setup(void **state)
{
    (void)state;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
    char path[256];

    (void)state;
    snprintf(path, sizeof path, "%s/fr.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/en.json", dir);
    unlink(path);
    return rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_lookup),
        cmocka_unit_test(test_refuses_different_keys_and_bad_files),
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_fill_config),
        cmocka_unit_test(test_value_ending_a_sentence),
        cmocka_unit_test(test_isolated_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
