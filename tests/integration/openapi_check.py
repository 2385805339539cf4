# SPDX-License-Identifier: AGPL-3.0-or-later
"""Responses checked against api/openapi.json: the request's path is matched to a path
template of the document and its method to an operation; the status must be declared by that
operation (exactly, as a range "4XX", or as "default"), the Content-Type must be one of the
media types declared for that status (no body where none is declared), and a JSON body (each
line of an NDJSON one) must validate against the declared schema (JSON Schema Draft 2020-12,
python3-jsonschema).

harness.Client calls check_response() on every response of every integration test; the
OpenAPI fuzzer (test_openapi_fuzz.py) also uses the document model below to make requests.

What belongs to no operation is only checked to be a problem document with its status: an
unknown path (404), a known path with another method (405; HEAD on a GET marked
"x-recours-no-head", which records what it serves), and the three answers given
before the route is known, which any path may receive (docs/api.md §5, §6; http/server.c,
http/head_checks.c: 400 malformed-request for conflicting framing, 413 payload-too-large,
414 uri-too-long, 431 headers-too-large).
"""

import json
import os
import re
import sys
import urllib.parse

try:
    import jsonschema
except ImportError:  # Debian's python3-jsonschema (scripts/lib/packages.sh, TEST_PACKAGES)
    jsonschema = None

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PROBLEM_BASE = "https://recours.dev/problems/"
PROBLEM_MEDIA = "application/problem+json"
NDJSON_MEDIA = "application/x-ndjson"
# Answered before the route is known (http/head_checks.c): any path may receive them.
BEFORE_ROUTING = {400: "malformed-request", 413: "payload-too-large", 414: "uri-too-long",
                  431: "headers-too-large"}


class OpenApiMismatch(AssertionError):
    """A response the document does not describe."""


