#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The failover drill's clients and its verdict (bench/ha/drill.sh). Python standard library.

  drill_client.py load  --url U --slug S --notice V --out DIR --stop-file F [--threads N]
      N threads submit unique claims through HAProxy, each with its own Idempotency-Key,
      retrying the SAME body with the SAME key after a connection error, a 5xx or 409
      idempotency-key-in-use, until a final answer. Every attempt is logged with its wall
      clock time; every 201 is kept (key, reference, token, the claimant sent). Runs until
      the stop file exists, then writes DIR/attempts.json and DIR/acked.json.

  drill_client.py check --url U --slug S --out DIR --kills FILE --psql-url DSN
      Afterwards: every acknowledged reference is in `claims` exactly once, nothing else is,
      and each reads back (GET /v1/claims/{ref} with its token) with the claimant that was
      sent. Per kill (FILE: lines "<unix time> <kind> <what>"): the write unavailability, from
      the first failed attempt at or after the kill to the first 201 after it (0 when no
      attempt failed), and the clients' errors in that window. Prints Markdown; exit 1 on
      any lost, doubled or altered claim.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

RETRY_PAUSE_S = 0.05
BUSY_PAUSE_S = 0.1
IO_TIMEOUT_S = 10.0


def claim_body(tag, client, n, notice):
    return json.dumps({
        "claimant": {
            "given_name": "Camille",
            "family_name": f"Drill-{tag}-{client}-{n}",
            "email": f"{tag}.{client}.{n}@example.org",
            "phone": f"+336{client:02d}{n:06d}",
            "birth_date": f"19{50 + n % 50:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "address": {"line1": f"{1 + n % 200} rue de Rivoli", "line2": None,
                        "postal_code": "75001", "city": "Paris", "country": "FR"},
        },
        "data_categories": ["email", "phone"],
        "harms": {"phishing": True, "identity_theft": False, "distress": n % 2 == 0,
                  "documented_loss": n % 5000, "hours_spent": n % 10,
                  "description": "Phishing SMS after the leak."},
        "payment_preference": "voucher",
        "privacy_notice_version": notice,
    }).encode()


class Conn:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.c = None

    def request(self, method, path, body=None, headers=None):
        if self.c is None:
            self.c = http.client.HTTPConnection(self.host, self.port, timeout=IO_TIMEOUT_S)
        try:
            self.c.request(method, path, body=body, headers=headers or {})
            r = self.c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        except BaseException:
            self.c.close()
            self.c = None
            raise


