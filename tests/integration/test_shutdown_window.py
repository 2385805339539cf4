#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Claims sent on keep-alive connections while `recours serve` shuts down (issue 10,
"Shutdown window"; docs/decisions.md, "Hardening: HTTP").

After SIGTERM the daemon stops accepting connections, waits out the grace period, then the
intake writers drain their queue and leave. A keep-alive connection may still send a claim
after that: it must be answered 503 with Retry-After at once (never queued with no writer to
take it, its connection suspended for ever, and libmicrohttpd aborting on stop because of it).
Every answer a client sees is a 201 whose claim is committed, or a 503 with Retry-After, or a
connection closed before any byte of the answer; the process exits 0.
"""

import http.client
import json
import signal
import ssl
import threading
import time
import unittest

import harness
from harness import RawConnection
import claims_fixtures as cf

GRACE_S = 1
SENDERS = 4


def claim_head(slug, body):
    return (f"POST /v1/incidents/{slug}/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()


def wait_for_intake_stopped(server):
    server.wait_log(lambda l: "intake writers stopped" in l.get("msg", ""), timeout=30,
                    what="the intake writers to stop")


class Sender(threading.Thread):
    """One keep-alive connection POSTing claims until the server closes it."""

    def __init__(self, server, slug, deadline):
        super().__init__(daemon=True)
        self.server = server
        self.slug = slug
        self.deadline = deadline
        self.created = []      # references answered 201
        self.refused = []      # (status, Retry-After) of every other answer
        self.broken = []       # answers cut after some bytes, unexpected exceptions
        self.ended = None      # how the connection ended

    def run(self):
        client = harness.Client(self.server)
        try:
            while time.monotonic() < self.deadline:
                body = json.dumps(cf.claim_body()).encode()
                try:
                    r = client.request("POST", f"/v1/incidents/{self.slug}/claims", body=body,
                                       headers={"Content-Type": "application/json"})
                except (http.client.RemoteDisconnected, ConnectionResetError,
                        BrokenPipeError, ssl.SSLEOFError, ssl.SSLZeroReturnError) as e:
                    self.ended = type(e).__name__  # closed before any byte of an answer
                    return
                except Exception as e:  # a partial answer: IncompleteRead, BadStatusLine...
                    self.broken.append(repr(e))
                    return
                if r.status == 201:
                    self.created.append(r.json()["reference"])
                else:
                    self.refused.append((r.status, r.headers.get("Retry-After"), r.body[:200]))
                    if r.status != 503:
                        return
            self.ended = "deadline"
        finally:
            client.close()


class ShutdownWindowTest(unittest.TestCase):

    def start(self):
        s = cf.start_server(self, args=["--shutdown-grace", str(GRACE_S)])
        return s, cf.make_incident(s)

    def assert_clean_exit(self, s):
        code = s.wait(60)
        s.stop()  # records the exit as expected
        log = s.log_text()
        self.assertEqual(code, 0, "exit code (negative: a signal, -6 an abort):\n" +
                         harness.tail(log))
        self.assertFalse("still suspended" in log,
                         "stopped with a suspended connection:\n" + harness.tail(log))
        self.assertIn('"msg":"stopped"', log)

    def test_claim_sent_after_the_writers_left_is_answered_503(self):
        s, slug = self.start()
        body = json.dumps(cf.claim_body()).encode()
        rc = RawConnection(s)
        self.addCleanup(rc.close)
        # the headers are in (in flight, so the grace period runs out with it), the body not
        rc.send(claim_head(slug, body))
        self.assertEqual(rc.read_interim(), 100)
        s.send_signal(signal.SIGTERM)
        wait_for_intake_stopped(s)
        rc.send(body)
        r = rc.read_response("POST")
        doc = harness.assert_problem(self, r, 503, "service-unavailable")
        self.assertIn("shutting down", doc["detail"])
        self.assertRegex(r.headers.get("Retry-After", ""), r"^[1-9][0-9]*$")
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        self.assert_clean_exit(s)
        self.assertEqual(cf.count_claims(slug), 0)

    def test_keep_alive_senders_during_sigterm(self):
        s, slug = self.start()
        deadline = time.monotonic() + 120
        senders = [Sender(s, slug, deadline) for _ in range(SENDERS)]
        for t in senders:
            t.start()
        harness.poll(lambda: all(len(t.created) >= 3 for t in senders) or
                     any(not t.is_alive() for t in senders), 60,
                     what="every sender to have claims accepted")
        self.assertTrue(all(t.is_alive() for t in senders),
                        [(t.ended, t.refused, t.broken) for t in senders])
        s.send_signal(signal.SIGTERM)
        wait_for_intake_stopped(s)
        for t in senders:
            t.join(90)
            self.assertFalse(t.is_alive(), "a sender still runs after the server stopped")
        self.assert_clean_exit(s)

        created = [ref for t in senders for ref in t.created]
        for t in senders:
            self.assertEqual(t.broken, [], "an answer was cut after some bytes")
            self.assertNotEqual(t.ended, "deadline", "the connection outlived the server")
            for status, retry_after, body in t.refused:
                self.assertEqual(status, 503, body)
                self.assertRegex(retry_after or "", r"^[1-9][0-9]*$", body)
        refs = ",".join(cf.sql_literal(r) for r in created)
        stored = int(cf.psql(f"SELECT count(*) FROM claims WHERE reference IN ({refs})")[0][0])
        self.assertEqual(stored, len(created), "a 201 without its claim in the database")


if __name__ == "__main__":
    harness.main()
