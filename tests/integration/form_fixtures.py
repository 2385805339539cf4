# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the tests of the server-rendered forms share: reading a page's forms (their controls,
hidden ones included, as a browser would send them) and posting one as a browser does
(application/x-www-form-urlencoded, Sec-Fetch-Site)."""

import html.parser
import urllib.parse

FORM_TYPE = "application/x-www-form-urlencoded"


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, method and the controls a submission would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"id": a.get("id"), "action": a.get("action"),
                          "method": (a.get("method") or "get").lower(), "controls": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["controls"].append({"tag": "input", "type": a.get("type", "text"),
                                           "name": a.get("name"), "id": a.get("id"),
                                           "value": a.get("value", ""),
                                           "checked": "checked" in a})
        elif tag == "select":
            self._select = {"tag": "select", "name": a.get("name"), "id": a.get("id"),
                            "value": None, "first": None}
            self._form["controls"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = a.get("value")
            if "selected" in a:
                self._select["value"] = a.get("value")
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "name": a.get("name"), "id": a.get("id"),
                              "value": ""}
            self._form["controls"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def forms_of(page_text):
    p = FormParser()
    p.feed(page_text)
    return p.forms


def form_by_id(page_text, form_id):
    for f in forms_of(page_text):
        if f["id"] == form_id:
            return f
    raise AssertionError(f"no form {form_id} in the page")


def hidden_fields(form):
    return [(c["name"], c["value"]) for c in form["controls"]
            if c["tag"] == "input" and c["type"] == "hidden" and c["name"]]


def control_names(form):
    return {c["name"] for c in form["controls"] if c.get("name")}


def encode(pairs):
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote_plus)


def post_form(client, action, pairs, site="same-origin", headers=None):
    """POSTs pairs to action as a browser does; site: the Sec-Fetch-Site value (None: no
    header)."""
    hdrs = {"Content-Type": FORM_TYPE, "Accept": "text/html"}
    if site is not None:
        hdrs["Sec-Fetch-Site"] = site
    hdrs.update(headers or {})
    return client.request("POST", action, body=encode(pairs), headers=hdrs)
