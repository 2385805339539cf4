#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Requests libmicrohttpd 0.9.75 would answer with its own pages (issue 10, "libmicrohttpd's
own error pages"; docs/decisions.md, "Hardening: HTTP"), over raw TLS sockets.

Answered by us, with a problem document and our headers: a 1.1 request without Host (MHD
sent its status line and headers twice), a request target over --max-header-bytes (414), a
header block over it (431), more than 100 header fields (431). What MHD still answers itself
(a request line it cannot parse, a header block or target larger than its memory pool, a
malformed Content-Length) is pinned here as documented, so that an upgrade that changes it is
noticed.
"""

import socket
import ssl
import unittest

import harness
from harness import RawConnection

MAX_HEADERS = 4096  # --max-header-bytes; MHD's pool is this + 16 KiB (server.c)
POOL = MAX_HEADERS + 16384
HEAD_MAX_FIELDS = 100


def read_until_close(rc, timeout=harness.IO_TIMEOUT_S):
    """Every byte the server sends until it closes (or timeout)."""
    rc.sock.settimeout(timeout)
    out = b""
    while True:
        try:
            chunk = rc.sock.recv(65536)
        except (ConnectionResetError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            break
        except socket.timeout:
            raise AssertionError(f"the server kept the connection open after {out[:300]!r}")
        if not chunk:
            break
        out += chunk
    return out


class HttpEdgesTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(args=["--max-header-bytes", str(MAX_HEADERS)])
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def exchange(self, data):
        """(status lines seen, the first response) for a request sent alone on a fresh
        connection; the connection must be closed after the answer."""
        with RawConnection(self.server) as rc:
            try:
                rc.send(data)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLEOFError):
                # MHD may answer and close before it has read a request larger than its
                # pool: what counts is the answer, read below from what arrived
                pass
            raw = read_until_close(rc)
        self.assertTrue(raw, "the connection was closed without an answer")
        lines = [l for l in raw.split(b"\r\n") if l.startswith(b"HTTP/1.")]
        return lines, raw

    def assert_our_problem(self, data, status, name):
        with RawConnection(self.server) as rc:
            rc.send(data)
            r = rc.read_response()
            rest = read_until_close(rc)
        self.assertEqual(rest, b"", "bytes after the answer (a second status line?)")
        doc = harness.assert_problem(self, r, status, name)
        self.assertRegex(r.headers.get("X-Request-Id", ""), r"^[A-Za-z0-9._-]{1,64}$")
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertIn("max-age", r.headers.get("Strict-Transport-Security", ""))
        return doc

    def test_http11_without_host_is_one_problem(self):
        lines, raw = self.exchange(b"GET /healthz HTTP/1.1\r\n\r\n")
        self.assertEqual(len(lines), 1, f"status lines: {lines}; {raw[:600]!r}")
        doc = self.assert_our_problem(b"GET /healthz HTTP/1.1\r\n\r\n", 400, "malformed-request")
        self.assertIn("Host", doc["detail"])

    def test_http10_without_host_is_served(self):
        with RawConnection(self.server) as rc:
            rc.send(b"GET /healthz HTTP/1.0\r\n\r\n")
            r = rc.read_response()
        self.assertEqual(r.status, 200, r)

    def test_space_in_target_reaches_the_router(self):
        with RawConnection(self.server) as rc:
            rc.send(b"GET /health z HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            r = rc.read_response()
        harness.assert_problem(self, r, 404, "not-found")

    def test_long_target_is_our_414(self):
        path = b"/" + b"a" * (MAX_HEADERS + 100)
        self.assert_our_problem(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                414, "uri-too-long")
        query = b"/healthz?q=" + b"a" * (MAX_HEADERS + 100)
        self.assert_our_problem(b"GET " + query + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                414, "uri-too-long")
        # at the limit: served
        with RawConnection(self.server) as rc:
            rc.send(b"GET /healthz?q=" + b"a" * (MAX_HEADERS - 100) +
                    b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            self.assertEqual(rc.read_response().status, 200)

    def test_large_header_block_is_our_431(self):
        self.assert_our_problem(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                                b"a" * (MAX_HEADERS + 100) + b"\r\n\r\n",
                                431, "headers-too-large")

    def test_many_header_fields_are_our_431(self):
        for n in (HEAD_MAX_FIELDS, 150):  # 150: still inside the pool (~290 here)
            fields = b"".join(b"x-f%d: v\r\n" % i for i in range(n))
            doc = self.assert_our_problem(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                          fields + b"\r\n", 431, "headers-too-large")
            self.assertIn("too many", doc["detail"])
        fields = b"".join(b"x-f%d: v\r\n" % i for i in range(HEAD_MAX_FIELDS - 1))
        with RawConnection(self.server) as rc:
            rc.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields + b"\r\n")
            self.assertEqual(rc.read_response().status, 200)

    # --- what MHD still answers itself (docs/decisions.md, "Hardening: HTTP") --------------

    def assert_mhd_page(self, data, statuses):
        lines, raw = self.exchange(data)
        self.assertEqual(len(lines), 1, f"status lines: {lines}")
        self.assertIn(int(lines[0].split()[1]), statuses, lines[0])
        self.assertIn(b"Connection: close", raw)
        return raw

    def test_mhd_answers_beyond_its_pool(self):
        # 10,000 small fields, a header block and a target larger than the pool
        self.assert_mhd_page(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                             b"".join(b"h%d: v\r\n" % i for i in range(10000)) + b"\r\n",
                             {431})
        self.assert_mhd_page(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                             b"a" * (POOL + 100) + b"\r\n\r\n", {431})
        self.assert_mhd_page(b"GET /" + b"a" * (POOL + 100) + b" HTTP/1.1\r\n"
                             b"Host: 127.0.0.1\r\n\r\n", {414})

    def test_mhd_answers_request_lines_it_cannot_parse(self):
        self.assert_mhd_page(b"GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", {505})
        self.assert_mhd_page(b"GET /healthz HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
                             {400, 505})
        with RawConnection(self.server) as rc:
            rc.send(b"GARBAGE\r\n\r\n")
            self.assertEqual(read_until_close(rc), b"", "MHD closes without an answer")

    def test_mhd_malformed_content_length_is_sent_twice(self):
        # MHD 0.9.75 parses Content-Length before any call of ours and answers a bad one with
        # its page, status line and headers twice (the same state-machine slip as for a
        # missing Host); nothing of ours runs. Pinned: an upgrade that fixes it fails here.
        lines, _ = self.exchange(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Length: abc\r\n\r\n")
        self.assertEqual([l.split()[1] for l in lines], [b"400", b"400"])


if __name__ == "__main__":
    harness.main()
