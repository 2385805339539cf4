#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The association's workspace (/dashboard) as a French volunteer on a phone uses it, in a real
browser: tests/browser/workspace_phone_flow.mjs reads the page without JavaScript (French from
the server, its note that the workspace needs JavaScript; axe-core on it), then with it, and
removes the action's members one by one with the keyboard: the focus goes to the next row, the
row before when the last went, the list's line when none is left, never back up above the
filters; a row's rejection names its member. Afterwards none of them is a member any more.
Label `browser` (tests/CMakeLists.txt): skipped where Chromium or Node.js is missing outside
CI, like test_web_pages.py, whose prerequisites it shares. Screenshots go to
$RECOURS_WEB_SCREENSHOTS when set."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import assoc_fixtures as af
import browser_fixtures as bf
import claims_fixtures as cf
import test_web_pages as web


class WorkspaceBrowserTest(unittest.TestCase):
    def test_a_volunteer_on_a_phone_removes_members_without_losing_their_place(self):
        node = bf.prerequisites(self)
        s = cf.start_server(self)
        slug = cf.make_incident(s)
        assoc = af.approved_association(s)
        action = af.open_action(assoc, slug)
        members = [af.mandated_claim(s, slug, action)["reference"] for _ in range(5)]
        setup = {"key": assoc.key, "action_id": action["id"], "members": members}
        keep = os.environ.get("RECOURS_WEB_SCREENSHOTS")
        shots = keep or tempfile.mkdtemp(prefix="recours-workspace-shots-")
        fd, setup_path = tempfile.mkstemp(prefix="recours-workspace-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(setup, f)
            run = subprocess.run([node, os.path.join(bf.browser_dir(), "workspace_phone_flow.mjs"),
                                  s.url, setup_path, shots], cwd=bf.browser_dir(),
                                 capture_output=True, text=True, timeout=web.BROWSER_TIMEOUT_S)
        finally:
            os.unlink(setup_path)
        if run.returncode != 0:
            self.fail(f"workspace_phone_flow.mjs exited with {run.returncode} (screenshots kept "
                      f"in {shots}):\n{run.stdout}\n{run.stderr}")
        if not keep:
            shutil.rmtree(shots, ignore_errors=True)
        removed = json.loads(run.stdout.strip().splitlines()[-1])["removed"]
        self.assertEqual(sorted(removed), sorted(members))
        self.assertEqual(af.memberships_of_claims(members), {}, "no claim left in an action")


if __name__ == "__main__":
    unittest.main()
