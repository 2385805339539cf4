#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A secret that group or others may read stops `recours serve` at start, as OpenSSH refuses a
private key others can read: every file of the secrets directory and the TLS private key, at
mode 0640 and 0604, makes serve exit non-zero with the fix in its message (`chmod 600
<path>`), before it listens. Back at 0600 the same server starts again. A running server's
reload of data-keys refuses such a file too, keeps its keys, and reloads once chmod 600 fixed
it (the watcher sees the mode change).
"""

import os
import secrets
import subprocess
import time
import unittest

import claims_fixtures as cf
import harness

REFUSAL_DEADLINE_S = 30


class SecretsPermissionsTest(unittest.TestCase):
    def setUp(self):
        # a server started once makes the secrets and the certificate; stopped, its files
        # are what the refused starts read
        self.server = cf.start_server(self)
        self.server.stop()

    def private_files(self):
        d = self.server.secrets_dir
        files = sorted(os.path.join(d, f) for f in os.listdir(d))
        self.assertGreaterEqual(len(files), 3, files)
        return files + [self.server.keyfile]

    def serve_once(self):
        """Runs serve on a free port until it exits or says it listens; (exit code or None,
        stderr text)."""
        cmd = self.server.command()
        cmd[cmd.index("--port") + 1] = str(harness.free_port())
        env = dict(os.environ, DATABASE_URL=self.server.database_url)
        log = os.path.join(self.server.dir, "refused.log")
        with open(log, "wb") as out:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, env=env, cwd=self.server.dir)
        try:
            deadline = time.monotonic() + REFUSAL_DEADLINE_S
            while proc.poll() is None and time.monotonic() < deadline:
                with open(log, encoding="utf-8", errors="replace") as f:
                    if "listening on" in f.read():
                        break
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                proc.kill()
            code = proc.wait(timeout=harness.STOP_TIMEOUT_S)
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        return (code if "listening on" not in text else None), text

    def test_a_secret_readable_by_group_or_others_stops_serve(self):
        for path in self.private_files():
            for mode in (0o640, 0o604):
                with self.subTest(file=os.path.basename(path), mode=oct(mode)):
                    os.chmod(path, mode)
                    try:
                        code, text = self.serve_once()
                    finally:
                        os.chmod(path, 0o600)
                    self.assertIsNotNone(code, "serve started with the file exposed:\n" + text)
                    self.assertNotEqual(code, 0, text)
                    self.assertIn(f"chmod 600 {path}", text)
                    self.assertIn(f"{mode:04o}", text, "the message says the mode found")

    def test_back_at_0600_it_starts(self):
        for path in self.private_files():
            os.chmod(path, 0o600)
        self.server.restart()
        with harness.Client(self.server) as c:
            self.assertEqual(c.request("GET", "/healthz").status, 200)

    def test_a_running_server_reloads_only_a_private_data_keys_file(self):
        self.server.restart()
        path = os.path.join(self.server.secrets_dir, "data-keys")
        with open(path, encoding="ascii") as f:
            ids = [int(line.split()[0]) for line in f if line.strip()]
        os.chmod(path, 0o640)
        with open(path, "a", encoding="ascii") as f:
            f.write(f"{max(ids) + 1} {secrets.token_hex(32)}\n")
        self.server.wait_log(lambda d: "could not reload the secrets" in d.get("msg", ""),
                             what="the refused reload")
        os.chmod(path, 0o600)
        line = self.server.wait_log(lambda d: "data keys reloaded" in d.get("msg", ""),
                                    what="the reload after chmod 600")
        self.assertIn(f"sealing with key {max(ids) + 1}", line["msg"])


if __name__ == "__main__":
    unittest.main()
