/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* mail/compose and mail/render: RFC 2047 subjects (plain ASCII kept, UTF-8 in words of at most
 * 75 characters that never split a character), RFC 5322 dates in English whatever the locale,
 * no header injection through an address, CRLF line ends only, HTML escaping of values, and
 * no confirmation link once the address is confirmed. Expected encodings computed with
 * Python's base64 and datetime modules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "mail/compose.h"
#include "mail/notice_render.h"
#include "mail/render.h"

static char *
subject_of(const char *s)
{
    struct strbuf sb = {0};

    mail_encode_subject(s, &sb);
    return strbuf_take(&sb);
}

static void
ascii_subject_stays_plain(void **state)
{
    (void)state;
    char *out = subject_of("Your claim is registered: RC-7K3M-Q9XJ");
    assert_string_equal(out, "Your claim is registered: RC-7K3M-Q9XJ");
    free(out);
}

/* A long ASCII subject (an association's may have 200 characters) is folded before spaces into
 * lines of at most 78 characters, "Subject: " counted, and unfolds to itself. */
static void
long_ascii_subject_is_folded_at_spaces(void **state)
{
    (void)state;
    char in[201] = "";
    while (strlen(in) + 7 <= 200)
        strcat(in, "Hearing");
    memcpy(in + 20, " ", 1);
    memcpy(in + 90, " ", 1);
    memcpy(in + 91, " ", 1); /* two spaces: the fold keeps both */
    memcpy(in + 150, " ", 1);
    char *out = subject_of(in);
    struct strbuf unfolded = {0};
    size_t col = strlen("Subject: "), lines = 1;
    for (const char *p = out; *p != '\0'; p++) {
        if (p[0] == '\r' && p[1] == '\n') {
            assert_true(p[2] == ' ');
            assert_true(col <= 78);
            col = 0;
            lines++;
            p++;
            continue;
        }
        strbuf_append(&unfolded, p, 1);
        col++;
    }
    assert_true(col <= 78);
    assert_true(lines >= 3);
    assert_string_equal(unfolded.data, in);
    strbuf_free(&unfolded);
    free(out);
}

static void
utf8_subject_is_encoded(void **state)
{
    (void)state;
    char *out = subject_of("Réclamation");
    /* base64("Réclamation") = UsOpY2xhbWF0aW9u */
    assert_string_equal(out, "=?UTF-8?B?UsOpY2xhbWF0aW9u?=");
    free(out);
}

/* A long subject of two-byte characters: every word ≤ 75 characters, folded with CRLF SP, and
 * each word holds whole characters (45 bytes a word would split one: 44 are taken). */
static void
long_subject_is_folded_on_character_boundaries(void **state)
{
    (void)state;
    char in[200] = "";
    for (int i = 0; i < 60; i++)
        strcat(in, "é");
    char *out = subject_of(in);
    char *save = NULL;
    int words = 0;
    for (char *w = strtok_r(out, "\r\n ", &save); w != NULL; w = strtok_r(NULL, "\r\n ", &save)) {
        assert_true(strlen(w) <= 75);
        assert_memory_equal(w, "=?UTF-8?B?", 10);
        /* 44 bytes = 22 "é" → base64 of 44 bytes is 60 characters ending "=" */
        words++;
    }
    assert_int_equal(words, 3); /* 120 bytes: 44 + 44 + 32 */
    free(out);
}

static void
dates_are_rfc5322(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    mail_format_date(0, &sb);
    assert_string_equal(sb.data, "Thu, 01 Jan 1970 00:00:00 +0000");
    strbuf_free(&sb);
    mail_format_date(1796473149, &sb);
    assert_string_equal(sb.data, "Sat, 05 Dec 2026 12:19:09 +0000");
    strbuf_free(&sb);
}

static struct mail_message
message(const char *to)
{
    return (struct mail_message){.from = "recours@example.org",
                                 .to = to,
                                 .lang = "fr",
                                 .subject = "Sujet é",
                                 .text = "texte\n",
                                 .html = "<p>html</p>\n"};
}

static void
an_address_cannot_inject_a_header(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    struct mail_message m = message("a@example.org\r\nBcc: b@example.org");
    assert_false(mail_compose(&m, 0, &sb));
    strbuf_free(&sb);
    m = message("Someone <a@example.org>");
    assert_false(mail_compose(&m, 0, &sb));
    strbuf_free(&sb);
}

