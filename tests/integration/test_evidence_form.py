#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Evidence on /my-claim without JavaScript (docs/evidence.md §3): the claim page's section
posts multipart/form-data to /my-claim/evidence, read as it arrives; a file is added, listed
and removed through pages alone; a wrong type, no file, another encoding and a cross-site post
are refused with pages; the section shows only for a claim declaring a loss or a theft."""

import hashlib
import re
import unittest

import claims_fixtures as cf
import evidence_fixtures as ef
import form_fixtures as ff
import harness

MIB = 1024 * 1024


class EvidenceFormTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()
        cls.slug = cf.make_incident(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.client = harness.Client(self.server)
        self.addCleanup(self.client.close)

    def claim(self, **overrides):
        return cf.submit_ok(self, self.client, self.slug, cf.claim_body(**overrides))

    def open(self, receipt):
        r = ff.post_form(self.client, "/my-claim?lang=en",
                         [("form", "open"), ("lang", "en"), ("reference", receipt["reference"]),
                          ("token", receipt["token"])])
        self.assertEqual(r.status, 200, r.body[:300])
        return r.body.decode()

    def post(self, form, extra, site="same-origin"):
        """Posts the page's form as a browser does: its hidden fields first, then extra."""
        ctype, body = ef.multipart(ff.hidden_fields(form) + extra)
        headers = {"Content-Type": ctype, "Accept": "text/html"}
        if site is not None:
            headers["Sec-Fetch-Site"] = site
        return self.client.request("POST", form["action"], body=body, headers=headers)

    def stored(self, reference):
        return cf.psql("SELECT f.public_id, encode(f.sha256, 'hex') FROM evidence_files f"
                       " JOIN claims c ON c.id = f.claim_id WHERE f.state = 'stored'"
                       " AND c.reference = " + cf.sql_literal(reference) + " ORDER BY f.id")

    def test_a_language_switch_is_honest_about_a_file_chosen(self):
        """A file chosen but not attached cannot follow the language switch: the file input
        says so (its hint); the switch's post naming the file (web/static/evidence.js) gets a
        page in the other language that names it, escaped, and asks to choose it again. The
        page that answers an attachment switches language with the claim kept open."""
        receipt = self.claim()
        page = self.open(receipt)
        self.assertRegex(page, r'<p class="hint" id="evidence-file-hint">Changing the language '
                               r'forgets a file chosen but not yet attached.</p>\n'
                               r'<input id="evidence-file"[^>]* '
                               r'aria-describedby="evidence-file-hint">')
        self.assertNotIn('id="evidence-dropped"', page)
        # the limit in each language's units, the number never apart from its unit
        self.assertIn("PDF, JPEG or PNG, 10\u00a0MB each", page)
        fr = ff.post_form(self.client, "/my-claim?lang=fr",
                          [("form", "open"), ("lang", "fr"), ("reference", receipt["reference"]),
                           ("token", receipt["token"])]).body.decode()
        self.assertIn("PDF, JPEG ou PNG, 10\u00a0Mo chacun", fr)
        form = ff.form_by_id(page, "claim-form")
        pairs = [(c["name"], c["value"]) for c in form["controls"]
                 if c["name"] and (c.get("type") not in ("checkbox", "radio") or c["checked"])
                 and c["tag"] != "select"] + [("claimant.address.country", "FR")]
        for lang, said in (("fr", "Le fichier «\u00a0<bdi>{}</bdi>\u00a0» n'a pas été joint"),
                           ("en", "The file “<bdi>{}</bdi>” was not attached")):
            r = ff.post_form(self.client, f"/my-claim?lang={lang}",
                             pairs + [("switch_lang", lang),
                                      ("evidence_dropped", "relevé <b>1</b>.pdf")])
            self.assertEqual(r.status, 200, r.body[:300])
            text = r.body.decode()
            self.assertIn(f'<html lang="{lang}"', text)
            self.assertIn('<p id="evidence-dropped" class="status status-error" role="alert">',
                          text)
            self.assertIn(said.format("relevé &lt;b&gt;1&lt;/b&gt;.pdf"), text)
            self.assertNotIn('role="alert" aria-labelledby="error-summary-title"', text,
                             "the name is no correction's error")
        evidence = ff.form_by_id(page, "evidence-form")
        r = self.post(evidence, [("file", ("scan.pdf", ef.pdf(2000), "application/pdf"))])
        self.assertEqual(r.status, 200, r.body[:300])
        switch = [f for f in ff.forms_of(r.body.decode()) if f["action"] == "/my-claim?lang=fr"]
        self.assertEqual(len(switch), 1, "the switch to French posts the claim")
        self.assertEqual(dict(ff.hidden_fields(switch[0])),
                         {"form": "open", "lang": "fr", "reference": receipt["reference"],
                          "token": receipt["token"], "done": "evidence_added"},
                         "what the page said, said again in French")

    def test_the_claim_reopened_after_a_file_attached_by_the_script_says_so(self):
        """evidence.js opens the claim again after the API took the file (`done`): the page
        says at its top that the file was attached. The switch of the page answering a file's
        post without JavaScript does the same with what that page said: a removal, a refusal
        (its status, at the top with a link down to the file input, and beside it). Anything
        else in `done` says nothing."""
        receipt = self.claim()
        opened = [("form", "open"), ("lang", "en"), ("reference", receipt["reference"]),
                  ("token", receipt["token"])]
        text = ff.post_form(self.client, "/my-claim?lang=en",
                            opened + [("done", "evidence_added")]).body.decode()
        self.assertIn('<div id="claim-status" class="status status-success" role="status"><p>'
                      "The file was attached to your claim.</p></div>", text)
        text = ff.post_form(self.client, "/my-claim?lang=en",
                            opened + [("done", "evidence_removed")]).body.decode()
        self.assertIn('<div id="claim-status" class="status status-success" role="status"><p>'
                      "The file was removed.</p></div>", text)
        r = ff.post_form(self.client, "/my-claim?lang=fr",
                         opened[:1] + [("lang", "fr")] + opened[2:] + [("done", "evidence_type")])
        self.assertEqual(r.status, 415, "the refused post's status")
        text = r.body.decode()
        self.assertRegex(text, r'<div id="claim-status" class="status status-error" '
                               r'role="alert"><p>Ce fichier n.est pas un document PDF[^<]*'
                               r' <a href="#evidence">Aller aux justificatifs</a></p></div>')
        self.assertIn('<p class="error-msg" id="evidence-file-error">', text)
        self.assertIn('aria-invalid="true"', text)
        self.assertIn("<title>Erreur", text)
        # another file chosen on that page, then the switch (evidence.js names it): the file
        # forgotten is said beside the input, plain; the refusal at the top is the one alert
        both = ff.post_form(self.client, "/my-claim?lang=fr",
                            opened[:1] + [("lang", "fr")] + opened[2:]
                            + [("done", "evidence_type"), ("evidence_dropped", "scan.pdf")])
        self.assertEqual(both.status, 415)
        text = both.body.decode()
        self.assertEqual(text.count('role="alert"'), 1, "one alert per refusal")
        self.assertIn('<p id="evidence-dropped" class="status status-error">', text)
        for done in ("evidence", "<b>x</b>"):
            other = ff.post_form(self.client, "/my-claim?lang=en",
                                 opened + [("done", done)])
            self.assertEqual(other.status, 200)
            self.assertNotIn('id="claim-status"', other.body.decode())

    def test_a_withdrawn_claims_files_say_why_they_are_fixed(self):
        """A withdrawn claim lists its files without inviting more, and says it is withdrawn
        (not "reviewed", which it never was) and that they go with its personal data."""
        receipt = self.claim()
        form = ff.form_by_id(self.open(receipt), "evidence-form")
        self.assertEqual(self.post(form, [("file", ("scan.pdf", ef.pdf(2000),
                                                    "application/pdf"))]).status, 200)
        r = cf.claim_request(self.client, "DELETE", receipt["reference"], receipt["token"])
        self.assertIn(r.status, (200, 204), r)
        page = self.open(receipt)
        section = page[page.index('id="evidence"'):]
        section = section[:section.index("</section>")]
        self.assertIn("scan.pdf", section)
        self.assertIn("Your claim is withdrawn: its files can no longer change", section)
        self.assertNotIn("reviewed", section)
        self.assertNotIn("you may attach", section)
        self.assertNotIn('id="evidence-form"', section)

    def test_add_list_remove_without_javascript(self):
        receipt = self.claim()
        page = self.open(receipt)
        self.assertRegex(page, r'<form id="evidence-form" method="post" '
                               r'action="/my-claim/evidence\?lang=en" '
                               r'enctype="multipart/form-data"')
        form = ff.form_by_id(page, "evidence-form")
        names = [c["name"] for c in form["controls"]]
        # the claim's fields come before the file: the server admits the file before its bytes
        self.assertLess(names.index("token"), names.index("file"))
        data = ef.pdf(3 * MIB + 12345)  # many reads of the body, chunks across them
        r = self.post(form, [("file", ("relevé.pdf", data, "application/pdf"))])
        self.assertEqual(r.status, 200, r.body[:500])
        text = r.body.decode()
        self.assertIn("The file was attached", text)
        self.assertIn("relevé.pdf", text)
        rows = self.stored(receipt["reference"])
        self.assertEqual([x[1] for x in rows], [hashlib.sha256(data).hexdigest()])
        # back on the claim page, the file is listed with its remove button
        page = self.open(receipt)
        self.assertIn("relevé.pdf", page)
        remove = ff.form_by_id(page, "evidence-remove-0")
        self.assertIn(("remove", rows[0][0]), ff.hidden_fields(remove))
        r = self.post(remove, [])
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("The file was removed", r.body.decode())
        self.assertEqual(self.stored(receipt["reference"]), [])
        # the same button pressed again (a double click, the back button): the file is gone,
        # as asked; the claim's page says so, in its language, not "page not found"
        again = self.post(remove, [])
        self.assertEqual(again.status, 200, again.body[:500])
        self.assertEqual(again.headers.get("Content-Language"), "en")
        self.assertIn("The file was removed", again.body.decode())
        self.assertIn('id="evidence-back"', again.body.decode())
        # with credentials that open no claim, it stays a 404
        forged = dict(remove, controls=[dict(c, value="x" * 43) if c["name"] == "token" else c
                                        for c in remove["controls"]])
        self.assertEqual(self.post(forged, []).status, 404)

    def test_a_long_file_name_in_any_script_is_attached(self):
        """A scan named at length in Korean (3 bytes a letter) is a file all the same: its name
        is kept shortened (docs/evidence.md: 200 bytes), not taken for "no file chosen"."""
        receipt = self.claim()
        form = ff.form_by_id(self.open(receipt), "evidence-form")
        name = "쿠팡 개인정보 유출 피해 증빙 서류 " * 6 + "은행 거래 내역서.pdf"
        self.assertGreater(len(name.encode()), 300)
        data = ef.pdf()
        r = self.post(form, [("file", (name, data, "application/pdf"))])
        self.assertEqual(r.status, 200, r.body[:500])
        text = r.body.decode()
        self.assertIn("The file was attached", text)
        self.assertIn("쿠팡 개인정보 유출 피해 증빙 서류", text)
        self.assertEqual([x[1] for x in self.stored(receipt["reference"])],
                         [hashlib.sha256(data).hexdigest()])

    def test_a_file_over_the_limit_gets_a_page_that_says_so(self):
        """Above --evidence-max-bytes (and the form's framing) the body is read and dropped,
        then refused: the page cannot show the claim, but says what happened and what to do.
        A browser sends the whole body before it reads an answer, as here: refused on its head
        alone, the connection closed on unread bytes was reset, and the browser showed
        "connection reset" instead of this page (docs/decisions.md, "Request bodies")."""
        receipt = self.claim()
        form = ff.form_by_id(self.open(receipt), "evidence-form")
        ctype, body = ef.multipart(ff.hidden_fields(form) +
                                   [("file", ("scan.pdf", ef.pdf(11 * MIB), "application/pdf"))])
        with harness.RawConnection(self.server) as rc:
            rc.send((f"POST {form['action']} HTTP/1.1\r\nHost: {self.server.host}\r\n"
                     f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                     "Accept: text/html\r\nAccept-Language: en\r\n"
                     "Sec-Fetch-Site: same-origin\r\n\r\n").encode() + body)
            r = rc.read_response("POST")
        self.assertEqual(r.status, 413)
        self.assertEqual(r.media_type, "text/html")
        text = r.body.decode()
        self.assertIn("<title>Error: Too large to be received — recours</title>", text)
        self.assertIn("attach a smaller one", text)
        self.assertNotIn("could not be processed", text, "not the page for any refusal")
        # its language switch leads to the claim's page, not to a GET of the post's address (405)
        self.assertIn('<a class="lang-button" href="/my-claim?lang=fr" hreflang="fr"', text)
        # it names the limit (--evidence-max-bytes) as the form does, in either language
        said = {"en": ("PDF, JPEG or PNG, ", " each", "a file may be up to "),
                "fr": ("PDF, JPEG ou PNG, ", " chacun", "un fichier peut faire jusqu'à ")}
        for lang, (before, after, page_says) in said.items():
            with self.subTest(lang=lang):
                r = ff.post_form(self.client, f"/my-claim?lang={lang}",
                                 [("form", "open"), ("lang", lang),
                                  ("reference", receipt["reference"]),
                                  ("token", receipt["token"])])
                form_text = r.body.decode()
                start = form_text.index(before) + len(before)
                limit = form_text[start:form_text.index(after, start)]
                self.assertRegex(limit, "^10\u00a0M[Bo]$", "the default limit, as the form says it")
                if lang == "en":
                    self.assertIn(page_says + limit + ".", text)
                    continue
                # the same page, cheaply: a length past what is drained is refused on the head
                with harness.RawConnection(self.server) as rc:
                    rc.send((f"POST {form['action'].replace('lang=en', 'lang=fr')} HTTP/1.1\r\n"
                             f"Host: {self.server.host}\r\nContent-Type: {ctype}\r\n"
                             f"Content-Length: {100 * MIB}\r\nAccept: text/html\r\n"
                             "Sec-Fetch-Site: same-origin\r\n\r\n").encode())
                    r = rc.read_response("POST")
                self.assertEqual(r.status, 413)
                self.assertIn(page_says + limit + ".", r.body.decode())

    def test_refusals_are_pages(self):
        receipt = self.claim()
        form = ff.form_by_id(self.open(receipt), "evidence-form")
        r = self.post(form, [("file", ("letter.pdf", b"not a pdf at all\n" * 100,
                                       "application/pdf"))])
        self.assertEqual(r.status, 415)
        self.assertIn("is not a PDF, JPEG or PNG", r.body.decode())
        # beside the file input, in both languages: why, and that the file is to be chosen
        # again (no page can keep a file chosen: browsers forbid filling a file input)
        for lang, said in (("en", "choose a file again."),
                           ("fr", "choisissez de nouveau un fichier.")):
            with self.subTest(lang=lang):
                in_lang = dict(form, controls=[dict(c, value=lang) if c["name"] == "lang" else c
                                               for c in form["controls"]])
                r = self.post(in_lang, [("file", ("letter.pdf", b"not a pdf\n",
                                                  "application/pdf"))])
                self.assertEqual(r.status, 415)
                text = r.body.decode()
                self.assertIn("<title>" + ("Error: " if lang == "en" else "Erreur\u00a0: "), text)
                self.assertRegex(text, r'<div class="field has-error" id="evidence-field"')
                field = text[text.index('id="evidence-field"'):text.index('id="evidence-progress"')]
                self.assertRegex(field, '<p class="error-msg" id="evidence-file-error">.*'
                                        + re.escape(said) + "</span></p>")
                self.assertIn('aria-describedby="evidence-file-hint evidence-file-error" '
                              'aria-invalid="true"', field)
        r = self.post(form, [("file", ("", b"", "application/octet-stream"))])
        self.assertEqual(r.status, 422)
        self.assertIn("Choose a file first", r.body.decode())
        self.assertNotIn("choose a file again", r.body.decode(), "none was chosen")
        r = self.post(form, [("file", ("a.pdf", ef.pdf(), "application/pdf"))], site="cross-site")
        self.assertEqual(r.status, 403)
        r = ff.post_form(self.client, form["action"], ff.hidden_fields(form))
        self.assertEqual(r.status, 415)  # urlencoded: no file can come that way
        forged = [(n, "RC-0000-0000" if n == "reference" else v)
                  for n, v in ff.hidden_fields(form)]
        ctype, body = ef.multipart(forged + [("file", ("a.pdf", ef.pdf(), "application/pdf"))])
        r = self.client.request("POST", form["action"], body=body,
                                headers={"Content-Type": ctype, "Accept": "text/html"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.stored(receipt["reference"]), [])

    def test_section_only_for_a_loss_or_a_theft(self):
        page = self.open(self.claim(harms={"documented_loss": 0, "identity_theft": False}))
        self.assertNotIn('id="evidence"', page)
        page = self.open(self.claim(harms={"documented_loss": 0, "identity_theft": True}))
        self.assertIn('id="evidence-form"', page)
        self.assertTrue(re.search(r'<script[^>]+src="/static/evidence.js"', page))

    def test_a_second_file_part_is_ignored_not_appended(self):
        """The form's input takes one file: a post carrying a second file part keeps the first
        file as it was sent, the second one's bytes left out of it (they were stored appended
        to it: another file than the one chosen, under the first one's name)."""
        receipt = self.claim()
        form = ff.form_by_id(self.open(receipt), "evidence-form")
        first, second = ef.pdf(), ef.pdf(900)
        r = self.post(form, [("file", ("first.pdf", first, "application/pdf")),
                             ("file", ("second.pdf", second, "application/pdf"))])
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("first.pdf", r.body.decode())
        self.assertEqual([x[1] for x in self.stored(receipt["reference"])],
                         [hashlib.sha256(first).hexdigest()])


if __name__ == "__main__":
    harness.main()
