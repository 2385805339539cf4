#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The per-IP token bucket on public POSTs (docs/api.md §6, §5): the burst passes with
RateLimit-* headers counting down, the next one is 429 rate-limited with Retry-After and a
problem document, a token comes back with time, credentialed routes are not limited, a bogus
credential does not buy a way round it, X-Forwarded-For counts only from trusted proxies, and
the refill keeps its configured rate when requests arrive faster than one per millisecond; a
browser's form post refused by the limit (the claim form, a correction on /my-claim) comes
back with what was typed.

The tests of RateLimitTest share a server with --rate-limit-burst 5 --rate-limit-per-s 1, each
test connecting from an address of 127.0.0.0/8 of its own (harness.Server.source_address), so
that each has a bucket of its own, full at its start, as a server of its own gave it (a server
started per test cost a second and more under ASan).
The requests whose answers depend on the bucket are pipelined on one connection and cheap (a
text/plain body is refused with 415 past the limiter, without database work), so that they
all reach the limiter within milliseconds: at 1 token a second, a slow machine would
otherwise refill the bucket between them.
"""

import json
import re
import threading
import time
import unittest
import urllib.parse

import harness
from harness import Client, RawConnection, assert_problem
import claims_fixtures as F

BURST = 5
PER_S = 1


def limited_server(testcase, *extra, **kw):
    server = harness.Server(args=["--rate-limit-burst", str(BURST),
                                  "--rate-limit-per-s", str(PER_S)] + list(extra), **kw)
    server.start()
    testcase.addCleanup(server.close)
    return server


def raw_post(slug, headers=None, body=b"x", content_type="text/plain"):
    """A complete POST /v1/incidents/{slug}/claims request as bytes."""
    head = (f"POST /v1/incidents/{slug}/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n")
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    return head.encode("latin-1") + b"\r\n" + body


def pipeline(server, requests):
    """Sends every request at once on one connection; returns the responses in order."""
    with RawConnection(server, timeout=30) as rc:
        rc.send(b"".join(requests))
        return [rc.read_response("POST") for _ in requests]


def exchange(tc, make_requests):
    """pipeline() of make_requests() on tc.server, answered within one refill interval
    (1/PER_S s), so that no token can have come back between the burst and the requests after
    it, and only from a full bucket: its first request must leave BURST - 1 tokens (an earlier
    public POST of the test, its set-up's claim, may have left a fraction of a token short,
    which came back during the exchange and let a request after the burst through). On a
    machine too loaded for that, the exchange says nothing: the bucket is left to fill
    again (BURST/PER_S s, the limiter's own clock) and the exchange is made again on a new
    incident tc.slug (a POST that passed may have stored a claim)."""
    for _ in range(5):
        requests = make_requests()
        started = time.monotonic()
        responses = pipeline(tc.server, requests)
        full = responses[0].headers.get("RateLimit-Remaining") == str(BURST - 1)
        if full and time.monotonic() - started < 1.0 / PER_S:
            return responses
        time.sleep(BURST / PER_S + 1)
        tc.slug = F.make_incident(tc.server)
    tc.fail("no exchange was answered within one refill interval")


def form_post(path, pairs, accept="text/html"):
    """A browser's form post (urlencoded, same site, HTML preferred) to path as bytes."""
    body = urllib.parse.urlencode(pairs).encode()
    return (f"POST {path}?lang=en HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nAccept: {accept}\r\n"
            "Sec-Fetch-Site: same-origin\r\n\r\n").encode() + body


class RateLimitTest(unittest.TestCase):
    server = None
    clients_made = 0

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(args=["--rate-limit-burst", str(BURST),
                                          "--rate-limit-per-s", str(PER_S)])
        cls.server.start()
        cls.addClassCleanup(cls.server.close)

    def setUp(self):
        # a client address of the test's own: 127.0.0.2, .3, ... (127.0.0.1 is the server's)
        type(self).clients_made += 1
        self.server.source_address = (f"127.0.0.{1 + self.clients_made}", 0)
        self.client = Client(self.server)
        self.addCleanup(self.client.close)
        self.slug = F.make_incident(self.server)  # operator POST: not limited

    def cheap(self, headers=None):
        return raw_post(self.slug, headers)

    def assert_passed(self, r, remaining, what=""):
        self.assertNotEqual(r.status, 429, f"{what}: limited: {r!r}")
        self.assertEqual(r.headers.get("RateLimit-Limit"), str(BURST), what)
        self.assertEqual(r.headers.get("RateLimit-Remaining"), str(remaining), what)
        self.assertRegex(r.headers.get("RateLimit-Reset", ""), r"^\d+$", what)

    def assert_countdown(self, responses, what=""):
        """The first BURST responses passed, counting RateLimit-Remaining down to 0."""
        for i, r in enumerate(responses[:BURST]):
            self.assert_passed(r, BURST - 1 - i, f"{what} POST {i + 1} of the burst")
            assert_problem(self, r, 415, "unsupported-media-type")

    def assert_limited(self, r, what=""):
        assert_problem(self, r, 429, "rate-limited")
        retry = r.headers.get("Retry-After")
        self.assertIsNotNone(retry, f"{what}: no Retry-After in {r.headers}")
        self.assertRegex(retry, r"^\d+$", what)
        self.assertGreaterEqual(int(retry), 1, what)
        self.assertEqual(r.headers.get("RateLimit-Limit"), str(BURST), what)
        self.assertEqual(r.headers.get("RateLimit-Remaining"), "0", what)
        return int(retry)

    def test_burst_then_429_then_refill(self):
        body = json.dumps(F.claim_body()).encode()
        keys = []  # a key of its own for each exchange: an earlier one may have been stored

        def burst_and_claim():
            keys.append("rl-" + F.suffix(12))
            return [self.cheap() for _ in range(BURST)] + [
                raw_post(self.slug, {"Idempotency-Key": keys[-1]}, body, "application/json")]
        responses = exchange(self, burst_and_claim)
        key = keys[-1]
        self.assert_countdown(responses)
        retry = self.assert_limited(responses[BURST], "the POST after the burst")
        self.assertLessEqual(retry, 2, "one token comes back within a second at 1/s")
        self.assertEqual(F.count_claims(self.slug), 0)

        # the same request again, Idempotency-Key included: a 429 is not stored (docs/api.md §4.6)
        def passes():
            r = F.submit(self.client, self.slug, body, idem_key=key)
            return None if r.status == 429 else r
        r = harness.poll(passes, timeout=10, interval=0.25, what="a token back")
        self.assertEqual(r.status, 201, repr(r))
        self.assertNotIn("Idempotency-Replayed", r.headers)
        self.assertEqual(r.headers.get("RateLimit-Limit"), str(BURST))
        self.assertEqual(F.count_claims(self.slug), 1)

    def test_a_claim_form_refused_by_the_limit_keeps_what_was_typed(self):
        """Without JavaScript the claim form is a public POST too: refused by the limit, it
        comes back with what was typed and the limit's message (it was an error page that
        lost the form), 429 with its Retry-After. A client that does not prefer HTML gets the
        problem document, as on every route."""
        typed = [("incident", self.slug), ("lang", "en"), ("claimant.given_name", "Zoé"),
                 ("claimant.address.city", "Lyon"), ("data_categories", "email")]
        responses = exchange(self, lambda: [self.cheap() for _ in range(BURST)] + [
            form_post("/claim", typed), form_post("/claim", typed, "application/json")])
        self.assert_limited(responses[BURST + 1], "a form post preferring JSON")
        r = responses[BURST]
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.media_type, "text/html")
        self.assertEqual(len(r.headers.get_all("Retry-After")), 1, r.headers)
        retry = r.headers.get("Retry-After")
        self.assertRegex(retry or "", r"^\d+$")
        text = r.body.decode()
        self.assertIn("Too many claims were sent from your connection. Your answers are kept",
                      text)
        self.assertRegex(text, r'<input id="given_name"[^>]*value="Zoé"')
        self.assertRegex(text, r'<input id="city"[^>]*value="Lyon"')
        self.assertIn('id="cat-email" type="checkbox" name="data_categories" value="email" '
                      'checked', text)
        # the fields wrong as typed are marked, as its language switch marks them
        self.assertIn('id="error-summary"', text)
        self.assertRegex(text, r'<input id="family_name"[^>]*aria-invalid="true"')
        # `sent` keeps the moment the wait ends, for the language switch (test_claim_form)
        until = re.search(r'name="sent" value="rate_limited:(\d+)"', text)
        self.assertTrue(until, text[:300])
        self.assertLessEqual(abs(int(until.group(1)) - int(retry) - time.time()), 60)

    def test_a_correction_refused_by_the_limit_keeps_what_was_typed(self):
        """The same on /my-claim, without any lookup under the limit: a correction comes back
        whole, as the hidden fields of a form that sends it again, nothing saved, whether its
        token is right or not (the limit bounds the guesses of a token); the access form
        keeps the reference typed. The page's language switch posts the correction kept,
        which shows it again in that language, nothing saved (a link lost it)."""
        receipt = F.submit_ok(self, self.client, self.slug, F.claim_body())
        typed = [("form", "correct"), ("lang", "en"), ("reference", receipt["reference"]),
                 ("token", receipt["token"]), ("claimant.address.city", "Villeurbanne")]
        guessed = [(k, "A" * 43 if k == "token" else v) for k, v in typed]
        opened = [("form", "open"), ("lang", "en"), ("reference", receipt["reference"]),
                  ("token", "")]
        switched = typed + [("switch_lang", "fr")]
        responses = exchange(self, lambda: [self.cheap() for _ in range(BURST)] + [
            form_post("/my-claim", typed), form_post("/my-claim", guessed),
            form_post("/my-claim", opened), form_post("/my-claim", switched)])
        self.assertRegex(responses[BURST].body.decode(),
                         r'<button type="submit" form="resend" formaction="/my-claim\?lang=fr"'
                         r' formnovalidate name="switch_lang" value="fr"')
        french = responses[BURST + 3].body.decode()
        self.assertIn("votre correction n'a pas été enregistrée", french)
        self.assertIn('name="claimant.address.city" value="Villeurbanne"', french)

        def reshown():  # the switch once the limit lets it through: the claim, as typed
            r = pipeline(self.server, [form_post("/my-claim", switched)])[0]
            return None if r.status == 429 else r
        r = harness.poll(reshown, timeout=10, interval=0.25, what="a token back")
        self.assertEqual(r.status, 200, r)
        self.assertIn('lang="fr"', r.body.decode())
        self.assertRegex(r.body.decode(), r'<input id="city"[^>]*value="Villeurbanne"')
        for r in responses[BURST:]:
            self.assertEqual(r.status, 429, r)
            self.assertTrue(r.headers.get("Retry-After"), r)
        for r, token in ((responses[BURST], receipt["token"]), (responses[BURST + 1], "A" * 43)):
            text = r.body.decode()
            self.assertIn("your correction was not saved", text)
            self.assertIn('<form id="resend" method="post" action="/my-claim">', text)
            self.assertIn('name="claimant.address.city" value="Villeurbanne"', text)
            self.assertIn(f'name="token" value="{token}"', text)
            self.assertNotIn("not recognised", text)
            self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        # the access form's own words: no claim was being sent
        self.assertIn("Too many requests were sent from your connection",
                      responses[BURST + 2].body.decode())
        self.assertIn(f'value="{receipt["reference"]}"', responses[BURST + 2].body.decode())
        # the access form's language switch says the limit again (test_my_claim_page)
        self.assertRegex(responses[BURST + 2].body.decode(),
                         r'name="sent" value="rate_limited:\d+"')
        view = F.claim_request(self.client, "GET", receipt["reference"], receipt["token"])
        self.assertNotEqual(view.json()["claimant"]["address"]["city"], "Villeurbanne")

    def test_every_public_post_counts_whatever_its_answer(self):
        bad_claim = json.dumps(F.claim_body(claimant={"email": "bad"})).encode()
        responses = exchange(self, lambda: [
            raw_post(self.slug, body=bad_claim, content_type="application/json"),
            raw_post(self.slug, body=bad_claim, content_type="application/json"),
            raw_post("no-such-" + F.suffix(6), body=bad_claim, content_type="application/json"),
            raw_post(self.slug, body=b"{oops", content_type="application/json"),
            self.cheap(),
            raw_post(self.slug, body=json.dumps(F.claim_body()).encode(),
                     content_type="application/json")])
        statuses = [r.status for r in responses]
        self.assertEqual(statuses, [422, 422, 404, 400, 415, 429], statuses)
        for i, r in enumerate(responses[:BURST]):
            self.assert_passed(r, BURST - 1 - i, f"POST {i + 1}")
        self.assert_limited(responses[BURST])
        self.assertEqual(F.count_claims(self.slug), 0)

    def test_gets_and_credentialed_routes_are_not_limited(self):
        responses = exchange(self, lambda: [self.cheap() for _ in range(BURST + 1)])
        self.assert_countdown(responses)
        self.assert_limited(responses[BURST])
        for _ in range(3):
            r = F.operator_request(self.server, "POST", "/v1/incidents",
                                   {"slug": "rl-" + F.suffix(10), "controller": "ACME SA",
                                    "title": "Leak", "disclosed_on": "2026-02-10",
                                    "affected_count": 10, "data_categories": ["email"],
                                    "currency": "EUR"})
            self.assertEqual(r.status, 201, f"operator POST with an empty bucket: {r!r}")
            self.assertNotIn("RateLimit-Limit", r.headers)
        for _ in range(BURST + 2):
            r = self.client.request("GET", f"/v1/incidents/{self.slug}")
            self.assertEqual(r.status, 200, repr(r))
            self.assertNotIn("RateLimit-Limit", r.headers)

    def test_a_bogus_credential_does_not_lift_the_limit(self):
        # docs/api.md §6.1: the limit is on public POSTs, whatever `Authorization` says; a
        # header that is no
        # credential at all must not be a way round it
        auths = ("Bearer x", "Bearer " + "a" * 43, "Basic dTpw", "junk")
        responses = exchange(self, lambda: [self.cheap() for _ in range(BURST)]
                             + [self.cheap({"Authorization": a}) for a in auths])
        self.assert_countdown(responses)
        for auth, r in zip(auths, responses[BURST:]):
            with self.subTest(authorization=auth):
                self.assertIn(r.status, (401, 429),
                              f"Authorization: {auth!r} after the burst got {r!r}")

    def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        spoofed = ("10.9.9.9", "203.0.113.7, 10.9.9.8", "2001:db8::1")
        responses = exchange(
            self, lambda: [self.cheap({"X-Forwarded-For": f"10.1.0.{i + 1}"})
                           for i in range(BURST)]
            + [self.cheap({"X-Forwarded-For": x}) for x in spoofed] + [self.cheap()])
        self.assert_countdown(responses, "one bucket whatever the header:")
        for what, r in zip(spoofed + ("no header",), responses[BURST:]):
            with self.subTest(xff=what):
                self.assert_limited(r, what)


