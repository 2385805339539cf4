#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Claims survive the API being killed (the claims issue; docs/api.md §3.1 "only after its
transaction committed"; docs/architecture.md §7): 20 concurrent clients submit unique claims,
each with its own
Idempotency-Key, while the server is killed with SIGKILL and restarted on the same port (same
secrets and certificate) five times at random moments. A client that loses its connection or
gets 503 resends the SAME body with the SAME key on a new connection until it gets a final
answer (409 idempotency-key-in-use: the first attempt may still be committing, so it tries
again a little later).

Afterwards, on an incident of its own:
  - every reference that got a 201 is in `claims` (0 lost), and `claims` holds nothing else:
    rows == distinct keys that got a 201 (a retried key never made a second row);
  - no email, phone or identity key appears twice, and no retry was refused as a duplicate;
  - the incident's summary tallies (claim_tallies, when the schema has them) count exactly
    the claims rows;
  - the stored answer of a key retried after a kill (and of a sample of the others), asked
    again on the restarted server, is replayed byte for byte: same reference, same token.

What this tests: `kill -9` of the API process tests the application's contract (a 201 is only
sent for a committed claim, and a commit whose answer was lost is found again through its
Idempotency-Key), not power-loss durability: PostgreSQL keeps running, so nothing here says
the commits would survive the machine losing power (that is fsync and the disks' business).

The whole test is bounded to about 90 s, on its own incident (unique slug), so it may run in
parallel with other tests and under AddressSanitizer.
"""

import http.client
import json
import os
import random
import subprocess
import threading
import time
import unittest
import urllib.parse

import claims_fixtures as cf
import harness
from harness import Client, Server

N_CLIENTS = 20
N_KILLS = 5
UPTIME_S = (1.0, 2.0)          # the server lives this long (uniform) between two kills
LAST_RUN_S = 1.5               # load on the last incarnation before the clients stop
TEST_BUDGET_S = 90.0
RETRY_PAUSE_S = 0.03           # between two attempts of one key after an error
BUSY_PAUSE_S = 0.1             # after 503 or 409 idempotency-key-in-use
REPLAY_SAMPLE = 150            # keys answered without trouble whose answer is asked again
PROGRESS_TIMEOUT_S = 30.0      # a restarted server must commit a claim within this (ASan)

CATEGORIES = ["name", "email", "phone", "postal_address", "birth_date", "password"]
GIVEN = ["Camille", "Léa", "Hugo", "Chloé", "Lucas", "Inès", "Jules", "Zoé"]
FAMILY = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
STREETS = ["rue de Rivoli", "avenue Jean Jaurès", "boulevard Voltaire", "place Bellecour"]
PRIVACY_NOTICE = {"version": None}  # the incident's, read once before the load starts
DESCRIPTION = ("Received a phishing SMS pretending to be the carrier right after the leak, then "
               "calls about a parcel.")  # about 100 characters, like a real harm description


def letters(n):
    """n in base 26 as capitalised letters: names stay names while every claim differs."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out.capitalize()


def claim_body(tag, client, n):
    """A unique, realistic claim: email, phone and identity (names + birth date) all differ
    from every other claim of the run. Encoded once, so a retry sends the very same bytes."""
    doc = {
        "claimant": {
            "given_name": GIVEN[n % len(GIVEN)],
            "family_name": f"{FAMILY[client % len(FAMILY)]}-{letters(client * 1_000_000 + n)}",
            "email": f"{tag}.{client}.{n}@example.org",
            "phone": f"+336{client:02d}{n:06d}",
            "birth_date": f"19{50 + n % 50:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "address": {"line1": f"{1 + n % 200} {STREETS[n % len(STREETS)]}", "line2": None,
                        "postal_code": "75001", "city": "Paris", "country": "FR"},
        },
        "data_categories": ["email", "phone"],
        "harms": {"phishing": True, "identity_theft": False, "distress": n % 2 == 0,
                  "documented_loss": n % 5000, "hours_spent": n % 10,
                  "description": DESCRIPTION},
        "payment_preference": "voucher" if n % 3 else "cash",
        "privacy_notice_version": PRIVACY_NOTICE["version"],
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")



class Outcome:
    """What one Idempotency-Key went through."""

    __slots__ = ("key", "body", "attempts", "conn_errors", "busy", "status", "problem",
                 "reference", "response", "location", "replayed", "error")

    def __init__(self, key, body):
        self.key = key
        self.body = body
        self.attempts = 0
        self.conn_errors = 0     # connection refused/reset/closed: the server was killed
        self.busy = 0            # 503, or 409 idempotency-key-in-use
        self.status = None       # the final status
        self.problem = None
        self.reference = None
        self.response = None     # the 201 body, bytes
        self.location = None
        self.replayed = False    # the final 201 carried Idempotency-Replayed: true
        self.error = None        # why this key is a failure, if it is


class Submitter(threading.Thread):
    """Submits unique claims one after the other until stopped; each key is retried until it
    has a final answer (or the hard deadline, which is a failure)."""

    def __init__(self, index, server, path, tag, stop_event, deadline):
        super().__init__(daemon=True, name=f"submitter-{index}")
        self.index = index
        self.server = server
        self.path = path
        self.tag = tag
        self.stop_event = stop_event
        self.deadline = deadline
        self.outcomes = []
        self.crash = None

    def run(self):
        client = Client(self.server, timeout=harness.IO_TIMEOUT_S)
        try:
            n = 0
            while not self.stop_event.is_set() and time.monotonic() < self.deadline:
                n += 1
                out = Outcome(f"{self.tag}-{self.index}-{n}", claim_body(self.tag, self.index, n))
                self.outcomes.append(out)
                self.settle(client, out)
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.crash = repr(e)
        finally:
            client.close()

    def settle(self, client, out):
        headers = {"Content-Type": "application/json", "Idempotency-Key": out.key}
        while True:
            if time.monotonic() >= self.deadline:
                out.error = (f"no final answer before the deadline after {out.attempts} "
                             f"attempts ({out.conn_errors} connection errors, {out.busy} busy)")
                return
            out.attempts += 1
            try:
                r = client.request("POST", self.path, body=out.body, headers=headers)
            except (OSError, http.client.HTTPException):
                # killed server: refused, reset, or closed mid-answer. Same body, same key,
                # new connection (Client reconnects by itself).
                out.conn_errors += 1
                time.sleep(RETRY_PAUSE_S)
                continue
            problem = None
            if r.media_type == "application/problem+json":
                try:
                    problem = r.json().get("type", "").rsplit("/", 1)[-1]
                except ValueError:
                    problem = "unparsable"
            if r.status == 503 or (r.status == 409 and problem == "idempotency-key-in-use"):
                out.busy += 1
                time.sleep(BUSY_PAUSE_S)
                continue
            out.status = r.status
            out.problem = problem
            if r.status == 201:
                doc = r.json()
                out.reference = doc.get("reference")
                out.response = r.body
                out.location = r.headers.get("Location")
                out.replayed = r.headers.get("Idempotency-Replayed") == "true"
                if out.location != f"/v1/claims/{out.reference}":
                    out.error = f"201 with Location {out.location!r} for {out.reference!r}"
            else:
                out.error = f"final answer {r.status} {problem or r.body[:200]!r}"
            return


def psql(database_url, sql):
    """Rows of sql run with psql on database_url (the password goes through PGPASSWORD, not
    the command line)."""
    u = urllib.parse.urlsplit(database_url)
    env = dict(os.environ)
    if u.password is not None:
        env["PGPASSWORD"] = urllib.parse.unquote(u.password)
        netloc = u.netloc.rsplit("@", 1)
        userinfo = netloc[0].split(":", 1)[0]
        u = u._replace(netloc=f"{userinfo}@{netloc[1]}")
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", urllib.parse.urlunsplit(u), "-c", sql],
                         capture_output=True, text=True, env=env, timeout=harness.RUN_TIMEOUT_S)
    if run.returncode != 0:
        raise AssertionError(f"psql failed ({run.returncode}): {run.stderr.strip()}")
    return [line.split("\t") for line in run.stdout.splitlines() if line != ""]


