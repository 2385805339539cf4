#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The server-rendered public pages (api/web/, handlers/page_*.c), read as curl reads them:
no JavaScript, so every fact must be in the HTML the server sends.

  - the catalogue the scripts load, /i18n/<lang>.json: the file of web/i18n byte for byte,
    same keys in both languages, ETag and 304 on If-None-Match, other names 404;
  - errors: a browser (Accept: text/html preferred) gets an HTML page in its language for an
    unknown path, a 405 (with Allow) and a page's 404; an API client (application/json, */*,
    no Accept) keeps problem+json; a path with markup is shown escaped;
"""

import json
import os
import re
import unittest

import claims_fixtures as cf
import harness
from harness import Client

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def web_dir():
    return os.path.join(harness.source_dir(), "web")


def text_of(html):
    """The page's text with tags dropped and spaces (narrow, no-break) made plain."""
    t = re.sub(r"<[^>]+>", " ", html)
    t = t.replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", t)


class PublicPagesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def get(self, path, headers=None, check_openapi=True):
        with Client(self.server, check_openapi=check_openapi) as c:
            return c.request("GET", path, headers=headers)

    def browser_get(self, path, lang=None, method="GET"):
        """As a browser asks (the HTML error pages are not API answers: not checked against
        api/openapi.json)."""
        headers = {"Accept": BROWSER_ACCEPT}
        if lang:
            headers["Accept-Language"] = lang
        with Client(self.server, check_openapi=False) as c:
            return c.request(method, path, headers=headers)

    # --- the catalogue ------------------------------------------------------------------

    def test_catalogue_is_the_file_with_validators(self):
        keys = {}
        for lang in ("fr", "en"):
            with self.subTest(lang=lang):
                r = self.get(f"/i18n/{lang}.json")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.media_type, "application/json")
                with open(os.path.join(web_dir(), "i18n", lang + ".json"), "rb") as f:
                    self.assertEqual(r.body, f.read())
                keys[lang] = set(r.json())
                etag = r.headers.get("ETag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
                self.assertIn("max-age=", r.headers.get("Cache-Control", ""))
                again = self.get(f"/i18n/{lang}.json", headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304, again)
                self.assertEqual(again.body, b"")
                self.assertEqual(again.headers.get("ETag"), etag)
        self.assertEqual(keys["fr"], keys["en"])
        self.assertGreater(len(keys["fr"]), 400)
        for name in ("de.json", "fr.js", "FR.json", "fr.json.bak", "xx.json"):
            with self.subTest(name=name):
                harness.assert_problem(self, self.get("/i18n/" + name), 404, "not-found")

    # --- errors for browsers and for API clients ----------------------------------------

    def test_unknown_path_is_a_page_for_a_browser(self):
        r = self.browser_get("/no/such/page")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.media_type, "text/html")
        body = r.body.decode("utf-8")
        self.assertIn('<html lang="fr">', body)
        self.assertIn("Page introuvable", body)
        self.assertIn('href="/"', body)
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        en = self.browser_get("/no/such/page", lang="en-GB,en;q=0.9")
        self.assertEqual(en.status, 404)
        self.assertIn('<html lang="en">', en.body.decode("utf-8"))
        self.assertIn("Page not found", en.body.decode("utf-8"))
        with Client(self.server, check_openapi=False) as c:
            cookie = c.request("GET", "/no/such/page",
                               headers={"Accept": BROWSER_ACCEPT, "Cookie": "lang=en"})
        self.assertIn("Page not found", cookie.body.decode("utf-8"))

    def test_unknown_path_stays_problem_json_for_api_clients(self):
        for accept in (None, "*/*", "application/json", "application/problem+json",
                       "application/json, text/html;q=0.5", "text/html;q=0.5, */*"):
            with self.subTest(accept=accept):
                headers = {"Accept": accept} if accept is not None else {}
                r = self.get("/no/such/page", headers=headers)
                harness.assert_problem(self, r, 404, "not-found")

    def test_method_not_allowed_page_keeps_allow(self):
        r = self.browser_get("/healthz", method="DELETE")
        self.assertEqual(r.status, 405, r)
        self.assertEqual(r.media_type, "text/html")
        self.assertEqual(r.headers.get("Allow"), "GET, HEAD")
        with Client(self.server) as c:
            api = c.request("DELETE", "/healthz")
        harness.assert_problem(self, api, 405, "method-not-allowed")
        self.assertEqual(api.headers.get("Allow"), "GET, HEAD")

    def test_error_page_escapes_the_path(self):
        r = self.browser_get("/%3Cscript%3Ealert(1)%3C/script%3E%22'")
        self.assertEqual(r.status, 404, r)
        body = r.body.decode("utf-8")
        self.assertNotIn("<script>", body)
        self.assertNotIn("alert(1)<", body)
        # the language switch links back to the path, URL-encoded
        self.assertIn("/%3Cscript%3Ealert%281%29%3C/script%3E%22%27?lang=en", body)


if __name__ == "__main__":
    harness.main()