class TrustedProxyTest(unittest.TestCase):

    def setUp(self):
        self.server = limited_server(self, "--trusted-proxies", "127.0.0.1")
        self.slug = F.make_incident(self.server)

    def test_each_forwarded_client_has_its_bucket(self):
        a, b, c = "198.51.100.1", "198.51.100.2", "198.51.100.3"
        cases = [(a, 415, BURST - 1 - i) for i in range(BURST)] + [
            (a, 429, 0),
            # the proxy appends the address it saw: the right-most untrusted one is the
            # client, whatever the client wrote before it
            ("203.0.113.50, " + a, 429, 0),
            (a + ", 127.0.0.1", 429, 0),
            (b, 415, BURST - 1),
            (a + ", " + c, 415, BURST - 1),
            ("2001:db8::7", 415, BURST - 1),
            # the proxy's own bucket, for requests it forwarded for no one
            (None, 415, BURST - 1),
            # garbage in the chain: the proxy's own bucket, not one of the client's choice
            ("not-an-address", 415, BURST - 2),
        ]
        responses = exchange(self, lambda: [
            raw_post(self.slug, {"X-Forwarded-For": xff} if xff else None)
            for xff, _, _ in cases])
        for (xff, status, remaining), r in zip(cases, responses):
            with self.subTest(xff=xff, status=status, remaining=remaining):
                self.assertEqual(r.status, status, repr(r))
                self.assertEqual(r.headers.get("RateLimit-Remaining"), str(remaining))


