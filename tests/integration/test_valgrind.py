# SPDX-License-Identifier: AGPL-3.0-or-later
"""The server under valgrind (memcheck): a short session through every layer — TLS, JSON,
the intake writers, sealing and opening personal data, the audit chain, a summary, an export
for counsel — then a clean SIGTERM. Definite or indirect leaks, or any memory error, make
valgrind exit non-zero.

The sanitizer build checks leaks with LeakSanitizer instead (valgrind cannot run an ASan
binary), so there this test skips; in the normal build it must run."""

import os
import shutil
import subprocess
import unittest

import assoc_fixtures as af
import claims_fixtures as cf
import harness


def built_with_asan():
    run = subprocess.run(["ldd", harness.recours_bin()], capture_output=True, text=True)
    return "libasan" in run.stdout


class ValgrindServer(harness.Server):
    def __init__(self, log, **kw):
        super().__init__(start_timeout=180, **kw)
        self.valgrind_log = log

    def command(self):
        return ["valgrind", "--quiet", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
                "--show-leak-kinds=definite,indirect", "--error-exitcode=99",
                "--log-file=" + self.valgrind_log] + super().command()


class ValgrindTest(unittest.TestCase):
    def test_session_without_leaks(self):
        if built_with_asan():
            raise unittest.SkipTest("ASan build: LeakSanitizer covers leaks there")
        if shutil.which("valgrind") is None:
            if os.environ.get("CI"):
                self.fail("valgrind is missing: ./scripts/test installs it")
            raise unittest.SkipTest("valgrind is not installed")
        log = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"recours-vg-{cf.suffix(6)}.log")
        server = ValgrindServer(log, args=cf.NO_RATE_LIMIT + ["--db-connect-timeout", "30"],
                                workers=2)
        server.start()
        try:
            slug = cf.make_incident(server)
            with harness.Client(server) as c:
                body = cf.claim_body()
                receipt = cf.submit_ok(self, c, slug, body, idem_key="vg-1")
                self.assertEqual(cf.submit(c, slug, body, idem_key="vg-1").status, 201)
                self.assertEqual(cf.submit(c, slug, body).status, 409)
                r = c.request("GET", f"/v1/claims/{receipt['reference']}", token=receipt["token"])
                self.assertEqual(r.status, 200)
                r = c.request("PATCH", f"/v1/claims/{receipt['reference']}",
                              body={"harms": {"hours_spent": 4}}, token=receipt["token"],
                              headers={"Content-Type": "application/merge-patch+json"})
                self.assertEqual(r.status, 200)
                r = c.request("GET", f"/v1/incidents/{slug}/compensation",
                              token=server.operator_key)
                self.assertEqual(r.status, 200)
                # an export for counsel: the streamed body, its record and audit event
                assoc = af.approved_association(server, client=c)
                action = af.open_action(assoc, slug, client=c)
                af.mandated_claim(server, slug, action, client=c)
                r = assoc.request("GET", f"/v1/actions/{action['id']}/export", client=c)
                self.assertEqual(r.status, 200)
                r = assoc.request("GET", f"/v1/exports/{r.headers['X-Export-Id']}", client=c)
                self.assertEqual(r.json()["status"], "complete")
                r = c.request("GET", "/v1/audit/verify", token=server.operator_key)
                self.assertEqual(r.status, 200)
                self.assertEqual(c.request("GET", "/nope").status, 404)
            code = server.stop(timeout=120)
        finally:
            if server.proc is not None and server.proc.poll() is None:
                server.kill()
        with open(log) as f:
            report = f.read()
        os.unlink(log)
        self.assertEqual(code, 0, "valgrind found errors or leaks:\n" + report[-6000:])


if __name__ == "__main__":
    harness.main()
