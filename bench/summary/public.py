#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/summary/public.py: what one anonymous caller costs the server on the public
compensation summary, GET /v1/incidents/{slug}/compensation without a credential (issue 10,
"Hardening": about 100,000 claim groups made one call cost 0.25-0.6 s and 20 MiB).

    bench/summary/public.py [--groups N] [--calls N] [--burst N] [RECOURS_BIN ...]

For each binary given (default build/recours), in turn:
  1. a fresh database bench_public_<time>_<pid> on DATABASE_URL's server (default: the private
     cluster of ./scripts/run), migrated; throw-away secrets and certificate in a temp dir;
     `recours serve` (4 workers);
  2. one EUR incident, a scheme PUT on it (supplements, loss, time, a fund cap that binds:
     every component of the summary is computed), and --groups distinct claim groups written
     straight into claim_tallies (what the intake writers would have written for that many
     distinct claim shapes);
  3. --calls sequential public GETs over one HTTPS keep-alive connection (client latency and
     the server's own duration from its access log; 2 discarded first), then --burst
     concurrent public GETs (one connection each), timing the burst and reading the server's
     peak resident memory (VmHWM) before and after it;
  4. the server stopped, the database dropped.
Prints one Markdown table row per binary (paste under your heading of bench/RESULTS.md).
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PSQL = "/usr/lib/postgresql/15/bin/psql"

SCHEME = {
    "currency": "EUR", "base_amount": 3000,
    "category_supplements": {"password": 1000, "financial": 5000, "health": 10000},
    "documented_loss": {"reimburse": True, "cap_per_claimant": 500000},
    "time_spent": {"hourly_rate": 2500, "max_hours": 20}, "fund_cap": 1000000,
    "vouchers": [], "cash_alternative_ratio": None,
}


def database_url():
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    port = open(os.path.join(ROOT, "var/pg/port")).read().strip()
    pw = open(os.path.join(ROOT, "var/secrets/db-password")).read().strip()
    return f"postgresql://recours:{pw}@127.0.0.1:{port}/recours"


def with_db(url, db):
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.netloc, "/" + db, p.query, ""))


