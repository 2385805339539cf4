#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The web pages (web/, docs/api.md §1.7): what the server sends, what the pages are made of, and a
claimant's journey through them in a real browser.

  - every page answers 200 text/html with the page headers: Content-Security-Policy (self only,
    no inline script or style, frame-ancestors 'none'), Referrer-Policy no-referrer, nosniff,
    HSTS; every page loads its script as a module from /static/ and holds no inline script, no
    style element or attribute, no event-handler attribute, no external resource, and no text
    outside the dictionary (web/i18n/<lang>.json), whose French and English keys are the same
    and cover every key the pages and scripts name;
  - every asset of web/static answers 200 with its media type; names outside the static
    directory's alphabet, hidden files and traversal attempts answer 404;
  - the claimant's journey is tests/integration/test_victim_journey.py (server-rendered pages);
  - tests/browser/dashboard_flow.mjs: an association's key (wrong, revoked, right, revoked
    while in use), an action opened through the page (a server validation error first), its
    mandated claims added by filter and by references, its totals, the CSV (";") export saved
    and checked byte for byte against the export record, the members filtered and three
    verified in bulk (the page's counts and summary follow), one rejected (its email reaches
    a real SMTP server, smtp_fixture.py, with the reason in the claimant's language), every
    chart's figures equal to the API's (the award distribution included), axe on every tab
    (laptop in English, phone in French), a status move, and the public record edited (one
    PATCH, a new mandate version with its English text, a dated step; /a/{id} shows them);
    afterwards the claims are members of that action and the export record is the one the page
    showed.

The browser part is skipped only where Chromium or Node.js is missing outside CI; under CI
(CI set, as .ci/run does) a missing browser fails the test. It installs the npm packages of
tests/browser (npm ci, from its package-lock.json) when they are missing. Screenshots are
taken only when $RECOURS_WEB_SCREENSHOTS is set, and kept there (the pages' widths are checked
either way)."""

import glob
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import browser_fixtures as bf
import claims_fixtures as cf
import harness
import mail_fixtures as mf
from harness import Client
from smtp_fixture import SmtpFixture

# the static pages of web/ (the home page and the public pages are rendered by the server:
# test_public_pages.py; /claim and /my-claim: test_claim_form.py, test_my_claim_page.py)
PAGES = {"/dashboard": "dashboard"}
MEDIA = {".html": "text/html", ".css": "text/css", ".js": "text/javascript",
         ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json",
         ".ico": "image/x-icon", ".txt": "text/plain"}
BROWSER_TIMEOUT_S = 600
# Text allowed outside the dictionary: the product's name.
LITERAL_TEXT = {"recours"}


def web_dir():
    return os.path.join(harness.source_dir(), "web")


class PageParser(html.parser.HTMLParser):
    """Collects what the page checks look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []          # attribute dicts of <script>
        self.inline_script = []    # text inside <script>
        self.style_elements = 0
        self.style_attributes = []
        self.handlers = []         # on* attributes
        self.urls = []             # src/href/action values
        self.i18n_keys = set()
        self.loose_text = []       # text outside the dictionary
        self.default_text = []     # (key, text) inside an element marked data-i18n="key"
        self.ids = []
        self._stack = []
        self._keys = []            # the data-i18n key of each element of _stack, or None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self._stack.append(tag)
            self._keys.append(a.get("data-i18n"))
        if tag == "script":
            self.scripts.append(a)
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name == "style":
                self.style_attributes.append((tag, value))
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("src", "href", "action") and value is not None:
                self.urls.append(value)
            if name == "id":
                self.ids.append(value)
        if "data-i18n" in a:
            self.i18n_keys.add(a["data-i18n"])
        for pair in (a.get("data-i18n-attr") or "").split(";"):
            if ":" in pair:
                self.i18n_keys.add(pair.split(":", 1)[1].strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
            self._keys.pop()

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack:
                self._keys.pop()
                if self._stack.pop() == tag:
                    break

    def handle_data(self, data):
        text = data.strip()
        if not text:
            return
        if self._stack and self._stack[-1] == "script":
            self.inline_script.append(text)
        elif self._keys and self._keys[-1] is not None:
            self.default_text.append((self._keys[-1], text))
        elif "noscript" not in self._stack and text not in LITERAL_TEXT:
            self.loose_text.append(text)


class ShownWithoutScript(html.parser.HTMLParser):
    """The elements a browser without JavaScript shows (none under a `hidden` one): tags, as
    (tag, "main" or "page"), and links, as (tag, href)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self._stack = []  # (tag, hidden)
        self.tags = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = any(h for _, h in self._stack) or "hidden" in a
        if not hidden:
            inside_main = any(t == "main" for t, _ in self._stack)
            self.tags.append((tag, "main" if inside_main else "page"))
            if tag == "a" and a.get("href"):
                self.links.append((tag, a["href"]))
        if tag not in self.VOID:
            self._stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop()[0] != tag:
            pass


def dictionary_texts(lang):
    """The catalogue web/i18n/<lang>.json (shared by the server-rendered pages and the
    scripts): {key: text}."""
    with open(os.path.join(web_dir(), "i18n", lang + ".json"), encoding="utf-8") as f:
        return json.load(f)


def dictionary():
    """The keys of each language of the catalogue: {"en": set, "fr": set}."""
    return {lang: set(dictionary_texts(lang)) for lang in ("en", "fr")}


class WebPagesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = cf.start_server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def get(self, path):
        with Client(self.server) as c:
            return c.request("GET", path)

    def test_pages_answer_with_the_page_headers(self):
        for path in PAGES:
            with self.subTest(page=path):
                r = self.get(path)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.media_type, "text/html")
                self.assertIn("charset=utf-8", r.content_type.lower())
                csp = r.headers.get("Content-Security-Policy", "")
                directives = {d.strip().split(" ", 1)[0]: d.strip()
                              for d in csp.split(";") if d.strip()}
                self.assertEqual(directives.get("default-src"), "default-src 'self'", csp)
                self.assertEqual(directives.get("script-src"), "script-src 'self'", csp)
                self.assertEqual(directives.get("style-src"), "style-src 'self'", csp)
                self.assertEqual(directives.get("frame-ancestors"), "frame-ancestors 'none'", csp)
                self.assertNotIn("unsafe", csp)
                self.assertEqual(r.headers.get("Referrer-Policy"), "no-referrer")
                self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
                self.assertEqual(r.headers.get("Strict-Transport-Security"), "max-age=31536000")

    def test_pages_have_no_inline_code_nor_loose_text(self):
        keys = dictionary()
        for path, name in PAGES.items():
            with self.subTest(page=path):
                p = PageParser()
                p.feed(self.get(path).body.decode("utf-8"))
                p.close()
                self.assertEqual(p.inline_script, [], "inline script")
                self.assertEqual(p.style_elements, 0, "<style> element")
                self.assertEqual(p.style_attributes, [], "style= attribute")
                self.assertEqual(p.handlers, [], "event-handler attribute")
                self.assertEqual(len(p.ids), len(set(p.ids)), f"repeated ids in {p.ids}")
                self.assertTrue(p.scripts, "a page script")
                for s in p.scripts:
                    self.assertEqual(s.get("type"), "module", s)
                    self.assertEqual(s.get("src"), f"/static/{name}.js", s)
                for url in p.urls:
                    self.assertFalse(re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", url, re.I),
                                     f"external or scheme URL {url!r}")
                self.assertEqual(p.loose_text, [], "text outside the dictionary")
                self.assertEqual(p.i18n_keys - keys["en"], set(), "keys missing in English")
                # the text a page holds before its script runs (headings, options, its noscript
                # note) is its key's string in the language the server wrote it in (no
                # Accept-Language here: French, the site's default)
                french = dictionary_texts("fr")
                self.assertEqual([(k, v) for k, v in p.default_text if french.get(k) != v], [],
                                 "default text other than the French string of its key")

    def test_dictionary_is_complete(self):
        keys = dictionary()
        self.assertEqual(set(keys), {"en", "fr"})
        self.assertGreater(len(keys["en"]), 100)
        self.assertEqual(keys["en"] - keys["fr"], set(), "keys missing in French")
        self.assertEqual(keys["fr"] - keys["en"], set(), "keys missing in English")
        # every literal key the scripts ask for exists
        used = set()
        for path in glob.glob(os.path.join(web_dir(), "static", "*.js")):
            with open(path, encoding="utf-8") as f:
                source = f.read()
            # whole literal keys only: t("a.b") or t("a.b", …), {key: "a.b", …}
            used |= set(re.findall(r'\bt\(\s*"([a-z0-9_-]+\.[a-z0-9_.-]+)"\s*[,)]', source))
            used |= set(re.findall(r'\bkey:\s*"([a-z0-9_-]+\.[a-z0-9_.-]+)"\s*[,}]', source))
        self.assertEqual(used - keys["en"], set(), "keys used by the scripts but not defined")
        for vocab, prefix in ((["received", "verified", "rejected", "withdrawn"], "status."),
                              (["voucher", "cash"], "pay."),
                              (["name", "email", "phone", "postal_address", "birth_date",
                                "password", "financial", "national_id", "health",
                                "order_history", "location", "biometric"], "cat.")):
            for v in vocab:
                self.assertIn(prefix + v, keys["en"])

    def test_the_dashboards_language_sticks_to_the_next_page(self):
        """/dashboard?lang=en (a static page) sets the language cookie as the rendered pages'
        ?lang= does (page_reply), so that the next page the server renders is in English
        whatever the browser prefers; a ?lang= outside fr and en is 400, as there; without
        ?lang= no cookie is set (the switch's or the browser's choice stands)."""
        with Client(self.server) as c:
            for lang, other in (("en", "fr"), ("fr", "en")):
                with self.subTest(lang=lang):
                    r = c.request("GET", f"/dashboard?lang={lang}",
                                  headers={"Accept-Language": other})
                    self.assertEqual(r.status, 200, r)
                    cookie = r.headers.get("Set-Cookie", "")
                    self.assertEqual(cookie.split(";")[0], f"lang={lang}", r.headers)
                    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
                    self.assertLessEqual({"path", "max-age", "samesite", "secure"}, attrs)
                    nxt = c.request("GET", "/my-claim", headers={
                        "Accept": "text/html", "Accept-Language": other,
                        "Cookie": cookie.split(";")[0]})
                    self.assertEqual(nxt.status, 200, nxt)
                    self.assertEqual(nxt.headers.get("Content-Language"), lang)
                    self.assertIn(f'<html lang="{lang}">', nxt.body.decode("utf-8"))
            r = c.request("GET", "/dashboard", headers={"Accept-Language": "en"})
            self.assertEqual(r.status, 200, r)
            self.assertIsNone(r.headers.get("Set-Cookie"))
            harness.assert_problem(self, c.request("GET", "/dashboard?lang=de"), 400,
                                   "invalid-parameter")

    def test_the_dashboard_arrives_in_the_readers_language(self):
        """/dashboard is written by the server in the language its rendered pages would choose
        (?lang=, the cookie, Accept-Language, else French): <html lang>, Content-Language, and
        every text its script fills (title, headings, the noscript note, an aria-label), so a
        French association sees no English before the script runs and a reader without
        JavaScript reads their language. The answer varies with those headers and is not
        stored."""
        texts = {lang: dictionary_texts(lang) for lang in ("en", "fr")}
        cases = (("fr", "", {"Accept-Language": "fr-FR,fr;q=0.9"}),
                 ("en", "", {"Accept-Language": "en-GB,en;q=0.8"}),
                 ("fr", "", {"Accept-Language": "de"}),
                 ("en", "", {"Accept-Language": "fr", "Cookie": "lang=en"}),
                 ("fr", "?lang=fr", {"Accept-Language": "en", "Cookie": "lang=en"}))
        with Client(self.server) as c:
            for lang, query, headers in cases:
                with self.subTest(lang=lang, query=query, headers=headers):
                    r = c.request("GET", "/dashboard" + query, headers=headers)
                    self.assertEqual(r.status, 200, r)
                    page = r.body.decode("utf-8")
                    self.assertIn(f'<html lang="{lang}">', page)
                    self.assertEqual(r.headers.get("Content-Language"), lang)
                    vary = {v.strip().lower() for h in r.headers.get_all("Vary")
                            for v in h.split(",")}
                    self.assertLessEqual({"accept-language", "cookie"}, vary, vary)
                    self.assertEqual(r.headers.get("Cache-Control"), "no-store")
                    t = texts[lang]
                    for key in ("title.dashboard", "dash.intro", "dash.key_h2", "dash.needs_js"):
                        self.assertIn(f'data-i18n="{key}">{html.escape(t[key], quote=False)}<',
                                      page, key)
                    self.assertIn(f'aria-label="{html.escape(t["nav.label"])}"', page)
                    other = texts["en" if lang == "fr" else "fr"]["dash.key_h2"]
                    self.assertNotIn(f">{html.escape(other, quote=False)}<", page)

    def test_the_review_note_says_the_claimant_reads_it(self):
        """The review's note is the claimant's to read (/my-claim shows it, docs/workspace.md
        "Review"): the dashboard's field says so, in its label and in a hint the field is
        described by, in both languages."""
        page = self.get("/dashboard").body.decode("utf-8")
        field = re.search(r'<input id="ml-note"[^>]*>', page)
        self.assertIsNotNone(field, "the review's note field")
        described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
        self.assertIsNotNone(described, "the note field is described by a hint")
        hint = re.search(r'<p class="hint" id="' + re.escape(described.group(1))
                         + r'" data-i18n="([^"]+)">', page)
        self.assertIsNotNone(hint, "the hint the field names")
        texts = {lang: dictionary_texts(lang) for lang in ("en", "fr")}
        for lang, reader, page_name in (("en", "claimant", "My claim"),
                                        ("fr", "demandeur", "Ma réclamation")):
            with self.subTest(lang=lang):
                self.assertIn(reader, texts[lang]["ws.f.note"])
                self.assertIn(page_name, texts[lang][hint.group(1)])
                self.assertEqual(texts[lang]["nav.my_claim"], page_name)

    def test_the_dashboard_offers_no_key_form_without_javascript(self):
        """The dashboard works only with JavaScript (its noscript note says so): the key's form
        is hidden in the page itself and shown by the script, so a browser without it is not
        offered a form whose post to /dashboard would answer 405."""
        page = self.get("/dashboard").body.decode("utf-8")
        panel = re.search(r'<section id="key-panel"[^>]*>', page)
        self.assertIsNotNone(panel, "the key's panel")
        self.assertIn(" hidden", panel.group(0))
        self.assertIn("<noscript>", page)
        with open(os.path.join(web_dir(), "static", "dashboard.js"), encoding="utf-8") as f:
            self.assertIn('$("key-panel").hidden = false', f.read())

    def test_the_dashboard_without_javascript_is_its_note_and_the_way_out(self):
        """Without JavaScript the dashboard cannot work (its noscript note says so): the page
        then shows no empty heading, list or form, only its heading and intro, the note and
        the site's links to the public pages and its language switch, in each language."""
        for lang in ("fr", "en"):
            with self.subTest(lang=lang):
                page = self.get(f"/dashboard?lang={lang}").body.decode("utf-8")
                shown = ShownWithoutScript()
                shown.feed(page)
                main = [tag for tag, where in shown.tags if where == "main"]
                self.assertNotIn("h2", main, "a section shown without JavaScript")
                for tag in ("form", "table", "button", "input", "select", "section"):
                    self.assertNotIn(tag, main, f"a {tag} shown without JavaScript")
                self.assertIn("noscript", main, "the note saying why")
                texts = dictionary_texts(lang)
                self.assertIn(texts["dash.needs_js"], html.unescape(page))
                # whom the page is for comes first (a victim may land here), then the note
                self.assertLess(html.unescape(page).index(texts["dash.intro"]),
                                html.unescape(page).index(texts["dash.needs_js"]),
                                "the intro before the note")
                links = [href for tag, href in shown.links]
                for path in ("/", "/my-claim"):
                    self.assertIn(path, links, "the way to the public pages")
                for other in ("fr", "en"):  # the switch's buttons are the script's
                    self.assertIn(f"/dashboard?lang={other}", links, "the language switch")
        with open(os.path.join(web_dir(), "static", "dashboard.js"), encoding="utf-8") as f:
            self.assertIn('$("incidents-panel").hidden = false', f.read())

    def test_static_assets_answer_with_their_media_type(self):
        names = sorted(os.listdir(os.path.join(web_dir(), "static")))
        self.assertIn("style.css", names)
        self.assertIn("i18n.js", names)
        for name in names:
            with self.subTest(asset=name):
                r = self.get("/static/" + name)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.media_type, MEDIA[os.path.splitext(name)[1]])
                self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
                with open(os.path.join(web_dir(), "static", name), "rb") as f:
                    self.assertEqual(r.body, f.read())
        # every module a script imports is there
        for name in names:
            if not name.endswith(".js"):
                continue
            with open(os.path.join(web_dir(), "static", name), encoding="utf-8") as f:
                for target in re.findall(r'from\s+"\./([^"]+)"', f.read()):
                    self.assertIn(target, names, f"{name} imports {target}")

    def test_outside_the_static_directory_is_not_found(self):
        for path in ("/static/../x", "/static/../index.html", "/static/.hidden",
                     "/static/.htaccess", "/static/%2e%2e%2findex.html",
                     "/static/..%2fclaim.html",
                     "/static/missing.js", "/static/style.exe", "/static/",
                     "/static/sub/style.css", "/index.html", "/claim.html", "/web/index.html"):
            with self.subTest(path=path):
                r = self.get(path)
                harness.assert_problem(self, r, 404, "not-found")

    def test_browser_dashboard_flow(self):
        """tests/browser/dashboard_flow.mjs: an association opens an action through the page,
        adds its mandated claims, reads the totals and exports them for counsel; afterwards
        the claims are members of that action and the export record the page showed is the
        server's."""
        node = bf.prerequisites(self)
        bdir = bf.browser_dir()
        # a server of its own that delivers to a real SMTP server (the rejection's email), on a
        # database of its own: the class server (no relay: it writes .eml files) delivers the
        # outbox of the database it serves too, and would take the rejection whenever its
        # sender polls before this server's (seen under load in full runs)
        relay = SmtpFixture().start()
        self.addCleanup(relay.close)
        url = cf.new_database("dashflow_", self.addCleanup, migrated=True)
        s = cf.start_server(self, ["--smtp-url", relay.url, "--mail-retry-base", "1"],
                            database_url=url)
        # a breach of half a billion people: the take-up chart's projection runs into the
        # hundreds of billions, the widest figure a summary shows (on a phone too)
        slug = cf.make_incident(s, slug="0dash-" + cf.suffix(12), affected_count=500000000)
        r = cf.operator_request(s, "PUT", f"/v1/incidents/{slug}/scheme", DASHBOARD_SCHEME)
        self.assertEqual(r.status, 200, r)
        # a breach that exposed no password: the simulate tab offers no supplement for one
        # (its own scheme's supplement for another category is kept as it is)
        no_passwords = cf.make_incident(s, slug="0dash-nopw-" + cf.suffix(8),
                                        data_categories=["name", "email", "phone"])
        r = cf.operator_request(s, "PUT", f"/v1/incidents/{no_passwords}/scheme",
                                {**DASHBOARD_SCHEME, "category_supplements": {"phone": 700},
                                 "vouchers": []})
        self.assertEqual(r.status, 200, r)
        assoc = af.approved_association(s)
        spare = af.issue_key(s, assoc.id, label="revoked")
        af.revoke_key(s, spare["id"])
        seed = af.open_action(assoc, slug)
        free_claims = [af.mandated_free_claim(s, slug, assoc, seed) for _ in range(3)]
        free = [c["reference"] for c in free_claims]
        inside = af.mandated_claim(s, slug, seed)["reference"]
        unmandated = af.plain_claim(s, slug)["reference"]
        # award of cf.claim_body(): base 3000 + password 1000 + loss 12000 + 3 h × 2500
        total = 3 * 23500
        setup = {
            "slug": slug, "no_passwords": no_passwords, "key": assoc.key, "key_id": assoc.key_id,
            "revoked_key": spare["secret"], "operator_key": s.operator_key,
            "seed_action": seed["id"], "free": free, "inside": inside,
            "unmandated": unmandated,
            "association_name": assoc.obj["name"],
            "mandate_text": "Je donne mandat à l'association de me représenter.\n\n"
                            "Article 2 : elle agit devant la juridiction compétente.",
            "mandate_text_version": "2026-03-a",
            "expected_total_en": f"€{total // 100}.{total % 100:02d}",
            "expected_total_fr": f"{total // 100},{total % 100:02d} €",
        }
        keep = os.environ.get("RECOURS_WEB_SCREENSHOTS")
        shots = keep or tempfile.mkdtemp(prefix="recours-web-shots-")
        fd, setup_path = tempfile.mkstemp(prefix="recours-dashboard-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(setup, f)
            run = subprocess.run([node, os.path.join(bdir, "dashboard_flow.mjs"), s.url,
                                  setup_path, shots], cwd=bdir, capture_output=True, text=True,
                                 timeout=BROWSER_TIMEOUT_S)
        finally:
            os.unlink(setup_path)
        if run.returncode != 0:
            self.fail(f"dashboard_flow.mjs exited with {run.returncode} (screenshots, if "
                      f"RECOURS_WEB_SCREENSHOTS is set, in {shots}):\n{run.stdout}\n{run.stderr}")
        if not keep:
            shutil.rmtree(shots, ignore_errors=True)
        result = json.loads(run.stdout.strip().splitlines()[-1])

        self.assertEqual(af.memberships_of_claims(free + [inside, unmandated], url=url),
                         {**{ref: result["action_id"] for ref in free}, inside: seed["id"]})
        # the member rejected on the page was told why, by email at the SMTP server, in its
        # language (French)
        to = free_claims[0]["body"]["claimant"]["email"]

        def rejection_told():
            for received in relay.messages(to):
                msg = mf.parse(received.data)
                if "n'a pas été retenue" in str(msg["Subject"]) and free[0] in str(msg["Subject"]):
                    return msg
            return None
        msg = harness.poll(rejection_told, 60, what="the rejection email of the member")
        self.assertIn("en dehors de la période de l'incident", mf.text_of(msg))
        # one rejection, once; the two members verified on the page are told nothing of it
        self.assertEqual(sum("n'a pas été retenue" in str(mf.parse(m.data)["Subject"])
                             for m in relay.messages()), 1)
        r = cf.operator_request(s, "GET", f"/v1/exports/{result['export_id']}")
        self.assertEqual(r.status, 200, r)
        record = r.json()
        self.assertEqual((record["action_id"], record["format"], record["separator"],
                          record["rows"], record["status"], record["sha256"]),
                         (result["action_id"], "csv", ";", len(free), "complete",
                          result["sha256"]))
        bf.assert_no_libmicrohttpd_warnings(self, s)


# The scheme of the dashboard's incident (docs/api.md §11.1): EUR, no cap, no vouchers.
DASHBOARD_SCHEME = {
    "currency": "EUR", "base_amount": 3000, "category_supplements": {"password": 1000},
    "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
    "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": None,
    # two vouchers making up the base amount, as the presets' (the simulate tab keeps them)
    "vouchers": [{"name": "Boutique", "amount": 1000}, {"name": "Voyages", "amount": 2000}],
    "cash_alternative_ratio": None,
}


if __name__ == "__main__":
    harness.main()
