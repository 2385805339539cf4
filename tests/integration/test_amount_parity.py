#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The claim form's amount means the same with JavaScript and without (docs/web-forms.md,
"Amounts as typed"): each amount of the table is given to the script's reader
(web/static/common.js readTypedAmount) under Node.js and posted as a correction of one claim
on the server's page /my-claim (api/domain/amount_typed.c), in French and in English, on
incidents in euros, won (no decimals), Kuwaiti dinars (three) and US dollars. The server
saves the amount the script reads, or refuses it with the words the script would say beside
the field (another currency's, not an amount, out of range). Also checks that the script's
currency table (web/static/currencies.js) is what scripts/gen/currencies.py writes from the
server's (api/domain/currency.c), and that common.js keeps no copy of its own."""

import json
import os
import re
import unittest

import claims_fixtures as cf
import form_fixtures as ff
import harness
import page_scripts
from harness import Client

# Every text of tests/unit/test_amount_typed.c, then what a person may also type: a tab, a
# code in lower case, other signs, grouping marks mixed with blanks, the largest loss and more.
TEXTS = [
    "50 €", "50,00 €", "1 234,56", "1\u202f234,56\u00a0EUR", "1 234,56 EUR", "1.234,56", "€50",
    "€ 50", "1,234.56", "50 euros", "50eur", "1.234.567,89", "1,234,567", "1.234", "1,234",
    "120,5", "120.50", "50,000", "₩50,000", "50000 원", "50,5", "$50", "50 USD", "£50", "US$50",
    "€", "-50", "50 abc", "€50 €", "50 € 50", "12,34,567", "1.234,5.6", "1,23,4.5", ",5", "5,",
    "1 234.567,89", "50 XYZ",
    "\t50\t", " 1 234 ", "50 eUr", "50 krw", "₩ 50", "¥50", "₹50", "50 XAU", "1 234.5",
    "1,234.567", "0,001", "100000000,00", "100000000,01", "99999999999999999", "1\u00a0234",
]
LANGS = {"fr": ",", "en": "."}
CURRENCIES = ["EUR", "KRW", "KWD", "USD"]
LOSS_MAX = 10_000_000_000  # the API's largest documented loss, in minor units


def catalogue(lang):
    with open(os.path.join(harness.source_dir(), "web", "i18n", f"{lang}.json"),
              encoding="utf-8") as f:
        return json.load(f)


def said(template, currency):
    """A pattern of a message as the page says it: {currency} filled in, {example} and {max}
    (the page's notation of a number) any text."""
    parts = re.split(r"(\{currency\}|\{example\}|\{max\})", template)
    return "".join(re.escape(currency) if p == "{currency}" else ".+" if p.startswith("{")
                   else re.escape(p) for p in parts)


def beside_loss(page):
    """The text of the messages beside the loss field of a page, or None."""
    m = re.search(r'<p class="error-msg" id="documented_loss-error">(.*?)</p>', page, re.S)
    if m is None:
        return None
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", m.group(1))
    return re.sub(r"<[^>]+>", "", text).replace("&#36;", "$").strip()


class AmountParity(unittest.TestCase):
    def test_the_scripts_currencies_are_generated_from_the_servers(self):
        committed = page_scripts.assert_generated(self, "currencies.py", "currency.c",
                                                  "currencies.js")
        self.assertGreater(committed.count(": "), 100, "the table was read")
        with open(os.path.join(harness.source_dir(), "web", "static", "common.js"),
                  encoding="utf-8") as f:
            self.assertIsNone(re.search(r"(\b[A-Z]{3}: [0-9],\s*){3}", f.read()),
                              "a copy of the table")

    def test_page_and_server_agree(self):
        cases = [(text, mark, currency) for currency in CURRENCIES for mark in LANGS.values()
                 for text in TEXTS]
        page = dict(zip(cases, page_scripts.call(self, "common.js", "readTypedAmount", cases)))
        server = cf.start_server(self)
        with Client(server) as c:
            for currency in CURRENCIES:
                slug = cf.make_incident(server, currency=currency)
                claim = cf.submit_ok(self, c, slug, cf.claim_body())
                for lang, mark in LANGS.items():
                    with self.subTest(currency=currency, lang=lang):
                        self.agree(c, claim, lang, currency,
                                   {text: page[(text, mark, currency)] for text in TEXTS})

    def agree(self, c, claim, lang, currency, page):
        """Each text of page (text: the script's reading) as a correction of claim on the
        server's page in lang."""
        messages = catalogue(lang)
        opened = ff.post_form(c, f"/my-claim?lang={lang}", [
            ("form", "open"), ("lang", lang), ("reference", claim["reference"]),
            ("token", claim["token"])])
        self.assertEqual(opened.status, 200, opened)
        form = ff.form_by_id(opened.body.decode(), "claim-form")
        pairs = [(x["name"], x["value"]) for x in form["controls"]
                 if x["name"] and x["name"] != "harms.documented_loss"
                 and (x.get("type") not in ("checkbox", "radio") or x["checked"])
                 and x["tag"] != "select"] + [("claimant.address.country", "FR")]
        for text, read in page.items():
            if text == "":
                continue  # the form leaves an empty control out: no amount, nothing checked
            r = ff.post_form(c, f"/my-claim?lang={lang}",
                             pairs + [("harms.documented_loss", text)])
            where = f"{text!r} in {lang}, {currency}: the script read {read}"
            if "minor" in read and read["minor"] <= LOSS_MAX:
                self.assertEqual(r.status, 200, f"{where}, the server refused it")
                view = cf.claim_request(c, "GET", claim["reference"], claim["token"]).json()
                self.assertEqual(view["harms"]["documented_loss"], read["minor"], where)
                continue
            self.assertEqual(r.status, 422, f"{where}, the server took it")
            code = "out-of-range" if "minor" in read else read["error"]
            message = messages[f"err.harms.documented_loss.{code}"]
            shown = beside_loss(r.body.decode())
            self.assertIsNotNone(shown, where)
            self.assertRegex(shown, "^" + said(message, currency) + "$", where)


if __name__ == "__main__":
    harness.main()