class RefillRateTest(unittest.TestCase):
    """At --rate-limit-per-s N a client that never stops asking still gets about N requests a
    second through after its burst. Requests are pipelined on one connection so that they
    reach the limiter far less than a millisecond apart. The burst is a second's worth, so
    that the client's own pauses (a busy test machine) do not cost it refill at the cap."""

    PER_S = 500
    BURST = 500
    DURATION_S = 2.0

    def test_refill_rate_holds_under_sub_millisecond_arrivals(self):
        # plain HTTP: one thread writes while another reads, which a Python TLS socket does
        # not allow (one OpenSSL object used from two threads at once); the limiter is the same
        server = harness.Server(args=["--rate-limit-burst", str(self.BURST),
                                      "--rate-limit-per-s", str(self.PER_S)], plain_http=True)
        server.start()
        self.addCleanup(server.close)
        # a text/plain body: refused with 415 once past the limiter, no database work
        request = raw_post("nope-" + F.suffix(6), body=b"hi")
        counts = {}
        # sent counts requests before they are written, under `progress`, so that the reader
        # never blocks for an answer to a request that will not come: it waits on the
        # condition while it has read every answer and the writer has not said it is done
        progress = threading.Condition()
        sent = [0]
        got = [0]
        done = [False]
        errors = []
        with RawConnection(server, timeout=30) as rc:
            stop = time.monotonic() + self.DURATION_S

            def writer():
                try:
                    while time.monotonic() < stop:
                        if sent[0] - got[0] > 2000:  # keep the server busy, not buried
                            time.sleep(0.0005)
                            continue
                        with progress:
                            sent[0] += 50
                            progress.notify()
                        rc.send(request * 50)
                except BaseException as e:
                    errors.append(e)
                finally:
                    with progress:
                        done[0] = True
                        progress.notify()

            t = threading.Thread(target=writer)
            t.start()
            first = last = None
            while True:
                with progress:
                    progress.wait_for(lambda: done[0] or got[0] < sent[0])
                    if got[0] >= sent[0]:
                        break
                r = rc.read_response("POST")
                last = time.monotonic()
                first = first or last
                got[0] += 1
                counts[r.status] = counts.get(r.status, 0) + 1
            t.join(timeout=30)
        # the refill window: from the first answer to the last, as the server saw them
        elapsed = last - first
        self.assertEqual(errors, [])
        self.assertLessEqual(set(counts), {415, 429}, counts)
        total = sum(counts.values())
        refilled = counts.get(415, 0) - self.BURST
        expected = min(total - self.BURST, self.PER_S * elapsed)
        self.assertGreaterEqual(
            refilled, 0.75 * expected,
            f"{refilled} requests past the burst of {self.BURST} passed out of {total} in "
            f"{elapsed:.2f} s at {self.PER_S}/s (expected about {expected:.0f}): the refill "
            "loses time")


if __name__ == "__main__":
    harness.main()