static void
a_message_has_its_headers_and_crlf_lines_only(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    struct mail_message m = message("a@example.org");
    assert_true(mail_compose(&m, 0, &sb));
    assert_non_null(strstr(sb.data, "From: recours <recours@example.org>\r\n"));
    assert_non_null(strstr(sb.data, "\r\nAuto-Submitted: auto-generated\r\n"));
    assert_non_null(strstr(sb.data, "\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(sb.data, "@example.org>\r\n"));
    assert_non_null(strstr(sb.data, "Content-Type: multipart/alternative; boundary="));
    assert_non_null(strstr(sb.data, "Content-Type: text/html; charset=UTF-8\r\n"));
    for (size_t i = 0; i < sb.len; i++)
        if (sb.data[i] == '\n')
            assert_true(i > 0 && sb.data[i - 1] == '\r');
    strbuf_free(&sb);
}

static void
values_are_escaped_and_a_confirmed_address_gets_no_link(void **state)
{
    struct mail_rendered r = {0};

    (void)state;
    struct mail_facts f = {.kind = MAIL_CLAIM_ACCEPTED, .lang = "en",
                           .reference = "RC-7K3M-Q9XJ", .incident_title = "<script>&\"",
                           .my_claim_url = "https://x.example/my-claim"};
    mail_render(&f, &r);
    assert_null(strstr(r.html.data, "<script>"));
    assert_non_null(strstr(r.html.data, "&lt;script&gt;&amp;&quot;"));
    assert_null(strstr(r.text.data, "confirm-email"));
    assert_null(strstr(r.text.data, "did not make this claim")); /* no link to warn about */
    assert_string_equal(r.subject.data, "Your claim is registered: RC-7K3M-Q9XJ");
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    f.lang = "fr";
    f.confirm_url = "https://x.example/confirm-email/abc";
    mail_render(&f, &r);
    assert_non_null(strstr(r.text.data, "Pour confirmer votre adresse"));
    assert_non_null(strstr(r.text.data, "https://x.example/confirm-email/abc"));
    /* the address may be someone else's, typed by mistake: its owner is told what to do */
    assert_non_null(strstr(r.text.data, "Si vous n'avez pas déposé cette réclamation, ne suivez "
                                        "pas ce lien"));
    assert_non_null(strstr(r.html.data, "Si vous n&#39;avez pas déposé cette réclamation"));
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    f.lang = "en";
    mail_render(&f, &r);
    assert_non_null(strstr(r.text.data, "If you did not make this claim, do not follow this link"));
    mail_rendered_free(&r);
}

/* A rejection says until when the claim may be corrected, in the message's language; with no
 * window (--correction-days 0) it does not offer a correction at all. */
static void
a_rejection_says_until_when_it_may_be_corrected(void **state)
{
    struct mail_rendered r = {0};

    (void)state;
    struct mail_facts f = {.kind = MAIL_CLAIM_REJECTED, .lang = "en", .reference = "RC-7K3M-Q9XJ",
                           .incident_title = "Leak", .my_claim_url = "https://x.example/my-claim",
                           .reason = "the claim duplicates another one",
                           .correctable_until = "2026-12-20"};
    mail_render(&f, &r);
    assert_non_null(strstr(r.text.data, "You may correct it until 20 December 2026 (with your"));
    assert_non_null(strstr(r.html.data, "You may correct it until 20 December 2026 (with your"));
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    f.lang = "fr";
    f.correctable_until = "2027-01-01";
    mail_render(&f, &r);
    assert_non_null(strstr(r.text.data, "Vous pouvez la corriger jusqu'au 1er janvier 2027 (avec"));
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    f.correctable_until = NULL;
    mail_render(&f, &r);
    assert_null(strstr(r.text.data, "corriger"));
    assert_non_null(strstr(r.text.data, "https://x.example/my-claim"));
    mail_rendered_free(&r);
}

/* The notice to a replaced address: the day in words, the new address as given (masked by
 * the caller), the operator's address, or the legal page when none is set; no my-claim link
 * (the claim is no longer this address's). */
static void
an_address_change_names_the_day_the_masked_address_and_whom_to_write_to(void **state)
{
    struct mail_rendered r = {0};

    (void)state;
    struct mail_facts f = {.kind = MAIL_ADDRESS_CHANGED, .lang = "en",
                           .reference = "RC-7K3M-Q9XJ", .incident_title = "Leak",
                           .my_claim_url = "https://x.example/my-claim",
                           .changed_on = "2026-12-06", .masked_new_address = "m***@e***.org",
                           .operator_email = "dpo@operator.example",
                           .legal_url = "https://x.example/legal"};
    mail_render(&f, &r);
    assert_string_equal(r.subject.data, "The email address of your claim was changed: "
                                        "RC-7K3M-Q9XJ");
    assert_non_null(strstr(r.text.data, "was changed on 6 December 2026 to m***@e***.org."));
    assert_non_null(strstr(r.text.data, "dpo@operator.example"));
    assert_null(strstr(r.text.data, "/legal"));
    assert_null(strstr(r.text.data, "/my-claim"));
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    f.lang = "fr";
    f.operator_email = NULL;
    f.changed_on = "2027-03-01";
    mail_render(&f, &r);
    assert_non_null(strstr(r.text.data, "remplacée le 1er mars 2027 par m***@e***.org."));
    assert_non_null(strstr(r.text.data, "https://x.example/legal?lang=fr"));
    assert_non_null(strstr(r.html.data, "<a href=\"https://x.example/legal?lang=fr\">"));
    mail_rendered_free(&r);
}

static void
a_notice_that_is_not_essential_has_the_one_click_headers(void **state)
{
    struct strbuf sb = {0};

    (void)state;
    struct mail_message m = message("a@example.org");
    m.list_unsubscribe = "https://x.example/notices/stop/12.abc";
    assert_true(mail_compose(&m, 0, &sb));
    assert_non_null(strstr(sb.data, "\r\nList-Unsubscribe: <https://x.example/notices/stop/12.abc>\r\n"
                                    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    strbuf_free(&sb);
    m.list_unsubscribe = "https://x.example/a>\r\nBcc: b@example.org";
    assert_false(mail_compose(&m, 0, &sb));
    strbuf_free(&sb);
}

static void
a_notice_keeps_its_words_and_links_its_addresses(void **state)
{
    struct mail_rendered r = {0};

    (void)state;
    struct notice_mail n = {.lang = "en", .subject = "Hearing <set>",
                            .body = "Hello,\n\nSee https://x.example/a?b=1&c=2.\nBye <b>",
                            .association_name = "Assoc & co", .action_title = "Action",
                            .reference = "RC-7K3M-Q9XJ", .my_claim_url = "https://x.example/my-claim",
                            .stop_url = "https://x.example/notices/stop/1.a"};
    mail_render_notice(&n, &r);
    assert_string_equal(r.subject.data, "Hearing <set>");
    assert_non_null(strstr(r.text.data, "Hello,\n\nSee https://x.example/a?b=1&c=2.\nBye <b>"));
    assert_non_null(strstr(r.html.data, "<p>Hello,</p>\n<p>See <a href=\"https://x.example/a?b=1&amp;c=2\">"
                                        "https://x.example/a?b=1&amp;c=2</a>.<br>\nBye &lt;b&gt;</p>"));
    assert_non_null(strstr(r.html.data, "Assoc &amp; co"));
    assert_non_null(strstr(r.text.data, "RC-7K3M-Q9XJ"));
    assert_non_null(strstr(r.text.data, "https://x.example/notices/stop/1.a"));
    mail_rendered_free(&r);
    memset(&r, 0, sizeof r);
    n.stop_url = NULL; /* essential: no stop link */
    n.lang = "fr";
    mail_render_notice(&n, &r);
    assert_null(strstr(r.text.data, "/notices/stop/"));
    assert_non_null(strstr(r.text.data, "Cet avis est essentiel"));
    mail_rendered_free(&r);
}

/* A withdrawal says in how many days its personal data is erased: one day (and, in French,
 * none) singular, as the pages' web_key_counted has it. */
static void
a_withdrawal_says_in_how_many_days_the_data_goes(void **state)
{
    static const struct {
        const char *lang;
        int days;
        const char *said;
    } cases[] = {
        {"en", 30, "Its personal data will be erased 30 days after the withdrawal."},
        {"en", 1, "Its personal data will be erased 1 day after the withdrawal."},
        {"en", 0, "Its personal data will be erased 0 days after the withdrawal."},
        {"fr", 1, "Ses données personnelles seront effacées 1\xc2\xa0jour après le retrait."},
        {"fr", 0, "Ses données personnelles seront effacées 0\xc2\xa0jour après le retrait."},
        {"fr", 7, "Ses données personnelles seront effacées 7\xc2\xa0jours après le retrait."},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mail_rendered r = {0};
        struct mail_facts f = {.kind = MAIL_CLAIM_WITHDRAWN,
                               .lang = cases[i].lang,
                               .reference = "RC-7K3M-Q9XJ",
                               .incident_title = "Leak",
                               .my_claim_url = "https://x.example/my-claim",
                               .legal_url = "https://x.example/legal",
                               .withdrawn_retention_days = cases[i].days};
        mail_render(&f, &r);
        assert_non_null(strstr(r.text.data, cases[i].said));
        assert_non_null(strstr(r.html.data, cases[i].said));
        mail_rendered_free(&r);
    }
}

static char *
display_name_of(const char *name)
{
    struct strbuf sb = {0};

    mail_encode_display_name(name, &sb);
    return strbuf_take(&sb);
}

/* The operator's name is the From's display name (a victim who never heard of recours took the
 * message for phishing): words as they are, other ASCII as a quoted-string, anything else in
 * RFC 2047 words; a CR or LF in the setting never starts a header; unset, "recours". */
static void
the_operator_name_is_the_display_name_fit_for_a_header(void **state)
{
    static const struct {
        const char *name;
        const char *said;
    } cases[] = {
        {"Association ACME-Victimes", "Association ACME-Victimes"},
        {"Lésés & Co, Paris (\"asso\") \\ x", /* not ASCII: words */
         "=?UTF-8?B?TMOpc8OpcyAmIENvLCBQYXJpcyAoImFzc28iKSBcIHg=?="},
        {"Les Lese, Co. (\"asso\") \\ x", "\"Les Lese, Co. (\\\"asso\\\") \\\\ x\""},
        {"Association Lésés & Co", "=?UTF-8?B?QXNzb2NpYXRpb24gTMOpc8OpcyAmIENv?="},
        {"Assoc\r\nBcc: b@example.org", "\"Assoc  Bcc: b@example.org\""},
        {" ACME\t", "ACME"},
        {"=?UTF-8?B?QQ==?=", "=?UTF-8?B?PT9VVEYtOD9CP1FRPT0/PQ==?="}, /* not read as a word */
        {" \r\n ", "recours"},
        {"", "recours"},
        {NULL, "recours"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = display_name_of(cases[i].name);
        assert_string_equal(out, cases[i].said);
        free(out);
    }
}

/* A long name beyond ASCII folds as the subject does, words of at most 75 characters on lines
 * of their own, and is cut at MAIL_DISPLAY_NAME_MAX bytes on a character's start. */
static void
a_long_display_name_is_folded_and_cut_on_a_character(void **state)
{
    struct strbuf sb = {0};
    char in[400] = "";

    (void)state;
    for (int i = 0; i < 150; i++)
        strcat(in, "é"); /* 300 bytes */
    struct mail_message m = message("a@example.org");
    m.from_name = in;
    assert_true(mail_compose(&m, 0, &sb));
    char *from = strstr(sb.data, "From: =?UTF-8?B?");
    assert_non_null(from);
    char *end = strstr(from, " <recours@example.org>\r\n");
    assert_non_null(end);
    size_t words = 0;
    for (char *p = from + strlen("From: "); p < end; words++) {
        char *fold = strstr(p, "\r\n ");
        size_t n = fold != NULL && fold < end ? (size_t)(fold - p) : (size_t)(end - p);
        assert_true(n <= 75);
        assert_memory_equal(p, "=?UTF-8?B?", 10);
        p += n + (fold != NULL && fold < end ? 3 : 0);
    }
    assert_int_equal(words, 5); /* 200 bytes: 44 + 44 + 44 + 44 + 24 */
    strbuf_free(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_subject_stays_plain),
        cmocka_unit_test(long_ascii_subject_is_folded_at_spaces),
        cmocka_unit_test(utf8_subject_is_encoded),
        cmocka_unit_test(long_subject_is_folded_on_character_boundaries),
        cmocka_unit_test(dates_are_rfc5322),
        cmocka_unit_test(an_address_cannot_inject_a_header),
        cmocka_unit_test(a_message_has_its_headers_and_crlf_lines_only),
        cmocka_unit_test(values_are_escaped_and_a_confirmed_address_gets_no_link),
        cmocka_unit_test(a_rejection_says_until_when_it_may_be_corrected),
        cmocka_unit_test(an_address_change_names_the_day_the_masked_address_and_whom_to_write_to),
        cmocka_unit_test(a_notice_that_is_not_essential_has_the_one_click_headers),
        cmocka_unit_test(a_notice_keeps_its_words_and_links_its_addresses),
        cmocka_unit_test(a_withdrawal_says_in_how_many_days_the_data_goes),
        cmocka_unit_test(the_operator_name_is_the_display_name_fit_for_a_header),
        cmocka_unit_test(a_long_display_name_is_folded_and_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
