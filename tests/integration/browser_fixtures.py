#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the browser tests share (tests/browser/: Debian's Chromium driven by playwright-core,
axe-core for accessibility): where the scripts are, and the prerequisites, installed with
npm ci when missing. A test is skipped where Chromium, Node.js or npm is missing outside CI;
under CI a missing one fails it (./scripts/test installs them)."""

import os
import shutil
import subprocess
import unittest

import harness

CHROMIUM = "/usr/bin/chromium"
NPM_TIMEOUT_S = 300


def browser_dir():
    return os.path.join(harness.source_dir(), "tests", "browser")


def prerequisites(test):
    """node, after npm ci of tests/browser when needed; skips test (fails it under CI) when
    Chromium, Node.js or npm is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    missing = [what for what, ok in (("chromium", os.access(CHROMIUM, os.X_OK)),
                                     ("node", node), ("npm", npm)) if not ok]
    if missing:
        if os.environ.get("CI"):
            test.fail(f"CI: {', '.join(missing)} missing (./scripts/test installs them)")
        raise unittest.SkipTest(f"{', '.join(missing)} not installed")
    bdir = browser_dir()
    if not all(os.path.isdir(os.path.join(bdir, "node_modules", m))
               for m in ("playwright-core", "axe-core")):
        run = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=bdir,
                             capture_output=True, text=True, timeout=NPM_TIMEOUT_S)
        test.assertEqual(run.returncode, 0, f"npm ci failed:\n{run.stdout}\n{run.stderr}")
    return node


def assert_no_libmicrohttpd_warnings(test, server):
    """No failed-handshake warning of libmicrohttpd in server's log after a walk of the pages.
    Chromium refuses the self-signed certificate on each new connection (alert
    certificate_unknown) before it connects again with it allowed, 12 to 19 times in each
    browser test: libmicrohttpd's line for a failed handshake is debug (http/server.c,
    on_mhd_log). Its other lines stay warnings and are not asserted here: a browser may abort
    a response mid-way (a navigation), which is not this test's subject."""
    warnings = [line["msg"] for line in server.log_lines_json()
                if line.get("level") == "warn" and line.get("msg", "").startswith("libmicrohttpd")
                and "handshake" in line.get("msg", "")]
    test.assertEqual(warnings, [], f"{len(warnings)} failed-handshake warnings in a walk of the pages")
