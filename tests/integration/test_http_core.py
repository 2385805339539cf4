#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The HTTP foundation of `recours serve`, error path by error path (docs/api.md §1, §5, §6, §13;
docs/architecture.md §9): problems for unknown paths and methods, body and header limits
answered before the body, framing attacks, request ids, security headers, HEAD, TLS versions,
keep-alive, the access log, /metrics, /v1/openapi.json, /readyz, graceful shutdown, plain HTTP
and a port already in use.

Most tests share one server started with --max-body-bytes 1024 --max-header-bytes 4096 and
assert nothing about state another test could change; the shutdown, plain-HTTP and port tests
start servers of their own.
"""

import json
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
import unittest
import warnings

import harness
from harness import Client, RawConnection, assert_problem, raw_request

MAX_BODY = 1024
MAX_HEADERS = 4096
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def post_head(path, extra=b""):
    return b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra


class HttpCoreTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(args=["--max-body-bytes", str(MAX_BODY),
                                          "--max-header-bytes", str(MAX_HEADERS)])
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.close()

    def setUp(self):
        self.client = Client(self.server)
        self.addCleanup(self.client.close)

    def get(self, path, **kw):
        return self.client.request("GET", path, **kw)

    # --- routing problems ------------------------------------------------------------------

    def test_unknown_path_is_404_problem(self):
        for method, path in (("GET", "/v1/no-such-thing"), ("GET", "/healthz/"),
                             ("POST", "/nope"), ("GET", "/nope/deeper")):
            with self.subTest(method=method, path=path):
                r = self.client.request(method, path)
                assert_problem(self, r, 404, "not-found")

    def test_path_that_is_not_utf8_is_404_problem(self):
        # found by test_openapi_fuzz: a slug that is not UTF-8 reached PostgreSQL (500)
        for path in ("/v1/incidents/%FF", "/v1/incidents/%ED%A0%80/claims",
                     "/v1/incidents/a%C3/compensation", "/static/%FE.css"):
            with self.subTest(path=path):
                assert_problem(self, self.get(path), 404, "not-found")

    def test_wrong_method_is_405_with_allow(self):
        r = self.client.request("POST", "/healthz", body=b"")
        assert_problem(self, r, 405, "method-not-allowed")
        self.assertEqual(r.headers.get("Allow"), "GET, HEAD")
        r = self.client.request("DELETE", "/readyz")
        assert_problem(self, r, 405, "method-not-allowed")
        self.assertEqual(r.headers.get("Allow"), "GET, HEAD")

    # --- body limit --------------------------------------------------------------------------

    def test_content_length_over_limit_is_413_before_the_body(self):
        with RawConnection(self.server, timeout=5) as rc:
            rc.send(post_head("/healthz", b"Content-Type: application/json\r\n"
                              b"Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n"))
            # no body is ever sent: a server waiting for it would time out here
            r = rc.read_response("POST")
        assert_problem(self, r, 413, "payload-too-large")
        self.assertEqual(r.interim, [], "no 100 Continue before a refusal")

    def test_content_length_at_limit_passes_the_limit(self):
        body = b"x" * MAX_BODY
        r = raw_request(self.server, post_head(
            "/healthz", b"Content-Length: %d\r\n\r\n" % len(body)) + body)
        assert_problem(self, r, 405, "method-not-allowed")
        r = raw_request(self.server, post_head(
            "/healthz", b"Content-Length: %d\r\n\r\n" % (len(body) + 1)) + body + b"x")
        assert_problem(self, r, 413, "payload-too-large")

    def test_body_sent_at_once_over_limit_gets_its_413_on_an_open_connection(self):
        """A client that sends its body without waiting for 100-continue (a browser, python's
        requests) gets the 413 and can go on: the body was read and dropped. The early 413
        closed the connection on unread bytes, and the reset that followed lost the answer
        (found by walk20's sweep: a 500 KB body to any JSON route saw a dropped connection)."""
        body = b"x" * (768 * 1024)
        with RawConnection(self.server, timeout=10) as rc:
            rc.send(post_head("/v1/incidents", b"Content-Type: application/json\r\n"
                              b"Content-Length: %d\r\n\r\n" % len(body)) + body)
            r = rc.read_response("POST")
            assert_problem(self, r, 413, "payload-too-large")
            self.assertFalse(r.closed, "the connection stays in step after the drained body")
            rc.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            self.assertEqual(rc.read_response().status, 200)

    def test_content_length_beyond_the_drain_is_413_before_the_body(self):
        """Past HEAD_DRAIN_MAX_BYTES (1 MiB) nothing is read: the 413 comes at once."""
        with RawConnection(self.server, timeout=5) as rc:
            rc.send(post_head("/healthz", b"Content-Length: %d\r\n\r\n" % (1024 * 1024 + 1)))
            r = rc.read_response("POST")
        assert_problem(self, r, 413, "payload-too-large")

    def test_integer_beyond_64_bits_is_malformed_json_said_so(self):
        """docs/api.md §1.3: valid JSON, but no field takes it and the parser cannot hold it;
        the detail said "not valid JSON", which sent a client looking for a syntax error."""
        for value in ("18446744073709551616", "-9223372036854775809"):
            with self.subTest(value=value):
                r = self.client.request("POST", "/v1/incidents",
                                        body=('{"affected_count": %s}' % value).encode(),
                                        headers={"Content-Type": "application/json"},
                                        token=self.server.operator_key)
                doc = assert_problem(self, r, 400, "malformed-json")
                self.assertIn("integer beyond 64 bits", doc["detail"])

    def test_chunked_body_growing_past_limit_is_413(self):
        chunk = b"c" * 512
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4))  # 2 KiB
        with RawConnection(self.server) as rc:
            rc.send(post_head("/healthz", b"Transfer-Encoding: chunked\r\n\r\n") + chunks
                    + b"0\r\n\r\n")
            r = rc.read_response("POST")
            assert_problem(self, r, 413, "payload-too-large")
            if not r.closed:
                # the whole body was consumed: the connection is still in step
                rc.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                self.assertEqual(rc.read_response().status, 200)

    def test_chunked_body_under_limit_is_accepted(self):
        r = raw_request(self.server, post_head("/healthz", b"Transfer-Encoding: chunked\r\n\r\n")
                        + b"10\r\n" + b"s" * 16 + b"\r\n0\r\n\r\n")
        assert_problem(self, r, 405, "method-not-allowed")

    # --- header limit ------------------------------------------------------------------------

    def test_headers_over_our_limit_are_431_problem(self):
        filler = {f"X-Filler-{i}": "f" * 1000 for i in range(8)}  # about 8 KiB
        r = self.get("/healthz", headers=filler)
        assert_problem(self, r, 431, "headers-too-large")

    def test_headers_under_the_limit_pass(self):
        filler = {f"X-Filler-{i}": "f" * 1000 for i in range(3)}  # about 3 KiB
        r = self.get("/healthz", headers=filler)
        self.assertEqual(r.status, 200, r)

    # --- framing -----------------------------------------------------------------------------

    def test_content_length_with_transfer_encoding_is_400(self):
        for extra in (b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                      b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"):
            with self.subTest(extra=extra):
                r = raw_request(self.server, post_head("/healthz", extra))
                assert_problem(self, r, 400, "malformed-request")

    def test_transfer_encoding_gzip_is_400(self):
        for te in (b"gzip", b"gzip, chunked", b"identity"):
            with self.subTest(te=te):
                r = raw_request(self.server, post_head(
                    "/healthz", b"Transfer-Encoding: " + te + b"\r\n\r\n0\r\n\r\n"))
                assert_problem(self, r, 400, "malformed-request")

    def test_two_transfer_encoding_fields_are_400(self):
        # together they say "chunked, gzip": chunked is not the final coding (RFC 9112 §6.3)
        r = raw_request(self.server, post_head(
            "/healthz", b"Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"
                        b"0\r\n\r\n"))
        assert_problem(self, r, 400, "malformed-request")

    def test_differing_content_lengths_are_400(self):
        # RFC 9112 §6.3: an invalid Content-Length is unrecoverable; a proxy that takes the
        # other value than we do would be desynchronised (request smuggling)
        for extra in (b"Content-Length: 3\r\nContent-Length: 20\r\n\r\nabc",
                      b"Content-Length: 20\r\nContent-Length: 3\r\n\r\nabc"):
            with self.subTest(extra=extra):
                try:
                    r = raw_request(self.server, post_head("/healthz", extra), timeout=5)
                except (socket.timeout, TimeoutError):
                    self.fail("no answer in 5 s: the server waits for a body of one of the two "
                              "lengths instead of refusing the request")
                assert_problem(self, r, 400, "malformed-request")

    # --- request id and headers ----------------------------------------------------------------

    def test_valid_request_id_is_echoed(self):
        for rid in ("abc.DEF_123-x", "a", "Z" * 64):
            with self.subTest(rid=rid):
                r = self.get("/healthz", headers={"X-Request-Id": rid})
                self.assertEqual(r.status, 200)
                self.assertEqual(r.headers.get("X-Request-Id"), rid)

    def test_invalid_request_id_is_replaced(self):
        for rid in ("x" * 65, "has space", "semi;colon", "slash/", "é"):
            with self.subTest(rid=rid):
                r = self.get("/healthz", headers={"X-Request-Id": rid.encode("utf-8")})
                self.assertEqual(r.status, 200)
                got = r.headers.get("X-Request-Id")
                self.assertIsNotNone(got)
                self.assertNotEqual(got, rid)
                self.assertRegex(got, REQUEST_ID_RE)

    def test_request_id_is_made_when_absent_and_differs(self):
        ids = {self.get("/healthz").headers.get("X-Request-Id") for _ in range(5)}
        self.assertEqual(len(ids), 5, ids)
        for rid in ids:
            self.assertRegex(rid, REQUEST_ID_RE)

    def assert_security_headers(self, r, what):
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff", what)
        self.assertEqual(r.headers.get("Strict-Transport-Security"), "max-age=31536000", what)
        self.assertRegex(r.headers.get("X-Request-Id", ""), REQUEST_ID_RE, what)

    def test_security_headers_on_every_response(self):
        answers = [
            ("GET /healthz", self.get("/healthz")),
            ("HEAD /healthz", self.client.request("HEAD", "/healthz")),
            ("GET /readyz", self.get("/readyz")),
            ("GET /metrics", self.get("/metrics")),
            ("GET /v1/openapi.json", self.get("/v1/openapi.json")),
            ("404", self.get("/nope")),
            ("405", self.client.request("POST", "/healthz", body=b"{}")),
            ("413 early", raw_request(self.server, post_head(
                "/healthz", b"Content-Length: 99999\r\nExpect: 100-continue\r\n\r\n"))),
            ("400 early", raw_request(self.server, post_head(
                "/healthz", b"Transfer-Encoding: gzip\r\n\r\n"))),
            ("431 early", self.get("/healthz", headers={
                f"X-F-{i}": "f" * 1000 for i in range(6)})),
        ]
        for what, r in answers:
            with self.subTest(what=what):
                self.assert_security_headers(r, f"{what}: {r.headers!r}")

    def test_head_healthz_has_no_body(self):
        r = self.client.request("HEAD", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        # on the wire: a body after the HEAD answer would garble the next response
        with RawConnection(self.server) as rc:
            rc.send(b"HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            head = rc.read_response("HEAD")
            self.assertEqual(head.status, 200)
            get = rc.read_response("GET")
            self.assertEqual(get.status, 200)
            self.assertEqual(json.loads(get.body), {"status": "ok"})

    # --- TLS ---------------------------------------------------------------------------------

    def handshake(self, version, ctx=None):
        ctx = ctx or harness.tls_context(self.server)
        ctx.minimum_version = version
        ctx.maximum_version = version
        with socket.create_connection((self.server.host, self.server.port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname=self.server.host) as tls:
                return tls.version()

    def test_tls_1_2_and_1_3_accepted(self):
        self.assertEqual(self.handshake(ssl.TLSVersion.TLSv1_2), "TLSv1.2")
        self.assertEqual(self.handshake(ssl.TLSVersion.TLSv1_3), "TLSv1.3")

    def _tls11_client_context(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx = harness.tls_context(self.server)
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        return ctx

    def _client_can_speak_tls11(self):
        """Positive control: the same client context against a local TLS 1.1-only server with
        the same certificate. Without it a refusal could be our own OpenSSL's."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            try:
                sctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                sctx.minimum_version = ssl.TLSVersion.TLSv1_1
                sctx.maximum_version = ssl.TLSVersion.TLSv1_1
                sctx.load_cert_chain(self.server.cafile, self.server.keyfile)
            except (ssl.SSLError, ValueError):
                return False
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(5)

        def serve():
            try:
                conn, _ = listener.accept()
                with sctx.wrap_socket(conn, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                pass

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        try:
            with socket.create_connection(listener.getsockname(), timeout=5) as raw:
                with self._tls11_client_context().wrap_socket(
                        raw, server_hostname="127.0.0.1") as tls:
                    return tls.version() == "TLSv1.1"
        except (OSError, ssl.SSLError):
            return False
        finally:
            t.join(5)
            listener.close()

    def test_tls_1_1_refused(self):
        if not self._client_can_speak_tls11():
            self.skipTest("this Python/OpenSSL cannot offer TLS 1.1")
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            with socket.create_connection((self.server.host, self.server.port),
                                          timeout=5) as raw:
                with self._tls11_client_context().wrap_socket(
                        raw, server_hostname=self.server.host) as tls:
                    self.fail(f"handshake succeeded with {tls.version()}")

    def test_client_refusing_the_certificate_is_logged_at_debug(self):
        # libmicrohttpd logs this one line for every failed handshake; Chromium fails one per
        # new connection to the self-signed certificate (alert certificate_unknown), a client
        # with default verification likewise (alert unknown_ca): routine, not a warning
        line = "libmicrohttpd: Error: received handshake message out of context."

        def logged(level):
            return sum(1 for l in self.server.log_lines_json()
                       if l.get("msg") == line and l.get("level") == level)

        before = logged("debug")
        with self.assertRaises(ssl.SSLCertVerificationError):
            with socket.create_connection((self.server.host, self.server.port),
                                          timeout=5) as raw:
                with ssl.create_default_context().wrap_socket(
                        raw, server_hostname=self.server.host) as tls:
                    self.fail(f"handshake succeeded with {tls.version()}")
        harness.poll(lambda: logged("debug") > before, 10, what="the refused handshake at debug")
        self.assertEqual(logged("warn"), 0)
        # the server serves on
        self.assertEqual(self.get("/healthz").status, 200)

    # --- keep-alive --------------------------------------------------------------------------

    def test_keep_alive_many_requests_one_connection(self):
        c = self.client
        seq = [("GET", "/healthz", None, 200), ("GET", "/readyz", None, 200),
               ("GET", "/metrics", None, 200), ("GET", "/nope", None, 404),
               ("POST", "/healthz", b'{"a":1}', 405), ("HEAD", "/healthz", None, 200),
               ("GET", "/v1/openapi.json", None, 200), ("GET", "/healthz", None, 200)]
        sock = None
        local = None
        for method, path, body, status in seq:
            r = c.request(method, path, body=body)
            self.assertEqual(r.status, status, f"{method} {path}: {r!r}")
            self.assertNotIn("close", r.headers.get("Connection", "").lower(),
                             f"{method} {path} closed the connection")
            self.assertIsNotNone(c.sock, f"{method} {path}: connection gone")
            if sock is None:
                sock, local = c.sock, c.sock.getsockname()
            self.assertIs(c.sock, sock, f"{method} {path}: a new connection was made")
            self.assertEqual(c.sock.getsockname(), local)

    # --- access log --------------------------------------------------------------------------

    def test_access_log_line(self):
        marker = "SECRET-MARKER"
        rid_get, rid_post, rid_404 = "log-get-1", "log-post-1", "log-404-1"
        r = self.get(f"/healthz?token={marker}-QUERY&x=1",
                     headers={"X-Request-Id": rid_get, "X-Note": marker + "-HEADER"})
        self.assertEqual(r.status, 200)
        r = self.client.request("POST", f"/healthz?{marker}-QUERY2",
                                body={"secret": marker + "-BODY"},
                                headers={"X-Request-Id": rid_post})
        self.assertEqual(r.status, 405)
        r = self.get(f"/no/such/{marker}-PATH", headers={"X-Request-Id": rid_404})
        self.assertEqual(r.status, 404)

        def line_of(rid):
            return self.server.wait_log(lambda l: l.get("request_id") == rid,
                                        what=f"the access log line of {rid}")

        get_line = line_of(rid_get)
        self.assertEqual(get_line["method"], "GET")
        self.assertEqual(get_line["route"], "/healthz")
        self.assertEqual(get_line["status"], 200)
        self.assertIsInstance(get_line["duration_us"], int)
        self.assertGreaterEqual(get_line["duration_us"], 0)
        post_line = line_of(rid_post)
        self.assertEqual(post_line["method"], "POST")
        self.assertEqual(post_line["status"], 405)
        line_404 = line_of(rid_404)
        self.assertEqual(line_404["status"], 404)
        for line in (get_line, post_line, line_404):
            self.assertNotIn("?", line["route"])
            self.assertIn("ts", line)
        self.assertNotIn(marker, self.server.log_text())

    # --- ops endpoints -----------------------------------------------------------------------

    def test_metrics(self):
        self.assertEqual(self.get("/healthz").status, 200)
        self.assertEqual(self.get("/readyz").status, 200)  # this worker's connection is up

        def scrape():
            r = self.get("/metrics")
            self.assertEqual(r.status, 200)
            text = r.body.decode("utf-8")
            return (r, text) if re.search(
                r'^recours_http_requests_total\{[^}]*route="/healthz"[^}]*\} \d+$', text,
                re.M) else None

        r, text = harness.poll(scrape, 10, what="the /healthz series in /metrics")
        self.assertEqual(r.media_type, "text/plain")
        self.assertIn("version=0.0.4", r.content_type)
        m = re.search(r'^recours_http_requests_total\{route="/healthz",method="GET",'
                      r'status="200"\} (\d+)$', text, re.M)
        self.assertIsNotNone(m, text)
        self.assertGreaterEqual(int(m.group(1)), 1)
        for line in text.splitlines():
            if line and not line.startswith("#"):
                self.assertRegex(line, r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? '
                                       r'[0-9.e+-]+$')
        buckets = [(le, int(v)) for le, v in re.findall(
            r'^recours_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$', text,
            re.M)]
        self.assertGreater(len(buckets), 1, text)
        self.assertEqual(buckets[-1][0], "+Inf")
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts), "buckets are cumulative")
        count = re.search(r"^recours_http_request_duration_seconds_count (\d+)$", text, re.M)
        total = re.search(r"^recours_http_request_duration_seconds_sum ([0-9.]+)$", text, re.M)
        self.assertIsNotNone(count, text)
        self.assertIsNotNone(total, text)
        self.assertEqual(int(count.group(1)), counts[-1])
        self.assertGreaterEqual(float(total.group(1)), 0.0)
        up = re.search(r'^recours_db_connections\{state="up"\} (\d+)$', text, re.M)
        self.assertIsNotNone(up, text)
        self.assertGreaterEqual(int(up.group(1)), 1)
        self.assertRegex(text, r'(?m)^recours_db_connections\{state="down"\} \d+$')

    def test_openapi_document(self):
        r = self.get("/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.media_type, "application/json")
        doc = r.json()
        self.assertTrue(str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi"))
        self.assertIsInstance(doc.get("paths"), dict)
        self.assertIn("/healthz", doc["paths"])

    def test_readyz_ready_with_migrated_database(self):
        r = self.get("/readyz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.media_type, "application/json")
        self.assertEqual(r.json(), {"status": "ready"})

    def test_healthz(self):
        r = self.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.media_type, "application/json")
        self.assertEqual(r.json(), {"status": "ok"})


class LifecycleTest(unittest.TestCase):
    """Servers of their own: shutdown, plain HTTP, a port already taken."""

    def start(self, **kw):
        s = harness.Server(**kw)
        s.start()
        self.addCleanup(s.close)
        return s

    def test_sigterm_exits_zero_within_grace(self):
        grace = 5
        s = self.start(args=["--shutdown-grace", str(grace)])
        idle = Client(s)  # an idle keep-alive connection must not hold the shutdown
        self.addCleanup(idle.close)
        self.assertEqual(idle.request("GET", "/healthz").status, 200)
        t0 = time.monotonic()
        code = s.stop(signal.SIGTERM, timeout=grace + 10)
        elapsed = time.monotonic() - t0
        self.assertEqual(code, 0, harness.tail(s.log_text()))
        self.assertLess(elapsed, grace, f"took {elapsed:.2f} s with nothing in flight")
        self.assertIn('"msg":"stopped"', s.log_text())

    def _hold_request_open(self, s):
        """A POST whose headers are in (100 Continue seen) and whose body is not yet sent."""
        rc = RawConnection(s)
        self.addCleanup(rc.close)
        rc.send(post_head("/healthz", b"Content-Length: 10\r\nExpect: 100-continue\r\n\r\n"))
        self.assertEqual(rc.read_interim(), 100)
        return rc

    def _sigterm_and_wait_for_grace(self, s):
        s.send_signal(signal.SIGTERM)
        s.wait_log(lambda l: "finishing in-flight" in l.get("msg", ""),
                   what="the shutdown to begin")

    def test_sigterm_lets_in_flight_request_finish(self):
        grace = 20
        s = self.start(args=["--shutdown-grace", str(grace)])
        rc = self._hold_request_open(s)
        self._sigterm_and_wait_for_grace(s)
        self.assertIsNone(s.proc.poll(), "exited with a request in flight")
        rc.send(b"0123456789")
        r = rc.read_response("POST")
        assert_problem(self, r, 405, "method-not-allowed")
        t0 = time.monotonic()
        code = s.wait(grace)
        s.stop()  # records the exit as expected
        self.assertEqual(code, 0, harness.tail(s.log_text()))
        self.assertLess(time.monotonic() - t0, 5, "did not exit once the request finished")

    def test_sigterm_refuses_new_connections_during_grace(self):
        grace = 20
        s = self.start(args=["--shutdown-grace", str(grace)])
        rc = self._hold_request_open(s)
        self._sigterm_and_wait_for_grace(s)
        t0 = time.monotonic()
        outcome = None
        try:
            with socket.create_connection((s.host, s.port), timeout=3) as raw:
                with harness.tls_context(s).wrap_socket(raw, server_hostname=s.host) as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    outcome = f"served: {tls.recv(200)!r}"
        except (ConnectionRefusedError, ConnectionResetError, ssl.SSLEOFError) as e:
            outcome = f"refused ({e!r})"
        except (socket.timeout, TimeoutError) as e:
            outcome = f"hung ({e!r})"
        except (OSError, ssl.SSLError) as e:
            outcome = f"failed ({e!r})"
        elapsed = time.monotonic() - t0
        rc.send(b"0123456789")
        rc.read_response("POST")
        self.assertEqual(s.stop(timeout=grace + 10), 0)
        self.assertTrue(outcome.startswith("refused") and elapsed < 1.0,
                        f"a connection opened during the grace period was {outcome} after "
                        f"{elapsed:.2f} s; it should be refused at once")

    def test_plain_http(self):
        s = self.start(plain_http=True)
        c = Client(s)
        self.addCleanup(c.close)
        r = c.request("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertNotIn("Strict-Transport-Security", r.headers, "HSTS only over HTTPS")
        self.assertRegex(r.headers.get("X-Request-Id", ""), REQUEST_ID_RE)
        assert_problem(self, c.request("GET", "/nope"), 404, "not-found")
        self.assertEqual(c.request("GET", "/readyz").status, 200)

    def test_port_in_use_is_refused(self):
        s = self.start()
        second = subprocess.Popen(
            [harness.recours_bin(), "serve", "--port", str(s.port),
             "--secrets-dir", s.secrets_dir, "--tls-cert", s.cafile, "--tls-key", s.keyfile,
             "--migrations-dir", harness.migrations_dir(), "--workers", "1"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def settled():
            if second.poll() is not None:
                return "exited"
            if not harness.port_owned_by(s.port, s.pid):
                return "shares the port"
            return None

        try:
            outcome = harness.poll(settled, 30, interval=0.05,
                                   what="the second server to exit or to listen")
        finally:
            if second.poll() is None:
                second.kill()
            _, err = second.communicate(timeout=30)
        self.assertEqual(outcome, "exited",
                         "a second `recours serve` bound the port of a running one and the "
                         "kernel now splits connections between them (SO_REUSEPORT)")
        self.assertNotEqual(second.returncode, 0, err.decode("utf-8", "replace"))


if __name__ == "__main__":
    harness.main()