def load(args):
    stop_file = args.stop_file
    attempts = []  # (sent at, thread, ok, what, answered at)
    acked = []
    lock = threading.Lock()
    tag = f"d{int(time.time())}"

    def worker(i):
        conn = Conn(args.url)
        n = 0
        while not os.path.exists(stop_file):
            n += 1
            key = f"{tag}-{i}-{n}"
            body = claim_body(tag, i, n, args.notice)
            hdrs = {"Content-Type": "application/json", "Idempotency-Key": key}
            while True:
                t = time.time()
                try:
                    status, headers, data = conn.request("POST", f"/v1/incidents/{args.slug}/claims",
                                                         body, hdrs)
                except (OSError, http.client.HTTPException) as e:
                    with lock:
                        attempts.append((t, i, False, type(e).__name__, time.time()))
                    time.sleep(RETRY_PAUSE_S)
                    continue
                if status == 201:
                    doc = json.loads(data)
                    with lock:
                        attempts.append((t, i, True, "201", time.time()))
                        acked.append({"key": key, "reference": doc["reference"],
                                      "token": doc["token"], "body": body.decode(),
                                      "replayed": headers.get("Idempotency-Replayed") == "true",
                                      "at": time.time()})
                    break
                problem = ""
                if data[:1] == b"{":
                    try:
                        problem = json.loads(data).get("type", "").rsplit("/", 1)[-1]
                    except ValueError:
                        pass
                with lock:
                    attempts.append((t, i, False, f"{status} {problem}".strip(), time.time()))
                if status >= 500 or (status == 409 and problem == "idempotency-key-in-use"):
                    time.sleep(BUSY_PAUSE_S)
                    continue
                # a final refusal would be a bug of the drill or the server: keep going,
                # the check counts it
                break

    threads = [threading.Thread(target=worker, args=(i,), daemon=True)
               for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(os.path.join(args.out, "attempts.json"), "w") as f:
        json.dump(attempts, f)
    with open(os.path.join(args.out, "acked.json"), "w") as f:
        json.dump(acked, f)
    print(f"load: {len(acked)} claims acknowledged, {len(attempts)} attempts", flush=True)


def psql(dsn, sql):
    run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", dsn, "-c", sql], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SystemExit(f"psql: {run.stderr.strip()}")
    return [line.split("\t") for line in run.stdout.splitlines() if line]


def check(args):
    attempts = json.load(open(os.path.join(args.out, "attempts.json")))
    acked = json.load(open(os.path.join(args.out, "acked.json")))
    kills = []
    for line in open(args.kills):
        parts = line.split(maxsplit=2)
        if len(parts) >= 2:
            kills.append((float(parts[0]), parts[1], parts[2].strip() if len(parts) > 2 else ""))

    # 1. lost, doubled, altered
    rows = psql(args.psql_url, "SELECT c.reference FROM claims c JOIN incidents i"
                f" ON i.id = c.incident_id WHERE i.slug = '{args.slug}'")
    db = [r[0] for r in rows]
    refs = [a["reference"] for a in acked]
    lost = sorted(set(refs) - set(db))
    extra = sorted(set(db) - set(refs))
    doubled = len(db) - len(set(db)) + (len(refs) - len(set(refs)))
    altered = []

    def read_back(part):
        conn = Conn(args.url)
        for a in part:
            status, data = None, b"{}"
            for _ in range(50):
                try:
                    status, _, data = conn.request(
                        "GET", f"/v1/claims/{a['reference']}",
                        headers={"Authorization": "Bearer " + a["token"]})
                    break
                except (OSError, http.client.HTTPException):
                    time.sleep(0.1)
            sent = json.loads(a["body"])["claimant"]
            got = json.loads(data).get("claimant") if status == 200 else None
            if got is None or any(got.get(k) != sent[k] for k in
                                  ("given_name", "family_name", "email", "phone", "birth_date")):
                altered.append(a["reference"])  # list.append is atomic

    readers = [threading.Thread(target=read_back, args=(acked[i::8],)) for i in range(8)]
    for t in readers:
        t.start()
    for t in readers:
        t.join()

    # 2. per kill, on answer times (a[4]): from the first failed attempt answered after the
    # kill to the first 201 of an attempt sent after that failure (a claim in flight at the
    # kill that still commits does not end the outage: a client that saw a failure and tried
    # again does)
    attempts.sort(key=lambda a: a[4])
    per_kill = []
    for k, (t0, kind, what) in enumerate(kills):
        t_next = kills[k + 1][0] if k + 1 < len(kills) else float("inf")
        window = [a for a in attempts if t0 <= a[4] < t_next]
        first_fail = next((a for a in window if not a[2]), None)
        if first_fail is None:
            per_kill.append((t0, kind, what, 0.0, 0, {}))
            continue
        back = next((a for a in window if a[2] and a[0] > first_fail[4]), None)
        t_back = back[4] if back is not None else t_next
        errors = {}
        for a in window:
            if not a[2] and a[4] <= t_back:
                errors[a[3]] = errors.get(a[3], 0) + 1
        per_kill.append((t0, kind, what, t_back - first_fail[4], sum(errors.values()), errors))

    print(f"acknowledged claims: {len(acked)} ({sum(a['replayed'] for a in acked)} answered "
          f"by a replay after a retry); attempts {len(attempts)}; claims rows {len(db)}")
    print(f"lost: {len(lost)}; doubled: {doubled}; rows no client got a 201 for: {len(extra)}; "
          f"read back different: {len(altered)}")
    print()
    print("| # | kill | what | writes unavailable (s) | client errors | errors by kind |")
    print("|---:|---|---|---:|---:|---|")
    for n, (t0, kind, what, gap, nerr, errors) in enumerate(per_kill, 1):
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "-"
        print(f"| {n} | {kind} | {what} | {gap:.2f} | {nerr} | {kinds} |")
    print()
    for kind in sorted({k[1] for k in per_kill}):
        gaps = [p[3] for p in per_kill if p[1] == kind]
        print(f"{kind}: {len(gaps)} kills, unavailability median {statistics.median(gaps):.2f} s, "
              f"worst {max(gaps):.2f} s, best {min(gaps):.2f} s")
    summary = {"acked": len(acked), "rows": len(db), "lost": len(lost), "doubled": doubled,
               "extra": len(extra), "altered": len(altered),
               "kills": [{"t": p[0], "kind": p[1], "what": p[2], "unavailable_s": p[3],
                          "errors": p[5]} for p in per_kill]}
    with open(os.path.join(args.out, "verdict.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 1 if (lost or doubled or extra or altered) else 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    lp = sub.add_parser("load")
    lp.add_argument("--url", required=True)
    lp.add_argument("--slug", required=True)
    lp.add_argument("--notice", required=True)
    lp.add_argument("--out", required=True)
    lp.add_argument("--stop-file", required=True)
    lp.add_argument("--threads", type=int, default=8)
    cp = sub.add_parser("check")
    cp.add_argument("--url", required=True)
    cp.add_argument("--slug", required=True)
    cp.add_argument("--out", required=True)
    cp.add_argument("--kills", required=True)
    cp.add_argument("--psql-url", required=True)
    args = p.parse_args()
    if args.cmd == "load":
        load(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
