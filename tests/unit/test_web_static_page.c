/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* web/static_page: a page of web/ filled in the reader's language: <html lang>, the text of
 * each data-i18n element, the attributes of each data-i18n-attr, escaped; everything else (a
 * comment naming a mark, end tags, the doctype, a tag left open) as written. */
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
#include "web/static_page.h"

static char dir[] = "/tmp/recours-static-page-XXXXXX";
static struct web_catalogue *cat;

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

static char *
fill(enum web_lang lang, const char *html)
{
    struct strbuf sb = {0};

    web_static_page_fill(&sb, cat, lang, html, strlen(html));
    return strbuf_take(&sb);
}

static void
test_language_and_texts(void **state)
{
    const char *page =
        "<!doctype html>\n<html lang=\"en\">\n<head><title data-i18n=\"t\">recours</title></head>\n"
        "<body><h1 class=\"x\" data-i18n=\"h\">Associations</h1>\n"
        "<p data-i18n=\"h\" hidden></p><option value=\"\" data-i18n=\"t\">Choose</option>\n"
        "</body></html>\n";

    (void)state;
    char *fr = fill(WEB_LANG_FR, page);
    assert_string_equal(fr, "<!doctype html>\n<html lang=\"fr\">\n<head><title "
                            "data-i18n=\"t\">Espace</title></head>\n"
                            "<body><h1 class=\"x\" data-i18n=\"h\">Les associations</h1>\n"
                            "<p data-i18n=\"h\" hidden>Les associations</p><option value=\"\" "
                            "data-i18n=\"t\">Espace</option>\n</body></html>\n");
    free(fr);
    char *en = fill(WEB_LANG_EN, page);
    assert_non_null(strstr(en, "<html lang=\"en\">"));
    assert_non_null(strstr(en, "data-i18n=\"h\">The associations</h1>"));
    free(en);
}

/* The attributes a script would set are there at once, escaped; the strings are text, never
 * markup, even where a translation holds "<" or a quote. */
static void
test_attributes_and_escaping(void **state)
{
    (void)state;
    char *out = fill(WEB_LANG_FR, "<nav data-i18n-attr=\"aria-label:q; title : h\"><b "
                                  "data-i18n='q'>x</b></nav>");
    assert_string_equal(out, "<nav data-i18n-attr=\"aria-label:q; title : h\" aria-label=\"Dites "
                             "&quot;oui&quot; &lt;ou&gt; non\" title=\"Les associations\"><b "
                             "data-i18n='q'>Dites \"oui\" &lt;ou&gt; non</b></nav>");
    free(out);
}

/* What is not a mark stays as written: a comment that names one, a quoted ">" inside a tag, a
 * lang on another element than <html>, an unknown key (shown as itself, as the script does), a
 * "<" of text, a tag the page leaves open. */
static void
test_the_rest_as_written(void **state)
{
    (void)state;
    const char *same = "<!-- data-i18n=\"h\" --><p lang=\"en\" title=\"a>b\">1 < 2</p></x>";
    char *out = fill(WEB_LANG_FR, same);
    assert_string_equal(out, same);
    free(out);
    out = fill(WEB_LANG_FR, "<i data-i18n=\"no.key\">x</i><p data-i18n=\"h\"");
    assert_string_equal(out, "<i data-i18n=\"no.key\">no.key</i><p data-i18n=\"h\"");
    free(out);
    out = fill(WEB_LANG_EN, "<i data-i18n=\"h\">left open");
    assert_string_equal(out, "<i data-i18n=\"h\">The associations");
    free(out);
}

static int
setup(void **state)
{
    char why[256] = "";

    (void)state;
    if (mkdtemp(dir) == NULL)
        return -1;
    write_file("fr.json", "{\"t\": \"Espace\", \"h\": \"Les associations\", "
                          "\"q\": \"Dites \\\"oui\\\" <ou> non\"}");
    write_file("en.json", "{\"t\": \"Workspace\", \"h\": \"The associations\", \"q\": \"Say\"}");
    cat = web_catalogue_load(dir, why, sizeof why);
    return cat != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
    char path[256];

    (void)state;
    web_catalogue_free(cat);
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
        cmocka_unit_test(test_language_and_texts),
        cmocka_unit_test(test_attributes_and_escaping),
        cmocka_unit_test(test_the_rest_as_written),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