def media_type(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_media(media):
    return media == "application/json" or media.endswith("+json")


class Document:
    """api/openapi.json, its operations and self-contained schemas."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.doc = json.load(f)
        self.templates = []  # (regex, template, path item, literal segments), most first
        for template, item in self.doc["paths"].items():
            parts = template.strip("/").split("/") if template != "/" else []
            regex = "^/" + "/".join(
                "([^/]+)" if p.startswith("{") else re.escape(p) for p in parts) + "$"
            literal = sum(1 for p in parts if not p.startswith("{"))
            self.templates.append((re.compile(regex), template, item, literal))
        self.templates.sort(key=lambda t: -t[3])
        self._defs = self._rewrite(self.doc.get("components", {}).get("schemas", {}))
        self._validators = {}

    # --- references ----------------------------------------------------------------------

    def resolve(self, obj):
        """Follows local "$ref"s ("#/components/...") to what they name."""
        while isinstance(obj, dict) and "$ref" in obj:
            target = self.doc
            for part in obj["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            obj = target
        return obj

    @staticmethod
    def _rewrite(node):
        """A copy whose "#/components/schemas/X" references read "#/$defs/X"."""
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "$ref" and isinstance(v, str) and v.startswith("#/components/schemas/"):
                    out[k] = "#/$defs/" + v[len("#/components/schemas/"):]
                else:
                    out[k] = Document._rewrite(v)
            return out
        if isinstance(node, list):
            return [Document._rewrite(v) for v in node]
        return node

    def standalone(self, schema):
        """The schema with every component schema under $defs: no resolver needed."""
        out = self._rewrite(schema)
        if isinstance(out, dict):
            out = dict(out)
            out["$defs"] = self._defs
        return out

    def validator(self, schema):
        key = json.dumps(schema, sort_keys=True)
        v = self._validators.get(key)
        if v is None:
            cls = jsonschema.Draft202012Validator
            v = cls(self.standalone(schema), format_checker=jsonschema.FormatChecker())
            self._validators[key] = v
        return v

    # --- operations ----------------------------------------------------------------------

    def operations(self):
        """(method, template, operation, parameters) of every operation."""
        out = []
        for template, item in self.doc["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    op = item[method]
                    params = [self.resolve(p) for p in
                              item.get("parameters", []) + op.get("parameters", [])]
                    out.append((method, template, op, params))
        return out

    def match(self, method, target):
        """(template, operation) for a request, or None when no operation has it."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(target).path)
        method = method.lower()
        head = method == "head"
        if head:
            method = "get"
        for regex, template, item, _ in self.templates:
            if regex.match(path):
                if method in item and not (head and item[method].get("x-recours-no-head")):
                    return template, item[method]
                return None  # 405: the router's, no operation (a GET that records: no HEAD)
        return None

    def declared_response(self, op, status):
        responses = op.get("responses", {})
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                return key, self.resolve(responses[key])
        return None, None

    # --- the check -----------------------------------------------------------------------

    def mismatches(self, method, target, status, content_type, body):
        """What the document does not describe in this response (empty when it does)."""
        found = self.match(method, target)
        media = media_type(content_type)
        if found is None or self._before_routing(found, status, body):
            if method.lower() == "head":  # a HEAD answer carries no body to check
                return [f"HEAD {target} {status}: a body"] if body else []
            return self._check_unrouted(status, media, body)
        template, op = found
        where = f"{method.upper()} {template} ({op.get('operationId')}) {status}"
        key, resp = self.declared_response(op, status)
        if resp is None:
            return [f"{where}: status {status} not declared "
                    f"(declared: {', '.join(sorted(op.get('responses', {})))})"
                    + self._problem_hint(media, body)]
        content = resp.get("content", {})
        if not content:
            if body:
                return [f"{where}: no content declared, got {media or 'no type'} "
                        f"({len(body)} bytes)"]
            return []
        declared = self._media_match(content, media)
        if declared is None:
            return [f"{where}: media type {media or '(none)'} not declared "
                    f"(declared: {', '.join(content)})"]
        errors = []
        schema = content[declared].get("schema")
        if method.lower() == "head":
            pass
        elif is_json_media(media):
            errors += self._check_json(where, schema, body)
        elif media == NDJSON_MEDIA:  # a stream of rows: the schema is one line's
            for line in body.split(b"\n")[:-1]:
                errors += self._check_json(where, schema, line)
                if errors:
                    break
        if media == PROBLEM_MEDIA and not errors and method.lower() != "head":
            errors += self._check_problem(where, status, body)  # a HEAD answer has no body
        return errors

    @staticmethod
    def _before_routing(found, status, body):
        """Whether this is one of the answers given before the route is known, which the
        operation need not declare."""
        if status not in BEFORE_ROUTING or str(status) in found[1].get("responses", {}):
            return False
        try:
            name = json.loads(body.decode("utf-8")).get("type", "")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return False
        return name == PROBLEM_BASE + BEFORE_ROUTING[status]

    @staticmethod
    def _media_match(content, media):
        for declared in content:
            d = media_type(declared)  # a key may carry parameters ("text/csv; charset=utf-8")
            if d == media or d == "*/*" or (d.endswith("/*") and media.startswith(d[:-1])):
                return declared
        return None

    @staticmethod
    def _problem_hint(media, body):
        if media != PROBLEM_MEDIA:
            return ""
        try:
            return f" [problem {json.loads(body).get('type', '')}]"
        except (ValueError, AttributeError):
            return ""

    def _check_unrouted(self, status, media, body):
        if status < 400:
            return []
        if media != PROBLEM_MEDIA:
            return [f"unrouted {status}: {media or '(none)'} instead of {PROBLEM_MEDIA}"]
        return self._check_problem(f"unrouted {status}", status, body)

    def _check_json(self, where, schema, body):
        try:
            value = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            return [f"{where}: body is not JSON ({e}): {body[:200]!r}"]
        if schema is None or jsonschema is None:
            return []
        errs = sorted(self.validator(schema).iter_errors(value), key=lambda e: list(e.path))
        return [f"{where}: body at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
                for e in errs[:5]]

    @staticmethod
    def _check_problem(where, status, body):
        try:
            doc = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return [f"{where}: problem body is not JSON: {body[:200]!r}"]
        errors = []
        if not isinstance(doc, dict):
            return [f"{where}: problem body is not an object"]
        if doc.get("status") != status:
            errors.append(f"{where}: problem status {doc.get('status')!r} != {status}")
        if not str(doc.get("type", "")).startswith(PROBLEM_BASE):
            errors.append(f"{where}: problem type {doc.get('type')!r} not under {PROBLEM_BASE}")
        return errors


_document = None


def document(source_dir):
    """The document of the repository, parsed once per process."""
    global _document
    if _document is None:
        if jsonschema is None:
            if os.environ.get("CI"):
                raise RuntimeError("openapi_check: python3-jsonschema is not installed")
            print("openapi_check: python3-jsonschema missing, bodies not validated",
                  file=sys.stderr)
        _document = Document(os.path.join(source_dir, "api", "openapi.json"))
    return _document


def check_response(source_dir, method, target, response):
    """Raises OpenApiMismatch when api/openapi.json does not describe the response."""
    if os.environ.get("RECOURS_OPENAPI_CHECK", "1") == "0":
        return
    errors = document(source_dir).mismatches(method, target, response.status,
                                             response.headers.get("Content-Type", ""),
                                             response.body)
    if errors:
        raise OpenApiMismatch("response not described by api/openapi.json:\n  "
                              + "\n  ".join(errors))


__all__ = ["Document", "OpenApiMismatch", "check_response", "document"]