class ClaimsCrashTest(unittest.TestCase):
    def test_no_201_is_lost_and_no_retry_makes_a_second_row(self):
        started = time.monotonic()
        deadline = started + TEST_BUDGET_S - 15.0  # leaves time for the checks
        database_url = harness.env("DATABASE_URL")
        server = Server(args=["--rate-limit-burst", "1000000", "--rate-limit-per-s", "1000000",
                              "--shutdown-grace", "2"], workers=4)
        server.start()
        self.addCleanup(server.close)

        tag = f"crash{os.getpid()}{random.randrange(16 ** 6):06x}"
        slug = f"claims-crash-{tag}"
        with Client(server) as op:
            r = op.request("POST", "/v1/incidents", token=server.operator_key, body={
                "slug": slug, "controller": "Crash Test SA", "title": "Kill -9 under load",
                "disclosed_on": "2025-06-01", "affected_count": 100000,
                "data_categories": CATEGORIES, "currency": "EUR"})
            self.assertEqual(r.status, 201, f"creating the incident: {r!r}")
            PRIVACY_NOTICE["version"] = r.json()["privacy_notice_version"]
        path = f"/v1/incidents/{slug}/claims"

        kills = 0
        stop = threading.Event()
        submitters = [Submitter(i, server, path, tag, stop, deadline)
                      for i in range(N_CLIENTS)]
        for s in submitters:
            s.start()

        def created():
            return sum(1 for s in submitters for o in list(s.outcomes) if o.status == 201)

        rng = random.Random()
        restarts = []
        try:
            for _ in range(N_KILLS):
                before = created()
                harness.poll(lambda: created() > before, PROGRESS_TIMEOUT_S, interval=0.05,
                             what="a claim committed by the running server")
                time.sleep(rng.uniform(*UPTIME_S))  # the moment of the kill, not a sync
                code = server.kill()
                self.assertEqual(code, -9, "the server was not killed by SIGKILL")
                kills += 1
                t0 = time.monotonic()
                server.restart()
                restarts.append(time.monotonic() - t0)
            before = created()
            harness.poll(lambda: created() > before, PROGRESS_TIMEOUT_S, interval=0.05,
                         what="a claim committed after the last restart")
            time.sleep(LAST_RUN_S)
        finally:
            stop.set()
            for s in submitters:
                s.join(timeout=max(1.0, deadline + 5.0 - time.monotonic()))
        self.assertFalse([s.name for s in submitters if s.is_alive()],
                         "submitters still running after the deadline")
        self.assertEqual([s.crash for s in submitters if s.crash], [], "a submitter crashed")

        outcomes = [o for s in submitters for o in s.outcomes]
        failures = [f"{o.key}: {o.error}" for o in outcomes if o.error]
        ok = [o for o in outcomes if o.status == 201]
        recovered = [o for o in ok if o.conn_errors > 0]
        replayed_on_retry = [o for o in ok if o.replayed]

        rows = psql(database_url,
                    "SELECT c.reference FROM claims c JOIN incidents i ON i.id = c.incident_id"
                    f" WHERE i.slug = '{slug}'")
        db_refs = [row[0] for row in rows]
        dup_keys = psql(database_url, f"""
            SELECT k, count(*) FROM (
              SELECT 'email' AS k, email_key AS v FROM claims c JOIN incidents i
                ON i.id = c.incident_id WHERE i.slug = '{slug}'
              UNION ALL
              SELECT 'phone', phone_key FROM claims c JOIN incidents i
                ON i.id = c.incident_id WHERE i.slug = '{slug}' AND phone_key IS NOT NULL
              UNION ALL
              SELECT 'identity', identity_key FROM claims c JOIN incidents i
                ON i.id = c.incident_id WHERE i.slug = '{slug}' AND identity_key IS NOT NULL
            ) t GROUP BY k, v HAVING count(*) > 1""")
        refused = int(psql(database_url,
                           "SELECT count(*) FROM claim_duplicates d JOIN incidents i"
                           f" ON i.id = d.incident_id WHERE i.slug = '{slug}'")[0][0])
        # the summary tallies (0005) move in the same statement as the claims: a kill must
        # not leave them off by one batch
        tallied = None
        if psql(database_url, "SELECT to_regclass('claim_tallies') IS NOT NULL")[0][0] == "t":
            tallied = int(psql(database_url,
                               "SELECT coalesce(sum(t.n), 0) FROM claim_tallies t JOIN incidents i"
                               f" ON i.id = t.incident_id WHERE i.slug = '{slug}'")[0][0])

        # the stored answers, asked again of the last incarnation
        rng.shuffle(ok)
        to_replay = recovered + [o for o in ok if o.conn_errors == 0][:REPLAY_SAMPLE]
        replay_errors = cf.replay_mismatches(server, path, to_replay)

        ok_refs = [o.reference for o in ok]
        print(f"\nclaims crash: {N_CLIENTS} clients, {kills} SIGKILLs "
              f"(restarts {', '.join(f'{t:.2f}' for t in restarts)} s), "
              f"{time.monotonic() - started:.1f} s in all", flush=True)
        print(f"  keys {len(outcomes)}, submissions (POSTs) {sum(o.attempts for o in outcomes)}, "
              f"201s {len(ok)}, retries after a connection error "
              f"{sum(o.conn_errors for o in outcomes)} (on {len(recovered)} keys that then got "
              f"201), busy retries (503/409 in use) {sum(o.busy for o in outcomes)}, "
              f"201s replayed on a retry (committed, answer lost in a kill) "
              f"{len(replayed_on_retry)}", flush=True)
        print(f"  claims rows {len(db_refs)}, tallied {tallied}, duplicate keys {len(dup_keys)}, "
              f"refused as duplicates {refused}, answers replayed at the end {len(to_replay)} "
              f"({len(replay_errors)} wrong)", flush=True)

        self.assertEqual(failures, [], "keys without a 201")
        self.assertEqual(kills, N_KILLS)
        self.assertGreater(len(ok), 0)
        self.assertGreater(len(recovered), 0,
                           "no request was cut by a kill: the test did not test anything")
        self.assertEqual(len(set(ok_refs)), len(ok_refs), "two keys got the same reference")
        lost = sorted(set(ok_refs) - set(db_refs))
        self.assertEqual(lost, [], f"{len(lost)} references answered 201 are not in claims")
        extra = sorted(set(db_refs) - set(ok_refs))
        self.assertEqual(extra, [], f"{len(extra)} claims rows no key got a 201 for")
        self.assertEqual(len(db_refs), len({o.key for o in ok}),
                         "claims rows != distinct Idempotency-Keys that got a 201")
        self.assertEqual(dup_keys, [], "an email, phone or identity appears twice")
        self.assertEqual(refused, 0, "a retry was refused as a duplicate of its own claim")
        if tallied is not None:
            self.assertEqual(tallied, len(db_refs), "claim_tallies disagree with the claims")
        self.assertEqual(replay_errors, [], "replayed answers differ from the first ones")
        self.assertLess(time.monotonic() - started, TEST_BUDGET_S + 30.0)


if __name__ == "__main__":
    harness.main()