def psql(url, sql):
    run = subprocess.run([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"psql: {run.stderr.strip()}")
    return run.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_hwm_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, binary, args):
        self.binary = binary
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="bench-public.")
        self.db = f"bench_public_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
        self.url = database_url()
        self.proc = None

    def run(self):
        try:
            return self._run()
        finally:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.terminate()
                self.proc.wait(30)
            psql(self.url, f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
            shutil.rmtree(self.tmp, ignore_errors=True)

    def conn(self):
        ctx = ssl.create_default_context(cafile=os.path.join(self.tmp, "cert.pem"))
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=120)

    def call(self, c, method, path, body=None, token=None):
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            hdrs["Authorization"] = "Bearer " + token
        c.request(method, path, body=json.dumps(body) if body is not None else None,
                  headers=hdrs)
        r = c.getresponse()
        data = r.read()
        return r.status, data

    def _run(self):
        psql(self.url, f"CREATE DATABASE {self.db}")
        db_url = with_db(self.url, self.db)
        env = dict(os.environ, DATABASE_URL=db_url)
        subprocess.run([self.binary, "migrate", "--migrations-dir",
                        os.path.join(ROOT, "db-migrations")], env=env, check=True,
                       capture_output=True)
        secrets = os.path.join(self.tmp, "secrets")
        subprocess.run([self.binary, "secrets", "init", "--secrets-dir", secrets], check=True,
                       capture_output=True)
        token = open(os.path.join(secrets, "operator-key")).read().strip()
        self.port = free_port()
        self.log = os.path.join(self.tmp, "recours.log")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--secrets-dir", secrets,
             "--tls-cert", os.path.join(self.tmp, "cert.pem"),
             "--tls-key", os.path.join(self.tmp, "key.pem"),
             "--migrations-dir", os.path.join(ROOT, "db-migrations"),
             "--web-dir", os.path.join(ROOT, "web"), "--workers", "4",
             "--mail-dir", os.path.join(self.tmp, "mail"),
             "--rate-limit-burst", "1000000", "--rate-limit-per-s", "1000000"],
            env=env, cwd=self.tmp, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                c = self.conn()
                if self.call(c, "GET", "/readyz")[0] == 200:
                    break
            except (OSError, ssl.SSLError):
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                sys.exit("recours serve did not start: " + open(self.log).read()[-2000:])
            time.sleep(0.1)

        slug = f"bench-public-{os.getpid()}"
        st, data = self.call(c, "POST", "/v1/incidents", {
            "slug": slug, "controller": "ACME SA", "title": "Benchmark", "disclosed_on":
            "2026-02-10", "affected_count": 10000000, "currency": "EUR",
            "data_categories": ["name", "email", "phone", "postal_address", "birth_date",
                                "password", "financial", "health"]}, token)
        assert st == 201, data
        st, data = self.call(c, "PUT", f"/v1/incidents/{slug}/scheme", SCHEME, token)
        assert st == 200, data
        inc = psql(db_url, f"SELECT id FROM incidents WHERE slug = '{slug}'")
        # distinct groups: 255 category sets × loss steps × hours, two statuses
        psql(db_url, f"""
            INSERT INTO claim_tallies (incident_id, status, payment_preference, country,
                                       categories, documented_loss, hours_spent, shard, n)
            SELECT {inc}, CASE WHEN g % 2 = 0 THEN 'received' ELSE 'verified' END,
                   CASE WHEN g % 3 = 0 THEN 'cash' ELSE 'voucher' END,
                   (ARRAY['FR','BE','DE','ES','IT'])[1 + (g / 2) % 5],
                   1 + (g / 10) % 255, ((g / 2550) % 40) * 1000, (g / 102000) % 24,
                   255, 1 + g % 7
              FROM generate_series(0, {self.args.groups - 1}) g""")
        groups = psql(db_url, f"SELECT count(*) FROM claim_tallies WHERE incident_id = {inc}")
        path = f"/v1/incidents/{slug}/compensation"

        lat = []
        for i in range(self.args.calls + 2):
            t0 = time.perf_counter()
            st, data = self.call(c, "GET", path)
            assert st == 200, data
            if i >= 2:
                lat.append((time.perf_counter() - t0) * 1000)
        assert json.loads(data)["view"] == "public"
        c.close()

        hwm0 = vm_hwm_kib(self.proc.pid)

        def one(_):
            bc = self.conn()
            t0 = time.perf_counter()
            st, _ = self.call(bc, "GET", path)
            bc.close()
            return st, (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(self.args.burst) as pool:
            burst = list(pool.map(one, range(self.args.burst)))
        burst_s = time.perf_counter() - t0
        assert all(st == 200 for st, _ in burst), burst
        hwm1 = vm_hwm_kib(self.proc.pid)

        self.proc.terminate()
        self.proc.wait(30)
        server = []
        for line in open(self.log):
            if '"route":"/v1/incidents/{slug}/compensation"' in line:
                m = re.search(r'"duration_us":(\d+)', line)
                server.append(int(m.group(1)) / 1000)
        seq_server = server[2:2 + self.args.calls]
        return {
            "binary": self.binary, "groups": int(groups),
            "median": statistics.median(lat), "max": max(lat),
            "server_median": statistics.median(seq_server), "server_max": max(seq_server),
            "burst": self.args.burst, "burst_s": burst_s,
            "burst_median": statistics.median(ms for _, ms in burst),
            "hwm0": hwm0 / 1024, "hwm1": hwm1 / 1024,
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--groups", type=int, default=100000)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--burst", type=int, default=16)
    ap.add_argument("binaries", nargs="*", default=[os.path.join(ROOT, "build/recours")])
    args = ap.parse_args()
    args.binaries = [os.path.abspath(b) for b in args.binaries]
    print("| binary | claim groups | sequential: median / max ms (server median / max) "
          "| burst of N: wall s, median ms per call | peak RSS before → after the burst |")
    print("|---|---:|---|---|---|")
    for b in args.binaries:
        r = Bench(b, args).run()
        print(f"| `{r['binary']}` | {r['groups']:,} | {r['median']:.1f} / {r['max']:.1f} "
              f"({r['server_median']:.1f} / {r['server_max']:.1f}) "
              f"| {r['burst']}: {r['burst_s']:.2f} s, {r['burst_median']:.0f} ms "
              f"| {r['hwm0']:.1f} → {r['hwm1']:.1f} MiB |", flush=True)


if __name__ == "__main__":
    main()
