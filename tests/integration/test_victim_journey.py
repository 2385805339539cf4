#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A breach victim's whole journey in a real browser (tests/browser/victim_flow.mjs, Debian's
Chromium driven by playwright-core, axe-core for accessibility): with JavaScript off in French,
with JavaScript on in English on a 390 px phone, from the home page to the action's page to
the claim form, a mistake corrected, the receipt. Afterwards the database holds both claims,
each a member of the action (the mandate given on the form).

Screenshots (390 and 1280 px) and the journey's measures (measures.json: fields, words to read,
key presses to a receipt) are kept under the build directory, browser-artifacts/victim/, or
$RECOURS_WEB_SCREENSHOTS when set. The test is skipped only where Chromium or Node.js is missing
outside CI; under CI a missing browser fails it."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness

CHROMIUM = "/usr/bin/chromium"
BROWSER_TIMEOUT_S = 280
NPM_TIMEOUT_S = 300


def browser_dir():
    return os.path.join(harness.source_dir(), "tests", "browser")


def artifacts_dir():
    keep = os.environ.get("RECOURS_WEB_SCREENSHOTS")
    if keep:
        return os.path.join(keep, "victim")
    return os.path.join(os.path.dirname(harness.recours_bin()), "browser-artifacts", "victim")


class VictimJourney(unittest.TestCase):
    def prerequisites(self):
        node, npm = shutil.which("node"), shutil.which("npm")
        missing = [what for what, ok in (("chromium", os.access(CHROMIUM, os.X_OK)),
                                         ("node", node), ("npm", npm)) if not ok]
        if missing:
            if os.environ.get("CI"):
                self.fail(f"CI: {', '.join(missing)} missing (./scripts/test installs them)")
            raise unittest.SkipTest(f"{', '.join(missing)} not installed")
        bdir = browser_dir()
        if not all(os.path.isdir(os.path.join(bdir, "node_modules", m))
                   for m in ("playwright-core", "axe-core")):
            run = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=bdir,
                                 capture_output=True, text=True, timeout=NPM_TIMEOUT_S)
            self.assertEqual(run.returncode, 0, f"npm ci failed:\n{run.stdout}\n{run.stderr}")
        return node

    def test_journey(self):
        node = self.prerequisites()
        server = cf.start_server(self)
        # a leading 0 puts the incident first on the home page of a shared database
        slug = cf.make_incident(server, slug="0vj-" + cf.suffix(12))
        assoc = af.approved_association(server)
        action = af.open_action(assoc, slug)
        setup = {"slug": slug, "action_id": action["id"], "association_name": assoc.obj["name"]}
        shots = artifacts_dir()
        shutil.rmtree(shots, ignore_errors=True)
        os.makedirs(shots, exist_ok=True)
        fd, setup_path = tempfile.mkstemp(prefix="recours-victim-", suffix=".json")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(setup, f)
            run = subprocess.run([node, os.path.join(browser_dir(), "victim_flow.mjs"),
                                  server.url, setup_path, shots], cwd=browser_dir(),
                                 capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S)
        finally:
            os.unlink(setup_path)
        if run.returncode != 0:
            self.fail(f"victim_flow.mjs exited with {run.returncode} (screenshots in {shots}):"
                      f"\n{run.stdout}\n{run.stderr}")
        print(run.stdout.strip())
        self.assertEqual(cf.count_claims(slug), 2, "one claim per journey")
        self.assertEqual(cf.count_claims(slug, f"c.member_action_id = '{action['id']}'"), 2,
                         "both joined the action through the form's mandate")
        with open(os.path.join(shots, "measures.json")) as f:
            measures = json.load(f)
        for m in measures.values():
            self.assertGreater(m["keys"], 0)
            self.assertGreater(m["words"], 0)


if __name__ == "__main__":
    harness.main()
