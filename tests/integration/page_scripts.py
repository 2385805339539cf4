# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pages' scripts (web/static/*.js) run under Node.js, for the tests that hold them to the
server's own rules on one table of inputs (test_phone_parity, test_amount_parity)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

# What a page's module meets at its import, where there is no page: i18n.js (which common.js
# imports) reads the language from the address, the cookie, the page's <html lang> (none
# here) and the browser, and fetches its catalogue (refused here: the functions compared say
# no message).
_NO_PAGE = """
for (const [name, value] of Object.entries({
    document: { cookie: "", documentElement: { getAttribute: () => null } },
    window: { location: { search: "" }, localStorage: null },
    navigator: { languages: ["fr"], language: "fr" },
    fetch: async () => ({ ok: false }),
}))
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
"""


def call(test, module, function, cases):
    """function of web/static/<module> on each case (the list of its arguments), under Node.js:
    the list of its results, through JSON. Skips test where node is missing (fails it in CI)."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            test.fail("CI: node missing")
        raise unittest.SkipTest("node not installed")
    path = os.path.join(harness.source_dir(), "web", "static", module)
    script = (_NO_PAGE +
              f"const {{ {function} }} = await import({json.dumps(path)});\n"
              f"const cases = {json.dumps(cases)};\n"
              f"console.log(JSON.stringify(cases.map((args) => {function}(...args))));\n")
    run = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                         text=True, timeout=60)
    test.assertEqual(run.returncode, 0, run.stderr)
    return json.loads(run.stdout)


def assert_generated(test, generator, source, module):
    """web/static/<module> is what scripts/gen/<generator> writes from api/domain/<source>
    today (the generator run in a scratch copy of the two directories): a table of the server
    changed without running it fails here. Returns the committed text."""
    src = harness.source_dir()
    with open(os.path.join(src, "web", "static", module), encoding="utf-8") as f:
        committed = f.read()
    tmp = test.enterContext(tempfile.TemporaryDirectory())
    os.makedirs(os.path.join(tmp, "api", "domain"))
    os.makedirs(os.path.join(tmp, "web", "static"))
    shutil.copy(os.path.join(src, "api", "domain", source),
                os.path.join(tmp, "api", "domain", source))
    subprocess.run(["python3", os.path.join(src, "scripts", "gen", generator)], cwd=tmp,
                   check=True)
    with open(os.path.join(tmp, "web", "static", module), encoding="utf-8") as f:
        test.assertEqual(f.read(), committed, f"run scripts/gen/{generator}")
    return committed
